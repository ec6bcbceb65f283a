//===- WinogradTransforms.h - the F(2x2, 3x3) transforms sinter-conv-to-winograd emits -------------------===//
//
// Winograd's minimal filtering F(2x2, 3x3) computes a 2x2 output tile of a 3x3 stride-1 convolution from a
// 4x4 input tile with 16 multiplications per channel pair instead of 36 (Lavin and Gray, 2016):
//
//   Y = A^T [ (G g G^T) . (B^T d B) ] A      (. elementwise over the 4x4 tile, summed over channels)
//
// sinter-conv-to-winograd writes the input transform B^T d B and the output transform A^T m A as
// linalg.generic reductions with B^T and A^T as constant operands, and the 16 products over the channels as
// a linalg.generic contraction reading U in the ukernel's packed layout, all three marked with
// kWinogradAttr; the CPU target runs the chain as one fused ukernel (WinogradUkernel.cpp) after checking it
// is exactly this form, constants included. These definitions are what both sides agree on.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TRANSFORMS_WINOGRADTRANSFORMS_H
#define SINTER_COMPILER_TRANSFORMS_WINOGRADTRANSFORMS_H

#include "mlir/IR/AffineMap.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace sinter {

/// The discardable string attribute on the two transform generics: kWinogradInput or kWinogradOutput.
inline constexpr llvm::StringLiteral kWinogradAttr = "sinter.winograd";
inline constexpr llvm::StringLiteral kWinogradInput = "input";
inline constexpr llvm::StringLiteral kWinogradOutput = "output";
inline constexpr llvm::StringLiteral kWinogradProduct = "product";

/// The indexing maps (matrix, data, matrix, result) of the input transform (`input`; loops (a, b, c, n, ty,
/// tx, i, j), data X [N, C, H, W]) or the output transform (loops (n, f, ty, a', tx, b', a, b), data
/// M [4, 4, F, N, TH, TW]): out[d0..d5] += matrix[..] * data[..] * matrix[..] over (d6, d7).
llvm::SmallVector<mlir::AffineMap> winogradTransformMaps(mlir::MLIRContext *ctx, bool input);

/// The indexing maps (U, V, M) of the product M[ab, f, t] += U[ab, f, c] * V[ab, c, t], loops (ab, f, t, c),
/// U read from the packed transformed filters [F / FS][C / CB][16][FS / MR][CB][MR]
/// (ukernels/winograd_tiles.h) for filter chunks of `fs`.
llvm::SmallVector<mlir::AffineMap> winogradProductMaps(mlir::MLIRContext *ctx, int64_t fs);

/// B^T (4x4), row-major: V = B^T d B for a 4x4 input tile d.
inline constexpr float kWinogradBt[16] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
/// A^T (2x4), row-major: Y = A^T m A for a 4x4 product tile m.
inline constexpr float kWinogradAt[8] = {1, 1, 1, 0, 0, 1, -1, -1};
/// G (4x3), row-major: U = G g G^T for a 3x3 filter g (applied at compile time).
inline constexpr double kWinogradG[12] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};

} // namespace sinter

#endif // SINTER_COMPILER_TRANSFORMS_WINOGRADTRANSFORMS_H

//===- ContractionEpilogue.h - the contraction groups sinter-fuse-epilogues forms --------------------------===//
//
// A contraction (C += A * B) is fused with the elementwise ops around it when the CPU target's sgemm
// ukernel can apply them as it stores C (ukernels/sgemm_epilogue.h): a prologue that sets C's initial value
// (a fill with 0, or a broadcast copy of a bias) and an epilogue that updates C in place (adds, then a
// clamp). sinter-fuse-epilogues (tensors) forms such groups and marks their ops with kDispatchGroupAttr;
// program formation puts a group in one dispatch; the CPU target reads the ops back (SgemmEpilogue.cpp).
// These matchers are what both sides agree on; they work on tensors and on buffers alike.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TRANSFORMS_CONTRACTIONEPILOGUE_H
#define SINTER_COMPILER_TRANSFORMS_CONTRACTIONEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <limits>
#include <optional>

namespace sinter {

/// The discardable i64 attribute that ties the ops of one group together (program formation outlines
/// consecutive compute ops with the same value into one dispatch).
inline constexpr llvm::StringLiteral kDispatchGroupAttr = "sinter.dispatch_group";

/// Whether `op` is C += A * B in f32: two inputs, one init, reduction loops, and a body that multiplies the
/// two input elements and adds the product to the accumulator (the sgemm ukernel's contraction, plain or
/// reading B through a gather map).
bool isMulAddContraction(mlir::linalg::LinalgOp op);

/// The elementwise update of an epilogue: value = clamp(value + input[addends[0]] + ..., lo, hi).
struct EpilogueBody {
  llvm::SmallVector<unsigned> addends; // input operand numbers, in the order they are added
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

/// Matches an all-parallel f32 linalg.generic whose body, starting from block argument `value` (the
/// contraction's result), is a chain of arith.addf with other inputs' elements (each input once), then
/// arith.maximumf / arith.minimumf with scalar constants, yielded as its one result. Nothing else may be
/// in the body (a signed zero may come out with the other sign: clamp keeps -0.0 where maximumf gives +0.0).
std::optional<EpilogueBody> matchEpilogueBody(mlir::linalg::GenericOp op, mlir::BlockArgument value);

/// Whether `op` writes its init from one input without computing: linalg.generic yielding its input
/// element, the input read through a projected permutation (a bias broadcast into C), identity init map.
bool isBroadcastCopy(mlir::linalg::LinalgOp op);

/// Whether `op` is a broadcast copy (above) of a 1-D tensor along dimension 1 of its 4-D init (a convolution's
/// bias over [N, F, H, W]).
bool isChannelBroadcast(mlir::linalg::LinalgOp op);

/// For a linalg.fill of a scalar constant: the constant; std::nullopt otherwise.
std::optional<float> filledConstant(mlir::linalg::LinalgOp op);

/// Whether `op` is a linalg.fill with +0.0 (not -0.0: a ukernel that starts from zero instead of reading
/// the fill gives +0.0).
bool isPositiveZeroFill(mlir::linalg::LinalgOp op);

/// Whether every operand of `op` is a statically shaped f32 ranked tensor (the convolutions the conv rewrites
/// take).
bool hasStaticF32Operands(mlir::Operation *op);

} // namespace sinter

#endif // SINTER_COMPILER_TRANSFORMS_CONTRACTIONEPILOGUE_H

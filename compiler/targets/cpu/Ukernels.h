//===- Ukernels.h - hand-written kernels linked into CPU executables as bitcode -------------------------===//
//
// Some dispatches are better served by a hand-tuned kernel than by loops: matrix multiplication needs
// packing and register tiling that generic loop lowering does not do. Such kernels ("ukernels", as in IREE)
// are C sources in ukernels/, compiled to LLVM bitcode at build time without a CPU of their own and
// embedded in the compiler. A dispatch that matches one becomes a call; emitting the executable links the
// called ukernels' bitcode into the module, so LLVM specializes them for the target CPU and inlines them.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TARGETS_CPU_UKERNELS_H
#define SINTER_COMPILER_TARGETS_CPU_UKERNELS_H

#include "compiler/program/Program.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace sinter {

/// The ukernel vector width (f32 lanes) for a target: 16 with AVX-512, 8 on other x86-64 CPUs, 4 on
/// AArch64; 0 where no ukernel bitcode exists for the architecture.
unsigned ukernelVectorLanes(const llvm::TargetMachine &machine);

/// The build of the quantized-matmul ukernel (ukernels/qgemm.c) for a target of `lanes` ukernel lanes:
/// sinter_uk_qgemm_v<lanes>, or its AVX2 build (v8_avx2) on an AVX2 + F16C target without AVX-512, or its VNNI build
/// (v16_vnni) with AVX-512 BW, VL, VNNI and VBMI. Empty when `lanes` is 0.
std::string qgemmUkernelName(const llvm::TargetMachine &machine, unsigned lanes);

/// Whether that build is one of the AVX2 builds (v8_avx2, v16, v16_vnni), which have the M == 1 int path.
bool qgemmHasIntGemv(llvm::StringRef name);

/// If `func` (a dispatch) is a single f32 contraction C[b,m,n] += A[b,m,k] * B[b,k,n] with at most one
/// non-unit dimension per role, over strided memrefs (B possibly in the packed panel layout of
/// sinter-pack-weights, of this kernel's panel width 2 * lanes), replaces it with a call to the sgemm ukernel of
/// `lanes` width that splits the work by workgroup id, and returns the workgroup count to launch (at most
/// `maxWorkgroups`; 1 below `minSplitMacs` multiply-adds). The contraction may come with a fused prologue and epilogue (a sinter.dispatch_group,
/// SgemmEpilogue.h; batch 1), which the call applies too. Returns std::nullopt, leaving `func` unchanged,
/// when it does not match.
std::optional<uint32_t> lowerContractionToUkernel(mlir::func::FuncOp func, unsigned lanes, unsigned maxWorkgroups,
                                                  int64_t minSplitMacs);

/// The address of `memref`'s first element in bytes (aligned pointer plus offset), as an i64 ukernel argument.
mlir::Value ukernelByteAddress(mlir::OpBuilder &b, mlir::Location loc, mlir::Value memref);

/// The static strides of a static f32 memref of `rank` whose innermost stride is 1; std::nullopt otherwise.
std::optional<llvm::SmallVector<int64_t>> unitInnerStrides(mlir::Value memref, int64_t rank);

/// The dispatch's linalg ops in order (the rest of its body are views of its bindings and constants).
llvm::SmallVector<mlir::linalg::LinalgOp> dispatchLinalgOps(mlir::func::FuncOp func);

/// The dispatch's only linalg op, or null when it has none or several.
mlir::linalg::LinalgOp soleLinalgOp(mlir::func::FuncOp func);

/// The private declaration `name(i64 x numArgs)` in `module` (created on first use).
mlir::func::FuncOp declareUkernel(mlir::ModuleOp module, llvm::StringRef name, unsigned numArgs);

/// The private declaration `name(argTypes...)` in `module` (created on first use).
mlir::func::FuncOp declareUkernel(mlir::ModuleOp module, llvm::StringRef name, mlir::TypeRange argTypes);

/// If `func` (a dispatch) is a single f32 linalg.pooling_nchw_max or pooling_nchw_sum over static memrefs
/// with unit inner strides, replaces it with a call to the pooling ukernel (ukernels/pool.c) of `lanes` width,
/// which vectorizes each output row along its contiguous dimension, and returns the workgroup count (planes
/// split evenly, at most `maxWorkgroups`). Returns std::nullopt, leaving `func` unchanged, otherwise.
std::optional<uint32_t> lowerPoolingToUkernel(mlir::func::FuncOp func, unsigned lanes, unsigned maxWorkgroups);

/// If `func` (a dispatch) is a single f32 contraction C[m, n] += A[m, k] * B(k, n) whose B is read through a
/// gather map separable into a k part and an n part (a convolution's fused im2col, see GatherUkernel.cpp),
/// replaces it with a call to the sgemm ukernel's gather entry point, with B's offsets as compile-time
/// tables, and returns the workgroup count; a fused prologue and epilogue (the convolution's bias, ReLU,
/// residual add) go into the call as well. Returns std::nullopt, leaving `func` unchanged, otherwise.
std::optional<uint32_t> lowerGatherContractionToUkernel(mlir::func::FuncOp func, unsigned lanes,
                                                        unsigned maxWorkgroups);

/// If `func` (a dispatch) is sinter-conv-to-winograd's chain as sinter-fuse-epilogues groups it (zero fill
/// of V, input transform, zero fill of M, batched product, output transform; compiler/transforms/
/// WinogradTransforms.h), exactly as the pass emits it (maps, bodies, data flow, and the transform matrices'
/// values in `program`'s constants, bound as `dispatch` binds them), replaces it with one call to the fused
/// Winograd ukernel (ukernels/winograd.c) and returns the workgroup count (winograd_tiles.h). Returns
/// std::nullopt, leaving `func` unchanged, otherwise.
std::optional<uint32_t> lowerWinogradToUkernel(mlir::func::FuncOp func, unsigned lanes, unsigned maxWorkgroups,
                                               const Dispatch &dispatch, const Program &program);

/// Links the bitcode of every ukernel `module` declares into it, with the ukernels' own target attributes
/// dropped (so the module's CPU applies) and internal linkage (so they are inlined and not exported).
/// Returns false with a message on failure.
bool linkUkernels(llvm::Module &module, std::string &error);

} // namespace sinter

#endif // SINTER_COMPILER_TARGETS_CPU_UKERNELS_H

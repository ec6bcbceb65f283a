//===- SgemmEpilogue.h - a dispatch's contraction group -> the sgemm ukernel's epilogue arguments -------===//
//
// sinter-fuse-epilogues groups a contraction with the op that sets C's initial value (prologue) and the
// elementwise op that updates C in place (epilogue); program formation outlines the group as one
// dispatch. Here the group is read back from the dispatch and turned into the nine epilogue arguments of
// the sgemm entry points (ukernels/sgemm_epilogue.h), operands addressed by their strides along the
// contraction's M and N.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TARGETS_CPU_SGEMMEPILOGUE_H
#define SINTER_COMPILER_TARGETS_CPU_SGEMMEPILOGUE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace sinter {

/// A contraction with its optional prologue and epilogue, all writing the contraction's init buffer C, and
/// optionally the zero padding of its B: a fill of B with 0 and a copy of the unpadded input into B's
/// interior (a convolution's tensor.pad; only the gather entry point takes it, reading the input in place).
struct ContractionGroup {
  mlir::linalg::LinalgOp prologue; // a fill with 0 or a bias broadcast, or null
  mlir::linalg::LinalgOp contraction;
  mlir::linalg::GenericOp epilogue;        // updates C in place, or null
  mlir::linalg::LinalgOp padFill, padCopy; // both or neither
};

/// The dispatch's linalg ops as a group: its only linalg op (prologue and epilogue null), or
/// [pad fill, pad copy,] [prologue,] contraction[, epilogue] in that order, the padding writing B and the
/// rest one C buffer. std::nullopt otherwise.
std::optional<ContractionGroup> contractionGroup(mlir::func::FuncOp func);

/// What one dimension of C is to the ukernel: its M or N dimension, or of extent 1.
enum class OutputRole { Unit, M, N };

/// The epilogue of `group` in the ukernel's terms; values are the operands to address.
struct SgemmEpilogue {
  int64_t init = 0; // SINTER_UK_INIT_*
  mlir::Value bias, addend;
  int64_t biasMs = 0, biasNs = 0, addMs = 0, addNs = 0;
  float lo, hi;
};

/// The group's prologue and epilogue as a SgemmEpilogue, given the role of each dimension of C (in C's
/// memref order); std::nullopt when the ukernel cannot apply them (an operand without static strides,
/// two addends after a prologue, ...). The plain contraction gives the accumulating, unclamped form.
std::optional<SgemmEpilogue> analyzeSgemmEpilogue(ContractionGroup group, llvm::ArrayRef<OutputRole> roles);

/// The nine epilogue arguments (i64 x 7, f32 x 2) of the sgemm entry points.
llvm::SmallVector<mlir::Value> sgemmEpilogueArgs(mlir::OpBuilder &b, mlir::Location loc, const SgemmEpilogue &epilogue);

/// The types of those arguments, for the ukernel declaration.
llvm::SmallVector<mlir::Type> sgemmEpilogueTypes(mlir::MLIRContext *context);

/// Erases the group's ops (after the ukernel call that replaces them is built).
void eraseGroup(ContractionGroup group);

} // namespace sinter

#endif // SINTER_COMPILER_TARGETS_CPU_SGEMMEPILOGUE_H

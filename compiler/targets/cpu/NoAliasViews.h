//===- NoAliasViews.h - disjoint buffer views as noalias dispatch arguments ------------------------------===//
//
// A dispatch reaches every intermediate buffer through memref.view of one arena argument, so LLVM sees a
// loop's loads and stores as offsets from the same pointer and, unable to prove them apart, declines to
// vectorize ("unknown data dependence") or to keep a reduction's accumulator in a register. The static
// memory plan knows which views are disjoint: each such view becomes an argument of its own, marked
// llvm.noalias, which the entry point computes as binding + byte shift; after inlining LLVM has the alias
// scopes it needs.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TARGETS_CPU_NOALIASVIEWS_H
#define SINTER_COMPILER_TARGETS_CPU_NOALIASVIEWS_H

#include "compiler/program/Program.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <utility>

namespace sinter {

/// One argument added by separateDisjointViews: the binding it points into and its byte shift there.
struct ViewArgument {
  unsigned binding;
  int64_t byteShift;
};

/// Replaces each memref.view of an arena or constant binding argument of `func` (a dispatch: binding
/// arguments, then workgroup id and count) by a new noalias argument inserted before the workgroup id, when
/// no other view of that binding overlaps it (constants are read-only: any of their views). Arena arguments
/// with uses other than constant-shift views of static shape are left alone. Returns the added arguments
/// in order.
llvm::SmallVector<ViewArgument> separateDisjointViews(mlir::func::FuncOp func, llvm::ArrayRef<Binding> bindings);

} // namespace sinter

#endif // SINTER_COMPILER_TARGETS_CPU_NOALIASVIEWS_H

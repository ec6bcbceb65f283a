//===- PassPipeline.h - run a textual pass pipeline on a module -----------------------------------------===//
#ifndef SINTER_COMPILER_SUPPORT_PASSPIPELINE_H
#define SINTER_COMPILER_SUPPORT_PASSPIPELINE_H

#include "mlir/IR/BuiltinOps.h"

namespace sinter {

/// Parses `pipeline` (the passes inside `builtin.module(...)`, without that wrapper: parsePassPipeline adds
/// into the manager as given, and a wrapper would nest the passes so that they silently do nothing) and
/// runs it on `module`.
mlir::LogicalResult runPassPipeline(mlir::ModuleOp module, llvm::StringRef pipeline);

} // namespace sinter

#endif // SINTER_COMPILER_SUPPORT_PASSPIPELINE_H

//===- PassPipeline.cpp - run a textual pass pipeline on a module ---------------------------------------===//
#include "compiler/support/PassPipeline.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

mlir::LogicalResult sinter::runPassPipeline(mlir::ModuleOp module, llvm::StringRef pipeline) {
  mlir::PassManager pm(module.getContext());
  if (mlir::failed(mlir::parsePassPipeline(pipeline, pm, llvm::errs())))
    return module.emitError("internal error: bad pass pipeline: ") << pipeline, mlir::failure();
  return pm.run(module);
}

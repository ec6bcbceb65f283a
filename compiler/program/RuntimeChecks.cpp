//===- RuntimeChecks.cpp - run-time checks of @main -> extra results (compiler/conversion/RuntimeCheck.h) -===//
#include "compiler/conversion/RuntimeCheck.h"
#include "compiler/program/Program.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace sinter {

LogicalResult exposeRuntimeChecks(ModuleOp module, Program &program) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || !llvm::hasSingleElement(main.getBody()))
    return module.emitError("exposeRuntimeChecks expects a @main with one block");
  SmallVector<Operation *> checks;
  WalkResult walk = main.walk([&](Operation *op) {
    if (!op->hasAttr(kRuntimeCheckAttr))
      return WalkResult::advance();
    auto message = op->getAttrOfType<StringAttr>(kRuntimeCheckAttr);
    auto type = op->getNumResults() == 1 ? dyn_cast<RankedTensorType>(op->getResult(0).getType()) : nullptr;
    if (!message || !type || type.getRank() != 0 || !type.getElementType().isInteger(8))
      return op->emitError("a run-time check must be one 0-d i8 tensor with a message"), WalkResult::interrupt();
    if (op->getBlock() != &main.getBody().front())
      return op->emitError("a run-time check must be at the top level of @main"), WalkResult::interrupt();
    checks.push_back(op);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (checks.empty())
    return success();
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  for (Operation *op : checks) {
    program.checks.push_back({op->getAttrOfType<StringAttr>(kRuntimeCheckAttr).str(), (int64_t)results.size()});
    op->removeAttr(kRuntimeCheckAttr);
    results.push_back(op->getResult(0));
  }
  ret->setOperands(results);
  setEntryResultTypes(main, results);
  return success();
}

} // namespace sinter

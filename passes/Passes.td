//===- Passes.td - Sinter graph passes ------------------------------------------------------------------===//
//
// Every graph-level rewrite is a pass declared here, usable alone from sinter-opt by its flag and run by
// sinter-compile's pipeline. Sources live in passes/<family>/, tests in test/passes/<family>/.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_PASSES
#define SINTER_PASSES

include "mlir/Pass/PassBase.td"

def GraphSimplify : Pass<"graph-simplify", "mlir::func::FuncOp"> {
  let summary = "Remove ops that do nothing at inference time";
  let description = [{
    Forwards the input of Identity, of inference-mode Dropout (no training_mode, or a constant false one,
    and an unused mask), of Cast/Reshape/Expand whose result type equals their input type, and of
    Transpose with an identity permutation. Dead ops are then erased.
  }];
  let dependentDialects = ["::sinter::graph::GraphDialect"];
}

#endif // SINTER_PASSES

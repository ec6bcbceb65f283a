//===- Passes.td - Sinter transforms on linalg/tensor IR ------------------------------------------------===//
//
// Transforms between lowering steps (fusion, later tiling and vectorization schedules). Sources live in
// compiler/transforms/, tests in test/compiler/transforms/.
//
//===----------------------------------------------------------------------------------------------------===//

#ifndef SINTER_TRANSFORMS_PASSES
#define SINTER_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FuseElementwise : Pass<"sinter-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg producers into their elementwise consumers";
  let description = [{
    Upstream's elementwise fusion, restricted so that it never duplicates work: a producer is fused only
    into an all-parallel consumer (never into a contraction or reduction, where it would be recomputed for
    every reduction step) and only when the consumer is its single user. Each fused chain becomes one
    dispatch that reads its inputs and writes its result once.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect"];
}

#endif // SINTER_TRANSFORMS_PASSES

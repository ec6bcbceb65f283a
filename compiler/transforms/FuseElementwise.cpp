//===- FuseElementwise.cpp - elementwise fusion that never duplicates work ------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace sinter {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace {

/// A producer that only permutes data: its body yields its one input unchanged, read through a
/// permutation (a transpose). Fusing it into any consumer, even a contraction, recomputes nothing: the
/// consumer just reads the original tensor through a permuted indexing map (strided operands, which the CPU
/// ukernels take as is). Gathers such as im2col are excluded: their maps are not permutations, and a
/// contraction reading through them would no longer be a plain strided matrix multiplication.
bool isPureCopy(Operation *op, bool allowGather = false) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !(allowGather || generic.getMatchingIndexingMap(generic.getDpsInputOperand(0)).isPermutation()) ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)).isPermutation())
    return false;
  Block &body = generic.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  return &body.front() == yield.getOperation() && yield.getNumOperands() == 1 &&
         yield.getOperand(0) == body.getArgument(0);
}

struct FuseElementwisePass : sinter::impl::FuseElementwiseBase<FuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    // Transposes feeding a generic become generics themselves, so that the copy can fuse away.
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::TransposeOp> transposes;
    getOperation().walk([&](linalg::TransposeOp op) {
      if (op->hasOneUse() && isa<linalg::GenericOp>(*op->getUsers().begin()))
        transposes.push_back(op);
    });
    for (linalg::TransposeOp op : transposes) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }

    RewritePatternSet patterns(&getContext());
    bool fuseGathers = this->fuseGathers;
    linalg::ControlFusionFn control = [fuseGathers](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      if (!producer || !consumer || !producer->hasOneUse())
        return false;
      if (consumer.getNumLoops() == consumer.getNumParallelLoops() || isPureCopy(producer))
        return true;
      // A gather (im2col) only into a contraction's right-hand side, the operand the ukernel gathers.
      if (!fuseGathers || !isPureCopy(producer, /*allowGather=*/true) || !linalg::isaContractionOpInterface(consumer) ||
          consumer.getNumDpsInputs() != 2 || fused != consumer.getDpsInputOperand(1))
        return false;
      // The ukernel's gather form has one column loop (besides unit ones): a batch of images stays a copy.
      AffineMap lhs = consumer.getMatchingIndexingMap(consumer.getDpsInputOperand(0));
      SmallVector<int64_t> ranges = consumer.getStaticLoopRanges();
      unsigned columnLoops = 0;
      for (unsigned d = 0; d < ranges.size(); ++d) {
        if (ShapedType::isDynamic(ranges[d]))
          return false;
        columnLoops += ranges[d] != 1 && !lhs.isFunctionOfDim(d);
      }
      return columnLoops == 1;
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

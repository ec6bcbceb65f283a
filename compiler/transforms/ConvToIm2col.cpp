//===- ConvToIm2col.cpp - f32 2-D convolutions as im2col + matrix multiplication -----------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace sinter {
#define GEN_PASS_DEF_CONVTOIM2COL
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace {

struct ConvToIm2colPass : sinter::impl::ConvToIm2colBase<ConvToIm2colPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      auto resultType = dyn_cast<RankedTensorType>(conv->getResult(0).getType());
      bool f32 = llvm::all_of(conv->getOperandTypes(), [](Type type) {
        auto tensor = dyn_cast<RankedTensorType>(type);
        return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
      });
      // Upstream's rewrite handles unit dilations only; dilated convolutions stay direct loops.
      bool unitDilations = llvm::all_of(conv.getDilations(), [](const APInt &d) { return d.isOne(); });
      if (resultType && f32 && unitDilations)
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      if (failed(linalg::rewriteInIm2Col(rewriter, conv)))
        return conv.emitError("internal error: im2col rewrite failed"), signalPassFailure();
    }
  }
};

} // namespace

//===- GraphSimplify.cpp - remove ops that do nothing at inference time ---------------------------------===//
#include "passes/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace sinter {
#define GEN_PASS_DEF_GRAPHSIMPLIFY
#include "passes/Passes.h.inc"
} // namespace sinter

using namespace mlir;
using namespace sinter::graph;

namespace {

/// Replaces `op`'s only result by `input` when their types are equal.
LogicalResult forwardIfSameType(Operation *op, Value input, Value result, PatternRewriter &rewriter) {
  if (input.getType() != result.getType())
    return rewriter.notifyMatchFailure(op, "changes the type");
  rewriter.replaceOp(op, input);
  return success();
}

struct ForwardIdentity : OpRewritePattern<IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IdentityOp op, PatternRewriter &rewriter) const override {
    return forwardIfSameType(op, op.getInput(), op.getOutput(), rewriter);
  }
};

struct ForwardSameTypeCast : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op, PatternRewriter &rewriter) const override {
    return forwardIfSameType(op, op.getInput(), op.getOutput(), rewriter);
  }
};

/// Reshape and Expand are no-ops when the (static) result type equals the input type.
template <typename OpTy>
struct ForwardStaticNoOpShape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result shape not static");
    return forwardIfSameType(op, op->getOperand(0), op->getResult(0), rewriter);
  }
};

struct ForwardIdentityTranspose : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    std::optional<ArrayRef<int64_t>> perm = op.getPerm();
    auto type = dyn_cast<RankedTensorType>(op.getData().getType());
    if (!type)
      return failure();
    // No perm means "reverse the dimensions", an identity only for rank <= 1.
    bool identity = perm ? llvm::equal(*perm, llvm::seq<int64_t>(0, type.getRank())) : type.getRank() <= 1;
    if (!identity)
      return rewriter.notifyMatchFailure(op, "permutes dimensions");
    return forwardIfSameType(op, op.getData(), op.getTransposed(), rewriter);
  }
};

struct ForwardInferenceDropout : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    Value training = op.getTrainingMode();
    if (!isa<NoneType>(training.getType()) && !matchPattern(training, m_Zero()))
      return rewriter.notifyMatchFailure(op, "training_mode may be true");
    if (!isa<NoneType>(op.getMask().getType()) && !op.getMask().use_empty())
      return rewriter.notifyMatchFailure(op, "mask is used");
    if (op.getData().getType() != op.getOutput().getType())
      return failure();
    rewriter.replaceAllUsesWith(op.getOutput(), op.getData());
    rewriter.eraseOp(op);
    return success();
  }
};

struct GraphSimplifyPass : sinter::impl::GraphSimplifyBase<GraphSimplifyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ForwardIdentity, ForwardSameTypeCast, ForwardStaticNoOpShape<ReshapeOp>,
                 ForwardStaticNoOpShape<ExpandOp>, ForwardIdentityTranspose, ForwardInferenceDropout>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

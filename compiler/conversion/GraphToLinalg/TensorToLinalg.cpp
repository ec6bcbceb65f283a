//===- TensorToLinalg.cpp - data-movement graph ops -> tensor/linalg -----------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace sinter {
namespace {

/// Reshape, Flatten, Squeeze and Unsqueeze only reinterpret a contiguous static tensor: collapse to 1-D and
/// expand to the result shape (both are views after bufferization).
template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    Value input = adaptor.getOperands()[0];
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!sourceResult || !inputType || !inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(this->getTypeConverter()->convertType(sourceResult));
    Location loc = op.getLoc();
    Value flat = input;
    if (inputType.getRank() != 1) {
      SmallVector<ReassociationIndices> all(1);
      for (int64_t i = 0; i < inputType.getRank(); ++i)
        all[0].push_back(i);
      flat = tensor::CollapseShapeOp::create(rewriter, loc, input, inputType.getRank() == 0
                                                                      ? SmallVector<ReassociationIndices>{}
                                                                      : all);
    }
    Value result = flat;
    if (resultType.getRank() != 1) {
      SmallVector<ReassociationIndices> all(1);
      for (int64_t i = 0; i < resultType.getRank(); ++i)
        all[0].push_back(i);
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, flat,
                                             resultType.getRank() == 0 ? SmallVector<ReassociationIndices>{} : all);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<graph::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = resultType.getRank();
    SmallVector<int64_t> perm;
    if (std::optional<ArrayRef<int64_t>> p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    Value init = emptyTensor(rewriter, op.getLoc(), resultType);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getData(), init, perm)
                               .getResults());
    return success();
  }
};

} // namespace

void populateGraphTensorToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ReshapeLikeLowering<graph::ReshapeOp>, ReshapeLikeLowering<graph::FlattenOp>,
               ReshapeLikeLowering<graph::SqueezeOp>, ReshapeLikeLowering<graph::UnsqueezeOp>, TransposeLowering>(
      converter, patterns.getContext());
}

} // namespace sinter

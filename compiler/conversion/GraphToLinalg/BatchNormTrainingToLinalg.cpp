//===- BatchNormTrainingToLinalg.cpp - BatchNormalization in training mode -> linalg ----------------------===//
//
// training_mode = 1 (NNToLinalg lowers inference mode): Y normalizes with the batch statistics, the mean and
// population variance over every dimension but the channel; the optional running_mean / running_var results
// are input_mean * momentum + batch_mean * (1 - momentum) (and likewise for the variance), as in the ONNX
// spec's reference.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace sinter {
namespace {

struct BatchNormalizationTrainingLowering : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getTrainingMode() == 0)
      return rewriter.notifyMatchFailure(op, "inference mode is lowered in NNToLinalg");
    RankedTensorType type = staticType(adaptor.getX());
    if (!type || type.getRank() < 2 || !staticResultType(op) || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static float input of rank >= 2");
    int64_t rank = type.getRank(), channels = type.getDimSize(1);
    Type element = type.getElementType();
    auto channelType = RankedTensorType::get({channels}, element);
    SmallVector<Value> params = {adaptor.getScale(), adaptor.getB(), adaptor.getInputMean(), adaptor.getInputVar()};
    for (Value p : params)
      if (staticType(p) != channelType)
        return rewriter.notifyMatchFailure(op, "parameters must be static [C] tensors of X's element type");
    for (unsigned i = 1; i < op->getNumResults(); ++i) {
      Value r = op->getResult(i);
      if (!isa<NoneType>(r.getType()) && !r.use_empty() && staticResultType(op, i) != channelType)
        return rewriter.notifyMatchFailure(op, "running statistics must be [C] tensors of X's element type");
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> reduced(rank, true);
    reduced[1] = false;
    int64_t count = type.getNumElements() / channels;
    Value zero = scalarConstant(rewriter, loc, element, 0);
    auto divideByCount = [&](OpBuilder &b, Location l, Value v) -> Value {
      return arith::DivFOp::create(b, l, v, scalarConstant(b, l, element, count));
    };
    Value sum = buildReduction(rewriter, loc, adaptor.getX(), reduced, zero, {},
                               [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) -> Value {
                                 return arith::AddFOp::create(b, l, acc, x);
                               });
    Value mean = mapElements(rewriter, loc, sum, element, divideByCount);
    Value squares = buildReduction(rewriter, loc, adaptor.getX(), reduced, zero, ValueRange{mean},
                                   [](OpBuilder &b, Location l, Value x, ValueRange extras, Value acc) -> Value {
                                     Value d = arith::SubFOp::create(b, l, x, extras[0]);
                                     return arith::AddFOp::create(b, l, acc, arith::MulFOp::create(b, l, d, d));
                                   });
    Value variance = mapElements(rewriter, loc, squares, element, divideByCount);

    double epsilon = op.getEpsilon().convertToDouble(), momentum = op.getMomentum().convertToDouble();
    AffineMap id = identityMap(ctx, rank), channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    auto y = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getX(), mean, variance, adaptor.getScale(), adaptor.getB()},
        ValueRange{emptyTensor(rewriter, loc, type)}, ArrayRef<AffineMap>{id, channel, channel, channel, channel, id},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange a) {
          Value centered = arith::SubFOp::create(b, l, a[0], a[1]);
          Value deviation = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, a[2], scalarConstant(b, l, element, epsilon)));
          Value normalized = arith::DivFOp::create(b, l, centered, deviation);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, normalized, a[3]), a[4]).getResult());
        });
    SmallVector<Value> results(op->getNumResults(), Value());
    results[0] = y.getResult(0);
    Value batchStatistics[] = {mean, variance}, inputs[] = {adaptor.getInputMean(), adaptor.getInputVar()};
    for (unsigned i = 1; i < op->getNumResults() && i <= 2; ++i) {
      Value r = op->getResult(i);
      if (isa<NoneType>(r.getType()) || r.use_empty())
        continue;
      AffineMap id1 = identityMap(ctx, 1);
      results[i] = linalg::GenericOp::create(
                       rewriter, loc, TypeRange{channelType}, ValueRange{inputs[i - 1], batchStatistics[i - 1]},
                       ValueRange{emptyTensor(rewriter, loc, channelType)}, ArrayRef<AffineMap>{id1, id1, id1},
                       parallelIterators(1),
                       [&](OpBuilder &b, Location l, ValueRange a) {
                         Value running = arith::MulFOp::create(b, l, a[0], scalarConstant(b, l, element, momentum));
                         Value batch = arith::MulFOp::create(b, l, a[1], scalarConstant(b, l, element, 1 - momentum));
                         linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, running, batch).getResult());
                       })
                       .getResult(0);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateGraphBatchNormTrainingToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BatchNormalizationTrainingLowering>(converter, patterns.getContext());
}

} // namespace sinter

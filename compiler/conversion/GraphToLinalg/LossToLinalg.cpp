//===- LossToLinalg.cpp - training losses -> linalg ------------------------------------------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (ONNX function ops, deterministic). Per target
// element one linalg.generic reads the class index, picks input[n, t, d...] and weight[t] with
// tensor.extract (an ignored target reads class 0 and contributes 0 with weight 0), and yields the weighted
// loss and the weight. reduction "none" returns the losses, "sum" their sum and "mean" their sum divided by
// the sum of the weights. SoftmaxCrossEntropyLoss first takes a max-shifted LogSoftmax over the class axis
// (its optional second result). Narrow floats are computed in f32.
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

Type computeType(Type element) {
  return element.getIntOrFloatBitWidth() < 32 ? Float32Type::get(element.getContext()) : element;
}

Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// A tensor's elements converted to the float type `to` (itself when it already has it).
Value convertTensor(OpBuilder &b, Location loc, Value v, Type to) {
  if (cast<RankedTensorType>(v.getType()).getElementType() == to)
    return v;
  return mapElements(b, loc, v, to, [&](OpBuilder &nb, Location l, Value x) { return convertFloat(nb, l, x, to); });
}

/// LogSoftmax of `x` along `axis`: x - max - log(sum(exp(x - max))).
Value logSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  auto element = cast<FloatType>(type.getElementType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<bool> mask(rank, false);
  mask[axis] = true;
  Value lowest =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(element, APFloat::getInf(element.getFloatSemantics(), true)));
  Value max = buildReduction(b, loc, x, mask, lowest, {}, [](OpBuilder &nb, Location l, Value v, ValueRange, Value acc) {
    return arith::MaximumFOp::create(nb, l, acc, v);
  });
  Value sum = buildReduction(b, loc, x, mask, scalarConstant(b, loc, element, 0), ValueRange{max},
                             [](OpBuilder &nb, Location l, Value v, ValueRange extras, Value acc) {
                               Value e = math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, v, extras[0]));
                               return arith::AddFOp::create(nb, l, acc, e);
                             });
  AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
  return linalg::GenericOp::create(b, loc, TypeRange{type}, ValueRange{x, max, sum},
                                   ValueRange{emptyTensor(b, loc, type)}, ArrayRef<AffineMap>{id, red, red, id},
                                   parallelIterators(rank),
                                   [](OpBuilder &nb, Location l, ValueRange args) {
                                     Value shifted = arith::SubFOp::create(nb, l, args[0], args[1]);
                                     linalg::YieldOp::create(
                                         nb, l, arith::SubFOp::create(nb, l, shifted, math::LogOp::create(nb, l, args[2]))
                                                    .getResult());
                                   })
      .getResult(0);
}

/// Checks the operand shapes of a loss: input [N, C, d...], target [N, d...], weight [C] (optional).
LogicalResult checkLossShapes(RankedTensorType input, RankedTensorType target, Value weight) {
  if (!input || !target || input.getRank() < 2 || target.getRank() != input.getRank() - 1)
    return failure();
  if (target.getDimSize(0) != input.getDimSize(0))
    return failure();
  for (int64_t d = 1; d < target.getRank(); ++d)
    if (target.getDimSize(d) != input.getDimSize(d + 1))
      return failure();
  if (weight && !isa<NoneType>(weight.getType())) {
    RankedTensorType w = staticType(weight);
    if (!w || w.getRank() != 1 || w.getDimSize(0) != input.getDimSize(1))
      return failure();
  }
  return success();
}

/// The negative log-likelihood loss of `logProb` ([N, C, d...], in the compute type) at `target`, reduced as
/// `reduction` says, converted to `resultType`.
Value nllLoss(OpBuilder &b, Location loc, Value logProb, Value target, Value weight, std::optional<int64_t> ignoreIndex,
              StringRef reduction, RankedTensorType resultType) {
  auto inputType = cast<RankedTensorType>(logProb.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  Type compute = inputType.getElementType();
  int64_t classes = inputType.getDimSize(1), rank = targetType.getRank();
  MLIRContext *ctx = b.getContext();
  auto perElement = RankedTensorType::get(targetType.getShape(), compute);
  AffineMap id = identityMap(ctx, rank);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{perElement, perElement}, ValueRange{target},
      ValueRange{emptyTensor(b, loc, perElement), emptyTensor(b, loc, perElement)}, ArrayRef<AffineMap>{id, id, id},
      parallelIterators(rank), [&](OpBuilder &nb, Location l, ValueRange args) {
        Value t = args[0];
        Type tt = t.getType();
        Value zeroT = arith::ConstantOp::create(nb, l, nb.getIntegerAttr(tt, 0));
        // Class indices outside [0, C) are invalid input (ONNX leaves them undefined): read class 0 rather
        // than out of bounds; an ignored target reads class 0 and is masked below.
        Value maxT = arith::ConstantOp::create(nb, l, nb.getIntegerAttr(tt, classes - 1));
        Value inRange = arith::AndIOp::create(
            nb, l, arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, t, zeroT),
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, t, maxT));
        Value ignored;
        if (ignoreIndex)
          ignored = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, t,
                                          arith::ConstantOp::create(nb, l, nb.getIntegerAttr(tt, *ignoreIndex)));
        Value safe = arith::SelectOp::create(nb, l, inRange, t, zeroT);
        Value cls = arith::IndexCastOp::create(nb, l, nb.getIndexType(), safe);
        SmallVector<Value> coords = {linalg::IndexOp::create(nb, l, 0), cls};
        for (int64_t d = 1; d < rank; ++d)
          coords.push_back(linalg::IndexOp::create(nb, l, d));
        Value v = tensor::ExtractOp::create(nb, l, logProb, coords);
        Value w = weight ? Value(tensor::ExtractOp::create(nb, l, weight, ValueRange{cls}))
                         : scalarConstant(nb, l, compute, 1);
        Value loss = arith::NegFOp::create(nb, l, arith::MulFOp::create(nb, l, v, w));
        if (ignored) {
          Value zero = scalarConstant(nb, l, compute, 0);
          loss = arith::SelectOp::create(nb, l, ignored, zero, loss);
          w = arith::SelectOp::create(nb, l, ignored, zero, w);
        }
        linalg::YieldOp::create(nb, l, ValueRange{loss, w});
      });
  Value losses = generic.getResult(0), weights = generic.getResult(1);
  Type element = resultType.getElementType();
  if (reduction == "none")
    return convertTensor(b, loc, losses, element);
  SmallVector<bool> all(rank, true);
  auto add = [](OpBuilder &nb, Location l, Value v, ValueRange, Value acc) -> Value {
    return arith::AddFOp::create(nb, l, acc, v);
  };
  Value zero = scalarConstant(b, loc, compute, 0);
  Value sum = buildReduction(b, loc, losses, all, zero, {}, add);
  if (reduction == "mean") {
    Value weightSum = buildReduction(b, loc, weights, all, zero, {}, add);
    auto scalar = RankedTensorType::get({}, compute);
    AffineMap none = AffineMap::get(0, 0, {}, ctx);
    sum = linalg::GenericOp::create(b, loc, TypeRange{scalar}, ValueRange{sum, weightSum},
                                    ValueRange{emptyTensor(b, loc, scalar)}, ArrayRef<AffineMap>{none, none, none},
                                    ArrayRef<utils::IteratorType>{},
                                    [](OpBuilder &nb, Location l, ValueRange args) {
                                      linalg::YieldOp::create(nb, l,
                                                              arith::DivFOp::create(nb, l, args[0], args[1]).getResult());
                                    })
              .getResult(0);
  }
  return convertTensor(b, loc, sum, element);
}

bool validReduction(StringRef reduction) { return llvm::is_contained({"none", "sum", "mean"}, reduction); }

/// The loss result type that `reduction` requires: the target's shape for "none", a scalar otherwise.
bool lossResultMatches(RankedTensorType result, RankedTensorType target, StringRef reduction) {
  if (reduction == "none")
    return result.getShape() == target.getShape();
  return result.getRank() == 0;
}

struct NegativeLogLikelihoodLossLowering : OpConversionPattern<graph::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    RankedTensorType targetType = staticType(adaptor.getTarget());
    StringRef reduction = op.getReduction();
    if (!resultType || failed(checkLossShapes(inputType, targetType, adaptor.getWeight())))
      return rewriter.notifyMatchFailure(op, "needs static shapes input [N, C, d...], target [N, d...], weight [C]");
    if (!validReduction(reduction) || !lossResultMatches(resultType, targetType, reduction))
      return rewriter.notifyMatchFailure(op, "reduction must be none, sum or mean, with a matching result shape");
    Location loc = op.getLoc();
    Type compute = computeType(inputType.getElementType());
    Value input = convertTensor(rewriter, loc, adaptor.getInput(), compute);
    Value weight;
    if (!isa<NoneType>(adaptor.getWeight().getType()))
      weight = convertTensor(rewriter, loc, adaptor.getWeight(), compute);
    std::optional<int64_t> ignore;
    if (auto attr = op.getIgnoreIndex())
      ignore = *attr;
    rewriter.replaceOp(op, nllLoss(rewriter, loc, input, adaptor.getTarget(), weight, ignore, reduction, resultType));
    return success();
  }
};

struct SoftmaxCrossEntropyLossLowering : OpConversionPattern<graph::SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::SoftmaxCrossEntropyLossOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType scoresType = staticType(adaptor.getScores());
    RankedTensorType labelsType = staticType(adaptor.getLabels());
    StringRef reduction = op.getReduction();
    if (!resultType || failed(checkLossShapes(scoresType, labelsType, adaptor.getWeights())))
      return rewriter.notifyMatchFailure(op, "needs static shapes scores [N, C, d...], labels [N, d...], weights [C]");
    if (!validReduction(reduction) || !lossResultMatches(resultType, labelsType, reduction))
      return rewriter.notifyMatchFailure(op, "reduction must be none, sum or mean, with a matching result shape");
    Value logProbResult = op.getLogProb();
    bool wantLogProb = !isa<NoneType>(logProbResult.getType()) && !logProbResult.use_empty();
    if (wantLogProb) {
      RankedTensorType lpType = staticResultType(op, 1);
      if (!lpType || lpType.getShape() != scoresType.getShape())
        return rewriter.notifyMatchFailure(op, "log_prob needs the scores' static shape");
    }
    Location loc = op.getLoc();
    Type element = scoresType.getElementType(), compute = computeType(element);
    Value logProb = logSoftmax(rewriter, loc, convertTensor(rewriter, loc, adaptor.getScores(), compute), 1);
    Value weight;
    if (!isa<NoneType>(adaptor.getWeights().getType()))
      weight = convertTensor(rewriter, loc, adaptor.getWeights(), compute);
    std::optional<int64_t> ignore;
    if (auto attr = op.getIgnoreIndex())
      ignore = *attr;
    SmallVector<Value> results = {
        nllLoss(rewriter, loc, logProb, adaptor.getLabels(), weight, ignore, reduction, resultType)};
    if (op->getNumResults() > 1) {
      // An unused log_prob (absent or dropped) needs no replacement.
      results.push_back(wantLogProb ? convertTensor(rewriter, loc, logProb, element) : Value());
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateGraphLossToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<NegativeLogLikelihoodLossLowering, SoftmaxCrossEntropyLossLowering>(converter, patterns.getContext());
}

} // namespace sinter

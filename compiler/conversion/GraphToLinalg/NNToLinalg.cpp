//===- NNToLinalg.cpp - normalization, softmax, convolution, pooling, DFT -> linalg ---------------------===//
//
// Softmax/LogSoftmax subtract the maximum along the axis before exponentiating. Normalizations reduce mean
// and (population) variance with linalg.generic reductions and apply the affine part in one elementwise
// pass. Convolutions use linalg's named NC(H)W convolutions (group 1, depthwise with multiplier 1) and a
// grouped linalg.generic otherwise, after padding the input with tensor.pad; ConvTranspose is a grouped
// generic over the stride-dilated input with the flipped kernel; pools use the named NC(H)W pooling ops. DFT is a dense contraction against compile-time cos/sin matrices (the FFT-as-matmul view).
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/conversion/RuntimeCheck.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;

namespace sinter {
namespace {

//===----------------------------------------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------------------------------------===//

/// -inf (or the smallest integer) of `type`, the identity of max.
Value lowestValue(OpBuilder &b, Location loc, Type type) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(type.getIntOrFloatBitWidth())));
}

Value extendTo(OpBuilder &b, Location loc, Value v, Type t) {
  return v.getType() == t ? v : Value(arith::ExtFOp::create(b, loc, t, v));
}

Value truncateTo(OpBuilder &b, Location loc, Value v, Type t) {
  return v.getType() == t ? v : Value(arith::TruncFOp::create(b, loc, t, v));
}

/// Replacements for an op's results beyond the first (null: unused, checked by the caller or filled in later).
SmallVector<Value> withUnusedResults(Operation *op, Value first) {
  SmallVector<Value> values = {first};
  values.resize(op->getNumResults(), Value());
  return values;
}

bool extraResultsUnused(Operation *op) {
  return llvm::all_of(op->getResults().drop_front(), [](Value v) { return v.use_empty(); });
}

/// The mean and population variance of `x` (converted to `compute`) over the dimensions in `mask`, in the
/// reduced shape.
std::pair<Value, Value> meanAndVariance(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask, Type compute) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t count = 1;
  for (auto [d, r] : llvm::enumerate(mask))
    if (r)
      count *= type.getDimSize(d);
  Value zero = scalarConstant(b, loc, compute, 0);
  Value sum = buildReduction(b, loc, x, mask, zero, {}, [&](OpBuilder &nb, Location l, Value v, ValueRange, Value acc) {
    return arith::AddFOp::create(nb, l, acc, extendTo(nb, l, v, compute));
  });
  auto divideByCount = [&](OpBuilder &nb, Location l, Value v) -> Value {
    return arith::DivFOp::create(nb, l, v, scalarConstant(nb, l, compute, count));
  };
  Value mean = mapElements(b, loc, sum, compute, divideByCount);
  Value squares = buildReduction(b, loc, x, mask, zero, ValueRange{mean},
                                 [&](OpBuilder &nb, Location l, Value v, ValueRange extras, Value acc) {
                                   Value d = arith::SubFOp::create(nb, l, extendTo(nb, l, v, compute), extras[0]);
                                   return arith::AddFOp::create(nb, l, acc, arith::MulFOp::create(nb, l, d, d));
                                 });
  return {mean, mapElements(b, loc, squares, compute, divideByCount)};
}

//===----------------------------------------------------------------------------------------------------===//
// Softmax, LogSoftmax
//===----------------------------------------------------------------------------------------------------===//

template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getInput());
    if (!type || !staticResultType(op) || type.getRank() == 0 || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static floating-point input");
    int64_t rank = type.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    Type element = type.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    Value x = adaptor.getInput();
    Value max = buildReduction(rewriter, loc, x, mask, lowestValue(rewriter, loc, element), {},
                               [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                 return arith::MaximumFOp::create(b, l, acc, v);
                               });
    Value sum = buildReduction(rewriter, loc, x, mask, scalarConstant(rewriter, loc, element, 0), ValueRange{max},
                               [](OpBuilder &b, Location l, Value v, ValueRange extras, Value acc) {
                                 Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, v, extras[0]));
                                 return arith::AddFOp::create(b, l, acc, e);
                               });
    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{x, max, sum}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{id, red, red, id}, parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
          Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
          Value y = isLog ? Value(arith::SubFOp::create(b, l, shifted, math::LogOp::create(b, l, args[2])))
                          : Value(arith::DivFOp::create(b, l, math::ExpOp::create(b, l, shifted), args[2]));
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------------------------------------===//

/// LayerNormalization over dimensions [axis, rank): Y = (X - mean) / sqrt(var + epsilon) * Scale + B, with the
/// statistics computed in f32 for narrower inputs (stash_type 1). Only Y may be used.
struct LayerNormalizationLowering : OpConversionPattern<graph::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::LayerNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getX());
    if (!type || !staticResultType(op) || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = type.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    // Mean and InvStdDev, when used, have X's shape with the normalized dimensions kept as 1.
    for (Value extra : op->getResults().drop_front()) {
      auto extraType = dyn_cast<RankedTensorType>(extra.getType());
      if (!extra.use_empty() && (!extraType || !extraType.hasStaticShape() || extraType.getRank() != rank ||
                                 !isa<FloatType>(extraType.getElementType())))
        return rewriter.notifyMatchFailure(op, "Mean/InvStdDev results need static ranked float types");
    }
    bool hasBias = !isa<NoneType>(op.getB().getType());
    SmallVector<Value> params = {adaptor.getScale()};
    if (hasBias)
      params.push_back(adaptor.getB());
    for (Value p : params) {
      RankedTensorType pt = staticType(p);
      if (!pt || pt.getRank() > rank - axis)
        return rewriter.notifyMatchFailure(op, "Scale/B must be static and broadcast to the normalized shape");
      for (int64_t i = 0; i < pt.getRank(); ++i) {
        int64_t d = pt.getDimSize(i), xd = type.getDimSize(rank - pt.getRank() + i);
        if (d != 1 && d != xd)
          return rewriter.notifyMatchFailure(op, "Scale/B do not broadcast to the normalized shape");
      }
    }
    Type element = type.getElementType();
    Type compute = element;
    if (op.getStashType() == 1 && element.getIntOrFloatBitWidth() < 32)
      compute = rewriter.getF32Type();
    double epsilon = op.getEpsilon().convertToDouble();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> mask(rank, false);
    for (int64_t d = axis; d < rank; ++d)
      mask[d] = true;
    auto [mean, variance] = meanAndVariance(rewriter, loc, adaptor.getX(), mask, compute);

    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    SmallVector<Value> inputs = {adaptor.getX(), mean, variance};
    SmallVector<AffineMap> maps = {id, red, red};
    for (Value p : params) {
      inputs.push_back(p);
      maps.push_back(broadcastIndexingMap(ctx, cast<RankedTensorType>(p.getType()), type.getShape()));
    }
    maps.push_back(id);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, inputs, ValueRange{emptyTensor(rewriter, loc, type)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value d = arith::SubFOp::create(b, l, extendTo(b, l, args[0], compute), args[1]);
          Value std = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[2], scalarConstant(b, l, compute, epsilon)));
          Value y = truncateTo(b, l, arith::DivFOp::create(b, l, d, std), element);
          y = arith::MulFOp::create(b, l, y, args[3]);
          if (hasBias)
            y = arith::AddFOp::create(b, l, y, args[4]);
          linalg::YieldOp::create(b, l, y);
        });
    SmallVector<Value> results = withUnusedResults(op, generic.getResult(0));
    // Mean: the statistics' mean; InvStdDev: 1 / sqrt(variance + epsilon); both in the results' type, with
    // the normalized dimensions restored as size 1.
    Value statistics[] = {mean, variance};
    for (auto [index, statistic] : llvm::enumerate(statistics)) {
      Value extra = op->getResult(index + 1);
      if (extra.use_empty())
        continue;
      auto extraType = cast<RankedTensorType>(extra.getType());
      Type extraElement = extraType.getElementType();
      bool inverse = index == 1;
      Value value = mapElements(rewriter, loc, statistic, extraElement, [&](OpBuilder &b, Location l, Value v) {
        if (inverse) {
          Value std = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, v, scalarConstant(b, l, compute, epsilon)));
          v = arith::DivFOp::create(b, l, scalarConstant(b, l, compute, 1.0), std);
        }
        unsigned from = v.getType().getIntOrFloatBitWidth(), to = extraElement.getIntOrFloatBitWidth();
        return from < to ? extendTo(b, l, v, extraElement) : truncateTo(b, l, v, extraElement);
      });
      results[index + 1] = expandReduced(rewriter, loc, value, mask, extraType);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// InstanceNormalization: per (n, c) statistics over the spatial dimensions; scale and B per channel.
struct InstanceNormalizationLowering : OpConversionPattern<graph::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::InstanceNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getInput());
    RankedTensorType scaleType = staticType(adaptor.getScale()), biasType = staticType(adaptor.getB());
    if (!type || !staticResultType(op) || type.getRank() < 3 || !scaleType || !biasType ||
        scaleType.getRank() != 1 || biasType.getRank() != 1 || scaleType.getDimSize(0) != type.getDimSize(1) ||
        biasType.getDimSize(0) != type.getDimSize(1))
      return rewriter.notifyMatchFailure(op, "needs static shapes: input [N, C, ...], scale and B [C]");
    int64_t rank = type.getRank();
    Type element = type.getElementType();
    double epsilon = op.getEpsilon().convertToDouble();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    auto [mean, variance] = meanAndVariance(rewriter, loc, adaptor.getInput(), mask, element);
    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput(), mean, variance, adaptor.getScale(), adaptor.getB()},
        ValueRange{emptyTensor(rewriter, loc, type)}, ArrayRef<AffineMap>{id, red, red, channel, channel, id},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value d = arith::SubFOp::create(b, l, args[0], args[1]);
          Value std = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[2], scalarConstant(b, l, element, epsilon)));
          Value y = arith::MulFOp::create(b, l, arith::DivFOp::create(b, l, d, std), args[3]);
          linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, y, args[4]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// BatchNormalization (inference): per channel a = scale / sqrt(var + eps), c = B - mean * a; Y = X * a + c.
struct BatchNormalizationLowering : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getX());
    if (!type || !staticResultType(op) || type.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (op.getTrainingMode() != 0)
      return rewriter.notifyMatchFailure(op, "training mode is not supported");
    if (!extraResultsUnused(op))
      return rewriter.notifyMatchFailure(op, "the running_mean/running_var results are not supported");
    int64_t channels = type.getDimSize(1);
    Type element = type.getElementType();
    SmallVector<Value> params = {adaptor.getScale(), adaptor.getB(), adaptor.getInputMean(), adaptor.getInputVar()};
    for (Value p : params) {
      RankedTensorType pt = staticType(p);
      if (!pt || pt.getRank() != 1 || pt.getDimSize(0) != channels || pt.getElementType() != element)
        return rewriter.notifyMatchFailure(op, "parameters must be static [C] tensors of X's element type");
    }
    double epsilon = op.getEpsilon().convertToDouble();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto channelType = RankedTensorType::get({channels}, element);
    AffineMap id1 = identityMap(ctx, 1);
    auto coefficients = linalg::GenericOp::create(
        rewriter, loc, TypeRange{channelType, channelType}, params,
        ValueRange{emptyTensor(rewriter, loc, channelType), emptyTensor(rewriter, loc, channelType)},
        SmallVector<AffineMap>(6, id1), parallelIterators(1), [&](OpBuilder &b, Location l, ValueRange args) {
          Value std = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[3], scalarConstant(b, l, element, epsilon)));
          Value a = arith::DivFOp::create(b, l, args[0], std);
          Value c = arith::SubFOp::create(b, l, args[1], arith::MulFOp::create(b, l, args[2], a));
          linalg::YieldOp::create(b, l, ValueRange{a, c});
        });
    int64_t rank = type.getRank();
    AffineMap id = identityMap(ctx, rank), channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getX(), coefficients.getResult(0), coefficients.getResult(1)},
        ValueRange{emptyTensor(rewriter, loc, type)}, ArrayRef<AffineMap>{id, channel, channel, id},
        parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
          Value y = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, args[0], args[1]), args[2]);
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, withUnusedResults(op, generic.getResult(0)));
    return success();
  }
};

/// LpNormalization (p = 1 or 2) along one axis: Y = X / norm.
struct LpNormalizationLowering : OpConversionPattern<graph::LpNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::LpNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getInput());
    if (!type || !staticResultType(op) || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t p = op.getP();
    if (p != 1 && p != 2)
      return rewriter.notifyMatchFailure(op, "p must be 1 or 2");
    int64_t rank = type.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    Type element = type.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    Value norm = buildReduction(rewriter, loc, adaptor.getInput(), mask, scalarConstant(rewriter, loc, element, 0), {},
                                [&](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                  Value t = p == 1 ? Value(math::AbsFOp::create(b, l, v))
                                                   : Value(arith::MulFOp::create(b, l, v, v));
                                  return arith::AddFOp::create(b, l, acc, t);
                                });
    if (p == 2)
      norm = mapElements(rewriter, loc, norm, element,
                         [](OpBuilder &b, Location l, Value v) -> Value { return math::SqrtOp::create(b, l, v); });
    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput(), norm}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{id, red, id}, parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, args[0], args[1]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// MeanVarianceNormalization over `axes` (ONNX's function): (X - mean) / (sqrt(variance) + 1e-9).
struct MeanVarianceNormalizationLowering : OpConversionPattern<graph::MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MeanVarianceNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getX());
    if (!type || !staticResultType(op) || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes = {0, 2, 3};
    if (std::optional<ArrayRef<int64_t>> a = op.getAxes())
      axes.assign(a->begin(), a->end());
    SmallVector<bool> mask(rank, false);
    for (int64_t a : axes) {
      if (a < -rank || a >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      mask[normalizeAxis(a, rank)] = true;
    }
    Type element = type.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto [mean, variance] = meanAndVariance(rewriter, loc, adaptor.getX(), mask, element);
    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getX(), mean, variance},
        ValueRange{emptyTensor(rewriter, loc, type)}, ArrayRef<AffineMap>{id, red, red, id}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value std = arith::AddFOp::create(b, l, math::SqrtOp::create(b, l, args[2]), scalarConstant(b, l, element, 1e-9));
          Value d = arith::SubFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, d, std).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// LRN across channels: Y = X / (bias + alpha / size * sum of X^2 over the channel window)^beta, the window
/// [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to the channels (an extra reduction loop).
struct LRNLowering : OpConversionPattern<graph::LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::LRNOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getX());
    int64_t size = op.getSize();
    if (!type || !staticResultType(op) || type.getRank() < 2 || size <= 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 2 and a positive size");
    int64_t rank = type.getRank(), channels = type.getDimSize(1), before = (size - 1) / 2;
    Type element = type.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<int64_t> window(size);
    for (int64_t k = 0; k < size; ++k)
      window[k] = k - before;
    Value offsets = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(RankedTensorType::get({size}, rewriter.getI64Type()), window));
    Value x = adaptor.getX();
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);
    AffineMap out = AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank);
    Value sums = linalg::GenericOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{offsets},
                     ValueRange{filledTensor(rewriter, loc, type, scalarConstant(rewriter, loc, element, 0))},
                     ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, {getAffineDimExpr(rank, ctx)}, ctx), out},
                     iterators, [&](OpBuilder &b, Location l, ValueRange args) {
                       Value c = arith::AddIOp::create(b, l, linalg::IndexOp::create(b, l, 1),
                                                       arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]));
                       Value zero = arith::ConstantIndexOp::create(b, l, 0);
                       Value last = arith::ConstantIndexOp::create(b, l, channels - 1);
                       Value inside = arith::AndIOp::create(
                           b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, c, zero),
                           arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, c, last));
                       SmallVector<Value> coords;
                       for (int64_t d = 0; d < rank; ++d)
                         coords.push_back(d == 1 ? Value(arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, c, zero), last))
                                                 : Value(linalg::IndexOp::create(b, l, d)));
                       Value v = tensor::ExtractOp::create(b, l, x, coords);
                       Value sum = arith::AddFOp::create(b, l, args[1], arith::MulFOp::create(b, l, v, v));
                       linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, inside, sum, args[1]).getResult());
                     })
                     .getResult(0);
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble(),
           bias = op.getBias().convertToDouble();
    AffineMap id = identityMap(ctx, rank);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{x, sums}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{id, id, id}, parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value scaled = arith::MulFOp::create(b, l, args[1], scalarConstant(b, l, element, alpha / size));
          Value base = arith::AddFOp::create(b, l, scaled, scalarConstant(b, l, element, bias));
          Value denom = math::PowFOp::create(b, l, base, scalarConstant(b, l, element, beta));
          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, args[0], denom).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Hardmax, Dropout
//===----------------------------------------------------------------------------------------------------===//

/// Hardmax: 1 at the first maximum along the axis, 0 elsewhere (a max reduction, then a reduction for the
/// first index holding it).
struct HardmaxLowering : OpConversionPattern<graph::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::HardmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getInput());
    if (!type || !staticResultType(op) || type.getRank() == 0 || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static floating-point input");
    int64_t rank = type.getRank(), axis = normalizeAxis(op.getAxis(), rank), dim = type.getDimSize(axis);
    Type element = type.getElementType(), i64 = rewriter.getI64Type();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    Value x = adaptor.getInput();
    Value max = buildReduction(rewriter, loc, x, mask, lowestValue(rewriter, loc, element), {},
                               [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                 return arith::MaximumFOp::create(b, l, acc, v);
                               });
    Value first = buildReduction(
        rewriter, loc, x, mask, scalarConstant(rewriter, loc, i64, dim), ValueRange{max},
        [&](OpBuilder &b, Location l, Value v, ValueRange extras, Value acc) -> Value {
          Value j = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value isMax = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, v, extras[0]);
          Value candidate = arith::SelectOp::create(b, l, isMax, j, acc);
          return arith::MinSIOp::create(b, l, acc, candidate);
        });
    AffineMap id = identityMap(ctx, rank), red = reducedMap(ctx, mask);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{first}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{red, id}, parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value j = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value hot = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, j, args[0]);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, hot, scalarConstant(b, l, element, 1),
                                                                scalarConstant(b, l, element, 0))
                                            .getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Dropout where it is deterministic: inference (no training_mode, or false) or a ratio of 0. The output is
/// the input and the mask all true. Training mode with another ratio draws random numbers, which Sinter does
/// not generate: refused when both are constants, else checked at run time (training_mode or ratio inputs).
struct DropoutLowering : OpConversionPattern<graph::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::DropoutOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = staticType(adaptor.getData());
    if (!type || !staticResultType(op))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    // training: 0 / 1 when constant, -1 when an input; ratio: its constant value (default 0.5), or none.
    int training = 0;
    if (!isa<NoneType>(op.getTrainingMode().getType())) {
      DenseIntElementsAttr attr;
      training = matchPattern(op.getTrainingMode(), m_Constant(&attr)) && attr.getNumElements() == 1
                     ? !(*attr.getValues<APInt>().begin()).isZero()
                     : -1;
    }
    std::optional<double> ratio = 0.5;
    if (!isa<NoneType>(op.getRatio().getType()))
      ratio = constantFloatValue(op.getRatio());
    bool random = training != 0 && (!ratio || *ratio != 0);
    if (random && training == 1 && ratio)
      return rewriter.notifyMatchFailure(op, "training mode with a ratio that is not a constant 0 is random");
    Value trainingMode = adaptor.getTrainingMode(), ratioValue = adaptor.getRatio();
    if (random)
      for (Value v : {trainingMode, ratioValue}) // absent ones (none) have no tensor type
        if (RankedTensorType t = staticType(v); t && t.getNumElements() != 1)
          return rewriter.notifyMatchFailure(op, "needs one-element ratio and training_mode");
    if (random)
      emitRuntimeCheck(rewriter, op.getLoc(),
                       describeNode(op) + ": training_mode is true and ratio is not 0 (dropout draws random numbers, "
                                          "which Sinter does not generate)",
                       [&](OpBuilder &b, Location l) -> Value {
                         Value off = arith::ConstantIntOp::create(b, l, 1, training == 0);
                         if (training < 0)
                           off = arith::XOrIOp::create(b, l, scalarOf(b, l, trainingMode), arith::ConstantIntOp::create(b, l, 1, 1));
                         Value zeroRatio = arith::ConstantIntOp::create(b, l, 1, ratio && *ratio == 0);
                         if (!ratio) {
                           Value r = scalarOf(b, l, ratioValue);
                           zeroRatio = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, r,
                                                             scalarConstant(b, l, r.getType(), 0.0));
                         }
                         return arith::OrIOp::create(b, l, off, zeroRatio);
                       });
    SmallVector<Value> results = {adaptor.getData()};
    if (op->getNumResults() > 1) {
      Value mask = op.getMask();
      RankedTensorType maskType = staticResultType(op, 1);
      if (mask.use_empty() || !maskType)
        results.push_back(Value());
      else
        results.push_back(filledTensor(rewriter, op.getLoc(), maskType,
                                       arith::ConstantIntOp::create(rewriter, op.getLoc(), 1, 1)));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------------------------------------===//

/// Spatial window parameters with explicit pads (auto_pad resolved).
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, low, high;
};

/// Resolves strides/dilations defaults and the padding (explicit pads or auto_pad) for `inputShape`'s
/// spatial dimensions (2..rank).
FailureOr<Window> resolveWindow(ArrayRef<int64_t> inputShape, ArrayRef<int64_t> kernel, StringRef autoPad,
                                std::optional<ArrayRef<int64_t>> strides, std::optional<ArrayRef<int64_t>> dilations,
                                std::optional<ArrayRef<int64_t>> pads) {
  size_t n = kernel.size();
  if (inputShape.size() != n + 2 || (strides && strides->size() != n) || (dilations && dilations->size() != n) ||
      (pads && pads->size() != 2 * n))
    return failure();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = strides ? SmallVector<int64_t>(*strides) : SmallVector<int64_t>(n, 1);
  w.dilations = dilations ? SmallVector<int64_t>(*dilations) : SmallVector<int64_t>(n, 1);
  w.low.assign(n, 0);
  w.high.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (w.strides[i] <= 0 || w.dilations[i] <= 0 || w.kernel[i] <= 0)
      return failure();
    int64_t in = inputShape[i + 2], effective = (w.kernel[i] - 1) * w.dilations[i] + 1;
    if (autoPad == "NOTSET") {
      if (pads) {
        w.low[i] = (*pads)[i];
        w.high[i] = (*pads)[i + n];
      }
    } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + effective - in);
      int64_t smaller = total / 2, larger = total - smaller;
      w.low[i] = autoPad == "SAME_UPPER" ? smaller : larger;
      w.high[i] = autoPad == "SAME_UPPER" ? larger : smaller;
    } else if (autoPad != "VALID") {
      return failure();
    }
    if (w.low[i] < 0 || w.high[i] < 0)
      return failure();
  }
  return w;
}

/// tensor.pad of the spatial dimensions (2..rank) of `x` with `value`; returns `x` when nothing is padded.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value value) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) && llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> lo = {0, 0}, hi = {0, 0}, shape(type.getShape());
  lo.append(low.begin(), low.end());
  hi.append(high.begin(), high.end());
  for (size_t d = 0; d < shape.size(); ++d)
    shape[d] += lo[d] + hi[d];
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, paddedType, x, indexAttrs(b.getContext(), lo), indexAttrs(b.getContext(), hi),
                               value);
}

/// Conv: zero padding, then linalg.conv_{1,2,3}d_nc..._fc... (group 1), linalg.depthwise_conv_* (group = C
/// with one filter per channel), or a grouped linalg.generic. The output starts from the broadcast bias.
struct ConvLowering : OpConversionPattern<graph::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), wType = staticType(adaptor.getW());
    if (!resultType || !xType || !wType || xType.getRank() != wType.getRank() || xType.getRank() < 3 ||
        xType.getRank() > 5)
      return rewriter.notifyMatchFailure(op, "needs static shapes with 1-3 spatial dimensions");
    int64_t rank = xType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    if (std::optional<ArrayRef<int64_t>> k = op.getKernelShape(); k && *k != kernel)
      return rewriter.notifyMatchFailure(op, "kernel_shape disagrees with W");
    FailureOr<Window> window =
        resolveWindow(xType.getShape(), kernel, op.getAutoPad(), op.getStrides(), op.getDilations(), op.getPads());
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes");
    int64_t group = op.getGroup(), n = xType.getDimSize(0), c = xType.getDimSize(1), m = wType.getDimSize(0),
            cg = wType.getDimSize(1);
    if (group <= 0 || c != cg * group || m % group != 0 || resultType.getDimSize(0) != n ||
        resultType.getDimSize(1) != m)
      return rewriter.notifyMatchFailure(op, "channel counts disagree with group");
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t extent = xType.getDimSize(i + 2) + window->low[i] + window->high[i];
      int64_t effective = (kernel[i] - 1) * window->dilations[i] + 1;
      if (extent < effective || (extent - effective) / window->strides[i] + 1 != resultType.getDimSize(i + 2))
        return rewriter.notifyMatchFailure(op, "output shape disagrees with the window");
    }
    bool hasBias = !isa<NoneType>(op.getB().getType());
    if (hasBias) {
      RankedTensorType bType = staticType(adaptor.getB());
      if (!bType || bType.getRank() != 1 || bType.getDimSize(0) != m)
        return rewriter.notifyMatchFailure(op, "B must be a static [M] tensor");
    }

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = resultType.getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    Value x = padSpatial(rewriter, loc, adaptor.getX(), window->low, window->high, zero);
    Value init;
    if (hasBias) {
      AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
      init = linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getB()},
                                       ValueRange{emptyTensor(rewriter, loc, resultType)},
                                       ArrayRef<AffineMap>{channel, identityMap(ctx, rank)}, parallelIterators(rank),
                                       [](OpBuilder &b, Location l, ValueRange args) {
                                         linalg::YieldOp::create(b, l, args[0]);
                                       })
                 .getResult(0);
    } else {
      init = filledTensor(rewriter, loc, resultType, zero);
    }
    Attribute strides = rewriter.getI64TensorAttr(window->strides);
    Attribute dilations = rewriter.getI64TensorAttr(window->dilations);
    Value w = adaptor.getW();
    SmallVector<Type> resultTypes = {resultType};
    Value result;
    if (group == 1) {
      SmallVector<Value> ins = {x, w};
      if (spatial == 1)
        result = linalg::Conv1DNcwFcwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations).getResult(0);
      else if (spatial == 2)
        result = linalg::Conv2DNchwFchwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations).getResult(0);
      else
        result =
            linalg::Conv3DNcdhwFcdhwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations).getResult(0);
    } else if (group == c && cg == 1 && m == c) {
      // Depthwise with multiplier 1: W [C, 1, k...] -> [C, k...].
      SmallVector<ReassociationIndices> groups = {{0, 1}};
      for (int64_t i = 0; i < spatial; ++i)
        groups.push_back({i + 2});
      Value filter = tensor::CollapseShapeOp::create(rewriter, loc, w, groups);
      SmallVector<Value> ins = {x, filter};
      if (spatial == 1)
        result =
            linalg::DepthwiseConv1DNcwCwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations).getResult(0);
      else if (spatial == 2)
        result = linalg::DepthwiseConv2DNchwChwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations)
                     .getResult(0);
      else
        result = linalg::DepthwiseConv3DNcdhwCdhwOp::create(rewriter, loc, resultTypes, ins, init, strides, dilations)
                     .getResult(0);
    } else {
      result = groupedConvolution(rewriter, loc, x, w, init, group, *window);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  /// X [N, G*Cg, s...], W [G*Mg, Cg, k...], init [N, G*Mg, o...]: expand the group dimension out and
  /// contract over loops (n, g, mg, o..., cg, k...).
  static Value groupedConvolution(OpBuilder &b, Location loc, Value x, Value w, Value init, int64_t group,
                                  const Window &window) {
    MLIRContext *ctx = b.getContext();
    auto xType = cast<RankedTensorType>(x.getType()), wType = cast<RankedTensorType>(w.getType()),
         oType = cast<RankedTensorType>(init.getType());
    int64_t spatial = xType.getRank() - 2;
    Type element = xType.getElementType();
    auto splitSecond = [&](RankedTensorType t, int64_t outer, int64_t inner, bool first) {
      SmallVector<int64_t> shape;
      SmallVector<ReassociationIndices> groups;
      int64_t d = 0;
      for (int64_t i = 0; i < t.getRank(); ++i) {
        bool split = first ? i == 0 : i == 1;
        if (split) {
          shape.push_back(outer);
          shape.push_back(inner);
          groups.push_back({d, d + 1});
          d += 2;
        } else {
          shape.push_back(t.getDimSize(i));
          groups.push_back({d++});
        }
      }
      return std::make_pair(RankedTensorType::get(shape, element), groups);
    };
    int64_t cg = xType.getDimSize(1) / group, mg = oType.getDimSize(1) / group;
    auto [xe, xGroups] = splitSecond(xType, group, cg, false);
    auto [we, wGroups] = splitSecond(wType, group, mg, true);
    auto [oe, oGroups] = splitSecond(oType, group, mg, false);
    Value xs = tensor::ExpandShapeOp::create(b, loc, xe, x, xGroups);
    Value ws = tensor::ExpandShapeOp::create(b, loc, we, w, wGroups);
    Value os = tensor::ExpandShapeOp::create(b, loc, oe, init, oGroups);
    int64_t loops = 4 + 2 * spatial;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr nE = dim(0), gE = dim(1), mgE = dim(2), cgE = dim(3 + spatial);
    SmallVector<AffineExpr> xExprs = {nE, gE, cgE}, wExprs = {gE, mgE, cgE}, oExprs = {nE, gE, mgE};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = dim(3 + i), k = dim(4 + spatial + i);
      xExprs.push_back(o * window.strides[i] + k * window.dilations[i]);
      wExprs.push_back(k);
      oExprs.push_back(o);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, xExprs, ctx), AffineMap::get(loops, 0, wExprs, ctx),
                                   AffineMap::get(loops, 0, oExprs, ctx)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(3 + spatial);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    Value out = linalg::GenericOp::create(b, loc, TypeRange{oe}, ValueRange{xs, ws}, ValueRange{os}, maps, iterators,
                                          [](OpBuilder &nb, Location l, ValueRange args) {
                                            Value p = arith::MulFOp::create(nb, l, args[0], args[1]);
                                            linalg::YieldOp::create(nb, l,
                                                                    arith::AddFOp::create(nb, l, args[2], p).getResult());
                                          })
                    .getResult(0);
    return tensor::CollapseShapeOp::create(b, loc, oType, out, oGroups);
  }
};

/// ConvTranspose as a direct convolution: the input is dilated by the strides (tensor.insert_slice with
/// strides into zeros) and padded by dilation * (k - 1) - pad (plus output_padding at the end; negative
/// amounts crop), then correlated with the spatially flipped kernel (a reversing linalg.generic), W
/// [C, M/group, k...] read as [group, C/group, M/group, k...], in a grouped linalg.generic. The output starts from the broadcast bias.
struct ConvTransposeLowering : OpConversionPattern<graph::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConvTransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), wType = staticType(adaptor.getW());
    if (!resultType || !xType || !wType || xType.getRank() != wType.getRank() || xType.getRank() < 3 ||
        xType.getRank() > 5 || resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes with 1-3 spatial dimensions");
    int64_t rank = xType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    if (std::optional<ArrayRef<int64_t>> k = op.getKernelShape(); k && *k != kernel)
      return rewriter.notifyMatchFailure(op, "kernel_shape disagrees with W");
    int64_t group = op.getGroup(), n = xType.getDimSize(0), c = xType.getDimSize(1), mg = wType.getDimSize(1);
    if (group <= 0 || c % group != 0 || wType.getDimSize(0) != c || resultType.getDimSize(0) != n ||
        resultType.getDimSize(1) != mg * group)
      return rewriter.notifyMatchFailure(op, "channel counts disagree with group");
    auto list = [&](std::optional<ArrayRef<int64_t>> values, int64_t fallback, size_t size) {
      return values ? SmallVector<int64_t>(*values) : SmallVector<int64_t>(size, fallback);
    };
    SmallVector<int64_t> strides = list(op.getStrides(), 1, spatial), dilations = list(op.getDilations(), 1, spatial),
                         outputPadding = list(op.getOutputPadding(), 0, spatial), pads = list(op.getPads(), 0, 2 * spatial);
    if (static_cast<int64_t>(strides.size()) != spatial || static_cast<int64_t>(dilations.size()) != spatial ||
        static_cast<int64_t>(outputPadding.size()) != spatial || static_cast<int64_t>(pads.size()) != 2 * spatial)
      return rewriter.notifyMatchFailure(op, "window attributes have the wrong length");
    StringRef autoPad = op.getAutoPad();
    std::optional<ArrayRef<int64_t>> outputShape = op.getOutputShape();
    if (outputShape && static_cast<int64_t>(outputShape->size()) != spatial)
      return rewriter.notifyMatchFailure(op, "output_shape must list the spatial dimensions");
    SmallVector<int64_t> low(spatial), high(spatial);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(i + 2), out = resultType.getDimSize(i + 2), k = kernel[i];
      if (strides[i] <= 0 || dilations[i] <= 0 || outputPadding[i] < 0)
        return rewriter.notifyMatchFailure(op, "invalid window attributes");
      int64_t full = strides[i] * (in - 1) + outputPadding[i] + (k - 1) * dilations[i] + 1;
      if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" || outputShape) {
        int64_t total = full - out;
        bool upper = autoPad == "SAME_UPPER";
        pads[i] = upper ? total / 2 : total - total / 2;
        pads[i + spatial] = upper ? total - total / 2 : total / 2;
        // An output larger than the full transposed convolution grows at the end (only the bias lands
        // there), as in ONNX's reference and test data (test_convtranspose_output_shape).
        if (total < 0) {
          pads[i] = 0;
          pads[i + spatial] = total;
        }
      } else if (autoPad == "VALID") {
        pads[i] = pads[i + spatial] = 0;
      } else if (autoPad != "NOTSET") {
        return rewriter.notifyMatchFailure(op, "unknown auto_pad");
      }
      if (full - pads[i] - pads[i + spatial] != out)
        return rewriter.notifyMatchFailure(op, "output shape disagrees with the attributes");
      low[i] = (k - 1) * dilations[i] - pads[i];
      high[i] = (k - 1) * dilations[i] - pads[i + spatial] + outputPadding[i];
    }
    bool hasBias = !isa<NoneType>(op.getB().getType());
    if (hasBias) {
      RankedTensorType bType = staticType(adaptor.getB());
      if (!bType || bType.getRank() != 1 || bType.getDimSize(0) != mg * group)
        return rewriter.notifyMatchFailure(op, "B must be a static [M] tensor");
    }

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = resultType.getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    // Dilate and pad (non-negative amounts), then crop the negative ones.
    SmallVector<int64_t> zShape = {n, c}, insertOffsets = {0, 0}, insertStrides = {1, 1};
    SmallVector<int64_t> cropOffsets = {0, 0}, cropSizes = {n, c};
    bool crop = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t dilated = (xType.getDimSize(i + 2) - 1) * strides[i] + 1;
      int64_t lo = std::max<int64_t>(low[i], 0), hi = std::max<int64_t>(high[i], 0);
      zShape.push_back(dilated + lo + hi);
      insertOffsets.push_back(lo);
      insertStrides.push_back(strides[i]);
      cropOffsets.push_back(lo - low[i]);
      cropSizes.push_back(dilated + low[i] + high[i]);
      crop |= low[i] < 0 || high[i] < 0;
    }
    auto zType = RankedTensorType::get(zShape, element);
    Value z = tensor::InsertSliceOp::create(rewriter, loc, adaptor.getX(), filledTensor(rewriter, loc, zType, zero),
                                            indexAttrs(ctx, insertOffsets), indexAttrs(ctx, xType.getShape()),
                                            indexAttrs(ctx, insertStrides));
    if (crop)
      z = tensor::ExtractSliceOp::create(rewriter, loc, z, indexAttrs(ctx, cropOffsets), indexAttrs(ctx, cropSizes),
                                         indexAttrs(ctx, SmallVector<int64_t>(rank, 1)));
    Value init;
    if (hasBias) {
      AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
      init = linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getB()},
                                       ValueRange{emptyTensor(rewriter, loc, resultType)},
                                       ArrayRef<AffineMap>{channel, identityMap(ctx, rank)}, parallelIterators(rank),
                                       [](OpBuilder &b, Location l, ValueRange args) {
                                         linalg::YieldOp::create(b, l, args[0]);
                                       })
                 .getResult(0);
    } else {
      init = filledTensor(rewriter, loc, resultType, zero);
    }

    // Grouped correlation with the flipped kernel over loops (n, g, mg, o..., cg, k...).
    int64_t cg = c / group;
    auto groupSplit = [&](ArrayRef<int64_t> shape, int64_t at, int64_t inner) {
      SmallVector<int64_t> expanded;
      SmallVector<ReassociationIndices> groups;
      int64_t d = 0;
      for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
        if (i == at) {
          expanded.append({shape[i] / inner, inner});
          groups.push_back({d, d + 1});
          d += 2;
        } else {
          expanded.push_back(shape[i]);
          groups.push_back({d++});
        }
      }
      return std::make_pair(RankedTensorType::get(expanded, element), groups);
    };
    auto [ze, zGroups] = groupSplit(cast<RankedTensorType>(z.getType()).getShape(), 1, cg);
    auto [we, wGroups] = groupSplit(wType.getShape(), 0, cg);
    auto [oe, oGroups] = groupSplit(resultType.getShape(), 1, mg);
    Value zs = tensor::ExpandShapeOp::create(rewriter, loc, ze, z, zGroups);
    Value ws = tensor::ExpandShapeOp::create(rewriter, loc, we, adaptor.getW(), wGroups);
    // Flip the kernel's spatial dimensions (a reversing copy; every loop of the contraction below then appears
    // as a plain dimension in some operand).
    {
      int64_t wRank = we.getRank();
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < wRank; ++d) {
        AffineExpr e = getAffineDimExpr(d, ctx);
        exprs.push_back(d < 3 ? e : getAffineConstantExpr(we.getDimSize(d) - 1, ctx) - e);
      }
      ws = linalg::GenericOp::create(rewriter, loc, TypeRange{we}, ValueRange{ws},
                                     ValueRange{emptyTensor(rewriter, loc, we)},
                                     ArrayRef<AffineMap>{AffineMap::get(wRank, 0, exprs, ctx), identityMap(ctx, wRank)},
                                     parallelIterators(wRank),
                                     [](OpBuilder &b, Location l, ValueRange args) {
                                       linalg::YieldOp::create(b, l, args[0]);
                                     })
               .getResult(0);
    }
    Value os = tensor::ExpandShapeOp::create(rewriter, loc, oe, init, oGroups);
    int64_t loops = 4 + 2 * spatial;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr nE = dim(0), gE = dim(1), mgE = dim(2), cgE = dim(3 + spatial);
    SmallVector<AffineExpr> zExprs = {nE, gE, cgE}, wExprs = {gE, cgE, mgE}, oExprs = {nE, gE, mgE};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = dim(3 + i), k = dim(4 + spatial + i);
      zExprs.push_back(o + k * dilations[i]);
      wExprs.push_back(k);
      oExprs.push_back(o);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, zExprs, ctx), AffineMap::get(loops, 0, wExprs, ctx),
                                   AffineMap::get(loops, 0, oExprs, ctx)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(3 + spatial);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    Value out = linalg::GenericOp::create(rewriter, loc, TypeRange{oe}, ValueRange{zs, ws}, ValueRange{os}, maps,
                                          iterators,
                                          [](OpBuilder &b, Location l, ValueRange args) {
                                            Value p = arith::MulFOp::create(b, l, args[0], args[1]);
                                            linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, args[2], p).getResult());
                                          })
                    .getResult(0);
    rewriter.replaceOp(op, tensor::CollapseShapeOp::create(rewriter, loc, resultType, out, oGroups));
    return success();
  }
};

/// Resolves a pool's window and the extra end padding that ceil_mode needs to produce the result's size.
FailureOr<Window> poolWindow(Operation *op, RankedTensorType xType, RankedTensorType resultType,
                             ArrayRef<int64_t> kernel, StringRef autoPad, std::optional<ArrayRef<int64_t>> strides,
                             std::optional<ArrayRef<int64_t>> dilations, std::optional<ArrayRef<int64_t>> pads,
                             bool ceilMode, SmallVector<int64_t> &extraHigh) {
  FailureOr<Window> window = resolveWindow(xType.getShape(), kernel, autoPad, strides, dilations, pads);
  if (failed(window))
    return failure();
  int64_t spatial = kernel.size();
  if (resultType.getRank() != spatial + 2 || resultType.getDimSize(0) != xType.getDimSize(0) ||
      resultType.getDimSize(1) != xType.getDimSize(1))
    return failure();
  extraHigh.assign(spatial, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t extent = xType.getDimSize(i + 2) + window->low[i] + window->high[i];
    int64_t effective = (kernel[i] - 1) * window->dilations[i] + 1, s = window->strides[i];
    int64_t out = resultType.getDimSize(i + 2);
    if (extent < effective)
      return failure();
    int64_t floorOut = (extent - effective) / s + 1, ceilOut = (extent - effective + s - 1) / s + 1;
    if (out != floorOut && !(ceilMode && out == ceilOut))
      return failure();
    extraHigh[i] = std::max<int64_t>(0, (out - 1) * s + effective - extent);
  }
  return window;
}

/// MaxPool (1-D, 2-D): pad with -inf, linalg.pooling_ncw_max / pooling_nchw_max. Indices are unsupported.
struct MaxPoolLowering : OpConversionPattern<graph::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX());
    if (!resultType || !xType || (xType.getRank() != 3 && xType.getRank() != 4))
      return rewriter.notifyMatchFailure(op, "needs static shapes with 1 or 2 spatial dimensions");
    if (!extraResultsUnused(op))
      return rewriter.notifyMatchFailure(op, "the Indices result is not supported");
    if (getElementTypeOrSelf(op.getX().getType()).isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "unsigned MaxPool is not supported");
    resultType = cast<RankedTensorType>(getTypeConverter()->convertType(resultType));
    SmallVector<int64_t> extraHigh;
    FailureOr<Window> window = poolWindow(op, xType, resultType, op.getKernelShape(), op.getAutoPad(), op.getStrides(),
                                          op.getDilations(), op.getPads(), op.getCeilMode() != 0, extraHigh);
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "unsupported window or output shape");
    Location loc = op.getLoc();
    Type element = resultType.getElementType();
    Value lowest = lowestValue(rewriter, loc, element);
    SmallVector<int64_t> high(window->high);
    for (auto [h, e] : llvm::zip(high, extraHigh))
      h += e;
    Value x = padSpatial(rewriter, loc, adaptor.getX(), window->low, high, lowest);
    Value init = filledTensor(rewriter, loc, resultType, lowest);
    Value shape = tensor::EmptyOp::create(rewriter, loc, window->kernel, element);
    Attribute strides = rewriter.getI64TensorAttr(window->strides);
    Attribute dilations = rewriter.getI64TensorAttr(window->dilations);
    Value result = xType.getRank() == 3
                       ? linalg::PoolingNcwMaxOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{x, shape},
                                                         init, strides, dilations)
                             .getResult(0)
                       : linalg::PoolingNchwMaxOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{x, shape},
                                                          init, strides, dilations)
                             .getResult(0);
    rewriter.replaceOp(op, withUnusedResults(op, result));
    return success();
  }
};

/// AveragePool (1-D, 2-D): zero padding, linalg.pooling_ncw_sum / pooling_nchw_sum, then division by the
/// number of counted window positions (all of them within the explicit pads for count_include_pad, only
/// those inside the input otherwise), computed at compile time.
struct AveragePoolLowering : OpConversionPattern<graph::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::AveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX());
    if (!resultType || !xType || (xType.getRank() != 3 && xType.getRank() != 4))
      return rewriter.notifyMatchFailure(op, "needs static shapes with 1 or 2 spatial dimensions");
    SmallVector<int64_t> extraHigh;
    FailureOr<Window> window = poolWindow(op, xType, resultType, op.getKernelShape(), op.getAutoPad(), op.getStrides(),
                                          std::nullopt, op.getPads(), op.getCeilMode() != 0, extraHigh);
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "unsupported window or output shape");
    int64_t spatial = xType.getRank() - 2;
    bool includePad = op.getCountIncludePad() != 0;
    // Per spatial dimension, the number of counted positions of each output's window.
    SmallVector<SmallVector<int64_t>> counts(spatial);
    bool uniform = true;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(i + 2), lo = window->low[i];
      int64_t lower = includePad ? -lo : 0, upper = includePad ? in + window->high[i] : in;
      for (int64_t o = 0; o < resultType.getDimSize(i + 2); ++o) {
        int64_t start = o * window->strides[i] - lo, count = 0;
        for (int64_t k = 0; k < window->kernel[i]; ++k)
          count += start + k >= lower && start + k < upper;
        if (count == 0)
          return rewriter.notifyMatchFailure(op, "a window covers no counted position");
        counts[i].push_back(count);
        uniform &= count == counts[i].front();
      }
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = resultType.getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    SmallVector<int64_t> high(window->high);
    for (auto [h, e] : llvm::zip(high, extraHigh))
      h += e;
    Value x = padSpatial(rewriter, loc, adaptor.getX(), window->low, high, zero);
    Value init = filledTensor(rewriter, loc, resultType, zero);
    Value shape = tensor::EmptyOp::create(rewriter, loc, window->kernel, element);
    Attribute strides = rewriter.getI64TensorAttr(window->strides);
    Attribute dilations = rewriter.getI64TensorAttr(window->dilations);
    Value sum = spatial == 1 ? linalg::PoolingNcwSumOp::create(rewriter, loc, TypeRange{resultType},
                                                               ValueRange{x, shape}, init, strides, dilations)
                                   .getResult(0)
                             : linalg::PoolingNchwSumOp::create(rewriter, loc, TypeRange{resultType},
                                                                ValueRange{x, shape}, init, strides, dilations)
                                   .getResult(0);
    int64_t rank = resultType.getRank();
    AffineMap id = identityMap(ctx, rank);
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {id};
    double scalar = 1;
    if (uniform) {
      for (int64_t i = 0; i < spatial; ++i)
        scalar *= counts[i].front();
    } else {
      SmallVector<int64_t> divisorShape(resultType.getShape().drop_front(2));
      auto divisorType = RankedTensorType::get(divisorShape, element);
      auto ft = cast<FloatType>(element);
      SmallVector<APFloat> values;
      for (int64_t idx = 0; idx < divisorType.getNumElements(); ++idx) {
        int64_t rest = idx;
        double v = 1;
        for (int64_t i = spatial - 1; i >= 0; --i) {
          v *= counts[i][rest % divisorShape[i]];
          rest /= divisorShape[i];
        }
        bool lost;
        APFloat f(v);
        f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
        values.push_back(f);
      }
      inputs.push_back(arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(divisorType, values)));
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < spatial; ++i)
        exprs.push_back(getAffineDimExpr(i + 2, ctx));
      maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    }
    maps.push_back(id);
    Value result = linalg::GenericOp::create(
                       rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)},
                       maps, parallelIterators(rank),
                       [&](OpBuilder &b, Location l, ValueRange args) {
                         Value d = uniform ? scalarConstant(b, l, element, scalar) : args[1];
                         linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, args[0], d).getResult());
                       })
                       .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// GlobalAveragePool / GlobalMaxPool: reduce the spatial dimensions, keep them as size 1.
template <typename OpTy, bool isMax>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX());
    if (!resultType || !xType || xType.getRank() < 3)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 3");
    int64_t rank = xType.getRank(), count = 1;
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    SmallVector<int64_t> kept(xType.getShape());
    for (int64_t d = 2; d < rank; ++d) {
      count *= kept[d];
      kept[d] = 1;
    }
    if (resultType.getShape() != ArrayRef<int64_t>(kept))
      return rewriter.notifyMatchFailure(op, "result shape disagrees");
    Type element = xType.getElementType();
    Location loc = op.getLoc();
    Value result;
    if (isMax) {
      result = buildReduction(rewriter, loc, adaptor.getX(), mask, lowestValue(rewriter, loc, element), {},
                              [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                return arith::MaximumFOp::create(b, l, acc, v);
                              });
    } else {
      result = buildReduction(rewriter, loc, adaptor.getX(), mask, scalarConstant(rewriter, loc, element, 0), {},
                              [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                return arith::AddFOp::create(b, l, acc, v);
                              });
      result = mapElements(rewriter, loc, result, element, [&](OpBuilder &b, Location l, Value v) -> Value {
        return arith::DivFOp::create(b, l, v, scalarConstant(b, l, element, count));
      });
    }
    rewriter.replaceOp(op, expandReduced(rewriter, loc, result, mask, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// DFT
//===----------------------------------------------------------------------------------------------------===//

/// DFT (opset 17) along `axis` of [..., N, ..., 1|2] (real or complex in the last dimension): a contraction
/// of the signal with constant matrices A[k, n] = s cos(2 pi k n / L) and B[k, n] = sign s sin(2 pi k n / L)
/// (sign -1 forward, +1 inverse; s = 1/L for the inverse). Re = A xr - B xi, Im = A xi + B xr. dft_length L
/// (a constant) zero-pads or truncates the signal; onesided keeps the first L/2 + 1 bins.
struct DFTLowering : OpConversionPattern<graph::DFTOp> {
  using OpConversionPattern::OpConversionPattern;
  static constexpr int64_t kMaxMatrixElements = int64_t(1) << 22;

  /// cos and sin of 2 pi r / n for 0 <= r < n, exact at multiples of a quarter turn.
  static std::pair<double, double> unitRoot(int64_t r, int64_t n) {
    if ((4 * r) % n == 0) {
      static constexpr double cosines[] = {1, 0, -1, 0}, sines[] = {0, 1, 0, -1};
      int64_t quarter = 4 * r / n;
      return {cosines[quarter], sines[quarter]};
    }
    double angle = 2.0 * M_PI * static_cast<double>(r) / static_cast<double>(n);
    return {std::cos(angle), std::sin(angle)};
  }

  LogicalResult matchAndRewrite(graph::DFTOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getInput());
    if (!resultType || !xType || xType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = xType.getRank(), axis = op.getAxis();
    if (axis < 0 || axis > rank - 2)
      return rewriter.notifyMatchFailure(op, "axis must be a non-negative signal dimension");
    int64_t parts = xType.getDimSize(rank - 1);
    if (parts != 1 && parts != 2)
      return rewriter.notifyMatchFailure(op, "last dimension must be 1 or 2");
    bool complexInput = parts == 2, inverse = op.getInverse() != 0, onesided = op.getOnesided() != 0;
    if (onesided && (complexInput || inverse))
      return rewriter.notifyMatchFailure(op, "onesided needs a real forward transform");
    int64_t n = xType.getDimSize(axis), length = n;
    if (!isa<NoneType>(op.getDftLength().getType())) {
      auto values = constantIntValues(op.getDftLength());
      if (!values || values->size() != 1)
        return rewriter.notifyMatchFailure(op, "dft_length must be a constant scalar");
      length = (*values)[0];
    }
    if (length <= 0)
      return rewriter.notifyMatchFailure(op, "dft_length must be positive");
    int64_t bins = onesided ? length / 2 + 1 : length;
    SmallVector<int64_t> expected(xType.getShape());
    expected[axis] = bins;
    expected[rank - 1] = 2;
    if (resultType.getShape() != ArrayRef<int64_t>(expected))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the transform");
    int64_t samples = std::min(n, length);
    if (bins * samples > kMaxMatrixElements)
      return rewriter.notifyMatchFailure(op, "transform too long for a dense DFT matrix");
    auto ft = dyn_cast<FloatType>(xType.getElementType());
    if (!ft)
      return rewriter.notifyMatchFailure(op, "needs a floating-point input");

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    // Real and imaginary parts without the last dimension, truncated to `samples` along the axis.
    SmallVector<int64_t> partShape(xType.getShape().drop_back());
    partShape[axis] = samples;
    auto partType = RankedTensorType::get(partShape, ft);
    auto part = [&](int64_t index) -> Value {
      SmallVector<int64_t> offsets(rank, 0), sizes(xType.getShape()), strides(rank, 1);
      offsets[rank - 1] = index;
      sizes[rank - 1] = 1;
      sizes[axis] = samples;
      return tensor::ExtractSliceOp::create(rewriter, loc, partType, adaptor.getInput(), indexAttrs(ctx, offsets),
                                            indexAttrs(ctx, sizes), indexAttrs(ctx, strides));
    };
    Value real = part(0);
    Value imag = complexInput ? part(1) : Value();

    // The matrices, with the angle reduced exactly (k n mod L) before the trigonometry.
    double sign = inverse ? 1.0 : -1.0, scale = inverse ? 1.0 / length : 1.0;
    SmallVector<APFloat> cosValues, sinValues;
    auto toFloat = [&](double v) {
      bool lost;
      APFloat f(v);
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      return f;
    };
    for (int64_t k = 0; k < bins; ++k)
      for (int64_t j = 0; j < samples; ++j) {
        auto [c, s] = unitRoot((k * j) % length, length);
        cosValues.push_back(toFloat(scale * c));
        sinValues.push_back(toFloat(s == 0.0 ? 0.0 : sign * scale * s));
      }
    auto matrixType = RankedTensorType::get({bins, samples}, ft);
    Value a = arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(matrixType, cosValues));
    Value b = arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(matrixType, sinValues));

    // Loops: the output dimensions without the last (bins at `axis`), then the reduction over samples.
    int64_t outRank = rank - 1, loops = rank;
    SmallVector<int64_t> outShape(resultType.getShape().drop_back());
    auto outType = RankedTensorType::get(outShape, ft);
    SmallVector<AffineExpr> signalExprs, outExprs;
    for (int64_t d = 0; d < outRank; ++d) {
      signalExprs.push_back(getAffineDimExpr(d == axis ? loops - 1 : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    AffineMap signalMap = AffineMap::get(loops, 0, signalExprs, ctx);
    AffineMap matrixMap = AffineMap::get(loops, 0, {getAffineDimExpr(axis, ctx), getAffineDimExpr(loops - 1, ctx)}, ctx);
    AffineMap outMap = AffineMap::get(loops, 0, outExprs, ctx);
    SmallVector<Value> inputs = {real};
    SmallVector<AffineMap> maps = {signalMap};
    if (complexInput) {
      inputs.push_back(imag);
      maps.push_back(signalMap);
    }
    inputs.append({a, b});
    maps.append({matrixMap, matrixMap, outMap, outMap});
    SmallVector<utils::IteratorType> iterators = parallelIterators(outRank);
    iterators.push_back(utils::IteratorType::reduction);
    Value zero = scalarConstant(rewriter, loc, ft, 0);
    Value initReal = filledTensor(rewriter, loc, outType, zero), initImag = filledTensor(rewriter, loc, outType, zero);
    auto contraction = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType, outType}, inputs, ValueRange{initReal, initImag}, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value xr = args[0];
          Value xi = complexInput ? args[1] : Value();
          unsigned next = complexInput ? 2 : 1;
          Value ma = args[next], mb = args[next + 1], accR = args[next + 2], accI = args[next + 3];
          auto mul = [&](Value x, Value y) -> Value { return arith::MulFOp::create(nb, l, x, y); };
          Value re = arith::AddFOp::create(nb, l, accR, mul(ma, xr));
          Value im = arith::AddFOp::create(nb, l, accI, mul(mb, xr));
          if (complexInput) {
            re = arith::SubFOp::create(nb, l, re, mul(mb, xi));
            im = arith::AddFOp::create(nb, l, im, mul(ma, xi));
          }
          linalg::YieldOp::create(nb, l, ValueRange{re, im});
        });

    // Interleave into [..., 2].
    Value result = emptyTensor(rewriter, loc, resultType);
    for (int64_t index = 0; index < 2; ++index) {
      SmallVector<int64_t> offsets(rank, 0), sizes(resultType.getShape()), strides(rank, 1);
      offsets[rank - 1] = index;
      sizes[rank - 1] = 1;
      result = tensor::InsertSliceOp::create(rewriter, loc, contraction.getResult(index), result,
                                             indexAttrs(ctx, offsets), indexAttrs(ctx, sizes), indexAttrs(ctx, strides));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphNNToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<graph::SoftmaxOp, false>, SoftmaxLowering<graph::LogSoftmaxOp, true>,
               LayerNormalizationLowering, InstanceNormalizationLowering, BatchNormalizationLowering,
               LpNormalizationLowering, ConvLowering, ConvTransposeLowering, MaxPoolLowering, AveragePoolLowering,
               GlobalPoolLowering<graph::GlobalAveragePoolOp, false>, GlobalPoolLowering<graph::GlobalMaxPoolOp, true>,
               DFTLowering, MeanVarianceNormalizationLowering, LRNLowering, HardmaxLowering, DropoutLowering>(
      converter, patterns.getContext());
}

} // namespace sinter

//===- IntegerToLinalg.cpp - MatMulInteger, ConvInteger, QLinearMatMul, QLinearConv -> linalg ------------===//
//
// Exact integer contractions: each (u)int8 operand is extended to i32 (zero- or sign-extended as its ONNX
// type says) and its zero point subtracted inside the contraction body, accumulating in i32 as ONNX
// specifies. Zero points may be scalars (rank 0 or one element) or per-row (A) / per-column (B) /
// per-output-channel (W) vectors. ConvInteger shifts the input by its zero point first and pads the result
// with 0, so padded positions contribute nothing; it supports group 1 and explicit or VALID padding.
// QLinearMatMul is the same exact i32 contraction followed by requantization as ONNX's reference computes
// it: acc * (a_scale * b_scale / y_scale) in double precision, rounded half to even, plus y_zero_point,
// saturated to the 8-bit result type. QLinearConv adds its i32 bias before requantizing (w_scale may be per
// output channel).
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

Value extendToI32(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (v.getType().getIntOrFloatBitWidth() == 32)
    return v;
  return isUnsigned ? Value(arith::ExtUIOp::create(b, loc, b.getI32Type(), v))
                    : Value(arith::ExtSIOp::create(b, loc, b.getI32Type(), v));
}

bool isUnsignedValue(Value v) { return getElementTypeOrSelf(v.getType()).isUnsignedInteger(); }

/// A zero-point operand: its value (or a zero scalar tensor when absent) and the map that reads it in a loop
/// nest of `loops` dimensions: a scalar reads its only element; a vector of `vectorSize` elements is indexed
/// by `vectorDim`. Failure for other shapes.
FailureOr<std::pair<Value, AffineMap>> zeroPoint(OpBuilder &b, Location loc, Value zp, Type element, int64_t loops,
                                                 int64_t vectorDim, int64_t vectorSize) {
  MLIRContext *ctx = b.getContext();
  if (isa<NoneType>(zp.getType())) {
    auto type = RankedTensorType::get({}, element);
    return std::make_pair(filledTensor(b, loc, type, scalarConstant(b, loc, element, 0)), AffineMap::get(loops, 0, {}, ctx));
  }
  RankedTensorType type = staticType(zp);
  if (!type || type.getRank() > 1)
    return failure();
  if (type.getRank() == 0)
    return std::make_pair(zp, AffineMap::get(loops, 0, {}, ctx));
  if (type.getDimSize(0) == 1)
    return std::make_pair(zp, AffineMap::get(loops, 0, {getAffineConstantExpr(0, ctx)}, ctx));
  if (type.getDimSize(0) == vectorSize)
    return std::make_pair(zp, AffineMap::get(loops, 0, {getAffineDimExpr(vectorDim, ctx)}, ctx));
  return failure();
}

/// The contraction body: acc + (ext(a) - azp) * (ext(b) - bzp).
Value integerProduct(OpBuilder &b, Location l, ValueRange args, bool aUnsigned, bool bUnsigned) {
  Value lhs = arith::SubIOp::create(b, l, extendToI32(b, l, args[0], aUnsigned), extendToI32(b, l, args[2], aUnsigned));
  Value rhs = arith::SubIOp::create(b, l, extendToI32(b, l, args[1], bUnsigned), extendToI32(b, l, args[3], bUnsigned));
  return arith::AddIOp::create(b, l, args[4], arith::MulIOp::create(b, l, lhs, rhs));
}

/// MatMulInteger of 2-D operands.
struct MatMulIntegerLowering : OpConversionPattern<graph::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MatMulIntegerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType aType = staticType(adaptor.getA()), bType = staticType(adaptor.getB());
    if (!resultType || !aType || !bType || aType.getRank() != 2 || bType.getRank() != 2 ||
        aType.getDimSize(1) != bType.getDimSize(0) ||
        resultType.getShape() != ArrayRef<int64_t>{aType.getDimSize(0), bType.getDimSize(1)} ||
        !resultType.getElementType().isInteger(32))
      return rewriter.notifyMatchFailure(op, "needs static 2-D operands and an i32 [M, N] result");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto aZp = zeroPoint(rewriter, loc, adaptor.getAZeroPoint(), aType.getElementType(), 3, 0, aType.getDimSize(0));
    auto bZp = zeroPoint(rewriter, loc, adaptor.getBZeroPoint(), bType.getElementType(), 3, 1, bType.getDimSize(1));
    if (failed(aZp) || failed(bZp))
      return rewriter.notifyMatchFailure(op, "zero points must be scalars or per-row/per-column vectors");
    bool aUnsigned = isUnsignedValue(op.getA()), bUnsigned = isUnsignedValue(op.getB());
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx), k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {k, n}, ctx), aZp->second,
                                   bZp->second, AffineMap::get(3, 0, {m, n}, ctx)};
    SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel, utils::IteratorType::parallel,
                                                  utils::IteratorType::reduction};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB(), aZp->first, bZp->first},
        ValueRange{filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, rewriter.getI32Type(), 0))},
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, integerProduct(b, l, args, aUnsigned, bUnsigned));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// round_half_even(acc * scale) + zero_point, saturated to (u)int8; in f64 as ONNX's reference computes it.
Value requantize(OpBuilder &b, Location l, Value acc, Value scale, Value zeroPoint, bool isUnsigned) {
  Type f64 = b.getF64Type();
  Value scaled = arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, f64, acc), arith::ExtFOp::create(b, l, f64, scale));
  Value zp = isUnsigned ? Value(arith::UIToFPOp::create(b, l, f64, zeroPoint))
                        : Value(arith::SIToFPOp::create(b, l, f64, zeroPoint));
  Value q = arith::AddFOp::create(b, l, math::RoundEvenOp::create(b, l, scaled), zp);
  double lo = isUnsigned ? 0 : -128, hi = isUnsigned ? 255 : 127;
  q = arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, q, scalarConstant(b, l, f64, lo)),
                                scalarConstant(b, l, f64, hi));
  return isUnsigned ? Value(arith::FPToUIOp::create(b, l, b.getI8Type(), q))
                    : Value(arith::FPToSIOp::create(b, l, b.getI8Type(), q));
}

/// The exact i32 convolution of ConvInteger and QLinearConv (group 1, any number of spatial dimensions):
/// sum over channels and window of (x - x_zp) * (w - w_zp), in `resultType` (i32, the result's shape).
template <typename OpTy>
FailureOr<Value> integerConvolution(OpTy op, ConversionPatternRewriter &rewriter, RankedTensorType resultType, Value x,
                                    Value w, Value xZeroPoint, Value wZeroPoint) {
  RankedTensorType xType = staticType(x), wType = staticType(w);
  if (!resultType || !xType || !wType || xType.getRank() < 3 || wType.getRank() != xType.getRank() ||
      resultType.getRank() != xType.getRank() || !resultType.getElementType().isInteger(32))
    return rewriter.notifyMatchFailure(op, "needs static shapes and an i32 result");
  if (op.getGroup() != 1)
    return rewriter.notifyMatchFailure(op, "only group 1 is supported");
  int64_t rank = xType.getRank(), spatial = rank - 2;
  int64_t channels = xType.getDimSize(1), outChannels = wType.getDimSize(0);
  if (wType.getDimSize(1) != channels || resultType.getDimSize(0) != xType.getDimSize(0) ||
      resultType.getDimSize(1) != outChannels)
    return rewriter.notifyMatchFailure(op, "channel counts disagree");
  if (op.getKernelShape() && op.getKernelShape()->size() == static_cast<size_t>(spatial) &&
      *op.getKernelShape() != wType.getShape().drop_front(2))
    return rewriter.notifyMatchFailure(op, "kernel_shape disagrees with W");
  SmallVector<int64_t> strides(spatial, 1), dilations(spatial, 1), pads(2 * spatial, 0);
  if (op.getStrides())
    strides.assign(op.getStrides()->begin(), op.getStrides()->end());
  if (op.getDilations())
    dilations.assign(op.getDilations()->begin(), op.getDilations()->end());
  if (op.getPads() && op.getAutoPad() == "NOTSET")
    pads.assign(op.getPads()->begin(), op.getPads()->end());
  if (op.getAutoPad() != "NOTSET" && op.getAutoPad() != "VALID")
    return rewriter.notifyMatchFailure(op, "SAME auto_pad is not supported");
  if (static_cast<int64_t>(strides.size()) != spatial || static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return rewriter.notifyMatchFailure(op, "window attributes have the wrong length");
  SmallVector<int64_t> paddedShape(xType.getShape()), low(2, 0), high(2, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    low.push_back(pads[i]);
    high.push_back(pads[spatial + i]);
    paddedShape[2 + i] += pads[i] + pads[spatial + i];
    int64_t effective = (wType.getDimSize(2 + i) - 1) * dilations[i] + 1;
    if (paddedShape[2 + i] < effective ||
        resultType.getDimSize(2 + i) != (paddedShape[2 + i] - effective) / strides[i] + 1)
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the window");
  }
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  int64_t loops = rank + 1 + spatial; // n, m, out..., c, window...
  Type xElement = xType.getElementType();
  auto xZp = zeroPoint(rewriter, loc, xZeroPoint, xElement, loops, 0, -1);
  auto wZp = zeroPoint(rewriter, loc, wZeroPoint, wType.getElementType(), loops, 1, outChannels);
  if (failed(xZp) || failed(wZp))
    return rewriter.notifyMatchFailure(op, "zero points must be scalars (x) or scalars or per-channel vectors (w)");
  // x - x_zero_point in i32, then padded with 0: a padded position contributes nothing. (Padding x itself
  // with its zero point would need a run-time padding value.)
  bool xUnsigned = isUnsignedValue(op.getX()), wUnsigned = isUnsignedValue(op.getW());
  auto shiftedType = RankedTensorType::get(xType.getShape(), rewriter.getI32Type());
  AffineMap xId = identityMap(ctx, rank);
  AffineMap xZpMap = AffineMap::get(rank, 0, xZp->second.getResults(), ctx);
  Value shifted =
      linalg::GenericOp::create(rewriter, loc, TypeRange{shiftedType}, ValueRange{x, xZp->first},
                                ValueRange{emptyTensor(rewriter, loc, shiftedType)},
                                ArrayRef<AffineMap>{xId, xZpMap, xId}, parallelIterators(rank),
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  Value v = arith::SubIOp::create(b, l, extendToI32(b, l, args[0], xUnsigned),
                                                                  extendToI32(b, l, args[1], xUnsigned));
                                  linalg::YieldOp::create(b, l, v);
                                })
          .getResult(0);
  Value padded = tensor::PadOp::create(rewriter, loc, RankedTensorType::get(paddedShape, rewriter.getI32Type()),
                                       shifted, indexAttrs(ctx, low), indexAttrs(ctx, high),
                                       scalarConstant(rewriter, loc, rewriter.getI32Type(), 0));
  SmallVector<AffineExpr> xExprs = {getAffineDimExpr(0, ctx), getAffineDimExpr(rank, ctx)};
  SmallVector<AffineExpr> wExprs = {getAffineDimExpr(1, ctx), getAffineDimExpr(rank, ctx)}, outExprs;
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr window = getAffineDimExpr(rank + 1 + i, ctx);
    xExprs.push_back(getAffineDimExpr(2 + i, ctx) * strides[i] + window * dilations[i]);
    wExprs.push_back(window);
  }
  for (int64_t d = 0; d < rank; ++d)
    outExprs.push_back(getAffineDimExpr(d, ctx));
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, xExprs, ctx), AffineMap::get(loops, 0, wExprs, ctx),
                                 wZp->second, AffineMap::get(loops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{resultType}, ValueRange{padded, w, wZp->first},
      ValueRange{filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, rewriter.getI32Type(), 0))},
      maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value shiftedW =
            arith::SubIOp::create(b, l, extendToI32(b, l, args[1], wUnsigned), extendToI32(b, l, args[2], wUnsigned));
        linalg::YieldOp::create(
            b, l, arith::AddIOp::create(b, l, args[3], arith::MulIOp::create(b, l, args[0], shiftedW)).getResult());
      });
  return generic.getResult(0);
}

struct ConvIntegerLowering : OpConversionPattern<graph::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConvIntegerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> result = integerConvolution(op, rewriter, staticResultType(op), adaptor.getX(), adaptor.getW(),
                                                 adaptor.getXZeroPoint(), adaptor.getWZeroPoint());
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// QLinearConv: the integer convolution, plus the i32 bias, requantized like QLinearMatMul with a
/// per-tensor or per-output-channel w_scale.
struct QLinearConvLowering : OpConversionPattern<graph::QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::QLinearConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    auto outType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = outType.getRank();
    if (rank < 3)
      return rewriter.notifyMatchFailure(op, "needs a result of rank >= 3");
    int64_t outChannels = outType.getDimSize(1);
    auto accType = RankedTensorType::get(outType.getShape(), rewriter.getI32Type());
    FailureOr<Value> acc = integerConvolution(op, rewriter, accType, adaptor.getX(), adaptor.getW(),
                                              adaptor.getXZeroPoint(), adaptor.getWZeroPoint());
    if (failed(acc))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    // Scales and the y zero point per tensor, w_scale and the bias also per output channel.
    auto read = [&](Value v, bool perChannel) -> FailureOr<AffineMap> {
      RankedTensorType t = staticType(v);
      if (!t || t.getRank() > 1)
        return failure();
      if (t.getRank() == 0)
        return AffineMap::get(rank, 0, {}, ctx);
      if (t.getDimSize(0) == 1)
        return AffineMap::get(rank, 0, {getAffineConstantExpr(0, ctx)}, ctx);
      if (perChannel && t.getDimSize(0) == outChannels)
        return AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
      return failure();
    };
    Value bias = adaptor.getB();
    if (isa<NoneType>(bias.getType()))
      bias = filledTensor(rewriter, loc, RankedTensorType::get({}, rewriter.getI32Type()),
                          scalarConstant(rewriter, loc, rewriter.getI32Type(), 0));
    SmallVector<Value> params = {adaptor.getXScale(), adaptor.getWScale(), adaptor.getYScale(),
                                 adaptor.getYZeroPoint(), bias};
    bool perChannel[] = {false, true, false, false, true};
    SmallVector<AffineMap> maps = {identityMap(ctx, rank)};
    for (auto [p, channel] : llvm::zip(params, perChannel)) {
      FailureOr<AffineMap> map = read(p, channel);
      if (failed(map))
        return rewriter.notifyMatchFailure(op, "scales, zero points and B must be per tensor (or per channel)");
      maps.push_back(*map);
    }
    maps.push_back(identityMap(ctx, rank));
    SmallVector<Value> inputs = {*acc};
    inputs.append(params.begin(), params.end());
    bool yUnsigned = isUnsignedValue(op.getY());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, inputs, ValueRange{emptyTensor(rewriter, loc, outType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value sum = arith::AddIOp::create(b, l, args[0], args[5]);
          Value scale = arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, args[1], args[2]), args[3]);
          linalg::YieldOp::create(b, l, requantize(b, l, sum, scale, args[4], yUnsigned));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// QLinearMatMul with per-tensor scales and zero points; operands of equal rank >= 2 with equal batch
/// dimensions.
struct QLinearMatMulLowering : OpConversionPattern<graph::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::QLinearMatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType aType = staticType(adaptor.getA()), bType = staticType(adaptor.getB());
    if (!resultType || !aType || !bType || aType.getRank() < 2 || aType.getRank() != bType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static operands of one rank >= 2");
    int64_t rank = aType.getRank();
    SmallVector<int64_t> shape(aType.getShape().drop_back(2));
    if (ArrayRef<int64_t>(shape) != bType.getShape().drop_back(2) ||
        aType.getDimSize(rank - 1) != bType.getDimSize(rank - 2))
      return rewriter.notifyMatchFailure(op, "batch dimensions must be equal and inner dimensions agree");
    shape.push_back(aType.getDimSize(rank - 2));
    shape.push_back(bType.getDimSize(rank - 1));
    auto outType = cast<RankedTensorType>(getTypeConverter()->convertType(resultType));
    if (outType.getShape() != ArrayRef<int64_t>(shape) || !outType.getElementType().isInteger(8))
      return rewriter.notifyMatchFailure(op, "result shape disagrees");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t loops = rank + 1;
    // Per-tensor parameters only: every scale and zero point holds one element.
    SmallVector<Value> params = {adaptor.getAScale(), adaptor.getAZeroPoint(), adaptor.getBScale(),
                                 adaptor.getBZeroPoint(), adaptor.getYScale(), adaptor.getYZeroPoint()};
    SmallVector<AffineMap> scalarMaps;
    for (Value p : params) {
      RankedTensorType t = staticType(p);
      if (!t || t.getNumElements() != 1 || t.getRank() > 1)
        return rewriter.notifyMatchFailure(op, "only per-tensor scales and zero points are supported");
      scalarMaps.push_back(t.getRank() == 0 ? AffineMap::get(loops, 0, {}, ctx)
                                            : AffineMap::get(loops, 0, {getAffineConstantExpr(0, ctx)}, ctx));
    }
    // acc[batch..., m, n] = sum_k (a - a_zp) * (b - b_zp) in i32.
    SmallVector<AffineExpr> aExprs, bExprs, accExprs;
    for (int64_t d = 0; d < rank - 2; ++d) {
      aExprs.push_back(getAffineDimExpr(d, ctx));
      bExprs.push_back(getAffineDimExpr(d, ctx));
    }
    AffineExpr m = getAffineDimExpr(rank - 2, ctx), n = getAffineDimExpr(rank - 1, ctx), k = getAffineDimExpr(rank, ctx);
    aExprs.append({m, k});
    bExprs.append({k, n});
    for (int64_t d = 0; d < rank; ++d)
      accExprs.push_back(getAffineDimExpr(d, ctx));
    auto accType = RankedTensorType::get(shape, rewriter.getI32Type());
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);
    bool aUnsigned = isUnsignedValue(op.getA()), bUnsigned = isUnsignedValue(op.getB());
    bool yUnsigned = isUnsignedValue(op.getY());
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accType}, ValueRange{adaptor.getA(), adaptor.getB(), params[1], params[3]},
            ValueRange{filledTensor(rewriter, loc, accType, scalarConstant(rewriter, loc, rewriter.getI32Type(), 0))},
            ArrayRef<AffineMap>{AffineMap::get(loops, 0, aExprs, ctx), AffineMap::get(loops, 0, bExprs, ctx),
                                scalarMaps[1], scalarMaps[3], AffineMap::get(loops, 0, accExprs, ctx)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(b, l, integerProduct(b, l, args, aUnsigned, bUnsigned));
            })
            .getResult(0);
    // Requantize.
    auto dropLast = [&](AffineMap map) { return AffineMap::get(rank, 0, map.getResults(), ctx); };
    AffineMap id = identityMap(ctx, rank);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{acc, params[0], params[2], params[4], params[5]},
        ValueRange{emptyTensor(rewriter, loc, outType)},
        ArrayRef<AffineMap>{id, dropLast(scalarMaps[0]), dropLast(scalarMaps[2]), dropLast(scalarMaps[4]),
                            dropLast(scalarMaps[5]), id},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value scale = arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, args[1], args[2]), args[3]);
          linalg::YieldOp::create(b, l, requantize(b, l, args[0], scale, args[4], yUnsigned));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphIntegerToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatMulIntegerLowering, ConvIntegerLowering, QLinearMatMulLowering, QLinearConvLowering>(converter, patterns.getContext());
}

} // namespace sinter

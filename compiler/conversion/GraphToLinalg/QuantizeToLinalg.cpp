//===- QuantizeToLinalg.cpp - QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear -> linalg ----------===//
//
// Linear (de)quantization, per tensor or per axis (a 1-D scale / zero point along `axis`):
//   QuantizeLinear   y = saturate(round_half_even(x / scale) + zero_point)   (uint8 without a zero point)
//   DequantizeLinear y = (x - zero_point) * scale
//   DynamicQuantizeLinear: scale = (max(0, max x) - min(0, min x)) / 255, zero_point =
//   saturate(round_half_even(-min(0, min x) / scale)), then QuantizeLinear to uint8.
// Arithmetic is in f32 as ONNX's reference does it.
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

/// The map reading a per-tensor (one element) or per-axis (1-D along `axis`) parameter inside a loop nest of
/// `rank` loops; null if the parameter fits neither.
AffineMap parameterMap(MLIRContext *ctx, RankedTensorType param, RankedTensorType data, int64_t axis) {
  int64_t rank = data.getRank();
  if (param.getNumElements() == 1 && param.getRank() <= 1)
    return AffineMap::get(rank, 0, SmallVector<AffineExpr>(param.getRank(), getAffineConstantExpr(0, ctx)), ctx);
  if (param.getRank() == 1 && axis >= 0 && axis < rank && param.getDimSize(0) == data.getDimSize(axis))
    return AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx);
  return AffineMap();
}

/// f32 -> the quantized integer type: round half to even, add the zero point, saturate.
Value quantizeScalar(OpBuilder &b, Location l, Value x, Value scale, Value zeroPoint, Type target, bool isUnsigned) {
  Type f32 = b.getF32Type();
  Value q = math::RoundEvenOp::create(b, l, arith::DivFOp::create(b, l, x, scale));
  if (zeroPoint)
    q = arith::AddFOp::create(b, l, q, zeroPoint);
  unsigned width = target.getIntOrFloatBitWidth();
  double lo = isUnsigned ? 0 : -std::ldexp(1.0, width - 1), hi = isUnsigned ? std::ldexp(1.0, width) - 1 : std::ldexp(1.0, width - 1) - 1;
  q = arith::MaximumFOp::create(b, l, q, scalarConstant(b, l, f32, lo));
  q = arith::MinimumFOp::create(b, l, q, scalarConstant(b, l, f32, hi));
  return isUnsigned ? Value(arith::FPToUIOp::create(b, l, target, q)) : Value(arith::FPToSIOp::create(b, l, target, q));
}

Value intToF32(OpBuilder &b, Location l, Value v, bool isUnsigned) {
  Type f32 = b.getF32Type();
  return isUnsigned ? Value(arith::UIToFPOp::create(b, l, f32, v)) : Value(arith::SIToFPOp::create(b, l, f32, v));
}

struct QuantizeLinearLowering : OpConversionPattern<graph::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::QuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), scaleType = staticType(adaptor.getYScale());
    if (!sourceResult || !xType || !scaleType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = xType.getRank(), axis = normalizeAxis(op.getAxis(), std::max<int64_t>(rank, 1));
    MLIRContext *ctx = getContext();
    SmallVector<Value> inputs = {adaptor.getX(), adaptor.getYScale()};
    SmallVector<AffineMap> maps = {identityMap(ctx, rank), parameterMap(ctx, scaleType, xType, axis)};
    bool hasZeroPoint = !isa<NoneType>(op.getYZeroPoint().getType());
    if (hasZeroPoint) {
      RankedTensorType zpType = staticType(adaptor.getYZeroPoint());
      if (!zpType)
        return rewriter.notifyMatchFailure(op, "needs static shapes");
      inputs.push_back(adaptor.getYZeroPoint());
      maps.push_back(parameterMap(ctx, zpType, xType, axis));
    }
    if (llvm::is_contained(maps, AffineMap()))
      return rewriter.notifyMatchFailure(op, "scale / zero point must be one value or one per axis element");
    maps.push_back(identityMap(ctx, rank));
    bool isUnsigned = sourceResult.getElementType().isUnsignedInteger();
    bool xUnsigned = getElementTypeOrSelf(op.getX().getType()).isUnsignedInteger();
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = isa<FloatType>(args[0].getType()) ? args[0] : intToF32(b, l, args[0], xUnsigned);
          Value zp = hasZeroPoint ? intToF32(b, l, args[2], isUnsigned) : Value();
          linalg::YieldOp::create(b, l, quantizeScalar(b, l, x, args[1], zp, resultType.getElementType(), isUnsigned));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<graph::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::DequantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), scaleType = staticType(adaptor.getXScale());
    if (!resultType || !xType || !scaleType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = xType.getRank(), axis = normalizeAxis(op.getAxis(), std::max<int64_t>(rank, 1));
    MLIRContext *ctx = getContext();
    SmallVector<Value> inputs = {adaptor.getX(), adaptor.getXScale()};
    SmallVector<AffineMap> maps = {identityMap(ctx, rank), parameterMap(ctx, scaleType, xType, axis)};
    bool hasZeroPoint = !isa<NoneType>(op.getXZeroPoint().getType());
    if (hasZeroPoint) {
      RankedTensorType zpType = staticType(adaptor.getXZeroPoint());
      if (!zpType)
        return rewriter.notifyMatchFailure(op, "needs static shapes");
      inputs.push_back(adaptor.getXZeroPoint());
      maps.push_back(parameterMap(ctx, zpType, xType, axis));
    }
    if (llvm::is_contained(maps, AffineMap()))
      return rewriter.notifyMatchFailure(op, "scale / zero point must be one value or one per axis element");
    maps.push_back(identityMap(ctx, rank));
    bool isUnsigned = getElementTypeOrSelf(op.getX().getType()).isUnsignedInteger();
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          // The difference is exact in i32 for 8-bit inputs; i32 inputs have a zero point of 0.
          Value x = args[0];
          if (hasZeroPoint) {
            Type i64 = b.getI64Type();
            auto widen = [&](Value v) -> Value {
              return isUnsigned ? Value(arith::ExtUIOp::create(b, l, i64, v)) : Value(arith::ExtSIOp::create(b, l, i64, v));
            };
            x = arith::SubIOp::create(b, l, widen(x), widen(args[2]));
            x = arith::SIToFPOp::create(b, l, b.getF32Type(), x);
          } else {
            x = intToF32(b, l, x, isUnsigned);
          }
          linalg::YieldOp::create(b, l, arith::MulFOp::create(b, l, x, args[1]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct DynamicQuantizeLinearLowering : OpConversionPattern<graph::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType xType = staticType(adaptor.getX());
    RankedTensorType yType = staticResultType(op, 0), scaleType = staticResultType(op, 1),
                     zpType = staticResultType(op, 2);
    if (!xType || !yType || !scaleType || !zpType || scaleType.getRank() != 0 || zpType.getRank() != 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes and scalar scale / zero point");
    auto yConverted = cast<RankedTensorType>(getTypeConverter()->convertType(yType));
    auto zpConverted = cast<RankedTensorType>(getTypeConverter()->convertType(zpType));
    int64_t rank = xType.getRank();
    Type f32 = rewriter.getF32Type(), u8 = yConverted.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> all(rank, true);
    // min(0, min x) and max(0, max x): reductions starting from 0.
    Value zero = scalarConstant(rewriter, loc, f32, 0);
    Value lo = buildReduction(rewriter, loc, adaptor.getX(), all, zero, {},
                              [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                return arith::MinimumFOp::create(b, l, acc, v);
                              });
    Value hi = buildReduction(rewriter, loc, adaptor.getX(), all, zero, {},
                              [](OpBuilder &b, Location l, Value v, ValueRange, Value acc) {
                                return arith::MaximumFOp::create(b, l, acc, v);
                              });
    AffineMap scalar = AffineMap::get(0, 0, {}, ctx);
    auto params = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scaleType, zpConverted}, ValueRange{lo, hi},
        ValueRange{emptyTensor(rewriter, loc, scaleType), emptyTensor(rewriter, loc, zpConverted)},
        SmallVector<AffineMap>(4, scalar), ArrayRef<utils::IteratorType>{},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value scale = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, args[1], args[0]),
                                              scalarConstant(b, l, f32, 255));
          Value negMin = arith::SubFOp::create(b, l, scalarConstant(b, l, f32, 0), args[0]);
          Value zp = quantizeScalar(b, l, negMin, scale, Value(), u8, true);
          linalg::YieldOp::create(b, l, ValueRange{scale, zp});
        });
    Value scale = params.getResult(0), zp = params.getResult(1);
    AffineMap id = identityMap(ctx, rank), bcast = AffineMap::get(rank, 0, {}, ctx);
    auto y = linalg::GenericOp::create(
        rewriter, loc, TypeRange{yConverted}, ValueRange{adaptor.getX(), scale, zp},
        ValueRange{emptyTensor(rewriter, loc, yConverted)}, ArrayRef<AffineMap>{id, bcast, bcast, id},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, quantizeScalar(b, l, args[0], args[1], intToF32(b, l, args[2], true), u8, true));
        });
    rewriter.replaceOp(op, ValueRange{y.getResult(0), scale, zp});
    return success();
  }
};

} // namespace

void populateGraphQuantizeToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering, DynamicQuantizeLinearLowering>(converter,
                                                                                                patterns.getContext());
}

} // namespace sinter

//===- ResizeToLinalg.cpp - Resize with runtime scales/sizes/roi, cubic mode, crop-and-resize -> linalg ------===//
//
// The Resize cases TensorToLinalg's compile-time-table lowering leaves: scales, sizes or roi as runtime
// values, cubic mode, tf_crop_and_resize. It follows ONNX's reference (interpolate_nd) exactly:
//  - per resized dimension, a small linalg.generic over [out, taps] computes at run time, in f64, the source
//    coordinate x_ori of every output index (output_width = scale * input_width, not rounded) and each tap's
//    clamped source index and weight: nearest (1 tap, by nearest_mode), linear (2), cubic (4, with
//    cubic_coeff_a and exclude_outside's renormalization), and whether x_ori falls outside the input
//    (tf_crop_and_resize's extrapolation);
//  - one linalg.generic over the result with a reduction loop per resized dimension sums weight products
//    times tensor.extracted inputs.
// A dimension is resized unless its input size is 1 (every tap reads index 0) or its scale is a compile-time
// 1 with equal sizes under a transformation that is then the identity.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace sinter {
namespace {

struct ResizedDim {
  int64_t dim;
  Value idx, weight, outside; // [out, taps] i64, f64, i1
};

struct GeneralResizeLowering : OpConversionPattern<graph::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  GeneralResizeLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/0) {}

  LogicalResult matchAndRewrite(graph::ResizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getX());
    if (!sourceResult || !inputType || sourceResult.getRank() != inputType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes of one rank");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = inputType.getRank();
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode(), nearestMode = op.getNearestMode();
    // "tf_half_pixel_for_nn" is the name ONNX Runtime and some ONNX test models use for
    // tf_half_pixel_for_nearest.
    if (ctm == "tf_half_pixel_for_nn")
      ctm = "tf_half_pixel_for_nearest";
    int64_t taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : mode == "cubic" ? 4 : 0;
    if (!taps)
      return rewriter.notifyMatchFailure(op, "unknown mode");
    if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                             "tf_half_pixel_for_nearest", "tf_crop_and_resize"}, ctm))
      return rewriter.notifyMatchFailure(op, "unsupported coordinate_transformation_mode");
    if (taps == 1 && !llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}, nearestMode))
      return rewriter.notifyMatchFailure(op, "unsupported nearest_mode");
    Type element = resultType.getElementType();
    if (taps > 1 && !isa<FloatType>(element))
      return rewriter.notifyMatchFailure(op, "linear and cubic resize need floating-point data");
    for (int64_t d = 0; d < rank; ++d)
      if (inputType.getDimSize(d) == 0 || resultType.getDimSize(d) == 0)
        return rewriter.notifyMatchFailure(op, "empty dimension");

    // Scales: a runtime or constant tensor of rank entries, or (from sizes) output / input.
    Value scalesTensor;
    SmallVector<std::optional<double>> staticScales(rank);
    RankedTensorType scalesType =
        isa<NoneType>(op.getScales().getType()) ? nullptr : staticType(adaptor.getScales());
    if (scalesType && scalesType.getRank() == 1 && scalesType.getDimSize(0) == rank) {
      DenseFPElementsAttr attr;
      if (matchPattern(op.getScales(), m_Constant(&attr))) {
        for (auto [d, v] : llvm::enumerate(attr.getValues<APFloat>()))
          staticScales[d] = v.convertToDouble();
      } else {
        scalesTensor = adaptor.getScales();
      }
    } else if (scalesType && scalesType.getNumElements() != 0) {
      return rewriter.notifyMatchFailure(op, "scales must have one entry per dimension");
    } else {
      // sizes (runtime or constant) is the result shape by definition.
      if (isa<NoneType>(op.getSizes().getType()))
        return rewriter.notifyMatchFailure(op, "neither scales nor sizes");
      if (auto sizes = constantIntValues(op.getSizes()); sizes && ArrayRef<int64_t>(*sizes) != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "sizes disagree with the result shape");
      for (int64_t d = 0; d < rank; ++d)
        staticScales[d] = static_cast<double>(resultType.getDimSize(d)) / inputType.getDimSize(d);
    }
    for (int64_t d = 0; d < rank; ++d)
      if (staticScales[d] && *staticScales[d] <= 0)
        return rewriter.notifyMatchFailure(op, "non-positive scale");
    bool crop = ctm == "tf_crop_and_resize";
    Value roi;
    if (crop) {
      RankedTensorType roiType = isa<NoneType>(op.getRoi().getType()) ? nullptr : staticType(adaptor.getRoi());
      if (!roiType || roiType.getRank() != 1 || roiType.getDimSize(0) != 2 * rank)
        return rewriter.notifyMatchFailure(op, "tf_crop_and_resize needs a roi of 2 x rank values");
      roi = adaptor.getRoi();
    }

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type f64 = rewriter.getF64Type(), i64 = rewriter.getI64Type();
    double cubicA = op.getCubicCoeffA().convertToDouble();
    bool excludeOutside = op.getExcludeOutside() != 0;
    SmallVector<ResizedDim> resized;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
      if (in == 1)
        continue;
      if (staticScales[d] && *staticScales[d] == 1.0 && in == out && !crop && ctm != "tf_half_pixel_for_nearest")
        continue;
      auto tableType = [&](Type t) { return RankedTensorType::get({out, taps}, t); };
      auto table = linalg::GenericOp::create(
          rewriter, loc, TypeRange{tableType(i64), tableType(f64), tableType(rewriter.getI1Type())}, ValueRange{},
          ValueRange{emptyTensor(rewriter, loc, tableType(i64)), emptyTensor(rewriter, loc, tableType(f64)),
                     emptyTensor(rewriter, loc, tableType(rewriter.getI1Type()))},
          SmallVector<AffineMap>(3, identityMap(ctx, 2)), parallelIterators(2),
          [&](OpBuilder &b, Location l, ValueRange) {
            auto c = [&](double v) -> Value { return scalarConstant(b, l, f64, v); };
            auto add = [&](Value x, Value y) -> Value { return arith::AddFOp::create(b, l, x, y); };
            auto sub = [&](Value x, Value y) -> Value { return arith::SubFOp::create(b, l, x, y); };
            auto mul = [&](Value x, Value y) -> Value { return arith::MulFOp::create(b, l, x, y); };
            auto div = [&](Value x, Value y) -> Value { return arith::DivFOp::create(b, l, x, y); };
            auto fcmp = [&](arith::CmpFPredicate p, Value x, Value y) -> Value {
              return arith::CmpFOp::create(b, l, p, x, y);
            };
            auto sel = [&](Value cond, Value x, Value y) -> Value { return arith::SelectOp::create(b, l, cond, x, y); };
            Value xi = linalg::IndexOp::create(b, l, 0), k = linalg::IndexOp::create(b, l, 1);
            Value x = arith::SIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, i64, xi));
            Value scale;
            if (staticScales[d]) {
              scale = c(*staticScales[d]);
            } else {
              Value s = tensor::ExtractOp::create(b, l, scalesTensor, ValueRange{arith::ConstantIndexOp::create(b, l, d)});
              scale = arith::ExtFOp::create(b, l, f64, s);
            }
            Value inW = c(in), outW = mul(scale, inW); // output_width = scale * input_width
            Value isOne = fcmp(arith::CmpFPredicate::OEQ, outW, c(1));
            Value xo, outside = arith::ConstantIntOp::create(b, l, 0, 1);
            if (ctm == "half_pixel") {
              xo = sub(div(add(x, c(0.5)), scale), c(0.5));
            } else if (ctm == "pytorch_half_pixel") {
              xo = sel(isOne, c(-0.5), sub(div(add(x, c(0.5)), scale), c(0.5)));
            } else if (ctm == "align_corners") {
              xo = sel(isOne, c(0), div(mul(x, c(in - 1)), sub(outW, c(1))));
            } else if (ctm == "asymmetric") {
              xo = div(x, scale);
            } else if (ctm == "tf_half_pixel_for_nearest") {
              xo = div(add(x, c(0.5)), scale);
            } else {
              auto roiAt = [&](int64_t i) -> Value {
                Value v = tensor::ExtractOp::create(b, l, roi, ValueRange{arith::ConstantIndexOp::create(b, l, i)});
                return v.getType() == f64 ? v : Value(arith::ExtFOp::create(b, l, f64, v));
              };
              Value start = roiAt(d), end = roiAt(d + rank), extent = mul(sub(end, start), c(in - 1));
              xo = sel(isOne, div(extent, c(2)), div(mul(x, extent), sub(outW, c(1))));
              xo = add(xo, mul(start, c(in - 1)));
              outside = arith::OrIOp::create(b, l, fcmp(arith::CmpFPredicate::OLT, xo, c(0)),
                                             fcmp(arith::CmpFPredicate::OGT, xo, c(in - 1)));
            }
            Value base = math::FloorOp::create(b, l, xo);
            Value ratio = sub(xo, base);
            Value baseInt = arith::FPToSIOp::create(b, l, i64, base);
            auto clampIndex = [&](Value v) -> Value {
              Value lo = arith::ConstantIntOp::create(b, l, i64, 0), hi = arith::ConstantIntOp::create(b, l, i64, in - 1);
              return arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, v, lo), hi);
            };
            Value kInt = arith::IndexCastOp::create(b, l, i64, k);
            Value index, weight;
            if (taps == 1) {
              // Integer x_ori reads itself; otherwise floor or floor + 1 by the ratio and nearest_mode.
              Value up;
              if (nearestMode == "floor")
                up = arith::ConstantIntOp::create(b, l, 0, 1);
              else if (nearestMode == "ceil")
                up = fcmp(arith::CmpFPredicate::OGT, ratio, c(0));
              else if (nearestMode == "round_prefer_floor")
                up = fcmp(arith::CmpFPredicate::OGT, ratio, c(0.5));
              else
                up = fcmp(arith::CmpFPredicate::OGE, ratio, c(0.5));
              index = sel(up, arith::AddIOp::create(b, l, baseInt, arith::ConstantIntOp::create(b, l, i64, 1)), baseInt);
              weight = c(1);
            } else {
              // Tap k reads base - (taps / 2 - 1) + k (linear: base, base + 1; cubic: base - 1 .. base + 2).
              Value first = arith::SubIOp::create(b, l, baseInt, arith::ConstantIntOp::create(b, l, i64, taps / 2 - 1));
              index = arith::AddIOp::create(b, l, first, kInt);
              SmallVector<Value> coeffs;
              if (taps == 2) {
                coeffs = {sub(c(1), ratio), ratio};
              } else {
                Value a = c(cubicA), one = c(1), r1 = add(ratio, one), q = sub(one, ratio), q1 = add(q, one);
                auto outer = [&](Value t) { // ((A t - 5A) t + 8A) t - 4A
                  return sub(mul(add(mul(sub(mul(a, t), c(5 * cubicA)), t), c(8 * cubicA)), t), c(4 * cubicA));
                };
                auto inner = [&](Value t) { // ((A + 2) t - (A + 3)) t t + 1
                  return add(mul(mul(sub(mul(c(cubicA + 2), t), c(cubicA + 3)), t), t), one);
                };
                coeffs = {outer(r1), inner(ratio), inner(q), outer(q1)};
              }
              if (excludeOutside) {
                Value sum = c(0);
                for (int64_t t = 0; t < taps; ++t) {
                  Value idx = arith::AddIOp::create(b, l, first, arith::ConstantIntOp::create(b, l, i64, t));
                  Value in0 = arith::AndIOp::create(
                      b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, idx, arith::ConstantIntOp::create(b, l, i64, 0)),
                      arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, arith::ConstantIntOp::create(b, l, i64, in)));
                  coeffs[t] = sel(in0, coeffs[t], c(0));
                  sum = add(sum, coeffs[t]);
                }
                for (Value &v : coeffs)
                  v = div(v, sum);
              }
              weight = coeffs[0];
              for (int64_t t = 1; t < taps; ++t)
                weight = sel(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, k, arith::ConstantIndexOp::create(b, l, t)),
                             coeffs[t], weight);
            }
            linalg::YieldOp::create(b, l, ValueRange{clampIndex(index), weight, outside});
          });
      resized.push_back({d, table.getResult(0), table.getResult(1), table.getResult(2)});
    }
    if (resized.empty() && inputType == resultType) {
      rewriter.replaceOp(op, adaptor.getX());
      return success();
    }

    int64_t loops = rank + resized.size();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (auto [i, r] : llvm::enumerate(resized)) {
      AffineMap map = AffineMap::get(loops, 0, {getAffineDimExpr(r.dim, ctx), getAffineDimExpr(rank + i, ctx)}, ctx);
      inputs.append({r.idx, r.weight, r.outside});
      maps.append({map, map, map});
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(rank));
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.append(resized.size(), utils::IteratorType::reduction);
    Value data = adaptor.getX();
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs,
        ValueRange{filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0))}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(inputType.getDimSize(d) == 1 ? Value(arith::ConstantIndexOp::create(b, l, 0))
                                                          : Value(linalg::IndexOp::create(b, l, d)));
          Value weight, outside;
          for (auto [i, r] : llvm::enumerate(resized)) {
            coords[r.dim] = arith::IndexCastOp::create(b, l, b.getIndexType(), args[3 * i]);
            Value w = args[3 * i + 1];
            weight = weight ? Value(arith::MulFOp::create(b, l, weight, w)) : w;
            outside = outside ? Value(arith::OrIOp::create(b, l, outside, args[3 * i + 2])) : args[3 * i + 2];
          }
          Value v = tensor::ExtractOp::create(b, l, data, coords);
          Value acc = args.back();
          Value result = v;
          if (taps > 1 && weight) {
            Value w = weight;
            if (element != w.getType())
              w = arith::TruncFOp::create(b, l, element, w);
            result = arith::AddFOp::create(b, l, acc, arith::MulFOp::create(b, l, w, v));
          }
          if (crop && outside)
            result = arith::SelectOp::create(b, l, outside, scalarConstant(b, l, element, extrapolation), result);
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphResizeToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GeneralResizeLowering>(converter, patterns.getContext());
}

} // namespace sinter

//===- RoiAlignToLinalg.cpp - RoiAlign -> linalg -------------------------------------------------------------===//
//
// RoiAlign with a fixed sampling_ratio: one linalg.generic over [R, C, out_h, out_w] with reduction loops
// over the sampling_ratio x sampling_ratio sample grid of each bin. The body reads the ROI's corners and batch
// index at run time and samples the input bilinearly, following ONNX Runtime's kernel (the reference the
// ONNX test data agrees with): samples beyond one pixel outside the image count as 0, coordinates clamp to
// the last pixel, "avg" averages the samples, and "max" takes the largest weighted corner value of any
// sample. sampling_ratio 0 (a grid size computed from each ROI at run time) is not supported.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace sinter {
namespace {

struct RoiAlignLowering : OpConversionPattern<graph::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::RoiAlignOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), roisType = staticType(adaptor.getRois()),
                     indicesType = staticType(adaptor.getBatchIndices());
    if (!resultType || !xType || !roisType || !indicesType || xType.getRank() != 4 || roisType.getRank() != 2 ||
        roisType.getDimSize(1) != 4 || indicesType.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "needs static X [N, C, H, W], rois [R, 4], batch_indices [R]");
    int64_t rois = roisType.getDimSize(0), channels = xType.getDimSize(1), height = xType.getDimSize(2),
            width = xType.getDimSize(3), outH = op.getOutputHeight(), outW = op.getOutputWidth();
    if (indicesType.getDimSize(0) != rois || resultType.getShape() != ArrayRef<int64_t>{rois, channels, outH, outW})
      return rewriter.notifyMatchFailure(op, "result shape disagrees with rois and output_height/width");
    int64_t samples = op.getSamplingRatio();
    if (samples <= 0)
      return rewriter.notifyMatchFailure(op, "sampling_ratio 0 (adaptive, per-ROI at run time) is not supported");
    StringRef mode = op.getMode(), transform = op.getCoordinateTransformationMode();
    if ((mode != "avg" && mode != "max") || (transform != "half_pixel" && transform != "output_half_pixel"))
      return rewriter.notifyMatchFailure(op, "unknown mode or coordinate_transformation_mode");
    bool halfPixel = transform == "half_pixel", isMax = mode == "max";
    double scale = op.getSpatialScale().convertToDouble();
    Type element = xType.getElementType();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getX(), roisValue = adaptor.getRois(), batchIndices = adaptor.getBatchIndices();
    int64_t batches = xType.getDimSize(0);

    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < 4; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap gridMap = AffineMap::get(6, 0, {getAffineDimExpr(4, ctx), getAffineDimExpr(5, ctx)}, ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(4);
    iterators.append(2, utils::IteratorType::reduction);
    Value grid = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{samples, samples}, element);
    Value init = isMax ? arith::ConstantOp::create(rewriter, loc,
                                                   rewriter.getFloatAttr(element, -std::numeric_limits<double>::infinity()))
                             .getResult()
                       : scalarConstant(rewriter, loc, element, 0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{grid}, ValueRange{filledTensor(rewriter, loc, resultType, init)},
        ArrayRef<AffineMap>{gridMap, AffineMap::get(6, 0, outExprs, ctx)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto c = [&](double v) { return scalarConstant(b, l, element, v); };
          auto idx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v).getResult(); };
          auto add = [&](Value p, Value q) { return arith::AddFOp::create(b, l, p, q).getResult(); };
          auto sub = [&](Value p, Value q) { return arith::SubFOp::create(b, l, p, q).getResult(); };
          auto mul = [&](Value p, Value q) { return arith::MulFOp::create(b, l, p, q).getResult(); };
          auto div = [&](Value p, Value q) { return arith::DivFOp::create(b, l, p, q).getResult(); };
          auto toFloat = [&](Value i) {
            Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), i);
            return arith::SIToFPOp::create(b, l, element, i64).getResult();
          };
          auto cmp = [&](arith::CmpFPredicate p, Value u, Value v) {
            return arith::CmpFOp::create(b, l, p, u, v).getResult();
          };
          Value r = linalg::IndexOp::create(b, l, 0), channel = linalg::IndexOp::create(b, l, 1);
          Value ph = linalg::IndexOp::create(b, l, 2), pw = linalg::IndexOp::create(b, l, 3);
          Value iy = linalg::IndexOp::create(b, l, 4), ix = linalg::IndexOp::create(b, l, 5);
          double offset = halfPixel ? 0.5 : 0.0;
          auto corner = [&](int64_t k) {
            Value v = tensor::ExtractOp::create(b, l, roisValue, ValueRange{r, idx(k)});
            return sub(mul(v, c(scale)), c(offset));
          };
          Value startW = corner(0), startH = corner(1), endW = corner(2), endH = corner(3);
          Value roiW = sub(endW, startW), roiH = sub(endH, startH);
          if (!halfPixel) {
            roiW = arith::MaximumFOp::create(b, l, roiW, c(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, c(1));
          }
          Value binH = div(roiH, c(outH)), binW = div(roiW, c(outW));
          // Sample position: start + p * bin + (i + 0.5) * bin / samples.
          auto position = [&](Value start, Value p, Value bin, Value i) {
            return add(add(start, mul(toFloat(p), bin)), div(mul(add(toFloat(i), c(0.5)), bin), c(samples)));
          };
          Value y = position(startH, ph, binH, iy), xs = position(startW, pw, binW, ix);
          Value outside = arith::OrIOp::create(
              b, l,
              arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::OLT, y, c(-1)),
                                   cmp(arith::CmpFPredicate::OGT, y, c(height))),
              arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::OLT, xs, c(-1)),
                                   cmp(arith::CmpFPredicate::OGT, xs, c(width))));
          // Low/high neighbours and the fractional parts, clamped at the last pixel.
          auto axis = [&](Value v, int64_t size) {
            v = arith::MaximumFOp::create(b, l, v, c(0));
            Value low = arith::FPToSIOp::create(b, l, b.getI64Type(), v);
            Value lowIndex = arith::MinSIOp::create(b, l, arith::IndexCastOp::create(b, l, b.getIndexType(), low),
                                                    idx(size - 1));
            Value atEnd = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, lowIndex, idx(size - 1));
            Value highIndex = arith::SelectOp::create(b, l, atEnd, idx(size - 1),
                                                      arith::AddIOp::create(b, l, lowIndex, idx(1)));
            Value frac = arith::SelectOp::create(b, l, atEnd, c(0), sub(v, toFloat(lowIndex)));
            return std::make_tuple(lowIndex, highIndex, frac);
          };
          auto [yLow, yHigh, ly] = axis(y, height);
          auto [xLow, xHigh, lx] = axis(xs, width);
          Value hy = sub(c(1), ly), hx = sub(c(1), lx);
          Value batchIndex = arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                        tensor::ExtractOp::create(b, l, batchIndices, ValueRange{r}));
          batchIndex = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, batchIndex, idx(0)), idx(batches - 1));
          auto at = [&](Value yy, Value xx) {
            return tensor::ExtractOp::create(b, l, x, ValueRange{batchIndex, channel, yy, xx}).getResult();
          };
          Value terms[] = {mul(mul(hy, hx), at(yLow, xLow)), mul(mul(hy, lx), at(yLow, xHigh)),
                           mul(mul(ly, hx), at(yHigh, xLow)), mul(mul(ly, lx), at(yHigh, xHigh))};
          Value value;
          if (isMax) {
            value = terms[0];
            for (Value t : ArrayRef<Value>(terms).drop_front())
              value = arith::MaximumFOp::create(b, l, value, t);
          } else {
            value = add(add(add(terms[0], terms[1]), terms[2]), terms[3]);
          }
          value = arith::SelectOp::create(b, l, outside, c(0), value);
          Value acc = args[1];
          Value next = isMax ? arith::MaximumFOp::create(b, l, acc, value).getResult() : add(acc, value);
          linalg::YieldOp::create(b, l, next);
        });
    Value result = generic.getResult(0);
    if (!isMax)
      result = mapElements(rewriter, loc, result, element, [&](OpBuilder &b, Location l, Value v) -> Value {
        return arith::DivFOp::create(b, l, v, scalarConstant(b, l, element, samples * samples));
      });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphRoiAlignToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RoiAlignLowering>(converter, patterns.getContext());
}

} // namespace sinter

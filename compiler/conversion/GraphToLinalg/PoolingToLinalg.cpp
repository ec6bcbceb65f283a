//===- PoolingToLinalg.cpp - MaxPool beyond the named ops, MaxUnpool -> linalg ----------------------------===//
//
// NNToLinalg lowers 1-D/2-D signed or float MaxPool without Indices (and 1-D/2-D AveragePool) to linalg's
// named pooling ops. This file covers the rest (AveragePool: 3 or more spatial dimensions) with one linalg.generic over [N, C, out...] x the window (reduction loops): any number of
// spatial dimensions, unsigned elements (unsigned comparison, 0 as the padding value), and the Indices
// result: the first maximal position in window order, as an index into the flattened input (batch and
// channel included; storage_order 1 flattens the spatial dimensions column-major), the convention ONNX
// Runtime and the ONNX tests use. MaxUnpool is the inverse scatter: one generic over the result with
// reduction loops over the input's spatial positions of the same (n, c), writing X where Indices names the
// result position (O(result x input window) work: meant for correctness).
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

Value indexConst(OpBuilder &b, Location loc, int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

/// Whether NNToLinalg's named-op MaxPool lowering takes this op (it then wins; this file takes the rest).
bool namedMaxPoolCovers(graph::MaxPoolOp op, RankedTensorType xType) {
  bool indicesUnused = op->getNumResults() < 2 || op->getResult(1).use_empty();
  return (xType.getRank() == 3 || xType.getRank() == 4) && indicesUnused &&
         !xType.getElementType().isUnsignedInteger();
}

/// A pool's window with explicit pads (NOTSET or VALID auto_pad) checked against the result shape; `high`
/// includes the extra padding a ceil-mode result needs, `explicitHigh` does not.
struct PoolWindow {
  SmallVector<int64_t> kernel, strides, dilations, low, high, explicitHigh;
};

template <typename OpTy>
FailureOr<PoolWindow> resolvePoolWindow(OpTy op, RankedTensorType xType, RankedTensorType resultType,
                                        std::optional<ArrayRef<int64_t>> dilationsAttr) {
  int64_t spatial = xType.getRank() - 2;
  PoolWindow w;
  w.kernel.assign(op.getKernelShape().begin(), op.getKernelShape().end());
  w.strides.assign(spatial, 1);
  w.dilations.assign(spatial, 1);
  SmallVector<int64_t> pads(2 * spatial, 0);
  if (op.getStrides())
    w.strides.assign(op.getStrides()->begin(), op.getStrides()->end());
  if (dilationsAttr)
    w.dilations.assign(dilationsAttr->begin(), dilationsAttr->end());
  if (op.getPads())
    pads.assign(op.getPads()->begin(), op.getPads()->end());
  if (op.getAutoPad() != "NOTSET" && op.getAutoPad() != "VALID")
    return failure(); // SAME padding: only the named-op lowerings resolve it
  if (op.getAutoPad() == "VALID")
    pads.assign(2 * spatial, 0);
  if (static_cast<int64_t>(w.kernel.size()) != spatial || static_cast<int64_t>(w.strides.size()) != spatial ||
      static_cast<int64_t>(w.dilations.size()) != spatial || static_cast<int64_t>(pads.size()) != 2 * spatial)
    return failure();
  if (resultType.getRank() != xType.getRank() || resultType.getDimSize(0) != xType.getDimSize(0) ||
      resultType.getDimSize(1) != xType.getDimSize(1))
    return failure();
  w.low.assign(pads.begin(), pads.begin() + spatial);
  w.explicitHigh.assign(pads.begin() + spatial, pads.end());
  w.high = w.explicitHigh;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t extent = xType.getDimSize(2 + i) + w.low[i] + w.high[i], effective = (w.kernel[i] - 1) * w.dilations[i] + 1;
    if (extent < effective || w.strides[i] < 1)
      return failure();
    int64_t floorOut = (extent - effective) / w.strides[i] + 1;
    int64_t ceilOut = (extent - effective + w.strides[i] - 1) / w.strides[i] + 1;
    int64_t out = resultType.getDimSize(2 + i);
    if (out != floorOut && !(op.getCeilMode() && out == ceilOut))
      return failure();
    w.high[i] += std::max<int64_t>(0, (out - 1) * w.strides[i] + effective - extent);
  }
  return w;
}

struct GenericMaxPoolLowering : OpConversionPattern<graph::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    auto sourceX = dyn_cast<RankedTensorType>(op.getX().getType());
    if (!sourceResult || !sourceX || !sourceX.hasStaticShape() || sourceX.getRank() < 3)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 3");
    if (namedMaxPoolCovers(op, sourceX))
      return rewriter.notifyMatchFailure(op, "lowered to the named pooling ops");
    bool isUnsigned = sourceX.getElementType().isUnsignedInteger();
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    auto xType = cast<RankedTensorType>(adaptor.getX().getType());
    int64_t rank = xType.getRank(), spatial = rank - 2;
    FailureOr<PoolWindow> resolved = resolvePoolWindow(op, xType, resultType, op.getDilations());
    if (failed(resolved))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes or a result shape that disagrees");
    ArrayRef<int64_t> kernel = resolved->kernel, strides = resolved->strides, dilations = resolved->dilations,
                      low = resolved->low, high = resolved->high;
    if (resultType.getDimSize(0) != xType.getDimSize(0) || resultType.getDimSize(1) != xType.getDimSize(1))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the input");
    RankedTensorType indicesType;
    if (op->getNumResults() > 1 && !op->getResult(1).use_empty()) {
      indicesType = staticResultType(op, 1);
      if (!indicesType || indicesType.getShape() != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "Indices needs the result's static shape");
    }

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = xType.getElementType();
    Value lowest;
    if (auto ft = dyn_cast<FloatType>(element))
      lowest = arith::ConstantOp::create(rewriter, loc,
                                         rewriter.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
    else
      lowest = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getIntegerAttr(element, isUnsigned ? APInt::getZero(element.getIntOrFloatBitWidth())
                                                      : APInt::getSignedMinValue(element.getIntOrFloatBitWidth())));
    SmallVector<int64_t> padLow(2, 0), padHigh(2, 0);
    padLow.append(low.begin(), low.end());
    padHigh.append(high.begin(), high.end());
    SmallVector<int64_t> paddedShape(xType.getShape());
    for (int64_t i = 0; i < spatial; ++i)
      paddedShape[2 + i] += low[i] + high[i];
    Value padded = tensor::PadOp::create(rewriter, loc, RankedTensorType::get(paddedShape, element), adaptor.getX(),
                                         indexAttrs(ctx, padLow), indexAttrs(ctx, padHigh), lowest);

    // Loops: n, c, out_1..out_k (parallel), win_1..win_k (reduction).
    int64_t loops = rank + spatial;
    SmallVector<AffineExpr> xExprs = {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)};
    for (int64_t i = 0; i < spatial; ++i)
      xExprs.push_back(getAffineDimExpr(2 + i, ctx) * strides[i] + getAffineDimExpr(rank + i, ctx) * dilations[i]);
    SmallVector<AffineExpr> windowExprs, outExprs;
    for (int64_t i = 0; i < spatial; ++i)
      windowExprs.push_back(getAffineDimExpr(rank + i, ctx));
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap outMap = AffineMap::get(loops, 0, outExprs, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, xExprs, ctx), AffineMap::get(loops, 0, windowExprs, ctx),
                                   outMap};
    SmallVector<Value> inits = {filledTensor(rewriter, loc, resultType, lowest)};
    SmallVector<Type> types = {resultType};
    if (indicesType) {
      maps.push_back(outMap);
      inits.push_back(filledTensor(rewriter, loc, indicesType, scalarConstant(rewriter, loc, indicesType.getElementType(), 0)));
      types.push_back(indicesType);
    }
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.append(spatial, utils::IteratorType::reduction);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, element);
    bool columnMajor = op.getStorageOrder() != 0;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, types, ValueRange{padded, window}, inits, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], acc = args[2];
          Value greater = isa<FloatType>(element)
                              ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, acc).getResult()
                              : arith::CmpIOp::create(b, l, isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt,
                                                      x, acc)
                                    .getResult();
          SmallVector<Value> yields = {arith::SelectOp::create(b, l, greater, x, acc)};
          if (indicesType) {
            // Position in the unpadded input, flattened.
            SmallVector<Value> position;
            for (int64_t i = 0; i < spatial; ++i) {
              Value o = linalg::IndexOp::create(b, l, 2 + i), k = linalg::IndexOp::create(b, l, rank + i);
              Value p = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, o, indexConst(b, l, strides[i])),
                                              arith::MulIOp::create(b, l, k, indexConst(b, l, dilations[i])));
              position.push_back(arith::SubIOp::create(b, l, p, indexConst(b, l, low[i])));
            }
            int64_t spatialSize = 1;
            for (int64_t i = 0; i < spatial; ++i)
              spatialSize *= xType.getDimSize(2 + i);
            Value plane = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, 0), indexConst(b, l, xType.getDimSize(1))),
                linalg::IndexOp::create(b, l, 1));
            Value flat = arith::MulIOp::create(b, l, plane, indexConst(b, l, spatialSize));
            Value offset = indexConst(b, l, 0);
            if (columnMajor) {
              int64_t stride = 1;
              for (int64_t i = 0; i < spatial; ++i) {
                offset = arith::AddIOp::create(b, l, offset,
                                               arith::MulIOp::create(b, l, position[i], indexConst(b, l, stride)));
                stride *= xType.getDimSize(2 + i);
              }
            } else {
              for (int64_t i = 0; i < spatial; ++i)
                offset = arith::AddIOp::create(
                    b, l, arith::MulIOp::create(b, l, offset, indexConst(b, l, xType.getDimSize(2 + i))), position[i]);
            }
            flat = arith::AddIOp::create(b, l, flat, offset);
            Value flatI64 = arith::IndexCastOp::create(b, l, indicesType.getElementType(), flat);
            yields.push_back(arith::SelectOp::create(b, l, greater, flatI64, args[3]));
          }
          linalg::YieldOp::create(b, l, yields);
        });
    SmallVector<Value> results = {generic.getResult(0)};
    results.resize(op->getNumResults(), Value());
    if (indicesType)
      results[1] = generic.getResult(1);
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// MaxUnpool: result[n, c, p...] = X[n, c, q...] where Indices[n, c, q...] is the flat index of (n, c, p...)
/// in the unpooled shape the attributes infer ((in - 1) * stride - pads + kernel), 0 where no index names it.
/// A larger output_shape pads that shape at the end of each spatial dimension: indices keep their inferred-
/// shape meaning, as in the ONNX test data (test_maxunpool_export_with_output_shape).
struct MaxUnpoolLowering : OpConversionPattern<graph::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MaxUnpoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX()), iType = staticType(adaptor.getI());
    if (!resultType || !xType || !iType || xType.getRank() < 3 || xType.getShape() != iType.getShape() ||
        resultType.getRank() != xType.getRank() || resultType.getDimSize(0) != xType.getDimSize(0) ||
        resultType.getDimSize(1) != xType.getDimSize(1))
      return rewriter.notifyMatchFailure(op, "needs static X and I of one shape and a result of the same N, C");
    if (!isa<NoneType>(op.getOutputShape().getType())) {
      if (std::optional<SmallVector<int64_t>> shape = constantIntValues(adaptor.getOutputShape());
          shape && ArrayRef<int64_t>(*shape) != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "output_shape disagrees with the result type");
    }
    int64_t rank = resultType.getRank(), spatial = rank - 2, loops = rank + spatial;
    ArrayRef<int64_t> kernel = op.getKernelShape();
    SmallVector<int64_t> strides(spatial, 1), pads(2 * spatial, 0);
    if (op.getStrides())
      strides.assign(op.getStrides()->begin(), op.getStrides()->end());
    if (op.getPads() && isa<NoneType>(op.getOutputShape().getType()))
      pads.assign(op.getPads()->begin(), op.getPads()->end());
    if (static_cast<int64_t>(kernel.size()) != spatial || static_cast<int64_t>(strides.size()) != spatial ||
        static_cast<int64_t>(pads.size()) != 2 * spatial)
      return rewriter.notifyMatchFailure(op, "window attributes have the wrong length");
    SmallVector<int64_t> inferred(resultType.getShape().take_front(2));
    for (int64_t i = 0; i < spatial; ++i) {
      inferred.push_back((xType.getDimSize(2 + i) - 1) * strides[i] - pads[i] - pads[spatial + i] + kernel[i]);
      if (inferred.back() < 1 || inferred.back() > resultType.getDimSize(2 + i))
        return rewriter.notifyMatchFailure(op, "result smaller than the unpooled shape");
    }
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> inExprs = {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, outExprs;
    for (int64_t i = 0; i < spatial; ++i)
      inExprs.push_back(getAffineDimExpr(rank + i, ctx));
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap inMap = AffineMap::get(loops, 0, inExprs, ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.append(spatial, utils::IteratorType::reduction);
    Location loc = op.getLoc();
    Type element = resultType.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getX(), adaptor.getI()},
        ValueRange{filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0))},
        ArrayRef<AffineMap>{inMap, inMap, AffineMap::get(loops, 0, outExprs, ctx)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value flat = indexConst(b, l, 0), inside = arith::ConstantIntOp::create(b, l, 1, 1);
          for (int64_t d = 0; d < rank; ++d) {
            Value p = linalg::IndexOp::create(b, l, d);
            flat = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, flat, indexConst(b, l, inferred[d])), p);
            if (inferred[d] != resultType.getDimSize(d))
              inside = arith::AndIOp::create(
                  b, l, inside, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, p, indexConst(b, l, inferred[d])));
          }
          Value flatI64 = arith::IndexCastOp::create(b, l, b.getI64Type(), flat);
          Value hit = arith::AndIOp::create(b, l, inside,
                                            arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, args[1], flatI64));
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, hit, args[0], args[2]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// AveragePool with 3 or more spatial dimensions (NNToLinalg's named ops take 1-D and 2-D): a window sum
/// over the zero-padded input, then division by the number of counted positions (product over dimensions of
/// those inside the input, or inside the explicit pads with count_include_pad), known at compile time.
struct GenericAveragePoolLowering : OpConversionPattern<graph::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::AveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType xType = staticType(adaptor.getX());
    if (!resultType || !xType || xType.getRank() < 5 || !isa<FloatType>(xType.getElementType()))
      return rewriter.notifyMatchFailure(op, "1-D and 2-D pools are lowered to the named ops");
    FailureOr<PoolWindow> window = resolvePoolWindow(op, xType, resultType, std::nullopt);
    if (failed(window))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes or a result shape that disagrees");
    int64_t rank = xType.getRank(), spatial = rank - 2, loops = rank + spatial;
    bool includePad = op.getCountIncludePad() != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = xType.getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0);
    SmallVector<int64_t> padLow(2, 0), padHigh(2, 0), paddedShape(xType.getShape());
    padLow.append(window->low);
    padHigh.append(window->high);
    for (int64_t i = 0; i < spatial; ++i)
      paddedShape[2 + i] += window->low[i] + window->high[i];
    Value padded = tensor::PadOp::create(rewriter, loc, RankedTensorType::get(paddedShape, element), adaptor.getX(),
                                         indexAttrs(ctx, padLow), indexAttrs(ctx, padHigh), zero);
    SmallVector<AffineExpr> xExprs = {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, windowExprs, outExprs;
    for (int64_t i = 0; i < spatial; ++i) {
      xExprs.push_back(getAffineDimExpr(2 + i, ctx) * window->strides[i] + getAffineDimExpr(rank + i, ctx));
      windowExprs.push_back(getAffineDimExpr(rank + i, ctx));
    }
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.append(spatial, utils::IteratorType::reduction);
    Value windowShape = tensor::EmptyOp::create(rewriter, loc, window->kernel, element);
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{resultType}, ValueRange{padded, windowShape},
                    ValueRange{filledTensor(rewriter, loc, resultType, zero)},
                    ArrayRef<AffineMap>{AffineMap::get(loops, 0, xExprs, ctx), AffineMap::get(loops, 0, windowExprs, ctx),
                                        AffineMap::get(loops, 0, outExprs, ctx)},
                    iterators,
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, args[2], args[0]).getResult());
                    })
                    .getResult(0);
    // Per spatial dimension, the counted positions of each output's window, as a constant vector.
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {identityMap(ctx, rank)};
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(2 + i), lo = window->low[i], outSize = resultType.getDimSize(2 + i);
      int64_t lower = includePad ? -lo : 0, upper = includePad ? in + window->explicitHigh[i] : in;
      SmallVector<double> counts;
      for (int64_t o = 0; o < outSize; ++o) {
        int64_t start = o * window->strides[i] - lo;
        int64_t first = std::max(start, lower), last = std::min(start + window->kernel[i], upper);
        if (last <= first)
          return rewriter.notifyMatchFailure(op, "a window covers no counted position");
        counts.push_back(static_cast<double>(last - first));
      }
      auto countType = RankedTensorType::get({outSize}, element);
      SmallVector<Attribute> values;
      for (double c : counts)
        values.push_back(rewriter.getFloatAttr(element, c));
      inputs.push_back(arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(countType, values)));
      maps.push_back(AffineMap::get(rank, 0, {getAffineDimExpr(2 + i, ctx)}, ctx));
    }
    maps.push_back(identityMap(ctx, rank));
    auto average = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value count = args[1];
          for (int64_t i = 1; i < spatial; ++i)
            count = arith::MulFOp::create(b, l, count, args[1 + i]);
          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, args[0], count).getResult());
        });
    rewriter.replaceOp(op, average.getResults());
    return success();
  }
};

} // namespace

void populateGraphPoolingToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GenericMaxPoolLowering, GenericAveragePoolLowering, MaxUnpoolLowering>(converter, patterns.getContext());
}

} // namespace sinter

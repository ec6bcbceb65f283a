//===- TensorToLinalg.cpp - data-movement graph ops -> tensor/linalg -----------------------------------===//
//
// Shapes, axes, pads, repeats, scales and sizes must be constants (static shapes only). Views become
// tensor.extract_slice / insert_slice / expand_shape / collapse_shape (Concat, Slice, Split, constant scalar
// Gather, Reshape-like ops); reversals, broadcasts (Expand, Tile) and index remapping (Gather,
// GatherElements, reflect/edge Pad, Resize) are linalg.generic ops, the remapping ones reading the input
// with tensor.extract at computed coordinates; constant Pad is tensor.pad.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace sinter {
namespace {

/// `idx` (a signless integer of any width) as an index; negative values count from the end of a dimension
/// of size `dim` (ONNX Gather/GatherElements semantics).
Value wrappedIndex(OpBuilder &b, Location loc, Value idx, int64_t dim) {
  Type t = idx.getType();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 0));
  Value size = arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, dim));
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(b, loc, idx, size);
  Value v = arith::SelectOp::create(b, loc, negative, wrapped, idx);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value indexConstant(OpBuilder &b, Location loc, int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

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
    auto all = [](int64_t rank) {
      SmallVector<ReassociationIndices> groups(1);
      for (int64_t i = 0; i < rank; ++i)
        groups[0].push_back(i);
      return groups;
    };
    // Rank 0 <-> [1] is an expand/collapse with no reassociation groups.
    Value flat = input;
    if (inputType.getRank() == 0)
      flat = tensor::ExpandShapeOp::create(rewriter, loc, RankedTensorType::get({1}, inputType.getElementType()), input,
                                           SmallVector<ReassociationIndices>{});
    else if (inputType.getRank() != 1)
      flat = tensor::CollapseShapeOp::create(rewriter, loc, input, all(inputType.getRank()));
    Value result = flat;
    if (resultType.getRank() == 0)
      result = tensor::CollapseShapeOp::create(rewriter, loc, resultType, flat, SmallVector<ReassociationIndices>{});
    else if (resultType.getRank() != 1)
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, flat, all(resultType.getRank()));
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

/// Concat: tensor.insert_slice of each (non-empty) input into a tensor.empty of the result.
struct ConcatLowering : OpConversionPattern<graph::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = resultType.getRank();
    if (rank == 0)
      return rewriter.notifyMatchFailure(op, "rank-0 concat");
    int64_t axis = normalizeAxis(op.getAxis(), rank), total = 0;
    for (Value input : adaptor.getInputs()) {
      RankedTensorType t = staticType(input);
      if (!t || t.getRank() != rank)
        return rewriter.notifyMatchFailure(op, "inputs need static shapes of the result's rank");
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && t.getDimSize(d) != resultType.getDimSize(d))
          return rewriter.notifyMatchFailure(op, "input shape disagrees with the result");
      total += t.getDimSize(axis);
    }
    if (total != resultType.getDimSize(axis))
      return rewriter.notifyMatchFailure(op, "inputs do not cover the result along the axis");
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value dest = emptyTensor(rewriter, loc, resultType);
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto t = cast<RankedTensorType>(input.getType());
      if (t.getDimSize(axis) == 0)
        continue;
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      dest = tensor::InsertSliceOp::create(rewriter, loc, input, dest, indexAttrs(ctx, offsets),
                                           indexAttrs(ctx, t.getShape()), indexAttrs(ctx, strides));
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, dest);
    return success();
  }
};

/// Slice with constant starts/ends/axes/steps: tensor.extract_slice with |step| strides, then a
/// linalg.generic that reverses the axes with negative steps.
struct SliceLowering : OpConversionPattern<graph::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    if (!sourceResult || !dataType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = dataType.getRank();
    auto starts = constantIntValues(op.getStarts()), ends = constantIntValues(op.getEnds());
    if (!starts || !ends || starts->size() != ends->size())
      return rewriter.notifyMatchFailure(op, "starts/ends must be constants of one length");
    size_t n = starts->size();
    SmallVector<int64_t> axes, steps(n, 1);
    if (isa<NoneType>(op.getAxes().getType())) {
      for (size_t i = 0; i < n; ++i)
        axes.push_back(i);
    } else if (auto a = constantIntValues(op.getAxes())) {
      axes = *a;
    } else {
      return rewriter.notifyMatchFailure(op, "axes must be a constant");
    }
    if (!isa<NoneType>(op.getSteps().getType())) {
      auto s = constantIntValues(op.getSteps());
      if (!s)
        return rewriter.notifyMatchFailure(op, "steps must be a constant");
      steps = *s;
    }
    if (axes.size() != n || steps.size() != n)
      return rewriter.notifyMatchFailure(op, "starts, ends, axes and steps differ in length");

    SmallVector<int64_t> offsets(rank, 0), sizes(dataType.getShape()), strides(rank, 1);
    SmallVector<bool> reversed(rank, false), seen(rank, false);
    for (size_t i = 0; i < n; ++i) {
      if (axes[i] < -rank || axes[i] >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      int64_t axis = normalizeAxis(axes[i], rank);
      if (seen[axis])
        return rewriter.notifyMatchFailure(op, "repeated axis");
      seen[axis] = true;
      int64_t dim = dataType.getDimSize(axis), start = (*starts)[i], end = (*ends)[i], step = steps[i];
      if (step == 0 || step == std::numeric_limits<int64_t>::min())
        return rewriter.notifyMatchFailure(op, "unsupported step");
      if (start < 0)
        start += dim;
      if (end < 0)
        end += dim;
      int64_t size;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        size = end > start ? 1 + (end - start - 1) / step : 0;
        offsets[axis] = start;
        strides[axis] = step;
      } else if (dim == 0) {
        size = 0;
        strides[axis] = -step;
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        size = start > end ? 1 + (start - end - 1) / -step : 0;
        offsets[axis] = size > 0 ? start - (size - 1) * -step : 0;
        strides[axis] = -step;
        reversed[axis] = size > 1;
      }
      sizes[axis] = size;
    }
    if (ArrayRef<int64_t>(sizes) != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "computed slice shape disagrees with the result type");

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value result = tensor::ExtractSliceOp::create(rewriter, loc, resultType, adaptor.getData(),
                                                  indexAttrs(ctx, offsets), indexAttrs(ctx, sizes),
                                                  indexAttrs(ctx, strides));
    if (llvm::is_contained(reversed, true)) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < rank; ++d) {
        AffineExpr e = getAffineDimExpr(d, ctx);
        exprs.push_back(reversed[d] ? getAffineConstantExpr(sizes[d] - 1, ctx) - e : e);
      }
      SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, ctx), identityMap(ctx, rank)};
      result = linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{result},
                                         ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
                                         parallelIterators(rank),
                                         [](OpBuilder &b, Location l, ValueRange args) {
                                           linalg::YieldOp::create(b, l, args[0]);
                                         })
                   .getResult(0);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Split: one tensor.extract_slice per output; the sizes are the outputs' static sizes along the axis (they
/// agree with the `split` input or the equal split, which the importer's shape inference computed).
struct SplitLowering : OpConversionPattern<graph::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inputType = staticType(adaptor.getInput());
    if (!inputType || inputType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs a static input");
    int64_t rank = inputType.getRank(), axis = normalizeAxis(op.getAxis(), rank), total = 0;
    SmallVector<RankedTensorType> resultTypes;
    for (unsigned i = 0; i < op->getNumResults(); ++i) {
      RankedTensorType t = staticResultType(op, i);
      if (!t || t.getRank() != rank)
        return rewriter.notifyMatchFailure(op, "needs static results");
      resultTypes.push_back(cast<RankedTensorType>(getTypeConverter()->convertType(t)));
      total += t.getDimSize(axis);
    }
    if (total != inputType.getDimSize(axis))
      return rewriter.notifyMatchFailure(op, "outputs do not cover the input");
    if (!isa<NoneType>(op.getSplit().getType())) {
      auto split = constantIntValues(op.getSplit());
      if (split) {
        if (split->size() != resultTypes.size())
          return rewriter.notifyMatchFailure(op, "split has the wrong length");
        for (auto [s, t] : llvm::zip(*split, resultTypes))
          if (s != t.getDimSize(axis))
            return rewriter.notifyMatchFailure(op, "split disagrees with the result types");
      }
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<Value> results;
    int64_t offset = 0;
    for (RankedTensorType t : resultTypes) {
      // A zero-size output reads nothing; a slice would be out of bounds when it starts at the input's end.
      if (t.getNumElements() == 0) {
        results.push_back(emptyTensor(rewriter, loc, t));
        continue;
      }
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      results.push_back(tensor::ExtractSliceOp::create(rewriter, loc, t, adaptor.getInput(), indexAttrs(ctx, offsets),
                                                       indexAttrs(ctx, t.getShape()), indexAttrs(ctx, strides)));
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Gather: a constant scalar index is a (rank-reducing) tensor.extract_slice; otherwise a linalg.generic
/// over the output reads the index (negative ones wrap) and tensor.extracts from data.
struct GatherLowering : OpConversionPattern<graph::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    if (!sourceResult || !dataType || !indicesType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t r = dataType.getRank(), q = indicesType.getRank(), axis = normalizeAxis(op.getAxis(), r);
    if (resultType.getRank() != q + r - 1)
      return rewriter.notifyMatchFailure(op, "result rank is not q + r - 1");
    int64_t dim = dataType.getDimSize(axis);
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();

    auto constant = constantIntValues(op.getIndices());
    if (q == 0 && constant && constant->size() == 1) {
      int64_t index = (*constant)[0] < 0 ? (*constant)[0] + dim : (*constant)[0];
      if (index < 0 || index >= dim)
        return rewriter.notifyMatchFailure(op, "constant index out of range");
      SmallVector<int64_t> offsets(r, 0), sizes(dataType.getShape()), strides(r, 1);
      offsets[axis] = index;
      sizes[axis] = 1;
      rewriter.replaceOp(op, tensor::ExtractSliceOp::create(rewriter, loc, resultType, adaptor.getData(),
                                                            indexAttrs(ctx, offsets), indexAttrs(ctx, sizes),
                                                            indexAttrs(ctx, strides)));
      return success();
    }

    int64_t outRank = resultType.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < q; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {AffineMap::get(outRank, 0, indexExprs, ctx), identityMap(ctx, outRank)};
    Value data = adaptor.getData();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, resultType)}, maps, parallelIterators(outRank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t j = 0; j < axis; ++j)
            coords.push_back(linalg::IndexOp::create(b, l, j));
          coords.push_back(wrappedIndex(b, l, args[0], dim));
          for (int64_t j = axis + 1; j < r; ++j)
            coords.push_back(linalg::IndexOp::create(b, l, j - 1 + q));
          linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, data, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// GatherElements: a linalg.generic over the indices' shape; data is read at the index along the axis.
struct GatherElementsLowering : OpConversionPattern<graph::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::GatherElementsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    if (!sourceResult || !dataType || !indicesType || indicesType.getShape() != sourceResult.getShape() ||
        dataType.getRank() != indicesType.getRank() || dataType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes of one rank");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t r = dataType.getRank(), axis = normalizeAxis(op.getAxis(), r), dim = dataType.getDimSize(axis);
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value data = adaptor.getData();
    SmallVector<AffineMap> maps = {identityMap(ctx, r), identityMap(ctx, r)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, resultType)}, maps, parallelIterators(r),
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t j = 0; j < r; ++j)
            coords.push_back(j == axis ? wrappedIndex(b, l, args[0], dim) : Value(linalg::IndexOp::create(b, l, j)));
          linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, data, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Expand: a broadcasting copy (linalg.generic with a Numpy broadcasting input map).
struct ExpandLowering : OpConversionPattern<graph::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ExpandOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    if (!sourceResult || !inputType || inputType.getRank() > sourceResult.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = resultType.getRank(), offset = rank - inputType.getRank();
    for (int64_t i = 0; i < inputType.getRank(); ++i)
      if (inputType.getDimSize(i) != 1 && inputType.getDimSize(i) != resultType.getDimSize(offset + i))
        return rewriter.notifyMatchFailure(op, "input does not broadcast to the result");
    if (inputType == resultType) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    SmallVector<AffineMap> maps = {broadcastIndexingMap(ctx, inputType, resultType.getShape()),
                                   identityMap(ctx, rank)};
    auto generic = linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getInput()},
                                             ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
                                             parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
                                               linalg::YieldOp::create(b, l, args[0]);
                                             });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Pad with constant pads. Negative pads crop first (tensor.extract_slice). Constant mode is tensor.pad;
/// reflect and edge modes are a linalg.generic over the result that maps each index back into the input.
struct PadLowering : OpConversionPattern<graph::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    if (!sourceResult || !dataType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = dataType.getRank();
    auto pads = constantIntValues(op.getPads());
    if (!pads || static_cast<int64_t>(pads->size()) != 2 * rank)
      return rewriter.notifyMatchFailure(op, "pads must be a constant of 2 x rank values");
    StringRef mode = op.getMode();
    Type element = resultType.getElementType();
    bool constantMode = mode == "constant";
    if (!constantMode && mode != "reflect" && mode != "edge")
      return rewriter.notifyMatchFailure(op, "unknown mode");

    // Crop (negative pads), then pad (positive pads).
    SmallVector<int64_t> cropOffsets(rank, 0), cropSizes(dataType.getShape()), low(rank, 0), high(rank, 0);
    bool crop = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = (*pads)[d], hi = (*pads)[d + rank];
      if (lo < 0) {
        cropOffsets[d] = -lo;
        cropSizes[d] += lo;
        crop = true;
      } else {
        low[d] = lo;
      }
      if (hi < 0) {
        cropSizes[d] += hi;
        crop = true;
      } else {
        high[d] = hi;
      }
      if (cropSizes[d] < 0 || cropSizes[d] + low[d] + high[d] != resultType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "pads disagree with the result type");
      if (mode == "reflect" && (low[d] > 0 || high[d] > 0) && (low[d] >= cropSizes[d] || high[d] >= cropSizes[d]))
        return rewriter.notifyMatchFailure(op, "reflect pads must be smaller than the dimension");
      if (mode == "edge" && (low[d] > 0 || high[d] > 0) && cropSizes[d] == 0)
        return rewriter.notifyMatchFailure(op, "edge padding of an empty dimension");
    }
    std::optional<double> padFloat;
    std::optional<SmallVector<int64_t>> padInt;
    bool hasValue = constantMode && !isa<NoneType>(op.getConstantValue().getType());
    if (constantMode) {
      if (!isa<FloatType>(element) && !isa<IntegerType>(element))
        return rewriter.notifyMatchFailure(op, "constant padding of this element type");
      if (hasValue) {
        RankedTensorType valueType = staticType(adaptor.getConstantValue());
        if (!valueType || valueType.getNumElements() != 1)
          return rewriter.notifyMatchFailure(op, "constant_value must be one element");
        if (isa<FloatType>(element))
          padFloat = constantFloatValue(op.getConstantValue());
        else
          padInt = constantIntValues(op.getConstantValue());
      }
    }

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value source = adaptor.getData();
    if (crop)
      source = tensor::ExtractSliceOp::create(rewriter, loc, source, indexAttrs(ctx, cropOffsets),
                                              indexAttrs(ctx, cropSizes), SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));
    if (llvm::all_of(low, [](int64_t v) { return v == 0; }) && llvm::all_of(high, [](int64_t v) { return v == 0; })) {
      rewriter.replaceOp(op, source);
      return success();
    }

    if (constantMode) {
      Value padValue;
      if (!hasValue)
        padValue = scalarConstant(rewriter, loc, element, 0);
      else if (padFloat)
        padValue = scalarConstant(rewriter, loc, element, *padFloat);
      else if (padInt)
        padValue = arith::ConstantOp::create(rewriter, loc, rewriter.getIntegerAttr(element, (*padInt)[0]));
      else
        padValue = tensor::ExtractOp::create(
            rewriter, loc, adaptor.getConstantValue(),
            SmallVector<Value>(cast<RankedTensorType>(adaptor.getConstantValue().getType()).getRank(),
                               indexConstant(rewriter, loc, 0)));
      rewriter.replaceOp(op, tensor::PadOp::create(rewriter, loc, resultType, source, indexAttrs(ctx, low),
                                                   indexAttrs(ctx, high), padValue));
      return success();
    }

    bool reflect = mode == "reflect";
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(ctx, rank)}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            if (low[d] == 0 && high[d] == 0) {
              coords.push_back(i);
              continue;
            }
            int64_t n = cropSizes[d];
            Value j = arith::SubIOp::create(b, l, i, indexConstant(b, l, low[d]));
            Value zero = indexConstant(b, l, 0), last = indexConstant(b, l, n - 1);
            if (reflect) {
              // j < 0 -> -j; j > n - 1 -> 2 (n - 1) - j.
              Value neg = arith::SubIOp::create(b, l, zero, j);
              j = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, j, zero), neg, j);
              Value mirrored = arith::SubIOp::create(b, l, indexConstant(b, l, 2 * (n - 1)), j);
              j = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, j, last),
                                          mirrored, j);
            } else {
              j = arith::MaxSIOp::create(b, l, j, zero);
              j = arith::MinSIOp::create(b, l, j, last);
            }
            coords.push_back(j);
          }
          linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, source, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Tile: broadcast the input to [r0, n0, r1, n1, ...] and collapse pairs.
struct TileLowering : OpConversionPattern<graph::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::TileOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    if (!sourceResult || !inputType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = inputType.getRank();
    // Runtime repeats are the result's (static) sizes over the input's: the result shape is the input's
    // times repeats by definition.
    auto repeats = constantIntValues(op.getRepeats());
    if (!repeats) {
      repeats.emplace();
      for (int64_t d = 0; d < rank; ++d) {
        int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
        if (in == 0 || out % in != 0)
          return rewriter.notifyMatchFailure(op, "runtime repeats with a result shape that is not a multiple");
        repeats->push_back(out / in);
      }
    }
    if (static_cast<int64_t>(repeats->size()) != rank)
      return rewriter.notifyMatchFailure(op, "repeats must have rank values");
    for (int64_t d = 0; d < rank; ++d)
      if ((*repeats)[d] < 0 || (*repeats)[d] * inputType.getDimSize(d) != resultType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "repeats disagree with the result type");
    if (inputType == resultType) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    SmallVector<int64_t> wideShape;
    SmallVector<AffineExpr> inputExprs;
    SmallVector<ReassociationIndices> pairs;
    for (int64_t d = 0; d < rank; ++d) {
      wideShape.push_back((*repeats)[d]);
      wideShape.push_back(inputType.getDimSize(d));
      inputExprs.push_back(getAffineDimExpr(2 * d + 1, ctx));
      pairs.push_back({2 * d, 2 * d + 1});
    }
    auto wideType = RankedTensorType::get(wideShape, resultType.getElementType());
    SmallVector<AffineMap> maps = {AffineMap::get(2 * rank, 0, inputExprs, ctx), identityMap(ctx, 2 * rank)};
    Value wide = linalg::GenericOp::create(rewriter, loc, TypeRange{wideType}, ValueRange{adaptor.getInput()},
                                           ValueRange{emptyTensor(rewriter, loc, wideType)}, maps,
                                           parallelIterators(2 * rank),
                                           [](OpBuilder &b, Location l, ValueRange args) {
                                             linalg::YieldOp::create(b, l, args[0]);
                                           })
                     .getResult(0);
    rewriter.replaceOp(op, tensor::CollapseShapeOp::create(rewriter, loc, resultType, wide, pairs));
    return success();
  }
};

/// ConstantOfShape: linalg.fill of the `value` attribute's element (default 0.0 f32).
struct ConstantOfShapeLowering : OpConversionPattern<graph::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ConstantOfShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Type element = resultType.getElementType();
    Location loc = op.getLoc();
    TypedAttr scalar;
    if (ElementsAttr value = op.getValueAttr()) {
      auto dense = dyn_cast<DenseElementsAttr>(value);
      if (!dense || dense.getNumElements() != 1)
        return rewriter.notifyMatchFailure(op, "value must be a dense one-element tensor");
      if (auto ft = dyn_cast<FloatType>(element)) {
        if (dense.getElementType() != element)
          return rewriter.notifyMatchFailure(op, "value's type disagrees with the result");
        scalar = rewriter.getFloatAttr(ft, (*dense.getValues<APFloat>().begin()));
      } else if (auto it = dyn_cast<IntegerType>(element)) {
        if (getElementTypeOrSelf(dense.getElementType()).getIntOrFloatBitWidth() != it.getWidth() ||
            !isa<IntegerType>(dense.getElementType()))
          return rewriter.notifyMatchFailure(op, "value's type disagrees with the result");
        scalar = rewriter.getIntegerAttr(element, *dense.getValues<APInt>().begin());
      } else {
        return rewriter.notifyMatchFailure(op, "unsupported element type");
      }
    } else {
      if (!element.isF32())
        return rewriter.notifyMatchFailure(op, "no value: the result must be f32");
      scalar = rewriter.getF32FloatAttr(0.0f);
    }
    Value v = arith::ConstantOp::create(rewriter, loc, scalar);
    rewriter.replaceOp(op, filledTensor(rewriter, loc, resultType, v));
    return success();
  }
};

/// Resize (nearest or linear) with constant scales or sizes. The source coordinate of every output index is
/// static, so per resized dimension the lowering builds constant tables (source index, or two indices and a
/// weight) at compile time; a linalg.generic over the output reads them and tensor.extracts from the input
/// (2^m corners for linear over m resized dimensions).
struct ResizeLowering : OpConversionPattern<graph::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  static constexpr int64_t kMaxLinearDims = 3;

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
    bool linear = mode == "linear";
    if (!linear && mode != "nearest")
      return rewriter.notifyMatchFailure(op, "only nearest and linear modes");
    if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                             "tf_half_pixel_for_nearest"}, ctm))
      return rewriter.notifyMatchFailure(op, "unsupported coordinate_transformation_mode");
    if (!linear && !llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}, nearestMode))
      return rewriter.notifyMatchFailure(op, "unsupported nearest_mode");
    Type element = resultType.getElementType();
    if (linear && !isa<FloatType>(element))
      return rewriter.notifyMatchFailure(op, "linear resize needs floating-point data");

    // Scales: the constant `scales` input if it has one entry per dimension, else output / input sizes.
    SmallVector<double> scales;
    if (!isa<NoneType>(op.getScales().getType())) {
      DenseFPElementsAttr attr;
      if (!matchPattern(op.getScales(), m_Constant(&attr)))
        return rewriter.notifyMatchFailure(op, "scales must be a constant");
      for (const APFloat &v : attr.getValues<APFloat>())
        scales.push_back(v.convertToDouble());
      if (!scales.empty() && static_cast<int64_t>(scales.size()) != rank)
        return rewriter.notifyMatchFailure(op, "scales has the wrong length");
    }
    if (!isa<NoneType>(op.getSizes().getType())) {
      auto sizes = constantIntValues(op.getSizes());
      if (!sizes || ArrayRef<int64_t>(*sizes) != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "sizes must be a constant equal to the result shape");
    }
    for (int64_t d = 0; d < rank; ++d) {
      int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
      if (in == 0 || out == 0)
        return rewriter.notifyMatchFailure(op, "empty dimension");
      if (scales.size() <= static_cast<size_t>(d))
        scales.push_back(static_cast<double>(out) / static_cast<double>(in));
      else if (scales[d] <= 0 || static_cast<int64_t>(std::floor(static_cast<float>(in) * static_cast<float>(scales[d]))) != out)
        return rewriter.notifyMatchFailure(op, "scales disagree with the result shape");
    }

    // Per-dimension source coordinates.
    auto source = [&](int64_t d, int64_t x) -> double {
      // As ONNX's reference: output_width is scale * input_width, not rounded.
      double in = inputType.getDimSize(d), s = scales[d], out = in * s;
      if (ctm == "half_pixel")
        return (x + 0.5) / s - 0.5;
      if (ctm == "pytorch_half_pixel")
        return out == 1 ? -0.5 : (x + 0.5) / s - 0.5;
      if (ctm == "align_corners")
        return out == 1 ? 0.0 : x * (in - 1) / (out - 1);
      if (ctm == "asymmetric")
        return x / s;
      return (x + 0.5) / s; // tf_half_pixel_for_nearest
    };
    struct Table {
      int64_t dim;
      SmallVector<int64_t> lower, upper;
      SmallVector<double> weight;
    };
    SmallVector<Table> tables;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
      Table t{d, {}, {}, {}};
      bool identity = in == out;
      for (int64_t x = 0; x < out; ++x) {
        double c = source(d, x);
        if (linear) {
          c = std::clamp(c, 0.0, static_cast<double>(in - 1));
          int64_t lo = static_cast<int64_t>(std::floor(c));
          t.lower.push_back(lo);
          t.upper.push_back(std::min(lo + 1, in - 1));
          t.weight.push_back(c - lo);
          identity &= lo == x && c == lo;
        } else {
          double f = std::floor(c), frac = c - f;
          double r = nearestMode == "floor"  ? f
                     : nearestMode == "ceil" ? std::ceil(c)
                     : frac == 0.5           ? (nearestMode == "round_prefer_floor" ? f : f + 1)
                                             : (frac > 0.5 ? f + 1 : f);
          int64_t index = std::clamp<int64_t>(static_cast<int64_t>(r), 0, in - 1);
          t.lower.push_back(index);
          identity &= index == x;
        }
      }
      if (!identity)
        tables.push_back(std::move(t));
    }
    if (tables.empty() && inputType == resultType) {
      rewriter.replaceOp(op, adaptor.getX());
      return success();
    }
    if (linear && static_cast<int64_t>(tables.size()) > kMaxLinearDims)
      return rewriter.notifyMatchFailure(op, "too many linearly resized dimensions");

    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto i64 = rewriter.getI64Type();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (const Table &t : tables) {
      int64_t n = resultType.getDimSize(t.dim);
      AffineMap map = AffineMap::get(rank, 0, {getAffineDimExpr(t.dim, ctx)}, ctx);
      auto indexType = RankedTensorType::get({n}, i64);
      inputs.push_back(arith::ConstantOp::create(rewriter, loc, DenseIntElementsAttr::get(indexType, t.lower)));
      maps.push_back(map);
      if (linear) {
        inputs.push_back(arith::ConstantOp::create(rewriter, loc, DenseIntElementsAttr::get(indexType, t.upper)));
        auto ft = cast<FloatType>(element);
        SmallVector<APFloat> weights;
        for (double w : t.weight) {
          bool lost;
          APFloat f(w);
          f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
          weights.push_back(f);
        }
        inputs.push_back(arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(RankedTensorType::get({n}, element), weights)));
        maps.append({map, map});
      }
    }
    maps.push_back(identityMap(ctx, rank));
    Value data = adaptor.getX();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> base;
          for (int64_t d = 0; d < rank; ++d)
            base.push_back(linalg::IndexOp::create(b, l, d));
          auto cast = [&](Value v) -> Value { return arith::IndexCastOp::create(b, l, b.getIndexType(), v); };
          if (!linear) {
            for (auto [t, arg] : llvm::zip(tables, args))
              base[t.dim] = cast(arg);
            linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, data, base).getResult());
            return;
          }
          Value one = scalarConstant(b, l, element, 1);
          Value sum;
          for (int64_t corner = 0; corner < (int64_t(1) << tables.size()); ++corner) {
            SmallVector<Value> coords(base);
            Value weight;
            for (auto [i, t] : llvm::enumerate(tables)) {
              bool upper = (corner >> i) & 1;
              coords[t.dim] = cast(args[3 * i + (upper ? 1 : 0)]);
              Value w = args[3 * i + 2];
              if (!upper)
                w = arith::SubFOp::create(b, l, one, w);
              weight = weight ? Value(arith::MulFOp::create(b, l, weight, w)) : w;
            }
            Value term = arith::MulFOp::create(b, l, weight, tensor::ExtractOp::create(b, l, data, coords));
            sum = sum ? Value(arith::AddFOp::create(b, l, sum, term)) : term;
          }
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Trilu keeps the elements on one side of the k-th diagonal of the last two dimensions and zeroes the rest:
/// upper keeps column - row >= k, lower keeps column - row <= k (k from the optional constant input).
struct TriluLowering : OpConversionPattern<graph::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::TriluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || !staticType(adaptor.getInput()))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    // k: absent (0), a constant, or a runtime scalar read inside the loop body.
    int64_t k = 0;
    Value kTensor;
    if (!isa<NoneType>(op.getK().getType())) {
      if (auto values = constantIntValues(op.getK()); values && values->size() == 1)
        k = values->front();
      else if (RankedTensorType kType = staticType(adaptor.getK()); kType && kType.getNumElements() == 1)
        kTensor = adaptor.getK();
      else
        return rewriter.notifyMatchFailure(op, "k must be a single value");
    }
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = resultType.getRank();
    bool upper = op.getUpper() != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getInput()},
        ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(ctx, rank), identityMap(ctx, rank)}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value row = linalg::IndexOp::create(b, l, rank - 2), column = linalg::IndexOp::create(b, l, rank - 1);
          Value diagonal = arith::SubIOp::create(b, l, column, row);
          Value kValue = arith::ConstantIndexOp::create(b, l, k);
          if (kTensor) {
            auto kType = cast<RankedTensorType>(kTensor.getType());
            SmallVector<Value> zeros(kType.getRank(), arith::ConstantIndexOp::create(b, l, 0));
            Value kScalar = tensor::ExtractOp::create(b, l, kTensor, zeros);
            kValue = arith::IndexCastOp::create(b, l, b.getIndexType(), kScalar);
          }
          Value keep = arith::CmpIOp::create(b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
                                             diagonal, kValue);
          Value zero = scalarConstant(b, l, resultType.getElementType(), 0);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, keep, args[0], zero).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphTensorToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ReshapeLikeLowering<graph::ReshapeOp>, ReshapeLikeLowering<graph::FlattenOp>,
               ReshapeLikeLowering<graph::SqueezeOp>, ReshapeLikeLowering<graph::UnsqueezeOp>, TransposeLowering,
               ConcatLowering, SliceLowering, SplitLowering, GatherLowering, GatherElementsLowering, ExpandLowering,
               PadLowering, TileLowering, ConstantOfShapeLowering, ResizeLowering, TriluLowering>(
      converter, patterns.getContext());
}

} // namespace sinter

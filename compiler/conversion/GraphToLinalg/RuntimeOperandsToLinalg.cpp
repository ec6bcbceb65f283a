//===- RuntimeOperandsToLinalg.cpp - ops whose starts/pads/axes are runtime values -> linalg --------------===//
//
// Slice, Pad and ReduceSum whose shape-like operands (starts/steps/axes, pads, axes) are not constants but
// whose result shape is static (the importer's shape inference or the model fixed it). The constant cases
// are lowered in TensorToLinalg / ReductionToLinalg; these patterns only match what those leave.
//  - Slice and Pad: a linalg.generic over the result reads the operands with tensor.extract and computes each
//    source coordinate at run time (exactly ONNX's clamping and wrapping of starts; Pad's crop and edge /
//    reflect regions).
//  - ReduceSum: the reduced dimensions that agree with the static input and result shapes are enumerated at
//    compile time (reducing a size-1 dimension changes nothing, so masks that differ only there are one);
//    each candidate is reduced, and with more than one the axes tensor picks one at run time.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <set>

using namespace mlir;

namespace sinter {
namespace {

Value cIndex(OpBuilder &b, Location loc, int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

/// Element `i` of a 1-D integer tensor as an index.
Value readIndex(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  Value v = tensor::ExtractOp::create(b, loc, tensor, ValueRange{cIndex(b, loc, i)});
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value selectIdx(OpBuilder &b, Location loc, Value cond, Value t, Value f) {
  return arith::SelectOp::create(b, loc, cond, t, f);
}

Value cmp(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, loc, p, x, y);
}

/// `a` + `rank` when negative.
Value normalized(OpBuilder &b, Location loc, Value a, int64_t rank) {
  Value zero = cIndex(b, loc, 0);
  return selectIdx(b, loc, cmp(b, loc, arith::CmpIPredicate::slt, a, zero),
                   arith::AddIOp::create(b, loc, a, cIndex(b, loc, rank)), a);
}

Value clampIdx(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi) {
  return arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, v, cIndex(b, loc, lo)), cIndex(b, loc, hi));
}

bool isConstantOrNone(Value v) { return isa<NoneType>(v.getType()) || constantIntValues(v).has_value(); }

RankedTensorType static1D(Value v) {
  RankedTensorType t = staticType(v);
  return t && t.getRank() == 1 ? t : nullptr;
}

//===----------------------------------------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------------------------------------===//

/// Result element i reads data at start + i * step per dimension; start and step come from the entry of
/// starts/steps whose axis is the dimension (0 and 1 when none is). ends only decide the result's size,
/// which is static.
struct RuntimeSliceLowering : OpConversionPattern<graph::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  RuntimeSliceLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/0) {}
  LogicalResult matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (isConstantOrNone(op.getStarts()) && isConstantOrNone(op.getEnds()) && isConstantOrNone(op.getAxes()) &&
        isConstantOrNone(op.getSteps()))
      return rewriter.notifyMatchFailure(op, "constant operands (SliceLowering's case)");
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType startsType = static1D(adaptor.getStarts());
    if (!sourceResult || !dataType || !startsType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t n = startsType.getDimSize(0), rank = dataType.getRank();
    bool hasAxes = !isa<NoneType>(op.getAxes().getType()), hasSteps = !isa<NoneType>(op.getSteps().getType());
    for (Value v : {adaptor.getAxes(), adaptor.getSteps()})
      if (!isa<NoneType>(v.getType()) && (!static1D(v) || static1D(v).getDimSize(0) != n))
        return rewriter.notifyMatchFailure(op, "starts, axes and steps differ in length");
    if (!hasAxes && n > rank)
      return rewriter.notifyMatchFailure(op, "more starts than dimensions");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Location loc = op.getLoc();
    Value data = adaptor.getData(), starts = adaptor.getStarts(), axes = adaptor.getAxes(),
          steps = adaptor.getSteps();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), rank)}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t dim = dataType.getDimSize(d);
            Value start = cIndex(b, l, 0), step = cIndex(b, l, 1);
            for (int64_t j = 0; j < n; ++j) {
              Value isDim;
              if (hasAxes)
                isDim = cmp(b, l, arith::CmpIPredicate::eq, normalized(b, l, readIndex(b, l, axes, j), rank),
                            cIndex(b, l, d));
              else if (j != d)
                continue;
              Value s = normalized(b, l, readIndex(b, l, starts, j), dim);
              Value st = hasSteps ? readIndex(b, l, steps, j) : cIndex(b, l, 1);
              // Positive steps clamp the start into [0, dim], negative ones into [0, dim - 1].
              Value positive = cmp(b, l, arith::CmpIPredicate::sgt, st, cIndex(b, l, 0));
              s = selectIdx(b, l, positive, clampIdx(b, l, s, 0, dim), clampIdx(b, l, s, 0, std::max<int64_t>(dim - 1, 0)));
              start = isDim ? selectIdx(b, l, isDim, s, start) : s;
              step = isDim ? selectIdx(b, l, isDim, st, step) : st;
            }
            Value i = linalg::IndexOp::create(b, l, d);
            Value c = arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, i, step));
            coords.push_back(clampIdx(b, l, c, 0, std::max<int64_t>(dim - 1, 0)));
          }
          linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, data, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------------------------------------===//

/// Per dimension: the kept region of the input is [max(0, -lo), dim - max(0, -hi)) (negative pads crop);
/// result index i maps to region index j = i - max(0, lo). Constant mode reads the constant outside the
/// region, edge clamps j into it, reflect mirrors j at its ends.
struct RuntimePadLowering : OpConversionPattern<graph::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  RuntimePadLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/0) {}
  LogicalResult matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (constantIntValues(op.getPads()))
      return rewriter.notifyMatchFailure(op, "constant pads (PadLowering's case)");
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType padsType = static1D(adaptor.getPads());
    if (!sourceResult || !dataType || !padsType || padsType.getDimSize(0) != 2 * dataType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes and 2 x rank pads");
    StringRef mode = op.getMode();
    bool constantMode = mode == "constant", reflect = mode == "reflect";
    if (!constantMode && !reflect && mode != "edge")
      return rewriter.notifyMatchFailure(op, "unknown mode");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Type element = resultType.getElementType();
    if (constantMode && !element.isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "constant padding of this element type");
    Value constantValue;
    if (constantMode && !isa<NoneType>(op.getConstantValue().getType())) {
      RankedTensorType valueType = staticType(adaptor.getConstantValue());
      if (!valueType || valueType.getNumElements() != 1)
        return rewriter.notifyMatchFailure(op, "constant_value must be one element");
      constantValue = adaptor.getConstantValue();
    }
    int64_t rank = dataType.getRank();
    Location loc = op.getLoc();
    Value data = adaptor.getData(), pads = adaptor.getPads();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), rank)}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value zero = cIndex(b, l, 0), inside;
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            Value lo = readIndex(b, l, pads, d), hi = readIndex(b, l, pads, d + rank);
            Value cropLo = arith::MaxSIOp::create(b, l, arith::SubIOp::create(b, l, zero, lo), zero);
            Value cropHi = arith::MaxSIOp::create(b, l, arith::SubIOp::create(b, l, zero, hi), zero);
            Value size = arith::SubIOp::create(b, l, arith::SubIOp::create(b, l, cIndex(b, l, dataType.getDimSize(d)), cropLo),
                                               cropHi);
            Value last = arith::MaxSIOp::create(b, l, arith::SubIOp::create(b, l, size, cIndex(b, l, 1)), zero);
            Value j = arith::SubIOp::create(b, l, linalg::IndexOp::create(b, l, d), arith::MaxSIOp::create(b, l, lo, zero));
            if (constantMode) {
              Value in = arith::AndIOp::create(b, l, cmp(b, l, arith::CmpIPredicate::sge, j, zero),
                                               cmp(b, l, arith::CmpIPredicate::slt, j, size));
              inside = inside ? Value(arith::AndIOp::create(b, l, inside, in)) : in;
            } else if (reflect) {
              Value neg = arith::SubIOp::create(b, l, zero, j);
              j = selectIdx(b, l, cmp(b, l, arith::CmpIPredicate::slt, j, zero), neg, j);
              Value mirrored = arith::SubIOp::create(b, l, arith::AddIOp::create(b, l, last, last), j);
              j = selectIdx(b, l, cmp(b, l, arith::CmpIPredicate::sgt, j, last), mirrored, j);
            }
            // Clamped (edge mode's rule) so that every read is in bounds; constant mode masks the outside.
            j = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, j, zero), last);
            coords.push_back(arith::AddIOp::create(b, l, j, cropLo));
          }
          Value v = tensor::ExtractOp::create(b, l, data, coords);
          if (constantMode) {
            Value pad = scalarConstant(b, l, element, 0);
            if (constantValue) {
              auto valueType = cast<RankedTensorType>(constantValue.getType());
              pad = tensor::ExtractOp::create(b, l, constantValue, SmallVector<Value>(valueType.getRank(), zero));
            }
            v = arith::SelectOp::create(b, l, inside, v, pad);
          }
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// ReduceSum
//===----------------------------------------------------------------------------------------------------===//

struct RuntimeAxesReduceSumLowering : OpConversionPattern<graph::ReduceSumOp> {
  using OpConversionPattern::OpConversionPattern;
  RuntimeAxesReduceSumLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/0) {}
  static constexpr int64_t kMaxRank = 8;

  LogicalResult matchAndRewrite(graph::ReduceSumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (isConstantOrNone(op.getAxes()))
      return rewriter.notifyMatchFailure(op, "constant axes (ReduceLowering's case)");
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getData());
    RankedTensorType axesType = static1D(adaptor.getAxes());
    if (!sourceResult || !inputType || !axesType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = inputType.getRank(), n = axesType.getDimSize(0);
    if (rank > kMaxRank)
      return rewriter.notifyMatchFailure(op, "rank too large to enumerate runtime axes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    bool keepdims = op.getKeepdims() != 0;
    // Candidate masks whose reduced shape is the result's, one per set of reduced non-unit dimensions.
    // No axes at all (n == 0) reduce everything, or nothing with noop_with_empty_axes.
    SmallVector<SmallVector<bool>> candidates;
    std::set<uint64_t> seen;
    for (uint64_t bits = 0; bits < (uint64_t(1) << rank); ++bits) {
      int64_t count = llvm::popcount(bits);
      if (n == 0 ? bits != (op.getNoopWithEmptyAxes() ? 0 : (uint64_t(1) << rank) - 1) : (count == 0 || count > n))
        continue;
      SmallVector<bool> mask(rank);
      SmallVector<int64_t> shape;
      uint64_t nonUnit = 0;
      for (int64_t d = 0; d < rank; ++d) {
        mask[d] = (bits >> d) & 1;
        if (mask[d] && inputType.getDimSize(d) != 1)
          nonUnit |= uint64_t(1) << d;
        if (!mask[d] || keepdims)
          shape.push_back(mask[d] ? 1 : inputType.getDimSize(d));
      }
      if (ArrayRef<int64_t>(shape) != resultType.getShape() || !seen.insert(nonUnit).second)
        continue;
      candidates.push_back(mask);
    }
    if (candidates.empty())
      return rewriter.notifyMatchFailure(op, "no reduction axes agree with the input and result shapes");

    Location loc = op.getLoc();
    Type element = resultType.getElementType();
    bool isFloat = isa<FloatType>(element);
    SmallVector<Value> results;
    for (const SmallVector<bool> &mask : candidates) {
      if (!llvm::is_contained(mask, true)) {
        results.push_back(adaptor.getData());
        continue;
      }
      Value sum = buildReduction(rewriter, loc, adaptor.getData(), mask, scalarConstant(rewriter, loc, element, 0), {},
                                 [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) -> Value {
                                   return isFloat ? Value(arith::AddFOp::create(b, l, acc, x))
                                                  : Value(arith::AddIOp::create(b, l, acc, x));
                                 });
      results.push_back(keepdims ? expandReduced(rewriter, loc, sum, mask, resultType) : sum);
    }
    if (results.size() == 1) {
      rewriter.replaceOp(op, results.front());
      return success();
    }
    // Several candidates: candidate c is taken when, for every non-unit dimension, "some axis names it"
    // equals c's mask there (the last one otherwise, which only an inconsistent model reaches).
    Value axes = adaptor.getAxes();
    int64_t outRank = resultType.getRank();
    MLIRContext *ctx = getContext();
    SmallVector<AffineMap> maps(results.size() + 1, identityMap(ctx, outRank));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, results, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
        parallelIterators(outRank), [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> named(rank);
          for (int64_t d = 0; d < rank; ++d) {
            if (inputType.getDimSize(d) == 1)
              continue;
            for (int64_t j = 0; j < n; ++j) {
              Value eq = cmp(b, l, arith::CmpIPredicate::eq, normalized(b, l, readIndex(b, l, axes, j), rank),
                             cIndex(b, l, d));
              named[d] = named[d] ? Value(arith::OrIOp::create(b, l, named[d], eq)) : eq;
            }
          }
          Value v = args[results.size() - 1];
          for (int64_t c = static_cast<int64_t>(results.size()) - 2; c >= 0; --c) {
            Value take = arith::ConstantIntOp::create(b, l, 1, 1);
            for (int64_t d = 0; d < rank; ++d) {
              if (!named[d])
                continue;
              Value want = candidates[c][d] ? named[d]
                                            : Value(arith::XOrIOp::create(b, l, named[d], arith::ConstantIntOp::create(b, l, 1, 1)));
              take = arith::AndIOp::create(b, l, take, want);
            }
            v = arith::SelectOp::create(b, l, take, args[c], v);
          }
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphRuntimeOperandsToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RuntimeSliceLowering, RuntimePadLowering, RuntimeAxesReduceSumLowering>(converter,
                                                                                       patterns.getContext());
}

} // namespace sinter

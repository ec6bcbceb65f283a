//===- IndexingToLinalg.cpp - index-computing graph ops -> linalg ----------------------------------------===//
//
// Ops whose result is a function of indices: Shape and Size (constants of the static input shape), EyeLike,
// Range, the Hann/Hamming/Blackman windows, ReverseSequence, OneHot, DepthToSpace/SpaceToDepth, GatherND (a linalg.generic over the result that computes source
// coordinates and tensor.extracts), CumSum (an extra reduction loop over the scanned axis, which may be a
// runtime value), and ScatterElements/ScatterND: a linalg.generic over the result with reduction loops over
// the updates, in order, so that for every result element the updates that land on it are applied in the
// order ONNX's reference applies them (the last one wins for reduction "none"). The scatters cost
// O(result x updates); they are meant for correctness, not speed.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"
#include "compiler/conversion/RuntimeCheck.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;

namespace sinter {
namespace {

Value indexConst(OpBuilder &b, Location loc, int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

/// A signless integer or float scalar as an index (floats truncate; `isUnsigned` zero-extends).
Value toIndex(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  Type t = v.getType();
  if (isa<FloatType>(t))
    v = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
  else if (t.getIntOrFloatBitWidth() < 64)
    v = isUnsigned ? Value(arith::ExtUIOp::create(b, loc, b.getI64Type(), v))
                   : Value(arith::ExtSIOp::create(b, loc, b.getI64Type(), v));
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

/// `idx` (index) wrapped into [0, dim) when negative (ONNX's negative indices), then clamped into range so
/// that invalid input never reads out of bounds.
Value wrapIndex(OpBuilder &b, Location loc, Value idx, int64_t dim) {
  Value zero = indexConst(b, loc, 0);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::SelectOp::create(b, loc, negative, arith::AddIOp::create(b, loc, idx, indexConst(b, loc, dim)), idx);
  Value clamped = arith::MaxSIOp::create(b, loc, wrapped, zero);
  return arith::MinSIOp::create(b, loc, clamped, indexConst(b, loc, dim - 1));
}

/// A 1-D i64 constant 0, 1, ..., n-1 (an operand that gives an extra loop its bounds).
Value iotaConstant(OpBuilder &b, Location loc, int64_t n) {
  SmallVector<int64_t> values(n);
  for (int64_t i = 0; i < n; ++i)
    values[i] = i;
  auto type = RankedTensorType::get({n}, b.getI64Type());
  return arith::ConstantOp::create(b, loc, DenseIntElementsAttr::get(type, values));
}

bool unsignedElements(Value v) { return getElementTypeOrSelf(v.getType()).isUnsignedInteger(); }

//===----------------------------------------------------------------------------------------------------===//
// Shape, Size
//===----------------------------------------------------------------------------------------------------===//

struct ShapeLowering : OpConversionPattern<graph::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getData());
    if (!resultType || !inputType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = inputType.getRank();
    auto clampAxis = [&](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
    int64_t start = clampAxis(op.getStart()), end = op.getEnd() ? clampAxis(*op.getEnd()) : rank;
    SmallVector<int64_t> dims;
    for (int64_t d = start; d < end; ++d)
      dims.push_back(inputType.getDimSize(d));
    if (resultType.getRank() != 1 || resultType.getDimSize(0) != static_cast<int64_t>(dims.size()))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with start/end");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType, DenseIntElementsAttr::get(resultType, dims));
    return success();
  }
};

struct SizeLowering : OpConversionPattern<graph::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::SizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getData());
    if (!resultType || !inputType || resultType.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, resultType, DenseIntElementsAttr::get(resultType, ArrayRef<int64_t>{inputType.getNumElements()}));
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// EyeLike, OneHot
//===----------------------------------------------------------------------------------------------------===//

/// EyeLike: ones where column - row == k, zeros elsewhere, in the result's element type.
struct EyeLikeLowering : OpConversionPattern<graph::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::EyeLikeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || sourceResult.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "needs a static 2-D result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Type element = resultType.getElementType();
    int64_t k = op.getK();
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), 2)}, parallelIterators(2),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value row = linalg::IndexOp::create(b, l, 0), column = linalg::IndexOp::create(b, l, 1);
          Value diagonal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                 arith::SubIOp::create(b, l, column, row), indexConst(b, l, k));
          Value one = scalarConstant(b, l, element, 1), zero = scalarConstant(b, l, element, 0);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, diagonal, one, zero).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// OneHot: result[..., j (at axis), ...] = values[1] if indices[...] (negative ones + depth) == j, else
/// values[0]. The depth is the result's (static) size along the axis.
struct OneHotLowering : OpConversionPattern<graph::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::OneHotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    RankedTensorType valuesType = staticType(adaptor.getValues());
    if (!sourceResult || !indicesType || !valuesType || valuesType.getRank() != 1 || valuesType.getNumElements() != 2 ||
        sourceResult.getRank() != indicesType.getRank() + 1)
      return rewriter.notifyMatchFailure(op, "needs static shapes, two values and a result of rank q + 1");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = resultType.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    for (int64_t d = 0, i = 0; d < rank; ++d)
      if (d != axis && resultType.getDimSize(d) != indicesType.getDimSize(i++))
        return rewriter.notifyMatchFailure(op, "result shape disagrees with the indices");
    int64_t depth = resultType.getDimSize(axis);
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        indexExprs.push_back(getAffineDimExpr(d, ctx));
    Value values = adaptor.getValues();
    bool isUnsigned = unsignedElements(op.getIndices());
    Location loc = op.getLoc();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{AffineMap::get(rank, 0, indexExprs, ctx), identityMap(ctx, rank)},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value idx = toIndex(b, l, args[0], isUnsigned);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, indexConst(b, l, 0));
          idx = arith::SelectOp::create(b, l, negative, arith::AddIOp::create(b, l, idx, indexConst(b, l, depth)), idx);
          Value hot = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx, linalg::IndexOp::create(b, l, axis));
          Value off = tensor::ExtractOp::create(b, l, values, ValueRange{indexConst(b, l, 0)});
          Value on = tensor::ExtractOp::create(b, l, values, ValueRange{indexConst(b, l, 1)});
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, hot, on, off).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------------------------------------===//

/// A linalg.generic over `resultType` whose element at each index is `source` read at `coords(b, l, index)`.
Value remap(OpBuilder &rewriter, Location loc, RankedTensorType resultType, Value source,
            function_ref<SmallVector<Value>(OpBuilder &, Location, ArrayRef<Value>)> coords) {
  int64_t rank = resultType.getRank();
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
             ArrayRef<AffineMap>{identityMap(rewriter.getContext(), rank)}, parallelIterators(rank),
             [&](OpBuilder &b, Location l, ValueRange) {
               SmallVector<Value> index;
               for (int64_t d = 0; d < rank; ++d)
                 index.push_back(linalg::IndexOp::create(b, l, d));
               linalg::YieldOp::create(b, l, tensor::ExtractOp::create(b, l, source, coords(b, l, index)).getResult());
             })
      .getResult(0);
}

//===----------------------------------------------------------------------------------------------------===//
// Range, window functions, ReverseSequence
//===----------------------------------------------------------------------------------------------------===//

/// Whether the run-time element count of Range, max(ceil((limit - start) / delta), 0), is `n` (false for a
/// zero delta, and for NaN in floats). Computed in the element type as ONNX does (integers in i64).
Value rangeCountIs(OpBuilder &b, Location l, Value start, Value limit, Value delta, int64_t n) {
  Type element = start.getType();
  Value count, zero, target, nonzeroDelta;
  bool isFloat = isa<FloatType>(element);
  if (isFloat) {
    zero = scalarConstant(b, l, element, 0.0);
    target = scalarConstant(b, l, element, static_cast<double>(n));
    nonzeroDelta = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE, delta, zero);
    count = math::CeilOp::create(b, l, arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, limit, start), delta));
  } else {
    Type i64 = b.getI64Type();
    auto widen = [&](Value v) { return element == i64 ? v : Value(arith::ExtSIOp::create(b, l, i64, v)); };
    start = widen(start), limit = widen(limit), delta = widen(delta);
    zero = arith::ConstantIntOp::create(b, l, i64, 0);
    target = arith::ConstantIntOp::create(b, l, i64, n);
    nonzeroDelta = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, delta, zero);
    // A zero delta fails the check anyway; divide by 1 instead so that the division is defined.
    Value safeDelta = arith::SelectOp::create(b, l, nonzeroDelta, delta, arith::ConstantIntOp::create(b, l, i64, 1));
    count = arith::CeilDivSIOp::create(b, l, arith::SubIOp::create(b, l, limit, start), safeDelta);
  }
  auto compare = [&](bool lessOrEqual, Value x, Value y) -> Value {
    if (isFloat)
      return arith::CmpFOp::create(b, l, lessOrEqual ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OEQ, x, y);
    return arith::CmpIOp::create(b, l, lessOrEqual ? arith::CmpIPredicate::sle : arith::CmpIPredicate::eq, x, y);
  };
  // max(count, 0) == n: count <= 0 when n is 0, else count == n.
  Value matches = n == 0 ? compare(true, count, zero) : compare(false, count, target);
  return arith::AndIOp::create(b, l, nonzeroDelta, matches);
}

/// Range with runtime (or constant) start and delta: output[i] = start + i * delta; the element count is the
/// static result size (the model's or one its declared outputs pinned, OnnxModelLoader), which a run-time
/// check compares with ceil((limit - start) / delta).
struct RangeLowering : OpConversionPattern<graph::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::RangeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    RankedTensorType startType = staticType(adaptor.getStart()), deltaType = staticType(adaptor.getDelta());
    if (!resultType || resultType.getRank() != 1 || !startType || !deltaType || startType.getNumElements() != 1 ||
        deltaType.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "needs a static 1-D result and scalar start and delta");
    Type element = resultType.getElementType();
    Value start = adaptor.getStart(), limit = adaptor.getLimit(), delta = adaptor.getDelta();
    int64_t n = resultType.getDimSize(0);
    emitRuntimeCheck(rewriter, op.getLoc(),
                     describeNode(op) + ": the element count ceil((limit - start) / delta) differs from the " +
                         std::to_string(n) + " the result was compiled with (or delta is 0)",
                     [&](OpBuilder &b, Location l) {
                       return rangeCountIs(b, l, scalarOf(b, l, start), scalarOf(b, l, limit), scalarOf(b, l, delta), n);
                     });
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, op.getLoc(), resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), 1)}, parallelIterators(1),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 0));
          Value s = scalarOf(b, l, start), d = scalarOf(b, l, delta), v;
          if (isa<FloatType>(element)) {
            Value fi = arith::SIToFPOp::create(b, l, element, i);
            v = arith::AddFOp::create(b, l, s, arith::MulFOp::create(b, l, fi, d));
          } else {
            Value ii = element.getIntOrFloatBitWidth() < 64 ? Value(arith::TruncIOp::create(b, l, element, i)) : i;
            v = arith::AddIOp::create(b, l, s, arith::MulIOp::create(b, l, ii, d));
          }
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Hann, Hamming and Blackman windows: sum_k a_k cos(2 pi k n / N'), N' = N (periodic) or N - 1, with N the
/// static result size; computed in f64 and converted to the result type.
template <typename OpTy>
struct WindowLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || sourceResult.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "needs a static 1-D result");
    auto resultType = cast<RankedTensorType>(this->getTypeConverter()->convertType(sourceResult));
    Type element = resultType.getElementType();
    if (!isa<FloatType>(element))
      return rewriter.notifyMatchFailure(op, "integer windows are not supported");
    int64_t n = resultType.getDimSize(0);
    double denominator = op.getPeriodic() ? n : n - 1;
    Value size = adaptor.getSize();
    if (RankedTensorType sizeType = staticType(size); !sizeType || sizeType.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "needs a one-element size");
    emitRuntimeCheck(rewriter, op.getLoc(),
                     describeNode(op) + ": the size input differs from the " + std::to_string(n) +
                         " the result was compiled with",
                     [&](OpBuilder &b, Location l) -> Value {
                       Value s = scalarOf(b, l, size);
                       Value target = arith::ConstantIntOp::create(b, l, s.getType(), n);
                       return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, s, target);
                     });
    SmallVector<double> a;
    if constexpr (std::is_same_v<OpTy, graph::HannWindowOp>)
      a = {0.5, -0.5};
    else if constexpr (std::is_same_v<OpTy, graph::HammingWindowOp>)
      a = {25.0 / 46.0, -(1.0 - 25.0 / 46.0)};
    else
      a = {0.42, -0.5, 0.08};
    Type f64 = rewriter.getF64Type();
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), TypeRange{resultType}, ValueRange{},
        ValueRange{emptyTensor(rewriter, op.getLoc(), resultType)},
        ArrayRef<AffineMap>{identityMap(this->getContext(), 1)}, parallelIterators(1),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 0));
          Value x = arith::SIToFPOp::create(b, l, f64, i);
          Value v = scalarConstant(b, l, f64, a[0]);
          for (size_t k = 1; k < a.size(); ++k) {
            Value angle = arith::MulFOp::create(b, l, x, scalarConstant(b, l, f64, 2 * M_PI * k / denominator));
            v = arith::AddFOp::create(b, l, v,
                                      arith::MulFOp::create(b, l, scalarConstant(b, l, f64, a[k]), math::CosOp::create(b, l, angle)));
          }
          if (element != f64)
            v = arith::TruncFOp::create(b, l, element, v);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// MelWeightMatrix [dft_length / 2 + 1, num_mel_bins] with the static result shape, whose two extents run-time
/// checks compare with the inputs. As ONNX's reference: the mel range [mel(lower), mel(upper)] (computed in
/// the edge type) is cut into num_mel_bins + 2 steps; edge k lies at spectrogram bin
/// f(k) = floor((dft_length + 1) * hz(k) / sample_rate) (in f64); column i is the triangle rising from f(i)
/// to 1 at f(i + 1) and falling to f(i + 2) (just 1 at f(i + 1) when f(i) == f(i + 1)).
struct MelWeightMatrixLowering : OpConversionPattern<graph::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MelWeightMatrixOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || sourceResult.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "needs a static 2-D result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    if (!isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "integer output types are not supported");
    SmallVector<Value> scalars = {adaptor.getNumMelBins(), adaptor.getDftLength(), adaptor.getSampleRate(),
                                  adaptor.getLowerEdgeHertz(), adaptor.getUpperEdgeHertz()};
    for (Value v : scalars)
      if (RankedTensorType t = staticType(v); !t || t.getNumElements() != 1)
        return rewriter.notifyMatchFailure(op, "needs one-element inputs");
    int64_t spectrogramBins = resultType.getDimSize(0), melBins = resultType.getDimSize(1);
    Location loc = op.getLoc();
    emitRuntimeCheck(rewriter, loc,
                     describeNode(op) + ": num_mel_bins or dft_length / 2 + 1 differs from the compiled [" +
                         std::to_string(spectrogramBins) + ", " + std::to_string(melBins) + "] result",
                     [&](OpBuilder &b, Location l) -> Value {
                       Value mel = scalarOf(b, l, scalars[0]), dft = scalarOf(b, l, scalars[1]);
                       Type t = mel.getType();
                       Value two = arith::ConstantIntOp::create(b, l, t, 2), one = arith::ConstantIntOp::create(b, l, t, 1);
                       Value bins = arith::AddIOp::create(b, l, arith::DivSIOp::create(b, l, dft, two), one);
                       Value melOk = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, mel,
                                                           arith::ConstantIntOp::create(b, l, t, melBins));
                       Value binsOk = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, bins,
                                                            arith::ConstantIntOp::create(b, l, t, spectrogramBins));
                       return arith::AndIOp::create(b, l, melOk, binsOk);
                     });
    Type f64 = rewriter.getF64Type(), element = resultType.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, resultType)},
        ArrayRef<AffineMap>{identityMap(getContext(), 2)}, parallelIterators(2),
        [&](OpBuilder &b, Location l, ValueRange) {
          auto c = [&](double v) { return scalarConstant(b, l, f64, v); };
          auto toF64 = [&](Value v) -> Value {
            if (isa<FloatType>(v.getType()))
              return v.getType() == f64 ? v : Value(arith::ExtFOp::create(b, l, f64, v));
            return arith::SIToFPOp::create(b, l, f64, v);
          };
          Value lower = scalarOf(b, l, scalars[3]), upper = scalarOf(b, l, scalars[4]);
          Type edge = lower.getType();
          // mel(hz) = 2595 log10(1 + hz / 700), in the edge type.
          auto mel = [&](Value hz) -> Value {
            Value ratio = arith::DivFOp::create(b, l, hz, scalarConstant(b, l, edge, 700.0));
            Value log = math::Log10Op::create(b, l, arith::AddFOp::create(b, l, scalarConstant(b, l, edge, 1.0), ratio));
            return arith::MulFOp::create(b, l, scalarConstant(b, l, edge, 2595.0), log);
          };
          Value lowMel = mel(lower), highMel = mel(upper);
          Value melBins = scalarOf(b, l, scalars[0]);
          Value steps =
              toF64(arith::AddIOp::create(b, l, melBins, arith::ConstantIntOp::create(b, l, melBins.getType(), 2)));
          Value melStep = arith::DivFOp::create(b, l, toF64(arith::SubFOp::create(b, l, highMel, lowMel)), steps);
          Value dftPlusOne = arith::AddFOp::create(b, l, toF64(scalarOf(b, l, scalars[1])), c(1.0));
          Value rate = toF64(scalarOf(b, l, scalars[2]));
          Value j = arith::SIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 0)));
          Value i = arith::SIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 1)));
          // f(k) = floor((dft_length + 1) * 700 (10^((k step + mel(lower)) / 2595) - 1) / sample_rate).
          auto bin = [&](Value k) -> Value {
            Value m = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, k, melStep), toF64(lowMel));
            Value hz = arith::MulFOp::create(b, l, c(700.0), arith::SubFOp::create(b, l, math::PowFOp::create(b, l, c(10.0), arith::DivFOp::create(b, l, m, c(2595.0))), c(1.0)));
            return math::FloorOp::create(b, l, arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, dftPlusOne, hz), rate));
          };
          Value left = bin(i), center = bin(arith::AddFOp::create(b, l, i, c(1.0))),
                right = bin(arith::AddFOp::create(b, l, i, c(2.0)));
          auto cmp = [&](arith::CmpFPredicate p, Value x, Value y) { return arith::CmpFOp::create(b, l, p, x, y); };
          auto andI = [&](Value x, Value y) { return arith::AndIOp::create(b, l, x, y); };
          Value zero = c(0.0), oneF = c(1.0);
          // Rising edge (or the single 1 of an empty one), then the falling edge, which overrides it.
          Value empty = cmp(arith::CmpFPredicate::OEQ, left, center);
          Value rising = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, j, left), arith::SubFOp::create(b, l, center, left));
          Value inRise = andI(cmp(arith::CmpFPredicate::OLE, left, j), cmp(arith::CmpFPredicate::OLE, j, center));
          Value v = arith::SelectOp::create(b, l, empty,
                                            arith::SelectOp::create(b, l, cmp(arith::CmpFPredicate::OEQ, j, center), oneF, zero),
                                            arith::SelectOp::create(b, l, inRise, rising, zero));
          Value falling = arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, right, j), arith::SubFOp::create(b, l, right, center));
          Value inFall = andI(cmp(arith::CmpFPredicate::OGT, right, center),
                              andI(cmp(arith::CmpFPredicate::OLE, center, j), cmp(arith::CmpFPredicate::OLT, j, right)));
          v = arith::SelectOp::create(b, l, inFall, falling, v);
          if (element != f64)
            v = arith::TruncFOp::create(b, l, element, v);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// ReverseSequence: along the time axis, the first sequence_lens[b] elements of batch b are reversed.
struct ReverseSequenceLowering : OpConversionPattern<graph::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ReverseSequenceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    RankedTensorType lensType = staticType(adaptor.getSequenceLens());
    int64_t batchAxis = op.getBatchAxis(), timeAxis = op.getTimeAxis();
    if (!sourceResult || !inputType || inputType.getRank() < 2 || !lensType || lensType.getRank() != 1 ||
        batchAxis == timeAxis || batchAxis < 0 || batchAxis > 1 || timeAxis < 0 || timeAxis > 1 ||
        lensType.getDimSize(0) != inputType.getDimSize(batchAxis))
      return rewriter.notifyMatchFailure(op, "needs static shapes, batch/time axes 0 and 1, one length per batch");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t steps = inputType.getDimSize(timeAxis);
    Value lens = adaptor.getSequenceLens();
    Value result = remap(rewriter, op.getLoc(), resultType, adaptor.getInput(),
                         [&](OpBuilder &b, Location l, ArrayRef<Value> i) -> SmallVector<Value> {
                           Value len = arith::IndexCastOp::create(
                               b, l, b.getIndexType(), tensor::ExtractOp::create(b, l, lens, ValueRange{i[batchAxis]}));
                           len = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, len, indexConst(b, l, 0)),
                                                        indexConst(b, l, steps));
                           Value t = i[timeAxis];
                           Value reversed = arith::SubIOp::create(
                               b, l, arith::SubIOp::create(b, l, len, indexConst(b, l, 1)), t);
                           Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
                           SmallVector<Value> coords(i.begin(), i.end());
                           coords[timeAxis] = arith::SelectOp::create(b, l, inside, reversed, t);
                           return coords;
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DepthToSpaceLowering : OpConversionPattern<graph::DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::DepthToSpaceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    int64_t bs = op.getBlocksize();
    bool dcr = op.getMode() == "DCR";
    if (!sourceResult || !inputType || inputType.getRank() != 4 || bs <= 0 || (!dcr && op.getMode() != "CRD"))
      return rewriter.notifyMatchFailure(op, "needs static 4-D shapes, a positive blocksize, mode DCR or CRD");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t c = inputType.getDimSize(1);
    if (c % (bs * bs) != 0 || resultType.getDimSize(1) != c / (bs * bs) ||
        resultType.getDimSize(2) != inputType.getDimSize(2) * bs || resultType.getDimSize(3) != inputType.getDimSize(3) * bs)
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the blocksize");
    int64_t cOut = c / (bs * bs);
    Value result = remap(rewriter, op.getLoc(), resultType, adaptor.getInput(),
                         [&](OpBuilder &b, Location l, ArrayRef<Value> i) -> SmallVector<Value> {
                           Value block = indexConst(b, l, bs);
                           Value bh = arith::RemUIOp::create(b, l, i[2], block);
                           Value bw = arith::RemUIOp::create(b, l, i[3], block);
                           // DCR: channel (bh * bs + bw) * C' + c; CRD: c * bs * bs + bh * bs + bw.
                           Value inner = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, bh, block), bw);
                           Value channel =
                               dcr ? arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, inner, indexConst(b, l, cOut)), i[1])
                                   : arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, i[1], indexConst(b, l, bs * bs)), inner);
                           return {i[0], channel, arith::DivUIOp::create(b, l, i[2], block),
                                   arith::DivUIOp::create(b, l, i[3], block)};
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SpaceToDepthLowering : OpConversionPattern<graph::SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::SpaceToDepthOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getInput());
    int64_t bs = op.getBlocksize();
    if (!sourceResult || !inputType || inputType.getRank() != 4 || bs <= 0)
      return rewriter.notifyMatchFailure(op, "needs static 4-D shapes and a positive blocksize");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t c = inputType.getDimSize(1);
    if (inputType.getDimSize(2) % bs != 0 || inputType.getDimSize(3) % bs != 0 ||
        resultType.getDimSize(1) != c * bs * bs || resultType.getDimSize(2) * bs != inputType.getDimSize(2) ||
        resultType.getDimSize(3) * bs != inputType.getDimSize(3))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the blocksize");
    // Output channel (bh * bs + bw) * C + c reads input [n, c, h * bs + bh, w * bs + bw].
    Value result = remap(rewriter, op.getLoc(), resultType, adaptor.getInput(),
                         [&](OpBuilder &b, Location l, ArrayRef<Value> i) -> SmallVector<Value> {
                           Value block = indexConst(b, l, bs), channels = indexConst(b, l, c);
                           Value ch = arith::RemUIOp::create(b, l, i[1], channels);
                           Value inner = arith::DivUIOp::create(b, l, i[1], channels);
                           Value bh = arith::DivUIOp::create(b, l, inner, block);
                           Value bw = arith::RemUIOp::create(b, l, inner, block);
                           Value h = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, i[2], block), bh);
                           Value w = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, i[3], block), bw);
                           return {i[0], ch, h, w};
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// GatherND
//===----------------------------------------------------------------------------------------------------===//

/// GatherND: result[b..., i..., s...] = data[b..., indices[b..., i..., 0..k), s...].
struct GatherNDLowering : OpConversionPattern<graph::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::GatherNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    if (!sourceResult || !dataType || !indicesType || indicesType.getRank() < 1)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t r = dataType.getRank(), q = indicesType.getRank(), batch = op.getBatchDims();
    int64_t k = indicesType.getDimSize(q - 1);
    if (batch < 0 || batch >= std::min(r, q) || k < 1 || batch + k > r ||
        resultType.getRank() != q - 1 + r - batch - k)
      return rewriter.notifyMatchFailure(op, "batch_dims, the last indices dimension and the ranks disagree");
    for (int64_t d = 0; d < batch; ++d)
      if (dataType.getDimSize(d) != indicesType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "batch dimensions differ");
    Value indices = adaptor.getIndices();
    Value result = remap(rewriter, op.getLoc(), resultType, adaptor.getData(),
                         [&](OpBuilder &b, Location l, ArrayRef<Value> i) -> SmallVector<Value> {
                           SmallVector<Value> coords(i.begin(), i.begin() + batch);
                           SmallVector<Value> at(i.begin(), i.begin() + q - 1);
                           at.push_back(Value());
                           for (int64_t j = 0; j < k; ++j) {
                             at.back() = indexConst(b, l, j);
                             Value v = tensor::ExtractOp::create(b, l, indices, at);
                             coords.push_back(wrapIndex(b, l, toIndex(b, l, v, false), dataType.getDimSize(batch + j)));
                           }
                           coords.append(i.begin() + q - 1, i.end());
                           return coords;
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------------------------------------===//

/// CumSum: y[i] = sum of x[i with the axis coordinate replaced by j] over the j before (exclusive) or up to
/// (inclusive) i's, from the other end when reversed. The axis may be a runtime scalar: the scan is an extra
/// reduction loop j over the largest dimension, and each dimension's coordinate is j where it is the axis.
struct CumSumLowering : OpConversionPattern<graph::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::CumSumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType inputType = staticType(adaptor.getX());
    RankedTensorType axisType = staticType(adaptor.getAxis());
    if (!sourceResult || !inputType || inputType.getRank() == 0 || !axisType || axisType.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "needs a static input of rank >= 1 and a single axis");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    int64_t rank = inputType.getRank();
    Type element = resultType.getElementType();
    bool isFloat = isa<FloatType>(element), exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    std::optional<int64_t> constantAxis;
    if (auto axis = constantIntValues(op.getAxis())) {
      if ((*axis)[0] < -rank || (*axis)[0] >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      constantAxis = normalizeAxis((*axis)[0], rank);
    }
    int64_t span = constantAxis ? inputType.getDimSize(*constantAxis) : *llvm::max_element(inputType.getShape());
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getX(), axisTensor = adaptor.getAxis();
    SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, {getAffineDimExpr(rank, ctx)}, ctx),
                                   AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{iotaConstant(rewriter, loc, span)},
        ValueRange{filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0))}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value j = linalg::IndexOp::create(b, l, rank);
          Value axis;
          if (constantAxis) {
            axis = indexConst(b, l, *constantAxis);
          } else {
            SmallVector<Value> zeros(axisType.getRank(), indexConst(b, l, 0));
            Value a = toIndex(b, l, tensor::ExtractOp::create(b, l, axisTensor, zeros), false);
            Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, a, indexConst(b, l, 0));
            axis = arith::SelectOp::create(b, l, negative, arith::AddIOp::create(b, l, a, indexConst(b, l, rank)), a);
          }
          SmallVector<Value> coords;
          Value position, size; // i's coordinate and the dimension's size along the axis
          for (int64_t d = 0; d < rank; ++d) {
            Value id = linalg::IndexOp::create(b, l, d);
            Value isAxis = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, axis, indexConst(b, l, d));
            Value dimSize = indexConst(b, l, inputType.getDimSize(d));
            position = position ? Value(arith::SelectOp::create(b, l, isAxis, id, position)) : id;
            size = size ? Value(arith::SelectOp::create(b, l, isAxis, dimSize, size)) : dimSize;
            // Off-range j (beyond the axis's size) reads a valid index and is masked below.
            Value jc = arith::MinUIOp::create(b, l, j, indexConst(b, l, inputType.getDimSize(d) - 1));
            coords.push_back(arith::SelectOp::create(b, l, isAxis, jc, id));
          }
          // Taken when j < size and j is before (or at, inclusive) i: j < i (+1), or j > i (-1) reversed.
          Value inRange = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j, size);
          arith::CmpIPredicate pred = reverse ? (exclusive ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::uge)
                                              : (exclusive ? arith::CmpIPredicate::ult : arith::CmpIPredicate::ule);
          Value before = arith::CmpIOp::create(b, l, pred, j, position);
          Value take = arith::AndIOp::create(b, l, inRange, before);
          Value v = tensor::ExtractOp::create(b, l, x, coords);
          Value sum = isFloat ? Value(arith::AddFOp::create(b, l, args[1], v)) : Value(arith::AddIOp::create(b, l, args[1], v));
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, take, sum, args[1]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// ScatterElements, ScatterND
//===----------------------------------------------------------------------------------------------------===//

/// The combination of an existing element and an update under a scatter `reduction`.
Value combine(OpBuilder &b, Location l, StringRef reduction, Value acc, Value update, bool isUnsigned) {
  bool isFloat = isa<FloatType>(acc.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, l, acc, update)) : Value(arith::AddIOp::create(b, l, acc, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, l, acc, update)) : Value(arith::MulIOp::create(b, l, acc, update));
  if (reduction == "max")
    return isFloat ? Value(arith::MaximumFOp::create(b, l, acc, update))
                   : isUnsigned ? Value(arith::MaxUIOp::create(b, l, acc, update))
                                : Value(arith::MaxSIOp::create(b, l, acc, update));
  if (reduction == "min")
    return isFloat ? Value(arith::MinimumFOp::create(b, l, acc, update))
                   : isUnsigned ? Value(arith::MinUIOp::create(b, l, acc, update))
                                : Value(arith::MinSIOp::create(b, l, acc, update));
  return update;
}

bool validScatterReduction(StringRef reduction, Type element) {
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return false;
  return reduction == "none" || (element.isIntOrFloat() && !element.isInteger(1));
}

/// ScatterElements: the result starts as data; update u lands at u's coordinates with the axis one
/// replaced by indices[u]. Loops: the result's (parallel), then the updates' (reduction, in order).
struct ScatterElementsLowering : OpConversionPattern<graph::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ScatterElementsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    RankedTensorType updatesType = staticType(adaptor.getUpdates());
    StringRef reduction = op.getReduction();
    if (!sourceResult || !dataType || !indicesType || !updatesType || dataType.getRank() == 0 ||
        indicesType.getShape() != updatesType.getShape() || indicesType.getRank() != dataType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes; indices and updates of one shape and data's rank");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    if (!validScatterReduction(reduction, resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported reduction");
    int64_t r = dataType.getRank(), axis = normalizeAxis(op.getAxis(), r);
    if (updatesType.getNumElements() == 0) {
      rewriter.replaceOp(op, adaptor.getData());
      return success();
    }
    bool isUnsigned = unsignedElements(op.getData());
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    SmallVector<AffineExpr> updateExprs;
    for (int64_t d = 0; d < r; ++d)
      updateExprs.push_back(getAffineDimExpr(r + d, ctx));
    AffineMap updateMap = AffineMap::get(2 * r, 0, updateExprs, ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(r);
    iterators.append(r, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getIndices(), adaptor.getUpdates()},
        ValueRange{adaptor.getData()},
        ArrayRef<AffineMap>{updateMap, updateMap, AffineMap::getMultiDimIdentityMap(2 * r, ctx).getMajorSubMap(r)},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value target = wrapIndex(b, l, toIndex(b, l, args[0], false), dataType.getDimSize(axis));
          Value match;
          for (int64_t d = 0; d < r; ++d) {
            Value want = d == axis ? target : Value(linalg::IndexOp::create(b, l, r + d));
            Value eq = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, linalg::IndexOp::create(b, l, d), want);
            match = match ? Value(arith::AndIOp::create(b, l, match, eq)) : eq;
          }
          Value updated = combine(b, l, reduction, args[2], args[1], isUnsigned);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, match, updated, args[2]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// ScatterND: update slice u (indices [u..., 0..k)) lands at result[indices[u], s...] = updates[u..., s...].
/// Loops: the result's (parallel), then the index tuples' (reduction, in order).
struct ScatterNDLowering : OpConversionPattern<graph::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::ScatterNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    RankedTensorType dataType = staticType(adaptor.getData());
    RankedTensorType indicesType = staticType(adaptor.getIndices());
    RankedTensorType updatesType = staticType(adaptor.getUpdates());
    StringRef reduction = op.getReduction();
    if (!sourceResult || !dataType || !indicesType || !updatesType || indicesType.getRank() < 1)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    if (!validScatterReduction(reduction, resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "unsupported reduction");
    int64_t r = dataType.getRank(), q = indicesType.getRank(), k = indicesType.getDimSize(q - 1);
    if (k < 1 || k > r || updatesType.getRank() != q - 1 + r - k)
      return rewriter.notifyMatchFailure(op, "updates' rank must be q - 1 + r - k");
    for (int64_t d = 0; d < q - 1; ++d)
      if (updatesType.getDimSize(d) != indicesType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "updates' leading dimensions must be the indices'");
    for (int64_t d = k; d < r; ++d)
      if (updatesType.getDimSize(q - 1 + d - k) != dataType.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "updates' trailing dimensions must be data's");
    if (indicesType.getNumElements() == 0) {
      rewriter.replaceOp(op, adaptor.getData());
      return success();
    }
    bool isUnsigned = unsignedElements(op.getData());
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    int64_t loops = r + q - 1;
    // indices read at [u..., 0] give the reduction loops their bounds; the rest is read in the body.
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < q - 1; ++d)
      indexExprs.push_back(getAffineDimExpr(r + d, ctx));
    indexExprs.push_back(getAffineConstantExpr(0, ctx));
    SmallVector<utils::IteratorType> iterators = parallelIterators(r);
    iterators.append(q - 1, utils::IteratorType::reduction);
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{indices}, ValueRange{adaptor.getData()},
        ArrayRef<AffineMap>{AffineMap::get(loops, 0, indexExprs, ctx),
                            AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(r)},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> u;
          for (int64_t d = 0; d < q - 1; ++d)
            u.push_back(linalg::IndexOp::create(b, l, r + d));
          Value match;
          for (int64_t j = 0; j < k; ++j) {
            SmallVector<Value> at(u);
            at.push_back(indexConst(b, l, j));
            Value v = j == 0 ? args[0] : Value(tensor::ExtractOp::create(b, l, indices, at));
            Value target = wrapIndex(b, l, toIndex(b, l, v, false), dataType.getDimSize(j));
            Value eq = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, linalg::IndexOp::create(b, l, j), target);
            match = match ? Value(arith::AndIOp::create(b, l, match, eq)) : eq;
          }
          SmallVector<Value> updateCoords(u);
          for (int64_t d = k; d < r; ++d)
            updateCoords.push_back(linalg::IndexOp::create(b, l, d));
          Value update = tensor::ExtractOp::create(b, l, updates, updateCoords);
          Value updated = combine(b, l, reduction, args[1], update, isUnsigned);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, match, updated, args[1]).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphIndexingToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ShapeLowering, SizeLowering, EyeLikeLowering, OneHotLowering, DepthToSpaceLowering,
               SpaceToDepthLowering, GatherNDLowering, CumSumLowering, ScatterElementsLowering, ScatterNDLowering,
               RangeLowering, WindowLowering<graph::HannWindowOp>, WindowLowering<graph::HammingWindowOp>,
               WindowLowering<graph::BlackmanWindowOp>, MelWeightMatrixLowering, ReverseSequenceLowering>(
      converter, patterns.getContext());
}

} // namespace sinter

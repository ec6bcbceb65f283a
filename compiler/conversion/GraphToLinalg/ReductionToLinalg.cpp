//===- ReductionToLinalg.cpp - Reduce* and ArgMax/ArgMin -> linalg --------------------------------------===//
//
// A reduction is a linalg.generic over the input's dimensions whose output map drops the reduced ones
// (reduction iterators there), accumulating into a tensor filled with the reduction's identity. keepdims=1
// re-inserts the reduced dimensions as size 1 with tensor.expand_shape. Post-processing (Mean's division,
// L2's sqrt, LogSum's log) is one elementwise linalg.generic over the reduced tensor. ReduceLogSumExp is
// computed stably as max + log(sum(exp(x - max))). TopK (constant k) is k selection passes; Einsum (no
// ellipses) is one contraction generic.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <map>

using namespace mlir;

namespace sinter {
namespace {

Value intConstant(OpBuilder &b, Location loc, Type type, const APInt &value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

/// The smallest (`lowest`) or largest value of `type`: -inf/+inf for floats, the integer bounds otherwise.
Value extremeValue(OpBuilder &b, Location loc, Type type, bool lowest, bool isUnsigned) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned w = type.getIntOrFloatBitWidth();
  if (isUnsigned)
    return intConstant(b, loc, type, lowest ? APInt::getMinValue(w) : APInt::getMaxValue(w));
  return intConstant(b, loc, type, lowest ? APInt::getSignedMinValue(w) : APInt::getSignedMaxValue(w));
}

enum class Kind { Sum, Mean, Max, Min, Prod, SumSquare, L1, L2, LogSum, LogSumExp };

/// Reduction axes as a mask over the input's dimensions; nullopt if they are not known constants or are out
/// of range. No axes (absent or empty) reduce everything unless `noopWithEmptyAxes`, which reduces nothing.
std::optional<SmallVector<bool>> reductionMask(std::optional<SmallVector<int64_t>> axes, bool axesKnown, int64_t rank,
                                               bool noopWithEmptyAxes) {
  if (!axesKnown)
    return std::nullopt;
  if (!axes || axes->empty())
    return SmallVector<bool>(rank, !noopWithEmptyAxes);
  SmallVector<bool> mask(rank, false);
  for (int64_t a : *axes) {
    if (a < -rank || a >= rank)
      return std::nullopt;
    mask[normalizeAxis(a, rank)] = true;
  }
  return mask;
}

template <typename OpTy>
std::optional<SmallVector<bool>> reductionMaskOf(OpTy op, int64_t rank) {
  if constexpr (std::is_same_v<OpTy, graph::ReduceSumOp>) {
    if (isa<NoneType>(op.getAxes().getType()))
      return reductionMask(std::nullopt, true, rank, op.getNoopWithEmptyAxes() != 0);
    auto axes = constantIntValues(op.getAxes());
    return reductionMask(axes, axes.has_value(), rank, op.getNoopWithEmptyAxes() != 0);
  } else {
    std::optional<SmallVector<int64_t>> axes;
    if (std::optional<ArrayRef<int64_t>> a = op.getAxes())
      axes = SmallVector<int64_t>(a->begin(), a->end());
    return reductionMask(axes, true, rank, false);
  }
}

template <typename OpTy, Kind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    auto inputType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!sourceResult || !inputType || !inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(this->getTypeConverter()->convertType(sourceResult));
    Type element = resultType.getElementType();
    bool isFloat = isa<FloatType>(element);
    bool isUnsigned = getElementTypeOrSelf(op.getData().getType()).isUnsignedInteger();
    if (!isFloat && (kind == Kind::L2 || kind == Kind::LogSum || kind == Kind::LogSumExp))
      return rewriter.notifyMatchFailure(op, "integer L2/LogSum/LogSumExp are not supported");
    int64_t rank = inputType.getRank();
    std::optional<SmallVector<bool>> mask = reductionMaskOf(op, rank);
    if (!mask)
      return rewriter.notifyMatchFailure(op, "axes must be constant and in range");
    RankedTensorType dropped = reducedType(inputType, *mask, element);
    SmallVector<int64_t> keptShape(inputType.getShape());
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d)
      if ((*mask)[d]) {
        keptShape[d] = 1;
        count *= inputType.getDimSize(d);
      }
    if (resultType.getShape() != dropped.getShape() && resultType.getShape() != ArrayRef<int64_t>(keptShape))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the reduction");
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    if (!llvm::is_contained(*mask, true)) {
      // Nothing reduced (noop_with_empty_axes, or a rank-0 input): the op applies to each element alone.
      if (kind == Kind::Sum || kind == Kind::Mean || kind == Kind::Max || kind == Kind::Min || kind == Kind::Prod) {
        rewriter.replaceOp(op, input);
        return success();
      }
    }

    auto add = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return isFloat ? Value(arith::AddFOp::create(b, l, x, y)) : Value(arith::AddIOp::create(b, l, x, y));
    };
    auto mul = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return isFloat ? Value(arith::MulFOp::create(b, l, x, y)) : Value(arith::MulIOp::create(b, l, x, y));
    };
    auto maxOf = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (isFloat)
        return arith::MaximumFOp::create(b, l, x, y);
      return isUnsigned ? Value(arith::MaxUIOp::create(b, l, x, y)) : Value(arith::MaxSIOp::create(b, l, x, y));
    };
    auto minOf = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (isFloat)
        return arith::MinimumFOp::create(b, l, x, y);
      return isUnsigned ? Value(arith::MinUIOp::create(b, l, x, y)) : Value(arith::MinSIOp::create(b, l, x, y));
    };

    Value result;
    auto zero = [&] { return scalarConstant(rewriter, loc, element, 0); };
    switch (kind) {
    case Kind::Sum:
    case Kind::Mean:
    case Kind::LogSum:
      result = buildReduction(rewriter, loc, input, *mask, zero(), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) { return add(b, l, acc, x); });
      break;
    case Kind::SumSquare:
    case Kind::L2:
      result = buildReduction(rewriter, loc, input, *mask, zero(), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
                                return add(b, l, acc, mul(b, l, x, x));
                              });
      break;
    case Kind::L1:
      result = buildReduction(rewriter, loc, input, *mask, zero(), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
                                Value a = x;
                                if (isFloat)
                                  a = math::AbsFOp::create(b, l, x);
                                else if (!isUnsigned)
                                  a = math::AbsIOp::create(b, l, x);
                                return add(b, l, acc, a);
                              });
      break;
    case Kind::Prod:
      result = buildReduction(rewriter, loc, input, *mask, scalarConstant(rewriter, loc, element, 1), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) { return mul(b, l, acc, x); });
      break;
    case Kind::Max:
      result = buildReduction(rewriter, loc, input, *mask, extremeValue(rewriter, loc, element, true, isUnsigned), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) { return maxOf(b, l, acc, x); });
      break;
    case Kind::Min:
      result = buildReduction(rewriter, loc, input, *mask, extremeValue(rewriter, loc, element, false, isUnsigned), {},
                              [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) { return minOf(b, l, acc, x); });
      break;
    case Kind::LogSumExp: {
      Value max = buildReduction(rewriter, loc, input, *mask, extremeValue(rewriter, loc, element, true, false), {},
                                 [&](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
                                   return maxOf(b, l, acc, x);
                                 });
      Value sum = buildReduction(rewriter, loc, input, *mask, zero(), ValueRange{max},
                                 [&](OpBuilder &b, Location l, Value x, ValueRange extras, Value acc) {
                                   Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, extras[0]));
                                   return add(b, l, acc, e);
                                 });
      MLIRContext *ctx = this->getContext();
      AffineMap id = AffineMap::getMultiDimIdentityMap(dropped.getRank(), ctx);
      result = linalg::GenericOp::create(rewriter, loc, TypeRange{dropped}, ValueRange{sum, max},
                                         ValueRange{emptyTensor(rewriter, loc, dropped)},
                                         ArrayRef<AffineMap>{id, id, id}, parallelIterators(dropped.getRank()),
                                         [](OpBuilder &b, Location l, ValueRange args) {
                                           Value log = math::LogOp::create(b, l, args[0]);
                                           linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, log, args[1]).getResult());
                                         })
                   .getResult(0);
      break;
    }
    }

    if (kind == Kind::Mean && count != 1)
      result = mapElements(rewriter, loc, result, element, [&](OpBuilder &b, Location l, Value v) -> Value {
        Value n = scalarConstant(b, l, element, count);
        if (isFloat)
          return arith::DivFOp::create(b, l, v, n);
        return isUnsigned ? Value(arith::DivUIOp::create(b, l, v, n)) : Value(arith::DivSIOp::create(b, l, v, n));
      });
    if (kind == Kind::L2)
      result = mapElements(rewriter, loc, result, element,
                           [](OpBuilder &b, Location l, Value v) -> Value { return math::SqrtOp::create(b, l, v); });
    if (kind == Kind::LogSum)
      result = mapElements(rewriter, loc, result, element,
                           [](OpBuilder &b, Location l, Value v) -> Value { return math::LogOp::create(b, l, v); });
    rewriter.replaceOp(op, expandReduced(rewriter, loc, result, *mask, resultType));
    return success();
  }
};

/// ArgMax/ArgMin: a two-output reduction (best value, its index) along the axis. Strict comparison keeps the
/// first index of the extreme value; select_last_index uses a non-strict one to keep the last.
template <typename OpTy, bool isMax>
struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = staticResultType(op);
    auto inputType = dyn_cast<RankedTensorType>(adaptor.getData().getType());
    if (!resultType || !inputType || !inputType.hasStaticShape() || inputType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t rank = inputType.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    if (inputType.getDimSize(axis) == 0)
      return rewriter.notifyMatchFailure(op, "empty reduction axis");
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    Type element = inputType.getElementType();
    Type i64 = rewriter.getI64Type();
    RankedTensorType valueType = reducedType(inputType, mask, element);
    RankedTensorType indexType = reducedType(inputType, mask, i64);
    SmallVector<int64_t> keptShape(inputType.getShape());
    keptShape[axis] = 1;
    if (resultType.getShape() != indexType.getShape() && resultType.getShape() != ArrayRef<int64_t>(keptShape))
      return rewriter.notifyMatchFailure(op, "result shape disagrees with the reduction");
    bool isFloat = isa<FloatType>(element);
    bool isUnsigned = getElementTypeOrSelf(op.getData().getType()).isUnsignedInteger();
    bool last = op.getSelectLastIndex() != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();

    Value initValue = filledTensor(rewriter, loc, valueType, extremeValue(rewriter, loc, element, isMax, isUnsigned));
    Value initIndex = filledTensor(rewriter, loc, indexType, scalarConstant(rewriter, loc, i64, 0));
    AffineMap outMap = reducedMap(ctx, mask);
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx), outMap, outMap};
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators[axis] = utils::IteratorType::reduction;
    using FP = arith::CmpFPredicate;
    using IP = arith::CmpIPredicate;
    FP fp = isMax ? (last ? FP::OGE : FP::OGT) : (last ? FP::OLE : FP::OLT);
    IP ip = isMax ? (isUnsigned ? (last ? IP::uge : IP::ugt) : (last ? IP::sge : IP::sgt))
                  : (isUnsigned ? (last ? IP::ule : IP::ult) : (last ? IP::sle : IP::slt));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, ValueRange{adaptor.getData()},
        ValueRange{initValue, initIndex}, maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value better = isFloat ? Value(arith::CmpFOp::create(b, l, fp, x, best))
                                 : Value(arith::CmpIOp::create(b, l, ip, x, best));
          Value index = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, better, x, best),
                                             arith::SelectOp::create(b, l, better, index, bestIndex)});
        });
    rewriter.replaceOp(op, expandReduced(rewriter, loc, generic.getResult(1), mask, resultType));
    return success();
  }
};

/// TopK with a constant k (at most kMaxK): k selection passes along the axis, each a two-output reduction that
/// picks the best (value, index) among the elements ordered after the previous pick (by value, then by
/// index, so ties come out lowest index first). The results are sorted whatever `sorted` says.
struct TopKLowering : OpConversionPattern<graph::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  static constexpr int64_t kMaxK = 64;
  LogicalResult matchAndRewrite(graph::TopKOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceValues = staticResultType(op, 0), indicesType = staticResultType(op, 1);
    auto inputType = dyn_cast<RankedTensorType>(adaptor.getX().getType());
    if (!sourceValues || !indicesType || !inputType || !inputType.hasStaticShape() || inputType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto valuesType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceValues));
    int64_t rank = inputType.getRank(), axis = normalizeAxis(op.getAxis(), rank);
    // A runtime K is the results' (static) size along the axis: the result shape is K there by definition.
    auto kValues = constantIntValues(op.getK());
    if (kValues && kValues->size() != 1)
      return rewriter.notifyMatchFailure(op, "K must be a single value");
    int64_t k = kValues ? (*kValues)[0] : valuesType.getDimSize(axis);
    if (k < 0 || k > inputType.getDimSize(axis) || k > kMaxK)
      return rewriter.notifyMatchFailure(op, "K out of range or too large for selection passes");
    SmallVector<int64_t> shape(inputType.getShape());
    shape[axis] = k;
    if (valuesType.getShape() != ArrayRef<int64_t>(shape) || indicesType.getShape() != ArrayRef<int64_t>(shape))
      return rewriter.notifyMatchFailure(op, "result shapes disagree with K");
    Type element = inputType.getElementType(), i64 = rewriter.getI64Type();
    bool isFloat = isa<FloatType>(element);
    bool isUnsigned = getElementTypeOrSelf(op.getX().getType()).isUnsignedInteger();
    bool largest = op.getLargest() != 0;
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    RankedTensorType passValueType = reducedType(inputType, mask, element);
    RankedTensorType passIndexType = reducedType(inputType, mask, i64);
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx), red = reducedMap(ctx, mask);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators[axis] = utils::IteratorType::reduction;
    using FP = arith::CmpFPredicate;
    using IP = arith::CmpIPredicate;
    // `better(a, b)`: a comes before b in the output order.
    auto better = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (isFloat)
        return arith::CmpFOp::create(b, l, largest ? FP::OGT : FP::OLT, x, y);
      IP p = largest ? (isUnsigned ? IP::ugt : IP::sgt) : (isUnsigned ? IP::ult : IP::slt);
      return arith::CmpIOp::create(b, l, p, x, y);
    };
    auto equal = [&](OpBuilder &b, Location l, Value x, Value y) -> Value {
      if (isFloat)
        return arith::CmpFOp::create(b, l, FP::OEQ, x, y);
      return arith::CmpIOp::create(b, l, IP::eq, x, y);
    };

    Value values = emptyTensor(rewriter, loc, valuesType);
    Value indices = emptyTensor(rewriter, loc, indicesType);
    Value previousValue, previousIndex;
    for (int64_t j = 0; j < k; ++j) {
      Value initValue = filledTensor(rewriter, loc, passValueType,
                                     extremeValue(rewriter, loc, element, largest, isUnsigned));
      Value initIndex = filledTensor(rewriter, loc, passIndexType, scalarConstant(rewriter, loc, i64, -1));
      SmallVector<Value> inputs = {adaptor.getX()};
      SmallVector<AffineMap> maps = {id};
      if (j > 0) {
        inputs.append({previousValue, previousIndex});
        maps.append({red, red});
      }
      maps.append({red, red});
      bool first = j == 0;
      auto pass = linalg::GenericOp::create(
          rewriter, loc, TypeRange{passValueType, passIndexType}, inputs, ValueRange{initValue, initIndex}, maps,
          iterators, [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = args[0];
            Value bestValue = args[args.size() - 2], bestIndex = args.back();
            Value index = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
            Value take = arith::OrIOp::create(
                b, l, arith::CmpIOp::create(b, l, IP::slt, bestIndex, scalarConstant(b, l, i64, 0)),
                better(b, l, x, bestValue));
            if (!first) {
              Value pv = args[1], pi = args[2];
              Value after = arith::OrIOp::create(
                  b, l, better(b, l, pv, x),
                  arith::AndIOp::create(b, l, equal(b, l, x, pv),
                                        arith::CmpIOp::create(b, l, IP::sgt, index, pi)));
              take = arith::AndIOp::create(b, l, take, after);
            }
            linalg::YieldOp::create(b, l,
                                    ValueRange{arith::SelectOp::create(b, l, take, x, bestValue),
                                               arith::SelectOp::create(b, l, take, index, bestIndex)});
          });
      previousValue = pass.getResult(0);
      previousIndex = pass.getResult(1);
      SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
      offsets[axis] = j;
      sizes[axis] = 1;
      values = tensor::InsertSliceOp::create(rewriter, loc, previousValue, values, getAsIndexOpFoldResult(ctx, offsets),
                                             getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
      indices = tensor::InsertSliceOp::create(rewriter, loc, previousIndex, indices, getAsIndexOpFoldResult(ctx, offsets),
                                              getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
    }
    rewriter.replaceOp(op, ValueRange{values, indices});
    return success();
  }
};

/// Splits an Einsum equation (spaces removed) into its input terms and its output, if it has "->".
void splitEinsum(const std::string &equation, SmallVector<std::string> &terms, std::optional<std::string> &rhs) {
  size_t arrow = equation.find("->");
  std::string lhs = equation.substr(0, arrow);
  if (arrow != std::string::npos)
    rhs = equation.substr(arrow + 2);
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
}

/// Rewrites an Einsum equation's ellipses into fresh letters (unused upper/lower case letters): the
/// ellipsis dimensions of every operand align from the right; "..." in the output (or, without an output,
/// before the implicit output's letters) stands for all of them.
LogicalResult expandEllipses(std::string &equation, ValueRange inputs) {
  SmallVector<std::string> terms;
  std::optional<std::string> rhs;
  splitEinsum(equation, terms, rhs);
  if (terms.size() != inputs.size())
    return failure();
  std::string fresh;
  for (char c = 'A'; c <= 'Z'; ++c)
    if (equation.find(c) == std::string::npos)
      fresh.push_back(c);
  std::map<char, int64_t> counts;
  SmallVector<int64_t> ellipsisRanks(terms.size(), -1);
  int64_t maxRank = 0;
  for (auto [index, term] : llvm::enumerate(terms)) {
    auto type = dyn_cast<RankedTensorType>(inputs[index].getType());
    size_t at = term.find("...");
    for (char c : term)
      if (c != '.')
        ++counts[c];
    if (at == std::string::npos)
      continue;
    if (!type || term.find('.', at + 3) != std::string::npos || term.find('.') != at)
      return failure();
    int64_t rank = type.getRank() - static_cast<int64_t>(term.size() - 3);
    if (rank < 0)
      return failure();
    ellipsisRanks[index] = rank;
    maxRank = std::max(maxRank, rank);
  }
  if (maxRank > static_cast<int64_t>(fresh.size()))
    return failure();
  std::string letters = fresh.substr(0, maxRank);
  std::string result;
  for (auto [index, term] : llvm::enumerate(terms)) {
    if (index)
      result.push_back(',');
    size_t at = term.find("...");
    result += at == std::string::npos
                  ? term
                  : term.substr(0, at) + letters.substr(maxRank - ellipsisRanks[index]) + term.substr(at + 3);
  }
  std::string out;
  if (rhs) {
    size_t at = rhs->find("...");
    if (rhs->find('.') != std::string::npos && (at == std::string::npos || rhs->find('.') != at ||
                                                rhs->find('.', at + 3) != std::string::npos))
      return failure();
    out = at == std::string::npos ? *rhs : rhs->substr(0, at) + letters + rhs->substr(at + 3);
  } else {
    out = letters;
    for (auto [c, n] : counts) // ASCII order, as numpy's implicit output
      if (n == 1)
        out.push_back(c);
  }
  equation = result + "->" + out;
  return success();
}

/// Einsum (ellipses expanded into letters first): one linalg.generic whose loops are the output letters (in output order) then the
/// summed letters; each operand is indexed by its letters (a repeated letter reads a diagonal).
struct EinsumLowering : OpConversionPattern<graph::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::EinsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    std::string equation;
    for (char c : op.getEquation())
      if (c != ' ')
        equation.push_back(c);
    if (equation.find('.') != std::string::npos && failed(expandEllipses(equation, adaptor.getInputs())))
      return rewriter.notifyMatchFailure(op, "malformed ellipses");
    SmallVector<std::string> terms;
    std::optional<std::string> rhs;
    splitEinsum(equation, terms, rhs);
    ValueRange inputs = adaptor.getInputs();
    if (terms.size() != inputs.size() || inputs.empty())
      return rewriter.notifyMatchFailure(op, "equation does not match the operands");
    std::map<char, int64_t> sizes, counts;
    std::string order; // letters in first-appearance order
    for (auto [term, input] : llvm::zip(terms, inputs)) {
      auto type = dyn_cast<RankedTensorType>(input.getType());
      if (!type || !type.hasStaticShape() || static_cast<int64_t>(term.size()) != type.getRank())
        return rewriter.notifyMatchFailure(op, "operand rank disagrees with its subscripts");
      for (auto [i, c] : llvm::enumerate(term)) {
        if (!llvm::isAlpha(c))
          return rewriter.notifyMatchFailure(op, "bad subscript");
        auto [it, inserted] = sizes.try_emplace(c, type.getDimSize(i));
        if (!inserted && it->second != type.getDimSize(i))
          return rewriter.notifyMatchFailure(op, "a subscript has two sizes");
        if (inserted)
          order.push_back(c);
        ++counts[c];
      }
    }
    std::string out;
    if (rhs) {
      out = *rhs;
    } else {
      for (auto [c, n] : counts) // std::map: ASCII order, as numpy's implicit output
        if (n == 1)
          out.push_back(c);
    }
    std::map<char, int64_t> loopOf;
    for (char c : out) {
      if (!sizes.count(c) || loopOf.count(c))
        return rewriter.notifyMatchFailure(op, "bad output subscripts");
      int64_t next = loopOf.size();
      loopOf[c] = next;
    }
    if (resultType.getRank() != static_cast<int64_t>(out.size()))
      return rewriter.notifyMatchFailure(op, "result rank disagrees with the output subscripts");
    for (auto [i, c] : llvm::enumerate(out))
      if (resultType.getDimSize(i) != sizes[c])
        return rewriter.notifyMatchFailure(op, "result shape disagrees with the output subscripts");
    SmallVector<utils::IteratorType> iterators = parallelIterators(out.size());
    for (char c : order)
      if (!loopOf.count(c)) {
        int64_t next = loopOf.size();
        loopOf[c] = next;
        iterators.push_back(utils::IteratorType::reduction);
      }
    MLIRContext *ctx = getContext();
    int64_t loops = loopOf.size();
    SmallVector<AffineMap> maps;
    for (const std::string &term : terms) {
      SmallVector<AffineExpr> exprs;
      for (char c : term)
        exprs.push_back(getAffineDimExpr(loopOf[c], ctx));
      maps.push_back(AffineMap::get(loops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (char c : out)
      outExprs.push_back(getAffineDimExpr(loopOf[c], ctx));
    maps.push_back(AffineMap::get(loops, 0, outExprs, ctx));
    Location loc = op.getLoc();
    Type element = resultType.getElementType();
    bool isFloat = isa<FloatType>(element);
    Value init = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = args[0];
          for (Value v : args.drop_front().drop_back())
            product = isFloat ? Value(arith::MulFOp::create(b, l, product, v)) : Value(arith::MulIOp::create(b, l, product, v));
          Value acc = args.back();
          linalg::YieldOp::create(b, l, isFloat ? Value(arith::AddFOp::create(b, l, acc, product))
                                                : Value(arith::AddIOp::create(b, l, acc, product)));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphReductionToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<graph::ReduceSumOp, Kind::Sum>, ReduceLowering<graph::ReduceMeanOp, Kind::Mean>,
               ReduceLowering<graph::ReduceMaxOp, Kind::Max>, ReduceLowering<graph::ReduceMinOp, Kind::Min>,
               ReduceLowering<graph::ReduceProdOp, Kind::Prod>,
               ReduceLowering<graph::ReduceSumSquareOp, Kind::SumSquare>, ReduceLowering<graph::ReduceL1Op, Kind::L1>,
               ReduceLowering<graph::ReduceL2Op, Kind::L2>, ReduceLowering<graph::ReduceLogSumOp, Kind::LogSum>,
               ReduceLowering<graph::ReduceLogSumExpOp, Kind::LogSumExp>, ArgLowering<graph::ArgMaxOp, true>,
               ArgLowering<graph::ArgMinOp, false>, TopKLowering, EinsumLowering>(converter, patterns.getContext());
}

} // namespace sinter

//===- BoundedResultsToLinalg.cpp - ops whose result shape depends on input values -> linalg ------------===//
//
// NonZero, Compress, Unique and NonMaxSuppression. Each result is lowered to a static `data` tensor of its
// bound's element count, written compactly in the actual shape, plus a `dims` tensor of the actual shape,
// joined by one unrealized_conversion_cast (compiler/conversion/BoundedResult.h); such a result may only be a
// graph output (checkBoundedResultsAreOutputs, run by convert-graph-to-linalg before lowering).
//
// Everything is linalg.generic on static tensors, in the style of the scatters (IndexingToLinalg.cpp).
// "The j-th selected element" walks per-block counts, then one block, in order (O(bound x sqrt(n)));
// Unique compares all pairs of items and NonMaxSuppression ranks all pairs of boxes (O(n^2)): these are
// meant for correctness on small tensors, not speed.
// NonMaxSuppression's greedy selection keeps its list of kept boxes in a stack buffer (a static
// memref.alloca, which the CPU target hoists to the dispatch's entry) inside the body of a generic over
// (batch, class, k).
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/BoundedResult.h"
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;

namespace sinter {
namespace {

using utils::IteratorType;

Value idx(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v); }
Value i64c(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIntOp::create(b, l, v, 64); }
Value toI64(OpBuilder &b, Location l, Value index) {
  return arith::IndexCastOp::create(b, l, b.getI64Type(), index);
}
Value toIdx(OpBuilder &b, Location l, Value i64) { return arith::IndexCastOp::create(b, l, b.getIndexType(), i64); }
Value cmpI(OpBuilder &b, Location l, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, l, p, x, y);
}
Value select(OpBuilder &b, Location l, Value c, Value x, Value y) { return arith::SelectOp::create(b, l, c, x, y); }
Value andI(OpBuilder &b, Location l, Value x, Value y) { return arith::AndIOp::create(b, l, x, y); }
Value maxIndex(OpBuilder &b, Location l, Value x, int64_t floor) {
  return arith::MaxSIOp::create(b, l, x, idx(b, l, floor));
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// Compress's and Unique's items: the slices along `axis` (extent of them, each outer x inner elements), or
/// without an axis the elements themselves. std::nullopt for an axis out of range.
struct Items {
  std::optional<int64_t> axis;
  int64_t extent, outer, inner;
};
std::optional<Items> itemsAlong(std::optional<int64_t> axisAttr, ArrayRef<int64_t> shape) {
  if (!axisAttr)
    return Items{std::nullopt, product(shape), 1, 1};
  int64_t rank = static_cast<int64_t>(shape.size()), axis = normalizeAxis(*axisAttr, rank);
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return Items{axis, shape[axis], product(shape.take_front(axis)), product(shape.drop_front(axis + 1))};
}

/// Row-major coordinates of `flat` in `shape` (empty for a scalar).
SmallVector<Value> delinearize(OpBuilder &b, Location l, Value flat, ArrayRef<int64_t> shape) {
  SmallVector<Value> coords(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    Value extent = idx(b, l, shape[d]);
    coords[d] = d == 0 ? flat : Value(arith::RemUIOp::create(b, l, flat, extent));
    if (d > 0)
      flat = arith::DivUIOp::create(b, l, flat, extent);
  }
  return coords;
}

/// The coordinates in `shape` of element (o, i) of item k (Items): x[o..., k, i...] along an axis, x.flat[k]
/// without one.
SmallVector<Value> itemCoords(OpBuilder &b, Location l, const Items &items, ArrayRef<int64_t> shape, Value o, Value k,
                              Value i) {
  if (!items.axis)
    return delinearize(b, l, k, shape);
  SmallVector<Value> coords = delinearize(b, l, o, shape.take_front(*items.axis));
  coords.push_back(k);
  coords.append(delinearize(b, l, i, shape.drop_front(*items.axis + 1)));
  return coords;
}

/// Whether `x` is not zero (NaN counts as not zero, as in NumPy).
Value isNonZero(OpBuilder &b, Location l, Value x) {
  Type t = x.getType();
  if (auto ft = dyn_cast<FloatType>(t))
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, x,
                                 arith::ConstantOp::create(b, l, b.getFloatAttr(ft, 0.0)));
  return cmpI(b, l, arith::CmpIPredicate::ne, x, arith::ConstantOp::create(b, l, b.getIntegerAttr(t, 0)));
}

/// `x` as a 1-D tensor (a view: collapse_shape, or expand_shape of a scalar).
Value flatten(OpBuilder &b, Location l, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() == 1)
    return x;
  auto flat = RankedTensorType::get({type.getNumElements()}, type.getElementType());
  if (type.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, l, flat, x, ArrayRef<ReassociationIndices>{});
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return tensor::CollapseShapeOp::create(b, l, flat, x, ArrayRef<ReassociationIndices>{all});
}

Value zeros(OpBuilder &b, Location l, ArrayRef<int64_t> shape, Type element) {
  return filledTensor(b, l, RankedTensorType::get(shape, element), scalarConstant(b, l, element, 0));
}

/// A 0-d i64 tensor: how many elements of the 1-D `flat` satisfy `pred`.
Value countWhere(OpBuilder &b, Location l, Value flat, function_ref<Value(OpBuilder &, Location, Value)> pred) {
  MLIRContext *ctx = b.getContext();
  auto generic = linalg::GenericOp::create(
      b, l, TypeRange{RankedTensorType::get({}, b.getI64Type())}, ValueRange{flat},
      ValueRange{zeros(b, l, {}, b.getI64Type())},
      ArrayRef<AffineMap>{identityMap(ctx, 1), AffineMap::get(1, 0, {}, ctx)}, {IteratorType::reduction},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value one = arith::ExtUIOp::create(nb, nl, nb.getI64Type(), pred(nb, nl, args[0]));
        linalg::YieldOp::create(nb, nl, Value(arith::AddIOp::create(nb, nl, args[1], one)));
      });
  return generic.getResult(0);
}

/// A 1-D generic over `size` elements of `element` whose body computes element p from (p, args).
Value generate(OpBuilder &b, Location l, int64_t size, Type element, ValueRange scalars,
               function_ref<Value(OpBuilder &, Location, Value p, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps(scalars.size(), AffineMap::get(1, 0, {}, ctx));
  maps.push_back(identityMap(ctx, 1));
  auto generic = linalg::GenericOp::create(
      b, l, TypeRange{RankedTensorType::get({size}, element)}, scalars, ValueRange{emptyTensor(b, l, RankedTensorType::get({size}, element))},
      maps, {IteratorType::parallel}, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value p = linalg::IndexOp::create(nb, nl, 0);
        linalg::YieldOp::create(nb, nl, body(nb, nl, p, args.drop_back()));
      });
  return generic.getResult(0);
}

/// For j in [0, size): the position k in the 1-D `flat` of the j-th element that satisfies `pred` (0 when
/// there are fewer). The elements are counted per block of about sqrt(n) first; each j then walks the block
/// counts to its block and that block in order, so the whole costs O(size x sqrt(n)), not O(size x n).
Value positionsWhere(OpBuilder &b, Location l, Value flat, int64_t size,
                     function_ref<Value(OpBuilder &, Location, Value)> pred) {
  MLIRContext *ctx = b.getContext();
  Type i64 = b.getI64Type();
  int64_t n = cast<RankedTensorType>(flat.getType()).getNumElements();
  if (n == 0)
    return zeros(b, l, {size}, i64);
  int64_t block = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(n)))));
  int64_t blocks = (n + block - 1) / block;
  // Element i of block blk, and whether it exists (the last block may be short).
  auto element = [&](OpBuilder &nb, Location nl, Value blk, Value i) -> std::pair<Value, Value> {
    Value at = arith::AddIOp::create(nb, nl, arith::MulIOp::create(nb, nl, blk, idx(nb, nl, block)), i);
    Value inside = cmpI(nb, nl, arith::CmpIPredicate::ult, at, idx(nb, nl, n));
    Value clamped = arith::MinUIOp::create(nb, nl, at, idx(nb, nl, n - 1));
    Value hit = andI(nb, nl, inside, pred(nb, nl, tensor::ExtractOp::create(nb, nl, flat, ValueRange{clamped})));
    return {at, hit};
  };
  // counts[blk]: loops (blk, i); the i8 tensor only gives i its range.
  Value range = emptyTensor(b, l, RankedTensorType::get({blocks, block}, b.getI8Type()));
  Value counts = linalg::GenericOp::create(
                     b, l, TypeRange{RankedTensorType::get({blocks}, i64)}, ValueRange{range},
                     ValueRange{zeros(b, l, {blocks}, i64)},
                     ArrayRef<AffineMap>{identityMap(ctx, 2), AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx)},
                     {IteratorType::parallel, IteratorType::reduction},
                     [&](OpBuilder &nb, Location nl, ValueRange args) {
                       auto [at, hit] = element(nb, nl, linalg::IndexOp::create(nb, nl, 0), linalg::IndexOp::create(nb, nl, 1));
                       (void)at;
                       linalg::YieldOp::create(nb, nl, Value(arith::AddIOp::create(nb, nl, args[1], arith::ExtUIOp::create(nb, nl, i64, hit))));
                     })
                     .getResult(0);
  return generate(b, l, size, i64, ValueRange{}, [&](OpBuilder &nb, Location nl, Value p, ValueRange) -> Value {
    Value j = toI64(nb, nl, p);
    // The block holding the j-th hit, and the hits before it.
    auto walk = scf::ForOp::create(
        nb, nl, idx(nb, nl, 0), idx(nb, nl, blocks), idx(nb, nl, 1), ValueRange{i64c(nb, nl, -1), i64c(nb, nl, 0)},
        [&](OpBuilder &fb, Location fl, Value blk, ValueRange iter) {
          Value count = tensor::ExtractOp::create(fb, fl, counts, ValueRange{blk});
          Value searching = cmpI(fb, fl, arith::CmpIPredicate::slt, iter[0], i64c(fb, fl, 0));
          Value reached = cmpI(fb, fl, arith::CmpIPredicate::sgt, arith::AddIOp::create(fb, fl, iter[1], count), j);
          Value found = andI(fb, fl, searching, reached);
          Value passed = andI(fb, fl, searching, arith::XOrIOp::create(fb, fl, reached, arith::ConstantIntOp::create(fb, fl, 1, 1)));
          scf::YieldOp::create(fb, fl, ValueRange{select(fb, fl, found, toI64(fb, fl, blk), iter[0]),
                                                  select(fb, fl, passed, arith::AddIOp::create(fb, fl, iter[1], count), iter[1])});
        });
    Value blk = toIdx(nb, nl, arith::MaxSIOp::create(nb, nl, walk.getResult(0), i64c(nb, nl, 0)));
    auto scan = scf::ForOp::create(
        nb, nl, idx(nb, nl, 0), idx(nb, nl, block), idx(nb, nl, 1), ValueRange{walk.getResult(1), i64c(nb, nl, 0)},
        [&](OpBuilder &fb, Location fl, Value i, ValueRange iter) {
          auto [at, hit] = element(fb, fl, blk, i);
          Value isJth = andI(fb, fl, hit, cmpI(fb, fl, arith::CmpIPredicate::eq, iter[0], j));
          Value next = arith::AddIOp::create(fb, fl, iter[0], arith::ExtUIOp::create(fb, fl, i64, hit));
          scf::YieldOp::create(fb, fl, ValueRange{next, select(fb, fl, isJth, toI64(fb, fl, at), iter[1])});
        });
    return scan.getResult(1);
  });
}

/// The actual shape as a tensor<rank x i64>: `shape` with its -1 replaced by the 0-d i64 tensor `count`.
Value dimsTensor(OpBuilder &b, Location l, ArrayRef<int64_t> shape, Value count) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  auto generic = linalg::GenericOp::create(
      b, l, TypeRange{RankedTensorType::get({rank}, b.getI64Type())}, ValueRange{count},
      ValueRange{zeros(b, l, {rank}, b.getI64Type())},
      ArrayRef<AffineMap>{AffineMap::get(1, 0, {}, ctx), identityMap(ctx, 1)}, {IteratorType::parallel},
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value d = linalg::IndexOp::create(nb, nl, 0);
        Value v = args[0];
        for (int64_t i = 0; i < rank; ++i)
          if (shape[i] >= 0)
            v = select(nb, nl, cmpI(nb, nl, arith::CmpIPredicate::eq, d, idx(nb, nl, i)), i64c(nb, nl, shape[i]), v);
        linalg::YieldOp::create(nb, nl, v);
      });
  return generic.getResult(0);
}

/// Joins `data` and `dims` into one value of `resultType` (see BoundedResult.h).
Value joinBounded(OpBuilder &b, Location l, Type resultType, Value data, Value dims, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> bound) {
  auto cast = UnrealizedConversionCastOp::create(b, l, TypeRange{resultType}, ValueRange{data, dims});
  cast->setAttr(kBoundedShapeAttr, b.getDenseI64ArrayAttr(shape));
  cast->setAttr(kBoundShapeAttr, b.getDenseI64ArrayAttr(bound));
  return cast.getResult(0);
}

/// The compact [outer][count][inner] layout of a result whose axis extent is `count` (a runtime value,
/// at most the bound's): p -> (o, j, i). Past the actual result o runs past outer: callers clamp it so
/// that reads stay in bounds (what lands there is unspecified).
struct CompactCoords {
  Value o, j, i;
};
CompactCoords compactCoords(OpBuilder &b, Location l, Value p, Value count, int64_t inner) {
  Value in = idx(b, l, inner);
  Value i = arith::RemUIOp::create(b, l, p, in);
  Value t = arith::DivUIOp::create(b, l, p, in);
  Value c = maxIndex(b, l, count, 1);
  Value j = arith::RemUIOp::create(b, l, t, c);
  Value o = arith::DivUIOp::create(b, l, t, c);
  return {o, j, i};
}

//===----------------------------------------------------------------------------------------------------===//
// NonZero
//===----------------------------------------------------------------------------------------------------===//

/// NonZero: Y[r][j] = coordinate r of the j-th nonzero element (row-major order); bound [rank, numel]
/// (a scalar counts as rank 1, as in NumPy).
struct NonZeroLowering : OpConversionPattern<graph::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::NonZeroOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType xType = staticType(adaptor.getX());
    if (!xType || !xType.getElementType().isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "needs a static integer or floating-point input");
    Location l = op.getLoc();
    SmallVector<int64_t> shape(xType.getShape());
    if (shape.empty())
      shape.push_back(1);
    int64_t rank = shape.size(), n = xType.getNumElements();
    Value flat = flatten(rewriter, l, adaptor.getX());
    Value count = countWhere(rewriter, l, flat, isNonZero);
    Value positions = positionsWhere(rewriter, l, flat, std::max<int64_t>(n, 1), isNonZero);
    Value data = generate(rewriter, l, rank * n, rewriter.getI64Type(), ValueRange{count},
                          [&](OpBuilder &b, Location nl, Value p, ValueRange args) {
                            // [r][j] with stride nnz; past r = rank - 1 the values are not read.
                            Value nnz = toIdx(b, nl, args[0]);
                            Value c = maxIndex(b, nl, nnz, 1);
                            Value r = arith::DivUIOp::create(b, nl, p, c);
                            Value j = arith::RemUIOp::create(b, nl, p, c);
                            Value k = toIdx(b, nl, tensor::ExtractOp::create(b, nl, positions, ValueRange{j}));
                            SmallVector<Value> coords = delinearize(b, nl, k, shape);
                            Value v = i64c(b, nl, 0);
                            for (int64_t d = 0; d < rank; ++d)
                              v = select(b, nl, cmpI(b, nl, arith::CmpIPredicate::eq, r, idx(b, nl, d)),
                                         toI64(b, nl, coords[d]), v);
                            return v;
                          });
    Value dims = dimsTensor(rewriter, l, {rank, -1}, count);
    Type resultType = getTypeConverter()->convertType(op.getY().getType());
    rewriter.replaceOp(op, joinBounded(rewriter, l, resultType, data, dims, {rank, -1}, {rank, n}));
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Compress
//===----------------------------------------------------------------------------------------------------===//

/// Compress: the slices along `axis` (elements, without an axis) whose condition is true, in order. Only
/// the first min(len(condition), extent) conditions count. Bound: the input's shape (or [numel]).
struct CompressLowering : OpConversionPattern<graph::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::CompressOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType xType = staticType(adaptor.getInput());
    RankedTensorType condType = staticType(adaptor.getCondition());
    if (!xType || !condType || condType.getRank() != 1 || !xType.getElementType().isIntOrFloat())
      return rewriter.notifyMatchFailure(op, "needs a static integer or floating-point input and a 1-D condition");
    Location l = op.getLoc();
    ArrayRef<int64_t> shape = xType.getShape();
    int64_t n = xType.getNumElements();
    std::optional<Items> items = itemsAlong(op.getAxis(), shape);
    if (!items)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    std::optional<int64_t> axis = items->axis;
    int64_t extent = items->extent, outer = items->outer, inner = items->inner;
    int64_t m = std::min(condType.getDimSize(0), extent);
    Value cond = adaptor.getCondition();
    if (m < condType.getDimSize(0))
      cond = tensor::ExtractSliceOp::create(rewriter, l, cond, indexAttrs(getContext(), {0}),
                                            indexAttrs(getContext(), {m}), indexAttrs(getContext(), {1}));
    Value count = countWhere(rewriter, l, cond, isNonZero);
    Value positions = positionsWhere(rewriter, l, cond, std::max<int64_t>(m, 1), isNonZero);
    Value x = adaptor.getInput();
    Type element = xType.getElementType();
    Value data = generate(rewriter, l, n, element, ValueRange{count},
                          [&](OpBuilder &b, Location nl, Value p, ValueRange args) {
                            CompactCoords at = compactCoords(b, nl, p, toIdx(b, nl, args[0]), inner);
                            Value o = arith::MinUIOp::create(b, nl, at.o, idx(b, nl, outer - 1));
                            Value k = toIdx(b, nl, tensor::ExtractOp::create(b, nl, positions, ValueRange{at.j}));
                            return Value(tensor::ExtractOp::create(b, nl, x, itemCoords(b, nl, *items, shape, o, k, at.i)));
                          });
    SmallVector<int64_t> dynamicShape = axis ? SmallVector<int64_t>(shape) : SmallVector<int64_t>{n};
    SmallVector<int64_t> bound = dynamicShape;
    dynamicShape[axis ? *axis : 0] = -1;
    Value dims = dimsTensor(rewriter, l, dynamicShape, count);
    Type resultType = getTypeConverter()->convertType(op.getOutput().getType());
    rewriter.replaceOp(op, joinBounded(rewriter, l, resultType, data, dims, dynamicShape, bound));
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// Unique
//===----------------------------------------------------------------------------------------------------===//

/// Unique over items: the elements (no axis) or the slices along `axis`, item k's element s = (o, i) being
/// x[o..., k, i...]. cmp[k][j] orders item j against item k lexicographically (0 equal, 1 less, 2 greater);
/// first[k] is the first item equal to k; pos[k] the output position of k's value (sorted: the distinct
/// items less than it; unsorted: the distinct items first seen before it), which is inverse_indices.
/// Bounds: Y the input's shape (or [numel]); indices and counts [extent]; inverse_indices is static.
struct UniqueLowering : OpConversionPattern<graph::UniqueOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::UniqueOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType xType = staticType(adaptor.getX());
    if (!xType || !xType.getElementType().isIntOrFloat() || xType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs a static, non-empty integer or floating-point input");
    MLIRContext *ctx = getContext();
    Location l = op.getLoc();
    ArrayRef<int64_t> shape = xType.getShape();
    int64_t n = xType.getNumElements();
    std::optional<Items> items = itemsAlong(op.getAxis(), shape);
    if (!items)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    std::optional<int64_t> axis = items->axis;
    int64_t extent = items->extent, outer = items->outer, inner = items->inner;
    bool sorted = op.getSorted() != 0;
    Type element = xType.getElementType();
    bool isUnsigned = element.isInteger(1) || getElementTypeOrSelf(op.getX().getType()).isUnsignedInteger();
    Type i64 = rewriter.getI64Type(), i8 = rewriter.getI8Type();
    Value x = adaptor.getX();
    auto itemElement = [&](OpBuilder &b, Location nl, Value o, Value k, Value i) -> Value {
      return tensor::ExtractOp::create(b, nl, x, itemCoords(b, nl, *items, shape, o, k, i));
    };
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };

    // cmp[k][j]: loops (k, j, o, i), the slice's elements in order (o major).
    Value cmp;
    {
      Value oRange = emptyTensor(rewriter, l, RankedTensorType::get({outer, inner}, i8));
      auto generic = linalg::GenericOp::create(
          rewriter, l, TypeRange{RankedTensorType::get({extent, extent}, i8)}, ValueRange{oRange},
          ValueRange{zeros(rewriter, l, {extent, extent}, i8)},
          ArrayRef<AffineMap>{AffineMap::get(4, 0, {d(2), d(3)}, ctx), AffineMap::get(4, 0, {d(0), d(1)}, ctx)},
          {IteratorType::parallel, IteratorType::parallel, IteratorType::reduction, IteratorType::reduction},
          [&](OpBuilder &b, Location nl, ValueRange args) {
            Value k = linalg::IndexOp::create(b, nl, 0), j = linalg::IndexOp::create(b, nl, 1);
            Value o = linalg::IndexOp::create(b, nl, 2), i = linalg::IndexOp::create(b, nl, 3);
            Value a = itemElement(b, nl, o, k, i), c = itemElement(b, nl, o, j, i);
            Value less, greater;
            if (isa<FloatType>(element)) {
              less = arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OLT, c, a);
              greater = arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OGT, c, a);
            } else {
              less = cmpI(b, nl, isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, c, a);
              greater = cmpI(b, nl, isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, c, a);
            }
            Value zero = arith::ConstantIntOp::create(b, nl, 0, 8);
            Value here = select(b, nl, less, arith::ConstantIntOp::create(b, nl, 1, 8),
                                select(b, nl, greater, arith::ConstantIntOp::create(b, nl, 2, 8), zero));
            Value decided = cmpI(b, nl, arith::CmpIPredicate::ne, args[1], zero);
            linalg::YieldOp::create(b, nl, select(b, nl, decided, args[1], here));
          });
      cmp = generic.getResult(0);
    }
    AffineMap kj = AffineMap::get(2, 0, {d(0), d(1)}, ctx), kOnly = AffineMap::get(2, 0, {d(0)}, ctx),
              jOnly = AffineMap::get(2, 0, {d(1)}, ctx);
    SmallVector<IteratorType> parRed = {IteratorType::parallel, IteratorType::reduction};
    auto vectorType = RankedTensorType::get({extent}, i64);
    // first[k] = the first j with cmp[k][j] == 0.
    Value first = linalg::GenericOp::create(
                      rewriter, l, TypeRange{vectorType}, ValueRange{cmp},
                      ValueRange{filledTensor(rewriter, l, vectorType, i64c(rewriter, l, extent))},
                      ArrayRef<AffineMap>{kj, kOnly}, parRed,
                      [&](OpBuilder &b, Location nl, ValueRange args) {
                        Value j = toI64(b, nl, linalg::IndexOp::create(b, nl, 1));
                        Value equal = cmpI(b, nl, arith::CmpIPredicate::eq, args[0], arith::ConstantIntOp::create(b, nl, 0, 8));
                        Value unset = cmpI(b, nl, arith::CmpIPredicate::eq, args[1], i64c(b, nl, extent));
                        linalg::YieldOp::create(b, nl, select(b, nl, andI(b, nl, equal, unset), j, args[1]));
                      })
                      .getResult(0);
    // pos[k]: how many distinct items come before k's value in the output.
    Value pos = linalg::GenericOp::create(
                    rewriter, l, TypeRange{vectorType}, ValueRange{cmp, first, first},
                    ValueRange{zeros(rewriter, l, {extent}, i64)}, ArrayRef<AffineMap>{kj, jOnly, kOnly, kOnly},
                    parRed,
                    [&](OpBuilder &b, Location nl, ValueRange args) {
                      Value j = toI64(b, nl, linalg::IndexOp::create(b, nl, 1));
                      Value jIsFirst = cmpI(b, nl, arith::CmpIPredicate::eq, args[1], j);
                      Value before = sorted ? cmpI(b, nl, arith::CmpIPredicate::eq, args[0],
                                                   arith::ConstantIntOp::create(b, nl, 1, 8))
                                            : cmpI(b, nl, arith::CmpIPredicate::slt, j, args[2]);
                      Value one = arith::ExtUIOp::create(b, nl, i64, andI(b, nl, jIsFirst, before));
                      linalg::YieldOp::create(b, nl, Value(arith::AddIOp::create(b, nl, args[3], one)));
                    })
                    .getResult(0);
    // The number of distinct items: those that are their own first.
    Value distinct;
    {
      auto generic = linalg::GenericOp::create(
          rewriter, l, TypeRange{RankedTensorType::get({}, i64)}, ValueRange{first},
          ValueRange{zeros(rewriter, l, {}, i64)},
          ArrayRef<AffineMap>{identityMap(ctx, 1), AffineMap::get(1, 0, {}, ctx)}, {IteratorType::reduction},
          [&](OpBuilder &b, Location nl, ValueRange args) {
            Value k = toI64(b, nl, linalg::IndexOp::create(b, nl, 0));
            Value one = arith::ExtUIOp::create(b, nl, i64, cmpI(b, nl, arith::CmpIPredicate::eq, args[0], k));
            linalg::YieldOp::create(b, nl, Value(arith::AddIOp::create(b, nl, args[1], one)));
          });
      distinct = generic.getResult(0);
    }
    // indices[u] (the first item of output position u) and counts[u]: loops (u, k).
    Value indices, counts;
    {
      auto generic = linalg::GenericOp::create(
          rewriter, l, TypeRange{vectorType, vectorType}, ValueRange{first, pos},
          ValueRange{zeros(rewriter, l, {extent}, i64), zeros(rewriter, l, {extent}, i64)},
          ArrayRef<AffineMap>{jOnly, jOnly, kOnly, kOnly}, parRed,
          [&](OpBuilder &b, Location nl, ValueRange args) {
            Value u = toI64(b, nl, linalg::IndexOp::create(b, nl, 0));
            Value k = toI64(b, nl, linalg::IndexOp::create(b, nl, 1));
            Value atU = cmpI(b, nl, arith::CmpIPredicate::eq, args[1], u);
            Value isFirst = cmpI(b, nl, arith::CmpIPredicate::eq, args[0], k);
            Value index = select(b, nl, andI(b, nl, atU, isFirst), k, args[2]);
            Value count = arith::AddIOp::create(b, nl, args[3], arith::ExtUIOp::create(b, nl, i64, atU));
            linalg::YieldOp::create(b, nl, ValueRange{index, count});
          });
      indices = generic.getResult(0);
      counts = generic.getResult(1);
    }
    // Y: [outer][distinct][inner], each slice copied from its first item.
    Value y = generate(rewriter, l, n, element, ValueRange{distinct},
                       [&](OpBuilder &b, Location nl, Value p, ValueRange args) {
                         CompactCoords at = compactCoords(b, nl, p, toIdx(b, nl, args[0]), inner);
                         Value o = arith::MinUIOp::create(b, nl, at.o, idx(b, nl, outer - 1));
                         Value u = arith::MinUIOp::create(b, nl, at.j, idx(b, nl, extent - 1));
                         Value k = toIdx(b, nl, tensor::ExtractOp::create(b, nl, indices, ValueRange{u}));
                         return itemElement(b, nl, o, k, at.i);
                       });

    SmallVector<Value> results;
    auto bounded = [&](Value result, Value data, SmallVector<int64_t> dynamicShape, SmallVector<int64_t> bound) {
      if (isa<NoneType>(result.getType()))
        return Value(graph::NoneOp::create(rewriter, l, rewriter.getNoneType()));
      Value dims = dimsTensor(rewriter, l, dynamicShape, distinct);
      return joinBounded(rewriter, l, getTypeConverter()->convertType(result.getType()), data, dims, dynamicShape,
                         bound);
    };
    SmallVector<int64_t> yShape = axis ? SmallVector<int64_t>(shape) : SmallVector<int64_t>{n};
    SmallVector<int64_t> yDynamic = yShape;
    yDynamic[axis ? *axis : 0] = -1;
    results.push_back(bounded(op.getY(), y, yDynamic, yShape));
    results.push_back(bounded(op.getIndices(), indices, {-1}, {extent}));
    if (isa<NoneType>(op.getInverseIndices().getType()))
      results.push_back(graph::NoneOp::create(rewriter, l, rewriter.getNoneType()));
    else
      results.push_back(pos);
    results.push_back(bounded(op.getCounts(), counts, {-1}, {extent}));
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------------------------------------===//
// NonMaxSuppression
//===----------------------------------------------------------------------------------------------------===//

/// The scalar of a 0-d or one-element tensor operand, read inside a body; null for an absent operand.
Value readScalar(OpBuilder &b, Location l, Value operand) {
  if (!operand || isa<NoneType>(operand.getType()))
    return Value();
  auto type = cast<RankedTensorType>(operand.getType());
  SmallVector<Value> zerosIdx(type.getRank(), idx(b, l, 0));
  return tensor::ExtractOp::create(b, l, operand, zerosIdx);
}

/// Whether box u suppresses box t (ONNX Runtime's SuppressByIOU): IoU > threshold, with empty boxes and
/// empty intersections never suppressing. center: [x_center, y_center, width, height]; otherwise two
/// corners [y1, x1, y2, x2] in either order.
Value suppresses(OpBuilder &b, Location l, Value boxes, Value batch, Value t, Value u, bool center,
                 Value threshold) {
  auto read = [&](Value box, int64_t c) -> Value {
    return tensor::ExtractOp::create(b, l, boxes, ValueRange{batch, box, idx(b, l, c)});
  };
  Type f32 = b.getF32Type();
  Value half = arith::ConstantOp::create(b, l, b.getFloatAttr(f32, 0.5));
  Value zero = arith::ConstantOp::create(b, l, b.getFloatAttr(f32, 0.0));
  auto corners = [&](Value box, Value &xmin, Value &ymin, Value &xmax, Value &ymax) {
    Value a0 = read(box, 0), a1 = read(box, 1), a2 = read(box, 2), a3 = read(box, 3);
    if (center) {
      Value hw = arith::MulFOp::create(b, l, a2, half), hh = arith::MulFOp::create(b, l, a3, half);
      xmin = arith::SubFOp::create(b, l, a0, hw);
      xmax = arith::AddFOp::create(b, l, a0, hw);
      ymin = arith::SubFOp::create(b, l, a1, hh);
      ymax = arith::AddFOp::create(b, l, a1, hh);
    } else {
      ymin = arith::MinimumFOp::create(b, l, a0, a2);
      ymax = arith::MaximumFOp::create(b, l, a0, a2);
      xmin = arith::MinimumFOp::create(b, l, a1, a3);
      xmax = arith::MaximumFOp::create(b, l, a1, a3);
    }
  };
  Value x1min, y1min, x1max, y1max, x2min, y2min, x2max, y2max;
  corners(t, x1min, y1min, x1max, y1max);
  corners(u, x2min, y2min, x2max, y2max);
  Value ixmin = arith::MaximumFOp::create(b, l, x1min, x2min), iymin = arith::MaximumFOp::create(b, l, y1min, y2min);
  Value ixmax = arith::MinimumFOp::create(b, l, x1max, x2max), iymax = arith::MinimumFOp::create(b, l, y1max, y2max);
  Value iw = arith::MaximumFOp::create(b, l, arith::SubFOp::create(b, l, ixmax, ixmin), zero);
  Value ih = arith::MaximumFOp::create(b, l, arith::SubFOp::create(b, l, iymax, iymin), zero);
  Value inter = arith::MulFOp::create(b, l, iw, ih);
  Value area1 = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, x1max, x1min),
                                      arith::SubFOp::create(b, l, y1max, y1min));
  Value area2 = arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, x2max, x2min),
                                      arith::SubFOp::create(b, l, y2max, y2min));
  Value unionArea = arith::SubFOp::create(b, l, arith::AddFOp::create(b, l, area1, area2), inter);
  auto positive = [&](Value v) { return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, zero); };
  Value valid = andI(b, l, andI(b, l, positive(inter), positive(area1)), andI(b, l, positive(area2), positive(unionArea)));
  Value iou = arith::DivFOp::create(b, l, inter, unionArea);
  return andI(b, l, valid, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, iou, threshold));
}

/// NonMaxSuppression: per (batch, class), greedy selection in score order (ties: lower box index first) of
/// boxes scoring above score_threshold that no kept box overlaps by IoU > iou_threshold, at most
/// max_output_boxes_per_class (absent: 0) of them; rows [batch, class, box] in (batch, class, selection)
/// order. Bound: [batch * classes * K, 3], K = min(max_output_boxes_per_class, boxes) when that is a
/// constant, else the box count.
struct NonMaxSuppressionLowering : OpConversionPattern<graph::NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::NonMaxSuppressionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType boxesType = staticType(adaptor.getBoxes());
    RankedTensorType scoresType = staticType(adaptor.getScores());
    if (!boxesType || !scoresType || boxesType.getRank() != 3 || scoresType.getRank() != 3 ||
        boxesType.getDimSize(2) != 4 || boxesType.getDimSize(0) != scoresType.getDimSize(0) ||
        boxesType.getDimSize(1) != scoresType.getDimSize(2))
      return rewriter.notifyMatchFailure(op, "needs static boxes [B, N, 4] and scores [B, C, N]");
    for (Value scalar : {adaptor.getMaxOutputBoxesPerClass(), adaptor.getIouThreshold(), adaptor.getScoreThreshold()})
      if (!isa<NoneType>(scalar.getType()) && (!staticType(scalar) || staticType(scalar).getNumElements() != 1))
        return rewriter.notifyMatchFailure(op, "the scalar inputs must have one element");
    MLIRContext *ctx = getContext();
    Location l = op.getLoc();
    int64_t batches = boxesType.getDimSize(0), classes = scoresType.getDimSize(1), n = boxesType.getDimSize(1);
    bool center = op.getCenterPointBox() != 0;
    Value maxOut = adaptor.getMaxOutputBoxesPerClass();
    bool hasMaxOut = !isa<NoneType>(maxOut.getType());
    int64_t k = hasMaxOut ? n : 0;
    bool constantMaxOut = !hasMaxOut;
    if (hasMaxOut)
      if (std::optional<SmallVector<int64_t>> v = constantIntValues(maxOut)) {
        k = std::clamp<int64_t>((*v)[0], 0, n);
        constantMaxOut = true;
      }
    Type i64 = rewriter.getI64Type();
    Value boxes = adaptor.getBoxes(), scores = adaptor.getScores();
    Value iouOperand = adaptor.getIouThreshold(), scoreOperand = adaptor.getScoreThreshold();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };

    // rank[b][c][t]: t's place in score order; order[b][c][r]: the box in place r.
    auto bcnType = RankedTensorType::get({batches, classes, n}, i64);
    Value rank = linalg::GenericOp::create(
                     rewriter, l, TypeRange{bcnType}, ValueRange{scores, scores}, ValueRange{zeros(rewriter, l, {batches, classes, n}, i64)},
                     ArrayRef<AffineMap>{AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx),
                                         AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx),
                                         AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)},
                     {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel, IteratorType::reduction},
                     [&](OpBuilder &b, Location nl, ValueRange args) {
                       Value t = linalg::IndexOp::create(b, nl, 2), s = linalg::IndexOp::create(b, nl, 3);
                       Value higher = arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OGT, args[1], args[0]);
                       Value tie = andI(b, nl, arith::CmpFOp::create(b, nl, arith::CmpFPredicate::OEQ, args[1], args[0]),
                                        cmpI(b, nl, arith::CmpIPredicate::ult, s, t));
                       Value before = arith::OrIOp::create(b, nl, higher, tie);
                       linalg::YieldOp::create(b, nl, Value(arith::AddIOp::create(b, nl, args[2], arith::ExtUIOp::create(b, nl, i64, before))));
                     })
                     .getResult(0);
    Value order = linalg::GenericOp::create(
                      rewriter, l, TypeRange{bcnType}, ValueRange{rank}, ValueRange{zeros(rewriter, l, {batches, classes, n}, i64)},
                      ArrayRef<AffineMap>{AffineMap::get(4, 0, {d(0), d(1), d(3)}, ctx),
                                          AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)},
                      {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel, IteratorType::reduction},
                      [&](OpBuilder &b, Location nl, ValueRange args) {
                        Value r = toI64(b, nl, linalg::IndexOp::create(b, nl, 2));
                        Value t = toI64(b, nl, linalg::IndexOp::create(b, nl, 3));
                        linalg::YieldOp::create(b, nl, select(b, nl, cmpI(b, nl, arith::CmpIPredicate::eq, args[0], r), t, args[1]));
                      })
                      .getResult(0);

    // selected[b][c][q]: the q-th kept box, or -1. Each element reruns the greedy pass up to its q-th pick,
    // keeping the picks so far in a stack buffer of K entries.
    auto bckType = RankedTensorType::get({batches, classes, k}, i64);
    Value selected = linalg::GenericOp::create(
        rewriter, l, TypeRange{bckType}, ValueRange{}, ValueRange{emptyTensor(rewriter, l, bckType)},
        ArrayRef<AffineMap>{identityMap(ctx, 3)}, parallelIterators(3),
        [&](OpBuilder &b, Location nl, ValueRange) {
          Value batch = linalg::IndexOp::create(b, nl, 0), cls = linalg::IndexOp::create(b, nl, 1);
          Value q = linalg::IndexOp::create(b, nl, 2);
          Value iouThreshold = readScalar(b, nl, iouOperand);
          if (!iouThreshold)
            iouThreshold = arith::ConstantOp::create(b, nl, b.getF32FloatAttr(0.0f));
          Value scoreThreshold = readScalar(b, nl, scoreOperand);
          // The picks so far. The CPU target hoists a loop body's static alloca to its dispatch's entry
          // block (one buffer per workgroup, reused by the elements it runs one after another).
          OpBuilder &sb = b;
          Value kept = memref::AllocaOp::create(sb, nl, MemRefType::get({std::max<int64_t>(k, 1)}, sb.getIndexType()));
          Value none = i64c(sb, nl, -1);
          auto loop = scf::ForOp::create(
              sb, nl, idx(sb, nl, 0), idx(sb, nl, n), idx(sb, nl, 1), ValueRange{idx(sb, nl, 0), none},
              [&](OpBuilder &lb, Location ll, Value r, ValueRange iter) {
                Value count = iter[0], found = iter[1];
                Value t = toIdx(lb, ll, tensor::ExtractOp::create(lb, ll, order, ValueRange{batch, cls, r}));
                Value searching = cmpI(lb, ll, arith::CmpIPredicate::slt, found, i64c(lb, ll, 0));
                Value candidate = searching;
                if (scoreThreshold) {
                  Value score = tensor::ExtractOp::create(lb, ll, scores, ValueRange{batch, cls, t});
                  candidate = andI(lb, ll, candidate,
                                   arith::CmpFOp::create(lb, ll, arith::CmpFPredicate::OGT, score, scoreThreshold));
                }
                auto ifCandidate = scf::IfOp::create(
                    lb, ll, candidate,
                    [&](OpBuilder &tb, Location tl) {
                      auto scan = scf::ForOp::create(
                          tb, tl, idx(tb, tl, 0), count, idx(tb, tl, 1),
                          ValueRange{arith::ConstantIntOp::create(tb, tl, 0, 1)},
                          [&](OpBuilder &sb2, Location sl, Value i, ValueRange acc) {
                            Value u = memref::LoadOp::create(sb2, sl, kept, ValueRange{i});
                            Value hit = suppresses(sb2, sl, boxes, batch, t, u, center, iouThreshold);
                            scf::YieldOp::create(sb2, sl, Value(arith::OrIOp::create(sb2, sl, acc[0], hit)));
                          });
                      Value suppressed = scan.getResult(0);
                      auto ifKept = scf::IfOp::create(
                          tb, tl, suppressed,
                          [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, ValueRange{count, found}); },
                          [&](OpBuilder &eb, Location el) {
                            memref::StoreOp::create(eb, el, t, kept, ValueRange{count});
                            Value isQth = cmpI(eb, el, arith::CmpIPredicate::eq, count, q);
                            Value next = arith::AddIOp::create(eb, el, count, idx(eb, el, 1));
                            scf::YieldOp::create(eb, el, ValueRange{next, select(eb, el, isQth, toI64(eb, el, t), found)});
                          });
                      scf::YieldOp::create(tb, tl, ifKept.getResults());
                    },
                    [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, ValueRange{count, found}); });
                scf::YieldOp::create(lb, ll, ifCandidate.getResults());
              });
          Value found = loop.getResult(1);
          if (!constantMaxOut) {
            // A run-time max_output_boxes_per_class: picks at or past it are not output.
            Value limit = readScalar(sb, nl, maxOut);
            found = select(sb, nl, cmpI(sb, nl, arith::CmpIPredicate::slt, toI64(sb, nl, q), limit), found, none);
          }
          linalg::YieldOp::create(b, nl, found);
        })
        .getResult(0);

    // Rows in (batch, class, pick) order: the row-th valid pick.
    int64_t picks = batches * classes * k;
    Value flat = flatten(rewriter, l, selected);
    auto valid = [&](OpBuilder &b, Location nl, Value v) {
      return cmpI(b, nl, arith::CmpIPredicate::sge, v, i64c(b, nl, 0));
    };
    Value total = countWhere(rewriter, l, flat, valid);
    Value source = positionsWhere(rewriter, l, flat, std::max<int64_t>(picks, 1), valid);
    Value data = generate(rewriter, l, picks * 3, i64, ValueRange{total},
                          [&](OpBuilder &b, Location nl, Value p, ValueRange) {
                            Value row = arith::DivUIOp::create(b, nl, p, idx(b, nl, 3));
                            Value col = arith::RemUIOp::create(b, nl, p, idx(b, nl, 3));
                            Value at = toIdx(b, nl, tensor::ExtractOp::create(b, nl, source, ValueRange{row}));
                            Value box = tensor::ExtractOp::create(b, nl, flat, ValueRange{at});
                            Value batch = toI64(b, nl, arith::DivUIOp::create(b, nl, at, idx(b, nl, classes * k)));
                            Value cls = toI64(b, nl, arith::RemUIOp::create(b, nl, arith::DivUIOp::create(b, nl, at, idx(b, nl, k)),
                                                                           idx(b, nl, classes)));
                            Value v = select(b, nl, cmpI(b, nl, arith::CmpIPredicate::eq, col, idx(b, nl, 0)), batch,
                                             select(b, nl, cmpI(b, nl, arith::CmpIPredicate::eq, col, idx(b, nl, 1)), cls, box));
                            return v;
                          });
    Value dims = dimsTensor(rewriter, l, {-1, 3}, total);
    Type resultType = getTypeConverter()->convertType(op.getSelectedIndices().getType());
    rewriter.replaceOp(op, joinBounded(rewriter, l, resultType, data, dims, {-1, 3}, {picks, 3}));
    return success();
  }
};

} // namespace

LogicalResult checkBoundedResultsAreOutputs(func::FuncOp func) {
  bool ok = true;
  func.walk([&](Operation *op) {
    if (!isa<graph::NonZeroOp, graph::CompressOp, graph::UniqueOp, graph::NonMaxSuppressionOp>(op))
      return;
    StringRef name = op->getName().getStringRef().drop_front(strlen("graph."));
    for (OpResult result : op->getResults()) {
      // Unique's inverse_indices has a static shape ([numel] or the axis extent): any use is fine.
      if (isa<graph::UniqueOp>(op) && result.getResultNumber() == 2)
        continue;
      for (Operation *user : result.getUsers()) {
        if (isa<func::ReturnOp>(user))
          continue;
        InFlightDiagnostic diag = op->emitError() << "(" << name << "): result " << result.getResultNumber()
                                                  << "'s shape depends on input values; it is only supported as "
                                                     "a graph output, but it feeds ";
        if (auto loc = dyn_cast<NameLoc>(user->getLoc()))
          diag << "node '" << loc.getName().getValue() << "' ";
        diag << "(" << user->getName().getStringRef() << ")";
        ok = false;
        return;
      }
    }
  });
  return success(ok);
}

void populateGraphBoundedResultsToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<NonZeroLowering, CompressLowering, UniqueLowering, NonMaxSuppressionLowering>(converter,
                                                                                               patterns.getContext());
}

} // namespace sinter

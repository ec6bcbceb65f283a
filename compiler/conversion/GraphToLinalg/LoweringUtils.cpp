//===- LoweringUtils.cpp - helpers shared by the graph -> linalg patterns ------------------------------===//
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

RankedTensorType sinter::staticResultType(Operation *op, unsigned index) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(index).getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

AffineMap sinter::broadcastIndexingMap(MLIRContext *ctx, ShapedType operand, ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size(), operandRank = operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operandRank; ++i) {
    int64_t resultDim = rank - operandRank + i;
    if (operand.getDimSize(i) == 1 && resultShape[resultDim] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(resultDim, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

std::optional<SmallVector<int64_t>> sinter::constantIntValues(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

std::optional<double> sinter::constantFloatValue(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || attr.getNumElements() != 1)
    return std::nullopt;
  return (*attr.getValues<APFloat>().begin()).convertToDouble();
}

Value sinter::scalarOf(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return tensor::ExtractOp::create(b, loc, tensor,
                                   SmallVector<Value>(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0)));
}

Value sinter::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value sinter::filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, type)).getResult(0);
}

Value sinter::scalarConstant(OpBuilder &b, Location loc, Type elementType, double value) {
  if (auto ft = dyn_cast<FloatType>(elementType))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(elementType, static_cast<int64_t>(value)));
}

RankedTensorType sinter::staticType(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

SmallVector<OpFoldResult> sinter::indexAttrs(MLIRContext *ctx, ArrayRef<int64_t> values) {
  return getAsIndexOpFoldResult(ctx, values);
}

AffineMap sinter::identityMap(MLIRContext *ctx, int64_t rank) { return AffineMap::getMultiDimIdentityMap(rank, ctx); }

AffineMap sinter::reducedMap(MLIRContext *ctx, ArrayRef<bool> reduced) {
  SmallVector<AffineExpr> exprs;
  for (auto [d, r] : llvm::enumerate(reduced))
    if (!r)
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(reduced.size(), 0, exprs, ctx);
}

RankedTensorType sinter::reducedType(RankedTensorType input, ArrayRef<bool> reduced, Type element) {
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::enumerate(reduced))
    if (!r)
      shape.push_back(input.getDimSize(d));
  return RankedTensorType::get(shape, element);
}

Value sinter::buildReduction(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, Value init,
                             ValueRange extras, ReductionBodyFn body) {
  auto inputType = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  RankedTensorType outType = reducedType(inputType, reduced, init.getType());
  AffineMap outMap = reducedMap(ctx, reduced);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {identityMap(ctx, inputType.getRank())};
  for (Value e : extras) {
    inputs.push_back(e);
    maps.push_back(outMap);
  }
  maps.push_back(outMap);
  SmallVector<utils::IteratorType> iterators;
  for (bool r : reduced)
    iterators.push_back(r ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, inputs, ValueRange{filledTensor(b, loc, outType, init)},
                                   maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(
                                         nb, l, body(nb, l, args[0], args.slice(1, extras.size()), args.back()));
                                   })
      .getResult(0);
}

Value sinter::mapElements(OpBuilder &b, Location loc, Value value, Type element,
                          function_ref<Value(OpBuilder &, Location, Value)> fn) {
  auto type = cast<RankedTensorType>(value.getType());
  auto outType = type.clone(element);
  AffineMap id = identityMap(b.getContext(), type.getRank());
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{value},
                                   ValueRange{emptyTensor(b, loc, outType)}, ArrayRef<AffineMap>{id, id},
                                   parallelIterators(type.getRank()),
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, fn(nb, l, args[0]));
                                   })
      .getResult(0);
}

Value sinter::expandReduced(OpBuilder &b, Location loc, Value value, ArrayRef<bool> reduced,
                            RankedTensorType keptType) {
  if (value.getType() == keptType)
    return value;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (auto [d, r] : llvm::enumerate(reduced)) {
    pending.push_back(d);
    if (!r) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return tensor::ExpandShapeOp::create(b, loc, keptType, value, groups);
}

SmallVector<utils::IteratorType> sinter::parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

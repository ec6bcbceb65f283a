//===- LoweringUtils.cpp - helpers shared by the graph -> linalg patterns ------------------------------===//
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

SmallVector<utils::IteratorType> sinter::parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

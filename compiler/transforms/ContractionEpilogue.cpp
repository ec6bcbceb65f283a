//===- ContractionEpilogue.cpp - matchers shared by sinter-fuse-epilogues and the CPU target -------------===//
#include "compiler/transforms/ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;

namespace sinter {

bool isMulAddContraction(linalg::LinalgOp op) {
  if (!op || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 ||
      op->getNumRegions() != 1 || op->getRegion(0).empty())
    return false;
  for (Value operand : op->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.getElementType().isF32() || !shaped.hasStaticShape())
      return false;
  }
  Block &body = op->getRegion(0).front();
  if (body.getOperations().size() != 3)
    return false;
  auto add = cast<linalg::YieldOp>(body.getTerminator()).getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  auto mul = add.getLhs().getDefiningOp<arith::MulFOp>();
  Value accumulator = add.getRhs();
  if (!mul) {
    mul = add.getRhs().getDefiningOp<arith::MulFOp>();
    accumulator = add.getLhs();
  }
  Value in0 = body.getArgument(0), in1 = body.getArgument(1);
  return mul && accumulator == body.getArgument(2) &&
         ((mul.getLhs() == in0 && mul.getRhs() == in1) || (mul.getLhs() == in1 && mul.getRhs() == in0));
}

std::optional<EpilogueBody> matchEpilogueBody(linalg::GenericOp op, BlockArgument value) {
  if (op.getNumLoops() != op.getNumParallelLoops() || op.getNumDpsInits() != 1) // one result on tensors, none on buffers
    return std::nullopt;
  for (Value operand : op->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.getElementType().isF32() || !shaped.hasStaticShape())
      return std::nullopt;
  }
  Block &body = op.getRegion().front();
  if (value.getOwner() != &body)
    return std::nullopt;
  EpilogueBody result;
  llvm::SmallDenseSet<unsigned> used = {value.getArgNumber()};
  bool clamping = false;
  Value current = value;
  unsigned chain = 0;
  while (true) {
    if (!current.hasOneUse())
      return std::nullopt;
    Operation *user = *current.getUsers().begin();
    if (isa<linalg::YieldOp>(user))
      break;
    ++chain;
    Value other = user->getNumOperands() == 2 ? user->getOperand(user->getOperand(0) == current ? 1 : 0) : Value();
    if (!other || user->getNumResults() != 1)
      return std::nullopt;
    if (isa<arith::AddFOp>(user)) {
      // Adds before the clamp only (the ukernel adds, then clamps); each other input once.
      auto arg = dyn_cast<BlockArgument>(other);
      if (clamping || !arg || arg.getOwner() != &body || arg.getArgNumber() >= op.getNumDpsInputs() ||
          !used.insert(arg.getArgNumber()).second)
        return std::nullopt;
      result.addends.push_back(arg.getArgNumber());
    } else if (isa<arith::MaximumFOp, arith::MinimumFOp>(user)) {
      FloatAttr bound;
      if (!matchPattern(other, m_Constant(&bound)) || std::isnan(bound.getValueAsDouble()))
        return std::nullopt;
      float b = static_cast<float>(bound.getValueAsDouble());
      if (isa<arith::MaximumFOp>(user))
        result.lo = std::max(result.lo, b);
      else
        result.hi = std::min(result.hi, b);
      clamping = true;
    } else {
      return std::nullopt;
    }
    current = user->getResult(0);
  }
  // Everything in the body is on the chain (constants come from outside), and lo <= hi (then any order of
  // maximum and minimum is the clamp).
  if (body.getOperations().size() != chain + 1 || result.lo > result.hi)
    return std::nullopt;
  return result;
}

bool isBroadcastCopy(linalg::LinalgOp op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInputOperand(0)).isProjectedPermutation() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)).isIdentity())
    return false;
  for (Value operand : generic->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.getElementType().isF32() || !shaped.hasStaticShape())
      return false;
  }
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return &body.front() == yield.getOperation() && yield.getOperand(0) == body.getArgument(0);
}

std::optional<float> filledConstant(linalg::LinalgOp op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op.getOperation());
  FloatAttr value;
  if (!fill || !matchPattern(fill.value(), m_Constant(&value)))
    return std::nullopt;
  auto shaped = dyn_cast<ShapedType>(fill.output().getType());
  if (!shaped || !shaped.getElementType().isF32())
    return std::nullopt;
  return static_cast<float>(value.getValueAsDouble());
}

bool isChannelBroadcast(linalg::LinalgOp op) {
  return isBroadcastCopy(op) && op.getNumLoops() == 4 &&
         op.getMatchingIndexingMap(op.getDpsInputOperand(0)) == AffineMap::get(4, 0, getAffineDimExpr(1, op.getContext()));
}

bool isPositiveZeroFill(linalg::LinalgOp op) {
  std::optional<float> value = filledConstant(op);
  return value && *value == 0.0f && !std::signbit(*value);
}

bool hasStaticF32Operands(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
  });
}

} // namespace sinter

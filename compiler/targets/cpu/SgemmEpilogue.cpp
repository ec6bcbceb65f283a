//===- SgemmEpilogue.cpp - a dispatch's contraction group -> the sgemm ukernel's epilogue arguments ------===//
#include "compiler/targets/cpu/SgemmEpilogue.h"

#include "compiler/targets/cpu/Ukernels.h"
#include "compiler/targets/cpu/ukernels/sgemm_epilogue.h"
#include "compiler/transforms/ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"


using namespace mlir;

namespace sinter {
namespace {

/// The element strides along M and N of `operand`, read through `map` in C's index space (a projected
/// permutation of C's dimensions); false when its strides are not static or it is not f32.
bool stridesAlongRoles(Value operand, AffineMap map, ArrayRef<OutputRole> roles, int64_t &ms, int64_t &ns) {
  auto type = dyn_cast<MemRefType>(operand.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape() || !map.isProjectedPermutation() ||
      map.getNumDims() != roles.size() || failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return false;
  ms = ns = 0;
  for (unsigned r = 0; r < map.getNumResults(); ++r) {
    OutputRole role = roles[map.getDimPosition(r)];
    if (role == OutputRole::M)
      ms += strides[r];
    else if (role == OutputRole::N)
      ns += strides[r];
    // Unit dimensions are at index 0.
  }
  return true;
}

} // namespace

std::optional<ContractionGroup> contractionGroup(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> ops = dispatchLinalgOps(func);
  if (ops.size() == 1)
    return ContractionGroup{{}, ops[0], {}};
  if (ops.empty() || ops.size() > 5)
    return std::nullopt;
  ContractionGroup group;
  auto contraction = llvm::find_if(ops, [](linalg::LinalgOp op) { return op.getNumReductionLoops() > 0; });
  if (contraction == ops.end() || contraction->getNumDpsInits() != 1 || contraction->getNumDpsInputs() != 2)
    return std::nullopt;
  group.contraction = *contraction;
  Value c = group.contraction.getDpsInitOperand(0)->get();
  // The padding of B: a zero fill of B, then a copy into a view of B, both first.
  Value b = group.contraction.getDpsInputOperand(1)->get();
  if (ops.size() >= 3 && isa<linalg::FillOp>(ops[0]) && isa<linalg::CopyOp>(ops[1]) &&
      ops[0].getDpsInitOperand(0)->get() == b) {
    auto view = ops[1].getDpsInitOperand(0)->get().getDefiningOp<memref::SubViewOp>();
    if (!isPositiveZeroFill(ops[0]) || !view || view.getSource() != b ||
        !ops[0].hasPureBufferSemantics() || !ops[1].hasPureBufferSemantics())
      return std::nullopt;
    group.padFill = ops[0];
    group.padCopy = ops[1];
  }
  for (linalg::LinalgOp op : ops) {
    if (op == group.contraction || op == group.padFill || op == group.padCopy)
      continue;
    if (op.getNumDpsInits() != 1 || op.getDpsInitOperand(0)->get() != c || !op.hasPureBufferSemantics())
      return std::nullopt;
    if (op->isBeforeInBlock(group.contraction)) {
      if (group.prologue || !(isPositiveZeroFill(op) || isBroadcastCopy(op)))
        return std::nullopt;
      group.prologue = op;
    } else {
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (group.epilogue || !generic || !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)).isIdentity() ||
          !matchEpilogueBody(generic, generic.getMatchingBlockArgument(generic.getDpsInitOperand(0))))
        return std::nullopt;
      group.epilogue = generic;
    }
  }
  return group;
}

std::optional<SgemmEpilogue> analyzeSgemmEpilogue(ContractionGroup group, ArrayRef<OutputRole> roles) {
  SgemmEpilogue result;
  EpilogueBody body;
  result.lo = body.lo;
  result.hi = body.hi;
  result.init = SINTER_UK_INIT_ACCUMULATE;
  if (group.prologue) {
    if (filledConstant(group.prologue)) {
      result.init = SINTER_UK_INIT_ZERO;
    } else {
      OpOperand *bias = group.prologue.getDpsInputOperand(0);
      result.init = SINTER_UK_INIT_BIAS;
      result.bias = bias->get();
      if (!stridesAlongRoles(result.bias, group.prologue.getMatchingIndexingMap(bias), roles, result.biasMs,
                             result.biasNs))
        return std::nullopt;
    }
  }
  if (!group.epilogue)
    return result;
  std::optional<EpilogueBody> matched =
      matchEpilogueBody(group.epilogue, group.epilogue.getMatchingBlockArgument(group.epilogue.getDpsInitOperand(0)));
  if (!matched)
    return std::nullopt;
  result.lo = matched->lo;
  result.hi = matched->hi;
  ArrayRef<unsigned> addends = matched->addends;
  // With C starting at zero, the first addend can be its base instead (0 + acc + x = x + acc).
  if (!addends.empty() && addends.size() == 2 && result.init == SINTER_UK_INIT_ZERO) {
    OpOperand *bias = group.epilogue.getDpsInputOperand(addends[0]);
    result.init = SINTER_UK_INIT_BIAS;
    result.bias = bias->get();
    if (!stridesAlongRoles(result.bias, group.epilogue.getMatchingIndexingMap(bias), roles, result.biasMs,
                           result.biasNs))
      return std::nullopt;
    addends = addends.drop_front();
  }
  if (addends.size() > 1)
    return std::nullopt;
  if (addends.size() == 1) {
    OpOperand *addend = group.epilogue.getDpsInputOperand(addends[0]);
    result.addend = addend->get();
    if (!stridesAlongRoles(result.addend, group.epilogue.getMatchingIndexingMap(addend), roles, result.addMs,
                           result.addNs))
      return std::nullopt;
  }
  return result;
}

SmallVector<Value> sgemmEpilogueArgs(OpBuilder &b, Location loc, const SgemmEpilogue &epilogue) {
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  auto f32 = [&](float value) -> Value {
    return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(value));
  };
  return {i64(epilogue.init),
          epilogue.bias ? ukernelByteAddress(b, loc, epilogue.bias) : i64(0),
          i64(epilogue.biasMs),
          i64(epilogue.biasNs),
          epilogue.addend ? ukernelByteAddress(b, loc, epilogue.addend) : i64(0),
          i64(epilogue.addMs),
          i64(epilogue.addNs),
          f32(epilogue.lo),
          f32(epilogue.hi)};
}

SmallVector<Type> sgemmEpilogueTypes(MLIRContext *context) {
  Type i64 = IntegerType::get(context, 64), f32 = Float32Type::get(context);
  return {i64, i64, i64, i64, i64, i64, i64, f32, f32};
}

void eraseGroup(ContractionGroup group) {
  for (Operation *op : {group.epilogue.getOperation(), group.contraction.getOperation(), group.prologue.getOperation(),
                        group.padCopy.getOperation(), group.padFill.getOperation()})
    if (op)
      op->erase();
}

} // namespace sinter

//===- PoolUkernel.cpp - 2-D NCHW pooling dispatches -> sinter_uk_pool2d calls ---------------------------===//
//
// Lowered as loops, a pooling window keeps its accumulator in memory and reads the input one scalar at a
// time (strided when the window strides), and its NaN-propagating maximum becomes a compare-and-branch per
// element: ResNet's 3x3 stride-2 max pool took longer than most of its convolutions. The ukernel computes
// each output row a vector at a time with the accumulator in registers. A padded input whose padding is
// the op's identity (-inf for max, +0 for sum) comes as the group sinter-fuse-epilogues forms: a fill of
// the padded buffer, a copy into its interior, the pool. Both are dropped and the ukernel reads the
// unpadded input, skipping the window elements outside it. The output's own fill with the identity joins the
// group too and is dropped: the ukernel starts from the identity.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/targets/cpu/Ukernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>

using namespace mlir;

namespace sinter {
namespace {

/// The padding of a pool's input P read in place: the fill of P with the op's identity and the copy of the
/// unpadded input into P's interior, which must be the dispatch's other two linalg ops, in that order.
struct PoolPadding {
  linalg::LinalgOp fill, copy;
  int64_t ph = 0, pw = 0;
};

/// Whether `op` fills `buffer` with the pool's identity (+0 for a sum, -inf for a max).
bool isIdentityFill(linalg::LinalgOp op, Value buffer, bool sum) {
  FloatAttr value;
  if (!isa<linalg::FillOp>(op) || op.getDpsInitOperand(0)->get() != buffer || !op.hasPureBufferSemantics() ||
      !matchPattern(op.getDpsInputOperand(0)->get(), m_Constant(&value)))
    return false;
  const APFloat &v = value.getValue();
  return sum ? v.isPosZero() : v.isInfinity() && v.isNegative();
}

std::optional<PoolPadding> matchPoolPadding(ArrayRef<linalg::LinalgOp> ops, Value input, bool sum) {
  if (ops.size() != 3)
    return std::nullopt;
  linalg::LinalgOp fill = ops[0], copy = ops[1];
  if (!isIdentityFill(fill, input, sum) || !isa<linalg::CopyOp>(copy) || !copy.hasPureBufferSemantics())
    return std::nullopt;
  auto view = copy.getDpsInitOperand(0)->get().getDefiningOp<memref::SubViewOp>();
  Value source = copy.getDpsInputOperand(0)->get();
  auto sourceType = dyn_cast<MemRefType>(source.getType());
  if (!view || view.getSource() != input || !sourceType || view.getType().getShape() != sourceType.getShape() ||
      llvm::any_of(view.getStaticStrides(), [](int64_t s) { return s != 1; }))
    return std::nullopt;
  ArrayRef<int64_t> offsets = view.getStaticOffsets();
  if (offsets.size() != 4 || offsets[0] != 0 || offsets[1] != 0 || llvm::any_of(offsets, ShapedType::isDynamic))
    return std::nullopt;
  auto inputType = cast<MemRefType>(input.getType());
  if (sourceType.getDimSize(0) != inputType.getDimSize(0) || sourceType.getDimSize(1) != inputType.getDimSize(1))
    return std::nullopt;
  return PoolPadding{fill, copy, offsets[2], offsets[3]};
}

} // namespace

std::optional<uint32_t> lowerPoolingToUkernel(func::FuncOp func, unsigned lanes, unsigned maxWorkgroups) {
  if (lanes == 0)
    return std::nullopt;
  SmallVector<linalg::LinalgOp> ops = dispatchLinalgOps(func);
  if (ops.empty() || ops.size() > 4)
    return std::nullopt;
  linalg::LinalgOp op = ops.back();
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  DenseIntElementsAttr stridesAttr, dilationsAttr;
  bool sum;
  if (auto max = dyn_cast<linalg::PoolingNchwMaxOp>(op.getOperation())) {
    stridesAttr = max.getStrides();
    dilationsAttr = max.getDilations();
    sum = false;
  } else if (auto add = dyn_cast<linalg::PoolingNchwSumOp>(op.getOperation())) {
    stridesAttr = add.getStrides();
    dilationsAttr = add.getDilations();
    sum = true;
  } else {
    return std::nullopt;
  }
  Value input = op.getDpsInputOperand(0)->get(), output = op.getDpsInitOperand(0)->get();
  // The output's fill with the identity, first in the group: the ukernel starts from the identity instead.
  linalg::LinalgOp initFill = ops.size() % 2 == 0 ? ops[0] : linalg::LinalgOp();
  if (initFill && !isIdentityFill(initFill, output, sum))
    return std::nullopt;
  ArrayRef<linalg::LinalgOp> rest = ArrayRef<linalg::LinalgOp>(ops).drop_front(initFill ? 1 : 0);
  std::optional<PoolPadding> padding;
  if (rest.size() == 3) {
    padding = matchPoolPadding(rest, input, sum);
    if (!padding)
      return std::nullopt;
    input = padding->copy.getDpsInputOperand(0)->get(); // read unpadded
  }
  auto window = dyn_cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
  std::optional<SmallVector<int64_t>> inStrides = unitInnerStrides(input, 4), outStrides = unitInnerStrides(output, 4);
  if (!inStrides || !outStrides || !window || window.getRank() != 2 || !window.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides(stridesAttr.getValues<int64_t>()), dilations(dilationsAttr.getValues<int64_t>());
  ArrayRef<int64_t> outShape = cast<MemRefType>(output.getType()).getShape();
  if (llvm::is_contained(outShape, 0) || window.getNumElements() == 0)
    return std::nullopt;

  int64_t planes = outShape[0] * outShape[1];
  uint32_t workgroups = static_cast<uint32_t>(std::min<int64_t>(planes, maxWorkgroups));
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  unsigned numArgs = func.getNumArguments();
  Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 2));
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 1));
  SmallVector<Value> args = {ukernelByteAddress(b, loc, input), ukernelByteAddress(b, loc, output),
                             i64(outShape[0]), i64(outShape[1]), i64(outShape[2]), i64(outShape[3]),
                             i64((*inStrides)[0]), i64((*inStrides)[1]), i64((*inStrides)[2]),
                             i64((*outStrides)[0]), i64((*outStrides)[1]), i64((*outStrides)[2]),
                             i64(window.getDimSize(0)), i64(window.getDimSize(1)), i64(strides[0]), i64(strides[1]),
                             i64(dilations[0]), i64(dilations[1]), i64(sum),
                             i64(cast<MemRefType>(input.getType()).getDimSize(2)),
                             i64(cast<MemRefType>(input.getType()).getDimSize(3)), i64(padding ? padding->ph : 0),
                             i64(padding ? padding->pw : 0), i64(initFill ? 1 : 0), id, count};
  std::string name = "sinter_uk_pool2d_v" + std::to_string(lanes);
  func::FuncOp callee = declareUkernel(func->getParentOfType<ModuleOp>(), name, args.size());
  func::CallOp::create(b, loc, callee, args);
  op->erase();
  if (padding) {
    padding->copy->erase();
    padding->fill->erase();
  }
  if (initFill)
    initFill->erase();
  return workgroups;
}

} // namespace sinter

//===- PoolUkernel.cpp - 2-D NCHW pooling dispatches -> sinter_uk_pool2d calls ---------------------------===//
//
// Lowered as loops, a pooling window keeps its accumulator in memory and reads the input one scalar at a
// time (strided when the window strides), and its NaN-propagating maximum becomes a compare-and-branch per
// element: ResNet's 3x3 stride-2 max pool took longer than most of its convolutions. The ukernel computes
// each output row a vector at a time with the accumulator in registers.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/targets/cpu/Ukernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>

using namespace mlir;

namespace sinter {
namespace {

/// Static strides of a static rank-4 f32 memref whose innermost stride is 1.
std::optional<SmallVector<int64_t>> unitInnerStrides(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() != 4 || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides[3] != 1 ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  return strides;
}

} // namespace

std::optional<uint32_t> lowerPoolingToUkernel(func::FuncOp func, unsigned lanes, unsigned maxWorkgroups) {
  if (lanes == 0)
    return std::nullopt;
  linalg::LinalgOp op = soleLinalgOp(func);
  if (!op || !op.hasPureBufferSemantics())
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
  auto window = dyn_cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
  std::optional<SmallVector<int64_t>> inStrides = unitInnerStrides(input), outStrides = unitInnerStrides(output);
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
                             i64(dilations[0]), i64(dilations[1]), i64(sum), id, count};
  std::string name = "sinter_uk_pool2d_v" + std::to_string(lanes);
  func::FuncOp callee = declareUkernel(func->getParentOfType<ModuleOp>(), name, args.size());
  func::CallOp::create(b, loc, callee, args);
  op->erase();
  return workgroups;
}

} // namespace sinter

//===- QuantizedUkernel.cpp - marked quantized contractions -> sinter_uk_qgemm calls ---------------------===//
#include "compiler/targets/cpu/QuantizedUkernel.h"
#include "compiler/targets/cpu/Ukernels.h"

#include "compiler/targets/cpu/ukernels/qgemm_tiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

#include <algorithm>

using namespace mlir;

namespace sinter {
namespace {

/// Static strides of a statically shaped rank-2 memref of `elementType` whose inner stride is 1.
std::optional<int64_t> rowStride(Value value, function_ref<bool(Type)> elementType) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape() || !elementType(type.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides[1] != 1 || ShapedType::isDynamic(strides[0]))
    return std::nullopt;
  return strides[0];
}

} // namespace

std::optional<uint32_t> lowerQuantizedMatmulToUkernel(func::FuncOp func, llvm::StringRef ukernel,
                                                      unsigned maxWorkgroups) {
  if (ukernel.empty())
    return std::nullopt;
  linalg::LinalgOp sole = soleLinalgOp(func);
  auto op = sole ? dyn_cast<linalg::GenericOp>(sole.getOperation()) : linalg::GenericOp();
  auto marker = op ? op->getAttrOfType<DictionaryAttr>("sinter.quantized_matmul") : DictionaryAttr();
  if (!marker || !op.hasPureBufferSemantics() || op.getNumDpsInits() != 1)
    return std::nullopt;
  auto bitsAttr = marker.getAs<IntegerAttr>("bits"), groupAttr = marker.getAs<IntegerAttr>("group_size");
  auto symmetricAttr = marker.getAs<BoolAttr>("symmetric");
  if (!bitsAttr || !groupAttr || !symmetricAttr)
    return std::nullopt;
  auto outliersAttr = marker.getAs<IntegerAttr>("outliers");
  int64_t bits = bitsAttr.getInt(), group = groupAttr.getInt(), outliers = outliersAttr ? outliersAttr.getInt() : 0;
  bool symmetric = symmetricAttr.getValue();
  // Operands as convert-sinter-to-linalg emits them: x, codes (low byte), codes (high byte), scales,
  // [zeros], [outlier rows, outlier values]; y.
  // At 8 bits both byte maps are (n, k), and linalg's canonicalization merges the duplicate operand.
  unsigned sideOperands = outliers > 0 ? 2 : 0;
  unsigned codeOperands = bits == 8 ? 1 : 2, numInputs = 2 + codeOperands + (symmetric ? 0 : 1) + sideOperands;
  if (bits == 8 && op.getNumDpsInputs() == numInputs + 1)
    codeOperands = 2, numInputs += 1;
  if (op.getNumDpsInputs() != numInputs || (bits != 2 && bits != 3 && bits != 4 && bits != 8) || group <= 0)
    return std::nullopt;
  Value x = op.getDpsInputOperand(0)->get(), packed = op.getDpsInputOperand(1)->get();
  Value scales = op.getDpsInputOperand(1 + codeOperands)->get(), y = op.getDpsInitOperand(0)->get();
  Value zeros = symmetric ? Value() : op.getDpsInputOperand(2 + codeOperands)->get();
  Value rows = outliers > 0 ? op.getDpsInputOperand(numInputs - 2)->get() : Value();
  Value values = outliers > 0 ? op.getDpsInputOperand(numInputs - 1)->get() : Value();
  auto isF32 = [](Type t) { return t.isF32(); };
  auto isI8 = [](Type t) { return t.isInteger(8); };
  auto isScale = [](Type t) { return t.isF32() || t.isF16(); };
  std::optional<int64_t> xms = rowStride(x, isF32), yms = rowStride(y, isF32), ps = rowStride(packed, isI8);
  std::optional<int64_t> ss = rowStride(scales, isScale), zs = zeros ? rowStride(zeros, isI8) : std::optional<int64_t>(0);
  if (!xms || !yms || !ps || !ss || !zs || packed != op.getDpsInputOperand(codeOperands)->get())
    return std::nullopt;
  // The kernel reads the side matrix as dense [N][R] arrays.
  if (outliers > 0 && (rowStride(rows, [](Type t) { return t.isInteger(32); }) != outliers ||
                       rowStride(values, [](Type t) { return t.isF16(); }) != outliers))
    return std::nullopt;
  ArrayRef<int64_t> xShape = cast<MemRefType>(x.getType()).getShape(), yShape = cast<MemRefType>(y.getType()).getShape();
  int64_t m = xShape[0], k = xShape[1], n = yShape[1], groups = (k + group - 1) / group;
  // The kernel reads scales and zeros as dense [N][groups] arrays.
  if (yShape[0] != m || m == 0 || n == 0 || k == 0 || *ss != groups || (zeros && *zs != groups))
    return std::nullopt;

  int64_t units = sinter_uk_qgemm_units(m, n);
  uint32_t workgroups = static_cast<uint32_t>(std::min<int64_t>(units, maxWorkgroups));
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  unsigned numArgs = func.getNumArguments();
  Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 2));
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 1));
  bool f16 = cast<MemRefType>(scales.getType()).getElementType().isF16();
  int64_t flags = (symmetric ? 0 : SINTER_UK_QGEMM_ASYMMETRIC) | (f16 ? SINTER_UK_QGEMM_F16_SCALES : 0) |
                  (marker.get("int8_activations") ? SINTER_UK_QGEMM_INT8_ACTIVATIONS : 0) |
                  (marker.get("blocked") ? SINTER_UK_QGEMM_BLOCKED3 : 0);
  SmallVector<Value> args = {ukernelByteAddress(b, loc, x), ukernelByteAddress(b, loc, packed),
                             ukernelByteAddress(b, loc, scales), zeros ? ukernelByteAddress(b, loc, zeros) : i64(0),
                             rows ? ukernelByteAddress(b, loc, rows) : i64(0),
                             values ? ukernelByteAddress(b, loc, values) : i64(0),
                             ukernelByteAddress(b, loc, y),
                             i64(m), i64(n), i64(k), i64(*xms), i64(*yms), i64(*ps), i64(outliers), i64(bits),
                             i64(group), i64(flags), id, count};
  func::CallOp::create(b, loc, declareUkernel(func->getParentOfType<ModuleOp>(), ukernel, args.size()), args);
  op->erase();
  return workgroups;
}

} // namespace sinter

//===- DequantizedMatMul.cpp - DequantizeLinear(8-bit constant) -> MatMul/Gemm => quantized_matmul ------===//
//
// ONNX QDQ models store 8-bit weights as DequantizeLinear(w_q, scale, zero_point) -> MatMul/Gemm. With
// constant operands and a per-tensor or per-output-column scale this is exactly Sinter's 8-bit format with
// one group per column: code = the stored byte (int8 + 128), zero = the zero point (+ 128 for int8), scale
// per column. So the pair becomes one sinter.quantized_matmul (the fused qgemm kernel on the CPU target)
// instead of a materialized fp32 weight. Everything else is left for the fp32 lowering.
//
//===----------------------------------------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/quantization/QuantizeWeights.h"

#include "compiler/quantization/WeightFormat.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

namespace sinter {
#define GEN_PASS_DEF_SINTERDEQUANTIZEDMATMUL
#include "passes/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace sinter {
namespace {

/// The raw little-endian bytes of a constant (dense or dense_resource), or nullopt.
std::optional<std::vector<char>> constantBytes(Value v) {
  auto constant = v.getDefiningOp<graph::ConstantOp>();
  if (!constant)
    return std::nullopt;
  ElementsAttr attr = constant.getValue();
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  int64_t width = type.getElementTypeBitWidth();
  if (width != 8 && width != 32)
    return std::nullopt;
  size_t size = size_t(type.getNumElements()) * size_t(width / 8);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != size)
      return std::nullopt;
    return std::vector<char>(blob->getData().begin(), blob->getData().end());
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  std::vector<char> bytes(size);
  if (dense.isSplat()) {
    ArrayRef<char> one = dense.getRawData();
    for (size_t i = 0; i < size; i += one.size())
      std::memcpy(bytes.data() + i, one.data(), one.size());
  } else {
    if (dense.getRawData().size() != size)
      return std::nullopt;
    std::memcpy(bytes.data(), dense.getRawData().data(), size);
  }
  return bytes;
}

/// A DequantizeLinear whose weight is a constant 2-D 8-bit matrix with a constant per-tensor or per-`axis`
/// scale (and zero point), read out: codes as unsigned bytes, per-element of `axis` (or broadcast) params.
struct DequantizedWeight {
  int64_t rows = 0, cols = 0;
  std::vector<uint8_t> codes;   // [rows][cols], unsigned (int8 + 128)
  std::vector<float> scales;    // one per index along `axis`, or one
  std::vector<uint8_t> zeros;   // the same count, unsigned (int8 + 128)
  int64_t axis = -1;            // -1: per tensor
};

std::optional<DequantizedWeight> readDequantized(graph::DequantizeLinearOp dq) {
  auto xType = dyn_cast<RankedTensorType>(dq.getX().getType());
  auto scaleType = dyn_cast<RankedTensorType>(dq.getXScale().getType());
  if (!xType || !scaleType || xType.getRank() != 2 || !xType.hasStaticShape() ||
      xType.getElementTypeBitWidth() != 8)
    return std::nullopt;
  bool isSigned = !xType.getElementType().isUnsignedInteger();
  DequantizedWeight w;
  w.rows = xType.getDimSize(0);
  w.cols = xType.getDimSize(1);
  std::optional<std::vector<char>> x = constantBytes(dq.getX()), scale = constantBytes(dq.getXScale());
  if (!x || !scale)
    return std::nullopt;
  int64_t count = scaleType.getNumElements();
  if (scaleType.getRank() == 0) {
    w.axis = -1;
  } else if (scaleType.getRank() == 1) {
    int64_t axis = dq.getAxis() < 0 ? dq.getAxis() + 2 : dq.getAxis();
    if (axis < 0 || axis > 1 || count != xType.getDimSize(axis))
      return std::nullopt;
    w.axis = axis;
  } else {
    return std::nullopt;
  }
  const uint8_t shift = isSigned ? 128 : 0; // int8 q - z == (q + 128) - (z + 128): the same exact difference
  w.codes.resize(x->size());
  for (size_t i = 0; i < x->size(); ++i)
    w.codes[i] = uint8_t(uint8_t((*x)[i]) + shift);
  w.scales.resize(count);
  std::memcpy(w.scales.data(), scale->data(), count * 4);
  w.zeros.assign(count, shift); // no zero point: 0, i.e. 128 after the shift for int8
  if (!isa<NoneType>(dq.getXZeroPoint().getType())) {
    std::optional<std::vector<char>> zero = constantBytes(dq.getXZeroPoint());
    if (!zero || int64_t(zero->size()) != count)
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i)
      w.zeros[i] = uint8_t(uint8_t((*zero)[i]) + shift);
  }
  return w;
}

struct DequantizedMatMul : impl::SinterDequantizedMatMulBase<DequantizedMatMul> {
  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<graph::MatMulOp, graph::GemmOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates)
      (void)rewrite(op);
  }

  LogicalResult rewrite(Operation *op) {
    Value input = op->getOperand(0), weight = op->getOperand(1), bias;
    auto dq = weight.getDefiningOp<graph::DequantizeLinearOp>();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!dq || !inputType || !resultType || !inputType.hasStaticShape() || !resultType.hasStaticShape() ||
        !inputType.getElementType().isF32() || inputType.getRank() < 1)
      return failure();
    bool transposed = false; // the stored matrix is [N][K]
    float alpha = 1.0f;
    if (auto gemm = dyn_cast<graph::GemmOp>(op)) {
      if (gemm.getTransA() || inputType.getRank() != 2)
        return failure();
      float beta = gemm.getBeta().convertToFloat();
      bool hasC = !isa<NoneType>(gemm.getC().getType());
      if (hasC && beta != 0.0f) {
        auto cType = dyn_cast<RankedTensorType>(gemm.getC().getType());
        if (beta != 1.0f || !cType || !cType.hasStaticShape() || !cType.getElementType().isF32())
          return failure(); // a scaled C: left to the fp32 lowering
        bias = gemm.getC();
      }
      transposed = gemm.getTransB();
      alpha = gemm.getAlpha().convertToFloat();
    } else if (cast<RankedTensorType>(weight.getType()).getRank() != 2) {
      return failure();
    }
    std::optional<DequantizedWeight> w = readDequantized(dq);
    if (!w)
      return failure();
    int64_t k = transposed ? w->cols : w->rows, n = transposed ? w->rows : w->cols;
    int64_t columnAxis = transposed ? 0 : 1;
    if (w->axis >= 0 && w->axis != columnAxis)
      return failure(); // per-row (along K) scales are not one group per column
    if (inputType.getShape().back() != k || resultType.getShape().back() != n)
      return failure();

    // Column-major codes [N][K], one group per column.
    std::vector<uint8_t> codes(n * k);
    for (int64_t r = 0; r < w->rows; ++r)
      for (int64_t c = 0; c < w->cols; ++c) {
        int64_t kk = transposed ? c : r, nn = transposed ? r : c;
        codes[nn * k + kk] = w->codes[r * w->cols + c];
      }
    std::vector<float> scales(n);
    std::vector<uint8_t> zeros(n);
    bool symmetric = true;
    for (int64_t j = 0; j < n; ++j) {
      int64_t i = w->axis < 0 ? 0 : j;
      scales[j] = w->scales[i] * alpha;
      zeros[j] = w->zeros[i];
      symmetric &= zeros[j] == 128;
    }
    std::vector<uint8_t> packed = quant::packCodes(codes, n, k, 8);

    OpBuilder b(op);
    Location loc = op->getLoc();
    std::string name = nodeName(loc);
    if (name.empty())
      name = "dequantized_matmul";
    Type i8 = b.getIntegerType(8);
    Value packedValue = blobConstant(b, loc, RankedTensorType::get({n, quant::packedRowBytes(k, 8)}, i8),
                                     name + ".packed", asBytes(packed));
    Value scaleValue = blobConstant(b, loc, RankedTensorType::get({n, 1}, b.getF32Type()), name + ".scales",
                                    asBytes(scales));
    Value zeroValue;
    if (!symmetric)
      zeroValue = blobConstant(b, loc, RankedTensorType::get({n, 1}, i8), name + ".zeros", asBytes(zeros));
    Value result = QuantizedMatMulOp::create(b, loc, resultType, input, packedValue, scaleValue, zeroValue, Value(),
                                             Value(), b.getI64IntegerAttr(8), b.getI64IntegerAttr(k),
                                             symmetric ? b.getUnitAttr() : UnitAttr());
    if (bias)
      result = graph::AddOp::create(b, loc, resultType, result, bias);
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
    if (dq->use_empty()) {
      SmallVector<Value> operands(dq->getOperands());
      dq->erase();
      for (Value v : operands)
        if (Operation *def = v.getDefiningOp(); def && isa<graph::ConstantOp>(def) && def->use_empty())
          def->erase();
    }
    return success();
  }
};

} // namespace
} // namespace sinter

//===- QuantizeWeights.cpp - constant MatMul/Gemm weights -> sinter.quantized_matmul --------------------===//
//
// Finds the eligible layers, measures (or takes from the driver) their input statistics, quantizes each
// weight with compiler/quantization (uniform width, or widths chosen by the exact knapsack under a
// budget), rewrites the layer into sinter.quantized_matmul over new packed constants, and reports per layer
// bits, group size, outliers, bytes and relative output error.
//
//===----------------------------------------------------------------------------------------------------===//
#include "passes/quantization/QuantizeWeights.h"

#include "compiler/quantization/BitAllocation.h"
#include "compiler/quantization/Quantize.h"
#include "compiler/quantization/Report.h"
#include "dialects/sinter/SinterDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

namespace sinter {
#define GEN_PASS_DEF_SINTERQUANTIZEWEIGHTS
#include "passes/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace sinter {

std::string nodeName(Location loc) {
  std::string found;
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner)) {
      found = name.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

Value blobConstant(OpBuilder &b, Location loc, RankedTensorType type, StringRef name, ArrayRef<char> bytes) {
  auto attr = DenseResourceElementsAttr::get(type, name,
                                             HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(uint64_t)));
  return graph::ConstantOp::create(b, loc, attr);
}

namespace {

/// One eligible layer: y = x . W (+ C), W[K][N] read out of its constant.
struct Layer {
  Operation *op; // input and bias are read from it when rewritten: a layer's input may be an earlier layer's
                 // result, replaced by then
  bool hasBias = false; // Gemm's C (beta = 1), operand 2
  std::string name, opName;
  int64_t k = 0, n = 0;
  std::vector<float> weight; // [K][N] row-major, Gemm's transB and alpha applied
};

std::optional<std::vector<float>> readFloats(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.getElementType().isF32())
    return std::nullopt;
  std::vector<float> values(type.getNumElements());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != values.size() * 4)
      return std::nullopt;
    std::memcpy(values.data(), blob->getData().data(), values.size() * 4);
    return values;
  }
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    size_t i = 0;
    for (float v : dense.getValues<float>())
      values[i++] = v;
    return values;
  }
  return std::nullopt;
}

/// The weight of `b` when it is a 2-D f32 graph.constant.
std::optional<std::vector<float>> constantMatrix(Value b) {
  auto constant = b.getDefiningOp<graph::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(b.getType());
  if (!constant || !type || type.getRank() != 2 || !type.hasStaticShape())
    return std::nullopt;
  return readFloats(constant.getValue());
}

bool staticF32(Value v, int64_t minRank) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32() && type.getRank() >= minRank;
}

std::optional<Layer> matchLayer(Operation *op) {
  Layer layer;
  layer.op = op;
  layer.name = nodeName(op->getLoc());
  if (auto matmul = dyn_cast<graph::MatMulOp>(op)) {
    if (!staticF32(matmul.getA(), 1) || !staticF32(matmul.getResult(), 1))
      return std::nullopt;
    std::optional<std::vector<float>> w = constantMatrix(matmul.getB());
    if (!w)
      return std::nullopt;
    auto bType = cast<RankedTensorType>(matmul.getB().getType());
    layer.opName = "MatMul";
    layer.k = bType.getDimSize(0);
    layer.n = bType.getDimSize(1);
    layer.weight = std::move(*w);
    return layer;
  }
  auto gemm = dyn_cast<graph::GemmOp>(op);
  if (!gemm || gemm.getTransA() || !staticF32(gemm.getA(), 2) || !staticF32(gemm.getY(), 2))
    return std::nullopt;
  bool hasC = !isa<NoneType>(gemm.getC().getType());
  float alpha = gemm.getAlpha().convertToFloat(), beta = gemm.getBeta().convertToFloat();
  // C (beta = 1) becomes a graph.Add, which broadcasts as Gemm does ([N], [1, N], [M, N], scalars).
  if (hasC && beta != 0.0f && (beta != 1.0f || !staticF32(gemm.getC(), 0)))
    return std::nullopt; // a scaled C: left to the fp32 lowering
  std::optional<std::vector<float>> w = constantMatrix(gemm.getB());
  if (!w)
    return std::nullopt;
  auto bType = cast<RankedTensorType>(gemm.getB().getType());
  int64_t rows = bType.getDimSize(0), cols = bType.getDimSize(1);
  layer.hasBias = hasC && beta != 0.0f;
  layer.opName = "Gemm";
  layer.k = gemm.getTransB() ? cols : rows;
  layer.n = gemm.getTransB() ? rows : cols;
  layer.weight.resize(rows * cols);
  for (int64_t i = 0; i < layer.k; ++i)
    for (int64_t j = 0; j < layer.n; ++j)
      layer.weight[i * layer.n + j] = alpha * (*w)[gemm.getTransB() ? j * cols + i : i * cols + j];
  return layer;
}

struct QuantizeWeights : impl::SinterQuantizeWeightsBase<QuantizeWeights> {
  using SinterQuantizeWeightsBase::SinterQuantizeWeightsBase;
  QuantizeWeights(const SinterQuantizeWeightsOptions &options, std::shared_ptr<const quant::CalibrationData> data)
      : SinterQuantizeWeightsBase(options), calibrationData(std::move(data)) {}

  std::shared_ptr<const quant::CalibrationData> calibrationData;

  void runOnOperation() override;
  void rewrite(Layer &layer, const quant::QuantizedWeight &q);
};

void QuantizeWeights::runOnOperation() {
  ModuleOp func = getOperation();
  quant::WeightFormat format;
  format.bits = int(bits);
  format.groupSize = groupSize;
  format.symmetric = symmetric;
  if (scaleType != "f16" && scaleType != "f32")
    return emitError(func.getLoc(), "sinter-quantize-weights: scale-type must be f16 or f32, got '") << scaleType << "'",
           signalPassFailure();
  format.scaleType = scaleType == "f16" ? quant::ScaleType::F16 : quant::ScaleType::F32;
  if (std::string why = format.validate(); !why.empty())
    return emitError(func.getLoc(), "sinter-quantize-weights: ") << why, signalPassFailure();
  if (method != "rtn" && method != "gptq")
    return emitError(func.getLoc(), "sinter-quantize-weights: method must be rtn or gptq, got '") << method << "'",
           signalPassFailure();
  if (!(outliers >= 0.0 && outliers < 1.0))
    return emitError(func.getLoc(), "sinter-quantize-weights: outliers must be a fraction in [0, 1), got ") << outliers,
           signalPassFailure();
  if (!calibration.empty() && !calibrationData)
    return emitError(func.getLoc(), "sinter-quantize-weights: calibration='")
               << calibration << "' needs the model to be run; use sinter-compile --calibration",
           signalPassFailure();
  quant::WeightBudget parsedBudget;
  std::string error;
  if (!budget.empty() && !quant::parseWeightBudget(budget, parsedBudget, error))
    return emitError(func.getLoc(), "sinter-quantize-weights: budget ") << error, signalPassFailure();

  std::vector<Layer> layers;
  func.walk([&](Operation *op) {
    if (!isa<graph::MatMulOp, graph::GemmOp>(op))
      return;
    if (std::optional<Layer> layer = matchLayer(op); layer && layer->k * layer->n >= minElements) {
      if (layer->name.empty())
        layer->name = layer->opName + "_" + std::to_string(layers.size());
      layers.push_back(std::move(*layer));
    }
  });

  quant::QuantizationReport summary;
  summary.method = method;
  if (calibrationData)
    summary.calibration = calibrationData->source;
  else
    summary.calibration = "none: data-free (identity input covariance, i.e. relative weight error; gptq = rtn)";
  if (!calibrationData && !layers.empty())
    emitRemark(func.getLoc(), "sinter-quantize-weights: no calibration data; errors are relative weight errors and ")
        << (method == "gptq" ? "gptq falls back to round-to-nearest" : "outliers are chosen by |w|");

  auto gramOf = [&](const Layer &layer) -> const std::vector<double> & {
    static const std::vector<double> none;
    if (!calibrationData)
      return none;
    auto it = calibrationData->grams.find(layer.name);
    if (it == calibrationData->grams.end() || int64_t(it->second.size()) != layer.k * layer.k)
      return none;
    return it->second;
  };
  quant::QuantizeOptions base;
  base.format = format;
  base.method = method == "gptq" ? quant::Method::GPTQ : quant::Method::RTN;
  base.outlierFraction = outliers;

  std::vector<quant::QuantizedWeight> chosen;
  std::vector<double> errors;
  if (budget.empty()) {
    for (Layer &layer : layers) {
      chosen.push_back(quant::quantizeWeight(layer.weight.data(), layer.k, layer.n, base, gramOf(layer)));
      errors.push_back(quant::relativeOutputError(layer.weight.data(), chosen.back(), gramOf(layer)));
    }
  } else {
    // Measure every candidate per layer (each width, with and without outliers when they are asked for:
    // outliers can cost more than they save on a small K), then solve the knapsack exactly.
    const int widths[] = {2, 3, 4, 8};
    std::vector<double> outlierChoices = {0.0};
    if (outliers > 0)
      outlierChoices.push_back(outliers);
    std::vector<std::vector<quant::QuantizedWeight>> candidates(layers.size());
    std::vector<std::vector<quant::Candidate>> costs(layers.size());
    std::vector<std::vector<double>> candidateErrors(layers.size());
    int64_t weights = 0, smallest = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
      Layer &layer = layers[i];
      weights += layer.k * layer.n;
      int64_t least = INT64_MAX;
      // GPTQ's O(K^3) factor depends only on the layer's inputs: once per layer, not per candidate.
      quant::GptqFactor factor;
      if (base.method == quant::Method::GPTQ)
        factor = quant::prepareGptq(gramOf(layer), layer.k, base.damping);
      for (int width : widths)
        for (double fraction : outlierChoices) {
        quant::QuantizeOptions o = base;
        o.format.bits = width;
        o.outlierFraction = fraction;
        candidates[i].push_back(
              quant::quantizeWeight(layer.weight.data(), layer.k, layer.n, o, gramOf(layer), &factor));
        double e = quant::relativeOutputError(layer.weight.data(), candidates[i].back(), gramOf(layer));
        candidateErrors[i].push_back(e);
        costs[i].push_back({candidates[i].back().bytes(), e * e});
        least = std::min(least, candidates[i].back().bytes());
        }
      smallest += least;
    }
    summary.budget = budget;
    summary.budgetBytes = parsedBudget.bytesFor(weights);
    quant::Allocation allocation = quant::allocateBits(costs, summary.budgetBytes);
    if (!allocation.feasible)
      return emitError(func.getLoc(), "sinter-quantize-weights: budget ")
                 << budget << " (" << summary.budgetBytes << " bytes) is below the smallest possible size, "
                 << smallest << " bytes (every layer at its smallest candidate)",
             signalPassFailure();
    for (size_t i = 0; i < layers.size(); ++i) {
      chosen.push_back(std::move(candidates[i][allocation.choice[i]]));
      errors.push_back(candidateErrors[i][allocation.choice[i]]);
    }
  }

  for (size_t i = 0; i < layers.size(); ++i) {
    const quant::QuantizedWeight &q = chosen[i];
    quant::LayerReport entry;
    entry.name = layers[i].name;
    entry.op = layers[i].opName;
    entry.k = q.k;
    entry.n = q.n;
    entry.bits = q.format.bits;
    entry.groupSize = q.format.groupSize;
    entry.symmetric = q.format.symmetric;
    entry.scaleType = scaleType;
    entry.outliers = int64_t(q.outliers.rows.size());
    entry.bytes = q.bytes();
    entry.relativeError = errors[i];
    entry.calibrated = !gramOf(layers[i]).empty();
    summary.layers.push_back(entry);
    rewrite(layers[i], q);
  }

  if (!report.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(report, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return emitError(func.getLoc(), "sinter-quantize-weights: cannot write the report '") << report << "': " << ec.message(),
             signalPassFailure();
    os << summary.toJson();
  }
  if (printReport)
    llvm::outs() << summary.toTable();
}

void QuantizeWeights::rewrite(Layer &layer, const quant::QuantizedWeight &q) {
  OpBuilder b(layer.op);
  Location loc = layer.op->getLoc();
  Type i8 = b.getIntegerType(8), i32 = b.getIntegerType(32), f16 = b.getF16Type();
  int64_t groups = q.groups(), rowBytes = quant::packedRowBytes(q.k, q.format.bits);
  Type scaleElement = q.format.scaleType == quant::ScaleType::F16 ? f16 : b.getF32Type();
  Value packed = blobConstant(b, loc, RankedTensorType::get({q.n, rowBytes}, i8), layer.name + ".packed",
                              asBytes(q.packed));
  std::vector<uint8_t> scaleBytes = q.scaleBytes();
  Value scales = blobConstant(b, loc, RankedTensorType::get({q.n, groups}, scaleElement), layer.name + ".scales",
                              asBytes(scaleBytes));
  Value zeros, rows, values;
  if (!q.format.symmetric)
    zeros = blobConstant(b, loc, RankedTensorType::get({q.n, groups}, i8), layer.name + ".zeros", asBytes(q.zeros));
  if (int64_t r = q.outliers.perColumn) {
    rows = blobConstant(b, loc, RankedTensorType::get({q.n, r}, i32), layer.name + ".outlier_rows",
                        asBytes(q.outliers.rows));
    values = blobConstant(b, loc, RankedTensorType::get({q.n, r}, f16), layer.name + ".outlier_values",
                          asBytes(q.outliers.values));
  }
  Value input = layer.op->getOperand(0);
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(inputType.getShape());
  shape.back() = q.n;
  auto resultType = RankedTensorType::get(shape, b.getF32Type());
  Value result = QuantizedMatMulOp::create(b, loc, resultType, input, packed, scales, zeros, rows, values,
                                           b.getI64IntegerAttr(q.format.bits),
                                           b.getI64IntegerAttr(q.format.groupSize),
                                           q.format.symmetric ? b.getUnitAttr() : UnitAttr(),
                                           int8Activations ? b.getUnitAttr() : UnitAttr());
  if (layer.hasBias)
    result = graph::AddOp::create(b, loc, resultType, result, layer.op->getOperand(2));
  Value weight = layer.op->getOperand(1);
  layer.op->getResult(0).replaceAllUsesWith(result);
  layer.op->erase();
  if (Operation *constant = weight.getDefiningOp(); constant && constant->use_empty())
    constant->erase();
}

} // namespace

std::unique_ptr<Pass> createQuantizeWeightsPass(const SinterQuantizeWeightsOptions &options,
                                                std::shared_ptr<const quant::CalibrationData> calibration) {
  return std::make_unique<QuantizeWeights>(options, std::move(calibration));
}

} // namespace sinter

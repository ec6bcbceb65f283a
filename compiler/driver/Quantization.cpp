//===- Quantization.cpp - weight quantization in the pipeline, with calibration runs -------------------===//
#include "compiler/driver/Quantization.h"

#include "compiler/quantization/Quantize.h"
#include "dialects/graph/GraphOps.h"
#include "passes/quantization/QuantizeWeights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "npy.h"
#include "sinter/runtime.h"

#include <algorithm>
#include <cstdlib>

using namespace mlir;

namespace sinter {
namespace {

/// Owns runtime handles; frees them on every path.
struct RuntimeHandles {
  sinter_instance_t *instance = nullptr;
  sinter_module_t *module = nullptr;
  sinter_session_t *session = nullptr;
  ~RuntimeHandles() {
    if (session)
      sinter_session_release(session);
    if (module)
      sinter_module_release(module);
    if (instance)
      sinter_instance_release(instance);
  }
};

/// The status's message (and frees it); empty when OK.
std::string takeError(sinter_status_t status) {
  if (!status)
    return "";
  std::string message = sinter_status_message(status);
  sinter_status_free(status);
  return message.empty() ? "runtime error" : message;
}

struct Probe {
  std::string layer;
  unsigned output; // index among the probe module's outputs
};

} // namespace

FailureOr<std::shared_ptr<quant::CalibrationData>> collectCalibration(ModuleOp module, const std::string &directory,
                                                                      const CpuTargetOptions &cpu) {
  // The samples: subfolders, in name order.
  std::vector<std::string> samples;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::fs::is_directory(it->path()))
      samples.push_back(it->path());
  if (ec)
    return module.emitError("--calibration: cannot read '") << directory << "': " << ec.message(), failure();
  if (samples.empty())
    return module.emitError("--calibration: '") << directory
                                                << "' has no sample subfolders (one folder of NAME.npy inputs per sample)",
           failure();
  std::sort(samples.begin(), samples.end());

  // A probe module: the same graph, every MatMul/Gemm input also returned (once per distinct value).
  OwningOpRef<ModuleOp> probe = module.clone();
  auto main = probe->lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("--calibration: no @main function"), failure();
  auto returnOp = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  unsigned firstProbe = returnOp.getNumOperands();
  std::vector<Probe> probes;
  llvm::DenseMap<Value, unsigned> outputOf;
  SmallVector<Value> extra;
  main.walk([&](Operation *op) {
    Value input;
    if (auto matmul = dyn_cast<graph::MatMulOp>(op))
      input = matmul.getA();
    else if (auto gemm = dyn_cast<graph::GemmOp>(op); gemm && !gemm.getTransA())
      input = gemm.getA();
    auto type = input ? dyn_cast<RankedTensorType>(input.getType()) : RankedTensorType();
    std::string name = nodeName(op->getLoc());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32() || name.empty())
      return;
    auto [it, inserted] = outputOf.try_emplace(input, firstProbe + extra.size());
    if (inserted)
      extra.push_back(input);
    probes.push_back({name, it->second});
  });
  if (probes.empty())
    return std::make_shared<quant::CalibrationData>();
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < firstProbe; ++i)
    resultAttrs.push_back(main.getResultAttrDict(i));
  Builder b(probe->getContext());
  for (unsigned i = 0; i < extra.size(); ++i)
    resultAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr("graph.name", b.getStringAttr("__calibration_" + std::to_string(i)))));
  returnOp->insertOperands(firstProbe, extra);
  main.setFunctionType(b.getFunctionType(main.getArgumentTypes(), returnOp.getOperandTypes()));
  main.setAllResultAttrs(resultAttrs);
  FailureOr<std::vector<uint8_t>> bytes = lowerGraph(*probe, Phase::Module, cpu);
  if (failed(bytes))
    return module.emitError("--calibration: compiling the fp32 probe model failed"), failure();

  // Run it on every sample. The runtime wants the module's bytes 64-byte aligned.
  uint8_t *aligned = static_cast<uint8_t *>(std::aligned_alloc(64, (bytes->size() + 63) / 64 * 64));
  std::unique_ptr<uint8_t, decltype(&std::free)> hold(aligned, &std::free);
  std::copy(bytes->begin(), bytes->end(), aligned);
  RuntimeHandles rt;
  std::string error = takeError(sinter_instance_create(&rt.instance));
  if (error.empty())
    error = takeError(sinter_module_load_memory(rt.instance, aligned, bytes->size(), &rt.module));
  sinter_session_options_t sessionOptions = {0};
  if (error.empty())
    error = takeError(sinter_session_create(rt.module, &sessionOptions, &rt.session));
  if (!error.empty())
    return module.emitError("--calibration: running the probe model: ") << error, failure();
  size_t inputCount = 0, outputCount = 0;
  sinter_module_input_count(rt.module, &inputCount);
  sinter_module_output_count(rt.module, &outputCount);

  auto data = std::make_shared<quant::CalibrationData>();
  std::vector<std::vector<uint8_t>> outputData(outputCount);
  std::vector<sinter_tensor_t> outputs(outputCount);
  std::vector<sinter_tensor_info_t> outputInfo(outputCount);
  for (size_t i = 0; i < outputCount; ++i) {
    sinter_module_output_info(rt.module, i, &outputInfo[i]);
    outputData[i].resize(outputInfo[i].byte_size);
    outputs[i] = {outputInfo[i].element_type, outputInfo[i].rank, outputInfo[i].dims, outputData[i].data(),
                  outputInfo[i].byte_size};
  }
  for (const std::string &sample : samples) {
    std::vector<npy::Array> arrays(inputCount);
    std::vector<sinter_tensor_t> inputs(inputCount);
    for (size_t i = 0; i < inputCount; ++i) {
      sinter_tensor_info_t info;
      sinter_module_input_info(rt.module, i, &info);
      llvm::SmallString<256> path(sample);
      llvm::sys::path::append(path, std::string(info.name) + ".npy");
      if (!npy::readFile(path.str().str(), arrays[i], error))
        return module.emitError("--calibration: ") << path << ": " << error, failure();
      inputs[i] = {arrays[i].elementType, arrays[i].shape.size(), arrays[i].shape.data(), arrays[i].data.data(),
                   arrays[i].data.size()};
    }
    error = takeError(sinter_session_run(rt.session, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
    if (!error.empty())
      return module.emitError("--calibration: sample '") << sample << "': " << error, failure();
    for (const Probe &p : probes) {
      const sinter_tensor_info_t &info = outputInfo[p.output];
      int64_t k = info.rank ? info.dims[info.rank - 1] : 1;
      int64_t rows = int64_t(info.byte_size / 4) / std::max<int64_t>(k, 1);
      quant::accumulateGram(data->grams[p.layer], reinterpret_cast<const float *>(outputData[p.output].data()),
                            rows, k);
      data->rows[p.layer] += rows;
    }
  }
  data->source = directory + " (" + std::to_string(samples.size()) + " samples)";
  return data;
}

LogicalResult quantizeWeights(ModuleOp module, const CompileOptions &options) {
  const QuantizationOptions &q = options.quantization;
  std::shared_ptr<const quant::CalibrationData> calibration;
  if (!q.calibration.empty()) {
    FailureOr<std::shared_ptr<quant::CalibrationData>> data = collectCalibration(module, q.calibration, options.cpu);
    if (failed(data))
      return failure();
    calibration = *data;
  }
  SinterQuantizeWeightsOptions passOptions;
  passOptions.bits = q.bits > 0 ? q.bits : 4;
  passOptions.groupSize = q.groupSize;
  passOptions.symmetric = q.symmetric;
  passOptions.scaleType = q.scaleType;
  passOptions.outliers = q.outliers;
  passOptions.int8Activations = q.int8Activations;
  passOptions.budget = q.budget;
  passOptions.method = q.method;
  passOptions.calibration = q.calibration;
  passOptions.report = q.report;
  passOptions.printReport = q.printReport;
  PassManager pm(module.getContext());
  pm.addPass(createQuantizeWeightsPass(passOptions, calibration));
  return pm.run(module);
}

} // namespace sinter

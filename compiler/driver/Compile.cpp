//===- Compile.cpp - the compilation pipeline, phase by phase -------------------------------------------===//
#include "compiler/driver/Compile.h"

#include "compiler/conversion/Passes.h"
#include "compiler/driver/Quantization.h"
#include "compiler/module/ModuleWriter.h"
#include "compiler/program/Program.h"
#include "compiler/support/PassPipeline.h"
#include "compiler/transforms/Passes.h"
#include "frontends/onnx/OnnxImporter.h"
#include "dialects/sinter/SinterDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace sinter {
namespace {

void registerPipelinePasses() {
  static bool done = [] {
    registerAllPasses();
    registerSinterPasses();
    registerSinterConversionPasses();
    registerSinterTransformsPasses();
    return true;
  }();
  (void)done;
}

} // namespace

void registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  onnx_frontend::registerImportDialects(registry);
  registry.insert<SinterDialect>();
}

FailureOr<CompileResult> compile(MLIRContext &context, const CompileOptions &options) {
  registerPipelinePasses();
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context.appendDialectRegistry(registry);

  CompileResult result;
  result.ir = onnx_frontend::importOnnxFile(context, options.inputPath, options.load);
  if (!result.ir)
    return failure();
  ModuleOp module = *result.ir;
  if (options.phase == Phase::Graph)
    return result;

  if (failed(runPassPipeline(module, "func.func(graph-simplify,sinter-dequantized-matmul)")))
    return failure();
  if (options.quantization.enabled() && failed(quantizeWeights(module, options)))
    return failure();
  FailureOr<std::vector<uint8_t>> bytes = lowerGraph(module, options.phase, options.cpu);
  if (failed(bytes))
    return failure();
  if (options.phase == Phase::Module) {
    result.module = std::move(*bytes);
    result.ir = nullptr;
  }
  return result;
}

FailureOr<std::vector<uint8_t>> lowerGraph(ModuleOp module, Phase phase, const CpuTargetOptions &cpu) {
  registerPipelinePasses();
  Program program;
  readSignature(module.lookupSymbol<func::FuncOp>("main"), program);
  // Sinter ops first: their lowering makes linalg over tensors the graph lowering leaves alone.
  // With ukernels, im2col gathers fuse into their contractions (the sgemm ukernel gathers while packing).
  std::string fuse = cpu.ukernelLanes ? "sinter-fuse-elementwise{fuse-gathers=true}" : "sinter-fuse-elementwise";
  bool winograd = cpu.winograd == CpuTargetOptions::Winograd::On ||
                  (cpu.winograd == CpuTargetOptions::Winograd::Auto && cpu.ukernelLanes);
  // 3-bit GEMV weights in the layout the AVX2 builds of the qgemm ukernel unpack without shuffles.
  if (failed(runPassPipeline(module, std::string("func.func(") +
                                         (cpu.blockedQgemmCodes ? "sinter-block-quantized-codes, " : "") +
                                         "convert-sinter-to-linalg, convert-graph-to-linalg)")) ||
      failed(exposeBoundedResults(module, program)) || failed(exposeRuntimeChecks(module, program)) ||
      failed(runPassPipeline(module, std::string("func.func(canonicalize, ") +
                                         (winograd ? "sinter-conv-to-winograd, " : "") +
                                         "sinter-conv-to-im2col, " + fuse + ", canonicalize)")))
    return failure();
  // Constant matmul weights in the panel layout of the target's sgemm ukernel (two vectors wide); then
  // contractions grouped with their bias / ReLU / residual ops, which the ukernel applies as it stores C.
  if (cpu.ukernelLanes &&
      failed(runPassPipeline(module, "func.func(sinter-pack-weights{panel-width=" + std::to_string(2 * cpu.ukernelLanes) +
                                         "}, sinter-fuse-epilogues, canonicalize)")))
    return failure();
  if (phase == Phase::Linalg)
    return std::vector<uint8_t>();

  // The second canonicalize erases the copies of a tensor.insert_slice into the slice it was extracted
  // from (sinter-fuse-epilogues' padding), which are self-copies only once cse has merged the two views.
  if (failed(runPassPipeline(module, "one-shot-bufferize{bufferize-function-boundaries "
                                     "function-boundary-type-conversion=identity-layout-map}, "
                                     "buffer-results-to-out-params{hoist-static-allocs modify-public-functions}, "
                                     "canonicalize, cse, canonicalize")))
    return failure();
  if (phase == Phase::Buffers)
    return std::vector<uint8_t>();

  if (failed(formProgram(module, program)))
    return failure();
  if (phase == Phase::Dispatches)
    return std::vector<uint8_t>();

  if (failed(lowerDispatchesToLLVM(module, program, cpu)))
    return failure();
  if (phase == Phase::LLVM)
    return std::vector<uint8_t>();

  FailureOr<std::vector<uint8_t>> executable = emitSharedObject(module, cpu);
  if (failed(executable))
    return failure();
  std::string error;
  std::vector<uint8_t> bytes;
  if (!writeModule(program, *executable, cpu, bytes, error))
    return module.emitError(error), failure();
  return bytes;
}

} // namespace sinter

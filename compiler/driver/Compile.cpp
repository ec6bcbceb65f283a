//===- Compile.cpp - the compilation pipeline, phase by phase -------------------------------------------===//
#include "compiler/driver/Compile.h"

#include "compiler/conversion/Passes.h"
#include "compiler/module/ModuleWriter.h"
#include "compiler/program/Program.h"
#include "compiler/support/PassPipeline.h"
#include "compiler/transforms/Passes.h"
#include "frontends/onnx/OnnxImporter.h"
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

  Program program;
  readSignature(module.lookupSymbol<func::FuncOp>("main"), program);
  if (failed(runPassPipeline(module, "func.func(graph-simplify, convert-graph-to-linalg, canonicalize, sinter-fuse-elementwise, canonicalize)")))
    return failure();
  if (options.phase == Phase::Linalg)
    return result;

  if (failed(runPassPipeline(module, "one-shot-bufferize{bufferize-function-boundaries "
                                 "function-boundary-type-conversion=identity-layout-map}, "
                                 "buffer-results-to-out-params{hoist-static-allocs modify-public-functions}, "
                                 "canonicalize, cse")))
    return failure();
  if (options.phase == Phase::Buffers)
    return result;

  if (failed(formProgram(module, program)))
    return failure();
  if (options.phase == Phase::Dispatches)
    return result;

  if (failed(lowerDispatchesToLLVM(module, program, options.cpu)))
    return failure();
  if (options.phase == Phase::LLVM)
    return result;

  FailureOr<std::vector<uint8_t>> executable = emitSharedObject(module, options.cpu);
  if (failed(executable))
    return failure();
  std::string error;
  if (!writeModule(program, *executable, options.cpu, result.module, error))
    return module.emitError(error), failure();
  result.ir = nullptr;
  return result;
}

} // namespace sinter

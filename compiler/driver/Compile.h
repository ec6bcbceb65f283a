//===- Compile.h - the compilation pipeline, phase by phase ---------------------------------------------===//
#ifndef SINTER_COMPILER_DRIVER_COMPILE_H
#define SINTER_COMPILER_DRIVER_COMPILE_H

#include "compiler/targets/cpu/CpuTarget.h"
#include "frontends/onnx/OnnxModelLoader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>
#include <vector>

namespace sinter {

/// Named phases to stop after (sinter-compile --compile-to=), in pipeline order.
enum class Phase {
  Graph,      // imported graph dialect: checked, opset 17, shapes inferred, verified
  Linalg,     // graph passes applied, lowered to linalg/tensor/arith/math on tensors
  Buffers,    // bufferized: memrefs, caller-provided outputs
  Dispatches, // constants blob, static memory plan, one function per dispatch
  LLVM,       // dispatches lowered to the LLVM dialect with their C entry points
  Module      // the .sinter file
};

struct CompileOptions {
  std::string inputPath;
  onnx_frontend::LoadOptions load;
  Phase phase = Phase::Module;
  CpuTargetOptions cpu;
};

struct CompileResult {
  mlir::OwningOpRef<mlir::ModuleOp> ir; // the IR at `phase` (all phases but Module)
  std::vector<uint8_t> module;          // the .sinter bytes (phase Module)
};

/// Runs the pipeline up to `options.phase`. Errors are reported as diagnostics on `context`.
mlir::FailureOr<CompileResult> compile(mlir::MLIRContext &context, const CompileOptions &options);

/// Registers every dialect the pipeline uses (for contexts that parse or print its IR).
void registerCompilerDialects(mlir::DialectRegistry &registry);

} // namespace sinter

#endif // SINTER_COMPILER_DRIVER_COMPILE_H

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

/// Weight quantization (sinter-quantize-weights; docs/QUANTIZATION.md). Off unless `bits` or `budget` is set.
struct QuantizationOptions {
  int64_t bits = 0;         // --weight-bits: uniform width (2, 3, 4, 8)
  std::string budget;       // --weight-budget: average bits (3.25) or a size (40MB): bit allocation
  int64_t groupSize = 128;  // --group-size
  double outliers = 0.0;    // --outliers: fraction of each column kept in fp16
  bool int8Activations = false; // --int8-activations: kernels may round activations to int8 per group
  std::string method = "rtn"; // --weight-method: rtn | gptq
  bool symmetric = true;    // --weight-asymmetric clears it
  std::string scaleType = "f16"; // --weight-scale-type: f16 | f32
  std::string calibration;  // --calibration: DIR with one subfolder of NAME.npy inputs per sample
  std::string report;       // --report: JSON file
  bool printReport = false; // the report table on stdout
  bool enabled() const { return bits > 0 || !budget.empty(); }
};

struct CompileOptions {
  std::string inputPath;
  onnx_frontend::LoadOptions load;
  Phase phase = Phase::Module;
  CpuTargetOptions cpu;
  QuantizationOptions quantization;
};

struct CompileResult {
  mlir::OwningOpRef<mlir::ModuleOp> ir; // the IR at `phase` (all phases but Module)
  std::vector<uint8_t> module;          // the .sinter bytes (phase Module)
};

/// Runs the pipeline up to `options.phase`. Errors are reported as diagnostics on `context`.
mlir::FailureOr<CompileResult> compile(mlir::MLIRContext &context, const CompileOptions &options);

/// Runs the pipeline after the graph passes (graph + sinter ops -> linalg -> ... ) up to `phase`, in place on
/// `module`; returns the .sinter bytes when `phase` is Module (empty otherwise).
mlir::FailureOr<std::vector<uint8_t>> lowerGraph(mlir::ModuleOp module, Phase phase, const CpuTargetOptions &cpu);

/// Registers every dialect the pipeline uses (for contexts that parse or print its IR).
void registerCompilerDialects(mlir::DialectRegistry &registry);

} // namespace sinter

#endif // SINTER_COMPILER_DRIVER_COMPILE_H

//===- sinter-compile.cpp - compile an ONNX model ------------------------------------------------------===//
//
//   sinter-compile MODEL.onnx -o OUT.sinter [--target=cpu] [--mcpu=host|NAME] [--mtriple=TRIPLE]
//                  [--compile-to=graph|linalg|buffers|dispatches|llvm|module] [--input-shape NAME=1x128 ...]
//                  [--weight-bits=2|3|4|8 | --weight-budget=AVG_BITS|SIZE] [--group-size=N] [--outliers=FRACTION]
//                  [--weight-method=rtn|gptq] [--calibration=DIR] [--report=FILE.json] [--int8-activations]
//
// Phases, in the spirit of iree-compile's --compile-to: every phase but `module` writes MLIR (text, or
// bytecode with --emit-bytecode); `module` writes the .sinter file.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/driver/Compile.h"
#include "compiler/driver/Diagnostics.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/CodeGen/CommandFlags.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;
using sinter::Phase;

namespace {
cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"), cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"), cl::value_desc("file"),
                                cl::init("-"));
cl::opt<Phase> compileTo(
    "compile-to", cl::desc("Stop after this phase and write its output"), cl::init(Phase::Module),
    cl::values(clEnumValN(Phase::Graph, "graph", "imported graph-dialect IR (shapes inferred, verified)"),
               clEnumValN(Phase::Linalg, "linalg", "lowered to linalg/tensor/arith/math on tensors"),
               clEnumValN(Phase::Buffers, "buffers", "bufferized, outputs as caller-provided buffers"),
               clEnumValN(Phase::Dispatches, "dispatches", "constants, memory plan, one function per dispatch"),
               clEnumValN(Phase::LLVM, "llvm", "dispatches in the LLVM dialect with their entry points"),
               clEnumValN(Phase::Module, "module", "a .sinter module (default)")));
cl::opt<std::string> target("target", cl::desc("Target device (cpu)"), cl::init("cpu"));
// --mcpu, --mtriple and --mattr are LLVM's own code generation flags (as in llc): the in-process linker
// registers them too, so they must exist exactly once. An empty or "host" --mcpu means this machine.
llvm::codegen::RegisterCodeGenFlags codegenFlags;
cl::opt<std::string> mtriple("mtriple", cl::desc("Target triple (default: the host's)"), cl::init(""));
cl::list<std::string> inputShapes("input-shape",
                                  cl::desc("Bind an input's dimensions: NAME=1x128 (repeatable, or comma-separated)"),
                                  cl::value_desc("NAME=DIMxDIM"), cl::CommaSeparated);
cl::opt<bool> ukernels("ukernels",
                       cl::desc("Use hand-written kernels (e.g. f32 matmul) where a dispatch matches one "
                                "(default true; --ukernels=false lowers everything through loops)"),
                       cl::init(true));
cl::opt<sinter::CpuTargetOptions::Winograd> winograd(
    "winograd", cl::desc("3x3 stride-1 f32 convolutions as Winograd F(2x2, 3x3) where it pays"),
    cl::values(clEnumValN(sinter::CpuTargetOptions::Winograd::Auto, "auto", "with ukernels (default)"),
               clEnumValN(sinter::CpuTargetOptions::Winograd::Off, "off", "never"),
               clEnumValN(sinter::CpuTargetOptions::Winograd::On, "on",
                          "also without ukernels (the transforms run as loops; for tests)")),
    cl::init(sinter::CpuTargetOptions::Winograd::Auto));
cl::opt<int64_t> minSplitElements("min-split-elements",
                                   cl::desc("Loop dispatches whose largest buffer has fewer elements run as one "
                                            "workgroup (default 65536; 0 splits every dispatch)"),
                                   cl::init(65536));
cl::opt<int64_t> minSplitMacs("min-split-macs",
                               cl::desc("f32 contractions of fewer multiply-adds run as one workgroup (default "
                                        "262144; 0 splits every contraction)"),
                               cl::init(int64_t(1) << 18));
cl::opt<bool> emitBytecode("emit-bytecode", cl::desc("Write IR as MLIR bytecode instead of text"));
cl::opt<bool> elideConstants("elide-constants",
                             cl::desc("Print large constants as __elided__ (readable, but not parseable)"));

// Weight quantization (docs/QUANTIZATION.md). The spellings are a user contract: keep them.
cl::OptionCategory quantCategory("Weight quantization (docs/QUANTIZATION.md)");
cl::opt<int64_t> weightBits("weight-bits", cl::desc("Quantize every constant MatMul/Gemm weight to N bits (2, 3, 4, 8)"),
                            cl::init(0), cl::cat(quantCategory));
cl::opt<std::string> weightBudget("weight-budget",
                                  cl::desc("Choose per-layer widths under a budget: average bits (3.25) or a size "
                                           "(40MB, 512KiB); counts scales, zero points and outliers"),
                                  cl::cat(quantCategory));
cl::opt<int64_t> groupSize("group-size", cl::desc("Weights per scale along the reduction dimension"), cl::init(128),
                           cl::cat(quantCategory));
cl::opt<double> outlierFraction("outliers", cl::desc("Fraction of each output column's weights kept in fp16"),
                                cl::init(0.0), cl::cat(quantCategory));
cl::opt<bool> int8Activations("int8-activations",
                              cl::desc("Let the quantized GEMV round activations to int8 per group (2/3/4 bits; as "
                                       "ONNX Runtime's MatMulNBits accuracy_level 4): faster, coarser inputs"),
                              cl::cat(quantCategory));
cl::opt<std::string> weightMethod("weight-method", cl::desc("rtn (round to nearest) or gptq (needs --calibration)"),
                                  cl::init("rtn"), cl::cat(quantCategory));
cl::opt<bool> weightAsymmetric("weight-asymmetric", cl::desc("Asymmetric groups (a zero point per group)"),
                               cl::cat(quantCategory));
cl::opt<std::string> weightScaleType("weight-scale-type", cl::desc("Scale storage: f16 (default) or f32"),
                                     cl::init("f16"), cl::cat(quantCategory));
cl::opt<std::string> calibrationDir("calibration",
                                    cl::desc("Calibration samples: DIR/<sample>/<input name>.npy, one subfolder per sample"),
                                    cl::cat(quantCategory));
cl::opt<std::string> reportFile("report", cl::desc("Write the per-layer compile report as JSON (and print its table)"),
                                cl::cat(quantCategory));

int fail(const std::string &message) {
  llvm::errs() << "sinter-compile: error: " << message << "\n";
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --mlir-print-debuginfo and friends, as in mlir-opt.
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Sinter ahead-of-time compiler for ONNX models\n");

  // Read every option now: the in-process linker resets all LLVM command-line options to their defaults.
  const std::string outputPath = outputFile;
  const bool bytecode = emitBytecode, elide = elideConstants;
  sinter::CompileOptions options;
  options.inputPath = inputFile;
  options.phase = compileTo;
  for (const std::string &text : inputShapes) {
    sinter::onnx_frontend::ShapeBinding binding;
    std::string reason;
    if (!sinter::onnx_frontend::parseShapeBinding(text, binding, reason))
      return fail("--input-shape: " + reason);
    options.load.inputShapes.push_back(std::move(binding));
  }
  sinter::QuantizationOptions &quant = options.quantization;
  quant.bits = weightBits;
  quant.budget = weightBudget;
  quant.groupSize = groupSize;
  quant.outliers = outlierFraction;
  quant.int8Activations = int8Activations;
  quant.method = weightMethod;
  quant.symmetric = !weightAsymmetric;
  quant.scaleType = weightScaleType;
  quant.calibration = calibrationDir;
  quant.report = reportFile;
  // The table goes to stdout unless the output does; the JSON file has everything either way.
  quant.printReport = !quant.report.empty() && outputPath != "-";
  if (!quant.enabled() && (groupSize.getNumOccurrences() || outlierFraction.getNumOccurrences() || int8Activations ||
                           weightMethod.getNumOccurrences() || weightAsymmetric || weightScaleType.getNumOccurrences() ||
                           !quant.calibration.empty() || !quant.report.empty()))
    return fail("quantization options need --weight-bits=N or --weight-budget=AVG_BITS|SIZE");
  if (quant.bits && !quant.budget.empty())
    return fail("--weight-bits and --weight-budget exclude each other (the budget chooses the widths)");
  if (target != "cpu")
    return fail("--target=" + target + " is not supported yet (supported: cpu)");
  std::string cpu = llvm::codegen::getMCPU();
  options.cpu.cpu = cpu.empty() ? "host" : cpu;
  options.cpu.triple = mtriple;
  options.cpu.features = llvm::join(llvm::codegen::getMAttrs(), ",");
  options.cpu.ukernels = ukernels;
  options.cpu.winograd = winograd;
  options.cpu.minSplitElements = minSplitElements;
  options.cpu.minSplitMacs = minSplitMacs;
  std::string error;
  if (!sinter::resolveCpuTarget(options.cpu, error))
    return fail(error);

  MLIRContext context;
  sinter::UserDiagnosticHandler diagnostics(&context, "sinter-compile");
  FailureOr<sinter::CompileResult> result = sinter::compile(context, options);
  if (failed(result))
    return 1;

  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(outputPath, &error);
  if (!output)
    return fail(error);
  if (options.phase == Phase::Module) {
    output->os().write(reinterpret_cast<const char *>(result->module.data()), result->module.size());
  } else if (bytecode) {
    if (failed(writeBytecodeToFile(*result->ir, output->os())))
      return 1;
  } else {
    OpPrintingFlags flags;
    if (elide)
      flags.elideLargeResourceString().elideLargeElementsAttrs();
    result->ir->print(output->os(), flags);
  }
  output->keep();
  return 0;
}

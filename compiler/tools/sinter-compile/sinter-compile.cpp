//===- sinter-compile.cpp - compile an ONNX model ------------------------------------------------------===//
//
//   sinter-compile MODEL.onnx -o OUT [--compile-to=graph] [--input-shape NAME=1x128 ...]
//
// Phases, in the spirit of iree-compile's --compile-to: `graph` stops after import (checked, upgraded to
// opset 17, shapes inferred, verified) and writes the graph-dialect IR.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/driver/Diagnostics.h"
#include "frontends/onnx/OnnxImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class Phase { Graph, Module };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"), cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"), cl::value_desc("file"),
                                cl::init("-"));
cl::opt<Phase> compileTo(
    "compile-to", cl::desc("Stop after this phase and write its output"), cl::init(Phase::Module),
    cl::values(clEnumValN(Phase::Graph, "graph", "imported graph-dialect IR (shapes inferred, verified)"),
               clEnumValN(Phase::Module, "module", "a .sinter module (default)")));
cl::list<std::string> inputShapes("input-shape",
                                  cl::desc("Bind an input's dimensions: NAME=1x128 (repeatable, or comma-separated)"),
                                  cl::value_desc("NAME=DIMxDIM"), cl::CommaSeparated);
cl::opt<bool> emitBytecode("emit-bytecode", cl::desc("Write IR as MLIR bytecode instead of text"));
cl::opt<bool> elideConstants("elide-constants",
                             cl::desc("Print large constants as __elided__ (readable, but not parseable)"));
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --mlir-print-debuginfo and friends, as in mlir-opt.
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Sinter ahead-of-time compiler for ONNX models\n");

  MLIRContext context;
  sinter::UserDiagnosticHandler diagnostics(&context, "sinter-compile");

  sinter::onnx_frontend::LoadOptions options;
  for (const std::string &text : inputShapes) {
    sinter::onnx_frontend::ShapeBinding binding;
    std::string reason;
    if (!sinter::onnx_frontend::parseShapeBinding(text, binding, reason)) {
      llvm::errs() << "sinter-compile: error: --input-shape: " << reason << "\n";
      return 1;
    }
    options.inputShapes.push_back(std::move(binding));
  }

  OwningOpRef<ModuleOp> module = sinter::onnx_frontend::importOnnxFile(context, inputFile, options);
  if (!module)
    return 1;

  if (compileTo != Phase::Graph) {
    llvm::errs() << "sinter-compile: error: " << inputFile
                 << ": code generation (--compile-to=module) is not implemented yet; use --compile-to=graph\n";
    return 1;
  }

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "sinter-compile: error: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return 1;
  } else {
    OpPrintingFlags flags;
    if (elideConstants)
      flags.elideLargeResourceString().elideLargeElementsAttrs();
    module->print(output->os(), flags);
  }
  output->keep();
  return 0;
}

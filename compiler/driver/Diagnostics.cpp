//===- Diagnostics.cpp - one-line error messages for users ----------------------------------------------===//
#include "compiler/driver/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::string sinter::formatDiagnostic(Diagnostic &diag) {
  std::string file, node;
  diag.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && node.empty())
      node = name.getName().str();
    if (auto flc = dyn_cast<FileLineColLoc>(loc); flc && file.empty())
      file = flc.getFilename().str();
    return WalkResult::advance();
  });
  std::string message = diag.str();
  // Verifier messages read "'graph.MatMul' op <reason>": show the ONNX op type the way importer messages do.
  StringRef m(message);
  if (m.consume_front("'graph.")) {
    auto [op, rest] = m.split("' op ");
    message = "(" + op.str() + "): " + rest.str();
  }
  std::string out;
  if (!file.empty())
    out += file + ": ";
  if (!node.empty())
    out += "node '" + node + "' ";
  else if (!message.empty() && message.front() == '(')
    out += "node ";
  return out + message;
}

sinter::UserDiagnosticHandler::UserDiagnosticHandler(MLIRContext *ctx, std::string tool)
    : ScopedDiagnosticHandler(ctx, [tool](Diagnostic &diag) {
        const char *severity = diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
                               : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                               : diag.getSeverity() == DiagnosticSeverity::Note    ? "note"
                                                                                   : "remark";
        llvm::errs() << tool << ": " << severity << ": " << formatDiagnostic(diag) << "\n";
        return success();
      }) {}

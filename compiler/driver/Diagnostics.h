//===- Diagnostics.h - one-line error messages for users ------------------------------------------------===//
#ifndef SINTER_COMPILER_DRIVER_DIAGNOSTICS_H
#define SINTER_COMPILER_DRIVER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

#include <string>

namespace sinter {

/// Renders a diagnostic as "<file>: node '<name>' (<OpType>): <reason>" when it is located at an ONNX node
/// (a NameLoc around the file's location), "<file>: <reason>" when located only at the file.
std::string formatDiagnostic(mlir::Diagnostic &diag);

/// Prints every diagnostic on stderr as "<tool>: error: <formatted>" (or warning/note/remark).
class UserDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  UserDiagnosticHandler(mlir::MLIRContext *ctx, std::string tool);
};

} // namespace sinter

#endif // SINTER_COMPILER_DRIVER_DIAGNOSTICS_H

//===- OnnxImporter.h - ONNX model -> graph dialect -----------------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXIMPORTER_H
#define SINTER_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "frontends/onnx/OnnxModelLoader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace sinter::onnx_frontend {

/// Loads the model at `path` (see loadOnnxModel) and imports it into a module holding `func.func @main`
/// with one graph-dialect op per ONNX node, verified. Graph inputs and outputs keep their ONNX names in the
/// `graph.name` argument/result attributes; every op's location is the ONNX node name inside the file.
/// Problems are reported as error diagnostics on `context` (located at the node) and yield null.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context, const std::string &path,
                                                 const LoadOptions &options);

/// Registers the dialects that imported modules use.
void registerImportDialects(mlir::DialectRegistry &registry);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXIMPORTER_H

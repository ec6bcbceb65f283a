//===- OnnxConstantFolding.h - fold shape-computing ONNX subgraphs -------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXCONSTANTFOLDING_H
#define SINTER_FRONTENDS_ONNX_ONNXCONSTANTFOLDING_H

#include "onnx/onnx_pb.h"

namespace sinter::onnx_frontend {

/// Largest result (in elements) the folder materializes: it folds shape math, never weights.
constexpr long long kMaxFoldedElements = 65536;

/// Evaluates, in the main graph of `model` (default-domain ops, opset 13+ semantics, run after conversion
/// to opset 17), every node whose inputs are all known constants and replaces it by initializers holding
/// its outputs. Known constants are initializers that are not graph inputs, `Constant` node outputs (the
/// Constant nodes become initializers too) and values folded earlier. `Shape` and `Size` also fold when
/// their input has a fully static type (graph input, value_info or graph output). Nodes producing a graph
/// output, results over kMaxFoldedElements elements, unsupported ops/dtypes and malformed nodes are left
/// alone. Folded outputs lose their value_info entries. Returns the number of nodes removed; never throws.
/// Meant to alternate with ONNX shape inference until it returns 0.
int foldShapeConstants(onnx::ModelProto &model);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXCONSTANTFOLDING_H

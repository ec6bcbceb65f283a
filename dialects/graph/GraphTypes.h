//===- GraphTypes.h - ONNX element types <-> MLIR element types -----------------------------------------===//
#ifndef SINTER_DIALECTS_GRAPH_GRAPHTYPES_H
#define SINTER_DIALECTS_GRAPH_GRAPHTYPES_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Types.h"

#include <cstdint>
#include <optional>

namespace sinter::graph {

/// The MLIR element type for an ONNX TensorProto::DataType value, or null for types the dialect cannot hold
/// (string, undefined, float8 and unknown values). Signed integers are signless, unsigned ones unsigned,
/// bool is i1, complex64/128 are complex<f32>/complex<f64>.
mlir::Type elementTypeForOnnx(mlir::MLIRContext *context, int64_t onnxDataType);

/// The inverse of elementTypeForOnnx.
std::optional<int64_t> onnxDataTypeFor(mlir::Type elementType);

/// The ONNX name of a TensorProto::DataType value ("FLOAT", "STRING", ...), for messages.
const char *onnxDataTypeName(int64_t onnxDataType);

} // namespace sinter::graph

#endif // SINTER_DIALECTS_GRAPH_GRAPHTYPES_H

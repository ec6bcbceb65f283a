//===- GraphOps.h - graph dialect -----------------------------------------------------------------------===//
#ifndef SINTER_DIALECTS_GRAPH_GRAPHOPS_H
#define SINTER_DIALECTS_GRAPH_GRAPHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <initializer_list>

namespace sinter::graph {
/// True when every non-`none` value in the groups has the same element type (ONNX type-parameter binding).
bool haveSameElementType(std::initializer_list<mlir::ValueRange> groups);
} // namespace sinter::graph

#include "dialects/graph/GraphDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/graph/GraphOps.h.inc"

#endif // SINTER_DIALECTS_GRAPH_GRAPHOPS_H

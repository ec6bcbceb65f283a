//===- LoweringUtils.h - helpers shared by the graph -> linalg patterns --------------------------------===//
#ifndef SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H
#define SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace sinter {

/// The op's result type if it is a ranked tensor with a static shape, else null.
mlir::RankedTensorType staticResultType(mlir::Operation *op, unsigned index = 0);

/// The indexing map that reads `operand` (of a static ranked type) inside a loop nest over `resultShape`
/// under Numpy broadcasting: dimensions align to the right; size-1 dimensions that broadcast read index 0.
mlir::AffineMap broadcastIndexingMap(mlir::MLIRContext *ctx, mlir::ShapedType operand,
                                     llvm::ArrayRef<int64_t> resultShape);

/// The values of a constant integer tensor operand (graph.constant or arith.constant), if it is one.
std::optional<llvm::SmallVector<int64_t>> constantIntValues(mlir::Value value);

/// The scalar value of a constant single-element floating-point tensor, if it is one.
std::optional<double> constantFloatValue(mlir::Value value);

/// tensor.empty of the given static type.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);

/// A tensor of `type` filled with `value` (linalg.fill).
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type, mlir::Value value);

/// An arith constant of `elementType` holding `value` (float or integer as the type requires).
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elementType, double value);

/// Normalizes an ONNX axis (negative counts from the end).
inline int64_t normalizeAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// All-parallel iterator types.
llvm::SmallVector<mlir::utils::IteratorType> parallelIterators(int64_t rank);

} // namespace sinter

#endif // SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H

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

/// The single element of a one-element tensor (any rank), read with tensor.extract.
mlir::Value scalarOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor);

/// tensor.empty of the given static type.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);

/// A tensor of `type` filled with `value` (linalg.fill).
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type, mlir::Value value);

/// An arith constant of `elementType` holding `value` (float or integer as the type requires).
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elementType, double value);

/// Normalizes an ONNX axis (negative counts from the end).
inline int64_t normalizeAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// The value's type if it is a ranked tensor with a static shape, else null.
mlir::RankedTensorType staticType(mlir::Value v);

/// Integers as index-typed OpFoldResults (offsets, sizes, strides of tensor ops).
llvm::SmallVector<mlir::OpFoldResult> indexAttrs(mlir::MLIRContext *ctx, llvm::ArrayRef<int64_t> values);

/// An identity map over `rank` loops.
mlir::AffineMap identityMap(mlir::MLIRContext *ctx, int64_t rank);

/// The loops-to-reduced-shape map: the identity on the kept dimensions, the reduced ones dropped.
mlir::AffineMap reducedMap(mlir::MLIRContext *ctx, llvm::ArrayRef<bool> reduced);

/// `input`'s shape without the reduced dimensions, with element type `element`.
mlir::RankedTensorType reducedType(mlir::RankedTensorType input, llvm::ArrayRef<bool> reduced, mlir::Type element);

using ReductionBodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value x,
                                                       mlir::ValueRange extras, mlir::Value acc)>;

/// Folds `input` over the dimensions marked in `reduced` into a tensor without them, starting from `init`.
/// `extras` (in the reduced shape) are passed to the body alongside each element.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input, llvm::ArrayRef<bool> reduced,
                           mlir::Value init, mlir::ValueRange extras, ReductionBodyFn body);

/// An elementwise linalg.generic over `value` (same shape, element type `element`).
mlir::Value mapElements(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value, mlir::Type element,
                        llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value)> fn);

/// Re-inserts the reduced dimensions (size 1) of a reduction result, or returns it if the types match.
mlir::Value expandReduced(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value, llvm::ArrayRef<bool> reduced,
                          mlir::RankedTensorType keptType);

/// All-parallel iterator types.
llvm::SmallVector<mlir::utils::IteratorType> parallelIterators(int64_t rank);

} // namespace sinter

#endif // SINTER_COMPILER_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H

//===- BoundedResult.h - results whose shape depends on input values ------------------------------------===//
//
// NonZero, Compress, Unique and NonMaxSuppression have result shapes that depend on input values. Each has a
// static upper bound (the "bound shape"). convert-graph-to-linalg lowers such a result to two static tensors:
//   data: 1-D, the bound's element count, holding the result written compactly, row-major in its ACTUAL
//         shape (e.g. NonZero's [rank][nnz] with stride nnz); elements past the actual size are unspecified;
//   dims: tensor<rank x i64>, the actual shape;
// joined by one `builtin.unrealized_conversion_cast %data, %dims` to the op's result type, carrying
// kBoundedShapeAttr (the signature shape: -1 where the extent depends on values) and kBoundShapeAttr.
// Such a result may only be returned by the entry function: exposeBoundedResults (compiler/program) then
// returns `data` in its place and `dims` as an extra result, which formProgram places in the arena at an
// offset that the module records for the runtime (runtime/schema/sinter_module.fbs, TensorSignature).
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_CONVERSION_BOUNDEDRESULT_H
#define SINTER_COMPILER_CONVERSION_BOUNDEDRESULT_H

namespace sinter {

/// On the joining cast: the signature shape, -1 in the dynamic places (DenseI64ArrayAttr).
inline constexpr const char kBoundedShapeAttr[] = "sinter.bounded_shape";
/// On the joining cast: the bound shape, which sizes the output buffer (DenseI64ArrayAttr).
inline constexpr const char kBoundShapeAttr[] = "sinter.bound_shape";

} // namespace sinter

#endif // SINTER_COMPILER_CONVERSION_BOUNDEDRESULT_H

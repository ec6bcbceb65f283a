//===- ConstantFloats.h - the f32 values of a constant weight -------------------------------------------===//
//
// Weights arrive as dense_resource blobs (above 64 elements, read in place) or small dense attributes;
// the rewrites that re-lay them out at compile time (sinter-pack-weights, sinter-conv-to-im2col's W^T)
// read both the same way.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TRANSFORMS_CONSTANTFLOATS_H
#define SINTER_COMPILER_TRANSFORMS_CONSTANTFLOATS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/SmallVector.h"

namespace sinter {

/// The f32 values of a constant's attribute, dense or dense_resource (`storage` holds them when they must be
/// copied out); empty if it has none or is not f32.
inline llvm::ArrayRef<float> constantFloats(mlir::Attribute value, llvm::SmallVectorImpl<float> &storage) {
  if (auto resource = mlir::dyn_cast<mlir::DenseF32ResourceElementsAttr>(value)) {
    std::optional<llvm::ArrayRef<float>> data = resource.tryGetAsArrayRef();
    return data ? *data : llvm::ArrayRef<float>();
  }
  if (auto dense = mlir::dyn_cast<mlir::DenseElementsAttr>(value); dense && dense.getElementType().isF32()) {
    storage.assign(dense.getValues<float>().begin(), dense.getValues<float>().end());
    return storage;
  }
  return {};
}

} // namespace sinter

#endif // SINTER_COMPILER_TRANSFORMS_CONSTANTFLOATS_H

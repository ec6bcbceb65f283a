//===- PackedWeightLayout.h - the panel layout of packed constant weights -------------------------------===//
//
// Written by sinter-pack-weights, read by the CPU target's ukernel lowering: B[k, n] stored as
// P[n floordiv W, k, n mod W] (panels of W columns, each K rows of W contiguous values, zero-padded).
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_TRANSFORMS_PACKEDWEIGHTLAYOUT_H
#define SINTER_COMPILER_TRANSFORMS_PACKEDWEIGHTLAYOUT_H

#include "mlir/IR/AffineMap.h"

#include <optional>

namespace sinter {

struct PackedWeightDims {
  unsigned n, k, width;
};

/// The indexing map (d0 .. d{numDims-1}) -> (d_n floordiv W, d_k, d_n mod W).
inline mlir::AffineMap packedWeightMap(unsigned numDims, PackedWeightDims dims, mlir::MLIRContext *context) {
  mlir::AffineExpr n = mlir::getAffineDimExpr(dims.n, context), k = mlir::getAffineDimExpr(dims.k, context);
  return mlir::AffineMap::get(numDims, 0, {n.floorDiv(dims.width), k, n % dims.width}, context);
}

/// Recognizes packedWeightMap's form.
inline std::optional<PackedWeightDims> matchPackedWeightMap(mlir::AffineMap map) {
  if (map.getNumResults() != 3 || map.getNumSymbols() != 0)
    return std::nullopt;
  auto div = mlir::dyn_cast<mlir::AffineBinaryOpExpr>(map.getResult(0));
  auto k = mlir::dyn_cast<mlir::AffineDimExpr>(map.getResult(1));
  auto mod = mlir::dyn_cast<mlir::AffineBinaryOpExpr>(map.getResult(2));
  if (!div || !k || !mod || div.getKind() != mlir::AffineExprKind::FloorDiv || mod.getKind() != mlir::AffineExprKind::Mod)
    return std::nullopt;
  auto n = mlir::dyn_cast<mlir::AffineDimExpr>(div.getLHS());
  auto width = mlir::dyn_cast<mlir::AffineConstantExpr>(div.getRHS());
  if (!n || !width || width.getValue() <= 0 || mod.getLHS() != div.getLHS() || mod.getRHS() != div.getRHS() ||
      n.getPosition() == k.getPosition())
    return std::nullopt;
  return PackedWeightDims{n.getPosition(), k.getPosition(), static_cast<unsigned>(width.getValue())};
}

} // namespace sinter

#endif // SINTER_COMPILER_TRANSFORMS_PACKEDWEIGHTLAYOUT_H

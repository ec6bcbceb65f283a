//===- SinterOps.cpp - sinter dialect ops: verifiers ----------------------------------------------------===//
#include "dialects/sinter/SinterDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;

namespace sinter {

LogicalResult QuantizedMatMulOp::verify() {
  int64_t bits = getBits(), group = getGroupSize();
  if (bits != 2 && bits != 3 && bits != 4 && bits != 8)
    return emitOpError("bits must be 2, 3, 4 or 8, got ") << bits;
  if (group <= 0)
    return emitOpError("group_size must be positive, got ") << group;
  RankedTensorType input = getInput().getType(), packed = getPacked().getType(), scales = getScales().getType();
  RankedTensorType output = getOutput().getType();
  if (input.getRank() < 1 || !input.hasStaticShape())
    return emitOpError("input must have a static shape of rank >= 1");
  if (packed.getRank() != 2 || !packed.hasStaticShape())
    return emitOpError("packed weight must be a static 2-D tensor [N][ceil(K/8)*bits]");
  int64_t k = getK(), n = getN(), groups = (k + group - 1) / group;
  if (packed.getDimSize(1) != (k + 7) / 8 * bits)
    return emitOpError("packed weight has ") << packed.getDimSize(1) << " bytes per column, K=" << k << " at "
                                              << bits << " bits needs " << (k + 7) / 8 * bits;
  if (scales.getShape() != ArrayRef<int64_t>{n, groups})
    return emitOpError("scales must be [N][ceil(K/group_size)] = [") << n << "][" << groups << "]";
  if (getBlocked() && (bits != 3 || k % 256 != 0))
    return emitOpError("the blocked layout needs 3-bit codes and K a multiple of 256, got ")
           << bits << " bits and K=" << k;
  if (getSymmetric() == bool(getZeros()))
    return emitOpError("zero points must be present exactly when the op is not symmetric");
  if (getZeros() && getZeros().getType().getShape() != scales.getShape())
    return emitOpError("zero points must have the shape of the scales");
  if (bool(getOutlierRows()) != bool(getOutlierValues()))
    return emitOpError("outlier rows and values come together");
  if (getOutlierRows()) {
    RankedTensorType rows = getOutlierRows().getType(), values = getOutlierValues().getType();
    if (rows.getRank() != 2 || rows.getDimSize(0) != n || rows.getShape() != values.getShape())
      return emitOpError("outlier rows and values must both be [N][R] with N=") << n;
  }
  SmallVector<int64_t> expected(input.getShape());
  expected.back() = n;
  if (output.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result must be the input shape with its last dimension replaced by N=") << n;
  return success();
}

} // namespace sinter

#define GET_OP_CLASSES
#include "dialects/sinter/SinterOps.cpp.inc"

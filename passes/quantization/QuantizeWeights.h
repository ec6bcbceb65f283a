//===- QuantizeWeights.h - the sinter-quantize-weights pass with calibration statistics ----------------===//
#ifndef SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H
#define SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H

#include "compiler/quantization/Calibration.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <memory>
#include <string>
#include <vector>

namespace sinter {

/// The pass with per-layer Gram matrices measured by the driver (keyed by ONNX node name); a null
/// `calibration` is the data-free mode that sinter-opt gets.
std::unique_ptr<mlir::Pass> createQuantizeWeightsPass(const SinterQuantizeWeightsOptions &options,
                                                      std::shared_ptr<const quant::CalibrationData> calibration);

/// The ONNX node name an op came from (its NameLoc), or "" when it has none.
std::string nodeName(mlir::Location loc);

/// A graph.constant holding `bytes` as a tensor of `type` (a dense_resource blob: never printed as text).
mlir::Value blobConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type, llvm::StringRef name,
                         llvm::ArrayRef<char> bytes);

template <typename T>
llvm::ArrayRef<char> asBytes(const std::vector<T> &v) {
  return llvm::ArrayRef<char>(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

} // namespace sinter

#endif // SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H

//===- QuantizeWeights.h - the sinter-quantize-weights pass with calibration statistics ----------------===//
#ifndef SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H
#define SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H

#include "compiler/quantization/Calibration.h"
#include "passes/Passes.h"

#include <memory>

namespace sinter {

/// The pass with per-layer Gram matrices measured by the driver (keyed by ONNX node name); a null
/// `calibration` is the data-free mode that sinter-opt gets.
std::unique_ptr<mlir::Pass> createQuantizeWeightsPass(const SinterQuantizeWeightsOptions &options,
                                                      std::shared_ptr<const quant::CalibrationData> calibration);

/// The ONNX node name an op came from (its NameLoc), or "" when it has none.
std::string nodeName(mlir::Location loc);

} // namespace sinter

#endif // SINTER_PASSES_QUANTIZATION_QUANTIZEWEIGHTS_H

//===- Quantization.h - weight quantization in the pipeline, with calibration runs ---------------------===//
#ifndef SINTER_COMPILER_DRIVER_QUANTIZATION_H
#define SINTER_COMPILER_DRIVER_QUANTIZATION_H

#include "compiler/driver/Compile.h"
#include "compiler/quantization/Calibration.h"

#include <memory>

namespace sinter {

/// Runs sinter-quantize-weights on the graph-level `module` with `options.quantization`; with a calibration
/// directory, first measures each layer's inputs (see collectCalibration).
mlir::LogicalResult quantizeWeights(mlir::ModuleOp module, const CompileOptions &options);

/// Compiles a copy of the fp32 graph module whose outputs also return every MatMul/Gemm input, runs it
/// in-process through the runtime's C API on each sample of `directory` (one subfolder per sample, one
/// NAME.npy per model input), and accumulates each layer's Gram matrix X^T X keyed by ONNX node name.
mlir::FailureOr<std::shared_ptr<quant::CalibrationData>> collectCalibration(mlir::ModuleOp module,
                                                                            const std::string &directory,
                                                                            const CpuTargetOptions &cpu);

} // namespace sinter

#endif // SINTER_COMPILER_DRIVER_QUANTIZATION_H

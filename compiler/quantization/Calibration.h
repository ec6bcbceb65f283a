//===- Calibration.h - per-layer input statistics from calibration runs --------------------------------===//
//
// What the quantizers need from calibration data: for each layer (keyed by its ONNX node name) the Gram
// matrix G = X^T X of its inputs over every calibration sample and row, K x K row-major.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_CALIBRATION_H
#define SINTER_COMPILER_QUANTIZATION_CALIBRATION_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sinter::quant {

struct CalibrationData {
  std::string source; // e.g. "calib/ (4 sets)"
  std::map<std::string, std::vector<double>> grams;
  std::map<std::string, int64_t> rows; // activation rows seen per layer
};

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_CALIBRATION_H

//===- Report.h - what weight quantization did, per layer (JSON and a text table) -----------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_REPORT_H
#define SINTER_COMPILER_QUANTIZATION_REPORT_H

#include <cstdint>
#include <string>
#include <vector>

namespace sinter::quant {

struct LayerReport {
  std::string name; // ONNX node name
  std::string op;   // MatMul or Gemm
  int64_t k = 0, n = 0;
  int bits = 0;
  int64_t groupSize = 0;
  bool symmetric = true;
  std::string scaleType;
  int64_t outliers = 0; // total kept entries (N * per column)
  int64_t bytes = 0;    // codes + scales + zeros + outliers
  double relativeError = 0;
  bool calibrated = false; // false: no calibration statistics for this layer, the error is the weight error
  int64_t fp32Bytes() const { return k * n * 4; }
};

struct QuantizationReport {
  std::string method;      // rtn | gptq
  std::string calibration; // the directory and sample count, or the data-free note
  std::string budget;      // empty: uniform width
  int64_t budgetBytes = 0;
  std::vector<LayerReport> layers;

  int64_t bytes() const;
  int64_t fp32Bytes() const;
  std::string toJson() const;
  std::string toTable() const;
};

/// A --weight-budget value: average bits per weight ("3.25") or a size with a unit (B, KB, MB, GB: powers
/// of 1000; KiB, MiB, GiB: of 1024).
struct WeightBudget {
  bool isAverageBits = true;
  double averageBits = 0;
  int64_t bytes = 0;
  /// The budget in bytes for `weights` eligible weights.
  int64_t bytesFor(int64_t weights) const;
};
bool parseWeightBudget(const std::string &text, WeightBudget &budget, std::string &error);

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_REPORT_H

//===- OnnxMatMulNBits.h - com.microsoft MatMulNBits -> Sinter's packed weight format ------------------===//
//
// ONNX Runtime's MatMulNBits stores B as uint8 [N][k_blocks][blob_size], blob_size = block_size * bits / 8,
// codes packed low bits first within each block, with per-block scales [N][k_blocks] and optional zero points
// (packed uint8 [N][ceil(k_blocks * bits / 8)] in the same bit order, or unpacked floats [N][k_blocks];
// absent: 2^(bits-1)). Sinter's format (docs/QUANTIZATION.md) is also N-major and low bits first, one group
// per block: for 2/4/8 bits and K a multiple of block_size the code bytes are identical. This converts any
// supported case (a short last block included) by decoding every code and packing it again. No MLIR here.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_FRONTENDS_ONNX_ONNXMATMULNBITS_H
#define SINTER_FRONTENDS_ONNX_ONNXMATMULNBITS_H

#include "compiler/quantization/WeightFormat.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sinter::onnx_frontend {

struct MatMulNBitsWeights {
  int64_t k = 0, n = 0, bits = 4, blockSize = 0;
  const uint8_t *b = nullptr;            // [N][k_blocks][blob_size]
  int64_t bElements = 0;
  const float *scales = nullptr;         // [N][k_blocks]
  int64_t scaleElements = 0;
  const uint8_t *packedZeros = nullptr;  // uint8 zero points, or null
  int64_t packedZeroElements = 0;
  const float *floatZeros = nullptr;     // float zero points, or null
  int64_t floatZeroElements = 0;
};

struct SinterWeights {
  int64_t bits = 0, groupSize = 0;
  bool symmetric = true;
  std::vector<uint8_t> packed;  // [N][ceil(K/8) * bits]
  std::vector<float> scales;    // [N][k_blocks]
  std::vector<uint8_t> zeros;   // [N][k_blocks], empty when symmetric
};

/// Converts, or returns std::nullopt with `reason` (which input or attribute, and why).
std::optional<SinterWeights> convertMatMulNBits(const MatMulNBitsWeights &in, std::string &reason);

} // namespace sinter::onnx_frontend

#endif // SINTER_FRONTENDS_ONNX_ONNXMATMULNBITS_H

//===- OnnxMatMulNBits.cpp - com.microsoft MatMulNBits -> Sinter's packed weight format ----------------===//
#include "frontends/onnx/OnnxMatMulNBits.h"

#include <cmath>

namespace sinter::onnx_frontend {

std::optional<SinterWeights> convertMatMulNBits(const MatMulNBitsWeights &in, std::string &reason) {
  const int64_t k = in.k, n = in.n, bits = in.bits, block = in.blockSize;
  if (k <= 0 || n <= 0) {
    reason = "attributes K and N must be positive (K = " + std::to_string(k) + ", N = " + std::to_string(n) + ")";
    return std::nullopt;
  }
  // The spec allows 2 to 8 bits; it defines the packing only as "low bits first", which is unambiguous for
  // widths that divide 8. Sinter's kernels take 2, 3, 4 and 8; 3 would need ORT's cross-byte convention.
  if (bits != 2 && bits != 4 && bits != 8) {
    reason = "bits = " + std::to_string(bits) + " is not supported (Sinter imports 2, 4 and 8 bits)";
    return std::nullopt;
  }
  if (block < 16 || (block & (block - 1)) != 0) {
    reason = "block_size = " + std::to_string(block) + " must be a power of 2 and at least 16";
    return std::nullopt;
  }
  const int64_t blocks = (k + block - 1) / block, blob = block * bits / 8;
  if (in.bElements != n * blocks * blob) {
    reason = "input B has " + std::to_string(in.bElements) + " bytes; N x ceil(K/block_size) x block_size*bits/8 = " +
             std::to_string(n) + " x " + std::to_string(blocks) + " x " + std::to_string(blob) + " needs " +
             std::to_string(n * blocks * blob);
    return std::nullopt;
  }
  if (in.scaleElements != n * blocks) {
    reason = "input scales has " + std::to_string(in.scaleElements) + " elements; N x ceil(K/block_size) = " +
             std::to_string(n * blocks);
    return std::nullopt;
  }

  SinterWeights out;
  out.bits = bits;
  out.groupSize = block;
  out.scales.assign(in.scales, in.scales + n * blocks);

  // Zero points: per column, k_blocks codes packed like B (one byte string of ceil(k_blocks*bits/8) bytes).
  const int64_t defaultZero = int64_t(1) << (bits - 1);
  std::vector<uint8_t> zeros;
  if (in.packedZeros) {
    const int64_t rowBytes = (blocks * bits + 7) / 8;
    if (in.packedZeroElements != n * rowBytes) {
      reason = "input zero_points (uint8) has " + std::to_string(in.packedZeroElements) +
               " bytes; packed it needs N x ceil(k_blocks*bits/8) = " + std::to_string(n * rowBytes);
      return std::nullopt;
    }
    zeros.resize(n * blocks);
    for (int64_t c = 0; c < n; ++c)
      for (int64_t g = 0; g < blocks; ++g) {
        int64_t bit = g * bits;
        zeros[c * blocks + g] = uint8_t((in.packedZeros[c * rowBytes + bit / 8] >> (bit % 8)) & ((1 << bits) - 1));
      }
  } else if (in.floatZeros) {
    if (in.floatZeroElements != n * blocks) {
      reason = "input zero_points (float) has " + std::to_string(in.floatZeroElements) +
               " elements; N x ceil(K/block_size) = " + std::to_string(n * blocks);
      return std::nullopt;
    }
    zeros.resize(n * blocks);
    for (int64_t i = 0; i < n * blocks; ++i) {
      float z = in.floatZeros[i];
      // Sinter stores integer zero points; a fractional one would change the dequantized values.
      if (!(z >= 0 && z <= float((1 << bits) - 1)) || std::nearbyint(z) != z) {
        reason = "float zero point " + std::to_string(z) + " (column " + std::to_string(i / blocks) + ", block " +
                 std::to_string(i % blocks) + ") is not an integer in [0, " + std::to_string((1 << bits) - 1) +
                 "]; only integral float zero points are supported";
        return std::nullopt;
      }
      zeros[i] = uint8_t(z);
    }
  }
  out.symmetric = true;
  for (uint8_t z : zeros)
    out.symmetric &= z == defaultZero;
  if (!out.symmetric)
    out.zeros = std::move(zeros);

  // Codes: block g of column c is the blob at (c * blocks + g) * blob; code j of it at bits [j*bits, +bits).
  // Codes past K in the last block are dropped (Sinter pads with zero codes).
  std::vector<uint8_t> codes(n * k);
  for (int64_t c = 0; c < n; ++c) {
    const uint8_t *column = in.b + c * blocks * blob;
    for (int64_t i = 0; i < k; ++i)
      codes[c * k + i] = quant::readCode(column + (i / block) * blob, i % block, int(bits));
  }
  out.packed = quant::packCodes(codes, n, k, int(bits));
  return out;
}

} // namespace sinter::onnx_frontend

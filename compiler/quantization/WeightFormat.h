//===- WeightFormat.h - group-wise quantized weights: the bit-exact packing -----------------------------===//
//
// A weight W[K][N] used as y = x[., K] . W is stored per output column n (N-major: column n's K codes are
// contiguous, so a GEMV reads each column as one stream). Along K the column is cut into groups of G
// (the last one may be shorter); each group has one scale (fp32 or fp16) and, when asymmetric, one zero
// point. Codes are unsigned b-bit integers, b in {2, 3, 4, 8}, packed little-endian: code k of column n
// occupies bits [k*b, k*b + b) of the column's byte string, bit i being bit (i mod 8) of byte (i div 8).
// Every 8 codes fill exactly b bytes, so a column takes rowBytes = ceil(K/8)*b bytes (padding codes are 0).
// Dequantized value: w = scale * (code - zero), zero = 2^(b-1) when symmetric.
// Outliers (optional) are an ELL side matrix: every column keeps the same number R of (row, fp16 value)
// pairs, rows ascending; the effective weight is the dequantized weight plus the outlier values (the
// quantized part holds the residual W - outliers). docs/QUANTIZATION.md is the normative description.
//
// No MLIR here: the compiler passes, the unit tests and future kernels share this one definition.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_WEIGHTFORMAT_H
#define SINTER_COMPILER_QUANTIZATION_WEIGHTFORMAT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sinter::quant {

/// IEEE binary16 <-> binary32, round to nearest even (the conversion every fp16 scale and outlier uses).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);

enum class ScaleType { F32, F16 };

struct WeightFormat {
  int bits = 4;            // 2, 3, 4 or 8
  int64_t groupSize = 128; // codes per scale along K
  bool symmetric = true;
  ScaleType scaleType = ScaleType::F16;

  /// Empty when valid, else why not.
  std::string validate() const;
  int64_t maxCode() const { return (int64_t(1) << bits) - 1; }
  int64_t symmetricZero() const { return int64_t(1) << (bits - 1); }
  int64_t scaleBytes() const { return scaleType == ScaleType::F16 ? 2 : 4; }
};

/// Number of groups along K and bytes per packed column.
int64_t groupCount(int64_t k, int64_t groupSize);
int64_t packedRowBytes(int64_t k, int bits);

/// Packs codes[n][k] (row-major [N][K], each < 2^bits) into [N][packedRowBytes(K, bits)] bytes.
std::vector<uint8_t> packCodes(const std::vector<uint8_t> &codes, int64_t n, int64_t k, int bits);
/// The inverse of packCodes.
std::vector<uint8_t> unpackCodes(const std::vector<uint8_t> &packed, int64_t n, int64_t k, int bits);
/// One code, read as the kernels and the linalg lowering do (two bytes at most).
inline uint8_t readCode(const uint8_t *column, int64_t k, int bits) {
  int64_t bit = k * bits, lo = bit >> 3, hi = (bit + bits - 1) >> 3;
  unsigned word = unsigned(column[lo]) | (unsigned(column[hi]) << 8);
  return uint8_t((word >> (bit & 7)) & ((1u << bits) - 1));
}

/// The ELL outlier side matrix: rows[n][r] (int32, ascending per column) and values[n][r] (fp16 bits).
struct OutlierMatrix {
  int64_t perColumn = 0;
  std::vector<int32_t> rows;
  std::vector<uint16_t> values;
  int64_t bytes() const { return int64_t(rows.size()) * 4 + int64_t(values.size()) * 2; }
};

struct QuantizedWeight {
  WeightFormat format;
  int64_t k = 0, n = 0;
  std::vector<uint8_t> packed; // [N][packedRowBytes(K, bits)]
  std::vector<float> scales;   // [N][groups], exactly the stored values (fp16-rounded when F16)
  std::vector<uint8_t> zeros;  // [N][groups], asymmetric only
  OutlierMatrix outliers;

  int64_t groups() const { return groupCount(k, format.groupSize); }
  /// Storage bytes: codes + scales + zero points + outliers.
  int64_t bytes() const;
  /// Scales in their stored encoding: fp32 bits or fp16 bits, [N][groups].
  std::vector<uint8_t> scaleBytes() const;
  /// Effective weight W'[K][N] (row-major) = dequantized codes + outliers.
  std::vector<float> dequantize() const;
};

/// Reference y[M][N] = x[M][K] . W' computed straight from the packed format (scalar, the oracle for kernels).
std::vector<float> referenceMatMul(const QuantizedWeight &w, const std::vector<float> &x, int64_t m);

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_WEIGHTFORMAT_H

//===- WeightFormat.cpp - group-wise quantized weights: the bit-exact packing ---------------------------===//
#include "compiler/quantization/WeightFormat.h"

#include <cassert>
#include <cstring>

namespace sinter::quant {

uint16_t floatToHalf(float value) {
  uint32_t f;
  std::memcpy(&f, &value, 4);
  uint32_t sign = (f >> 16) & 0x8000u;
  uint32_t abs = f & 0x7fffffffu;
  if (abs >= 0x7f800000u) // inf or nan (keep nan quiet and non-zero)
    return uint16_t(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u | ((abs >> 13) & 0x3ffu) : 0u));
  if (abs >= 0x477ff000u) // rounds to >= 65520: overflow to inf
    return uint16_t(sign | 0x7c00u);
  if (abs < 0x38800000u) { // below the smallest normal half (2^-14): subnormal or zero
    if (abs < 0x33000000u) // below half the smallest subnormal (2^-25): rounds to zero
      return uint16_t(sign);
    uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
    int shift = 113 - int(abs >> 23) + 13; // value = mantissa * 2^(e-150); subnormal unit is 2^-24
    uint32_t result = mantissa >> shift;
    uint32_t rest = mantissa & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rest > half || (rest == half && (result & 1u)))
      ++result;
    return uint16_t(sign | result);
  }
  uint32_t result = ((abs >> 13) - (112u << 10)); // rebias exponent 127 -> 15
  uint32_t rest = abs & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (result & 1u)))
    ++result; // may carry into the exponent, which is still correct (and reaches inf only above 65504)
  return uint16_t(sign | result);
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  uint32_t f;
  if (exponent == 0) {
    float v = float(mantissa) * (1.0f / 16777216.0f); // 2^-24 per unit, exact
    std::memcpy(&f, &v, 4);
    f |= sign;
  } else if (exponent == 31) {
    f = sign | 0x7f800000u | (mantissa << 13);
  } else {
    f = sign | ((exponent + 112u) << 23) | (mantissa << 13);
  }
  float out;
  std::memcpy(&out, &f, 4);
  return out;
}

std::string WeightFormat::validate() const {
  if (bits != 2 && bits != 3 && bits != 4 && bits != 8)
    return "bits must be 2, 3, 4 or 8 (got " + std::to_string(bits) + ")";
  if (groupSize <= 0)
    return "group size must be positive (got " + std::to_string(groupSize) + ")";
  return "";
}

int64_t groupCount(int64_t k, int64_t groupSize) { return (k + groupSize - 1) / groupSize; }
int64_t packedRowBytes(int64_t k, int bits) { return (k + 7) / 8 * bits; }

std::vector<uint8_t> packCodes(const std::vector<uint8_t> &codes, int64_t n, int64_t k, int bits) {
  assert(int64_t(codes.size()) == n * k);
  int64_t rowBytes = packedRowBytes(k, bits);
  std::vector<uint8_t> packed(n * rowBytes, 0);
  for (int64_t col = 0; col < n; ++col) {
    uint8_t *row = packed.data() + col * rowBytes;
    for (int64_t i = 0; i < k; ++i) {
      unsigned code = codes[col * k + i];
      assert(code < (1u << bits));
      int64_t bit = i * bits;
      unsigned word = code << (bit & 7); // at most 15 bits: spills into the next byte at most once
      row[bit >> 3] |= uint8_t(word);
      if (word >> 8)
        row[(bit >> 3) + 1] |= uint8_t(word >> 8);
    }
  }
  return packed;
}

std::vector<uint8_t> unpackCodes(const std::vector<uint8_t> &packed, int64_t n, int64_t k, int bits) {
  int64_t rowBytes = packedRowBytes(k, bits);
  assert(int64_t(packed.size()) == n * rowBytes);
  std::vector<uint8_t> codes(n * k);
  for (int64_t col = 0; col < n; ++col)
    for (int64_t i = 0; i < k; ++i)
      codes[col * k + i] = readCode(packed.data() + col * rowBytes, i, bits);
  return codes;
}

int64_t QuantizedWeight::bytes() const {
  return int64_t(packed.size()) + int64_t(scales.size()) * format.scaleBytes() + int64_t(zeros.size()) +
         outliers.bytes();
}

std::vector<uint8_t> QuantizedWeight::scaleBytes() const {
  std::vector<uint8_t> out(scales.size() * format.scaleBytes());
  for (size_t i = 0; i < scales.size(); ++i) {
    if (format.scaleType == ScaleType::F16) {
      uint16_t h = floatToHalf(scales[i]);
      std::memcpy(out.data() + 2 * i, &h, 2); // little-endian hosts only, as the whole module format
    } else {
      std::memcpy(out.data() + 4 * i, &scales[i], 4);
    }
  }
  return out;
}

std::vector<float> QuantizedWeight::dequantize() const {
  std::vector<float> w(k * n);
  int64_t rowBytes = packedRowBytes(k, format.bits), g = groups();
  for (int64_t col = 0; col < n; ++col) {
    const uint8_t *row = packed.data() + col * rowBytes;
    for (int64_t i = 0; i < k; ++i) {
      int64_t group = col * g + i / format.groupSize;
      float zero = format.symmetric ? float(format.symmetricZero()) : float(zeros[group]);
      w[i * n + col] = scales[group] * (float(readCode(row, i, format.bits)) - zero);
    }
    for (int64_t r = 0; r < outliers.perColumn; ++r) {
      int64_t at = col * outliers.perColumn + r;
      w[int64_t(outliers.rows[at]) * n + col] += halfToFloat(outliers.values[at]);
    }
  }
  return w;
}

std::vector<float> referenceMatMul(const QuantizedWeight &w, const std::vector<float> &x, int64_t m) {
  std::vector<float> y(m * w.n, 0.0f);
  int64_t rowBytes = packedRowBytes(w.k, w.format.bits), g = w.groups();
  for (int64_t col = 0; col < w.n; ++col) {
    const uint8_t *row = w.packed.data() + col * rowBytes;
    for (int64_t r = 0; r < m; ++r) {
      float acc = 0.0f;
      for (int64_t i = 0; i < w.k; ++i) {
        int64_t group = col * g + i / w.format.groupSize;
        float zero = w.format.symmetric ? float(w.format.symmetricZero()) : float(w.zeros[group]);
        acc += x[r * w.k + i] * (w.scales[group] * (float(readCode(row, i, w.format.bits)) - zero));
      }
      for (int64_t o = 0; o < w.outliers.perColumn; ++o) {
        int64_t at = col * w.outliers.perColumn + o;
        acc += x[r * w.k + w.outliers.rows[at]] * halfToFloat(w.outliers.values[at]);
      }
      y[r * w.n + col] = acc;
    }
  }
  return y;
}

} // namespace sinter::quant

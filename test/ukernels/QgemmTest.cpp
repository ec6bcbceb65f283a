//===- QgemmTest.cpp - the fused dequantize + matmul ukernel against compiler/quantization's reference ---===//
#include "qgemm_tiles.h"

#include "compiler/quantization/WeightFormat.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <tuple>
#include <vector>

extern "C" {
#define SINTER_DECLARE_QGEMM(name)                                                                           \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v4)
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v8)
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v16)
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v8_avx2)
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v16_avx2)
SINTER_DECLARE_QGEMM(sinter_uk_qgemm_v16_vnni)
}

namespace {

using sinter::quant::QuantizedWeight;
using sinter::quant::ScaleType;
using Qgemm = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);

/// A random quantized weight: every code value occurs, scales of both signs (fp16-exact when F16).
QuantizedWeight randomWeight(int64_t k, int64_t n, int bits, int64_t group, bool symmetric, ScaleType scaleType,
                             std::mt19937 &rng) {
  QuantizedWeight w;
  w.format = {bits, group, symmetric, scaleType};
  w.k = k;
  w.n = n;
  std::uniform_int_distribution<int> code(0, (1 << bits) - 1);
  std::vector<uint8_t> codes(n * k);
  for (uint8_t &c : codes)
    c = uint8_t(code(rng));
  w.packed = sinter::quant::packCodes(codes, n, k, bits);
  std::uniform_real_distribution<float> scale(-0.05f, 0.05f);
  w.scales.resize(n * w.groups());
  for (float &s : w.scales) {
    s = scale(rng);
    if (scaleType == ScaleType::F16)
      s = sinter::quant::halfToFloat(sinter::quant::floatToHalf(s));
  }
  if (!symmetric) {
    w.zeros.resize(n * w.groups());
    for (uint8_t &z : w.zeros)
      z = uint8_t(code(rng));
  }
  return w;
}

/// Adds `perColumn` outliers per column: distinct ascending rows, fp16 values in [-1, 1].
void addOutliers(QuantizedWeight &w, int64_t perColumn, std::mt19937 &rng) {
  w.outliers.perColumn = perColumn;
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<int32_t> all(w.k);
  for (int64_t c = 0; c < w.n; ++c) {
    std::iota(all.begin(), all.end(), 0);
    std::shuffle(all.begin(), all.end(), rng);
    std::sort(all.begin(), all.begin() + perColumn);
    for (int64_t r = 0; r < perColumn; ++r) {
      w.outliers.rows.push_back(all[r]);
      w.outliers.values.push_back(sinter::quant::floatToHalf(value(rng)));
    }
  }
}

/// A build of the kernel: its vector width, whether it has the M == 1 int16 path (AVX2 builds) and whether
/// that path uses AVX-512 VNNI.
struct Variant {
  const char *name;
  Qgemm kernel;
  bool int16;
  bool vnni = false;
};
const Variant kVariants[] = {{"v4", sinter_uk_qgemm_v4, false},
                             {"v8", sinter_uk_qgemm_v8, false},
                             {"v16", sinter_uk_qgemm_v16, false},
                             {"v8_avx2", sinter_uk_qgemm_v8_avx2, true},
                             {"v16_avx2", sinter_uk_qgemm_v16_avx2, true},
                             {"v16_vnni", sinter_uk_qgemm_v16_vnni, true, true}};

/// Whether this CPU can run `variant`.
bool runnable(const Variant &variant) {
  if (variant.vnni)
    return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vbmi");
  return !variant.int16 || __builtin_cpu_supports("avx2");
}

/// Bound on what the int GEMV path's activation rounding may add to y[n]: each x_k is rounded to a multiple
/// of max|x_g| / xmax of its group g (xmax = 127 with int8 activations), an error of at most half of that, times
/// |W'[k][n]|.
double intActivationBound(const QuantizedWeight &w, const float *x, const std::vector<float> &dense, int64_t n,
                          bool int8) {
  int64_t group = w.format.groupSize;
  double xmax = int8 ? 127 : sinter_uk_qgemv_xmax(w.format.bits, group), bound = 0;
  for (int64_t g0 = 0; g0 < w.k; g0 += group) {
    double amax = 0, wsum = 0;
    for (int64_t k = g0; k < std::min(g0 + group, w.k); ++k) {
      amax = std::max(amax, double(std::fabs(x[k])));
      wsum += std::fabs(dense[k * w.n + n]);
    }
    bound += amax / (2 * xmax) * wsum;
  }
  return bound;
}

/// w's codes (3 bits, K a multiple of 256) in the blocked layout of qgemm_tiles.h.
std::vector<uint8_t> blockedCodes(const QuantizedWeight &w) {
  int64_t rowBytes = sinter::quant::packedRowBytes(w.k, 3);
  std::vector<uint8_t> blocked(w.packed.size());
  for (int64_t c = 0; c < w.n; ++c)
    sinter_uk_block3_column(w.packed.data() + c * rowBytes, blocked.data() + c * rowBytes, w.k);
  return blocked;
}

/// Runs every workgroup of a `count`-way split; C starts random (the kernel accumulates) and has padded rows.
/// `int8`: pass SINTER_UK_QGEMM_INT8_ACTIVATIONS (the int path then rounds x to int8 at 2 and 4 bits, and 3
/// bits blocked). `blocked`: pass w's codes in the blocked layout (SINTER_UK_QGEMM_BLOCKED3).
void check(const Variant &variant, const QuantizedWeight &w, int64_t m, int64_t count, bool int8, std::mt19937 &rng,
           bool blocked = false) {
  Qgemm kernel = variant.kernel;
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  int64_t xms = w.k + 5, cms = w.n + 3;
  std::vector<float> x(m * xms), dense(m * w.k), c(m * cms);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t l = 0; l < xms; ++l) {
      x[i * xms + l] = dist(rng);
      if (l < w.k)
        dense[i * w.k + l] = x[i * xms + l];
    }
  for (float &v : c)
    v = dist(rng);
  std::vector<float> before = c;
  std::vector<float> expected = sinter::quant::referenceMatMul(w, dense, m);
  std::vector<uint8_t> scales = w.scaleBytes(), packed = blocked ? blockedCodes(w) : w.packed;
  int64_t flags = (w.format.symmetric ? 0 : SINTER_UK_QGEMM_ASYMMETRIC) |
                  (w.format.scaleType == ScaleType::F16 ? SINTER_UK_QGEMM_F16_SCALES : 0) |
                  (int8 ? SINTER_UK_QGEMM_INT8_ACTIVATIONS : 0) | (blocked ? SINTER_UK_QGEMM_BLOCKED3 : 0);
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(x.data()), reinterpret_cast<int64_t>(packed.data()),
           reinterpret_cast<int64_t>(scales.data()), reinterpret_cast<int64_t>(w.zeros.data()),
           reinterpret_cast<int64_t>(w.outliers.rows.data()), reinterpret_cast<int64_t>(w.outliers.values.data()),
           reinterpret_cast<int64_t>(c.data()), m, w.n, w.k, xms, cms, sinter::quant::packedRowBytes(w.k, w.format.bits),
           w.outliers.perColumn, w.format.bits, w.format.groupSize, flags, id, count);
  // f32 sums of K terms each at most |x| * |scale| * 2^b: the bound grows with K; one wrong code moves a
  // result by |x_k * scale| (about 0.025 on average), far above it.
  float maxScale = 0;
  for (float s : w.scales)
    maxScale = std::max(maxScale, std::fabs(s));
  double tolerance = 2e-7 * double(w.k) * double(1 << w.format.bits) * maxScale + 1e-6;
  // The int paths (M == 1, and every row of blocked codes) also round x; their bound stays well under one
  // wrong code (|x_k * scale|).
  std::vector<float> weight = variant.int16 && (m == 1 || blocked) ? w.dequantize() : std::vector<float>();
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < w.n; ++j) {
      bool int8Path = int8 && (w.format.bits == 2 || w.format.bits == 4 || blocked);
      double bound =
          tolerance + (weight.empty() ? 0.0 : intActivationBound(w, x.data() + i * xms, weight, j, int8Path));
      ASSERT_NEAR(c[i * cms + j] - before[i * cms + j], expected[i * w.n + j], bound) << "row " << i << " col " << j;
    }
    for (int64_t j = w.n; j < cms; ++j) // padding between rows is not touched
      ASSERT_EQ(c[i * cms + j], before[i * cms + j]);
  }
}

class QgemmTest : public ::testing::TestWithParam<std::tuple<int, int, bool, ScaleType>> {};

TEST_P(QgemmTest, MatchesReferenceOnOddShapes) {
  auto [variantIndex, bits, symmetric, scaleType] = GetParam();
  const Variant &variant = kVariants[variantIndex];
  if (!runnable(variant))
    GTEST_SKIP() << variant.name << " needs a CPU feature this one lacks";
  struct Shape {
    int64_t m, n, k;
  };
  // M == 1 (GEMV) and M > 1 (dequantized panels), K not a multiple of 8 or of the group, N not a multiple of
  // 4 columns or of a panel, M past one row block (144).
  const Shape shapes[] = {{1, 1, 8}, {1, 67, 203}, {1, 130, 256}, {1, 5, 1000}, {2, 3, 17},
                          {5, 33, 77}, {13, 150, 300}, {150, 37, 261}};
  std::mt19937 rng(uint32_t(variantIndex * 1000 + bits * 10 + symmetric));
  // 16, 32 and 64 cover chunks of 2 or 4 groups in the int16 path; 12 is not a multiple of 8 (the per-code path).
  for (int64_t group : {16, 32, 64, 128, 12})
    for (const Shape &s : shapes) {
      QuantizedWeight w = randomWeight(s.k, s.n, bits, group, symmetric, scaleType, rng);
      if (s.n % 2 == 1) // odd widths carry an outlier side matrix (applied in the same call), even ones none
        addOutliers(w, std::min<int64_t>(3, s.k), rng);
      for (int64_t count : {int64_t(1), int64_t(3), sinter_uk_qgemm_units(s.m, s.n)}) {
        SCOPED_TRACE(::testing::Message() << "M " << s.m << " N " << s.n << " K " << s.k << " group " << group
                                          << " workgroups " << count);
        for (bool int8 : {false, true}) {
          check(variant, w, s.m, count, int8, rng);
          if (::testing::Test::HasFatalFailure())
            return;
        }
      }
    }
}

INSTANTIATE_TEST_SUITE_P(AllFormats, QgemmTest,
                         ::testing::Combine(::testing::Range(0, 6), ::testing::Values(2, 3, 4, 8),
                                            ::testing::Bool(), ::testing::Values(ScaleType::F32, ScaleType::F16)));

/// The blocked 3-bit layout holds the same codes: every code of random columns reads back, and the kernel (every
/// build; the AVX2 builds' blocked GEMV path for groups of 32, 64, 128 and multiples of 256, the per-code path
/// otherwise) matches the reference, M > 1 included (row by row).
TEST(QgemmBlocked3Test, MatchesReferenceOnBlockedCodes) {
  std::mt19937 rng(7);
  for (int64_t k : {256, 768}) {
    QuantizedWeight w = randomWeight(k, 3, 3, 128, true, ScaleType::F16, rng);
    std::vector<uint8_t> blocked = blockedCodes(w);
    int64_t rowBytes = sinter::quant::packedRowBytes(k, 3);
    for (int64_t c = 0; c < w.n; ++c)
      for (int64_t i = 0; i < k; ++i) {
        const uint8_t *column = w.packed.data() + c * rowBytes;
        uint32_t dense = ((column[3 * i / 8] | (column[(3 * i + 2) / 8] << 8)) >> (3 * i % 8)) & 7;
        ASSERT_EQ(sinter_uk_block3_code(blocked.data() + c * rowBytes + i / 256 * 96, i % 256), dense)
            << "K " << k << " col " << c << " code " << i;
      }
  }
  struct Shape {
    int64_t m, n, k;
  };
  const Shape shapes[] = {{1, 1, 256}, {1, 37, 768}, {1, 130, 512}, {3, 9, 256}};
  for (const Variant &variant : kVariants) {
    if (!runnable(variant))
      continue;
    // 96 and 12 do not fit the blocked path's lanes (per-code path); 512 does only where it divides K.
    for (int64_t group : {32, 64, 128, 256, 512, 96, 12})
      for (const Shape &s : shapes)
        for (bool symmetric : {true, false}) {
          QuantizedWeight w =
              randomWeight(s.k, s.n, 3, group, symmetric, symmetric ? ScaleType::F16 : ScaleType::F32, rng);
          if (s.n % 2 == 1)
            addOutliers(w, 3, rng);
          for (int64_t count : {int64_t(1), int64_t(3), sinter_uk_qgemm_units(s.m, s.n)})
            for (bool int8 : {false, true}) {
              SCOPED_TRACE(::testing::Message() << variant.name << " M " << s.m << " N " << s.n << " K " << s.k
                                                << " group " << group << (symmetric ? " symmetric" : " asymmetric")
                                                << " workgroups " << count << (int8 ? " int8" : ""));
              check(variant, w, s.m, count, int8, rng, /*blocked=*/true);
              if (::testing::Test::HasFatalFailure())
                return;
            }
        }
  }
}

/// With int8 activations, the AVX2 GEMV equals the exact product of the weight with x rounded the documented
/// way: per group, sx = max|x_g| / 127 and x -> round(x / sx) * sx (half away from zero). K is whole chunks
/// and groups, so every k takes the int path; what is left is float summation order, far below one code.
TEST(QgemmInt8Test, MatchesReferenceOnRoundedActivations) {
  if (!__builtin_cpu_supports("avx2"))
    GTEST_SKIP() << "needs AVX2";
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const Variant &variant : kVariants) {
    if (!variant.int16 || !runnable(variant))
      continue;
    for (int bits : {2, 3, 4})
      for (int64_t group : {16, 32, 64, 128})
        for (bool symmetric : {true, false}) {
          int64_t k = 1024, n = 37;
          if ((bits == 2 || bits == 3) && group == 16)
            continue; // the int path needs group >= 32 at 2 bits (4 groups per chunk of 128 codes) and 3 bits blocked
          QuantizedWeight w = randomWeight(k, n, bits, group, symmetric, ScaleType::F16, rng);
          addOutliers(w, 2, rng);
          std::vector<float> x(k), rounded(k), c(n, 0.0f);
          for (float &v : x)
            v = dist(rng);
          for (int64_t g0 = 0; g0 < k; g0 += group) {
            float amax = 0;
            for (int64_t i = g0; i < g0 + group; ++i)
              amax = std::max(amax, std::fabs(x[i]));
            float step = amax / 127.0f, inv = 127.0f / amax;
            for (int64_t i = g0; i < g0 + group; ++i)
              rounded[i] = std::round(x[i] * inv) * step; // std::round: half away from zero
          }
          // The outliers multiply the unrounded x (they are added in f32 after the codes).
          std::vector<float> expected = sinter::quant::referenceMatMul(w, rounded, 1);
          for (int64_t j = 0; j < n; ++j)
            for (int64_t r = 0; r < 2; ++r) {
              int64_t at = j * 2 + r, row = w.outliers.rows[at];
              expected[j] += (x[row] - rounded[row]) * sinter::quant::halfToFloat(w.outliers.values[at]);
            }
          // 3 bits: the int8 path reads the blocked layout.
          std::vector<uint8_t> scales = w.scaleBytes(), packed = bits == 3 ? blockedCodes(w) : w.packed;
          int64_t flags = SINTER_UK_QGEMM_F16_SCALES | SINTER_UK_QGEMM_INT8_ACTIVATIONS |
                          (symmetric ? 0 : SINTER_UK_QGEMM_ASYMMETRIC) | (bits == 3 ? SINTER_UK_QGEMM_BLOCKED3 : 0);
          for (int64_t id = 0; id < 3; ++id)
            variant.kernel(reinterpret_cast<int64_t>(x.data()), reinterpret_cast<int64_t>(packed.data()),
                           reinterpret_cast<int64_t>(scales.data()), reinterpret_cast<int64_t>(w.zeros.data()),
                           reinterpret_cast<int64_t>(w.outliers.rows.data()),
                           reinterpret_cast<int64_t>(w.outliers.values.data()), reinterpret_cast<int64_t>(c.data()), 1,
                           n, k, k, n, sinter::quant::packedRowBytes(k, bits), 2, bits, group, flags, id, 3);
          for (int64_t j = 0; j < n; ++j)
            ASSERT_NEAR(c[j], expected[j], 2e-4) << variant.name << " bits " << bits << " group " << group
                                                 << (symmetric ? " symmetric" : " asymmetric") << " col " << j;
        }
  }
}

TEST(QgemmTilesTest, UnitsCoverRowAndColumnBlocks) {
  EXPECT_EQ(sinter_uk_qgemm_units(1, 4096), SINTER_UK_QGEMV_UNITS);
  EXPECT_EQ(sinter_uk_qgemm_units(1, 1000), (1000 + SINTER_UK_QGEMV_NB - 1) / SINTER_UK_QGEMV_NB);
  EXPECT_EQ(sinter_uk_qgemm_col_block(1, 5000) % 4, 0);
  EXPECT_EQ(sinter_uk_qgemm_units(145, 129), 2 * 2);
  EXPECT_EQ(sinter_uk_qgemm_units(144, 128), 1);
}

} // namespace

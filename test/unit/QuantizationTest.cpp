// Tests for compiler/quantization: the packing (exact round trips), fp16 conversion, the quantizers
// (bounds, GPTQ vs RTN on correlated inputs), outlier selection and the exact bit allocation.
#include "compiler/quantization/BitAllocation.h"
#include "compiler/quantization/Outliers.h"
#include "compiler/quantization/Quantize.h"
#include "compiler/quantization/Report.h"
#include "compiler/quantization/WeightFormat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

using namespace sinter::quant;

namespace {

std::vector<float> randomMatrix(std::mt19937 &rng, int64_t rows, int64_t cols, float stddev = 1.0f) {
  std::normal_distribution<float> normal(0.0f, stddev);
  std::vector<float> m(rows * cols);
  for (float &v : m)
    v = normal(rng);
  return m;
}

/// Inputs whose features are strongly correlated (a few latent factors plus noise), as real activations are.
std::vector<float> correlatedInputs(std::mt19937 &rng, int64_t rows, int64_t k) {
  const int64_t factors = 4;
  std::vector<float> mix = randomMatrix(rng, factors, k), latent = randomMatrix(rng, rows, factors);
  std::vector<float> x = randomMatrix(rng, rows, k, 0.1f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t f = 0; f < factors; ++f)
      for (int64_t i = 0; i < k; ++i)
        x[r * k + i] += latent[r * factors + f] * mix[f * k + i];
  return x;
}

TEST(WeightFormat, PackUnpackRoundTripsAtEveryWidthAndOddShape) {
  std::mt19937 rng(1234);
  for (int bits : {2, 3, 4, 8})
    for (int64_t k : {1, 3, 7, 8, 9, 31, 64, 77, 128, 130})
      for (int64_t n : {1, 2, 5}) {
        std::uniform_int_distribution<int> code(0, (1 << bits) - 1);
        std::vector<uint8_t> codes(n * k);
        for (uint8_t &c : codes)
          c = uint8_t(code(rng));
        std::vector<uint8_t> packed = packCodes(codes, n, k, bits);
        ASSERT_EQ(int64_t(packed.size()), n * packedRowBytes(k, bits));
        EXPECT_EQ(unpackCodes(packed, n, k, bits), codes) << bits << " bits, K=" << k << ", N=" << n;
      }
}

TEST(WeightFormat, DocumentedBitLayout) {
  // 3 bits: codes 0..7 in order fill 3 bytes LSB first: bit stream 000 100 010 110 001 101 011 111.
  std::vector<uint8_t> codes = {0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(packCodes(codes, 1, 8, 3), (std::vector<uint8_t>{0x88, 0xc6, 0xfa}));
  // 4 bits: low nibble first.
  EXPECT_EQ(packCodes({1, 2, 3, 4, 5, 6, 7, 8}, 1, 8, 4), (std::vector<uint8_t>{0x21, 0x43, 0x65, 0x87}));
  // 2 bits: K=3 pads the column to 8 codes = 2 bytes; the padding codes are 0.
  EXPECT_EQ(packCodes({3, 0, 1}, 1, 3, 2), (std::vector<uint8_t>{0x13, 0x00}));
  // 8 bits: one byte per code; columns are contiguous (N-major).
  EXPECT_EQ(packCodes({1, 2, 3, 4}, 2, 2, 8), (std::vector<uint8_t>{1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0}));
}

TEST(WeightFormat, HalfConversionRoundTripsEveryHalf) {
  for (uint32_t h = 0; h < 65536; ++h) {
    uint16_t bits = uint16_t(h);
    float f = halfToFloat(bits);
    if (std::isnan(f))
      EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(f))));
    else
      EXPECT_EQ(floatToHalf(f), bits) << std::hex << h;
  }
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);           // rounds up to inf
  EXPECT_EQ(floatToHalf(1.0f + 1.0f / 2048), 0x3c00); // tie to even
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000);
  EXPECT_EQ(floatToHalf(std::ldexp(1.5f, -25)), 0x0001);
}

TEST(Quantize, CodesDequantizeWithinHalfAStepAtEveryFormat) {
  std::mt19937 rng(7);
  for (int bits : {2, 3, 4, 8})
    for (int64_t group : {32, 64, 128})
      for (bool symmetric : {true, false})
        for (ScaleType scale : {ScaleType::F32, ScaleType::F16}) {
          int64_t k = 200, n = 3; // 200 is not a multiple of any group size: a short last group
          std::vector<float> w = randomMatrix(rng, k, n);
          QuantizeOptions o;
          o.format = {bits, group, symmetric, scale};
          QuantizedWeight q = quantizeWeight(w.data(), k, n, o, {});
          ASSERT_EQ(q.scales.size(), size_t(n * groupCount(k, group)));
          ASSERT_EQ(q.zeros.size(), symmetric ? 0u : q.scales.size());
          std::vector<float> d = q.dequantize();
          for (int64_t c = 0; c < n; ++c)
            for (int64_t i = 0; i < k; ++i) {
              float s = q.scales[c * q.groups() + i / group];
              // Symmetric keeps +-max in range only up to 2^(b-1)-1 steps; both round to within half a step.
              EXPECT_LE(std::fabs(d[i * n + c] - w[i * n + c]), 0.5f * s * 1.001f + 1e-6f)
                  << bits << "b g" << group << (symmetric ? " sym" : " asym") << " at " << i << "," << c;
            }
          if (scale == ScaleType::F16) {
            for (float s : q.scales)
              EXPECT_EQ(halfToFloat(floatToHalf(s)), s);
          }
          // The stored bytes decode to the same scales.
          std::vector<uint8_t> raw = q.scaleBytes();
          for (size_t i = 0; i < q.scales.size(); ++i) {
            float s;
            if (scale == ScaleType::F16) {
              uint16_t h;
              std::memcpy(&h, raw.data() + 2 * i, 2);
              s = halfToFloat(h);
            } else {
              std::memcpy(&s, raw.data() + 4 * i, 4);
            }
            EXPECT_EQ(s, q.scales[i]);
          }
        }
}

TEST(Quantize, ReferenceMatMulMatchesDequantizedProduct) {
  std::mt19937 rng(11);
  int64_t m = 3, k = 70, n = 9;
  std::vector<float> w = randomMatrix(rng, k, n), x = randomMatrix(rng, m, k);
  QuantizeOptions o;
  o.format = {3, 32, false, ScaleType::F16};
  o.outlierFraction = 0.05;
  QuantizedWeight q = quantizeWeight(w.data(), k, n, o, {});
  std::vector<float> d = q.dequantize(), y = referenceMatMul(q, x, m);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < n; ++c) {
      double expect = 0;
      for (int64_t i = 0; i < k; ++i)
        expect += double(x[r * k + i]) * d[i * n + c];
      EXPECT_NEAR(y[r * n + c], expect, 1e-4);
    }
}

TEST(Quantize, MoreBitsLessError) {
  std::mt19937 rng(3);
  int64_t k = 128, n = 32;
  std::vector<float> w = randomMatrix(rng, k, n);
  double previous = 1e9;
  for (int bits : {2, 3, 4, 8}) {
    QuantizeOptions o;
    o.format = {bits, 32, true, ScaleType::F32};
    double e = relativeOutputError(w.data(), quantizeWeight(w.data(), k, n, o, {}), {});
    EXPECT_LT(e, previous) << bits;
    previous = e;
  }
  EXPECT_LT(previous, 0.01);
}

TEST(Quantize, GptqBeatsRtnOnCorrelatedInputs) {
  std::mt19937 rng(5);
  int64_t k = 96, n = 24, rows = 512;
  std::vector<float> w = randomMatrix(rng, k, n), x = correlatedInputs(rng, rows, k);
  std::vector<double> gram;
  accumulateGram(gram, x.data(), rows, k);
  for (int bits : {2, 3, 4})
    for (bool symmetric : {true, false}) {
      QuantizeOptions o;
      o.format = {bits, 32, symmetric, ScaleType::F16};
      double rtn = relativeOutputError(w.data(), quantizeWeight(w.data(), k, n, o, gram), gram);
      o.method = Method::GPTQ;
      double gptq = relativeOutputError(w.data(), quantizeWeight(w.data(), k, n, o, gram), gram);
      EXPECT_LT(gptq, rtn) << bits << " bits";
      EXPECT_LT(gptq, 0.8 * rtn) << bits << " bits: expected a clear gain on correlated inputs";
    }
}

TEST(Quantize, SharedGptqFactorGivesTheSameCodes) {
  std::mt19937 rng(21);
  int64_t k = 64, n = 8, rows = 100;
  std::vector<float> w = randomMatrix(rng, k, n), x = correlatedInputs(rng, rows, k);
  for (int64_t r = 0; r < rows; ++r)
    x[r * k + 5] = 0; // a dead input
  std::vector<double> gram;
  accumulateGram(gram, x.data(), rows, k);
  QuantizeOptions o;
  o.format = {3, 32, false, ScaleType::F16};
  o.method = Method::GPTQ;
  GptqFactor factor = prepareGptq(gram, k, o.damping);
  ASSERT_FALSE(factor.u.empty());
  EXPECT_TRUE(factor.dead[5]);
  QuantizedWeight own = quantizeWeight(w.data(), k, n, o, gram);
  QuantizedWeight shared = quantizeWeight(w.data(), k, n, o, gram, &factor);
  EXPECT_EQ(own.packed, shared.packed);
  EXPECT_EQ(own.scales, shared.scales);
  EXPECT_EQ(own.zeros, shared.zeros);
}

TEST(Quantize, OutputErrorMatchesDirectComputation) {
  std::mt19937 rng(9);
  int64_t k = 40, n = 6, rows = 50;
  std::vector<float> w = randomMatrix(rng, k, n), x = randomMatrix(rng, rows, k);
  std::vector<double> gram;
  accumulateGram(gram, x.data(), rows, k);
  QuantizeOptions o;
  o.format = {2, 32, true, ScaleType::F32};
  QuantizedWeight q = quantizeWeight(w.data(), k, n, o, gram);
  std::vector<float> d = q.dequantize();
  double num = 0, den = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < n; ++c) {
      double y = 0, yq = 0;
      for (int64_t i = 0; i < k; ++i) {
        y += double(x[r * k + i]) * w[i * n + c];
        yq += double(x[r * k + i]) * d[i * n + c];
      }
      num += (y - yq) * (y - yq);
      den += y * y;
    }
  EXPECT_NEAR(relativeOutputError(w.data(), q, gram), std::sqrt(num / den), 1e-9);
}

TEST(Outliers, SelectsLargestScorePerColumnAndReducesError) {
  std::mt19937 rng(13);
  int64_t k = 64, n = 8;
  std::vector<float> w = randomMatrix(rng, k, n, 0.1f);
  // Planted outliers that would ruin their groups' scales: one per column, two of them named.
  for (int64_t c = 0; c < n; ++c)
    w[(7 * c % k) * n + c] = c % 2 ? 30.0f : -30.0f;
  w[5 * n + 2] = 40.0f;
  w[33 * n + 7] = -45.0f;
  OutlierMatrix o = selectOutliers(w.data(), k, n, 1.0 / 64, {});
  ASSERT_EQ(o.perColumn, 1);
  EXPECT_EQ(o.rows[2], 5);
  EXPECT_EQ(o.rows[7], 33);
  EXPECT_EQ(halfToFloat(o.values[2]), 40.0f);
  // With calibration, a row with a larger input norm wins over a slightly larger weight.
  std::vector<double> gram(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i)
    gram[i * k + i] = i == 10 ? 1e8 : 1.0;
  OutlierMatrix weighted = selectOutliers(w.data(), k, n, 1.0 / 64, gram);
  EXPECT_EQ(weighted.rows[0], 10);

  QuantizeOptions opt;
  opt.format = {3, 32, true, ScaleType::F16};
  double plain = relativeOutputError(w.data(), quantizeWeight(w.data(), k, n, opt, {}), {});
  opt.outlierFraction = 1.0 / 64;
  QuantizedWeight q = quantizeWeight(w.data(), k, n, opt, {});
  EXPECT_LT(relativeOutputError(w.data(), q, {}), 0.5 * plain);
  EXPECT_EQ(q.bytes(), int64_t(q.packed.size() + q.scales.size() * 2 + n * (4 + 2)));
}

TEST(BitAllocation, MatchesBruteForceOnSmallInstances) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> bytes(1, 60), layersDist(1, 5), choicesDist(1, 4);
  std::uniform_real_distribution<double> cost(0.0, 10.0);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::vector<Candidate>> layers(layersDist(rng));
    for (auto &l : layers) {
      l.resize(choicesDist(rng));
      for (Candidate &c : l)
        c = {bytes(rng), cost(rng)};
    }
    int64_t budget = std::uniform_int_distribution<int>(0, 200)(rng);
    // Brute force over every combination.
    double best = 1e300;
    bool any = false;
    std::vector<int> idx(layers.size(), 0);
    while (true) {
      int64_t b = 0;
      double c = 0;
      for (size_t i = 0; i < layers.size(); ++i) {
        b += layers[i][idx[i]].bytes;
        c += layers[i][idx[i]].cost;
      }
      if (b <= budget && c < best)
        best = c, any = true;
      size_t i = 0;
      while (i < layers.size() && ++idx[i] == int(layers[i].size()))
        idx[i++] = 0;
      if (i == layers.size())
        break;
    }
    Allocation a = allocateBits(layers, budget);
    ASSERT_EQ(a.feasible, any) << "trial " << trial;
    if (!any)
      continue;
    EXPECT_NEAR(a.cost, best, 1e-9) << "trial " << trial;
    int64_t b = 0;
    double c = 0;
    for (size_t i = 0; i < layers.size(); ++i) {
      b += layers[i][a.choice[i]].bytes;
      c += layers[i][a.choice[i]].cost;
    }
    EXPECT_EQ(b, a.bytes);
    EXPECT_LE(b, budget);
    EXPECT_NEAR(c, a.cost, 1e-9);
  }
}

TEST(Report, ParsesBudgetsAndTotals) {
  WeightBudget b;
  std::string error;
  ASSERT_TRUE(parseWeightBudget("3.25", b, error));
  EXPECT_TRUE(b.isAverageBits);
  EXPECT_EQ(b.bytesFor(1000), 406); // floor(3.25 * 1000 / 8)
  ASSERT_TRUE(parseWeightBudget("40MB", b, error));
  EXPECT_FALSE(b.isAverageBits);
  EXPECT_EQ(b.bytesFor(123), 40000000);
  ASSERT_TRUE(parseWeightBudget("1.5KiB", b, error));
  EXPECT_EQ(b.bytes, 1536);
  EXPECT_FALSE(parseWeightBudget("40 parsecs", b, error));
  EXPECT_NE(error.find("unknown size unit"), std::string::npos);
  EXPECT_FALSE(parseWeightBudget("-3", b, error));
  EXPECT_FALSE(parseWeightBudget("", b, error));

  QuantizationReport r;
  r.method = "gptq";
  r.calibration = "dir \"x\"";
  r.layers.push_back({"a", "MatMul", 32, 4, 4, 32, true, "f16", 0, 72, 0.1});
  r.layers.push_back({"b", "Gemm", 64, 2, 8, 32, false, "f32", 4, 160, 0.01});
  EXPECT_EQ(r.bytes(), 232);
  EXPECT_EQ(r.fp32Bytes(), 32 * 4 * 4 + 64 * 2 * 4);
  std::string json = r.toJson();
  EXPECT_NE(json.find("\"calibration\": \"dir \\\"x\\\"\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"totals\": {\"bytes\": 232, \"fp32_bytes\": 1024"), std::string::npos) << json;
  EXPECT_NE(r.toTable().find("total: 232 bytes vs 1024 fp32"), std::string::npos) << r.toTable();
}

} // namespace

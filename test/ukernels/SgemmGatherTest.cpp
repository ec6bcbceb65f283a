//===- SgemmGatherTest.cpp - the sgemm ukernel's gather entry point against a direct convolution ---------===//
//
// The compiler hands the gather entry point a convolution as C[m, n] += W[m, k] * x[koff[k] + noff[n]] with
// k = (c, kh, kw) and n = (oh, ow) (GatherUkernel.cpp evaluates the tables from the im2col map); here the
// tables are built the same way by hand and the result is compared with a direct convolution loop. A
// zero-padded convolution reads its unpadded input with the padded coordinates as two more table pairs.
//
//===----------------------------------------------------------------------------------------------------===//
#include "sgemm_epilogue.h"
#include "sgemm_tiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

extern "C" {
#define SINTER_DECLARE_GATHER(name)                                                                          \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,     \
            int64_t, int64_t, float, float, int64_t, int64_t);
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v4)
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v8)
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v16)
}

namespace {

using Gather = decltype(&sinter_uk_sgemm_gather_v4);

struct Conv {
  int64_t f, c, h, w, kh, kw, stride, dilation; // h, w: the input (unpadded)
  int64_t pad = 0;                              // zeros on every side, read through the padding tables
};

/// A convolution's epilogue: the bias as C's base (else C accumulates), a residual [F, OH*OW], a ReLU.
struct Epilogue {
  bool bias = false, residual = false, relu = false;
};

void check(Gather kernel, const Conv &t, int64_t count, const Epilogue &e = {}) {
  int64_t hp = t.h + 2 * t.pad, wp = t.w + 2 * t.pad;
  int64_t oh = (hp - (t.kh - 1) * t.dilation - 1) / t.stride + 1, ow = (wp - (t.kw - 1) * t.dilation - 1) / t.stride + 1;
  int64_t m = t.f, n = oh * ow, k = t.c * t.kh * t.kw;
  // Offsets into the unpadded input (negative or past a row for the zeros), and the padded coordinates:
  // kpos = [krow..., kcol...], npos = [nrow..., ncol...].
  std::vector<int32_t> koff(k), noff(n), kpos(2 * k), npos(2 * n);
  for (int64_t ci = 0; ci < t.c; ++ci)
    for (int64_t i = 0; i < t.kh; ++i)
      for (int64_t j = 0; j < t.kw; ++j) {
        int64_t kk = (ci * t.kh + i) * t.kw + j;
        koff[kk] = static_cast<int32_t>(ci * t.h * t.w + i * t.dilation * t.w + j * t.dilation);
        kpos[kk] = static_cast<int32_t>(i * t.dilation);
        kpos[k + kk] = static_cast<int32_t>(j * t.dilation);
      }
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x) {
      noff[y * ow + x] = static_cast<int32_t>((y * t.stride - t.pad) * t.w + x * t.stride - t.pad);
      npos[y * ow + x] = static_cast<int32_t>(y * t.stride - t.pad);
      npos[n + y * ow + x] = static_cast<int32_t>(x * t.stride - t.pad);
    }
  std::mt19937 rng(static_cast<uint32_t>(m * 31 + n * 7 + k));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  // Input sized exactly: a gather past the last patch element would read outside (sanitizers catch it).
  std::vector<float> x(t.c * t.h * t.w), weights(m * (k + 1));
  int64_t cms = n + 5;
  std::vector<float> out(m * cms);
  for (float &v : x)
    v = dist(rng);
  for (float &v : weights)
    v = dist(rng);
  for (float &v : out)
    v = dist(rng); // the kernel accumulates (unless the bias is C's base)
  std::vector<float> bias(m), residual(m * n);
  for (float &v : bias)
    v = dist(rng);
  for (float &v : residual)
    v = dist(rng);
  std::vector<double> expected(out.begin(), out.end());
  if (e.bias)
    for (int64_t fi = 0; fi < m; ++fi)
      for (int64_t j = 0; j < n; ++j)
        expected[fi * cms + j] = bias[fi];
  int64_t ams = k + 1; // A rows padded: strided A
  float inf = std::numeric_limits<float>::infinity();
  for (int64_t fi = 0; fi < m; ++fi)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        double sum = 0;
        for (int64_t ci = 0; ci < t.c; ++ci)
          for (int64_t i = 0; i < t.kh; ++i)
            for (int64_t j = 0; j < t.kw; ++j) {
              int64_t r = y * t.stride + i * t.dilation - t.pad, q = xo * t.stride + j * t.dilation - t.pad;
              if (r >= 0 && r < t.h && q >= 0 && q < t.w)
                sum += double(weights[fi * ams + (ci * t.kh + i) * t.kw + j]) * double(x[(ci * t.h + r) * t.w + q]);
            }
        double &v = expected[fi * cms + y * ow + xo];
        v += sum + (e.residual ? residual[fi * n + y * ow + xo] : 0.0);
        v = e.relu ? std::max(v, 0.0) : v;
      }
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(weights.data()), reinterpret_cast<int64_t>(x.data()),
           reinterpret_cast<int64_t>(out.data()), reinterpret_cast<int64_t>(koff.data()),
           reinterpret_cast<int64_t>(noff.data()), m, n, k, ams, 1, cms, 1,
           t.pad ? reinterpret_cast<int64_t>(kpos.data()) : 0, reinterpret_cast<int64_t>(npos.data()), t.h, t.w,
           static_cast<int64_t>(x.size()), e.bias ? SINTER_UK_INIT_BIAS : SINTER_UK_INIT_ACCUMULATE, reinterpret_cast<int64_t>(bias.data()), 1, 0,
           e.residual ? reinterpret_cast<int64_t>(residual.data()) : 0, n, 1, e.relu ? 0.0f : -inf, inf, id, count);
  double tolerance = 1e-5 * (k + 1);
  for (int64_t fi = 0; fi < m; ++fi)
    for (int64_t j = 0; j < cms; ++j)
      ASSERT_NEAR(out[fi * cms + j], expected[fi * cms + j], j < n ? tolerance : 0.0) << "m=" << fi << " n=" << j;
}

const Conv kConvs[] = {
    {16, 8, 18, 18, 3, 3, 1, 1},   // 3x3 stride 1: rows of 16 columns, contiguous panels and row-crossing ones
    {12, 5, 19, 21, 3, 3, 2, 1},   // stride 2: gathered panels; odd sizes, M not a multiple of 6
    {64, 3, 29, 29, 7, 7, 2, 1},   // ResNet's 7x7 stem shape (small image)
    {7, 40, 15, 15, 1, 1, 2, 1},   // 1x1 stride 2 (downsample)
    {9, 30, 12, 12, 3, 3, 1, 2},   // dilation 2; K = 270 > one 256-deep block
    {150, 4, 22, 22, 3, 3, 1, 1},  // M over one 144-row unit, N over one 128-column unit
    {20, 6, 9, 9, 3, 3, 1, 1},     // ResNet's last stage: N = 49, a one-column edge panel (narrow tile)
    {301, 3, 8, 8, 3, 3, 1, 1},    // M over one 264-row gather block: two blocks of 151 -> 156 rows
    {8, 2, 71, 71, 3, 3, 2, 1},    // stride 2 with 35-wide rows: whole panels 2 apart (deinterleaved)
    // Zero padding read in place: border panel rows masked, or gathered where a vector load would leave x.
    {16, 8, 16, 16, 3, 3, 1, 1, 1},   // 3x3 "same": every panel contiguous in the unpadded input
    {12, 5, 17, 19, 3, 3, 2, 1, 1},   // stride 2, odd sizes
    {64, 3, 23, 23, 7, 7, 2, 1, 3},   // ResNet's 7x7 stem
    {20, 6, 7, 7, 3, 3, 1, 1, 1},     // 7x7 maps: N = 49
    {9, 30, 12, 12, 3, 3, 1, 2, 2},   // dilation 2, K over one block
    {150, 4, 20, 20, 3, 3, 1, 1, 1},  // M and N over one unit
    {8, 2, 69, 69, 3, 3, 2, 1, 1},    // stride 2, 35-wide rows: deinterleaved panels, masked
    {6, 2, 3, 40, 5, 5, 1, 1, 2},     // pad larger than some panels' reach: whole panel rows of zeros
};

// ResNet's epilogues: bias (downsample), bias + ReLU, bias + residual + ReLU; and a residual onto C.
const Epilogue kEpilogues[] = {{}, {true, false, false}, {true, false, true}, {true, true, true}, {false, true, false}};

template <Gather kernel> void runAll() {
  for (const Conv &t : kConvs)
    for (const Epilogue &e : kEpilogues)
      for (int64_t count : {int64_t(1), int64_t(3), int64_t(-1)}) {
        if (count < 0) { // the compiler's workgroup count: one unit each
          int64_t hp = t.h + 2 * t.pad, wp = t.w + 2 * t.pad;
          int64_t oh = (hp - (t.kh - 1) * t.dilation - 1) / t.stride + 1;
          int64_t ow = (wp - (t.kw - 1) * t.dilation - 1) / t.stride + 1;
          count = sinter_uk_sgemm_gather_units(t.f, oh * ow);
        }
        SCOPED_TRACE(testing::Message() << "f=" << t.f << " c=" << t.c << " " << t.h << "x" << t.w << " pad=" << t.pad << " k=" << t.kh
                                        << " s=" << t.stride << " d=" << t.dilation << " count=" << count << " bias="
                                        << e.bias << " residual=" << e.residual << " relu=" << e.relu);
        check(kernel, t, count, e);
      }
}

// Units of ResNet-18's convolutions (M = output channels, N = output pixels): an odd handful is made even
// (28x28: 7 -> 10 column blocks of 80; 56x56: 25 -> 28 of 112), the rest stay as they were.
TEST(SgemmGatherTiles, FewUnitsAreEven) {
  EXPECT_EQ(sinter_uk_sgemm_gather_units(64, 12544), 98); // stem: even already
  EXPECT_EQ(sinter_uk_sgemm_gather_col_block(64, 3136), 112);
  EXPECT_EQ(sinter_uk_sgemm_gather_units(64, 3136), 28);
  EXPECT_EQ(sinter_uk_sgemm_gather_col_block(128, 784), 80);
  EXPECT_EQ(sinter_uk_sgemm_gather_units(128, 784), 10);
  EXPECT_EQ(sinter_uk_sgemm_gather_units(256, 196), 2);
  EXPECT_EQ(sinter_uk_sgemm_gather_units(512, 49), 2); // two row blocks
  EXPECT_EQ(sinter_uk_sgemm_gather_col_block(64, 100), 56); // one unit -> two (56 and 44 columns)
  EXPECT_EQ(sinter_uk_sgemm_gather_col_block(8, 16), 8);
  EXPECT_EQ(sinter_uk_sgemm_gather_units(64, 3696), 42); // 29 blocks of 128 (odd) -> 42 of 88
}

TEST(SgemmGatherUkernel, Lanes4) { runAll<sinter_uk_sgemm_gather_v4>(); }
TEST(SgemmGatherUkernel, Lanes8) { runAll<sinter_uk_sgemm_gather_v8>(); }
TEST(SgemmGatherUkernel, Lanes16) { runAll<sinter_uk_sgemm_gather_v16>(); }

} // namespace

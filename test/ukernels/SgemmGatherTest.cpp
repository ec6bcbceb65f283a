//===- SgemmGatherTest.cpp - the sgemm ukernel's gather entry point against a direct convolution ---------===//
//
// The compiler hands the gather entry point a convolution as C[m, n] += W[m, k] * x[koff[k] + noff[n]] with
// k = (c, kh, kw) and n = (oh, ow) (GatherUkernel.cpp evaluates the tables from the im2col map); here the
// tables are built the same way by hand and the result is compared with a direct convolution loop.
//
//===----------------------------------------------------------------------------------------------------===//
#include "sgemm_epilogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

extern "C" {
#define SINTER_DECLARE_GATHER(name)                                                                          \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, float, float, int64_t, int64_t);
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v4)
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v8)
SINTER_DECLARE_GATHER(sinter_uk_sgemm_gather_v16)
}

namespace {

using Gather = decltype(&sinter_uk_sgemm_gather_v4);

struct Conv {
  int64_t f, c, h, w, kh, kw, stride, dilation; // h, w: the (already padded) input
};

/// A convolution's epilogue: the bias as C's base (else C accumulates), a residual [F, OH*OW], a ReLU.
struct Epilogue {
  bool bias = false, residual = false, relu = false;
};

void check(Gather kernel, const Conv &t, int64_t count, const Epilogue &e = {}) {
  int64_t oh = (t.h - (t.kh - 1) * t.dilation - 1) / t.stride + 1, ow = (t.w - (t.kw - 1) * t.dilation - 1) / t.stride + 1;
  int64_t m = t.f, n = oh * ow, k = t.c * t.kh * t.kw;
  std::vector<int32_t> koff(k), noff(n);
  for (int64_t ci = 0; ci < t.c; ++ci)
    for (int64_t i = 0; i < t.kh; ++i)
      for (int64_t j = 0; j < t.kw; ++j)
        koff[(ci * t.kh + i) * t.kw + j] = static_cast<int32_t>(ci * t.h * t.w + i * t.dilation * t.w + j * t.dilation);
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      noff[y * ow + x] = static_cast<int32_t>(y * t.stride * t.w + x * t.stride);
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
            for (int64_t j = 0; j < t.kw; ++j)
              sum += double(weights[fi * ams + (ci * t.kh + i) * t.kw + j]) *
                     double(x[(ci * t.h + y * t.stride + i * t.dilation) * t.w + xo * t.stride + j * t.dilation]);
        double &v = expected[fi * cms + y * ow + xo];
        v += sum + (e.residual ? residual[fi * n + y * ow + xo] : 0.0);
        v = e.relu ? std::max(v, 0.0) : v;
      }
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(weights.data()), reinterpret_cast<int64_t>(x.data()),
           reinterpret_cast<int64_t>(out.data()), reinterpret_cast<int64_t>(koff.data()),
           reinterpret_cast<int64_t>(noff.data()), m, n, k, ams, 1, cms, 1,
           e.bias ? SINTER_UK_INIT_BIAS : SINTER_UK_INIT_ACCUMULATE, reinterpret_cast<int64_t>(bias.data()), 1, 0,
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
};

// ResNet's epilogues: bias (downsample), bias + ReLU, bias + residual + ReLU; and a residual onto C.
const Epilogue kEpilogues[] = {{}, {true, false, false}, {true, false, true}, {true, true, true}, {false, true, false}};

template <Gather kernel> void runAll() {
  for (const Conv &t : kConvs)
    for (const Epilogue &e : kEpilogues)
      for (int64_t count : {1, 3}) {
        SCOPED_TRACE(testing::Message() << "f=" << t.f << " c=" << t.c << " " << t.h << "x" << t.w << " k=" << t.kh
                                        << " s=" << t.stride << " d=" << t.dilation << " count=" << count << " bias="
                                        << e.bias << " residual=" << e.residual << " relu=" << e.relu);
        check(kernel, t, count, e);
      }
}

TEST(SgemmGatherUkernel, Lanes4) { runAll<sinter_uk_sgemm_gather_v4>(); }
TEST(SgemmGatherUkernel, Lanes8) { runAll<sinter_uk_sgemm_gather_v8>(); }
TEST(SgemmGatherUkernel, Lanes16) { runAll<sinter_uk_sgemm_gather_v16>(); }

} // namespace

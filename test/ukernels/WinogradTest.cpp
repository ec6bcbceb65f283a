//===- WinogradTest.cpp - the fused Winograd F(2x2, 3x3) ukernel against a direct convolution -------------===//
#include "sgemm_epilogue.h"
#include "winograd_tiles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

extern "C" {
#define SINTER_DECLARE_WINOGRAD(name)                                                                        \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,     \
            int64_t, int64_t, int64_t, int64_t, float, float, int64_t, int64_t);
SINTER_DECLARE_WINOGRAD(sinter_uk_winograd_conv_v4)
SINTER_DECLARE_WINOGRAD(sinter_uk_winograd_conv_v8)
SINTER_DECLARE_WINOGRAD(sinter_uk_winograd_conv_v16)
}

namespace {

using Conv = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                      int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                      int64_t, int64_t, int64_t, int64_t, int64_t, float, float, int64_t, int64_t);

struct Case {
  int64_t n, c, f, th, tw;
  int64_t init = SINTER_UK_INIT_ACCUMULATE;
  bool add = false, relu = false;
  int64_t h = 0, w = 0, pt = 0, pl = 0; // the source read with padding; 0: the whole 2TH+2 x 2TW+2 input
};

/// U = G g G^T in the packed layout of winograd_tiles.h, written from its description.
std::vector<float> packFilters(const std::vector<float> &g, int64_t F, int64_t C) {
  const double G[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  int64_t fs = sinter_uk_winograd_filter_chunk(F), mr = SINTER_UK_WINOGRAD_MR, cb = SINTER_UK_WINOGRAD_CB;
  int64_t cc = (C + cb - 1) / cb, fc = (F + fs - 1) / fs, panels = fs / mr;
  std::vector<float> u(static_cast<size_t>(fc * cc * 16 * panels * cb * mr), 0.0f);
  for (int64_t f = 0; f < F; ++f)
    for (int64_t c = 0; c < C; ++c)
      for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
          double sum = 0;
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
              sum += G[a][i] * g[((f * C + c) * 3 + i) * 3 + j] * G[b][j];
          u[((((f / fs) * cc + c / cb) * 16 + a * 4 + b) * panels + (f % fs) / mr) * cb * mr + (c % cb) * mr + f % mr] =
              static_cast<float>(sum);
        }
  return u;
}

/// Runs the kernel over `count` workgroups on an exactly sized input (a read past its last element is a
/// sanitizer error), read with zero padding when the case has some, into an output with padded rows and
/// planes (guard values that must stay), against a float64 direct convolution with the same epilogue.
void check(Conv kernel, const Case &t, int64_t count) {
  int64_t H = t.h ? t.h : 2 * t.th + 2, W = t.w ? t.w : 2 * t.tw + 2, OH = 2 * t.th, OW = 2 * t.tw;
  int64_t xs_h = W, xs_c = H * W, xs_n = t.c * xs_c;
  int64_t ys_h = OW + 3, ys_f = OH * ys_h + 5, ys_n = t.f * ys_f;
  std::mt19937 rng(static_cast<uint32_t>(t.c * 131 + t.f * 7 + t.tw));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(t.n * xs_n), g(t.f * t.c * 9), bias(t.f), add(t.n * ys_n), y(t.n * ys_n);
  for (std::vector<float> *v : {&x, &g, &bias, &add, &y})
    for (float &e : *v)
      e = dist(rng);
  std::vector<float> u = packFilters(g, t.f, t.c), expected(y);
  float lo = t.relu ? 0.0f : -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t f = 0; f < t.f; ++f)
      for (int64_t r = 0; r < OH; ++r)
        for (int64_t q = 0; q < OW; ++q) {
          float &out = expected[b * ys_n + f * ys_f + r * ys_h + q];
          double sum = t.init == SINTER_UK_INIT_ACCUMULATE ? out : t.init == SINTER_UK_INIT_BIAS ? bias[f] : 0.0;
          for (int64_t c = 0; c < t.c; ++c)
            for (int i = 0; i < 3; ++i)
              for (int j = 0; j < 3; ++j) {
                int64_t sr = r + i - t.pt, sq = q + j - t.pl;
                if (sr >= 0 && sr < H && sq >= 0 && sq < W)
                  sum += double(g[((f * t.c + c) * 3 + i) * 3 + j]) * x[b * xs_n + c * xs_c + sr * xs_h + sq];
              }
          if (t.add)
            sum += add[b * ys_n + f * ys_f + r * ys_h + q];
          out = static_cast<float>(std::min<double>(std::max<double>(sum, lo), hi));
        }
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(x.data()), static_cast<int64_t>(x.size()), reinterpret_cast<int64_t>(u.data()),
           reinterpret_cast<int64_t>(y.data()), t.n, t.c, t.f, t.th, t.tw, xs_n, xs_c, xs_h, H, W, t.pt, t.pl, ys_n,
           ys_f, ys_h, t.init,
           reinterpret_cast<int64_t>(bias.data()), 1, t.add ? reinterpret_cast<int64_t>(add.data()) : 0, ys_n, ys_f,
           ys_h, lo, hi, id, count);
  for (size_t i = 0; i < y.size(); ++i)
    ASSERT_NEAR(y[i], expected[i], 2e-5 * (t.c * 9 + 1)) << "element " << i; // guards: exact
}

const Case kCases[] = {
    {1, 64, 64, 28, 28},                                 // ResNet's first stage: rows of 28 tiles
    {1, 24, 70, 7, 7, SINTER_UK_INIT_BIAS, false, true}, // partial channel chunk; 2 filter chunks of 36
    {2, 40, 13, 3, 5, SINTER_UK_INIT_ZERO, true, false}, // blocks spanning rows and images; partial panel
    {1, 33, 128, 1, 1, SINTER_UK_INIT_BIAS, true, true}, // one tile; 33 channels: a chunk of 1
    {1, 16, 6, 9, 40},                                   // rows longer than a block
    // Zero padding read in place: 1 on each side of a 14x14 input (all of ResNet's), and an odd 13x11
    // input whose tiles reach a row and a column past the padding.
    {1, 32, 12, 7, 7, SINTER_UK_INIT_BIAS, false, true, 14, 14, 1, 1},
    {2, 20, 8, 7, 6, SINTER_UK_INIT_ZERO, true, false, 13, 11, 1, 1},
    {1, 8, 6, 20, 20, SINTER_UK_INIT_ACCUMULATE, false, false, 40, 40, 1, 1}, // windows past both edges
};

class WinogradTest : public ::testing::TestWithParam<int> {};

TEST_P(WinogradTest, MatchesDirectConvolution) {
  Conv kernel = GetParam() == 4 ? sinter_uk_winograd_conv_v4 : GetParam() == 8 ? sinter_uk_winograd_conv_v8
                                                                                : sinter_uk_winograd_conv_v16;
  for (const Case &t : kCases)
    for (int64_t count : {1, 3}) {
      SCOPED_TRACE(testing::Message() << "n " << t.n << " c " << t.c << " f " << t.f << " tiles " << t.th << "x"
                                      << t.tw << " workgroups " << count);
      check(kernel, t, count);
    }
}

INSTANTIATE_TEST_SUITE_P(Lanes, WinogradTest, ::testing::Values(4, 8, 16));

} // namespace

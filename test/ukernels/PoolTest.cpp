//===- PoolTest.cpp - the 2-D pooling ukernel against a scalar reference --------------------------------===//
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

extern "C" {
#define SINTER_DECLARE_POOL(name)                                                                            \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,     \
            int64_t, int64_t, int64_t, int64_t);
SINTER_DECLARE_POOL(sinter_uk_pool2d_v4)
SINTER_DECLARE_POOL(sinter_uk_pool2d_v8)
SINTER_DECLARE_POOL(sinter_uk_pool2d_v16)
}

namespace {

using Pool = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                      int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                      int64_t, int64_t, int64_t, int64_t, int64_t);

struct Case {
  int64_t n, c, oh, ow, kh, kw, sh, sw, dh, dw;
  bool sum;
  int64_t ph = 0, pw = 0; // padding read in place: window elements outside the input are skipped
};

/// Pools an exactly sized input (the last row of the last plane ends the buffer, so a read past the window
/// would be caught by sanitizers and by the guard values) split over `count` workgroups. With padding the
/// input is what is left of the padded extent without its top/left padding and (as much of) the same at
/// the bottom/right. With `fresh` the output holds garbage the kernel must not read (it starts from the
/// identity).
void check(Pool kernel, const Case &t, int64_t count, bool withNan, bool fresh) {
  int64_t h = (t.oh - 1) * t.sh + (t.kh - 1) * t.dh + 1 - 2 * t.ph, w = (t.ow - 1) * t.sw + (t.kw - 1) * t.dw + 1 - 2 * t.pw;
  int64_t inHs = w, inCs = h * w, inNs = t.c * inCs;
  int64_t outHs = t.ow + 3, outCs = t.oh * outHs + 5, outNs = t.c * outCs; // padded output rows and planes
  std::mt19937 rng(static_cast<uint32_t>(t.oh * 131 + t.ow * 7 + t.kw));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> in(t.n * inNs), out(t.n * outNs);
  for (float &x : in)
    x = dist(rng);
  for (float &x : out)
    x = t.sum ? dist(rng) : -std::numeric_limits<float>::infinity();
  if (withNan)
    in[in.size() / 2] = std::nanf("");
  std::vector<float> expected(out);
  if (fresh)
    for (int64_t b = 0; b < t.n; ++b)
      for (int64_t ch = 0; ch < t.c; ++ch)
        for (int64_t y = 0; y < t.oh; ++y)
          for (int64_t x = 0; x < t.ow; ++x) {
            out[b * outNs + ch * outCs + y * outHs + x] = 7.0f;
            expected[b * outNs + ch * outCs + y * outHs + x] = t.sum ? 0.0f : -std::numeric_limits<float>::infinity();
          }
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t ch = 0; ch < t.c; ++ch)
      for (int64_t y = 0; y < t.oh; ++y)
        for (int64_t x = 0; x < t.ow; ++x) {
          float &acc = expected[b * outNs + ch * outCs + y * outHs + x];
          for (int64_t i = 0; i < t.kh; ++i)
            for (int64_t j = 0; j < t.kw; ++j) {
              int64_t r = y * t.sh + i * t.dh - t.ph, q = x * t.sw + j * t.dw - t.pw;
              if (r < 0 || r >= h || q < 0 || q >= w)
                continue; // the padding: the op's identity
              float v = in[b * inNs + ch * inCs + r * inHs + q];
              acc = t.sum ? acc + v : (std::isnan(acc) || std::isnan(v)) ? std::nanf("") : std::max(acc, v);
            }
        }
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(in.data()), reinterpret_cast<int64_t>(out.data()), t.n, t.c, t.oh, t.ow, inNs,
           inCs, inHs, outNs, outCs, outHs, t.kh, t.kw, t.sh, t.sw, t.dh, t.dw, t.sum, h, w, t.ph, t.pw, fresh, id,
           count);
  for (size_t i = 0; i < out.size(); ++i) {
    if (std::isnan(expected[i])) {
      ASSERT_TRUE(std::isnan(out[i])) << "element " << i;
      continue;
    }
    if (out[i] == expected[i]) // exact, padding (untouched -inf) included
      continue;
    // Max is exact; a sum of kh * kw terms in a different order than the reference is not.
    ASSERT_NEAR(out[i], expected[i], t.sum ? 1e-5 * (t.kh * t.kw + 1) : 0.0) << "element " << i;
  }
}

const Case kCases[] = {
    {1, 3, 56, 56, 3, 3, 2, 2, 1, 1, false}, // ResNet's stem max pool (padded input)
    {2, 2, 7, 33, 3, 3, 1, 1, 1, 1, false},  // stride 1, odd widths
    {1, 2, 5, 17, 2, 2, 2, 2, 1, 1, false},  // 2x2 stride 2: the pair load's last column is the row's end
    {1, 2, 4, 19, 3, 2, 3, 3, 1, 1, false},  // stride 3: lanes gathered
    {1, 1, 6, 20, 2, 3, 1, 2, 2, 2, false},  // dilation
    {1, 4, 9, 40, 3, 3, 2, 2, 1, 1, true},   // sum (AveragePool before its division)
    {1, 1, 3, 5, 2, 2, 1, 1, 1, 1, true},    // narrower than a vector: scalar columns only
    // Padding read in place (the input is the unpadded one).
    {1, 3, 56, 56, 3, 3, 2, 2, 1, 1, false, 1, 1},  // ResNet's stem max pool: 112x112 input, pad 1
    {2, 2, 7, 33, 3, 3, 1, 1, 1, 1, false, 1, 1},   // stride 1 "same"
    {1, 2, 9, 40, 3, 3, 2, 2, 1, 1, true, 1, 1},    // sum (AveragePool with count_include_pad)
    {1, 1, 6, 37, 5, 3, 1, 2, 2, 1, false, 3, 2},   // dilated rows, pad larger than a window row's reach
    {1, 2, 4, 19, 3, 2, 3, 3, 1, 1, false, 0, 1},   // stride 3 (gathered lanes), columns padded only
};

template <Pool kernel> void runAll() {
  for (const Case &t : kCases)
    for (int64_t count : {1, 3})
      for (bool withNan : {false, true})
        for (bool fresh : {false, true}) {
          SCOPED_TRACE(testing::Message() << "oh=" << t.oh << " ow=" << t.ow << " k=" << t.kh << "x" << t.kw
                                          << " s=" << t.sh << "," << t.sw << " sum=" << t.sum << " count=" << count
                                          << " nan=" << withNan << " fresh=" << fresh);
          check(kernel, t, count, withNan, fresh);
        }
}

TEST(PoolUkernel, Lanes4) { runAll<sinter_uk_pool2d_v4>(); }
TEST(PoolUkernel, Lanes8) { runAll<sinter_uk_pool2d_v8>(); }
TEST(PoolUkernel, Lanes16) { runAll<sinter_uk_pool2d_v16>(); }

} // namespace

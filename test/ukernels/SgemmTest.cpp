//===- SgemmTest.cpp - the sgemm ukernel against a scalar reference -------------------------------------===//
#include "sgemm_epilogue.h"
#include "sgemm_tiles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

extern "C" {
#define SINTER_DECLARE_SGEMM(name)                                                                           \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,      \
            int64_t, int64_t, float, float, int64_t, int64_t);
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v4)
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v8)
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v16)
}

namespace {

using Sgemm = decltype(&sinter_uk_sgemm_v4);

// Strided: every other element (stride 2 in the inner dim). Packed (B only): the compile-time panel layout
// of sinter-pack-weights, [ceil(N / W), K, W] with W = 2 * lanes, zero-padded.
enum class Layout { RowMajor, Transposed, Strided, Packed };

struct Case {
  int64_t batch, m, n, k;
  Layout a, b;
};

/// The epilogue (sgemm_epilogue.h): C's base (accumulate, zero, or a bias along rows or columns), an
/// optional full [M, N] addend, and bounds.
enum class Bias { None, PerRow, PerColumn };
struct Epilogue {
  int64_t init = SINTER_UK_INIT_ACCUMULATE;
  Bias bias = Bias::None;
  bool addend = false;
  float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
};

/// Element strides of a [rows, cols] matrix in `layout`, and the elements it spans.
void layoutStrides(Layout layout, int64_t rows, int64_t cols, int64_t &rowStride, int64_t &colStride, int64_t &span) {
  rowStride = layout == Layout::RowMajor ? cols : layout == Layout::Transposed ? 1 : 2 * cols;
  colStride = layout == Layout::RowMajor ? 1 : layout == Layout::Transposed ? rows : 2;
  span = (rows - 1) * rowStride + (cols - 1) * colStride + 1;
}

/// Runs `kernel` on every workgroup of a `count`-way split and compares with a double-precision reference.
void check(Sgemm kernel, int64_t lanes, const Case &c, int64_t count, const Epilogue &e = {}) {
  int64_t ams, aks, aspan, bks, bns, bspan;
  layoutStrides(c.a, c.m, c.k, ams, aks, aspan);
  layoutStrides(c.b == Layout::Packed ? Layout::RowMajor : c.b, c.k, c.n, bks, bns, bspan);
  int64_t cms = c.n + 3, cns = 1, cspan = (c.m - 1) * cms + c.n; // padded rows: C is strided too
  std::mt19937 rng(static_cast<uint32_t>(c.m * 131 + c.n * 7 + c.k));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> a(c.batch * aspan), b(c.batch * bspan), out(c.batch * cspan);
  for (float &x : a)
    x = dist(rng);
  for (float &x : b)
    x = dist(rng);
  for (float &x : out)
    x = dist(rng); // the kernel accumulates into C (or overwrites it: init zero or bias)
  // Bias: a vector along M (ms 1, ns 0) or N (ms 0, ns 1); addend: [M, N] with rows padded by 2.
  std::vector<float> bias(std::max(c.m, c.n)), addend(c.m * (c.n + 2));
  for (float &x : bias)
    x = dist(rng);
  for (float &x : addend)
    x = dist(rng);
  int64_t biasMs = e.bias == Bias::PerRow ? 1 : 0, biasNs = e.bias == Bias::PerColumn ? 1 : 0;
  int64_t addMs = c.n + 2, addNs = 1;
  std::vector<double> expected(out.begin(), out.end());
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        double &base = expected[bi * cspan + i * cms + j * cns];
        if (e.init == SINTER_UK_INIT_ZERO)
          base = 0;
        else if (e.init == SINTER_UK_INIT_BIAS)
          base = bias[i * biasMs + j * biasNs];
      }
  int64_t bBatchStride = c.b == Layout::Packed ? 0 : bspan; // packed weights are shared by the batch
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        double sum = 0;
        for (int64_t l = 0; l < c.k; ++l)
          sum += double(a[bi * aspan + i * ams + l * aks]) * double(b[bi * bBatchStride + l * bks + j * bns]);
        double &v = expected[bi * cspan + i * cms + j * cns];
        v += sum;
        if (e.addend)
          v += addend[i * addMs + j * addNs];
        v = std::min(std::max(v, double(e.lo)), double(e.hi));
      }
  // The packed form of B (one batch entry: packed weights are constants).
  int64_t width = 2 * lanes, panels = (c.n + width - 1) / width;
  std::vector<float> packed(panels * c.k * width, 0.0f);
  for (int64_t l = 0; l < c.k; ++l)
    for (int64_t j = 0; j < c.n; ++j)
      packed[(j / width) * c.k * width + l * width + j % width] = b[l * bks + j * bns];
  bool isPacked = c.b == Layout::Packed;
  for (int64_t id = 0; id < count; ++id)
    kernel(reinterpret_cast<int64_t>(a.data()), reinterpret_cast<int64_t>(isPacked ? packed.data() : b.data()),
           reinterpret_cast<int64_t>(out.data()), c.batch, c.m, c.n, c.k, aspan, ams, aks, isPacked ? 0 : bspan, bks,
           bns, cspan, cms, cns, isPacked ? width : 0, e.init, reinterpret_cast<int64_t>(bias.data()), biasMs, biasNs,
           e.addend ? reinterpret_cast<int64_t>(addend.data()) : 0, addMs, addNs, e.lo, e.hi, id, count);
  // f32 accumulation over k terms of magnitude <= 1: the error bound grows with k.
  double tolerance = 1e-5 * (c.k + 1);
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        int64_t at = bi * cspan + i * cms + j * cns;
        ASSERT_NEAR(out[at], expected[at], tolerance) << "batch " << bi << " row " << i << " col " << j;
      }
  // Padding between rows of C is not touched.
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t i = 0; i + 1 < c.m; ++i)
      for (int64_t j = c.n; j < cms; ++j)
        ASSERT_EQ(out[bi * cspan + i * cms + j], static_cast<float>(expected[bi * cspan + i * cms + j]));
}

class SgemmTest : public ::testing::TestWithParam<std::tuple<int, Layout, Layout>> {};

TEST_P(SgemmTest, MatchesReferenceOnOddShapes) {
  auto [lanes, aLayout, bLayout] = GetParam();
  Sgemm kernel = lanes == 4 ? sinter_uk_sgemm_v4 : lanes == 8 ? sinter_uk_sgemm_v8 : sinter_uk_sgemm_v16;
  const Case shapes[] = {
      {1, 1, 1, 1, aLayout, bLayout},    {1, 1, 37, 19, aLayout, bLayout},  {1, 1, 1500, 300, aLayout, bLayout},
      {1, 2, 3, 1, aLayout, bLayout},    {1, 7, 5, 3, aLayout, bLayout},    {1, 6, 32, 256, aLayout, bLayout},
      {1, 13, 33, 257, aLayout, bLayout}, {3, 50, 300, 70, aLayout, bLayout}, {2, 145, 129, 513, aLayout, bLayout},
      {4, 1, 65, 33, aLayout, bLayout},
  };
  for (const Case &c : shapes)
    for (int64_t count : {int64_t(1), int64_t(3), sinter_uk_sgemm_units(c.batch, c.m, c.n, bLayout == Layout::Packed)}) {
      SCOPED_TRACE(::testing::Message() << "batch " << c.batch << " M " << c.m << " N " << c.n << " K " << c.k
                                        << " workgroups " << count);
      check(kernel, lanes, c, count);
      if (::testing::Test::HasFatalFailure())
        return;
    }
}

// The epilogue on every path (packed, GEMV by rows, by columns and from panels; edge tiles; K over one
// block, where the base is applied on the first block's store and the addend and clamp on the last one's).
TEST_P(SgemmTest, EpilogueMatchesReference) {
  auto [lanes, aLayout, bLayout] = GetParam();
  Sgemm kernel = lanes == 4 ? sinter_uk_sgemm_v4 : lanes == 8 ? sinter_uk_sgemm_v8 : sinter_uk_sgemm_v16;
  const Case shapes[] = {{1, 1, 37, 19, aLayout, bLayout},  {1, 1, 1500, 300, aLayout, bLayout},
                         {1, 7, 5, 3, aLayout, bLayout},    {1, 13, 33, 257, aLayout, bLayout},
                         {1, 145, 129, 513, aLayout, bLayout}};
  float inf = std::numeric_limits<float>::infinity();
  const Epilogue epilogues[] = {
      {SINTER_UK_INIT_ZERO, Bias::None, false, -inf, inf},      // the fill before a matmul dropped
      {SINTER_UK_INIT_BIAS, Bias::PerRow, false, 0.0f, inf},    // convolution bias + ReLU
      {SINTER_UK_INIT_BIAS, Bias::PerRow, true, 0.0f, inf},     // ... + residual, then ReLU
      {SINTER_UK_INIT_ZERO, Bias::None, true, -0.25f, 0.5f},    // a Gemm bias added after, Clip
      {SINTER_UK_INIT_BIAS, Bias::PerColumn, true, -inf, 0.1f}, // a bias along N, addend, upper bound only
      {SINTER_UK_INIT_ACCUMULATE, Bias::None, true, 0.0f, inf}, // C's own value, then an addend and ReLU
  };
  for (const Case &c : shapes)
    for (const Epilogue &e : epilogues)
      for (int64_t count : {int64_t(1), int64_t(3)}) {
        SCOPED_TRACE(::testing::Message() << "M " << c.m << " N " << c.n << " K " << c.k << " workgroups " << count
                                          << " init " << e.init << " bias " << int(e.bias) << " addend " << e.addend
                                          << " bounds [" << e.lo << ", " << e.hi << "]");
        check(kernel, lanes, c, count, e);
        if (::testing::Test::HasFatalFailure())
          return;
      }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, SgemmTest,
                         ::testing::Combine(::testing::Values(4, 8, 16),
                                            ::testing::Values(Layout::RowMajor, Layout::Transposed, Layout::Strided),
                                            ::testing::Values(Layout::RowMajor, Layout::Transposed, Layout::Strided,
                                                              Layout::Packed)));

TEST(SgemmTilesTest, UnitsCoverRowAndColumnBlocks) {
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 4096, 0), 4096 / SINTER_UK_SGEMV_NB);
  EXPECT_EQ(sinter_uk_sgemm_units(2, 145, 129, 0), 2 * 2 * 2);
  EXPECT_EQ(sinter_uk_sgemm_units(1, 144, 128, 0), 1);
  EXPECT_EQ(sinter_uk_sgemm_units(2, 145, 129, 1), 2 * 2 * 2); // packed B changes M == 1 only
  // M == 1 with packed B: about SINTER_UK_SGEMV_UNITS units of a multiple of 32 columns, at most
  // SINTER_UK_SGEMV_NB wide.
  EXPECT_EQ(sinter_uk_sgemm_col_block(1, 768, 1), 96);
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 768, 1), 8);
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 2304, 1), 8);
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 100, 1), 4);                 // 32 columns each
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 50257, 1), 50257 / 1024 + 1); // vocabulary: 1024-column units
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 768, 0), 1);
}

} // namespace

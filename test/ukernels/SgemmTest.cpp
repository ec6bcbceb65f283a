//===- SgemmTest.cpp - the sgemm ukernel against a scalar reference -------------------------------------===//
#include "sgemm_tiles.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

extern "C" {
#define SINTER_DECLARE_SGEMM(name)                                                                           \
  void name(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,  \
            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v4)
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v8)
SINTER_DECLARE_SGEMM(sinter_uk_sgemm_v16)
}

namespace {

using Sgemm = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);

// Strided: every other element (stride 2 in the inner dim). Packed (B only): the compile-time panel layout
// of sinter-pack-weights, [ceil(N / W), K, W] with W = 2 * lanes, zero-padded.
enum class Layout { RowMajor, Transposed, Strided, Packed };

struct Case {
  int64_t batch, m, n, k;
  Layout a, b;
};

/// Element strides of a [rows, cols] matrix in `layout`, and the elements it spans.
void layoutStrides(Layout layout, int64_t rows, int64_t cols, int64_t &rowStride, int64_t &colStride, int64_t &span) {
  rowStride = layout == Layout::RowMajor ? cols : layout == Layout::Transposed ? 1 : 2 * cols;
  colStride = layout == Layout::RowMajor ? 1 : layout == Layout::Transposed ? rows : 2;
  span = (rows - 1) * rowStride + (cols - 1) * colStride + 1;
}

/// Runs `kernel` on every workgroup of a `count`-way split and compares with a double-precision reference.
void check(Sgemm kernel, int64_t lanes, const Case &c, int64_t count) {
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
    x = dist(rng); // the kernel accumulates into C
  std::vector<double> expected(out.begin(), out.end());
  int64_t bBatchStride = c.b == Layout::Packed ? 0 : bspan; // packed weights are shared by the batch
  for (int64_t bi = 0; bi < c.batch; ++bi)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j) {
        double sum = 0;
        for (int64_t l = 0; l < c.k; ++l)
          sum += double(a[bi * aspan + i * ams + l * aks]) * double(b[bi * bBatchStride + l * bks + j * bns]);
        expected[bi * cspan + i * cms + j * cns] += sum;
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
           bns, cspan, cms, cns, isPacked ? width : 0, id, count);
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
    for (int64_t count : {int64_t(1), int64_t(3), sinter_uk_sgemm_units(c.batch, c.m, c.n)}) {
      SCOPED_TRACE(::testing::Message() << "batch " << c.batch << " M " << c.m << " N " << c.n << " K " << c.k
                                        << " workgroups " << count);
      check(kernel, lanes, c, count);
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
  EXPECT_EQ(sinter_uk_sgemm_units(1, 1, 4096), 4096 / SINTER_UK_SGEMV_NB);
  EXPECT_EQ(sinter_uk_sgemm_units(2, 145, 129), 2 * 2 * 2);
  EXPECT_EQ(sinter_uk_sgemm_units(1, 144, 128), 1);
}

} // namespace

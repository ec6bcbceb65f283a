//===- Outliers.cpp - which weights stay in fp16 beside the quantized matrix ----------------------------===//
#include "compiler/quantization/Outliers.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sinter::quant {

int64_t outliersPerColumn(int64_t k, double fraction) {
  if (!(fraction > 0))
    return 0;
  return std::min<int64_t>(k, std::llround(fraction * double(k)));
}

OutlierMatrix selectOutliers(const float *w, int64_t k, int64_t n, double fraction, const std::vector<double> &gram) {
  OutlierMatrix out;
  out.perColumn = outliersPerColumn(k, fraction);
  if (out.perColumn == 0)
    return out;
  std::vector<double> inputNorm(k, 1.0);
  if (!gram.empty())
    for (int64_t i = 0; i < k; ++i)
      inputNorm[i] = std::sqrt(std::max(gram[i * k + i], 0.0));
  std::vector<int32_t> order(k);
  std::vector<double> score(k);
  for (int64_t col = 0; col < n; ++col) {
    for (int64_t i = 0; i < k; ++i)
      score[i] = std::fabs(double(w[i * n + col])) * inputNorm[i];
    std::iota(order.begin(), order.end(), 0);
    // Largest score first; ties go to the lower row so the choice is deterministic.
    std::partial_sort(order.begin(), order.begin() + out.perColumn, order.end(),
                      [&](int32_t a, int32_t b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
    std::sort(order.begin(), order.begin() + out.perColumn);
    for (int64_t r = 0; r < out.perColumn; ++r) {
      out.rows.push_back(order[r]);
      out.values.push_back(floatToHalf(w[int64_t(order[r]) * n + col]));
    }
  }
  return out;
}

std::vector<float> removeOutliers(const float *w, int64_t k, int64_t n, const OutlierMatrix &outliers) {
  std::vector<float> residual(w, w + k * n);
  for (int64_t col = 0; col < n; ++col)
    for (int64_t r = 0; r < outliers.perColumn; ++r)
      residual[int64_t(outliers.rows[col * outliers.perColumn + r]) * n + col] = 0.0f;
  return residual;
}

} // namespace sinter::quant

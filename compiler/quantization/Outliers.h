//===- Outliers.h - which weights stay in fp16 beside the quantized matrix ------------------------------===//
//
// Rule: every output column n keeps the same number R = round(fraction * K) of entries, the R rows k with
// the largest |w_kn| * ||x_k|| (||x_k||^2 = G[k][k], the calibration Gram diagonal), or the largest |w_kn|
// without calibration. A fixed count per column (ELL) keeps the side matrix dense to index and balances
// the work of each output column in a kernel. Selected entries are removed (set to 0) from the matrix
// that is quantized and stored as fp16 values.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_OUTLIERS_H
#define SINTER_COMPILER_QUANTIZATION_OUTLIERS_H

#include "compiler/quantization/WeightFormat.h"

#include <vector>

namespace sinter::quant {

/// R for a fraction of K (0 when fraction <= 0; at most K).
int64_t outliersPerColumn(int64_t k, double fraction);

/// Selects outliers of w[K][N] (row-major) by the rule above; `gram` is K*K or empty (no calibration).
/// Rows are ascending within each column.
OutlierMatrix selectOutliers(const float *w, int64_t k, int64_t n, double fraction, const std::vector<double> &gram);

/// w with the outlier entries set to 0 (what is left to quantize).
std::vector<float> removeOutliers(const float *w, int64_t k, int64_t n, const OutlierMatrix &outliers);

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_OUTLIERS_H

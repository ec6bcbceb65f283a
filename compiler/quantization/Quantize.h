//===- Quantize.h - weight quantization methods and their error -----------------------------------------===//
//
// Round-to-nearest (RTN) and GPTQ (Frantar et al. 2022): quantize W[K][N] one input row k at a time and
// push each row's rounding error onto the rows not yet quantized, weighted by the inverse Hessian of the
// layer's squared output error, H = X^T X (+1% mean-diagonal damping), through its upper Cholesky factor.
// Group scales are chosen when GPTQ reaches a group's first row, from the already-updated weights.
//
// Calibration enters only through the Gram matrix G = X^T X (K x K) of the layer's inputs. Without
// calibration G is taken as the identity: the expected output error for isotropic random-normal inputs,
// i.e. the weight-only error (and GPTQ reduces to RTN).
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_QUANTIZE_H
#define SINTER_COMPILER_QUANTIZATION_QUANTIZE_H

#include "compiler/quantization/WeightFormat.h"

#include <vector>

namespace sinter::quant {

enum class Method { RTN, GPTQ };

struct QuantizeOptions {
  WeightFormat format;
  Method method = Method::RTN;
  double outlierFraction = 0.0; // see Outliers.h
  double damping = 0.01;        // GPTQ: fraction of the mean Hessian diagonal added to it
};

/// G += X^T X for X[rows][K] (row-major); `gram` is resized to K*K if empty.
void accumulateGram(std::vector<double> &gram, const float *x, int64_t rows, int64_t k);

/// GPTQ's per-layer precomputation, O(K^3): the upper Cholesky factor of the damped inverse Hessian and
/// the inputs that are always 0. It depends only on the Gram matrix, so every candidate format of a layer
/// (bit allocation tries several) shares one. Empty `u` when the Gram matrix is empty or not usable.
struct GptqFactor {
  std::vector<double> u;
  std::vector<bool> dead;
};
GptqFactor prepareGptq(const std::vector<double> &gram, int64_t k, double damping);

/// Quantizes w[K][N] (row-major). `gram` is K*K or empty (no calibration). GPTQ computes its factor
/// unless `factor` (from prepareGptq on the same `gram`) is given.
QuantizedWeight quantizeWeight(const float *w, int64_t k, int64_t n, const QuantizeOptions &options,
                               const std::vector<double> &gram, const GptqFactor *factor = nullptr);

/// sqrt(sum_n d_n^T G d_n / sum_n w_n^T G w_n) with d = w - q.dequantize(): the relative Frobenius error of
/// the layer output X.W on the calibration inputs (G empty: the relative weight error).
double relativeOutputError(const float *w, const QuantizedWeight &q, const std::vector<double> &gram);

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_QUANTIZE_H

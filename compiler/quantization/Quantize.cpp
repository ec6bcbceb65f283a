//===- Quantize.cpp - weight quantization methods and their error ---------------------------------------===//
#include "compiler/quantization/Quantize.h"

#include "compiler/quantization/Outliers.h"

#include <algorithm>
#include <cmath>

namespace sinter::quant {
namespace {

/// The stored scale: fp16-rounded when the format says so, never 0 or inf (a zero group keeps scale 1).
float storedScale(double scale, ScaleType type) {
  if (!(scale > 0) || !std::isfinite(scale))
    scale = 1.0;
  if (type == ScaleType::F32)
    return float(scale);
  // Round up, never down: a smaller stored scale would shrink the range and clip the group's extremes.
  uint16_t h = floatToHalf(float(std::min(scale, 65504.0)));
  if (double(halfToFloat(h)) < scale && h < 0x7bff)
    ++h; // positive halves are ordered like their bit patterns
  return h ? halfToFloat(h) : halfToFloat(1);
}

struct GroupParams {
  float scale;
  int zero;
};

/// Scale and zero for the values v[0], v[stride], ... (count of them).
GroupParams chooseParams(const float *v, int64_t stride, int64_t count, const WeightFormat &f) {
  if (f.symmetric) {
    double amax = 0;
    for (int64_t i = 0; i < count; ++i)
      amax = std::max(amax, std::fabs(double(v[i * stride])));
    return {storedScale(amax / double(f.symmetricZero() - 1 > 0 ? f.symmetricZero() - 1 : 1), f.scaleType),
            int(f.symmetricZero())};
  }
  // The range always contains 0, so 0 (and every removed outlier) is represented exactly.
  double lo = 0, hi = 0;
  for (int64_t i = 0; i < count; ++i) {
    lo = std::min(lo, double(v[i * stride]));
    hi = std::max(hi, double(v[i * stride]));
  }
  float scale = storedScale((hi - lo) / double(f.maxCode()), f.scaleType);
  double zero = std::nearbyint(-lo / double(scale));
  return {scale, int(std::clamp<double>(zero, 0, double(f.maxCode())))};
}

uint8_t encode(float v, GroupParams p, const WeightFormat &f) {
  double code = std::nearbyint(double(v) / double(p.scale)) + p.zero;
  return uint8_t(std::clamp<double>(code, 0, double(f.maxCode())));
}

float decode(uint8_t code, GroupParams p) { return p.scale * (float(code) - float(p.zero)); }

bool choleskyLower(std::vector<double> &a, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int64_t p = 0; p < j; ++p)
      d -= a[j * n + p] * a[j * n + p];
    if (!(d > 0))
      return false;
    d = std::sqrt(d);
    a[j * n + j] = d;
    for (int64_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (int64_t p = 0; p < j; ++p)
        s -= a[i * n + p] * a[j * n + p];
      a[i * n + j] = s / d;
    }
    for (int64_t i = 0; i < j; ++i)
      a[i * n + j] = 0;
  }
  return true;
}

/// U (upper, row-major) with H^-1 = U^T U, for the damped Hessian; empty when H is not positive definite.
/// Loops are ordered so the innermost one walks a row (row-major data): O(K^3) but cache-friendly.
std::vector<double> inverseHessianFactor(const std::vector<double> &h, int64_t k) {
  std::vector<double> l = h;
  if (!choleskyLower(l, k))
    return {};
  // L^-1, row by row: row i = (e_i - sum_{p<i} L[i][p] * row p) / L[i][i] (rows are lower-triangular).
  std::vector<double> li(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i) {
    double *row = li.data() + i * k;
    row[i] = 1.0;
    for (int64_t p = 0; p < i; ++p) {
      double f = l[i * k + p];
      if (f == 0)
        continue;
      const double *other = li.data() + p * k;
      for (int64_t j = 0; j <= p; ++j)
        row[j] -= f * other[j];
    }
    double d = 1.0 / l[i * k + i];
    for (int64_t j = 0; j <= i; ++j)
      row[j] *= d;
  }
  // H^-1 = L^-T L^-1 = sum_p (row p of L^-1)^T (row p of L^-1): rank-1 updates of the lower triangle.
  std::vector<double> inv(k * k, 0.0);
  for (int64_t p = 0; p < k; ++p) {
    const double *row = li.data() + p * k;
    for (int64_t i = 0; i <= p; ++i) {
      double f = row[i];
      if (f == 0)
        continue;
      double *target = inv.data() + i * k;
      for (int64_t j = 0; j <= i; ++j)
        target[j] += f * row[j];
    }
  }
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = i + 1; j < k; ++j)
      inv[i * k + j] = inv[j * k + i];
  if (!choleskyLower(inv, k))
    return {};
  // inv now holds L' with H^-1 = L' L'^T; U = L'^T.
  std::vector<double> u(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = i; j < k; ++j)
      u[i * k + j] = inv[j * k + i];
  return u;
}

} // namespace

void accumulateGram(std::vector<double> &gram, const float *x, int64_t rows, int64_t k) {
  if (gram.empty())
    gram.assign(k * k, 0.0);
  // Blocks of rows, transposed so each feature's values are contiguous: every block touches G once
  // (G is K*K doubles, far larger than the cache for real layers). Lower triangle, mirrored at the end.
  const int64_t block = 64;
  std::vector<double> xt(k * block);
  for (int64_t r0 = 0; r0 < rows; r0 += block) {
    int64_t count = std::min(block, rows - r0);
    for (int64_t r = 0; r < count; ++r)
      for (int64_t i = 0; i < k; ++i)
        xt[i * block + r] = x[(r0 + r) * k + i];
    for (int64_t i = 0; i < k; ++i) {
      const double *xi = xt.data() + i * block;
      double *g = gram.data() + i * k;
      for (int64_t j = 0; j <= i; ++j) {
        const double *xj = xt.data() + j * block;
        double sum = 0;
        for (int64_t r = 0; r < count; ++r)
          sum += xi[r] * xj[r];
        g[j] += sum;
      }
    }
  }
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = i + 1; j < k; ++j)
      gram[i * k + j] = gram[j * k + i];
}

GptqFactor prepareGptq(const std::vector<double> &gram, int64_t k, double damping) {
  GptqFactor factor;
  if (gram.empty())
    return factor;
  std::vector<double> h = gram;
  double meanDiagonal = 0;
  for (int64_t i = 0; i < k; ++i)
    meanDiagonal += h[i * k + i];
  meanDiagonal = meanDiagonal > 0 ? meanDiagonal / double(k) : 1.0;
  factor.dead.assign(k, false);
  for (int64_t i = 0; i < k; ++i)
    if (h[i * k + i] == 0) { // an input that is always 0: its weights do not matter
      h[i * k + i] = meanDiagonal;
      factor.dead[i] = true;
    }
  for (double damp = damping; damp <= 1.0 && factor.u.empty(); damp *= 10) {
    std::vector<double> damped = h;
    for (int64_t i = 0; i < k; ++i)
      damped[i * k + i] += damp * meanDiagonal;
    factor.u = inverseHessianFactor(damped, k);
  }
  return factor;
}

QuantizedWeight quantizeWeight(const float *w, int64_t k, int64_t n, const QuantizeOptions &options,
                               const std::vector<double> &gram, const GptqFactor *factor) {
  const WeightFormat &f = options.format;
  QuantizedWeight q;
  q.format = f;
  q.k = k;
  q.n = n;
  q.outliers = selectOutliers(w, k, n, options.outlierFraction, gram);
  std::vector<float> work = removeOutliers(w, k, n, q.outliers);

  // GPTQ's error feedback; RTN (and GPTQ without calibration, whose Hessian is the identity) has none.
  GptqFactor local;
  if (options.method == Method::GPTQ && !gram.empty() && !factor) {
    local = prepareGptq(gram, k, options.damping);
    factor = &local;
  }
  const std::vector<double> &u = options.method == Method::GPTQ && factor ? factor->u : local.u;
  if (!u.empty())
    for (int64_t i = 0; i < k; ++i)
      if (factor->dead[i])
        for (int64_t c = 0; c < n; ++c)
          work[i * n + c] = 0;

  int64_t groups = groupCount(k, f.groupSize);
  q.scales.assign(n * groups, 1.0f);
  if (!f.symmetric)
    q.zeros.assign(n * groups, 0);
  std::vector<GroupParams> params(n);
  std::vector<uint8_t> codes(n * k, 0);
  std::vector<double> error(n);
  for (int64_t row = 0; row < k; ++row) {
    if (row % f.groupSize == 0) {
      int64_t g = row / f.groupSize, count = std::min(f.groupSize, k - row);
      for (int64_t c = 0; c < n; ++c) {
        params[c] = chooseParams(work.data() + row * n + c, n, count, f);
        q.scales[c * groups + g] = params[c].scale;
        if (!f.symmetric)
          q.zeros[c * groups + g] = uint8_t(params[c].zero);
      }
    }
    for (int64_t c = 0; c < n; ++c) {
      float v = work[row * n + c];
      uint8_t code = encode(v, params[c], f);
      codes[c * k + row] = code;
      error[c] = u.empty() ? 0.0 : (double(v) - double(decode(code, params[c]))) / u[row * k + row];
    }
    if (u.empty())
      continue;
    for (int64_t next = row + 1; next < k; ++next) {
      double coupling = u[row * k + next];
      if (coupling == 0)
        continue;
      float *target = work.data() + next * n;
      for (int64_t c = 0; c < n; ++c)
        target[c] -= float(error[c] * coupling);
    }
  }
  q.packed = packCodes(codes, n, k, f.bits);
  return q;
}

double relativeOutputError(const float *w, const QuantizedWeight &q, const std::vector<double> &gram) {
  std::vector<float> effective = q.dequantize();
  int64_t k = q.k, n = q.n;
  double num = 0, den = 0;
  if (gram.empty()) {
    for (int64_t i = 0; i < k * n; ++i) {
      double d = double(w[i]) - double(effective[i]);
      num += d * d;
      den += double(w[i]) * double(w[i]);
    }
  } else {
    // sum_n d_n^T G d_n as rows of G times the whole D (axpy over the N columns: vectorizes, no reduction
    // chains), and the same for W.
    // Blocks of 8 rows of G share each pass over D and W, which are far larger than the cache.
    const int64_t block = 8;
    std::vector<double> d(k * n), wd(k * n), gd(block * n), gw(block * n);
    for (int64_t i = 0; i < k * n; ++i) {
      wd[i] = w[i];
      d[i] = wd[i] - double(effective[i]);
    }
    for (int64_t i0 = 0; i0 < k; i0 += block) {
      int64_t rows = std::min(block, k - i0);
      std::fill(gd.begin(), gd.end(), 0.0);
      std::fill(gw.begin(), gw.end(), 0.0);
      for (int64_t p = 0; p < k; ++p) {
        const double *dp = d.data() + p * n, *wp = wd.data() + p * n;
        for (int64_t r = 0; r < rows; ++r) {
          double f = gram[(i0 + r) * k + p];
          if (f == 0)
            continue;
          double *gdr = gd.data() + r * n, *gwr = gw.data() + r * n;
          for (int64_t c = 0; c < n; ++c) {
            gdr[c] += f * dp[c];
            gwr[c] += f * wp[c];
          }
        }
      }
      for (int64_t r = 0; r < rows; ++r) {
        const double *di = d.data() + (i0 + r) * n, *wi = wd.data() + (i0 + r) * n;
        for (int64_t c = 0; c < n; ++c) {
          num += di[c] * gd[r * n + c];
          den += wi[c] * gw[r * n + c];
        }
      }
    }
  }
  return den > 0 ? std::sqrt(std::max(num, 0.0) / den) : (num > 0 ? 1.0 : 0.0);
}

} // namespace sinter::quant

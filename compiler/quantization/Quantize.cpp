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
std::vector<double> inverseHessianFactor(std::vector<double> h, int64_t k) {
  std::vector<double> l = h;
  if (!choleskyLower(l, k))
    return {};
  // H^-1 = L^-T L^-1: invert L (lower) by forward substitution, then multiply.
  std::vector<double> li(k * k, 0.0);
  for (int64_t j = 0; j < k; ++j) {
    li[j * k + j] = 1.0 / l[j * k + j];
    for (int64_t i = j + 1; i < k; ++i) {
      double s = 0;
      for (int64_t p = j; p < i; ++p)
        s += l[i * k + p] * li[p * k + j];
      li[i * k + j] = -s / l[i * k + i];
    }
  }
  std::vector<double> inv(k * k, 0.0);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j <= i; ++j) {
      double s = 0;
      for (int64_t p = i; p < k; ++p)
        s += li[p * k + i] * li[p * k + j];
      inv[i * k + j] = inv[j * k + i] = s;
    }
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
  for (int64_t r = 0; r < rows; ++r) {
    const float *row = x + r * k;
    for (int64_t i = 0; i < k; ++i) {
      double xi = row[i];
      if (xi == 0)
        continue;
      for (int64_t j = 0; j < k; ++j)
        gram[i * k + j] += xi * double(row[j]);
    }
  }
}

QuantizedWeight quantizeWeight(const float *w, int64_t k, int64_t n, const QuantizeOptions &options,
                               const std::vector<double> &gram) {
  const WeightFormat &f = options.format;
  QuantizedWeight q;
  q.format = f;
  q.k = k;
  q.n = n;
  q.outliers = selectOutliers(w, k, n, options.outlierFraction, gram);
  std::vector<float> work = removeOutliers(w, k, n, q.outliers);

  // GPTQ's error feedback; RTN (and GPTQ without calibration, whose Hessian is the identity) has none.
  std::vector<double> u;
  if (options.method == Method::GPTQ && !gram.empty()) {
    std::vector<double> h = gram;
    double meanDiagonal = 0;
    for (int64_t i = 0; i < k; ++i)
      meanDiagonal += h[i * k + i];
    meanDiagonal = meanDiagonal > 0 ? meanDiagonal / double(k) : 1.0;
    for (int64_t i = 0; i < k; ++i)
      if (h[i * k + i] == 0) { // an input that is always 0: its weights do not matter
        h[i * k + i] = meanDiagonal;
        for (int64_t c = 0; c < n; ++c)
          work[i * n + c] = 0;
      }
    for (double damp = options.damping; damp <= 1.0 && u.empty(); damp *= 10) {
      std::vector<double> damped = h;
      for (int64_t i = 0; i < k; ++i)
        damped[i * k + i] += damp * meanDiagonal;
      u = inverseHessianFactor(damped, k);
    }
  }

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
      double factor = u[row * k + next];
      if (factor == 0)
        continue;
      float *target = work.data() + next * n;
      for (int64_t c = 0; c < n; ++c)
        target[c] -= float(error[c] * factor);
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
    std::vector<double> d(k), wc(k);
    for (int64_t c = 0; c < n; ++c) {
      for (int64_t i = 0; i < k; ++i) {
        wc[i] = w[i * n + c];
        d[i] = wc[i] - double(effective[i * n + c]);
      }
      for (int64_t i = 0; i < k; ++i) {
        const double *g = gram.data() + i * k;
        double gd = 0, gw = 0;
        for (int64_t j = 0; j < k; ++j) {
          gd += g[j] * d[j];
          gw += g[j] * wc[j];
        }
        num += d[i] * gd;
        den += wc[i] * gw;
      }
    }
  }
  return den > 0 ? std::sqrt(std::max(num, 0.0) / den) : (num > 0 ? 1.0 : 0.0);
}

} // namespace sinter::quant

/*===- pool.c - the 2-D pooling ukernel of Sinter's CPU target ---------------------------------------------===
 *
 * out[n, c, oh, ow] = op(out[n, c, oh, ow], in[n, c, oh * sh + kh * dh, ow * sw + kw * dw]) over the window
 * (kh, kw), op = maximum (NaN-propagating, like arith.maximumf) or sum: linalg.pooling_nchw_max / _sum. The
 * input may be read unpadded: the window then starts ph rows and pw columns before it, and elements outside
 * the ih x iw input are skipped (the identity of the op: a max pool's -inf padding, a sum pool's +0), so
 * the padded copy is never written. Loops lowered from linalg keep the accumulator in memory and scalarize the window
 * reads (strided along ow when the stride is not 1); here each output row is computed VL columns at a time
 * with the accumulator in registers, the window rows read as contiguous vectors (stride 1) or as pairs of
 * vectors split into even lanes (stride 2). Other strides gather lanes one by one.
 *
 * Same build as sgemm.c: LLVM bitcode per vector width, linked into the executables that call it.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#include <stdint.h>

#ifndef SINTER_UK_VL
#error "SINTER_UK_VL (vector lanes) must be defined"
#endif

#define VL SINTER_UK_VL
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define POOL CAT(sinter_uk_pool2d_v, VL)

typedef float vf __attribute__((vector_size(VL * 4), aligned(4))); /* unaligned loads and stores */

typedef int32_t vi __attribute__((vector_size(VL * 4)));

/* max keeps acc where acc > x or acc is NaN, else takes x: NaN from either side propagates, and +0 wins
 * over -0, as in arith.maximumf. Bitwise selects, so the vector form is branch-free on every compiler. */
static inline vf combine(vf acc, vf x, int64_t sum) {
  if (sum)
    return acc + x;
  vi keep = (acc > x) | (acc != acc);
  return (vf)(((vi)acc & keep) | ((vi)x & ~keep));
}
static inline float combine1(float acc, float x, int64_t sum) {
  if (sum)
    return acc + x;
  return acc > x || acc != acc ? acc : x;
}

/* VL window values of one input row at columns lane * sw. `pair` allows the stride-2 path its pair of
 * vector loads, which reads one column past the last lane's. */
static inline vf load_window(const float *p, int64_t sw, int pair) {
  if (sw == 1)
    return *(const vf *)p;
#if VL == 4
  if (sw == 2 && pair)
    return __builtin_shufflevector(*(const vf *)p, *(const vf *)(p + VL), 0, 2, 4, 6);
#elif VL == 8
  if (sw == 2 && pair)
    return __builtin_shufflevector(*(const vf *)p, *(const vf *)(p + VL), 0, 2, 4, 6, 8, 10, 12, 14);
#elif VL == 16
  if (sw == 2 && pair)
    return __builtin_shufflevector(*(const vf *)p, *(const vf *)(p + VL), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
                                   22, 24, 26, 28, 30);
#endif
  vf v;
  for (int l = 0; l < VL; ++l)
    v[l] = p[l * sw];
  return v;
}

/* One output column by scalars, window elements outside the input skipped. */
static inline float pool_column(const float *in, float acc, int64_t top, int64_t col, int64_t i0, int64_t i1,
                                int64_t in_hs, int64_t iw, int64_t kw, int64_t dh, int64_t dw, int64_t sum) {
  for (int64_t i = i0; i < i1; ++i) {
    const float *row = in + (top + i * dh) * in_hs;
    for (int64_t j = 0; j < kw; ++j) {
      int64_t x = col + j * dw;
      if (x >= 0 && x < iw)
        acc = combine1(acc, row[x], sum);
    }
  }
  return acc;
}

/* One plane: out rows [0, ohs) x columns [0, ows) over an ih x iw input whose window origin is (-ph, -pw).
 * Inner strides are 1. Window rows outside the input are skipped per output row; the columns whose whole
 * window lies inside go a vector at a time, the others (the borders) by scalars. With `fresh` the output
 * starts at the op's identity instead of its own value (its fill is not read). */
static void pool_plane(const float *in, float *out, int64_t ohs, int64_t ows, int64_t ih, int64_t iw, int64_t ph,
                       int64_t pw, int64_t in_hs, int64_t out_hs, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                       int64_t dh, int64_t dw, int64_t sum, int64_t fresh) {
  float identity = sum ? 0.0f : -__builtin_inff();
  /* Vector columns: c * sw - pw >= 0, and the last lane's window ends inside the row. */
  int64_t first = (pw + sw - 1) / sw, span = (kw - 1) * dw;
  for (int64_t r = 0; r < ohs; ++r) {
    float *o = out + r * out_hs;
    int64_t top = r * sh - ph; /* the input row of window row 0 */
    int64_t i0 = top >= 0 ? 0 : (-top + dh - 1) / dh, i1 = kh;
    while (i1 > i0 && top + (i1 - 1) * dh >= ih)
      --i1;
    int64_t c = 0;
    for (; c < first && c < ows; ++c)
      o[c] = pool_column(in, fresh ? identity : o[c], top, c * sw - pw, i0, i1, in_hs, iw, kw, dh, dw, sum);
    for (; c + VL <= ows && (c + VL - 1) * sw - pw + span < iw; c += VL) {
      /* The pair of loads ends at column c * sw - pw + span + 2 * VL - 1: past the row on its last vectors,
       * where the next row (or the buffer's end) begins. */
      int pair = c * sw - pw + span + 2 * VL - 1 < iw;
      vf acc = fresh ? (vf){0} + identity : *(vf *)(o + c);
      for (int64_t i = i0; i < i1; ++i) {
        const float *p = in + (top + i * dh) * in_hs + c * sw - pw;
        for (int64_t j = 0; j < kw; ++j)
          acc = combine(acc, load_window(p + j * dw, sw, pair), sum);
      }
      *(vf *)(o + c) = acc;
    }
    for (; c < ows; ++c)
      o[c] = pool_column(in, fresh ? identity : o[c], top, c * sw - pw, i0, i1, in_hs, iw, kw, dh, dw, sum);
  }
}

/* Addresses are byte addresses of element [0, 0, 0, 0]; strides in elements. The input is ih x iw per plane,
 * read from window origin (-ph, -pw) (0, 0 for an input padded already). With `fresh`, the output's initial
 * value is the op's identity (its fill is dropped), not read. Planes (n, c) are split evenly over the
 * workgroups: this one takes [id * planes / count, (id + 1) * planes / count). */
void POOL(int64_t in_addr, int64_t out_addr, int64_t n, int64_t c, int64_t ohs, int64_t ows, int64_t in_ns,
          int64_t in_cs, int64_t in_hs, int64_t out_ns, int64_t out_cs, int64_t out_hs, int64_t kh, int64_t kw,
          int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t sum, int64_t ih, int64_t iw, int64_t ph, int64_t pw,
          int64_t fresh, int64_t id, int64_t count) {
  const float *in = (const float *)(uintptr_t)in_addr;
  float *out = (float *)(uintptr_t)out_addr;
  int64_t planes = n * c;
  int64_t begin = id * planes / count, end = (id + 1) * planes / count;
  for (int64_t p = begin; p < end; ++p) {
    int64_t b = p / c, ch = p % c;
    pool_plane(in + b * in_ns + ch * in_cs, out + b * out_ns + ch * out_cs, ohs, ows, ih, iw, ph, pw, in_hs, out_hs,
               kh, kw, sh, sw, dh, dw, sum, fresh);
  }
}

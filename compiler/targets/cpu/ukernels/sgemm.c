/*===- sgemm.c - the f32 matrix-multiply ukernel of Sinter's CPU target -----------------------------------===
 *
 * C[b, m, n] += sum_k A[b, m, k] * B[b, k, n] over arbitrary element strides, for one workgroup's share of
 * the work units (sgemm_tiles.h). Compiled to LLVM bitcode at build time (one file per vector width) and
 * linked into each executable that calls it, where LLVM specializes it for the target CPU (the functions
 * carry no target attributes of their own) and inlines it into the dispatch.
 *
 * Written with GCC/Clang vector extensions rather than intrinsics so one source serves AVX2 (8 lanes),
 * AVX-512 (16) and NEON (4): SINTER_UK_VL sets the width. Two paths:
 * - M == 1 (matrix-vector, memory bound): no packing; B is streamed once, along n when its rows are
 *   contiguous (4 k-rows per pass), or as dot products along k when its columns are.
 * - otherwise the GotoBLAS/BLIS structure: per KC-deep block, pack the unit's B block into NR-wide panels
 *   and its A rows into MR-high panels (zero padded, so every micro-tile is full), then an MR x NR register
 *   tile (MR = 6 rows x 2 vectors: 12 accumulators) per micro-panel pair; edge tiles go through a local
 *   buffer so only valid elements reach C. Packing makes transposed or strided operands cost nothing extra.
 * Both entry points end with an elementwise epilogue (sgemm_epilogue.h: C's initial value, a bias, an
 * addend, a clamp) applied as each micro-tile is stored, while its accumulators are still in registers:
 * the base on the first K block's store, the addend and clamp on the last one's.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#include "sgemm_epilogue.h"
#include "sgemm_tiles.h"

#include <stddef.h>
#include <stdint.h>

#ifndef SINTER_UK_VL
#error "SINTER_UK_VL (vector lanes) must be defined"
#endif

#define VL SINTER_UK_VL
#define MR 6
#define NR (2 * VL)
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SGEMM CAT(sinter_uk_sgemm_v, VL)
#define GATHER CAT(sinter_uk_sgemm_gather_v, VL)

typedef float vf __attribute__((vector_size(VL * 4), aligned(4))); /* unaligned loads and stores */
typedef float vfa __attribute__((vector_size(VL * 4)));           /* aligned: packed buffers */
typedef int32_t vi __attribute__((vector_size(VL * 4)));
typedef uint32_t vu __attribute__((vector_size(VL * 4)));

/* The epilogue (sgemm_epilogue.h) of one block: bias and addend pointers at the block's element (0, 0). */
typedef struct {
  int64_t init;
  const float *bias, *add;
  int64_t bms, bns, ams, ans;
  float lo, hi;
  int clamp; /* a bound is finite */
} epilogue;

static epilogue make_epilogue(int64_t init, int64_t bias_addr, int64_t bias_ms, int64_t bias_ns, int64_t add_addr,
                              int64_t add_ms, int64_t add_ns, float lo, float hi) {
  epilogue e = {init,   (const float *)(uintptr_t)bias_addr, (const float *)(uintptr_t)add_addr, bias_ms, bias_ns,
                add_ms, add_ns, lo, hi, lo > -__builtin_inff() || hi < __builtin_inff()};
  return e;
}

/* `e` moved to the block whose element (0, 0) is (m0, n0). */
static epilogue epilogue_at(const epilogue *e, int64_t m0, int64_t n0) {
  epilogue moved = *e;
  if (moved.bias)
    moved.bias += m0 * e->bms + n0 * e->bns;
  if (moved.add)
    moved.add += m0 * e->ams + n0 * e->ans;
  return moved;
}

/* v[0..NR) += p[0], p[ns], ..., p[(NR - 1) * ns]: a broadcast, two vector loads, or a gather. */
static inline void add_row(vf *v0, vf *v1, const float *p, int64_t ns) {
  if (ns == 0) {
    *v0 += p[0];
    *v1 += p[0];
  } else if (ns == 1) {
    *v0 += *(const vf *)p;
    *v1 += *(const vf *)(p + VL);
  } else {
    float row[NR];
    for (int l = 0; l < NR; ++l)
      row[l] = p[l * ns];
    *v0 += *(vf *)&row[0];
    *v1 += *(vf *)&row[VL];
  }
}

/* *x = x < lo ? lo : x > hi ? hi : x, lane by lane (a NaN fails both tests and passes through). */
static inline void clamp_vector(vf *x, float lo, float hi) {
  vf l, h;
  for (int i = 0; i < VL; ++i) {
    l[i] = lo;
    h[i] = hi;
  }
  vi below = *x < l, above = *x > h;
  vi v = (below & (vi)l) | (~below & (vi)*x);
  *x = (vf)((above & (vi)h) | (~above & v));
}

/* A (rows m0..m0+mc, depth k0..k0+kc) -> MR-high panels, each kc columns of MR contiguous values. */
static void pack_a(const float *a, int64_t ms, int64_t ks, int64_t mc, int64_t kc, float *restrict out) {
  for (int64_t i = 0; i < mc; i += MR) {
    int64_t rows = mc - i < MR ? mc - i : MR;
    for (int64_t k = 0; k < kc; ++k) {
      int64_t r = 0;
      for (; r < rows; ++r)
        out[r] = a[(i + r) * ms + k * ks];
      for (; r < MR; ++r)
        out[r] = 0.0f;
      out += MR;
    }
  }
}

/* B (depth kc, columns nc) -> NR-wide panels, each kc rows of NR contiguous values. Walks B row by row
 * (a row's nc values are contiguous when ns == 1): one pass over each row, prefetcher- and TLB-friendly,
 * scattering NR-wide pieces to the panels. */
static void pack_b(const float *b, int64_t ks, int64_t ns, int64_t kc, int64_t nc, float *restrict out) {
  int64_t fullPanels = ns == 1 ? nc / NR : 0;
  for (int64_t k = 0; k < kc; ++k) {
    const float *row = b + k * ks;
    for (int64_t p = 0; p < fullPanels; ++p)
      for (int64_t c = 0; c < NR; c += VL)
        *(vfa *)(out + p * kc * NR + k * NR + c) = *(const vf *)(row + p * NR + c);
  }
  for (int64_t j = fullPanels * NR; j < nc; j += NR) {
    int64_t cols = nc - j < NR ? nc - j : NR;
    float *panel = out + (j / NR) * kc * NR;
    for (int64_t k = 0; k < kc; ++k) {
      int64_t c = 0;
      for (; c < cols; ++c)
        panel[k * NR + c] = b[k * ks + (j + c) * ns];
      for (; c < NR; ++c)
        panel[k * NR + c] = 0.0f;
    }
  }
}

/* Columns 2 apart (stride-2 convolutions): the panel's NR values p[0], p[2], ..., p[2 * NR - 2] from four
 * vector loads, the last one shifted back one element so that nothing past p[2 * NR - 2] is read. */
static inline void gather_stride2(const float *p, float *restrict panel) {
  vf v0 = *(const vf *)p, v1 = *(const vf *)(p + VL), v2 = *(const vf *)(p + 2 * VL),
     v3 = *(const vf *)(p + 3 * VL - 1);
#if VL == 4
  *(vfa *)panel = __builtin_shufflevector(v0, v1, 0, 2, 4, 6);
  *(vfa *)(panel + VL) = __builtin_shufflevector(v2, v3, 0, 2, 5, 7);
#elif VL == 8
  *(vfa *)panel = __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14);
  *(vfa *)(panel + VL) = __builtin_shufflevector(v2, v3, 0, 2, 4, 6, 9, 11, 13, 15);
#elif VL == 16
  *(vfa *)panel = __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  *(vfa *)(panel + VL) =
      __builtin_shufflevector(v2, v3, 0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31);
#else
#error "unsupported SINTER_UK_VL"
#endif
}

/* B read through offset tables (a convolution's im2col matrix read straight from its input):
 * B[k, n] = b[koff[k] + noff[n]], tables already offset to the block's first row and column. A panel whose
 * NR columns are consecutive elements (stride-1 convolutions, within an output row) is copied as vectors,
 * one whose columns are 2 apart (stride 2) deinterleaved from vectors; others gather element by element.
 * Either way the im2col matrix is never written to memory. */
static void pack_b_gather(const float *b, const int32_t *koff, const int32_t *noff, int64_t kc, int64_t nc,
                          float *restrict out) {
  for (int64_t j = 0; j < nc; j += NR) {
    int64_t cols = nc - j < NR ? nc - j : NR;
    float *panel = out + (j / NR) * kc * NR;
    const int32_t *cn = noff + j;
    int contiguous = cols == NR, strided = cols == NR;
    for (int64_t c = 1; c < cols; ++c) {
      contiguous &= cn[c] == cn[0] + c;
      strided &= cn[c] == cn[0] + 2 * c;
    }
    if (strided) {
      for (int64_t k = 0; k < kc; ++k)
        gather_stride2(b + koff[k] + cn[0], panel + k * NR);
      continue;
    }
    if (contiguous) {
      for (int64_t k = 0; k < kc; ++k) {
        const float *src = b + koff[k] + cn[0];
        *(vfa *)(panel + k * NR) = *(const vf *)src;
        *(vfa *)(panel + k * NR + VL) = *(const vf *)(src + VL);
      }
      continue;
    }
    for (int64_t k = 0; k < kc; ++k) {
      const float *row = b + koff[k];
      int64_t c = 0;
      for (; c < cols; ++c)
        panel[k * NR + c] = row[cn[c]];
      for (; c < NR; ++c)
        panel[k * NR + c] = 0.0f;
    }
  }
}

/* Zero padding read in place (a convolution's tensor.pad, never materialized): B[k, n] is the element
 * b[koff[k] + noff[n]] of the unpadded input when its two padded coordinates, krow[k] + nrow[n] and
 * kcol[k] + ncol[n], lie in [0, rows) and [0, cols), and 0 otherwise (the offsets of the zeros may point
 * anywhere: they are never read). b has `elems` elements; vector loads are used only inside them. nrow and
 * ncol are offset to the unit's first column, krow and kcol are not. */
typedef struct {
  const int32_t *krow, *kcol, *nrow, *ncol;
  int64_t rows, cols, elems;
} padding;

/* One panel row of the padded gather, element by element: `cols` columns, zeros past them. */
static inline void gather_padded_row(const float *row, const int32_t *cn, const int32_t *nr, const int32_t *nq,
                                     int32_t kr, int32_t kq, const padding *pd, int64_t cols, float *restrict dst) {
  int64_t c = 0;
  for (; c < cols; ++c) {
    int inside = (uint32_t)(nr[c] + kr) < (uint32_t)pd->rows && (uint32_t)(nq[c] + kq) < (uint32_t)pd->cols;
    dst[c] = inside ? row[cn[c]] : 0.0f;
  }
  for (; c < NR; ++c)
    dst[c] = 0.0f;
}

/* A full panel whose columns run 2 apart within at most 3 output rows (a stride-2 convolution's panel across
 * row ends: the stem's 112-wide rows, the 28-wide ones of a downsampling 3x3): each run is deinterleaved from
 * vectors as gather_stride2 does, starting its first lane's shift earlier, and the runs merge by lanes; then
 * the padding mask as on the other masked paths. Returns 0, writing nothing, when the columns are not of that
 * form or a vector read would leave b (then the caller goes lane by lane). */
static int pack_segments_stride2(const float *b, const int32_t *koff, const int32_t *cn, const int32_t *nr,
                                 const int32_t *nq, const int32_t *krow, const int32_t *kcol, const padding *pd,
                                 int32_t kolo, int32_t kohi, int64_t kc, float *restrict panel) {
  int first[4], runs = 0;
  int32_t shift[3];
  for (int l = 0; l < NR; ++l)
    if (l == 0 || cn[l] != cn[l - 1] + 2) {
      if (runs == 3)
        return 0;
      first[runs] = l;
      shift[runs++] = cn[l] - 2 * l; /* lane l' of the run reads b[ko + shift + 2 l'] */
    }
  first[runs] = NR;
  int32_t slo = shift[0], shi = shift[0];
  for (int i = 1; i < runs; ++i) {
    slo = shift[i] < slo ? shift[i] : slo;
    shi = shift[i] > shi ? shift[i] : shi;
  }
  if ((int64_t)kolo + slo < 0 || (int64_t)kohi + shi + 2 * NR - 1 > pd->elems)
    return 0;
  vi in0[3], in1[3], r0, r1, q0, q1; /* each run's lanes; the lanes' padded coordinates */
  for (int l = 0; l < VL; ++l) {
    for (int i = 0; i < runs; ++i) {
      in0[i][l] = l >= first[i] && l < first[i + 1] ? -1 : 0;
      in1[i][l] = VL + l >= first[i] && VL + l < first[i + 1] ? -1 : 0;
    }
    r0[l] = nr[l];
    r1[l] = nr[VL + l];
    q0[l] = nq[l];
    q1[l] = nq[VL + l];
  }
  vu rows = (vu){0} + (uint32_t)pd->rows, colsv = (vu){0} + (uint32_t)pd->cols;
  for (int64_t k = 0; k < kc; ++k) {
    int32_t kr = krow[k], kq = kcol[k];
    float *dst = panel + k * NR;
    vi v0 = (vi){0}, v1 = (vi){0};
    for (int i = 0; i < runs; ++i) {
      gather_stride2(b + koff[k] + shift[i], dst);
      v0 |= (vi) * (const vfa *)dst & in0[i];
      v1 |= (vi) * (const vfa *)(dst + VL) & in1[i];
    }
    vi m0 = ((vu)(r0 + kr) < rows) & ((vu)(q0 + kq) < colsv), m1 = ((vu)(r1 + kr) < rows) & ((vu)(q1 + kq) < colsv);
    *(vfa *)dst = (vfa)(v0 & m0);
    *(vfa *)(dst + VL) = (vfa)(v1 & m1);
  }
  return 1;
}

/* pack_b_gather through `pd`'s bounds, at nearly its cost: with few rows of C per packed panel (64 output
 * channels) packing is a tenth of a convolution's time, so no test runs per element or, mostly, per k.
 * The block's ranges of krow, kcol and koff are taken once; a panel whose columns' padded coordinates keep
 * every k of the block inside the input is copied exactly as unpadded (most panels of wide maps). Other
 * panels (those at the map's borders) mask each row's vector loads lane by lane, branch-free, when all of
 * the block's loads stay inside b; else (the input's first and last rows) they go element by element. */
static void pack_b_gather_padded(const float *b, const int32_t *koff, const int32_t *noff, const padding *pd,
                                 int64_t k0, int64_t kc, int64_t nc, float *restrict out) {
  const int32_t *krow = pd->krow + k0, *kcol = pd->kcol + k0;
  int32_t krlo = krow[0], krhi = krow[0], kqlo = kcol[0], kqhi = kcol[0], kolo = koff[0], kohi = koff[0];
  for (int64_t k = 1; k < kc; ++k) {
    krlo = krow[k] < krlo ? krow[k] : krlo;
    krhi = krow[k] > krhi ? krow[k] : krhi;
    kqlo = kcol[k] < kqlo ? kcol[k] : kqlo;
    kqhi = kcol[k] > kqhi ? kcol[k] : kqhi;
    kolo = koff[k] < kolo ? koff[k] : kolo;
    kohi = koff[k] > kohi ? koff[k] : kohi;
  }
  vu rows = (vu){0} + (uint32_t)pd->rows, colsv = (vu){0} + (uint32_t)pd->cols;
  for (int64_t j = 0; j < nc; j += NR) {
    int64_t cols = nc - j < NR ? nc - j : NR;
    float *panel = out + (j / NR) * kc * NR;
    const int32_t *cn = noff + j, *nr = pd->nrow + j, *nq = pd->ncol + j;
    int contiguous = cols == NR, strided = cols == NR;
    int32_t rlo = nr[0], rhi = nr[0], qlo = nq[0], qhi = nq[0];
    for (int64_t c = 1; c < cols; ++c) {
      contiguous &= cn[c] == cn[0] + c;
      strided &= cn[c] == cn[0] + 2 * c;
      rlo = nr[c] < rlo ? nr[c] : rlo;
      rhi = nr[c] > rhi ? nr[c] : rhi;
      qlo = nq[c] < qlo ? nq[c] : qlo;
      qhi = nq[c] > qhi ? nq[c] : qhi;
    }
    int inside = (int64_t)krlo + rlo >= 0 && (int64_t)krhi + rhi < pd->rows && (int64_t)kqlo + qlo >= 0 &&
                 (int64_t)kqhi + qhi < pd->cols;
    int64_t span = contiguous ? NR : 2 * NR - 1; /* elements the vector loads read */
    int loadable = (int64_t)kolo + cn[0] >= 0 && (int64_t)kohi + cn[0] + span <= pd->elems;
    if (!contiguous && !strided && cols == NR && pack_segments_stride2(b, koff, cn, nr, nq, krow, kcol, pd, kolo, kohi,
                                                                       kc, panel))
      continue;
    if (!contiguous && !strided && cols == NR) {
      /* Columns in no vector pattern (a stride-2 panel across two output rows): lane offsets and
       * coordinates as vectors, the lanes outside pointed at b[0] and zeroed, so the k loop has no branch. */
      vi c0, c1, r0, r1, q0, q1;
      for (int l = 0; l < VL; ++l) {
        c0[l] = cn[l];
        c1[l] = cn[VL + l];
        r0[l] = nr[l];
        r1[l] = nr[VL + l];
        q0[l] = nq[l];
        q1[l] = nq[VL + l];
      }
      for (int64_t k = 0; k < kc; ++k) {
        int32_t kr = krow[k], kq = kcol[k], ko = koff[k];
        vi m0 = ((vu)(r0 + kr) < rows) & ((vu)(q0 + kq) < colsv), m1 = ((vu)(r1 + kr) < rows) & ((vu)(q1 + kq) < colsv);
        vi i0 = (c0 + ko) & m0, i1 = (c1 + ko) & m1;
        vi v0, v1;
        for (int l = 0; l < VL; ++l) {
          v0[l] = ((const int32_t *)b)[i0[l]];
          v1[l] = ((const int32_t *)b)[i1[l]];
        }
        *(vfa *)(panel + k * NR) = (vfa)(v0 & m0);
        *(vfa *)(panel + k * NR + VL) = (vfa)(v1 & m1);
      }
      continue;
    }
    if ((!contiguous && !strided) || (!inside && !loadable)) {
      for (int64_t k = 0; k < kc; ++k)
        gather_padded_row(b + koff[k], cn, nr, nq, krow[k], kcol[k], pd, cols, panel + k * NR);
      continue;
    }
    if (inside) { /* every k of the block inside: the unpadded copy */
      if (contiguous)
        for (int64_t k = 0; k < kc; ++k) {
          const float *src = b + koff[k] + cn[0];
          *(vfa *)(panel + k * NR) = *(const vf *)src;
          *(vfa *)(panel + k * NR + VL) = *(const vf *)(src + VL);
        }
      else
        for (int64_t k = 0; k < kc; ++k)
          gather_stride2(b + koff[k] + cn[0], panel + k * NR);
      continue;
    }
    vi r0, r1, q0, q1; /* the lanes' padded coordinates (cols == NR here) */
    for (int l = 0; l < VL; ++l) {
      r0[l] = nr[l];
      r1[l] = nr[VL + l];
      q0[l] = nq[l];
      q1[l] = nq[VL + l];
    }
    for (int64_t k = 0; k < kc; ++k) {
      int32_t kr = krow[k], kq = kcol[k];
      float *dst = panel + k * NR;
      const float *src = b + koff[k] + cn[0];
      vi v0, v1;
      if (contiguous) {
        v0 = (vi) * (const vf *)src;
        v1 = (vi) * (const vf *)(src + VL);
      } else {
        gather_stride2(src, dst);
        /* The deinterleaved row is in memory already: mask it only when this k reaches the border. */
        if (kr + rlo >= 0 && kr + rhi < pd->rows && kq + qlo >= 0 && kq + qhi < pd->cols)
          continue;
        v0 = (vi) * (const vfa *)dst;
        v1 = (vi) * (const vfa *)(dst + VL);
      }
      vi m0 = ((vu)(r0 + kr) < rows) & ((vu)(q0 + kq) < colsv), m1 = ((vu)(r1 + kr) < rows) & ((vu)(q1 + kq) < colsv);
      *(vfa *)dst = (vfa)(v0 & m0);
      *(vfa *)(dst + VL) = (vfa)(v1 & m1);
    }
  }
}
/* acc (MR x NR) = sum over kc of packed A panel x packed B panel, for the first R rows (R = MR but on the
 * last row tile: M = 32 is 5 tiles of 6 and one of 2, and computing the 4 padding rows too cost 4 / 36 of the
 * MLP's FMAs); the rest of acc is zero. Each R gets its own unrolled copy (gemm_block). */
#define TILE inline __attribute__((always_inline))
static TILE void micro_tile(const float *restrict pa, const float *restrict pb, int64_t kc, vf acc[MR][2],
                            const int R) {
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = (vf){0};
  for (int64_t k = 0; k < kc; ++k, pa += MR, pb += NR) {
    vf b0 = *(const vfa *)pb, b1 = *(const vfa *)(pb + VL);
    for (int r = 0; r < R; ++r) { /* scalar * vector: a broadcast load feeding two FMAs */
      acc[r][0] += pa[r] * b0;
      acc[r][1] += pa[r] * b1;
    }
  }
}

/* The same with A read in place: rows of A contiguous along k (stride 1), `ams` apart. Skipping the A pack
 * saves a gather per element; the MR rows stay in L1 across the k loop. Rows past `rows` repeat the last one
 * (their results are discarded), so the loop is branch-free. */
static TILE void micro_tile_rows(const float *a, int64_t ams, const float *restrict pb, int64_t kc, vf acc[MR][2],
                                 const int R) {
  const float *ar[MR];
  for (int r = 0; r < R; ++r)
    ar[r] = a + r * ams;
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = (vf){0};
  for (int64_t k = 0; k < kc; ++k, pb += NR) {
    vf b0 = *(const vfa *)pb, b1 = *(const vfa *)(pb + VL);
    for (int r = 0; r < R; ++r) {
      acc[r][0] += ar[r][k] * b0;
      acc[r][1] += ar[r][k] * b1;
    }
  }
}

/* The same two for an edge panel of at most VL valid columns (ResNet's 7x7 maps: N = 49 = 3 * 16 + 1):
 * one vector per row instead of two, so the padding columns cost half. acc[r][1] is zeroed. */
static TILE void micro_tile_narrow(const float *restrict pa, const float *restrict pb, int64_t kc, vf acc[MR][2],
                                   const int R) {
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = (vf){0};
  for (int64_t k = 0; k < kc; ++k, pa += MR, pb += NR) {
    vf b0 = *(const vfa *)pb;
    for (int r = 0; r < R; ++r)
      acc[r][0] += pa[r] * b0;
  }
}

static TILE void micro_tile_rows_narrow(const float *a, int64_t ams, const float *restrict pb, int64_t kc,
                                        vf acc[MR][2], const int R) {
  const float *ar[MR];
  for (int r = 0; r < R; ++r)
    ar[r] = a + r * ams;
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = (vf){0};
  for (int64_t k = 0; k < kc; ++k, pb += NR) {
    vf b0 = *(const vfa *)pb;
    for (int r = 0; r < R; ++r)
      acc[r][0] += ar[r][k] * b0;
  }
}

/* Stores a micro-tile: C = acc + (C, 0 or the bias on the `first` K block; C on later ones), then on the
 * `last` block + addend and clamp (sgemm_epilogue.h). (i, j): the tile's position in `e`'s block. */
static void store_tile(vf acc[MR][2], float *c, int64_t ms, int64_t ns, int64_t rows, int64_t cols,
                       const epilogue *e, int64_t i, int64_t j, int first, int last) {
  int readC = !first || e->init == SINTER_UK_INIT_ACCUMULATE;
  const float *bias = first && e->init == SINTER_UK_INIT_BIAS ? e->bias + i * e->bms + j * e->bns : 0;
  const float *add = last && e->add ? e->add + i * e->ams + j * e->ans : 0;
  int clamp = last && e->clamp;
  if (ns == 1 && cols == NR) {
    for (int64_t r = 0; r < rows; ++r) {
      vf v0 = acc[r][0], v1 = acc[r][1];
      float *cr = c + r * ms;
      if (readC) {
        v0 += *(vf *)cr;
        v1 += *(vf *)(cr + VL);
      }
      if (bias)
        add_row(&v0, &v1, bias + r * e->bms, e->bns);
      if (add)
        add_row(&v0, &v1, add + r * e->ams, e->ans);
      if (clamp) {
        clamp_vector(&v0, e->lo, e->hi);
        clamp_vector(&v1, e->lo, e->hi);
      }
      *(vf *)cr = v0;
      *(vf *)(cr + VL) = v1;
    }
    return;
  }
  float tile[MR][NR];
  for (int r = 0; r < MR; ++r) {
    *(vf *)&tile[r][0] = acc[r][0];
    *(vf *)&tile[r][VL] = acc[r][1];
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t l = 0; l < cols; ++l) {
      float v = tile[r][l];
      float *at = c + r * ms + l * ns;
      if (readC)
        v += *at;
      if (bias)
        v += bias[r * e->bms + l * e->bns];
      if (add)
        v += add[r * e->ams + l * e->ans];
      if (clamp) {
        v = v < e->lo ? e->lo : v;
        v = v > e->hi ? e->hi : v;
      }
      *at = v;
    }
}

/* One unit of the packed path: rows [m0, m0+mc) x columns [n0, n0+nc). `panels`, when not null, is B
 * already packed at compile time (sinter-pack-weights: panel p = K rows of NR values, the unit's first
 * panel first), so B is not packed here. */
static void gemm_block(const float *a, const float *b, const float *panels, const int32_t *koff, const int32_t *noff,
                       const padding *pad, float *c, int64_t K, int64_t ams, int64_t aks, int64_t bks, int64_t bns,
                       int64_t cms, int64_t cns, int64_t mc, int64_t nc, const epilogue *e) {
  /* Row blocks: SINTER_UK_SGEMM_MB rows, or up to SINTER_UK_SGEMM_GATHER_MB on the gather path. */
  _Alignas(64) float pa[(SINTER_UK_SGEMM_GATHER_MB > SINTER_UK_SGEMM_MB ? SINTER_UK_SGEMM_GATHER_MB : SINTER_UK_SGEMM_MB) *
                        SINTER_UK_SGEMM_KC];
  _Alignas(64) float pb[SINTER_UK_SGEMM_KC * SINTER_UK_SGEMM_NB];
  for (int64_t k0 = 0; k0 < K; k0 += SINTER_UK_SGEMM_KC) {
    int64_t kc = K - k0 < SINTER_UK_SGEMM_KC ? K - k0 : SINTER_UK_SGEMM_KC;
    int direct = aks == 1; /* rows of A contiguous: read them in place */
    if (!direct)
      pack_a(a + k0 * aks, ams, aks, mc, kc, pa);
    if (koff && pad)
      pack_b_gather_padded(b, koff + k0, noff, pad, k0, kc, nc, pb);
    else if (koff)
      pack_b_gather(b, koff + k0, noff, kc, nc, pb);
    else if (!panels)
      pack_b(b + k0 * bks, bks, bns, kc, nc, pb);
    /* Row tiles outer, column panels inner: consecutive tiles update the same rows of C (the same pages). */
    for (int64_t i = 0; i < mc; i += MR) {
      int64_t rows = mc - i < MR ? mc - i : MR;
      for (int64_t j = 0; j < nc; j += NR) {
        int64_t cols = nc - j < NR ? nc - j : NR;
        vf acc[MR][2];
        const float *panel = panels ? panels + (j / NR) * K * NR + k0 * NR : pb + j * kc;
#define TILE_CALLS(R)                                                                                          \
  if (direct && cols <= VL)                                                                                    \
    micro_tile_rows_narrow(a + i * ams + k0, ams, panel, kc, acc, R);                                          \
  else if (direct)                                                                                             \
    micro_tile_rows(a + i * ams + k0, ams, panel, kc, acc, R);                                                 \
  else if (cols <= VL)                                                                                         \
    micro_tile_narrow(pa + i * kc, panel, kc, acc, R);                                                         \
  else                                                                                                         \
    micro_tile(pa + i * kc, panel, kc, acc, R);
        switch (rows) { /* a constant R per copy: its loops unroll into registers */
        case 1: TILE_CALLS(1) break;
        case 2: TILE_CALLS(2) break;
        case 3: TILE_CALLS(3) break;
        case 4: TILE_CALLS(4) break;
        case 5: TILE_CALLS(5) break;
        default: TILE_CALLS(MR) break;
        }
#undef TILE_CALLS
        store_tile(acc, c + i * cms + j * cns, cms, cns, rows, cols, e, i, j, k0 == 0, k0 + kc >= K);
      }
    }
  }
}

/* M == 1 with B packed at compile time: each panel is K x NR contiguous values, read once, in order. */
static void gemv_panels(const float *a, int64_t aks, const float *panels, float *c, int64_t cns, int64_t K,
                        int64_t nc, const epilogue *e) {
  for (int64_t j = 0; j < nc; j += NR, panels += K * NR) {
    vf s0 = (vf){0}, s1 = s0, t0 = s0, t1 = s0; /* two k phases: independent FMA chains */
    const float *p = panels;
    int64_t k = 0;
    for (; k + 2 <= K; k += 2, p += 2 * NR) {
      float a0 = a[k * aks], a1 = a[(k + 1) * aks];
      s0 += a0 * *(const vfa *)p;
      s1 += a0 * *(const vfa *)(p + VL);
      t0 += a1 * *(const vfa *)(p + NR);
      t1 += a1 * *(const vfa *)(p + NR + VL);
    }
    for (; k < K; ++k, p += NR) {
      s0 += a[k * aks] * *(const vfa *)p;
      s1 += a[k * aks] * *(const vfa *)(p + VL);
    }
    vf acc[MR][2];
    acc[0][0] = s0 + t0;
    acc[0][1] = s1 + t1;
    store_tile(acc, c + j * cns, 0, cns, 1, nc - j < NR ? nc - j : NR, e, 0, j, 1, 1);
  }
}

/* M == 1: c[n0 .. n0+nc) += a[.] x B[., n0 .. n0+nc). */
static void gemv_accumulate(const float *a, const float *b, float *c, int64_t K, int64_t aks, int64_t bks,
                       int64_t bns, int64_t cns, int64_t nc) {
  if (bns == 1 && cns == 1) {
    /* Rows of B contiguous: stream 4 rows at a time through a block of c kept in L1. */
    int64_t k = 0;
    for (; k + 4 <= K; k += 4) {
      float a0 = a[k * aks], a1 = a[(k + 1) * aks], a2 = a[(k + 2) * aks], a3 = a[(k + 3) * aks];
      const float *b0 = b + k * bks, *b1 = b0 + bks, *b2 = b1 + bks, *b3 = b2 + bks;
      int64_t j = 0;
      for (; j + VL <= nc; j += VL)
        *(vf *)(c + j) += a0 * *(const vf *)(b0 + j) + a1 * *(const vf *)(b1 + j) + a2 * *(const vf *)(b2 + j) +
                          a3 * *(const vf *)(b3 + j);
      for (; j < nc; ++j)
        c[j] += a[k * aks] * b0[j] + a[(k + 1) * aks] * b1[j] + a[(k + 2) * aks] * b2[j] + a[(k + 3) * aks] * b3[j];
    }
    for (; k < K; ++k)
      for (int64_t j = 0; j < nc; ++j)
        c[j] += a[k * aks] * b[k * bks + j];
    return;
  }
  if (bks == 1 && aks == 1) {
    /* Columns of B contiguous: one dot product per output, 4 outputs at a time. */
    int64_t j = 0;
    for (; j + 4 <= nc; j += 4) {
      const float *b0 = b + j * bns, *b1 = b0 + bns, *b2 = b1 + bns, *b3 = b2 + bns;
      vf s0 = (vf){0}, s1 = s0, s2 = s0, s3 = s0;
      int64_t k = 0;
      for (; k + VL <= K; k += VL) {
        vf x = *(const vf *)(a + k);
        s0 += x * *(const vf *)(b0 + k);
        s1 += x * *(const vf *)(b1 + k);
        s2 += x * *(const vf *)(b2 + k);
        s3 += x * *(const vf *)(b3 + k);
      }
      float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (int l = 0; l < VL; ++l) {
        t0 += s0[l];
        t1 += s1[l];
        t2 += s2[l];
        t3 += s3[l];
      }
      for (; k < K; ++k) {
        t0 += a[k] * b0[k];
        t1 += a[k] * b1[k];
        t2 += a[k] * b2[k];
        t3 += a[k] * b3[k];
      }
      c[j * cns] += t0;
      c[(j + 1) * cns] += t1;
      c[(j + 2) * cns] += t2;
      c[(j + 3) * cns] += t3;
    }
    for (; j < nc; ++j) {
      float t = 0;
      for (int64_t k = 0; k < K; ++k)
        t += a[k] * b[j * bns + k];
      c[j * cns] += t;
    }
    return;
  }
  for (int64_t j = 0; j < nc; ++j) {
    float t = 0;
    for (int64_t k = 0; k < K; ++k)
      t += a[k * aks] * b[k * bks + j * bns];
    c[j * cns] += t;
  }
}

/* Addresses are passed as integers (byte addresses of element 0); strides and sizes in elements. The
 * workgroup takes units [id * units / count, (id + 1) * units / count). `b_panel` is 0 for a strided B, or
 * NR when B was packed at compile time ([ceil(N / NR), K, NR]; its strides are then unused). The nine
 * arguments before (id, count) are the epilogue (sgemm_epilogue.h); batch must be 1 unless it is the
 * plain accumulation or a zero init (init SINTER_UK_INIT_ACCUMULATE or _ZERO, add_addr 0, infinite bounds). */
/* gemv_accumulate with the epilogue: it accumulates into c across k, so the base is set before and the
 * addend and clamp applied after (one row: cheap next to streaming B). */
static void gemv_block(const float *a, const float *b, float *c, int64_t K, int64_t aks, int64_t bks, int64_t bns,
                       int64_t cns, int64_t nc, const epilogue *e) {
  if (e->init != SINTER_UK_INIT_ACCUMULATE)
    for (int64_t j = 0; j < nc; ++j)
      c[j * cns] = e->init == SINTER_UK_INIT_BIAS ? e->bias[j * e->bns] : 0.0f;
  gemv_accumulate(a, b, c, K, aks, bks, bns, cns, nc);
  if (e->add || e->clamp)
    for (int64_t j = 0; j < nc; ++j) {
      float v = c[j * cns] + (e->add ? e->add[j * e->ans] : 0.0f);
      v = v < e->lo ? e->lo : v;
      c[j * cns] = v > e->hi ? e->hi : v;
    }
}

void SGEMM(int64_t a_addr, int64_t b_addr, int64_t c_addr, int64_t batch, int64_t M, int64_t N, int64_t K,
           int64_t abs_, int64_t ams, int64_t aks, int64_t bbs, int64_t bks, int64_t bns, int64_t cbs,
           int64_t cms, int64_t cns, int64_t b_panel, int64_t init, int64_t bias_addr, int64_t bias_ms,
           int64_t bias_ns, int64_t add_addr, int64_t add_ms, int64_t add_ns, float lo, float hi, int64_t id,
           int64_t count) {
  epilogue e = make_epilogue(init, bias_addr, bias_ms, bias_ns, add_addr, add_ms, add_ns, lo, hi);
  const float *a = (const float *)(uintptr_t)a_addr;
  const float *b = (const float *)(uintptr_t)b_addr;
  float *c = (float *)(uintptr_t)c_addr;
  int64_t rowBlocks = sinter_uk_sgemm_row_blocks(M);
  int64_t nb = sinter_uk_sgemm_col_block(M, N, b_panel != 0);
  int64_t colBlocks = (N + nb - 1) / nb;
  int64_t units = batch * rowBlocks * colBlocks;
  int64_t begin = id * units / count, end = (id + 1) * units / count;
  for (int64_t u = begin; u < end; ++u) {
    int64_t bi = u / (rowBlocks * colBlocks), rest = u % (rowBlocks * colBlocks);
    int64_t n0 = (rest % colBlocks) * nb;
    int64_t nc = N - n0 < nb ? N - n0 : nb;
    const float *ab = a + bi * abs_, *bb = b + bi * bbs + n0 * bns;
    const float *panels = b_panel ? b + (n0 / NR) * K * NR : 0; /* unit boundaries are multiples of NR */
    float *cb = c + bi * cbs + n0 * cns;
    if (M == 1) {
      epilogue eb = epilogue_at(&e, 0, n0);
      if (panels)
        gemv_panels(ab, aks, panels, cb, cns, K, nc, &eb);
      else
        gemv_block(ab, bb, cb, K, aks, bks, bns, cns, nc, &eb);
      continue;
    }
    int64_t m0 = (rest / colBlocks) * SINTER_UK_SGEMM_MB;
    int64_t mc = M - m0 < SINTER_UK_SGEMM_MB ? M - m0 : SINTER_UK_SGEMM_MB;
    epilogue eb = epilogue_at(&e, m0, n0);
    gemm_block(ab + m0 * ams, bb, panels, 0, 0, 0, cb + m0 * cms, K, ams, aks, bks, bns, cms, cns, mc, nc, &eb);
  }
}

/* C[m, n] += sum_k A[m, k] * B[k, n] with B read through offset tables: B[k, n] = b[koff[k] + noff[n]]
 * (int32 element offsets, K and N entries). The compiler uses it for convolutions, whose im2col matrix is a
 * sum of a row (input channel and window position) and a column (output position) offset, so the patches
 * are gathered straight into the packed panels. M > 1; units: sinter_uk_sgemm_gather_units (sgemm_tiles.h).
 * A zero-padded input is read unpadded when kpos_addr is not 0: kpos = int32 [2][K] (each k's two padded
 * coordinates, krow then kcol), npos = int32 [2][N] (nrow, ncol), pad_rows x pad_cols the input's extent
 * along them and b_elems its size in elements; B[k, n] is 0 where a coordinate falls outside (the
 * `padding` struct above). The nine arguments before (id, count) are the epilogue (sgemm_epilogue.h): a
 * convolution's bias, ReLU and residual add. */
void GATHER(int64_t a_addr, int64_t b_addr, int64_t c_addr, int64_t koff_addr, int64_t noff_addr, int64_t M,
            int64_t N, int64_t K, int64_t ams, int64_t aks, int64_t cms, int64_t cns, int64_t kpos_addr,
            int64_t npos_addr, int64_t pad_rows, int64_t pad_cols, int64_t b_elems, int64_t init, int64_t bias_addr,
            int64_t bias_ms, int64_t bias_ns, int64_t add_addr, int64_t add_ms, int64_t add_ns, float lo, float hi,
            int64_t id, int64_t count) {
  epilogue e = make_epilogue(init, bias_addr, bias_ms, bias_ns, add_addr, add_ms, add_ns, lo, hi);
  const float *a = (const float *)(uintptr_t)a_addr;
  const float *b = (const float *)(uintptr_t)b_addr;
  float *c = (float *)(uintptr_t)c_addr;
  const int32_t *koff = (const int32_t *)(uintptr_t)koff_addr, *noff = (const int32_t *)(uintptr_t)noff_addr;
  const int32_t *kpos = (const int32_t *)(uintptr_t)kpos_addr, *npos = (const int32_t *)(uintptr_t)npos_addr;
  int64_t mb = sinter_uk_sgemm_gather_row_block(M), nb = sinter_uk_sgemm_gather_col_block(M, N);
  int64_t colBlocks = (N + nb - 1) / nb;
  int64_t units = sinter_uk_sgemm_gather_units(M, N);
  int64_t begin = id * units / count, end = (id + 1) * units / count;
  for (int64_t u = begin; u < end; ++u) {
    int64_t n0 = (u % colBlocks) * nb, m0 = (u / colBlocks) * mb;
    int64_t nc = N - n0 < nb ? N - n0 : nb;
    int64_t mc = M - m0 < mb ? M - m0 : mb;
    epilogue eb = epilogue_at(&e, m0, n0);
    padding pad = {0, 0, 0, 0, pad_rows, pad_cols, b_elems};
    if (kpos) {
      padding at = {kpos, kpos + K, npos + n0, npos + N + n0, pad_rows, pad_cols, b_elems};
      pad = at;
    }
    gemm_block(a + m0 * ams, b, 0, koff, noff + n0, kpos ? &pad : 0, c + m0 * cms + n0 * cns, K, ams, aks, 0, 0,
               cms, cns, mc, nc, &eb);
  }
}

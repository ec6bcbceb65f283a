/*===- winograd.c - a 3x3 stride-1 convolution as Winograd F(2x2, 3x3), fused ------------------------------===
 *
 * What sinter-conv-to-winograd's three ops compute (compiler/transforms/WinogradTransforms.h): the input
 * transform V = B^T d B of every 4x4 input tile, 16 products M = U V over the channels, and the output
 * transform Y += A^T m A, for one workgroup's share of (tile block, filter chunk) units, without writing V
 * or M to memory. Unfused, V and M are each 4x the size of the activations: ResNet's first stage wrote and
 * read 13 MB per convolution, and the transforms ran at the speed of memory writes (measured: 10 GB/s, no
 * gain from a second thread). Here a unit's tiles are transformed into a scratch block on the stack, which
 * stays in L1/L2 while the products read it, and the products' 16 results per tile and filter go straight
 * into the output transform:
 *
 *   for each chunk of CB channels: vb[16][CB][NR] = B^T d B for the unit's NR tiles
 *     for each of the 16 (a, b), each MR filters: mt[ab][f][tiles] += U[ab][f][chunk] . vb[ab]   (MR x NR tile)
 *   y[f][tile] = epilogue(A^T mt[.][f][tile] A)      (the init's value or a bias, a residual, a clamp)
 *
 * The transforms of a chunk are redone for every filter chunk of the same tiles (units split filters too,
 * so that small maps still give every thread work); with FB filters per chunk that costs a few percent.
 * B^T and A^T have entries 0 and +-1: the transforms are additions, spelled out (B^T rows [1 0 -1 0]
 * [0 1 1 0] [0 -1 1 0] [0 1 0 -1]; A^T rows [1 1 1 0] [0 1 -1 -1]).
 *
 * Addresses are byte addresses of element 0, strides in elements; inner (column) strides are 1.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#include "sgemm_epilogue.h"
#include "winograd_tiles.h"

#include <stdint.h>

#ifndef SINTER_UK_VL
#error "SINTER_UK_VL (vector lanes) must be defined"
#endif

#define VL SINTER_UK_VL
#define NR (2 * VL) /* tiles per unit: two vectors */
#define NRP (NR + VL) /* a row of vb: NR tiles and room for a vector past them */
#define MR SINTER_UK_WINOGRAD_MR
#define CB SINTER_UK_WINOGRAD_CB
#define FB SINTER_UK_WINOGRAD_FB
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define CONV CAT(sinter_uk_winograd_conv_v, VL)

typedef float vf __attribute__((vector_size(VL * 4), aligned(4)));
typedef float vfa __attribute__((vector_size(VL * 4)));
typedef int32_t vi __attribute__((vector_size(VL * 4)));

/* The unit's tiles as runs along one row of tiles: tile j of the unit is tile t0 + j of the whole
 * (n, ty, tx) order, and a run covers `len` tiles from (n, ty, tx), the unit's tiles j .. j + len. */
typedef struct {
  int64_t n, ty, tx, len, j;
} run;

static int tile_runs(int64_t t0, int64_t nt, int64_t TH, int64_t TW, run runs[NR]) {
  int count = 0;
  for (int64_t t = t0; t < t0 + nt;) {
    int64_t image = t / (TH * TW), rest = t % (TH * TW), ty = rest / TW, tx = rest % TW;
    int64_t len = TW - tx < t0 + nt - t ? TW - tx : t0 + nt - t;
    run r = {image, ty, tx, len, t - t0};
    runs[count++] = r;
    t += len;
  }
  return count;
}

/* Even and odd elements of the 2 * VL floats v0, v1. */
#if VL == 4
#define EVENS(v0, v1) __builtin_shufflevector(v0, v1, 0, 2, 4, 6)
#define ODDS(v0, v1) __builtin_shufflevector(v0, v1, 1, 3, 5, 7)
#elif VL == 8
#define EVENS(v0, v1) __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODDS(v0, v1) __builtin_shufflevector(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15)
#elif VL == 16
#define EVENS(v0, v1) __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define ODDS(v0, v1) __builtin_shufflevector(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
#else
#error "unsupported SINTER_UK_VL"
#endif

/* The source of a convolution's (zero-padded) input: x [N, C, H, W] (strides xs_*: n, c, row; columns 1),
 * xn elements from x[0] to one past its last, read as if padded with pt rows and pl columns of zeros
 * before (and as many after as the tiles reach). */
typedef struct {
  const float *x, *end;
  int64_t xs_n, xs_c, xs_h, H, W, pt, pl;
} source;

/* vb[ab][c][j] = (B^T d B)[a][b] for channel c0 + c of the unit's tiles, VL tiles at a time: a tile's four
 * columns d0..d3 are the even and odd elements of the row from its first column and from two further,
 * loaded as four vectors of the 2 VL + 2 elements from the first. A run's last vector reads and writes
 * past its end (the next run's tiles or the row's padding, rewritten or unused; vb rows have VL spare
 * columns). Padding is never read: rows outside the source are zeros, and a window that crosses the
 * source's left or right edge has those lanes zeroed (or, where the window would reach outside x itself,
 * goes through a zero-filled copy). */
static void input_transform(const source *in, int64_t c0, int64_t nc, const run *runs, int nruns,
                            float vb[16][CB][NRP]) {
  vi lane;
  for (int l = 0; l < VL; ++l)
    lane[l] = l;
  for (int64_t c = 0; c < nc; ++c)
    for (int q = 0; q < nruns; ++q) {
      run r = runs[q];
      const float *plane = in->x + r.n * in->xs_n + (c0 + c) * in->xs_c;
      for (int64_t k0 = 0; k0 < r.len; k0 += VL) {
        vf t[4][4];
        int64_t col = 2 * (r.tx + k0) - in->pl; /* the window's first column in the source */
        for (int i = 0; i < 4; ++i) {
          int64_t row = 2 * r.ty + i - in->pt;
          if (row < 0 || row >= in->H) {
            t[i][0] = t[i][1] = t[i][2] = t[i][3] = (vf){0};
            continue;
          }
          const float *p = plane + row * in->xs_h + col;
          vf v0, v1, w0, w1;
          if (col >= 0 && col + 2 * VL + 2 <= in->W) {
            v0 = *(const vf *)p, v1 = *(const vf *)(p + VL), w0 = *(const vf *)(p + 2), w1 = *(const vf *)(p + VL + 2);
          } else if (p >= in->x && p + 2 * VL + 2 <= in->end) {
            vi q0 = lane + (int)col, q1 = q0 + VL, q2 = q0 + 2, q3 = q0 + VL + 2, w = (vi){0} + (int)in->W;
            v0 = (vf)((vi) * (const vf *)p & ((q0 >= 0) & (q0 < w)));
            v1 = (vf)((vi) * (const vf *)(p + VL) & ((q1 >= 0) & (q1 < w)));
            w0 = (vf)((vi) * (const vf *)(p + 2) & ((q2 >= 0) & (q2 < w)));
            w1 = (vf)((vi) * (const vf *)(p + VL + 2) & ((q3 >= 0) & (q3 < w)));
          } else {
            float copy[2 * VL + 2];
            for (int64_t e = 0; e < 2 * VL + 2; ++e)
              copy[e] = col + e >= 0 && col + e < in->W ? p[e] : 0.0f;
            v0 = *(const vf *)copy, v1 = *(const vf *)(copy + VL), w0 = *(const vf *)(copy + 2),
            w1 = *(const vf *)(copy + VL + 2);
          }
          vf d0 = EVENS(v0, v1), d1 = ODDS(v0, v1), d2 = EVENS(w0, w1), d3 = ODDS(w0, w1);
          t[i][0] = d0 - d2;
          t[i][1] = d1 + d2;
          t[i][2] = d2 - d1;
          t[i][3] = d1 - d3;
        }
        int64_t j = r.j + k0;
        for (int b = 0; b < 4; ++b) {
          *(vf *)&vb[0 + b][c][j] = t[0][b] - t[2][b];
          *(vf *)&vb[4 + b][c][j] = t[1][b] + t[2][b];
          *(vf *)&vb[8 + b][c][j] = t[2][b] - t[1][b];
          *(vf *)&vb[12 + b][c][j] = t[1][b] - t[3][b];
        }
      }
    }
}

/* mt[f][0..NR) (+)= sum_c up[c][f] * vb[c][0..NR) for the MR filters of one packed panel of U
 * (winograd_tiles.h); only the first `rows` are stored. */
static inline __attribute__((always_inline)) void product_tile(const float *restrict up, int rows,
                                                               const float vb[CB][NRP], int64_t nc, float mt[][NR],
                                                               int first) {
  vf acc[MR][2];
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = first ? (vf){0} : *(const vfa *)mt[r < rows ? r : 0];
    acc[r][1] = first ? (vf){0} : *(const vfa *)&mt[r < rows ? r : 0][VL];
  }
  for (int64_t k = 0; k < nc; ++k, up += MR) {
    vf b0 = *(const vfa *)vb[k], b1 = *(const vfa *)&vb[k][VL];
    for (int r = 0; r < MR; ++r) { /* a broadcast load feeding two FMAs */
      acc[r][0] += up[r] * b0;
      acc[r][1] += up[r] * b1;
    }
  }
  for (int r = 0; r < rows; ++r) {
    *(vfa *)mt[r] = acc[r][0];
    *(vfa *)&mt[r][VL] = acc[r][1];
  }
}

/* The epilogue (sgemm_epilogue.h's, for this kernel's output): y = clamp(base + conv + add, lo, hi), base
 * y's own value (ACCUMULATE), 0 (ZERO) or bias[f * bias_fs] (BIAS); add (when not null) an [N, F, 2TH, 2TW]
 * tensor (strides add_*: n, f, row; columns 1), read before y is written at the same element. */
typedef struct {
  int64_t init;
  const float *bias, *add;
  int64_t bias_fs, add_ns, add_fs, add_hs;
  float lo, hi;
} epilogue;

/* y[f0 + f] at the unit's tiles = the epilogue of A^T mt[.][f][tile] A. */
static void output_transform(float *y, int64_t ys_n, int64_t ys_f, int64_t ys_h, int64_t f0, int64_t nf,
                             const run *runs, int nruns, float mt[16][FB + MR][NR], const epilogue *e) {
  for (int64_t f = 0; f < nf; ++f)
    for (int q = 0; q < nruns; ++q) {
      run r = runs[q];
      float *plane = y + r.n * ys_n + (f0 + f) * ys_f + 2 * r.tx;
      const float *added = e->add ? e->add + r.n * e->add_ns + (f0 + f) * e->add_fs + 2 * r.tx : 0;
      float bias = e->init == SINTER_UK_INIT_BIAS ? e->bias[(f0 + f) * e->bias_fs] : 0.0f;
      float s[2][4][NR];
      for (int b = 0; b < 4; ++b) {
        const float *m0 = &mt[0 + b][f][r.j], *m1 = &mt[4 + b][f][r.j], *m2 = &mt[8 + b][f][r.j],
                    *m3 = &mt[12 + b][f][r.j];
        for (int64_t k = 0; k < r.len; ++k) {
          s[0][b][k] = m0[k] + m1[k] + m2[k];
          s[1][b][k] = m1[k] - m2[k] - m3[k];
        }
      }
      for (int a = 0; a < 2; ++a) {
        float *row = plane + (2 * r.ty + a) * ys_h;
        float out[2 * NR];
        for (int64_t k = 0; k < r.len; ++k) {
          out[2 * k] = s[a][0][k] + s[a][1][k] + s[a][2][k];
          out[2 * k + 1] = s[a][1][k] - s[a][2][k] - s[a][3][k];
        }
        if (e->init == SINTER_UK_INIT_ACCUMULATE)
          for (int64_t k = 0; k < 2 * r.len; ++k)
            out[k] += row[k];
        else
          for (int64_t k = 0; k < 2 * r.len; ++k)
            out[k] += bias;
        if (added) {
          const float *addrow = added + (2 * r.ty + a) * e->add_hs;
          for (int64_t k = 0; k < 2 * r.len; ++k)
            out[k] += addrow[k];
        }
        for (int64_t k = 0; k < 2 * r.len; ++k) {
          float v = out[k] < e->lo ? e->lo : out[k];
          row[k] = v > e->hi ? e->hi : v;
        }
      }
    }
}

/* x: [N, C, H, W] (strides xs_*: n, c, row; x_elems elements from x[0] to one past its last), the input
 * read as if padded with pt rows and pl columns of zeros before and as many after as the 2TH + 2 by
 * 2TW + 2 tiles reach; u: the packed transformed filters (winograd_tiles.h), contiguous; y: [N, F, 2TH, 2TW]
 * (ys_*: n, f, row), written through the epilogue (the nine arguments before id). */
void CONV(int64_t x_addr, int64_t x_elems, int64_t u_addr, int64_t y_addr, int64_t N, int64_t C, int64_t F,
          int64_t TH, int64_t TW, int64_t xs_n, int64_t xs_c, int64_t xs_h, int64_t H, int64_t W, int64_t pt,
          int64_t pl, int64_t ys_n, int64_t ys_f, int64_t ys_h, int64_t init, int64_t bias_addr, int64_t bias_fs,
          int64_t add_addr, int64_t add_ns, int64_t add_fs, int64_t add_hs, float lo, float hi, int64_t id,
          int64_t count) {
  epilogue e = {init,   (const float *)(uintptr_t)bias_addr, (const float *)(uintptr_t)add_addr, bias_fs, add_ns,
                add_fs, add_hs, lo, hi};
  const float *x = (const float *)(uintptr_t)x_addr, *u = (const float *)(uintptr_t)u_addr;
  source in = {x, x + x_elems, xs_n, xs_c, xs_h, H, W, pt, pl};
  float *y = (float *)(uintptr_t)y_addr;
  int64_t T = N * TH * TW, fsize = sinter_uk_winograd_filter_chunk(F), fchunks = (F + fsize - 1) / fsize;
  int64_t cchunks = (C + CB - 1) / CB, panels = fsize / MR;
  int64_t units = sinter_uk_winograd_units(T, F, VL);
  float vb[16][CB][NRP] __attribute__((aligned(64)));
  float mt[16][FB + MR][NR] __attribute__((aligned(64))); /* fsize < FB + MR */
  for (int64_t unit = id * units / count, end = (id + 1) * units / count; unit < end; ++unit) {
    int64_t t0 = unit / fchunks * NR, f0 = unit % fchunks * fsize;
    int64_t nt = T - t0 < NR ? T - t0 : NR, nf = F - f0 < fsize ? F - f0 : fsize;
    run runs[NR];
    int nruns = tile_runs(t0, nt, TH, TW, runs);
    for (int64_t c0 = 0; c0 < C; c0 += CB) {
      int64_t nc = C - c0 < CB ? C - c0 : CB;
      input_transform(&in, c0, nc, runs, nruns, vb);
      if (nt < NR) /* columns past the unit's tiles: zeros, not stale stack (no NaN or denormal work) */
        for (int ab = 0; ab < 16; ++ab)
          for (int64_t c = 0; c < nc; ++c)
            for (int64_t j = nt; j < NR; ++j)
              vb[ab][c][j] = 0.0f;
      const float *chunk = u + (f0 / fsize * cchunks + c0 / CB) * 16 * panels * CB * MR;
      for (int ab = 0; ab < 16; ++ab)
        for (int64_t f = 0; f < nf; f += MR)
          product_tile(chunk + (ab * panels + f / MR) * CB * MR, nf - f < MR ? (int)(nf - f) : MR, vb[ab], nc,
                       &mt[ab][f], c0 == 0);
    }
    output_transform(y, ys_n, ys_f, ys_h, f0, nf, runs, nruns, mt, &e);
  }
}

/*===- qgemm.c - fused dequantize + matmul ukernel for group-quantized weights ----------------------------===
 *
 * C[m, n] += sum_k X[m, k] * W'[k, n], where W' is read straight from the packed format of
 * docs/QUANTIZATION.md (sinter.quantized_matmul: N-major b-bit codes, b in {2, 3, 4, 8}, one f32/f16 scale
 * and optionally one zero point per group of G consecutive k, and optionally an ELL outlier side matrix):
 * W'[k, n] = scale[n][k / G] * (code(n, k) - zero[n][k / G]) + outliers(k, n). X rows and C rows are
 * contiguous. The outliers are applied in the same call: added to the dequantized panels when M > 1, and
 * as a gather of x per column right after the column's codes when M == 1. 3-bit codes may instead come in
 * the blocked layout of qgemm_tiles.h (SINTER_UK_QGEMM_BLOCKED3), which the M == 1 int path unpacks with
 * shifts alone (gemv_columns_blocked3).
 *
 * Codes are unpacked 8 at a time: 8 codes are exactly b bytes starting at byte (k / 8) * b of the column
 * (k a multiple of 8), so for b <= 4 they fit one 32-bit word that is broadcast to 8 lanes, shifted by
 * (0, b, ..., 7b) and masked; 8-bit codes are 8 bytes widened directly. The chunk width is 8 regardless of
 * the vector width (one chunk = one AVX2 vector; LLVM splits or joins it for NEON and AVX-512).
 * Fast paths need G to be a multiple of 8 (a chunk never straddles two groups); any other G, and the
 * K mod 8 tail, go through the scalar per-code reader (the same formula, read one code at a time).
 *
 * - M == 1 (decode; memory bound): 4 columns at a time, each column's codes streamed once in order.
 *   Per group, acc_c = sum x * code and ax = sum x (shared by the columns) give
 *   scale * (acc_c - zero * ax), so the zero point costs nothing per code.
 * - M > 1: per block of KC rows of W and NB columns, dequantize into an fp32 panel of the sgemm micro-
 *   kernel's layout (NR = 2 * VL columns wide) once, then reuse it for every row of the unit with a 6 x NR
 *   register tile reading X rows in place.
 * Work is split into units of columns (and rows) as qgemm_tiles.h says; the compiler sizes the workgroup
 * count with the same header.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#include "qgemm_tiles.h"

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
#ifndef SINTER_UK_SUFFIX
#define SINTER_UK_SUFFIX /* the x86-64 variant built with AVX2 is sinter_uk_qgemm_v8_avx2 */
#endif
#define QGEMM CAT(CAT(sinter_uk_qgemm_v, VL), SINTER_UK_SUFFIX)
#define INLINE static inline __attribute__((always_inline))

typedef float vf __attribute__((vector_size(VL * 4), aligned(4)));
typedef float vfa __attribute__((vector_size(VL * 4)));
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef uint32_t v8u __attribute__((vector_size(32)));
typedef uint8_t v8b __attribute__((vector_size(8), aligned(1)));
typedef uint16_t v8h __attribute__((vector_size(16), aligned(2)));
typedef int16_t v16s __attribute__((vector_size(32), aligned(2)));
typedef int16_t v8s __attribute__((vector_size(16)));
typedef uint8_t v16b __attribute__((vector_size(16), aligned(1)));
typedef float v4f __attribute__((vector_size(16), aligned(4)));

/* IEEE binary16 -> binary32 with integer operations (no F16C or libcall needed on any target). */
static inline float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu, bits;
  if (e == 0) {
    float f = (float)m * (1.0f / 16777216.0f); /* subnormal or zero: exact */
    __builtin_memcpy(&bits, &f, 4);
  } else if (e == 31) {
    bits = 0x7f800000u | (m << 13);
  } else {
    bits = ((e + 112) << 23) | (m << 13);
  }
  bits |= sign;
  float r;
  __builtin_memcpy(&r, &bits, 4);
  return r;
}

/* The group parameters of one column. */
typedef struct {
  const void *scales;   /* [N][groups], f32 or f16 */
  const uint8_t *zeros; /* [N][groups], or null when symmetric */
  int64_t groups, group;
  int f16, bits;
  int int8x;   /* SINTER_UK_QGEMM_INT8_ACTIVATIONS: the M == 1 int path may round x to int8 (2, 3 and 4 bits) */
  int blocked; /* SINTER_UK_QGEMM_BLOCKED3: 3-bit codes in the blocked layout (qgemm_tiles.h) */
} Groups;

/* The ELL outlier side matrix (docs/QUANTIZATION.md): per column, R (row, fp16 value) pairs added to the
 * dequantized weight; R == 0 when there is none. */
typedef struct {
  const int32_t *rows;    /* [N][R], each in [0, K) */
  const uint16_t *values; /* [N][R], binary16 */
  int64_t R;
} Outliers;

/* The same columns' groups from group g0 on: the parameters of rows [g0 * G, K) seen as a matrix of their own. */
INLINE Groups groups_from(const Groups *q, int64_t g0) {
  Groups tail = *q;
  tail.scales = (const char *)q->scales + g0 * (q->f16 ? 2 : 4);
  tail.zeros = q->zeros ? q->zeros + g0 : 0;
  return tail;
}

INLINE float group_scale(const Groups *q, int64_t n, int64_t g) {
  int64_t at = n * q->groups + g;
  return q->f16 ? half_to_float(((const uint16_t *)q->scales)[at]) : ((const float *)q->scales)[at];
}

INLINE float group_zero(const Groups *q, int64_t n, int64_t g) {
  return q->zeros ? (float)q->zeros[n * q->groups + g] : (float)(1 << (q->bits - 1));
}

/* One code, the reference way (at most two bytes; the high byte exists whenever the code spans it). */
INLINE uint32_t read_code(const uint8_t *column, int64_t k, int bits) {
  int64_t bit = k * bits, lo = bit >> 3, hi = (bit + bits - 1) >> 3;
  uint32_t word = (uint32_t)column[lo] | ((uint32_t)column[hi] << 8);
  return (word >> (bit & 7)) & ((1u << bits) - 1);
}

INLINE float dequant_one(const uint8_t *column, const Groups *q, int64_t n, int64_t k) {
  int64_t g = k / q->group;
  uint32_t code = q->blocked ? sinter_uk_block3_code(column + k / 256 * 96, k % 256) : read_code(column, k, q->bits);
  return group_scale(q, n, g) * ((float)code - group_zero(q, n, g));
}

/* Codes k .. k+7 (k a multiple of 8) of a column as floats. `last`: this is the column's last chunk, so a
 * 3-bit chunk may not over-read its fourth byte. B is a compile-time constant in every caller. */
INLINE v8f unpack8(const uint8_t *chunk, const int B, int last) {
  if (B == 8) {
    v8b bytes;
    __builtin_memcpy(&bytes, chunk, 8);
    return __builtin_convertvector(__builtin_convertvector(bytes, v8i), v8f);
  }
  uint32_t word;
  if (B == 4) {
    __builtin_memcpy(&word, chunk, 4);
  } else if (B == 2) {
    uint16_t half;
    __builtin_memcpy(&half, chunk, 2);
    word = half;
  } else if (!last) {
    __builtin_memcpy(&word, chunk, 4); /* the fourth byte belongs to the next chunk: ignored by the masks */
  } else {
    word = (uint32_t)chunk[0] | ((uint32_t)chunk[1] << 8) | ((uint32_t)chunk[2] << 16);
  }
  const v8u shifts = {0, B, 2 * B, 3 * B, 4 * B, 5 * B, 6 * B, 7 * B};
  v8u codes = (((v8u){0} + word) >> shifts) & ((1u << B) - 1);
  return __builtin_convertvector((v8i)codes, v8f);
}

INLINE float hsum8(v8f v) {
  float s = 0;
  for (int l = 0; l < 8; ++l)
    s += v[l];
  return s;
}

#if !defined(__F16C__)
/* IEEE binary16 -> binary32 on 8 lanes (half_to_float without branches). */
INLINE v8f half8_to_float(v8u h) {
  v8u sign = (h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  v8u normal = ((e + 112) << 23) | (m << 13), special = 0x7f800000u | (m << 13), sub;
  v8f subf = __builtin_convertvector((v8i)m, v8f) * (1.0f / 16777216.0f);
  __builtin_memcpy(&sub, &subf, 32);
  v8u isSub = (v8u)(e == 0), isSpecial = (v8u)(e == 31);
  v8u bits = ((sub & isSub) | (special & isSpecial) | (normal & ~(isSub | isSpecial))) | sign;
  v8f r;
  __builtin_memcpy(&r, &bits, 32);
  return r;
}
#endif

/* The scales of column n for groups [0, groups), as f32 (8 f16 scales per conversion). */
INLINE void column_scales(const Groups *q, int64_t n, int64_t groups, float *out) {
  int64_t g = 0;
  if (q->f16) {
    const uint16_t *h = (const uint16_t *)q->scales + n * q->groups;
    for (; g + 8 <= groups; g += 8) {
      v8h v;
      __builtin_memcpy(&v, h + g, 16);
#if defined(__F16C__)
      /* One vcvtph2ps (every AVX2 CPU has F16C) for half8_to_float's ~20 integer ops: a GEMV decodes one scale
       * per group and column, as much work as the codes' unpack at K = 1024. */
      typedef _Float16 v8hf __attribute__((vector_size(16)));
      v8f f = __builtin_convertvector((v8hf)v, v8f);
#else
      v8f f = half8_to_float(__builtin_convertvector(v, v8u));
#endif
      __builtin_memcpy(out + g, &f, 32);
    }
  }
  for (; g < groups; ++g)
    out[g] = group_scale(q, n, g);
}

/* M == 1 streams each column once, a few columns side by side: each stream is only ceil(K/8)*b bytes (512
 * for K = 1024 at 4 bits), too short for the hardware prefetchers to lock on before it ends. So each line is
 * prefetched the same distance ahead in a later column (the columns are contiguous): at least
 * PREFETCH_BYTES ahead, and at least the next group of 4 columns. One group of 4 columns ahead (2 KiB at
 * K = 1024, 4 bits) left a decode step's GEMVs at ~40% of triad on Zen 4; 16 KiB ahead keeps enough lines
 * in flight for DRAM's latency. */
#define PREFETCH_BYTES 16384

INLINE int64_t prefetch_ahead(int64_t ps) {
  int64_t columns = (PREFETCH_BYTES + ps - 1) / ps;
  return (columns < 4 ? 4 : columns) * ps;
}

/* Into L2, not L1 (prefetcht1): a prefetch into L1 holds one of L1's few miss buffers until its line
 * arrives, which capped the DRAM stream at ~45% of triad on Zen 4 (8 chained 4096^2 GEMVs, 4 bits, 1 thread:
 * 7.2 ms at prefetcht0, 3.6 ms here); the L1 misses on lines already in L2 cost little. */
INLINE void prefetch_l2(const void *p) { __builtin_prefetch(p, 0, 2); }

/* M == 1, CN consecutive columns starting at n: out[c] += x . W'[., n + c]. Needs G % 8 == 0. */
INLINE void gemv_columns(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, int64_t n, float *out,
                         int64_t K, const int B, const int CN) {
  int64_t K8 = K & ~(int64_t)7, Kp = (K + 7) & ~(int64_t)7, G = q->group, ahead = prefetch_ahead(ps);
  const uint8_t *col[4];
  v8f tot[4];
  for (int c = 0; c < CN; ++c) {
    col[c] = packed + (n + c) * ps;
    tot[c] = (v8f){0};
  }
  for (int64_t g = 0, k0 = 0; k0 < K8; ++g, k0 += G) {
    int64_t k1 = k0 + G < K8 ? k0 + G : K8;
    v8f acc[4], ax = (v8f){0};
    for (int c = 0; c < CN; ++c)
      acc[c] = (v8f){0};
    for (int64_t k = k0; k < k1; k += 8) {
      v8f xv = *(const v8f *)(x + k);
      ax += xv;
      int last = k + 8 >= Kp;
      if ((((k >> 3) * B) & 63) < B) /* the chunk starts a new 64-byte line */
        for (int c = 0; c < CN; ++c)
          prefetch_l2(col[c] + ahead + (k >> 3) * B);
      for (int c = 0; c < CN; ++c)
        acc[c] += xv * unpack8(col[c] + (k >> 3) * B, B, last);
    }
    for (int c = 0; c < CN; ++c) {
      float s = group_scale(q, n + c, g), z = group_zero(q, n + c, g);
      tot[c] += s * acc[c] - (s * z) * ax;
    }
  }
  for (int c = 0; c < CN; ++c) {
    float sum = hsum8(tot[c]);
    for (int64_t k = K8; k < K; ++k)
      sum += x[k] * dequant_one(col[c], q, n + c, k);
    out[c] += sum;
  }
}

/* 2 and 4 bits, P = 8 / B codes per byte: 8 bytes widened to 8 lanes hold a chunk of 8P codes, and code
 * 8-lane "plane" j (bits [jB, jB + B) of every byte) is codes P*i + j, i = 0..7. Multiplying plane j by x
 * permuted the same way (xp: per chunk, x[P*i + j] at j*8 + i, built once per call and shared by every
 * column) needs no shuffles: per 8 codes one shift, one mask, one conversion and one FMA from a single
 * widening load per P planes. Columns c < CN, rows [0, KB) with KB a multiple of 8P and of G; the rest of
 * K is left to the caller. */
INLINE void gemv_columns_planes(const float *xp, const uint8_t *packed, int64_t ps, const Groups *q, int64_t n,
                                v8f tot[4], int64_t KB, const int B, const int CN) {
  const int P = 8 / B, CH = 8 * P;
  int64_t G = q->group, ahead = prefetch_ahead(ps);
  const uint8_t *col[4];
  /* Scales decoded up front: per group and column, a scalar f16 decode would cost as much as 32 codes. */
  float sc[4][SINTER_UK_QGEMV_MAX_K / 8];
  for (int c = 0; c < CN; ++c) {
    col[c] = packed + (n + c) * ps;
    column_scales(q, n + c, KB / G, sc[c]);
  }
  for (int64_t g = 0, k0 = 0; k0 < KB; ++g, k0 += G) {
    int64_t k1 = k0 + G < KB ? k0 + G : KB;
    v8f acc[4], ax = (v8f){0};
    for (int c = 0; c < CN; ++c)
      acc[c] = (v8f){0};
    for (int64_t k = k0; k < k1; k += CH) {
      v8f xv[4];
      for (int j = 0; j < P; ++j) {
        xv[j] = *(const v8f *)(xp + k + 8 * j);
        ax += xv[j];
      }
      if ((k / CH) % 8 == 0) /* once per 64-byte line of each column */
        for (int c = 0; c < CN; ++c)
          prefetch_l2(col[c] + ahead + (k / CH) * 8);
      for (int c = 0; c < CN; ++c) {
        v8b bytes;
        __builtin_memcpy(&bytes, col[c] + (k / CH) * 8, 8);
        v8i wide = __builtin_convertvector(bytes, v8i);
        for (int j = 0; j < P; ++j)
          acc[c] += xv[j] * __builtin_convertvector((wide >> (j * B)) & ((1 << B) - 1), v8f);
      }
    }
    for (int c = 0; c < CN; ++c) {
      float s = sc[c][g], z = group_zero(q, n + c, g);
      tot[c] += s * acc[c] - (s * z) * ax;
    }
  }
}

/* Columns n .. n+CN-1 with the plane path on [0, KB) and the chunk/scalar path on the rest of K. */
INLINE void gemv_columns_split(const float *x, const float *xp, const uint8_t *packed, int64_t ps, const Groups *q,
                               int64_t n, float *out, int64_t K, int64_t KB, const int B, const int CN) {
  v8f tot[4];
  for (int c = 0; c < CN; ++c)
    tot[c] = (v8f){0};
  gemv_columns_planes(xp, packed, ps, q, n, tot, KB, B, CN);
  float rest[4] = {0, 0, 0, 0};
  if (KB < K) {
    /* The remainder starts at a multiple of G: view it as a smaller matrix from row KB. */
    Groups tail = groups_from(q, KB / q->group);
    gemv_columns(x + KB, packed + (KB * B) / 8, ps, &tail, n, rest, K - KB, B, CN);
  }
  for (int c = 0; c < CN; ++c)
    out[c] += hsum8(tot[c]) + rest[c];
}

#if defined(__AVX2__)
/* ---- M == 1, 2/3/4/8-bit codes: int16 path (bitcode built with AVX2: x86-64 v8_avx2, v16 and v16_vnni) ------
 * In f32 each code costs a shift, a mask, a conversion and an FMA, which makes the GEMV compute bound even
 * at 8 bits. Here x is quantized per weight group to int16 instead: xq = round(x / sx_g), sx_g =
 * max|x_g| / xmax (sinter_uk_qgemv_xmax: no int32 lane can overflow), and adjacent pairs of int16 products
 * code * xq are summed into int32 lanes by one vpmaddwd per 16 codes; per group
 * y += scale * sx_g * (sum code * xq - zero * sum xq), sum xq shared by all columns. The activation rounding
 * error is at most max|x_g| / (2 xmax) per element (xmax >= 8191, so relative 6e-5 of the group's largest
 * activation: below the fp16 rounding of the scales).
 * Codes are never widened: 32 bytes of a column are read as 16 int16 lanes, each holding Q = 16 / B codes (3 bits:
 * see chunk_lanes)
 * (lane i of a chunk holds codes Q*i .. Q*i + Q-1 at bits 0, B, ..), so "plane" j = (lane >> jB) & mask is
 * codes Q*i + j: one shift and one mask per 16 codes, and xq is stored per chunk of 16Q codes in the same
 * plane order. (Widening bytes to int16 lanes costs two shuffle uops per 16 codes on Zen 3, which made the
 * 4-bit GEMV compute bound at half the memory bandwidth.)
 * LLVM does not form vpmaddwd from the generic pattern here (it narrows the known-small codes first), hence
 * the builtin and the AVX2-only build. */
typedef uint16_t v16u __attribute__((vector_size(32), aligned(2)));
typedef uint8_t v32b __attribute__((vector_size(32), aligned(1)));
typedef char v32c __attribute__((vector_size(32), aligned(1)));

/* AVX-512 VNNI (the v16_vnni build) multiplies and accumulates in one instruction on the same 256-bit vectors:
 * vpdpwssd for vpmaddwd + vpaddd, vpdpbusd for vpmaddubsw + vpmaddwd(1) + vpaddd (exact in int32 either way:
 * the int16 pair sums of vpmaddubsw stay below 8 / B * 2 * 15 * 127 at 4 bits, so they cannot saturate). */
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
#define SINTER_UK_VNNI 1
#include <immintrin.h>
#else
#define SINTER_UK_VNNI 0
#endif
/* VBMI (the v16_vnni build too): vpmultishiftqb unpacks 3-bit codes to bytes (codes3_bytes). */
#if SINTER_UK_VNNI && defined(__AVX512VBMI__)
#define SINTER_UK_VBMI 1
#else
#define SINTER_UK_VBMI 0
#endif

/* acc + the int32 lanes' sums of adjacent int16 products a * b. */
INLINE v8i dot_pairs(v8i acc, v16s a, v16s b) {
#if SINTER_UK_VNNI
  return (v8i)_mm256_dpwssd_epi32((__m256i)acc, (__m256i)a, (__m256i)b);
#else
  return acc + (v8i)__builtin_ia32_pmaddwd256(a, b);
#endif
}

/* Codes per int16 lane: 16 / B, except 3 bits, whose lanes are rebuilt to hold 4 codes (see chunk_lanes). */
INLINE int lane_codes(const int B) { return B == 3 ? 4 : 16 / B; }
/* Bytes of a column per chunk of 16 lanes: 32, or 24 for 3 bits (64 codes). */
INLINE int chunk_bytes(const int B) { return B == 3 ? 24 : 32; }

/* A chunk's 16 int16 lanes; lane i holds codes Q*i .. Q*i + Q-1 at bits 0, B, ... For 2/4/8 bits that is the
 * bytes as stored. 3-bit codes are stored 8 per 3 bytes, which no lane width divides, so each 3-byte triple
 * (codes 8m .. 8m+7, 24 bits) is moved into int32 lane m (two 16-byte loads, one byte shuffle) and its upper
 * 12 bits shifted up by 4: int16 lane 2m then holds codes 8m .. 8m+3 and lane 2m+1 codes 8m+4 .. 8m+7, at bits
 * 0, 3, 6, 9 (bits 12-15 zero), the 4-bit layout with shifts of 3. */
INLINE v16u chunk_lanes(const uint8_t *p, const int B) {
  v16u lanes;
  if (B != 3) {
    __builtin_memcpy(&lanes, p, 32);
    return lanes;
  }
  v16b lo, hi; /* bytes 0-15 and 8-23: no read past the chunk's 24 bytes */
  __builtin_memcpy(&lo, p, 16);
  __builtin_memcpy(&hi, p + 8, 16);
  v32b t = __builtin_shufflevector(lo, hi, 0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, 20, 21, 22, -1, 23,
                                   24, 25, -1, 26, 27, 28, -1, 29, 30, 31, -1);
  v8u v = (v8u)t;
  v = (v & 0xfffu) | ((v & 0xfff000u) << 4);
  __builtin_memcpy(&lanes, &v, 32);
  return lanes;
}

INLINE v16s even16(v16s a, v16s b) {
  return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}
INLINE v16s odd16(v16s a, v16s b) {
  return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}

/* v[0 .. Q) hold 16Q values in k order; afterwards v[j] lane i = value Q*i + j (Q in 1, 2, 4, 8): log2(Q)
 * rounds, each splitting every pair of vectors into its even and its odd values. */
INLINE void deinterleave(v16s *v, const int Q) {
  for (int stride = 1; stride < Q; stride *= 2) {
    v16s out[8];
    /* After a round with `stride`, vectors are grouped by the value's index mod 2*stride. */
    for (int t = 0; t < Q / 2; ++t) {
      out[t] = even16(v[2 * t], v[2 * t + 1]);
      out[Q / 2 + t] = odd16(v[2 * t], v[2 * t + 1]);
    }
    for (int t = 0; t < Q; ++t)
      v[t] = out[t];
  }
}

INLINE v8s round_to_int16(const float *x, float inv, v8i *sum) {
  v8f v = *(const v8f *)x * inv, half = (v8f){0} + 0.5f;
  v8i r = __builtin_convertvector(v + (v8f)((v8i)half | ((v8i)v & (int32_t)0x80000000)), v8i); /* half away */
  *sum += r;
  return __builtin_convertvector(r, v8s);
}

/* Per group of G in x[0, KB): the rounding step sx[g] = max|x_g| / xmax and its inverse inv[g] (0 for an all-zero
 * group); sx and the sums xsum are zeroed up to a multiple of 8 groups first (the vector loops read them). */
INLINE void group_steps(const float *x, int64_t KB, int64_t G, float xmax, float *sx, float *inv, float *xsum) {
  int64_t groups = KB / G;
  for (int64_t g = 0; g < (groups + 7) / 8 * 8; ++g)
    sx[g] = xsum[g] = 0;
  for (int64_t g = 0, k0 = 0; g < groups; ++g, k0 += G) {
    v8f amax = (v8f){0};
    for (int64_t k = k0; k < k0 + G; k += 8) {
      v8f a = (v8f)(*(const v8i *)(x + k) & 0x7fffffff); /* |x| */
      v8i larger = (v8i)(a > amax);
      amax = (v8f)((larger & (v8i)a) | (~larger & (v8i)amax));
    }
    float m = 0;
    for (int l = 0; l < 8; ++l)
      m = m > amax[l] ? m : amax[l];
    sx[g] = m > 0 ? m / xmax : 1.0f;
    inv[g] = m > 0 ? xmax / m : 0.0f;
  }
}

/* x[0, KB) quantized per group of G into xq, stored per chunk of 16Q codes (GP groups, or part of one group
 * when GP == 1) in plane order; sx[g] is the group's step and xsum[g] the sum of its xq, both padded with
 * zeros to a multiple of 8 groups. Each chunk is rounded, de-interleaved in registers and stored once
 * (storing it in k order and reloading it to de-interleave stalls on store forwarding, which cost more
 * than the GEMV's code loop for 64-column units). */
INLINE void quantize_x(const float *x, int64_t KB, int64_t G, const int B, const int GP, int16_t *restrict xq,
                       float *sx, float *xsum) {
  const int Q = lane_codes(B), CH = 16 * Q;
  int64_t groups = KB / G;
  float inv[groups];
  int32_t isum[groups]; /* exact: the zero-point term subtracts zero * xsum from sums of the same size */
  group_steps(x, KB, G, (float)sinter_uk_qgemv_xmax(B, G), sx, inv, xsum);
  for (int64_t g = 0; g < groups; ++g)
    isum[g] = 0;
  for (int64_t k = 0; k < KB; k += CH) {
    int64_t g0 = k / G;
    v16s chunk[8];
    v8i sum[4] = {(v8i){0}, (v8i){0}, (v8i){0}, (v8i){0}};
    for (int v = 0; v < Q; ++v) { /* 16 values of group g0 + p (G >= 16) */
      int p = v * GP / Q;
      v8s lo = round_to_int16(x + k + 16 * v, inv[g0 + p], &sum[p]);
      v8s hi = round_to_int16(x + k + 16 * v + 8, inv[g0 + p], &sum[p]);
      chunk[v] = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    }
    deinterleave(chunk, Q);
    __builtin_memcpy(xq + k, chunk, 2 * CH);
    for (int p = 0; p < GP; ++p)
      isum[g0 + p] += sum[p][0] + sum[p][1] + sum[p][2] + sum[p][3] + sum[p][4] + sum[p][5] + sum[p][6] + sum[p][7];
  }
  for (int64_t g = 0; g < groups; ++g)
    xsum[g] = (float)isum[g];
}

/* int8 activations (SINTER_UK_QGEMM_INT8_ACTIVATIONS, 2 and 4 bits; ONNX Runtime's MatMulNBits
 * accuracy_level 4 computes the same way): x is rounded per group to int8, xq = round(x / sx_g) with
 * sx_g = max|x_g| / 127, and vpmaddubsw multiplies 32 unsigned codes by 32 int8 activations at once, summing
 * pairs into int16 (at most 2 * 15 * 127 per pair: no saturation), which vpmaddwd by ones widens to int32.
 * Bytes are split into P = 8 / B planes without widening, (byte >> jB) & mask, so a chunk is 32 bytes =
 * 32P codes (64 at 4 bits, 128 at 2 bits: the int16 path's chunk) and plane j, lane t holds code P*t + j;
 * xq is stored per chunk in that order. Every int32 lane still sums contiguous codes (8 at 4 bits, 16 at 2),
 * so the per-lane group scales of the int16 path apply unchanged. The rounding error is at most
 * max|x_g| / 254 per element, 129x the int16 path's: an opt-in. */
typedef int8_t v16c __attribute__((vector_size(16)));

/* How the M == 1 int paths round x (the A8 argument below). */
enum {
  X_INT16 = 0, /* int16 lanes (vpmaddwd / vpdpwssd) */
  X_INT8 = 1,  /* int8 (SINTER_UK_QGEMM_INT8_ACTIVATIONS) */
  /* VNNI builds, 4 bits: the int16 path's precision (xmax = sinter_uk_qgemv_xmax <= 16383) at the int8
   * path's cost. xq = 128 * hi + lo with hi = xq >> 7 (signed byte) and lo = xq & 127, stored as two int8
   * arrays in the int8 layout; vpdpbusd multiplies the byte planes of codes by each, and per step
   * sum = 128 * sum_hi + sum_lo exactly. 4 bits: 7 instructions per 64 codes against the int16 path's 10
   * (4 vpdpwssd and 3 shifts and 3 masks to split 16-bit lanes into 4 planes). Not for 2 bits: compiling
   * that instance too made LLVM lay out the 8-bit GEMV 40% slower (8 chained 4096^2 GEMVs, 1 thread: 5.6 ->
   * 7.8 ms), while 2 bits gained little. */
  X_SPLIT = 2,
};

INLINE v32c concat_bytes(v16s a, v16s b) {
  v16c lo = __builtin_convertvector(a, v16c), hi = __builtin_convertvector(b, v16c);
  return (v32c)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                       20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
}

/* X_INT8: xq holds the int8 values. X_SPLIT: xq holds hi and xlo holds lo. */
INLINE void quantize_x8(const float *x, int64_t KB, int64_t G, const int B, const int GP, const int MODE,
                        int8_t *restrict xq, int8_t *restrict xlo, float *sx, float *xsum) {
  const int P = B == 3 ? 1 : 8 / B, CH = 32 * P; /* 3 bits: one plane, x in k order (codes3_bytes) */
  int64_t groups = KB / G;
  float inv[groups];
  int32_t isum[groups];
  group_steps(x, KB, G, MODE == X_SPLIT ? (float)sinter_uk_qgemv_xmax(B, G) : 127.0f, sx, inv, xsum);
  for (int64_t g = 0; g < groups; ++g)
    isum[g] = 0;
  for (int64_t k = 0; k < KB; k += CH) {
    int64_t g0 = k / G;
    v16s half[2][4]; /* the chunk's first and second 16P values, de-interleaved by P into lanes 0-15, 16-31 */
    v8i sum[4] = {(v8i){0}, (v8i){0}, (v8i){0}, (v8i){0}};
    for (int h = 0; h < 2; ++h) {
      for (int v = 0; v < P; ++v) { /* 16 values at k + 16 (hP + v), all in group g0 + p (G >= 16) */
        int64_t at = k + 16 * (h * P + v);
        int p = (h * P + v) * GP / (2 * P);
        v8s lo = round_to_int16(x + at, inv[g0 + p], &sum[p]);
        v8s hi = round_to_int16(x + at + 8, inv[g0 + p], &sum[p]);
        half[h][v] = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      }
      deinterleave(half[h], P);
    }
    for (int j = 0; j < P; ++j) {
      v16s a = half[0][j], b = half[1][j];
      if (MODE == X_SPLIT) {
        v32c lo = concat_bytes(a & 127, b & 127);
        __builtin_memcpy(xlo + k + 32 * j, &lo, 32);
        a >>= 7;
        b >>= 7;
      }
      v32c plane = concat_bytes(a, b);
      __builtin_memcpy(xq + k + 32 * j, &plane, 32);
    }
    for (int p = 0; p < GP; ++p)
      isum[g0 + p] += sum[p][0] + sum[p][1] + sum[p][2] + sum[p][3] + sum[p][4] + sum[p][5] + sum[p][6] + sum[p][7];
  }
  for (int64_t g = 0; g < groups; ++g)
    xsum[g] = (float)isum[g];
}

#if SINTER_UK_VBMI
/* The 64 codes of a 3-bit chunk (24 bytes) as two vectors of 32 bytes, codes in k order: each 3-byte triple
 * (8 codes) and the byte after it go to the low half of a qword, vpmultishiftqb picks byte i of the qword from
 * bit 3i on, and a mask keeps the code (the bits above it belong to the next codes). The fourth byte of the
 * last triple is not the chunk's: it only feeds bits the mask clears, so it is any byte already loaded. */
INLINE void codes3_bytes(const uint8_t *p, v32b *first, v32b *second) {
  v16b lo, hi; /* bytes 0-15 and 8-23 */
  __builtin_memcpy(&lo, p, 16);
  __builtin_memcpy(&hi, p + 8, 16);
  /* The first four triples from lo (bytes 0-12), the last four from hi alone (byte b at hi[b - 8]), so each
   * vector is one shuffle of one register (vpermb); mixing lo and hi in the second took three. */
  v32b a = __builtin_shufflevector(lo, lo, 0, 1, 2, 3, -1, -1, -1, -1, 3, 4, 5, 6, -1, -1, -1, -1, 6, 7, 8, 9, -1, -1,
                                   -1, -1, 9, 10, 11, 12, -1, -1, -1, -1);
  v32b b = __builtin_shufflevector(hi, hi, 4, 5, 6, 7, -1, -1, -1, -1, 7, 8, 9, 10, -1, -1, -1, -1, 10, 11, 12, 13, -1,
                                   -1, -1, -1, 13, 14, 15, 15, -1, -1, -1, -1);
  const v32b shifts = {0, 3, 6, 9, 12, 15, 18, 21, 0, 3, 6, 9, 12, 15, 18, 21,
                       0, 3, 6, 9, 12, 15, 18, 21, 0, 3, 6, 9, 12, 15, 18, 21};
  *first = (v32b)_mm256_multishift_epi64_epi8((__m256i)shifts, (__m256i)a) & 7;
  *second = (v32b)_mm256_multishift_epi64_epi8((__m256i)shifts, (__m256i)b) & 7;
}
#endif

/* Column n's factors per group, cs[g] = scale * sx_g (the scales decoded up front), and its zero-point term
 * sum_g cs[g] * zero * xsum[g], which is returned. */
INLINE float column_steps(const Groups *q, int64_t n, int64_t groups, const float *sx, const float *xsum, float *cs) {
  column_scales(q, n, groups, cs);
  v8f cz = (v8f){0};
  int64_t g = 0;
  for (; g + 8 <= groups; g += 8) {
    v8f s = *(const v8f *)&cs[g] * *(const v8f *)&sx[g], z = (v8f){0} + (float)(1 << (q->bits - 1));
    if (q->zeros) {
      v8b zb;
      __builtin_memcpy(&zb, q->zeros + n * q->groups + g, 8);
      z = __builtin_convertvector(zb, v8f);
    }
    __builtin_memcpy(&cs[g], &s, 32);
    cz += s * z * *(const v8f *)&xsum[g];
  }
  float corr = hsum8(cz);
  for (; g < groups; ++g) {
    cs[g] *= sx[g];
    corr += cs[g] * group_zero(q, n, g) * xsum[g];
  }
  return corr;
}

/* Groups of at least 16 codes, padded (lane_scales may read up to 8 past the last). */
#define CS_MAX (SINTER_UK_QGEMV_MAX_K / 16 + 8)

/* Columns n .. n+CN-1 of an int GEMV: their codes, factors, zero-point terms and zeroed totals. */
INLINE void begin_columns(const uint8_t *packed, int64_t ps, const Groups *q, int64_t n, int64_t groups,
                          const float *sx, const float *xsum, const int CN, const uint8_t *col[4],
                          float cs[4][CS_MAX], v8f tot[4], float corr[4]) {
  for (int c = 0; c < CN; ++c) {
    col[c] = packed + (n + c) * ps;
    tot[c] = (v8f){0};
    corr[c] = column_steps(q, n + c, groups, sx, xsum, cs[c]);
  }
}

/* The factor of each int32 lane of a step that starts at group g: one group, or a chunk of GP groups whose
 * lane m belongs to group g + m * GP / 8. cs is padded: reading past the last group is harmless. */
INLINE v8f lane_scales(const float *cs, int64_t g, const int GP) {
  float s = cs[g];
  if (GP == 1)
    return (v8f){s, s, s, s, s, s, s, s};
  if (GP == 8) {
    v8f all;
    __builtin_memcpy(&all, &cs[g], 32);
    return all;
  }
  v4f four;
  __builtin_memcpy(&four, &cs[g], 16);
  return GP == 2 ? __builtin_shufflevector(four, four, 0, 0, 0, 0, 1, 1, 1, 1)
                 : __builtin_shufflevector(four, four, 0, 0, 1, 1, 2, 2, 3, 3);
}

/* Columns n .. n+CN-1 over rows [0, KB) (KB a multiple of G; G a multiple of the chunk of 16Q codes, GP = 1,
 * or the chunk made of GP = 2 or 4 groups): out[c] += the partial dot.
 * Outside the code loop there is one conversion and one FMA per column and group (per chunk when GP > 1,
 * where int32 lane m of a chunk belongs to its group m * GP / 8, so the lanes get their own scales): the
 * column's scales are decoded and multiplied by the activation steps up front (cs = scale * sx_g), and the
 * zero-point term sum_g cs * zero * sum xq is one vector dot per column. */
INLINE void gemv_columns_int(const void *xq, const int8_t *xlo, const float *sx, const float *xsum,
                             const uint8_t *packed, int64_t ps, const Groups *q, int64_t n, float *out, int64_t KB,
                             const int B, const int GP, const int A8, const int CN) {
  const int Q = lane_codes(B), CH = 16 * Q, CB = chunk_bytes(B);
  int64_t G = q->group, groups = KB / G, ahead = prefetch_ahead(ps);
  (void)xlo; /* X_SPLIT only: VNNI builds */
  const uint8_t *col[4];
  float cs[4][CS_MAX];
  v8f tot[4];
  float corr[4];
  begin_columns(packed, ps, q, n, groups, sx, xsum, CN, col, cs, tot, corr);
  /* A step is one group (GP == 1, of G / CH chunks) or one chunk (GP groups). */
  const int64_t step = GP == 1 ? G : CH;
  /* g = k0 / G, counted: a step is one group, or one chunk of GP groups. (The division, with G known only
   * at run time, was an idiv per group: with 3-bit codes, two inner iterations per 128-code group, it cost
   * as much as they did.) */
  for (int64_t k0 = 0, g = 0; k0 < KB; k0 += step, g += GP) {
    /* Two accumulators per column keep the multiply-add chains from being latency bound. */
    v8i acc[4][2];
    for (int c = 0; c < CN; ++c)
      acc[c][0] = acc[c][1] = (v8i){0};
    /* byte = (k / CH) * CB, counted (k is signed: the division took a sign fix-up per chunk) */
    for (int64_t k = k0, byte = k0 / CH * CB; k < k0 + step; k += CH, byte += CB) {
      for (int c = 0; c < CN; ++c) /* every chunk: a second prefetch of a line costs less than testing for it */
        prefetch_l2(col[c] + ahead + byte);
      for (int c = 0; c < CN; ++c) {
#if SINTER_UK_VBMI
        if (A8 == X_SPLIT && B == 3) { /* x in k order; G a multiple of the chunk (64) */
          v32b codes[2], xv, xl;
          codes3_bytes(col[c] + byte, &codes[0], &codes[1]);
          for (int h = 0; h < 2; ++h) {
            __builtin_memcpy(&xv, (const int8_t *)xq + k + 32 * h, 32);
            __builtin_memcpy(&xl, xlo + k + 32 * h, 32);
            acc[c][0] = (v8i)_mm256_dpbusd_epi32((__m256i)acc[c][0], (__m256i)codes[h], (__m256i)xv);
            acc[c][1] = (v8i)_mm256_dpbusd_epi32((__m256i)acc[c][1], (__m256i)codes[h], (__m256i)xl);
          }
          continue;
        }
#endif
        if (A8) {
          /* 8 / B planes of 32 codes; without VNNI their int16 pair sums add up first. */
          v32b bytes;
          __builtin_memcpy(&bytes, col[c] + byte, 32);
          v16s pairs = (v16s){0};
          for (int j = 0; j < 8 / B; ++j) {
            v32b codes = bytes >> (uint8_t)(j * B);
            if (j < 8 / B - 1)
              codes &= (uint8_t)((1 << B) - 1);
            v32c xv;
            __builtin_memcpy(&xv, (const int8_t *)xq + k + 32 * j, 32);
#if SINTER_UK_VNNI
            if (A8 == X_SPLIT) { /* acc 0 sums codes * hi, acc 1 codes * lo */
              v32c xl;
              __builtin_memcpy(&xl, xlo + k + 32 * j, 32);
              acc[c][0] = (v8i)_mm256_dpbusd_epi32((__m256i)acc[c][0], (__m256i)codes, (__m256i)xv);
              acc[c][1] = (v8i)_mm256_dpbusd_epi32((__m256i)acc[c][1], (__m256i)codes, (__m256i)xl);
              continue;
            }
            acc[c][j & 1] = (v8i)_mm256_dpbusd_epi32((__m256i)acc[c][j & 1], (__m256i)codes, (__m256i)xv);
#else
            pairs += (v16s)__builtin_ia32_pmaddubsw256((v32c)codes, xv);
#endif
          }
          if (!SINTER_UK_VNNI)
            acc[c][0] = dot_pairs(acc[c][0], pairs, (v16s){0} + 1);
          continue;
        }
        v16u lanes = chunk_lanes(col[c] + byte, B);
        for (int j = 0; j < Q; ++j) {
          v16u codes = lanes >> (uint16_t)(j * B);
          if (j < Q - 1)
            codes &= (uint16_t)((1 << B) - 1);
          v16s xv;
          __builtin_memcpy(&xv, (const int16_t *)xq + k + 16 * j, 32);
          acc[c][j & 1] = dot_pairs(acc[c][j & 1], (v16s)codes, xv);
        }
      }
    }
    for (int c = 0; c < CN; ++c) {
      v8i isum = A8 == X_SPLIT ? acc[c][0] * 128 + acc[c][1] : acc[c][0] + acc[c][1];
      tot[c] += __builtin_convertvector(isum, v8f) * lane_scales(cs[c], g, GP);
    }
  }
  for (int c = 0; c < CN; ++c)
    out[c] += hsum8(tot[c]) - corr[c];
}

/* The int16 path on rows [0, KB) (whole groups, and whole chunks: KB a multiple of G and of 16Q) and the f32
 * chunk path on the rest of K. */
INLINE void gemv_block_int_g(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c, int64_t n0,
                             int64_t nc, int64_t K, const int B, const int GP, const int A8) {
  const int CH = 16 * lane_codes(B);
  int64_t unit = q->group > CH ? q->group : CH, KB = K / unit * unit;
  int16_t xq[KB]; /* X_INT8 uses its first half, X_SPLIT its two halves (hi, lo) */
  int8_t *xlo = (int8_t *)xq + KB;
  float sx[KB / q->group + 8], xsum[KB / q->group + 8];
  if (A8 != X_INT16)
    quantize_x8(x, KB, q->group, B, GP, A8, (int8_t *)xq, xlo, sx, xsum);
  else
    quantize_x(x, KB, q->group, B, GP, xq, sx, xsum);
  Groups tail = groups_from(q, KB / q->group);
  for (int64_t j = 0; j < nc;) {
    int cn = nc - j >= 4 ? 4 : 1;
    if (cn == 4)
      gemv_columns_int(xq, xlo, sx, xsum, packed, ps, q, n0 + j, c + n0 + j, KB, B, GP, A8, 4);
    else
      gemv_columns_int(xq, xlo, sx, xsum, packed, ps, q, n0 + j, c + n0 + j, KB, B, GP, A8, 1);
    if (KB < K && cn == 4)
      gemv_columns(x + KB, packed + (KB * B) / 8, ps, &tail, n0 + j, c + n0 + j, K - KB, B, 4);
    else if (KB < K)
      gemv_columns(x + KB, packed + (KB * B) / 8, ps, &tail, n0 + j, c + n0 + j, K - KB, B, 1);
    j += cn;
  }
}

/* Whether the int16 path takes B-bit codes in groups of G: whole chunks of 16 lanes (16 * lane_codes(B) codes)
 * made of 1, 2 or 4 groups (a group spans at least one int32 lane's 2 * lane_codes(B) codes), and at least one
 * chunk of K. */
INLINE int int_path_fits(int64_t G, int64_t K, const int B) {
  const int CH = 16 * lane_codes(B);
  int fits = G % CH == 0 || G * 2 == CH || G * 4 == CH;
  return fits && K >= (G > CH ? G : CH) && K <= SINTER_UK_QGEMV_MAX_K;
}

INLINE void gemv_block_int_a(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c,
                             int64_t n0, int64_t nc, int64_t K, const int B, const int A8) {
  const int CH = 16 * lane_codes(B);
  if (q->group % CH == 0)
    gemv_block_int_g(x, packed, ps, q, c, n0, nc, K, B, 1, A8);
  else if (q->group * 2 == CH)
    gemv_block_int_g(x, packed, ps, q, c, n0, nc, K, B, 2, A8);
  else
    gemv_block_int_g(x, packed, ps, q, c, n0, nc, K, B, 4, A8);
}

INLINE void gemv_block_int(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c, int64_t n0,
                           int64_t nc, int64_t K, const int B) {
  if ((B == 2 || B == 4) && q->int8x)
    gemv_block_int_a(x, packed, ps, q, c, n0, nc, K, B, X_INT8);
  else if (B == 4 && SINTER_UK_VNNI)
    gemv_block_int_a(x, packed, ps, q, c, n0, nc, K, B, X_SPLIT);
  else if (B == 3 && SINTER_UK_VBMI && q->group % 64 == 0)
    gemv_block_int_g(x, packed, ps, q, c, n0, nc, K, B, 1, X_SPLIT);
  else
    gemv_block_int_a(x, packed, ps, q, c, n0, nc, K, B, X_INT16);
}

/* ---- M == 1, blocked 3-bit codes (SINTER_UK_QGEMM_BLOCKED3; layout in qgemm_tiles.h) ------------------------
 * A chunk of 256 codes is three 32-byte loads, and its 8 vectors of 32 byte codes come out of shifts, masks and
 * ors alone. On Zen 4 those run beside vpdpbusd, while vpermb, vpmultishiftqb and vgf2p8affineqb (any unpack of
 * the dense layout) share its two ports: in L1, 4 columns, split activations, 2.57 cycles per 64 codes and
 * column here against 3.88 for the dense layout's vpermb + vpmultishiftqb (4 bits: 2.28).
 * x is rounded as for the dense int paths (X_SPLIT: xmax as the int16 path, as a signed high and a 7-bit low
 * byte; X_INT8 with SINTER_UK_QGEMM_INT8_ACTIVATIONS) and stored per chunk in the codes' order: vector t byte
 * j is x[32 (j / 4) + 4 t + j % 4], an 8 x 8 transpose of 4-byte lanes. Int32 lane m of every vector sums
 * codes 32m .. 32m+31 of the chunk, so groups of 32, 64 and 128 are sets of lanes (GP = 8, 4, 2 per chunk)
 * and larger groups whole chunks (GP = 1). Without VNNI the products are vpmaddubsw + vpmaddwd. */

/* acc + the int32 lanes' sums of 4 adjacent products of unsigned codes and signed x (exact: codes < 8). */
INLINE v8i dot_bytes(v8i acc, v32b codes, v32c x) {
#if SINTER_UK_VNNI
  return (v8i)_mm256_dpbusd_epi32((__m256i)acc, (__m256i)codes, (__m256i)x);
#else
  return dot_pairs(acc, (v16s)__builtin_ia32_pmaddubsw256((v32c)codes, x), (v16s){0} + 1);
#endif
}

/* v[0 .. 8) as an 8 x 8 matrix of 4-byte lanes, transposed: afterwards v[t] lane L is the old v[L] lane t
 * (deinterleave's three rounds on 4-byte lanes). */
INLINE void transpose8x8(v8u *v) {
  for (int round = 0; round < 3; ++round) {
    v8u out[8];
    for (int t = 0; t < 4; ++t) {
      out[t] = __builtin_shufflevector(v[2 * t], v[2 * t + 1], 0, 2, 4, 6, 8, 10, 12, 14);
      out[4 + t] = __builtin_shufflevector(v[2 * t], v[2 * t + 1], 1, 3, 5, 7, 9, 11, 13, 15);
    }
    for (int t = 0; t < 8; ++t)
      v[t] = out[t];
  }
}

/* x[0, K) rounded per group of G (32, 64, 128 or a multiple of 256) into xq (X_SPLIT: high bytes in xq, low
 * bytes in xlo) in the blocked order; sx and xsum as quantize_x8. */
INLINE void quantize_x_blocked3(const float *x, int64_t K, int64_t G, const int MODE, int8_t *restrict xq,
                                int8_t *restrict xlo, float *sx, float *xsum) {
  int64_t groups = K / G;
  float inv[groups];
  int32_t isum[groups];
  group_steps(x, K, G, MODE == X_SPLIT ? (float)sinter_uk_qgemv_xmax(3, G) : 127.0f, sx, inv, xsum);
  for (int64_t g = 0; g < groups; ++g)
    isum[g] = 0;
  for (int64_t k = 0, g = 0, gk = 0; k < K; k += 256) {
    v8u hi[8], lo[8];
    for (int L = 0; L < 8; ++L) { /* x[k + 32L, +32): one group (G >= 32) */
      int64_t at = k + 32 * L;
      if (at == gk + G)
        ++g, gk = at;
      v8i sum = (v8i){0};
      v8s r[4];
      for (int i = 0; i < 4; ++i)
        r[i] = round_to_int16(x + at + 8 * i, inv[g], &sum);
      isum[g] += sum[0] + sum[1] + sum[2] + sum[3] + sum[4] + sum[5] + sum[6] + sum[7];
      v16s a = __builtin_shufflevector(r[0], r[1], 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      v16s b = __builtin_shufflevector(r[2], r[3], 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
      if (MODE == X_SPLIT) {
        lo[L] = (v8u)concat_bytes(a & 127, b & 127);
        a >>= 7;
        b >>= 7;
      }
      hi[L] = (v8u)concat_bytes(a, b);
    }
    transpose8x8(hi);
    __builtin_memcpy(xq + k, hi, 256);
    if (MODE == X_SPLIT) {
      transpose8x8(lo);
      __builtin_memcpy(xlo + k, lo, 256);
    }
  }
  for (int64_t g = 0; g < groups; ++g)
    xsum[g] = (float)isum[g];
}

/* Columns n .. n+CN-1: out[c] += x . W'[., n + c], K a multiple of 256 and of G. */
INLINE void gemv_columns_blocked3(const int8_t *xq, const int8_t *xlo, const float *sx, const float *xsum,
                                  const uint8_t *packed, int64_t ps, const Groups *q, int64_t n, float *out, int64_t K,
                                  const int GP, const int A8, const int CN) {
  int64_t G = q->group, groups = K / G, ahead = prefetch_ahead(ps);
  const uint8_t *col[4];
  float cs[4][CS_MAX];
  v8f tot[4];
  float corr[4];
  begin_columns(packed, ps, q, n, groups, sx, xsum, CN, col, cs, tot, corr);
  const int64_t step = GP == 1 ? G : 256; /* one group, or one chunk of GP groups */
  for (int64_t k0 = 0, g = 0; k0 < K; k0 += step, g += GP) {
    /* Two accumulators per column (X_SPLIT: codes * high bytes, codes * low bytes). Each chain is 8 deep per
     * chunk, but the chunks' chains are independent; four per column spilled registers (16 accumulators). */
    v8i acc[4][2];
    for (int c = 0; c < CN; ++c)
      acc[c][0] = acc[c][1] = (v8i){0};
    for (int64_t k = k0, byte = k0 / 256 * 96; k < k0 + step; k += 256, byte += 96) {
      for (int c = 0; c < CN; ++c) { /* the chunk's 96 bytes touch at most two lines */
        prefetch_l2(col[c] + ahead + byte);
        prefetch_l2(col[c] + ahead + byte + 64);
      }
      /* Unrolled (clang and GCC), or the accumulators live in memory: the unrollers stop short of this body. */
#pragma GCC unroll 8
      for (int c = 0; c < CN; ++c) {
        v32b v0, v1, v2;
        __builtin_memcpy(&v0, col[c] + byte, 32);
        __builtin_memcpy(&v1, col[c] + byte + 32, 32);
        __builtin_memcpy(&v2, col[c] + byte + 64, 32);
        v32b codes[8] = {v0 & 7, (v0 >> 3) & 7, (v0 >> 6) | ((v2 & 0x40) >> 4),
                         v1 & 7, (v1 >> 3) & 7, (v1 >> 6) | ((v2 & 0x80) >> 5),
                         v2 & 7, (v2 >> 3) & 7};
#pragma GCC unroll 8
        for (int t = 0; t < 8; ++t) {
          v32c xv;
          __builtin_memcpy(&xv, xq + k + 32 * t, 32);
          if (A8 == X_SPLIT) {
            v32c xl;
            __builtin_memcpy(&xl, xlo + k + 32 * t, 32);
            acc[c][0] = dot_bytes(acc[c][0], codes[t], xv);
            acc[c][1] = dot_bytes(acc[c][1], codes[t], xl);
          } else {
            acc[c][t & 1] = dot_bytes(acc[c][t & 1], codes[t], xv);
          }
        }
      }
    }
    for (int c = 0; c < CN; ++c) {
      v8i isum = A8 == X_SPLIT ? acc[c][0] * 128 + acc[c][1] : acc[c][0] + acc[c][1];
      tot[c] += __builtin_convertvector(isum, v8f) * lane_scales(cs[c], g, GP);
    }
  }
  for (int c = 0; c < CN; ++c)
    out[c] += hsum8(tot[c]) - corr[c];
}

INLINE void gemv_block_blocked3_g(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c,
                                  int64_t n0, int64_t nc, int64_t K, const int GP, const int A8) {
  int8_t xq[K], xlo[A8 == X_SPLIT ? K : 1];
  float sx[K / q->group + 8], xsum[K / q->group + 8];
  quantize_x_blocked3(x, K, q->group, A8, xq, xlo, sx, xsum);
  for (int64_t j = 0; j < nc;) {
    if (nc - j >= 4) {
      gemv_columns_blocked3(xq, xlo, sx, xsum, packed, ps, q, n0 + j, c + n0 + j, K, GP, A8, 4);
      j += 4;
    } else {
      gemv_columns_blocked3(xq, xlo, sx, xsum, packed, ps, q, n0 + j, c + n0 + j, K, GP, A8, 1);
      j += 1;
    }
  }
}

INLINE void gemv_block_blocked3_a(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c,
                                  int64_t n0, int64_t nc, int64_t K, const int A8) {
  switch (q->group) {
  case 32: return gemv_block_blocked3_g(x, packed, ps, q, c, n0, nc, K, 8, A8);
  case 64: return gemv_block_blocked3_g(x, packed, ps, q, c, n0, nc, K, 4, A8);
  case 128: return gemv_block_blocked3_g(x, packed, ps, q, c, n0, nc, K, 2, A8);
  default: return gemv_block_blocked3_g(x, packed, ps, q, c, n0, nc, K, 1, A8);
  }
}

static void gemv_block_blocked3(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c,
                                int64_t n0, int64_t nc, int64_t K) {
  if (q->int8x)
    gemv_block_blocked3_a(x, packed, ps, q, c, n0, nc, K, X_INT8);
  else
    gemv_block_blocked3_a(x, packed, ps, q, c, n0, nc, K, X_SPLIT);
}
#define SINTER_UK_QGEMV_INT16 1
#else
#define SINTER_UK_QGEMV_INT16 0
#endif

INLINE void gemv_block_b(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c, int64_t n0,
                         int64_t nc, int64_t K, const int B) {
  int64_t j = 0;
#if SINTER_UK_QGEMV_INT16
  if (int_path_fits(q->group, K, B))
    return gemv_block_int(x, packed, ps, q, c, n0, nc, K, B);
#endif
  const int CH = 64 / B;
  int64_t KB = (B == 2 || B == 4) && q->group % CH == 0 ? K / q->group * q->group : 0;
  if (KB > 0 && KB <= SINTER_UK_QGEMV_MAX_K) {
    float xp[KB]; /* x in plane order, per chunk of CH codes */
    for (int64_t k = 0; k < KB; k += CH)
      for (int i = 0; i < 8; ++i)
        for (int p = 0; p < 8 / B; ++p)
          xp[k + 8 * p + i] = x[k + (8 / B) * i + p];
    for (; j + 4 <= nc; j += 4)
      gemv_columns_split(x, xp, packed, ps, q, n0 + j, c + n0 + j, K, KB, B, 4);
    for (; j < nc; ++j)
      gemv_columns_split(x, xp, packed, ps, q, n0 + j, c + n0 + j, K, KB, B, 1);
    return;
  }
  for (; j + 4 <= nc; j += 4)
    gemv_columns(x, packed, ps, q, n0 + j, c + n0 + j, K, B, 4);
  for (; j < nc; ++j)
    gemv_columns(x, packed, ps, q, n0 + j, c + n0 + j, K, B, 1);
}

/* Any group size: one code at a time. */
static void gemv_block_scalar(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c,
                              int64_t n0, int64_t nc, int64_t K) {
  for (int64_t n = n0; n < n0 + nc; ++n) {
    float sum = 0;
    for (int64_t k = 0; k < K; ++k)
      sum += x[k] * dequant_one(packed + n * ps, q, n, k);
    c[n] += sum;
  }
}

static void gemv_block(const float *x, const uint8_t *packed, int64_t ps, const Groups *q, float *c, int64_t n0,
                       int64_t nc, int64_t K) {
#if SINTER_UK_QGEMV_INT16
  if (q->blocked && sinter_uk_block3_fits(q->group, K))
    return gemv_block_blocked3(x, packed, ps, q, c, n0, nc, K);
#endif
  if (q->group % 8 != 0 || q->blocked) /* other builds read blocked codes one at a time */
    return gemv_block_scalar(x, packed, ps, q, c, n0, nc, K);
  switch (q->bits) {
  case 2: return gemv_block_b(x, packed, ps, q, c, n0, nc, K, 2);
  case 3: return gemv_block_b(x, packed, ps, q, c, n0, nc, K, 3);
  case 4: return gemv_block_b(x, packed, ps, q, c, n0, nc, K, 4);
  default: return gemv_block_b(x, packed, ps, q, c, n0, nc, K, 8);
  }
}

/* M == 1: c[n] += sum_r x[rows[n][r]] * values[n][r] for columns n0 .. n0+nc, right after their codes (the
 * side matrix is applied in the same call as the quantized part, reading x while it is in cache). */
static void gemv_outliers(const float *x, const Outliers *o, float *c, int64_t n0, int64_t nc) {
  for (int64_t n = n0; n < n0 + nc; ++n) {
    const int32_t *rows = o->rows + n * o->R;
    const uint16_t *values = o->values + n * o->R;
    float sum = 0;
    for (int64_t r = 0; r < o->R; ++r)
      sum += x[rows[r]] * half_to_float(values[r]);
    c[n] += sum;
  }
}

/* Rows k0 .. k0+kc of columns n0 .. n0+nc, dequantized into NR-wide panels [kc][NR] (padding columns 0). */
INLINE void dequant_panels_b(const uint8_t *packed, int64_t ps, const Groups *q, int64_t n0, int64_t nc, int64_t k0,
                             int64_t kc, int64_t K, float *restrict out, const int B) {
  int64_t Kp = (K + 7) & ~(int64_t)7;
  int fast = q->group % 8 == 0;
  for (int64_t j = 0; j < nc; ++j) {
    const uint8_t *column = packed + (n0 + j) * ps;
    float *panel = out + (j / NR) * kc * NR + j % NR;
    for (int64_t kk = 0; kk < kc; kk += 8) {
      int64_t k = k0 + kk;
      if (fast && kk + 8 <= kc) {
        int64_t g = k / q->group;
        float s = group_scale(q, n0 + j, g), z = group_zero(q, n0 + j, g);
        v8f w = (unpack8(column + (k >> 3) * B, B, k + 8 >= Kp) - z) * s;
        for (int l = 0; l < 8; ++l)
          panel[(kk + l) * NR] = w[l];
      } else {
        for (int64_t l = 0; l < 8 && kk + l < kc; ++l)
          panel[(kk + l) * NR] = dequant_one(column, q, n0 + j, k + l);
      }
    }
  }
  int64_t padded = (nc + NR - 1) / NR * NR;
  for (int64_t j = nc; j < padded; ++j)
    for (int64_t kk = 0; kk < kc; ++kk)
      out[(j / NR) * kc * NR + kk * NR + j % NR] = 0.0f;
}

/* The panels of rows k0 .. k0+kc of columns n0 .. n0+nc: dequantized codes plus the outliers in those rows,
 * so the micro-kernel multiplies by the effective weight and the side matrix costs nothing per row of X. */
static void dequant_panels(const uint8_t *packed, int64_t ps, const Groups *q, const Outliers *o, int64_t n0,
                           int64_t nc, int64_t k0, int64_t kc, int64_t K, float *restrict out) {
  switch (q->bits) {
  case 2: dequant_panels_b(packed, ps, q, n0, nc, k0, kc, K, out, 2); break;
  case 3: dequant_panels_b(packed, ps, q, n0, nc, k0, kc, K, out, 3); break;
  case 4: dequant_panels_b(packed, ps, q, n0, nc, k0, kc, K, out, 4); break;
  default: dequant_panels_b(packed, ps, q, n0, nc, k0, kc, K, out, 8); break;
  }
  for (int64_t j = 0; j < nc; ++j)
    for (int64_t r = 0; r < o->R; ++r) {
      int64_t row = o->rows[(n0 + j) * o->R + r];
      if (row >= k0 && row < k0 + kc)
        out[(j / NR) * kc * NR + (row - k0) * NR + j % NR] += half_to_float(o->values[(n0 + j) * o->R + r]);
    }
}

/* acc (MR x NR) = rows of X (contiguous along k, `xms` apart; rows past `rows` repeat the last one, their
 * results discarded) x one dequantized panel. */
INLINE void micro_tile(const float *x, int64_t xms, int64_t rows, const float *restrict pb, int64_t kc,
                       vf acc[MR][2]) {
  const float *xr[MR];
  for (int r = 0; r < MR; ++r)
    xr[r] = x + (r < rows ? r : rows - 1) * xms;
  for (int r = 0; r < MR; ++r)
    acc[r][0] = acc[r][1] = (vf){0};
  for (int64_t k = 0; k < kc; ++k, pb += NR) {
    vf b0 = *(const vfa *)pb, b1 = *(const vfa *)(pb + VL);
    for (int r = 0; r < MR; ++r) {
      acc[r][0] += xr[r][k] * b0;
      acc[r][1] += xr[r][k] * b1;
    }
  }
}

static void add_tile(vf acc[MR][2], float *c, int64_t cms, int64_t rows, int64_t cols) {
  if (cols == NR) {
    for (int64_t r = 0; r < rows; ++r) {
      *(vf *)(c + r * cms) += acc[r][0];
      *(vf *)(c + r * cms + VL) += acc[r][1];
    }
    return;
  }
  float tile[MR][NR];
  for (int r = 0; r < MR; ++r) {
    *(vf *)&tile[r][0] = acc[r][0];
    *(vf *)&tile[r][VL] = acc[r][1];
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j)
      c[r * cms + j] += tile[r][j];
}

static void gemm_block(const float *x, int64_t xms, const uint8_t *packed, int64_t ps, const Groups *q,
                       const Outliers *o, float *c, int64_t cms, int64_t K, int64_t mc, int64_t n0, int64_t nc) {
  _Alignas(64) float pb[SINTER_UK_QGEMM_KC * SINTER_UK_QGEMM_NB];
  for (int64_t k0 = 0; k0 < K; k0 += SINTER_UK_QGEMM_KC) {
    int64_t kc = K - k0 < SINTER_UK_QGEMM_KC ? K - k0 : SINTER_UK_QGEMM_KC;
    dequant_panels(packed, ps, q, o, n0, nc, k0, kc, K, pb);
    for (int64_t i = 0; i < mc; i += MR) {
      int64_t rows = mc - i < MR ? mc - i : MR;
      for (int64_t j = 0; j < nc; j += NR) {
        vf acc[MR][2];
        micro_tile(x + i * xms + k0, xms, rows, pb + j * kc, kc, acc);
        add_tile(acc, c + i * cms + n0 + j, cms, rows, nc - j < NR ? nc - j : NR);
      }
    }
  }
}

/* Addresses are integers (byte addresses of element 0). x: [M][K] with rows `xms` floats apart; packed:
 * [N][ps bytes]; scales and zeros: [N][ceil(K / group)]; outlier rows (int32) and values (binary16):
 * [N][R] (R = 0: none, the addresses are not read); c: [M][N] with rows `cms` floats apart. `flags`:
 * SINTER_UK_QGEMM_* bits. The workgroup takes units [id * units / count, (id + 1) * units / count). */
void QGEMM(int64_t x_addr, int64_t packed_addr, int64_t scales_addr, int64_t zeros_addr, int64_t rows_addr,
           int64_t values_addr, int64_t c_addr, int64_t M, int64_t N, int64_t K, int64_t xms, int64_t cms, int64_t ps,
           int64_t R, int64_t bits, int64_t group, int64_t flags, int64_t id, int64_t count) {
  const float *x = (const float *)(uintptr_t)x_addr;
  const uint8_t *packed = (const uint8_t *)(uintptr_t)packed_addr;
  float *c = (float *)(uintptr_t)c_addr;
  Groups q = {(const void *)(uintptr_t)scales_addr,
              (flags & SINTER_UK_QGEMM_ASYMMETRIC) ? (const uint8_t *)(uintptr_t)zeros_addr : 0,
              (K + group - 1) / group, group, (flags & SINTER_UK_QGEMM_F16_SCALES) != 0, (int)bits,
              (flags & SINTER_UK_QGEMM_INT8_ACTIVATIONS) != 0, bits == 3 && (flags & SINTER_UK_QGEMM_BLOCKED3)};
  Outliers o = {(const int32_t *)(uintptr_t)rows_addr, (const uint16_t *)(uintptr_t)values_addr, R};
  int64_t rowBlocks = sinter_uk_qgemm_row_blocks(M), nb = sinter_uk_qgemm_col_block(M, N);
  int64_t colBlocks = (N + nb - 1) / nb, units = rowBlocks * colBlocks;
  int64_t begin = id * units / count, end = (id + 1) * units / count;
  if (M == 1) { /* the units are consecutive column blocks: one pass over all of them (x is rounded once) */
    int64_t n0 = begin * nb, n1 = end * nb < N ? end * nb : N;
    if (n1 > n0) {
      gemv_block(x, packed, ps, &q, c, n0, n1 - n0, K);
      gemv_outliers(x, &o, c, n0, n1 - n0);
    }
    return;
  }
  for (int64_t u = begin; u < end; ++u) {
    int64_t n0 = (u % colBlocks) * nb, nc = N - n0 < nb ? N - n0 : nb;
    int64_t m0 = (u / colBlocks) * SINTER_UK_QGEMM_MB, mc = M - m0 < SINTER_UK_QGEMM_MB ? M - m0 : SINTER_UK_QGEMM_MB;
    if (q.blocked) { /* only the GEMV path reads the blocked layout (the compiler uses it for M == 1) */
      for (int64_t i = m0; i < m0 + mc; ++i) {
        gemv_block(x + i * xms, packed, ps, &q, c + i * cms, n0, nc, K);
        gemv_outliers(x + i * xms, &o, c + i * cms, n0, nc);
      }
      continue;
    }
    gemm_block(x + m0 * xms, xms, packed, ps, &q, &o, c + m0 * cms, cms, K, mc, n0, nc);
  }
}

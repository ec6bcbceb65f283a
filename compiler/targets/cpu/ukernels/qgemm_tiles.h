/*===- qgemm_tiles.h - how the quantized matmul ukernel splits its work into workgroups -------------------===
 *
 * Shared by the ukernel (C, compiled to bitcode) and the compiler (C++), which sizes each dispatch's
 * workgroup count with the same numbers. A unit is one block of SINTER_UK_QGEMM_MB rows by one block of
 * columns over the whole K: SINTER_UK_QGEMM_NB columns when M > 1 (their dequantized fp32 panel,
 * NB x KC floats = 128 KiB, stays in L2 while every row of the block reuses it). When M == 1 each column's
 * codes are streamed once and a unit is N / SINTER_UK_QGEMV_UNITS columns (at least SINTER_UK_QGEMV_NB):
 * each workgroup call rounds x to integers once for all its columns (the AVX2 path), so a GEMV of 64-column
 * units repeated that work up to 64 times (13% of a 1024 x 4096 GEMV on Zen 4), while 16 units still balance
 * 2 to 16 threads.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#ifndef SINTER_COMPILER_TARGETS_CPU_UKERNELS_QGEMM_TILES_H
#define SINTER_COMPILER_TARGETS_CPU_UKERNELS_QGEMM_TILES_H

#include <stdint.h>

#define SINTER_UK_QGEMM_MB 144 /* rows per unit: a multiple of the micro-tile height (6) */
#define SINTER_UK_QGEMM_NB 128 /* columns per unit when M > 1: a multiple of every panel width (8, 16, 32) */
#define SINTER_UK_QGEMM_KC 256 /* depth of one dequantized block: a multiple of 8 (one code chunk) */
#define SINTER_UK_QGEMV_NB 64     /* least columns per unit when M == 1: a multiple of the 4 columns read together */
#define SINTER_UK_QGEMV_UNITS 16 /* units per M == 1 product when N allows */

#define SINTER_UK_QGEMV_MAX_K 16384 /* the M == 1 plane path keeps per-K state on the stack up to this K */

/* Flags argument bits. */
#define SINTER_UK_QGEMM_ASYMMETRIC 1 /* zero points are read from `zeros`; else 2^(bits-1) */
#define SINTER_UK_QGEMM_F16_SCALES 2 /* scales are IEEE binary16; else binary32 */
#define SINTER_UK_QGEMM_INT8_ACTIVATIONS 4 /* M == 1, 2/3/4 bits, AVX2 builds: x may be rounded to int8 per group */
#define SINTER_UK_QGEMM_BLOCKED3 8 /* 3-bit codes in the blocked layout below (K a multiple of 256) */

/* The blocked 3-bit layout (docs/QUANTIZATION.md): each column's codes in chunks of 256 (K a multiple of 256),
 * a chunk in the same 96 bytes as the dense layout but as three 32-byte vectors V0, V1, V2 that the GEMV
 * unpacks with shifts and masks only (no byte shuffles, which share the VNNI multiply's ports on Zen 4).
 * Eight code vectors t = 0..7 of 32 codes each, byte j of vector t holding code 32 * (j / 4) + 4 * t + j % 4
 * of the chunk (every 4-byte lane of every vector covers the same 32 consecutive codes, so a group of 32, 64 or
 * 128 codes is a set of lanes): vector t is field t % 3 of V(t / 3), fields at bits 0-2, 3-5 and 6-7, and the
 * third field (t = 2, 5) keeps its high bit in V2, bit 6 (t = 2) or 7 (t = 5). */
static inline uint32_t sinter_uk_block3_code(const uint8_t *chunk, int64_t i) {
  int64_t t = (i % 32) / 4, j = 4 * (i / 32) + i % 4, v = t / 3, f = t % 3;
  uint32_t byte = chunk[32 * v + j];
  if (f < 2)
    return (byte >> (3 * f)) & 7;
  return (byte >> 6) | (((uint32_t)chunk[64 + j] >> (6 + v)) & 1) << 2;
}

/* Whether the M == 1 int path (AVX2 builds) reads blocked codes of K rows in groups of G: groups that are whole
 * sets of lanes of a chunk (32, 64, 128) or whole chunks, and K within the path's stack state. Elsewhere
 * blocked codes are read one at a time, so the compiler blocks only what fits. */
static inline int sinter_uk_block3_fits(int64_t group, int64_t k) {
  return (group == 32 || group == 64 || group == 128 || (group % 256 == 0 && k % group == 0)) && k % 256 == 0 &&
         k <= SINTER_UK_QGEMV_MAX_K;
}

/* Column `dense` (K codes, K a multiple of 256, dense layout: code k at bits [3k, 3k+3)) into `blocked`
 * (3K/8 bytes). */
static inline void sinter_uk_block3_column(const uint8_t *dense, uint8_t *blocked, int64_t K) {
  for (int64_t i = 0; i < K * 3 / 8; ++i)
    blocked[i] = 0;
  for (int64_t k = 0; k < K; ++k) {
    int64_t bit = 3 * k, i = k % 256, t = (i % 32) / 4, j = 4 * (i / 32) + i % 4, v = t / 3, f = t % 3;
    uint32_t code = ((uint32_t)dense[bit / 8] | ((uint32_t)dense[(bit + 2) / 8] << 8)) >> (bit % 8) & 7;
    uint8_t *chunk = blocked + (k / 256) * 96;
    chunk[32 * v + j] |= (uint8_t)((f < 2 ? code : code & 3) << (3 * f));
    if (f == 2)
      chunk[64 + j] |= (uint8_t)((code >> 2) << (6 + v));
  }
}

/* Largest |integer| the M == 1 int paths (AVX2 builds) round activations to, for `bits`-bit codes in groups of
 * `group`: each of their 8 int32 lanes sums group / 8 products code * x, which must stay below 2^31; and at
 * most 16383, so that the VNNI build's split of 4-bit GEMV activations into a signed high byte and a 7-bit
 * low byte (qgemm.c, X_SPLIT) covers it. 16383 up to groups of 8192 at 8 bits; never below 8191 up to groups
 * of 16384 (SINTER_UK_QGEMV_MAX_K). */
static inline int32_t sinter_uk_qgemv_xmax(int64_t bits, int64_t group) {
  int64_t limit = (int64_t)2147483647 / (((int64_t)1 << bits) - 1) / ((group + 7) / 8);
  return (int32_t)(limit < 16383 ? limit : 16383);
}

static inline int64_t sinter_uk_qgemm_row_blocks(int64_t m) {
  return m == 1 ? 1 : (m + SINTER_UK_QGEMM_MB - 1) / SINTER_UK_QGEMM_MB;
}

static inline int64_t sinter_uk_qgemm_col_block(int64_t m, int64_t n) {
  if (m != 1)
    return SINTER_UK_QGEMM_NB;
  int64_t nb = (n + 4 * SINTER_UK_QGEMV_UNITS - 1) / (4 * SINTER_UK_QGEMV_UNITS) * 4;
  return nb > SINTER_UK_QGEMV_NB ? nb : SINTER_UK_QGEMV_NB;
}

static inline int64_t sinter_uk_qgemm_units(int64_t m, int64_t n) {
  int64_t nb = sinter_uk_qgemm_col_block(m, n);
  return sinter_uk_qgemm_row_blocks(m) * ((n + nb - 1) / nb);
}

#endif

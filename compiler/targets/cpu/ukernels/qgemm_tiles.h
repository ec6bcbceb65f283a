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
#define SINTER_UK_QGEMM_INT8_ACTIVATIONS 4 /* M == 1, 2/4 bits, AVX2 builds: x may be rounded to int8 per group */

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

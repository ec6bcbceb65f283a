/*===- sgemm_tiles.h - how the sgemm ukernel splits its work into workgroups ------------------------------===
 *
 * Shared by the ukernel (C, compiled to bitcode) and the compiler (C++), which sizes each dispatch's
 * workgroup count with the same numbers. A "unit" is the work one workgroup step does: one batch entry,
 * one block of SINTER_UK_SGEMM_MB rows and one block of SINTER_UK_SGEMM_NB columns, over the whole K; when
 * M == 1 (the matrix-vector path), one block of SINTER_UK_SGEMV_NB columns, or with B packed at compile
 * time about N / SINTER_UK_SGEMV_UNITS. Column blocks are multiples of every panel width (8, 16, 32), so a
 * unit starts at a panel boundary of compile-time packed weights.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#ifndef SINTER_COMPILER_TARGETS_CPU_UKERNELS_SGEMM_TILES_H
#define SINTER_COMPILER_TARGETS_CPU_UKERNELS_SGEMM_TILES_H

#include <stdint.h>

#define SINTER_UK_SGEMM_MB 144  /* rows per unit: a multiple of every micro-tile height (6) */
#define SINTER_UK_SGEMM_NB 128  /* columns per unit: a multiple of every micro-tile width (8, 16, 32) */
#define SINTER_UK_SGEMM_KC 256  /* depth of one packed block (keeps a B micro-panel in L1) */
/* Columns per unit when M == 1: long contiguous row segments of B stream best (4 KiB, one page). */
#define SINTER_UK_SGEMV_NB 1024
/* With B packed at compile time a unit's panels are one contiguous run however few columns it has, so
 * M == 1 is split into about this many units (columns rounded up to 32, at most SINTER_UK_SGEMV_NB): a
 * decoder's 768-column layer is 8 units that 2 or 4 threads share evenly, not one unit on one thread. */
#define SINTER_UK_SGEMV_UNITS 8

static inline int64_t sinter_uk_sgemm_row_blocks(int64_t m) {
  return m == 1 ? 1 : (m + SINTER_UK_SGEMM_MB - 1) / SINTER_UK_SGEMM_MB;
}

/* `packed`: B is in the panel layout (the b_panel argument is not 0). */
static inline int64_t sinter_uk_sgemm_col_block(int64_t m, int64_t n, int packed) {
  if (m != 1)
    return SINTER_UK_SGEMM_NB;
  if (!packed)
    return SINTER_UK_SGEMV_NB;
  int64_t cols = (n + SINTER_UK_SGEMV_UNITS - 1) / SINTER_UK_SGEMV_UNITS;
  cols = (cols + 31) / 32 * 32;
  return cols < SINTER_UK_SGEMV_NB ? cols : SINTER_UK_SGEMV_NB;
}

static inline int64_t sinter_uk_sgemm_units(int64_t batch, int64_t m, int64_t n, int packed) {
  int64_t nb = sinter_uk_sgemm_col_block(m, n, packed);
  return batch * sinter_uk_sgemm_row_blocks(m) * ((n + nb - 1) / nb);
}

/* The gather entry point (convolutions) gathers B's patches again for every row block, so it takes row
 * blocks as tall as SINTER_UK_SGEMM_GATHER_MB allows, all of one height (a multiple of the micro-tile's 6),
 * and column blocks of one width (a multiple of 8, at most SINTER_UK_SGEMM_NB): equal units split evenly
 * over two threads (ResNet's last stage: 2 units of 256 rows instead of 144, 144, 144, 80). */
#define SINTER_UK_SGEMM_GATHER_MB 264

static inline int64_t sinter_uk_sgemm_gather_row_block(int64_t m) {
  int64_t blocks = (m + SINTER_UK_SGEMM_GATHER_MB - 1) / SINTER_UK_SGEMM_GATHER_MB;
  int64_t rows = (m + blocks - 1) / blocks;
  return (rows + 5) / 6 * 6;
}

/* Workgroups are taken one at a time by whichever thread is free, so an odd number of equal units leaves
 * one of two threads idle for a unit's time: 7 units (ResNet's 28x28 stage, one row block) take 4 units'
 * time on 2 threads. When there are few units (under 32) and their number is odd, up to half again as many
 * column blocks are tried, for the first even count whose last block is at least 3/4 as wide as the
 * others: 784 columns -> 10 blocks of 80 (5 units on each thread), 3136 -> 28 blocks of 112. */
static inline int64_t sinter_uk_sgemm_gather_col_block(int64_t m, int64_t n) {
  int64_t rows = sinter_uk_sgemm_gather_row_block(m), rowBlocks = (m + rows - 1) / rows;
  int64_t blocks = (n + SINTER_UK_SGEMM_NB - 1) / SINTER_UK_SGEMM_NB;
  int64_t cols = ((n + blocks - 1) / blocks + 7) / 8 * 8;
  int64_t units = rowBlocks * ((n + cols - 1) / cols);
  if (units % 2 == 0 || units >= 32)
    return cols;
  for (int64_t c = blocks + 1; c <= blocks + (blocks + 1) / 2; ++c) {
    int64_t width = ((n + c - 1) / c + 7) / 8 * 8, count = (n + width - 1) / width;
    int64_t last = n - (count - 1) * width;
    if ((rowBlocks * count) % 2 == 0 && 4 * last >= 3 * width)
      return width;
  }
  return cols;
}

static inline int64_t sinter_uk_sgemm_gather_units(int64_t m, int64_t n) {
  int64_t rows = sinter_uk_sgemm_gather_row_block(m), cols = sinter_uk_sgemm_gather_col_block(m, n);
  return ((m + rows - 1) / rows) * ((n + cols - 1) / cols);
}

#endif

/*===- sgemm_tiles.h - how the sgemm ukernel splits its work into workgroups ------------------------------===
 *
 * Shared by the ukernel (C, compiled to bitcode) and the compiler (C++), which sizes each dispatch's
 * workgroup count with the same numbers. A "unit" is the work one workgroup step does: one batch entry,
 * one block of SINTER_UK_SGEMM_MB rows and one block of SINTER_UK_SGEMM_NB columns, over the whole K; when
 * M == 1 (the matrix-vector path), one block of SINTER_UK_SGEMV_NB columns. Column blocks are multiples of
 * every panel width (8, 16, 32), so a unit starts at a panel boundary of compile-time packed weights.
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

static inline int64_t sinter_uk_sgemm_row_blocks(int64_t m) {
  return m == 1 ? 1 : (m + SINTER_UK_SGEMM_MB - 1) / SINTER_UK_SGEMM_MB;
}

static inline int64_t sinter_uk_sgemm_col_block(int64_t m) {
  return m == 1 ? SINTER_UK_SGEMV_NB : SINTER_UK_SGEMM_NB;
}

static inline int64_t sinter_uk_sgemm_units(int64_t batch, int64_t m, int64_t n) {
  return batch * sinter_uk_sgemm_row_blocks(m) * ((n + sinter_uk_sgemm_col_block(m) - 1) / sinter_uk_sgemm_col_block(m));
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

static inline int64_t sinter_uk_sgemm_gather_col_block(int64_t n) {
  int64_t blocks = (n + SINTER_UK_SGEMM_NB - 1) / SINTER_UK_SGEMM_NB;
  int64_t cols = (n + blocks - 1) / blocks;
  return (cols + 7) / 8 * 8;
}

static inline int64_t sinter_uk_sgemm_gather_units(int64_t m, int64_t n) {
  int64_t rows = sinter_uk_sgemm_gather_row_block(m), cols = sinter_uk_sgemm_gather_col_block(n);
  return ((m + rows - 1) / rows) * ((n + cols - 1) / cols);
}

#endif

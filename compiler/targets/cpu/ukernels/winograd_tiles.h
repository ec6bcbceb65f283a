/*===- winograd_tiles.h - the blocking of the Winograd ukernel, shared with the compiler -------------------===
 *
 * Shared by the ukernel (winograd.c) and the compiler: sinter-conv-to-winograd lays the transformed
 * filters out in the order the ukernel reads them, and the CPU target launches one workgroup per unit at
 * most (WinogradUkernel.cpp). A unit is a block of 2 * lanes output tiles (two vectors) by a chunk of
 * filters; the channels are taken SINTER_UK_WINOGRAD_CB at a time, the filters SINTER_UK_WINOGRAD_MR at a
 * time (one register tile).
 *
 * Transformed filter layout ("packed U"): U[ab][f][c] (ab = 4a + b) is stored as
 *   Up[f / FS][c / CB][ab][(f % FS) / MR][c % CB][f % MR],   FS = sinter_uk_winograd_filter_chunk(F),
 * zero where f or c is past the end: for each unit, channel chunk and (a, b), the MR-filter panels of the
 * unit's filters follow each other, each CB rows of MR contiguous values.
 *
 *===--------------------------------------------------------------------------------------------------===*/
#ifndef SINTER_COMPILER_TARGETS_CPU_UKERNELS_WINOGRAD_TILES_H
#define SINTER_COMPILER_TARGETS_CPU_UKERNELS_WINOGRAD_TILES_H

#include <stdint.h>

#define SINTER_UK_WINOGRAD_MR 6  /* filters per register tile */
#define SINTER_UK_WINOGRAD_CB 32 /* channels per transformed chunk */
#define SINTER_UK_WINOGRAD_FB 64 /* filters per unit, before rounding chunks up to whole register tiles */

/* Filters per unit: F split into ceil(F / FB) even chunks, each a whole number of register tiles (so at
 * most FB + MR - 1). */
static inline int64_t sinter_uk_winograd_filter_chunk(int64_t filters) {
  int64_t chunks = (filters + SINTER_UK_WINOGRAD_FB - 1) / SINTER_UK_WINOGRAD_FB;
  int64_t size = (filters + chunks - 1) / chunks;
  return (size + SINTER_UK_WINOGRAD_MR - 1) / SINTER_UK_WINOGRAD_MR * SINTER_UK_WINOGRAD_MR;
}

static inline int64_t sinter_uk_winograd_units(int64_t tiles, int64_t filters, int64_t lanes) {
  int64_t chunk = sinter_uk_winograd_filter_chunk(filters);
  return (tiles + 2 * lanes - 1) / (2 * lanes) * ((filters + chunk - 1) / chunk);
}

#endif

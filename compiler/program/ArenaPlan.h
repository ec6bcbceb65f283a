//===- ArenaPlan.h - static memory plan: offsets in one arena from live ranges --------------------------===//
#ifndef SINTER_COMPILER_PROGRAM_ARENAPLAN_H
#define SINTER_COMPILER_PROGRAM_ARENAPLAN_H

#include <cstdint>
#include <vector>

namespace sinter {

/// One buffer to place: its size and the inclusive range [start, end] of program steps during which it is
/// live. `offset` is the result.
struct ArenaBuffer {
  uint64_t size = 0;
  unsigned start = 0, end = 0;
  uint64_t offset = 0;
};

/// Assigns offsets (multiples of `alignment`) so that buffers whose live ranges intersect never overlap in
/// memory, and returns the arena size. Greedy first fit, largest buffers first; deterministic.
uint64_t planArena(std::vector<ArenaBuffer> &buffers, uint64_t alignment = 64);

} // namespace sinter

#endif // SINTER_COMPILER_PROGRAM_ARENAPLAN_H

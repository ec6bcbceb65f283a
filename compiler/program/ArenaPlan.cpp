//===- ArenaPlan.cpp - static memory plan: offsets in one arena from live ranges ------------------------===//
#include "compiler/program/ArenaPlan.h"

#include <algorithm>
#include <numeric>

namespace sinter {

uint64_t planArena(std::vector<ArenaBuffer> &buffers, uint64_t alignment) {
  auto alignUp = [&](uint64_t v) { return (v + alignment - 1) / alignment * alignment; };
  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].size > buffers[b].size; });
  std::vector<size_t> placed;
  uint64_t total = 0;
  for (size_t i : order) {
    ArenaBuffer &buffer = buffers[i];
    // Memory ranges taken by placed buffers that are live at the same time, lowest first.
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (size_t j : placed)
      if (buffers[j].start <= buffer.end && buffer.start <= buffers[j].end)
        busy.push_back({buffers[j].offset, buffers[j].offset + alignUp(buffers[j].size)});
    std::sort(busy.begin(), busy.end());
    uint64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + buffer.size <= lo)
        break;
      offset = std::max(offset, hi);
    }
    buffer.offset = offset;
    total = std::max(total, offset + alignUp(buffer.size));
    placed.push_back(i);
  }
  return total;
}

} // namespace sinter

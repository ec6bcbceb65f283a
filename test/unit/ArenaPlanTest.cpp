// Tests for the static memory planner (compiler/program/ArenaPlan).
#include "compiler/program/ArenaPlan.h"

#include <gtest/gtest.h>

#include <random>

using sinter::ArenaBuffer;
using sinter::planArena;

namespace {

bool liveTogether(const ArenaBuffer &a, const ArenaBuffer &b) { return a.start <= b.end && b.start <= a.end; }
bool overlapInMemory(const ArenaBuffer &a, const ArenaBuffer &b) {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

void expectValid(const std::vector<ArenaBuffer> &buffers, uint64_t total, uint64_t alignment) {
  for (size_t i = 0; i < buffers.size(); ++i) {
    EXPECT_EQ(buffers[i].offset % alignment, 0u);
    EXPECT_LE(buffers[i].offset + buffers[i].size, total);
    for (size_t j = i + 1; j < buffers.size(); ++j)
      if (liveTogether(buffers[i], buffers[j]))
        EXPECT_FALSE(overlapInMemory(buffers[i], buffers[j])) << "buffers " << i << " and " << j;
  }
}

TEST(ArenaPlan, DisjointLifetimesShareMemory) {
  std::vector<ArenaBuffer> b = {{256, 0, 1}, {256, 2, 3}, {256, 4, 5}};
  EXPECT_EQ(planArena(b), 256u);
  EXPECT_EQ(b[0].offset, 0u);
  EXPECT_EQ(b[1].offset, 0u);
}

TEST(ArenaPlan, OverlappingLifetimesDoNot) {
  std::vector<ArenaBuffer> b = {{100, 0, 2}, {100, 1, 3}, {100, 2, 4}};
  uint64_t total = planArena(b);
  expectValid(b, total, 64);
  EXPECT_EQ(total, 3 * 128u); // each 100-byte buffer occupies an aligned 128-byte slot
}

TEST(ArenaPlan, ChainReusesTwoSlots) {
  // A chain of layers: each output lives from its producer to its consumer.
  std::vector<ArenaBuffer> b;
  for (unsigned i = 0; i < 10; ++i)
    b.push_back({1024, i, i + 1});
  EXPECT_EQ(planArena(b), 2 * 1024u);
  expectValid(b, 2 * 1024, 64);
}

TEST(ArenaPlan, EmptyPlan) {
  std::vector<ArenaBuffer> b;
  EXPECT_EQ(planArena(b), 0u);
}

TEST(ArenaPlan, RandomInstancesAreValidAndNoWorseThanNoReuse) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<ArenaBuffer> b;
    uint64_t noReuse = 0;
    int n = 1 + rng() % 40;
    for (int i = 0; i < n; ++i) {
      unsigned start = rng() % 50, length = rng() % 10;
      uint64_t size = 1 + rng() % 5000;
      b.push_back({size, start, start + length});
      noReuse += (size + 63) / 64 * 64;
    }
    uint64_t total = planArena(b, 64);
    expectValid(b, total, 64);
    EXPECT_LE(total, noReuse);
    // Never below the largest amount of memory live at one step.
    for (unsigned step = 0; step < 60; ++step) {
      uint64_t live = 0;
      for (const ArenaBuffer &x : b)
        if (x.start <= step && step <= x.end)
          live += x.size;
      EXPECT_GE(total, live);
    }
  }
}

} // namespace

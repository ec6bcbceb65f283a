//===- BitAllocation.h - choose one format per layer under a byte budget --------------------------------===//
//
// Multiple-choice knapsack: layer i picks exactly one candidate j (a width, with or without outliers)
// costing bytes[i][j] (codes + scales + zero points + outliers) and sensitivity cost[i][j] (the layer's
// measured output error); minimize sum cost subject to sum bytes <= budget. Solved exactly by dynamic
// programming over layers on the Pareto frontier of (bytes, cost) partial sums: a state is dropped only
// when another uses no more bytes and has no more cost, so the optimum is never lost, and the frontier
// never holds more states than distinct byte totals.
//
//===----------------------------------------------------------------------------------------------------===//
#ifndef SINTER_COMPILER_QUANTIZATION_BITALLOCATION_H
#define SINTER_COMPILER_QUANTIZATION_BITALLOCATION_H

#include <cstdint>
#include <vector>

namespace sinter::quant {

struct Candidate {
  int64_t bytes;
  double cost;
};

struct Allocation {
  bool feasible = false;   // false: even the smallest choice per layer exceeds the budget
  std::vector<int> choice; // per layer, an index into its candidates
  int64_t bytes = 0;
  double cost = 0;
};

Allocation allocateBits(const std::vector<std::vector<Candidate>> &layers, int64_t budgetBytes);

} // namespace sinter::quant

#endif // SINTER_COMPILER_QUANTIZATION_BITALLOCATION_H

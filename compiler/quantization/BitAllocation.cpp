//===- BitAllocation.cpp - choose one format per layer under a byte budget ------------------------------===//
#include "compiler/quantization/BitAllocation.h"

#include <algorithm>

namespace sinter::quant {
namespace {

struct State {
  int64_t bytes;
  double cost;
  int32_t parent; // index into the previous layer's frontier
  int32_t choice;
};

} // namespace

Allocation allocateBits(const std::vector<std::vector<Candidate>> &layers, int64_t budgetBytes) {
  Allocation result;
  std::vector<std::vector<State>> frontiers;
  std::vector<State> frontier = {{0, 0.0, -1, -1}};
  for (const std::vector<Candidate> &candidates : layers) {
    std::vector<State> next;
    for (int32_t s = 0; s < int32_t(frontier.size()); ++s)
      for (int32_t c = 0; c < int32_t(candidates.size()); ++c) {
        int64_t bytes = frontier[s].bytes + candidates[c].bytes;
        if (bytes <= budgetBytes)
          next.push_back({bytes, frontier[s].cost + candidates[c].cost, s, c});
      }
    // Keep the Pareto frontier: by bytes ascending, each kept state strictly cheaper than all before it.
    std::sort(next.begin(), next.end(), [](const State &a, const State &b) {
      return a.bytes < b.bytes || (a.bytes == b.bytes && a.cost < b.cost);
    });
    std::vector<State> pruned;
    for (const State &st : next)
      if (pruned.empty() || st.cost < pruned.back().cost)
        pruned.push_back(st);
    frontiers.push_back(std::move(frontier));
    frontier = std::move(pruned);
    if (frontier.empty())
      return result;
  }
  // The frontier's last state has the least cost (costs fall as bytes rise).
  int32_t at = int32_t(frontier.size()) - 1;
  result.feasible = true;
  result.bytes = frontier[at].bytes;
  result.cost = frontier[at].cost;
  result.choice.assign(layers.size(), -1);
  for (size_t layer = layers.size(); layer-- > 0;) {
    const State &st = layer + 1 == layers.size() ? frontier[at] : frontiers[layer + 1][at];
    result.choice[layer] = st.choice;
    at = st.parent;
  }
  return result;
}

} // namespace sinter::quant

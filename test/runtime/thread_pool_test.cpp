//===- thread_pool_test.cpp - every workgroup exactly once, with 1, 2 and 7 threads --------------------===//
#include "module_builder.h"
#include "thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace sinter {
namespace test {
namespace {

class ThreadPoolTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(ThreadPoolTest, EveryIndexExactlyOnce) {
  // Idle threads poll before they block (the default) or block at once (0): both hand-offs.
  for (std::chrono::microseconds poll : {ThreadPool::defaultPollFor(), std::chrono::microseconds(0)}) {
    ThreadPool pool(GetParam(), poll);
    EXPECT_EQ(pool.threadCount(), std::max(1u, GetParam()));
    // Many loops of different sizes back to back: also checks that a loop never leaks into the next one.
    for (uint64_t count : {0ull, 1ull, 2ull, 3ull, 7ull, 8ull, 64ull, 1000ull}) {
      for (int repeat = 0; repeat < 20; ++repeat) {
        std::vector<std::atomic<int>> hits(count);
        pool.parallelFor(count, [&](uint64_t i) { hits[i].fetch_add(1, std::memory_order_relaxed); });
        for (uint64_t i = 0; i < count; ++i)
          ASSERT_EQ(hits[i].load(), 1) << "index " << i << " of " << count << ", repeat " << repeat << ", poll "
                                       << poll.count() << " us";
      }
    }
  }
}

TEST_P(ThreadPoolTest, UsesWorkersAndCaller) {
  ThreadPool pool(GetParam());
  std::mutex mutex;
  std::set<std::thread::id> seen;
  std::atomic<int> arrived{0};
  const int threads = static_cast<int>(pool.threadCount());
  // Each item waits (at most 10 s) until every item has been picked up; a thread inside an item cannot
  // pick another, so all threads must take part.
  pool.parallelFor(static_cast<uint64_t>(threads), [&](uint64_t) {
    arrived.fetch_add(1);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (arrived.load() < threads && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(static_cast<int>(seen.size()), threads);
  EXPECT_TRUE(seen.count(std::this_thread::get_id())) << "the calling thread takes part";
}

INSTANTIATE_TEST_SUITE_P(Threads, ThreadPoolTest, ::testing::Values(1u, 2u, 7u));

/// The session hands each workgroup id of a 3-D grid to the kernel exactly once, x fastest.
class SessionWorkgroupTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(SessionWorkgroupTest, EveryWorkgroupExactlyOnce) {
  const std::vector<uint32_t> counts[] = {{1, 1, 1}, {5, 3, 2}, {64, 1, 1}, {1, 1, 9}, {2, 7, 3}};
  ModuleDesc desc;
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"record_workgroups"};
  for (size_t d = 0; d < std::size(counts); ++d) {
    uint32_t total = counts[d][0] * counts[d][1] * counts[d][2];
    std::string suffix = std::to_string(d);
    desc.outputs.push_back({"hits" + suffix, fb::ElementType::U32, {total}});
    desc.outputs.push_back({"ids" + suffix, fb::ElementType::U32, {total, 3}});
    desc.dispatches.push_back(
        {0, 0, counts[d], {outputBinding(2 * d, total * 4), outputBinding(2 * d + 1, total * 12)}});
  }
  AlignedBytes bytes(buildModule(desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  StatusResult load = loadFromMemory(instance.get(), bytes, module);
  ASSERT_EQ(load.code, SINTER_OK) << load.message;
  sinter_session_options_t options = {GetParam()};
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), &options, &session)).code, SINTER_OK);
  SessionPtr owned(session);

  for (int run = 0; run < 10; ++run) {
    std::vector<std::vector<uint32_t>> buffers;
    std::vector<std::vector<int64_t>> dims;
    for (const auto &count : counts) {
      int64_t total = int64_t(count[0]) * count[1] * count[2];
      buffers.emplace_back(total, 0u);
      buffers.emplace_back(total * 3, 0xffffffffu);
      dims.push_back({total});
      dims.push_back({total, 3});
    }
    std::vector<sinter_tensor_t> outputs;
    for (size_t i = 0; i < buffers.size(); ++i)
      outputs.push_back({SINTER_TYPE_U32, dims[i].size(), dims[i].data(), buffers[i].data(), buffers[i].size() * 4});
    StatusResult result = take(sinter_session_run(session, nullptr, 0, outputs.data(), outputs.size()));
    ASSERT_EQ(result.code, SINTER_OK) << result.message;

    for (size_t d = 0; d < std::size(counts); ++d) {
      const std::vector<uint32_t> &hits = buffers[2 * d], &ids = buffers[2 * d + 1];
      const auto &count = counts[d];
      for (uint32_t z = 0, linear = 0; z < count[2]; ++z) {
        for (uint32_t y = 0; y < count[1]; ++y) {
          for (uint32_t x = 0; x < count[0]; ++x, ++linear) {
            ASSERT_EQ(hits[linear], 1u) << "dispatch " << d << " workgroup " << linear << " run " << run;
            ASSERT_EQ(ids[3 * linear], x);
            ASSERT_EQ(ids[3 * linear + 1], y);
            ASSERT_EQ(ids[3 * linear + 2], z);
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, SessionWorkgroupTest, ::testing::Values(1u, 2u, 7u));

} // namespace
} // namespace test
} // namespace sinter

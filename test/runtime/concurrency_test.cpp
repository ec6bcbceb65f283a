//===- concurrency_test.cpp - sessions of one module on several threads at once ------------------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace sinter {
namespace test {
namespace {

TEST(Concurrency, SessionsOfOneModuleOnSeveralThreads) {
  PipelineModule pipeline = makePipelineModule();
  AlignedBytes bytes(buildModule(pipeline.desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  ASSERT_EQ(loadFromMemory(instance.get(), bytes, module).code, SINTER_OK);

  constexpr int kThreads = 4, kRuns = 15;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread: its own session (2 threads each, so workers of several sessions interleave) and its
      // own inputs, so a result computed from another thread's data or arena would show.
      sinter_session_options_t options = {2};
      sinter_session_t *session = nullptr;
      StatusResult created = take(sinter_session_create(module.get(), &options, &session));
      if (created.code != SINTER_OK) {
        errors[t] = created.message;
        ++failures;
        return;
      }
      SessionPtr owned(session);
      for (int run = 0; run < kRuns; ++run) {
        std::vector<float> a(PipelineModule::kN), b(PipelineModule::kN), x(PipelineModule::kM * PipelineModule::kK);
        for (size_t i = 0; i < a.size(); ++i) {
          a[i] = static_cast<float>((i + t * 31 + run) % 23);
          b[i] = static_cast<float>(t) - 1.5f;
        }
        for (size_t i = 0; i < x.size(); ++i)
          x[i] = static_cast<float>((i * (t + 1) + run) % 9) * 0.5f - 2.0f;
        std::vector<float> y(PipelineModule::kN), z(PipelineModule::kM * PipelineModule::kP);
        std::vector<int64_t> vectorDims = {PipelineModule::kN}, xDims = {PipelineModule::kM, PipelineModule::kK},
                             zDims = {PipelineModule::kM, PipelineModule::kP};
        sinter_tensor_t inputs[] = {floatTensor(a, vectorDims), floatTensor(b, vectorDims), floatTensor(x, xDims)};
        sinter_tensor_t outputs[] = {floatTensor(y, vectorDims), floatTensor(z, zDims)};
        StatusResult result = take(sinter_session_run(session, inputs, 3, outputs, 2));
        std::vector<float> expectedY, expectedZ;
        pipelineReference(pipeline, a, b, x, expectedY, expectedZ);
        if (result.code != SINTER_OK || y != expectedY || z != expectedZ) {
          errors[t] = "thread " + std::to_string(t) + " run " + std::to_string(run) + ": " +
                      (result.code != SINTER_OK ? result.message : "wrong results");
          ++failures;
          return;
        }
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &error : errors)
    EXPECT_TRUE(error.empty()) << error;
  EXPECT_EQ(failures.load(), 0);
}

/// Loading and releasing modules from several threads at once (memfd numbers get reused across threads).
TEST(Concurrency, ConcurrentLoads) {
  std::vector<uint8_t> raw = buildModule(makeAddModule(32));
  InstancePtr instance = makeInstance();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      AlignedBytes bytes(raw);
      for (int i = 0; i < 20; ++i) {
        ModulePtr module;
        if (loadFromMemory(instance.get(), bytes, module).code != SINTER_OK) {
          ++failures;
          continue;
        }
        sinter_session_t *session = nullptr;
        if (take(sinter_session_create(module.get(), nullptr, &session)).code != SINTER_OK) {
          ++failures;
          continue;
        }
        SessionPtr owned(session);
        std::vector<float> a(32, float(i)), b(32, 1.0f), y(32);
        std::vector<int64_t> dims = {32};
        sinter_tensor_t inputs[] = {floatTensor(a, dims), floatTensor(b, dims)};
        sinter_tensor_t output = floatTensor(y, dims);
        if (take(sinter_session_run(session, inputs, 2, &output, 1)).code != SINTER_OK || y[31] != float(i) + 1.0f)
          ++failures;
      }
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

/// One session runs one call at a time: a second concurrent call is refused, not allowed to share the arena.
TEST(Concurrency, SecondConcurrentRunOnOneSessionIsRejected) {
  ModuleDesc desc;
  desc.inputs = {{"flag", fb::ElementType::U32, {1}}};
  desc.outputs = {{"started", fb::ElementType::U32, {1}}};
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"wait_for_flag"};
  desc.dispatches = {{0, 0, {1, 1, 1}, {inputBinding(0, 4), outputBinding(0, 4)}}};
  AlignedBytes bytes(buildModule(desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  ASSERT_EQ(loadFromMemory(instance.get(), bytes, module).code, SINTER_OK);
  sinter_session_options_t options = {1};
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), &options, &session)).code, SINTER_OK);
  SessionPtr owned(session);

  int64_t dims[] = {1};
  uint32_t flag = 0, started = 0;
  sinter_tensor_t input = {SINTER_TYPE_U32, 1, dims, &flag, 4};
  sinter_tensor_t output = {SINTER_TYPE_U32, 1, dims, &started, 4};
  StatusResult first{SINTER_INTERNAL, "not run"};
  std::thread runner([&] { first = take(sinter_session_run(session, &input, 1, &output, 1)); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  ASSERT_EQ(__atomic_load_n(&started, __ATOMIC_ACQUIRE), 1u) << "the first run never started";

  uint32_t otherFlag = 1, otherStarted = 0;
  sinter_tensor_t otherInput = {SINTER_TYPE_U32, 1, dims, &otherFlag, 4};
  sinter_tensor_t otherOutput = {SINTER_TYPE_U32, 1, dims, &otherStarted, 4};
  StatusResult second = take(sinter_session_run(session, &otherInput, 1, &otherOutput, 1));
  __atomic_store_n(&flag, 1u, __ATOMIC_RELEASE);
  runner.join();
  EXPECT_EQ(first.code, SINTER_OK) << first.message;
  EXPECT_EQ(second.code, SINTER_INVALID_ARGUMENT);
  EXPECT_NE(second.message.find("already running on another thread"), std::string::npos) << second.message;
  EXPECT_EQ(otherStarted, 0u);
  // Once the first run is over, the session runs again.
  EXPECT_EQ(take(sinter_session_run(session, &otherInput, 1, &otherOutput, 1)).code, SINTER_OK);
  EXPECT_EQ(otherStarted, 1u);
}

} // namespace
} // namespace test
} // namespace sinter

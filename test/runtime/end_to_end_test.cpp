//===- end_to_end_test.cpp - modules with real kernels, run through the C API --------------------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sinter {
namespace test {
namespace {

struct PipelineInputs {
  std::vector<float> a, b, x;
};

PipelineInputs pipelineInputs(int seed) {
  PipelineInputs in;
  for (int64_t i = 0; i < PipelineModule::kN; ++i) {
    in.a.push_back(static_cast<float>((i * 7 + seed) % 17) - 8.0f);
    in.b.push_back(static_cast<float>((i * 3 + seed) % 5) * 0.5f);
  }
  for (int64_t i = 0; i < PipelineModule::kM * PipelineModule::kK; ++i)
    in.x.push_back(static_cast<float>((i + seed) % 13 - 6) * 0.25f);
  return in;
}

/// Runs the pipeline module once and compares y and z with the reference.
void runAndCheckPipeline(sinter_session_t *session, const PipelineModule &pipeline, int seed) {
  PipelineInputs in = pipelineInputs(seed);
  std::vector<float> y(PipelineModule::kN, -1.0f), z(PipelineModule::kM * PipelineModule::kP, -1.0f);
  std::vector<int64_t> vectorDims = {PipelineModule::kN}, xDims = {PipelineModule::kM, PipelineModule::kK},
                       zDims = {PipelineModule::kM, PipelineModule::kP};
  sinter_tensor_t inputs[] = {floatTensor(in.a, vectorDims), floatTensor(in.b, vectorDims), floatTensor(in.x, xDims)};
  sinter_tensor_t outputs[] = {floatTensor(y, vectorDims), floatTensor(z, zDims)};
  StatusResult result = take(sinter_session_run(session, inputs, 3, outputs, 2));
  ASSERT_EQ(result.code, SINTER_OK) << result.message;

  std::vector<float> expectedY, expectedZ;
  pipelineReference(pipeline, in.a, in.b, in.x, expectedY, expectedZ);
  for (size_t i = 0; i < y.size(); ++i)
    ASSERT_FLOAT_EQ(y[i], expectedY[i]) << "y[" << i << "] seed " << seed;
  for (size_t i = 0; i < z.size(); ++i)
    ASSERT_FLOAT_EQ(z[i], expectedZ[i]) << "z[" << i << "] seed " << seed;
}

TEST(EndToEnd, PipelineFromMemoryMatchesReference) {
  PipelineModule pipeline = makePipelineModule();
  AlignedBytes bytes(buildModule(pipeline.desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  StatusResult load = loadFromMemory(instance.get(), bytes, module);
  ASSERT_EQ(load.code, SINTER_OK) << load.message;

  sinter_session_options_t options = {3};
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), &options, &session)).code, SINTER_OK);
  SessionPtr owned(session);
  // Several runs on one session: the arena is reused, results must not depend on earlier runs.
  for (int seed = 0; seed < 3; ++seed)
    runAndCheckPipeline(session, pipeline, seed);
}

TEST(EndToEnd, PipelineFromFileMatchesReference) {
  PipelineModule pipeline = makePipelineModule();
  TempDir dir;
  std::string path = dir.write("pipeline.sinter", buildModule(pipeline.desc));
  InstancePtr instance = makeInstance();
  sinter_module_t *module = nullptr;
  StatusResult load = take(sinter_module_load_file(instance.get(), path.c_str(), &module));
  ASSERT_EQ(load.code, SINTER_OK) << load.message;
  ModulePtr ownedModule(module);

  for (uint32_t threads : {1u, 0u}) {
    sinter_session_options_t options = {threads};
    sinter_session_t *session = nullptr;
    ASSERT_EQ(take(sinter_session_create(module, &options, &session)).code, SINTER_OK);
    SessionPtr owned(session);
    runAndCheckPipeline(session, pipeline, 5);
  }
}

TEST(EndToEnd, DefaultOptionsAndReleaseInAnyOrder) {
  PipelineModule pipeline = makePipelineModule();
  AlignedBytes bytes(buildModule(pipeline.desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  ASSERT_EQ(loadFromMemory(instance.get(), bytes, module).code, SINTER_OK);
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), nullptr, &session)).code, SINTER_OK);
  // The session keeps the module, and the module the instance, alive.
  module.reset();
  instance.reset();
  runAndCheckPipeline(session, pipeline, 1);
  sinter_session_release(session);
}

/// Address of the constants inside the bytes a module was loaded from, as the runtime should pass it.
TEST(EndToEnd, ConstantsAreUsedInPlace) {
  ModuleDesc desc;
  desc.outputs = {{"address", fb::ElementType::U64, {1}}};
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"address_of"};
  std::vector<uint8_t> filler(100, 1);
  appendConstant(desc.constants, filler);
  uint64_t offset = appendConstant(desc.constants, std::vector<float>{1, 2, 3, 4});
  desc.dispatches = {{0, 0, {1, 1, 1}, {constantBinding(offset, 16), outputBinding(0, 8)}}};
  LoadedSession l = loadSession(desc);

  const fb::Module *root = fb::GetModule(l.bytes->data());
  const uint8_t *constants = root->constants()->data();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(constants) % 64, 0u);

  sinter_session_t *session = l.session.get();
  uint64_t address = 0;
  int64_t dims[] = {1};
  sinter_tensor_t output = {SINTER_TYPE_U64, 1, dims, &address, sizeof(address)};
  ASSERT_EQ(take(sinter_session_run(session, nullptr, 0, &output, 1)).code, SINTER_OK);
  EXPECT_EQ(address, reinterpret_cast<uintptr_t>(constants + offset));
}

/// Kernels may call memcpy and math functions; the runtime's loader resolves them.
TEST(EndToEnd, KernelsCallLibcAndLibm) {
  constexpr int64_t n = 300;
  ModuleDesc desc;
  desc.inputs = {{"x", fb::ElementType::F32, {n}}};
  desc.outputs = {{"e", fb::ElementType::F32, {n}}, {"copy", fb::ElementType::F32, {n}}};
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"exp_f32", "copy_bytes"};
  uint64_t countParams = appendConstant(desc.constants, std::vector<uint64_t>{n});
  uint64_t byteParams = appendConstant(desc.constants, std::vector<uint64_t>{n * 4});
  desc.dispatches = {
      {0, 0, {4, 1, 1}, {inputBinding(0, n * 4), outputBinding(0, n * 4), constantBinding(countParams, 8)}},
      {0, 1, {3, 2, 1}, {inputBinding(0, n * 4), outputBinding(1, n * 4), constantBinding(byteParams, 8)}},
  };
  AlignedBytes bytes(buildModule(desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  StatusResult load = loadFromMemory(instance.get(), bytes, module);
  ASSERT_EQ(load.code, SINTER_OK) << load.message;
  sinter_session_options_t options = {2};
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), &options, &session)).code, SINTER_OK);
  SessionPtr owned(session);

  std::vector<float> x(n), e(n), copy(n);
  for (int64_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(i % 20) * 0.25f - 2.0f;
  std::vector<int64_t> dims = {n};
  sinter_tensor_t inputs[] = {floatTensor(x, dims)};
  sinter_tensor_t outputs[] = {floatTensor(e, dims), floatTensor(copy, dims)};
  ASSERT_EQ(take(sinter_session_run(session, inputs, 1, outputs, 2)).code, SINTER_OK);
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_NEAR(e[i], std::exp(x[i]), 1e-5 * std::exp(x[i])) << i;
    EXPECT_EQ(copy[i], x[i]) << i;
  }
}

TEST(EndToEnd, ModuleWithoutDispatchesRuns) {
  ModuleDesc desc;
  desc.inputs = {{"unused", fb::ElementType::I32, {}}};
  AlignedBytes bytes(buildModule(desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  ASSERT_EQ(loadFromMemory(instance.get(), bytes, module).code, SINTER_OK);
  sinter_session_t *session = nullptr;
  ASSERT_EQ(take(sinter_session_create(module.get(), nullptr, &session)).code, SINTER_OK);
  SessionPtr owned(session);
  int32_t scalar = 7;
  sinter_tensor_t input = {SINTER_TYPE_I32, 0, nullptr, &scalar, sizeof(scalar)};
  EXPECT_EQ(take(sinter_session_run(session, &input, 1, nullptr, 0)).code, SINTER_OK);
}

/// Two modules built from the same kernel library load side by side (distinct memfds, RTLD_LOCAL).
TEST(EndToEnd, SameExecutableLoadedByTwoModules) {
  std::vector<uint8_t> raw = buildModule(makeAddModule(64));
  AlignedBytes first(raw), second(raw);
  InstancePtr instance = makeInstance();
  ModulePtr a, b;
  ASSERT_EQ(loadFromMemory(instance.get(), first, a).code, SINTER_OK);
  ASSERT_EQ(loadFromMemory(instance.get(), second, b).code, SINTER_OK);
  for (sinter_module_t *module : {a.get(), b.get()}) {
    sinter_session_t *session = nullptr;
    ASSERT_EQ(take(sinter_session_create(module, nullptr, &session)).code, SINTER_OK);
    SessionPtr owned(session);
    std::vector<float> x(64, 1.5f), y(64, 2.0f), out(64);
    std::vector<int64_t> dims = {64};
    sinter_tensor_t inputs[] = {floatTensor(x, dims), floatTensor(y, dims)};
    sinter_tensor_t output = floatTensor(out, dims);
    ASSERT_EQ(take(sinter_session_run(session, inputs, 2, &output, 1)).code, SINTER_OK);
    EXPECT_EQ(out[63], 3.5f);
  }
}

} // namespace
} // namespace test
} // namespace sinter

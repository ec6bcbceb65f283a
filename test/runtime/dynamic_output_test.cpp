//===- dynamic_output_test.cpp - outputs whose dims depend on the data (format version 2) ----------------===//
//
// A module whose output "y" has shape [-1] with bound [n]: the kernel (compact_positive_f32) writes the
// positive inputs compactly and their count to the arena at dims_offset. Checks the signature queries, the
// accepted output tensors, sinter_session_output_dims, and the validator's checks of the new fields.
//
//===----------------------------------------------------------------------------------------------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

namespace sinter {
namespace test {
namespace {

constexpr int64_t kN = 10;
constexpr uint64_t kDimsOffset = 64;

/// x f32[n] -> y f32[-1] (bound [n]), dims at arena + 64. `extra` is added to the count the kernel writes.
ModuleDesc makeCompactModule(uint64_t extra = 0) {
  ModuleDesc desc;
  desc.version = 2;
  desc.inputs = {{"x", fb::ElementType::F32, {kN}}};
  desc.outputs = {{"y", fb::ElementType::F32, {-1}, {kN}, kDimsOffset}};
  desc.arenaSize = 128;
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"compact_positive_f32"};
  uint64_t params = appendConstant(desc.constants, std::vector<uint64_t>{uint64_t(kN), extra});
  desc.dispatches = {{0, 0, {1, 1, 1},
                      {inputBinding(0, kN * 4), outputBinding(0, kN * 4), arenaBinding(kDimsOffset, 8),
                       constantBinding(params, 16)}}};
  return desc;
}

StatusResult load(const ModuleDesc &desc) {
  std::vector<uint8_t> raw = buildModule(desc);
  AlignedBytes bytes(raw);
  InstancePtr instance = makeInstance();
  ModulePtr module;
  return loadFromMemory(instance.get(), bytes, module);
}

TEST(DynamicOutput, InfoReportsDynamicDimsAndTheBoundsBytes) {
  LoadedSession l = loadSession(makeCompactModule());
  ASSERT_TRUE(l.module);
  sinter_tensor_info_t info;
  ASSERT_EQ(take(sinter_module_output_info(l.module.get(), 0, &info)).code, SINTER_OK);
  ASSERT_EQ(info.rank, 1u);
  EXPECT_EQ(info.dims[0], -1);
  EXPECT_EQ(info.byte_size, kN * sizeof(float));
}

TEST(DynamicOutput, RunWritesCompactDataAndActualDims) {
  LoadedSession l = loadSession(makeCompactModule());
  ASSERT_TRUE(l.session);
  std::vector<float> x = {1, -2, 3, 0, -5, 6, 7, -8, 0, 10}, y(kN, -99);
  std::vector<int64_t> xDims = {kN};
  sinter_tensor_t input = floatTensor(x, xDims);
  // Dynamic places take -1 or the bound.
  for (int64_t dim : {int64_t(-1), kN}) {
    std::vector<int64_t> yDims = {dim};
    std::fill(y.begin(), y.end(), -99.0f);
    sinter_tensor_t output = floatTensor(y, yDims);
    ASSERT_EQ(take(sinter_session_run(l.session.get(), &input, 1, &output, 1)).code, SINTER_OK);
    int64_t actual = -7;
    ASSERT_EQ(take(sinter_session_output_dims(l.session.get(), 0, &actual, 1)).code, SINTER_OK);
    EXPECT_EQ(actual, 5);
    EXPECT_EQ(std::vector<float>(y.begin(), y.begin() + 5), (std::vector<float>{1, 3, 6, 7, 10}));
  }
  // A second run with other data: the dims follow it.
  std::vector<float> fewer = {-1, -1, 2, -1, -1, -1, -1, -1, -1, -1};
  sinter_tensor_t input2 = floatTensor(fewer, xDims);
  std::vector<int64_t> yDims = {-1};
  sinter_tensor_t output = floatTensor(y, yDims);
  ASSERT_EQ(take(sinter_session_run(l.session.get(), &input2, 1, &output, 1)).code, SINTER_OK);
  int64_t actual = -7;
  ASSERT_EQ(take(sinter_session_output_dims(l.session.get(), 0, &actual, 1)).code, SINTER_OK);
  EXPECT_EQ(actual, 1);
  EXPECT_EQ(y[0], 2.0f);
}

TEST(DynamicOutput, OutputDimsArgumentErrors) {
  LoadedSession l = loadSession(makeCompactModule());
  ASSERT_TRUE(l.session);
  int64_t dims[2] = {0, 0};
  EXPECT_STATUS(take(sinter_session_output_dims(l.session.get(), 0, dims, 1)), SINTER_INVALID_ARGUMENT,
                "no successful run yet");
  EXPECT_STATUS(take(sinter_session_output_dims(l.session.get(), 0, dims, 2)), SINTER_INVALID_ARGUMENT,
                "has rank 1, not 2");
  EXPECT_STATUS(take(sinter_session_output_dims(l.session.get(), 1, dims, 1)), SINTER_INVALID_ARGUMENT,
                "out of range");
  EXPECT_STATUS(take(sinter_session_output_dims(l.session.get(), 0, nullptr, 1)), SINTER_INVALID_ARGUMENT,
                "dims is NULL");
  EXPECT_STATUS(take(sinter_session_output_dims(nullptr, 0, dims, 1)), SINTER_INVALID_ARGUMENT, "session");
}

TEST(DynamicOutput, StaticOutputsReportTheirDims) {
  LoadedSession l = loadSession(makeAddModule(16));
  int64_t dim = 0;
  ASSERT_EQ(take(sinter_session_output_dims(l.session.get(), 0, &dim, 1)).code, SINTER_OK);
  EXPECT_EQ(dim, 16);
}

TEST(DynamicOutput, RunRejectsOtherDimsAndSmallBuffers) {
  LoadedSession l = loadSession(makeCompactModule());
  ASSERT_TRUE(l.session);
  std::vector<float> x(kN, 1), y(kN);
  std::vector<int64_t> xDims = {kN}, wrong = {5};
  sinter_tensor_t input = floatTensor(x, xDims);
  sinter_tensor_t output = floatTensor(y, wrong);
  EXPECT_STATUS(take(sinter_session_run(l.session.get(), &input, 1, &output, 1)), SINTER_INVALID_ARGUMENT,
                "does not match the signature's [-1]");
  std::vector<int64_t> dynamic = {-1};
  output = floatTensor(y, dynamic);
  output.byte_size = 5 * sizeof(float);
  EXPECT_STATUS(take(sinter_session_run(l.session.get(), &input, 1, &output, 1)), SINTER_INVALID_ARGUMENT,
                "bytes of f32 [10] (the bound)");
}

TEST(DynamicOutput, DimsPastTheBoundAreAnError) {
  LoadedSession l = loadSession(makeCompactModule(/*extra=*/100));
  ASSERT_TRUE(l.session);
  std::vector<float> x(kN, 1), y(kN);
  std::vector<int64_t> xDims = {kN}, yDims = {-1};
  sinter_tensor_t input = floatTensor(x, xDims);
  sinter_tensor_t output = floatTensor(y, yDims);
  EXPECT_STATUS(take(sinter_session_run(l.session.get(), &input, 1, &output, 1)), SINTER_INTERNAL,
                "outside its bound [10]");
  int64_t dim = 0;
  EXPECT_STATUS(take(sinter_session_output_dims(l.session.get(), 0, &dim, 1)), SINTER_INVALID_ARGUMENT,
                "no successful run yet");
}

TEST(DynamicOutput, ValidatorChecksTheNewFields) {
  EXPECT_STATUS(load(makeCompactModule()), SINTER_OK, "OK");
  ModuleDesc desc = makeCompactModule();
  desc.version = 1;
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "dynamic dims are allowed only in outputs of format version 2");
  desc = makeCompactModule();
  desc.inputs[0] = {"x", fb::ElementType::F32, {-1}, {kN}, 0};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "input 0 'x' has shape [-1]: dynamic dims are allowed only");
  desc = makeCompactModule();
  desc.outputs[0].boundShape = {};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "has dynamic dims but no bound_shape of rank 1");
  desc = makeCompactModule();
  desc.outputs[0].boundShape = {kN, 2};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "no bound_shape of rank 1");
  desc = makeCompactModule();
  desc.outputs[0].shape = {-1, 3};
  desc.outputs[0].boundShape = {kN, 4};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "differs from shape [-1, 3] in a static dimension");
  desc = makeCompactModule();
  desc.outputs[0].boundShape = {-2};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "bound shape [-2]: a dimension is negative");
  desc = makeCompactModule();
  desc.outputs[0].shape = {-2};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "has a bound_shape or dims_offset but no dynamic dims");
  desc = makeCompactModule();
  desc.outputs[0].dimsOffset = 124; // 124 + 8 > 128
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "dims_offset 124 is not an 8-byte aligned offset of 1 int64s");
  desc.outputs[0].dimsOffset = 60; // misaligned
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "dims_offset 60");
  desc.outputs[0].dimsOffset = UINT64_MAX - 3; // overflows
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "inside the arena (128 bytes)");
  desc = makeAddModule(16);
  desc.outputs[0].boundShape = {16};
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "has a bound_shape or dims_offset but no dynamic dims");
  desc = makeAddModule(16);
  desc.outputs[0].dimsOffset = 8;
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "has a bound_shape or dims_offset but no dynamic dims");
  // Bindings of a dynamic output are checked against the bound's bytes.
  desc = makeCompactModule();
  desc.dispatches[0].bindings[1].size = kN * 4 + 4;
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "is outside output 0 (40 bytes)");
}

} // namespace
} // namespace test
} // namespace sinter

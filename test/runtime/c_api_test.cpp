//===- c_api_test.cpp - C API misuse: each returns the right status with a useful message --------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

namespace sinter {
namespace test {
namespace {

/// The add module (a, b -> y over f32[8]) loaded, with a session and valid tensors to start from.
class CApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    bytes_ = std::make_unique<AlignedBytes>(buildModule(makeAddModule(8, 2)));
    instance_ = makeInstance();
    ASSERT_EQ(loadFromMemory(instance_.get(), *bytes_, module_).code, SINTER_OK);
    sinter_session_t *session = nullptr;
    ASSERT_EQ(take(sinter_session_create(module_.get(), nullptr, &session)).code, SINTER_OK);
    session_.reset(session);
    inputs_[0] = floatTensor(a_, dims_);
    inputs_[1] = floatTensor(b_, dims_);
    outputs_[0] = floatTensor(y_, dims_);
  }

  StatusResult run() { return take(sinter_session_run(session_.get(), inputs_, 2, outputs_, 1)); }

  std::unique_ptr<AlignedBytes> bytes_;
  InstancePtr instance_;
  ModulePtr module_;
  SessionPtr session_;
  std::vector<float> a_ = std::vector<float>(8, 1.0f), b_ = std::vector<float>(8, 2.0f), y_ = std::vector<float>(8);
  std::vector<int64_t> dims_ = {8};
  sinter_tensor_t inputs_[2];
  sinter_tensor_t outputs_[1];
};

TEST(Status, NullIsOk) {
  EXPECT_EQ(sinter_status_code(nullptr), SINTER_OK);
  EXPECT_STREQ(sinter_status_message(nullptr), "OK");
  sinter_status_free(nullptr);
  EXPECT_STREQ(sinter_status_code_name(SINTER_INVALID_MODULE), "INVALID_MODULE");
  EXPECT_STREQ(sinter_status_code_name(static_cast<sinter_status_code_t>(99)), "UNKNOWN");
}

TEST(ElementTypes, SizesAndNames) {
  EXPECT_EQ(sinter_element_type_size(SINTER_TYPE_F32), 4u);
  EXPECT_EQ(sinter_element_type_size(SINTER_TYPE_BF16), 2u);
  EXPECT_EQ(sinter_element_type_size(SINTER_TYPE_U64), 8u);
  EXPECT_EQ(sinter_element_type_size(SINTER_TYPE_BOOL), 1u);
  EXPECT_EQ(sinter_element_type_size(static_cast<sinter_element_type_t>(13)), 0u);
  EXPECT_STREQ(sinter_element_type_name(SINTER_TYPE_I16), "i16");
  EXPECT_STREQ(sinter_element_type_name(static_cast<sinter_element_type_t>(-1)), "invalid");
}

TEST_F(CApiTest, ValidRunWorks) {
  StatusResult result = run();
  ASSERT_EQ(result.code, SINTER_OK) << result.message;
  for (float value : y_)
    EXPECT_EQ(value, 3.0f);
}

TEST_F(CApiTest, NullHandlesAndPointers) {
  sinter_module_t *module = reinterpret_cast<sinter_module_t *>(0x1); // must be reset to NULL on failure
  EXPECT_STATUS(sinter_instance_create(nullptr), SINTER_INVALID_ARGUMENT, "out_instance is NULL");
  EXPECT_STATUS(sinter_module_load_file(nullptr, "x.sinter", &module), SINTER_INVALID_ARGUMENT, "instance is NULL");
  EXPECT_EQ(module, nullptr);
  EXPECT_STATUS(sinter_module_load_file(instance_.get(), nullptr, &module), SINTER_INVALID_ARGUMENT, "path is NULL");
  EXPECT_STATUS(sinter_module_load_file(instance_.get(), "x.sinter", nullptr), SINTER_INVALID_ARGUMENT,
                "out_module is NULL");
  EXPECT_STATUS(sinter_module_load_memory(nullptr, bytes_->data(), bytes_->size(), &module), SINTER_INVALID_ARGUMENT,
                "sinter_module_load_memory: instance is NULL");
  EXPECT_STATUS(sinter_module_load_memory(instance_.get(), nullptr, 10, &module), SINTER_INVALID_ARGUMENT,
                "data is NULL");
  EXPECT_STATUS(sinter_module_load_memory(instance_.get(), bytes_->data(), bytes_->size(), nullptr),
                SINTER_INVALID_ARGUMENT, "out_module is NULL");

  size_t count = 99;
  EXPECT_STATUS(sinter_module_input_count(nullptr, &count), SINTER_INVALID_ARGUMENT, "module is NULL");
  EXPECT_EQ(count, 0u);
  EXPECT_STATUS(sinter_module_output_count(module_.get(), nullptr), SINTER_INVALID_ARGUMENT, "out_count is NULL");
  sinter_tensor_info_t info;
  EXPECT_STATUS(sinter_module_input_info(nullptr, 0, &info), SINTER_INVALID_ARGUMENT, "module is NULL");
  EXPECT_STATUS(sinter_module_output_info(module_.get(), 0, nullptr), SINTER_INVALID_ARGUMENT, "out_info is NULL");
  size_t index;
  EXPECT_STATUS(sinter_module_find_input(nullptr, "a", &index), SINTER_INVALID_ARGUMENT, "module is NULL");
  EXPECT_STATUS(sinter_module_find_output(module_.get(), nullptr, &index), SINTER_INVALID_ARGUMENT, "name is NULL");
  EXPECT_STATUS(sinter_module_find_input(module_.get(), "a", nullptr), SINTER_INVALID_ARGUMENT, "out_index is NULL");

  sinter_session_t *session = nullptr;
  EXPECT_STATUS(sinter_session_create(nullptr, nullptr, &session), SINTER_INVALID_ARGUMENT, "module is NULL");
  EXPECT_STATUS(sinter_session_create(module_.get(), nullptr, nullptr), SINTER_INVALID_ARGUMENT, "out_session is NULL");
  EXPECT_STATUS(sinter_session_run(nullptr, inputs_, 2, outputs_, 1), SINTER_INVALID_ARGUMENT,
                "sinter_session_run: session is NULL");
  EXPECT_STATUS(sinter_session_run(session_.get(), nullptr, 2, outputs_, 1), SINTER_INVALID_ARGUMENT,
                "inputs is NULL but 2 are expected");
  EXPECT_STATUS(sinter_session_run(session_.get(), inputs_, 2, nullptr, 1), SINTER_INVALID_ARGUMENT,
                "outputs is NULL but 1 are expected");

  // Releasing NULL is a no-op.
  sinter_instance_release(nullptr);
  sinter_module_release(nullptr);
  sinter_session_release(nullptr);
}

TEST_F(CApiTest, SignatureQueries) {
  size_t inputs = 0, outputs = 0;
  ASSERT_EQ(take(sinter_module_input_count(module_.get(), &inputs)).code, SINTER_OK);
  ASSERT_EQ(take(sinter_module_output_count(module_.get(), &outputs)).code, SINTER_OK);
  EXPECT_EQ(inputs, 2u);
  EXPECT_EQ(outputs, 1u);
  sinter_tensor_info_t info;
  ASSERT_EQ(take(sinter_module_input_info(module_.get(), 1, &info)).code, SINTER_OK);
  EXPECT_STREQ(info.name, "b");
  EXPECT_EQ(info.element_type, SINTER_TYPE_F32);
  ASSERT_EQ(info.rank, 1u);
  EXPECT_EQ(info.dims[0], 8);
  EXPECT_EQ(info.byte_size, 32u);
  EXPECT_STATUS(sinter_module_output_info(module_.get(), 1, &info), SINTER_INVALID_ARGUMENT,
                "index 1 is out of range (the module has 1 outputs)");
  EXPECT_EQ(info.name, nullptr);

  size_t index = 9;
  ASSERT_EQ(take(sinter_module_find_input(module_.get(), "b", &index)).code, SINTER_OK);
  EXPECT_EQ(index, 1u);
  ASSERT_EQ(take(sinter_module_find_output(module_.get(), "y", &index)).code, SINTER_OK);
  EXPECT_EQ(index, 0u);
  EXPECT_STATUS(sinter_module_find_input(module_.get(), "y", &index), SINTER_NOT_FOUND, "no input named 'y'");
}

TEST_F(CApiTest, WrongTensorCounts) {
  EXPECT_STATUS(sinter_session_run(session_.get(), inputs_, 1, outputs_, 1), SINTER_INVALID_ARGUMENT,
                "expected 2 inputs, got 1");
  EXPECT_STATUS(sinter_session_run(session_.get(), inputs_, 2, outputs_, 0), SINTER_INVALID_ARGUMENT,
                "expected 1 outputs, got 0");
}

TEST_F(CApiTest, WrongElementType) {
  inputs_[1].element_type = SINTER_TYPE_F64;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "input 1 'b': element type f64 does not match the signature's f32");
  inputs_[1].element_type = static_cast<sinter_element_type_t>(77);
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "input 1 'b': element type 77 does not match");
}

TEST_F(CApiTest, WrongShape) {
  int64_t wrongDims[] = {4, 2};
  outputs_[0].rank = 2;
  outputs_[0].dims = wrongDims;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "output 0 'y': rank 2 does not match the signature's 1 (shape [8])");
  outputs_[0].rank = 1;
  int64_t otherDims[] = {9};
  outputs_[0].dims = otherDims;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "output 0 'y': shape [9] does not match the signature's [8]");
  outputs_[0].dims = nullptr;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "dims is NULL for rank 1");
}

TEST_F(CApiTest, TooSmallByteSizeOrNullData) {
  inputs_[0].byte_size = 31;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "input 0 'a': byte_size 31 is less than the 32 bytes of f32 [8]");
  inputs_[0].byte_size = 64; // larger buffers are fine
  EXPECT_EQ(run().code, SINTER_OK);
  inputs_[0].data = nullptr;
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "input 0 'a': data is NULL");
}

TEST_F(CApiTest, OverlappingOutputs) {
  outputs_[0].data = b_.data() + 4; // y overlaps the second half of b
  EXPECT_STATUS(run(), SINTER_INVALID_ARGUMENT, "output 0 'y' overlaps input 1 'b' in memory");
}

TEST_F(CApiTest, TooManyThreads) {
  sinter_session_options_t options = {5000};
  sinter_session_t *session = nullptr;
  EXPECT_STATUS(sinter_session_create(module_.get(), &options, &session), SINTER_INVALID_ARGUMENT,
                "thread_count 5000 is more than the maximum, 4096");
  EXPECT_EQ(session, nullptr);
}

TEST_F(CApiTest, FailedCallsLeaveOutputsNull) {
  sinter_session_t *session = reinterpret_cast<sinter_session_t *>(0x1);
  EXPECT_NE(take(sinter_session_create(nullptr, nullptr, &session)).code, SINTER_OK);
  EXPECT_EQ(session, nullptr);
  sinter_module_t *module = reinterpret_cast<sinter_module_t *>(0x1);
  std::vector<uint8_t> garbage(64, 0);
  AlignedBytes bytes(garbage);
  EXPECT_EQ(take(sinter_module_load_memory(instance_.get(), bytes.data(), bytes.size(), &module)).code,
            SINTER_INVALID_MODULE);
  EXPECT_EQ(module, nullptr);
}

} // namespace
} // namespace test
} // namespace sinter

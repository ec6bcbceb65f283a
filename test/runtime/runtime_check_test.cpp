//===- runtime_check_test.cpp - Module.checks: bytes the dispatches write, read after each run ------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

#include <cstring>

namespace sinter::test {
namespace {

/// The pipeline module with one check on the first byte of its arena, where the first dispatch writes
/// t0[0] = a[0] + b[0]: the low mantissa byte, 0 for 2.0f and 0xCD for 1.1f.
ModuleDesc checkedPipeline() {
  ModuleDesc desc = makePipelineModule().desc;
  desc.version = 3;
  desc.checks = {{"node 'r' (Range): the element count differs", 0}};
  return desc;
}

struct Inputs {
  std::vector<float> a, b, x, y, z;
  std::vector<int64_t> n = {PipelineModule::kN}, xDims = {PipelineModule::kM, PipelineModule::kK},
                       zDims = {PipelineModule::kM, PipelineModule::kP};
  explicit Inputs(float a0)
      : a(PipelineModule::kN, 1.0f), b(PipelineModule::kN, 1.0f), x(PipelineModule::kM * PipelineModule::kK, 0.5f),
        y(PipelineModule::kN), z(PipelineModule::kM * PipelineModule::kP) {
    a[0] = a0;
  }
  StatusResult run(sinter_session_t *session) {
    sinter_tensor_t in[3] = {floatTensor(a, n), floatTensor(b, n), floatTensor(x, xDims)};
    sinter_tensor_t out[2] = {floatTensor(y, n), floatTensor(z, zDims)};
    return take(sinter_session_run(session, in, 3, out, 2));
  }
};

TEST(RuntimeCheck, PassingCheckRuns) {
  LoadedSession l = loadSession(checkedPipeline());
  Inputs inputs(1.0f); // t0[0] = 2.0f: byte 0 is 0
  StatusResult r = inputs.run(l.session.get());
  EXPECT_EQ(r.code, SINTER_OK) << r.message;
  EXPECT_EQ(inputs.y[1], 2.0f * makePipelineModule().w[1]);
}

TEST(RuntimeCheck, FailingCheckFailsTheRunWithItsMessage) {
  LoadedSession l = loadSession(checkedPipeline());
  Inputs failing(0.1f); // t0[0] = 1.1f: byte 0 is 0xCD
  StatusResult r = failing.run(l.session.get());
  EXPECT_EQ(r.code, SINTER_INVALID_ARGUMENT);
  EXPECT_EQ(r.message, "run-time check failed: node 'r' (Range): the element count differs");
  // The session stays usable: the next run's dispatches rewrite the byte.
  Inputs passing(1.0f);
  r = passing.run(l.session.get());
  EXPECT_EQ(r.code, SINTER_OK) << r.message;
}

} // namespace
} // namespace sinter::test

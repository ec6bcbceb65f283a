//===- OnnxControlFlowTest.cpp - tests for expandControlFlow --------------------------------------------===//
//
// The cases lit cannot see from the imported IR: when an expansion waits for folding, zero-trip loops,
// generated names next to existing ones, and refusals of lengths unknown at compile time.
//
//===----------------------------------------------------------------------------------------------------===//
#include "frontends/onnx/OnnxControlFlow.h"

#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

using sinter::onnx_frontend::expandControlFlow;
using sinter::onnx_frontend::LoadError;

namespace {

onnx::ModelProto parseModel(const std::string &graph) {
  onnx::ModelProto model;
  std::string text = "<ir_version: 8, opset_import: [\"\" : 17]>\n" + graph;
  auto status = onnx::OnnxParser::Parse(model, text.c_str());
  EXPECT_TRUE(status.IsOK()) << status.ErrorMessage();
  onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                     onnx::ShapeInferenceOptions(true, 1, false));
  return model;
}

std::vector<std::string> opTypes(const onnx::ModelProto &model) {
  std::vector<std::string> ops;
  for (const auto &n : model.graph().node())
    ops.push_back(n.op_type());
  return ops;
}

/// Every value is defined once (the graph stays in SSA form).
void expectUniqueOutputs(const onnx::ModelProto &model) {
  std::unordered_set<std::string> seen;
  for (const auto &init : model.graph().initializer())
    EXPECT_TRUE(seen.insert(init.name()).second) << init.name();
  for (const auto &n : model.graph().node())
    for (const auto &o : n.output())
      EXPECT_TRUE(seen.insert(o).second) << o;
}

TEST(OnnxControlFlow, RunTimeIfWaitsForFoldingThenSelects) {
  onnx::ModelProto m = parseModel(R"(
    g (float[2] x, bool c) => (float[2] y) {
      y = If (c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] b) { b = Neg(x) }>
    })");
  LoadError error;
  EXPECT_EQ(expandControlFlow(m, /*resolveRunTime=*/false, error), 0);
  EXPECT_EQ(opTypes(m), std::vector<std::string>{"If"});
  ASSERT_EQ(expandControlFlow(m, /*resolveRunTime=*/true, error), 1) << error.message;
  EXPECT_EQ(opTypes(m), (std::vector<std::string>{"Relu", "Neg", "Where"}));
  EXPECT_EQ(m.graph().node(2).input(0), "c");
  EXPECT_EQ(m.graph().node(2).output(0), "y");
  expectUniqueOutputs(m);
}

TEST(OnnxControlFlow, ConstantIfTakesBranchThatReturnsAnOuterValue) {
  onnx::ModelProto m = parseModel(R"(
    g (float[2] x) => (float[2] y) {
      c = Constant <value = bool {0}> ()
      y = If (c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] x2) { x2 = Identity(x) }>
    })");
  LoadError error;
  ASSERT_EQ(expandControlFlow(m, false, error), 1) << error.message;
  EXPECT_EQ(opTypes(m), (std::vector<std::string>{"Constant", "Identity", "Identity"}));
  EXPECT_EQ(m.graph().node(1).input(0), "x");
  EXPECT_EQ(m.graph().node(2).output(0), "y");
}

TEST(OnnxControlFlow, LoopWithFalseConditionRunsZeroTimes) {
  onnx::ModelProto m = parseModel(R"(
    g (float[2] v) => (float[2] y) {
      m = Constant <value = int64 {5}> ()
      c = Constant <value = bool {0}> ()
      y = Loop (m, c, v) <body = b (int64 i, bool ci, float[2] s) => (bool co, float[2] s2) {
        co = Identity(ci)
        s2 = Add(s, s)
      }>
    })");
  LoadError error;
  ASSERT_EQ(expandControlFlow(m, false, error), 1) << error.message;
  EXPECT_EQ(opTypes(m), (std::vector<std::string>{"Constant", "Constant", "Identity"}));
  EXPECT_EQ(m.graph().node(2).input(0), "v");
}

TEST(OnnxControlFlow, ZeroTripLoopWithScanOutputIsRefused) {
  onnx::ModelProto m = parseModel(R"(
    g (float[2] v) => (float[2] y, float[0,2] ys) {
      m = Constant <value = int64 {0}> ()
      y, ys = Loop (m, , v) <body = b (int64 i, bool ci, float[2] s) => (bool co, float[2] s2, float[2] o) {
        co = Identity(ci)
        s2 = Add(s, s)
        o = Identity(s2)
      }>
    })");
  LoadError error;
  EXPECT_EQ(expandControlFlow(m, false, error), -1);
  EXPECT_EQ(error.opType, "Loop");
  EXPECT_NE(error.message.find("runs 0 times"), std::string::npos) << error.message;
}

TEST(OnnxControlFlow, GeneratedNamesAvoidExistingOnes) {
  // The main graph already uses the names the unrolled body values would get.
  onnx::ModelProto m = parseModel(R"(
    g (float[2] v) => (float[2] y, float[2] taken) {
      taken = Identity(v)
      m = Constant <value = int64 {2}> ()
      y = Loop (m, , taken) <body = L (int64 i, bool ci, float[2] s) => (bool co, float[2] s2) {
        co = Identity(ci)
        s2 = Add(s, s)
      }>
    })");
  m.mutable_graph()->mutable_node(2)->set_name("L");
  m.mutable_graph()->mutable_node(0)->set_output(0, "L/iter0/s2");
  m.mutable_graph()->mutable_node(2)->set_input(2, "L/iter0/s2");
  m.mutable_graph()->mutable_output(1)->set_name("L/iter0/s2");
  LoadError error;
  ASSERT_EQ(expandControlFlow(m, false, error), 1) << error.message;
  expectUniqueOutputs(m);
  int adds = 0;
  for (const auto &n : m.graph().node())
    adds += n.op_type() == "Add";
  EXPECT_EQ(adds, 2);
}

TEST(OnnxControlFlow, ScanOfUnknownLengthWaitsThenIsRefused) {
  onnx::ModelProto m = parseModel(R"(
    g (float[2] s0, float[N,2] x) => (float[2] s) {
      s = Scan (s0, x) <num_scan_inputs = 1, body = b (float[2] si, float[2] xi) => (float[2] so) {
        so = Add(si, xi)
      }>
    })");
  LoadError error;
  EXPECT_EQ(expandControlFlow(m, false, error), 0);
  EXPECT_EQ(expandControlFlow(m, true, error), -1);
  EXPECT_EQ(error.opType, "Scan");
  EXPECT_NE(error.message.find("scan input 'x' has no static length along axis 0"), std::string::npos)
      << error.message;
}


TEST(OnnxControlFlow, LongScanOutputsStackThroughAConcatTree) {
  // 20 steps: Concat(16 pieces), Concat(4 pieces), then Concat of those two (fan-in 16).
  onnx::ModelProto m = parseModel(R"(
    g (float[2] s0, float[20,2] x) => (float[2] s, float[20,2] ys) {
      s, ys = Scan (s0, x) <num_scan_inputs = 1, body = b (float[2] si, float[2] xi) => (float[2] so, float[2] y) {
        so = Add(si, xi)
        y = Identity(so)
      }>
    })");
  LoadError error;
  ASSERT_EQ(expandControlFlow(m, false, error), 1) << error.message;
  std::vector<int> concatInputs;
  for (const auto &n : m.graph().node())
    if (n.op_type() == "Concat")
      concatInputs.push_back(n.input_size());
  EXPECT_EQ(concatInputs, (std::vector<int>{16, 4, 2}));
  // Strict inference checks the stacked result against the declared ys: float[20,2].
  EXPECT_NO_THROW(onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(),
                                                     onnx::ShapeInferenceOptions(true, 1, false)));
}

} // namespace

//===- OnnxConstantFoldingTest.cpp - tests for foldShapeConstants ---------------------------------------===//
#include "frontends/onnx/OnnxConstantFolding.h"

#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using sinter::onnx_frontend::foldShapeConstants;

namespace {

const char *kHeader = "<ir_version: 8, opset_import: [\"\" : 17]>\n";

onnx::ModelProto parseModel(const std::string &graph) {
  onnx::ModelProto model;
  std::string text = kHeader + graph;
  auto status = onnx::OnnxParser::Parse(model, text.c_str());
  EXPECT_TRUE(status.IsOK()) << status.ErrorMessage();
  return model;
}

void inferShapes(onnx::ModelProto &model) {
  onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                     onnx::ShapeInferenceOptions(true, 1, false));
}

/// The importer's loop: infer, fold, until nothing folds. Returns the total number of folded nodes.
int inferAndFold(onnx::ModelProto &model) {
  int total = 0;
  for (int round = 0; round < 16; ++round) {
    inferShapes(model);
    int folded = foldShapeConstants(model);
    total += folded;
    if (folded == 0)
      break;
  }
  return total;
}

const onnx::TensorProto *findInit(const onnx::ModelProto &model, const std::string &name) {
  for (const auto &init : model.graph().initializer())
    if (init.name() == name)
      return &init;
  return nullptr;
}

bool hasNodeProducing(const onnx::ModelProto &model, const std::string &name) {
  for (const auto &node : model.graph().node())
    for (const auto &out : node.output())
      if (out == name)
        return true;
  return false;
}

std::vector<int64_t> dimsOf(const onnx::TensorProto &t) { return {t.dims().begin(), t.dims().end()}; }

/// Decodes an initializer written by the folder (raw_data) or the parser (typed fields) as int64 values.
std::vector<int64_t> intsOf(const onnx::TensorProto &t) {
  std::vector<int64_t> v;
  if (!t.has_raw_data()) {
    if (t.data_type() == onnx::TensorProto::INT64)
      return {t.int64_data().begin(), t.int64_data().end()};
    return {t.int32_data().begin(), t.int32_data().end()};
  }
  const std::string &raw = t.raw_data();
  switch (t.data_type()) {
  case onnx::TensorProto::INT64:
    for (size_t k = 0; k + 8 <= raw.size(); k += 8) {
      int64_t x;
      std::memcpy(&x, raw.data() + k, 8);
      v.push_back(x);
    }
    break;
  case onnx::TensorProto::INT32:
    for (size_t k = 0; k + 4 <= raw.size(); k += 4) {
      int32_t x;
      std::memcpy(&x, raw.data() + k, 4);
      v.push_back(x);
    }
    break;
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::UINT8:
    for (char c : raw) v.push_back(uint8_t(c));
    break;
  default:
    ADD_FAILURE() << "unexpected dtype " << t.data_type();
  }
  return v;
}

std::vector<double> floatsOf(const onnx::TensorProto &t) {
  std::vector<double> v;
  if (!t.has_raw_data())
    return {t.float_data().begin(), t.float_data().end()};
  EXPECT_EQ(t.data_type(), onnx::TensorProto::FLOAT);
  for (size_t k = 0; k + 4 <= t.raw_data().size(); k += 4) {
    float x;
    std::memcpy(&x, t.raw_data().data() + k, 4);
    v.push_back(x);
  }
  return v;
}

/// Static dims of `name` from value_info (empty optional-like: returns false when unknown).
bool staticShape(const onnx::ModelProto &model, const std::string &name, std::vector<int64_t> &dims) {
  for (const auto &vi : model.graph().value_info()) {
    if (vi.name() != name || !vi.type().tensor_type().has_shape())
      continue;
    dims.clear();
    for (const auto &d : vi.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value())
        return false;
      dims.push_back(d.dim_value());
    }
    return true;
  }
  return false;
}

/// Folds `graph` once (after shape inference) and returns the folded initializer `name`; fails the test when
/// it was not folded.
onnx::TensorProto foldOne(const std::string &graph, const std::string &name) {
  onnx::ModelProto model = parseModel(graph);
  inferAndFold(model);
  const onnx::TensorProto *t = findInit(model, name);
  EXPECT_NE(t, nullptr) << name << " was not folded";
  EXPECT_FALSE(hasNodeProducing(model, name));
  return t ? *t : onnx::TensorProto();
}

using I = std::vector<int64_t>;
using F = std::vector<double>;

} // namespace

TEST(OnnxConstantFolding, ShapeGatherUnsqueezeConcatReshapeBecomesStatic) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2,3,4] X) => (float[A,B] Y) {
      s = Shape(X)
      i0 = Constant<value = int64 {0}>()
      d0 = Gather<axis = 0>(s, i0)
      ax = Constant<value = int64[1] {0}>()
      u = Unsqueeze(d0, ax)
      m1 = Constant<value = int64[1] {-1}>()
      c = Concat<axis = 0>(u, m1)
      r = Reshape(X, c)
      Y = Relu(r)
    })");
  onnx::ModelProto unfolded = model;
  inferShapes(unfolded);
  std::vector<int64_t> dims;
  EXPECT_FALSE(staticShape(unfolded, "r", dims));

  EXPECT_EQ(inferAndFold(model), 7);
  ASSERT_EQ(model.graph().node_size(), 2);
  EXPECT_EQ(model.graph().node(0).op_type(), "Reshape");
  const onnx::TensorProto *c = findInit(model, "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->data_type(), onnx::TensorProto::INT64);
  EXPECT_EQ(dimsOf(*c), I({2}));
  EXPECT_EQ(intsOf(*c), I({2, -1}));
  ASSERT_TRUE(staticShape(model, "r", dims));
  EXPECT_EQ(dims, I({2, 12}));
  // Folded values lose their (now stale) value_info entries.
  for (const auto &vi : model.graph().value_info())
    EXPECT_NE(vi.name(), "c");
}

TEST(OnnxConstantFolding, PadChainWithNegativeStepSliceAndTranspose) {
  // torch F.pad(x, (63, 0)) on a [1,8,64] input, as exported at opset 17.
  onnx::ModelProto model = parseModel(R"(
    g (float[1,8,64] X) => (float[A,B,C] Y) {
      p = Constant<value = int64[2] {63, 0}>()
      n = Constant<value = int64[1] {4}>()
      z = ConstantOfShape<value = int64[1] {0}>(n)
      cat = Concat<axis = 0>(p, z)
      rs = Constant<value = int64[2] {-1, 2}>()
      r = Reshape(cat, rs)
      st = Constant<value = int64[1] {-1}>()
      en = Constant<value = int64[1] {-9223372036854775807}>()
      ax = Constant<value = int64[1] {0}>()
      sp = Constant<value = int64[1] {-1}>()
      sl = Slice(r, st, en, ax, sp)
      t = Transpose<perm = [1, 0]>(sl)
      m1 = Constant<value = int64[1] {-1}>()
      flat = Reshape(t, m1)
      pads = Cast<to = 7>(flat)
      padded = Pad(X, pads)
      Y = Relu(padded)
    })");
  EXPECT_EQ(inferAndFold(model), 15);
  ASSERT_EQ(model.graph().node_size(), 2);
  const onnx::TensorProto *pads = findInit(model, "pads");
  ASSERT_NE(pads, nullptr);
  EXPECT_EQ(intsOf(*pads), I({0, 0, 63, 0, 0, 0}));
  EXPECT_EQ(intsOf(*findInit(model, "sl")), I({0, 0, 0, 0, 63, 0}));
  std::vector<int64_t> dims;
  ASSERT_TRUE(staticShape(model, "padded", dims));
  EXPECT_EQ(dims, I({1, 8, 127}));
}

TEST(OnnxConstantFolding, RangeEqualWhere) {
  onnx::ModelProto model = parseModel(R"(
    g (float[4] X) => (float[4] Y) {
      n = Size(X)
      zero = Constant<value = int64 {0}>()
      one = Constant<value = int64 {1}>()
      r = Range(zero, n, one)
      two = Constant<value = int64 {2}>()
      e = Equal(r, two)
      a = Constant<value = float {5}>()
      b = Constant<value = float[4] {1, 2, 3, 4}>()
      w = Where(e, a, b)
      Y = Add(X, w)
    })");
  EXPECT_EQ(inferAndFold(model), 9);
  ASSERT_EQ(model.graph().node_size(), 1);
  EXPECT_EQ(intsOf(*findInit(model, "n")), I({4}));
  EXPECT_TRUE(dimsOf(*findInit(model, "n")).empty());
  EXPECT_EQ(intsOf(*findInit(model, "r")), I({0, 1, 2, 3}));
  EXPECT_EQ(findInit(model, "e")->data_type(), onnx::TensorProto::BOOL);
  EXPECT_EQ(intsOf(*findInit(model, "e")), I({0, 0, 1, 0}));
  EXPECT_EQ(floatsOf(*findInit(model, "w")), F({1, 2, 5, 4}));
}

TEST(OnnxConstantFolding, RangeVariants) {
  auto down = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64 s = {5}, int64 l = {0}, int64 d = {-2}> {
      r = Range(s, l, d)
      Y = Identity(X)
    })", "r");
  EXPECT_EQ(intsOf(down), I({5, 3, 1}));
  auto fl = foldOne(R"(
    g (float[1] X) => (float[1] Y) <float s = {0.5}, float l = {2.0}, float d = {0.5}> {
      r = Range(s, l, d)
      Y = Identity(X)
    })", "r");
  EXPECT_EQ(floatsOf(fl), F({0.5, 1.0, 1.5}));
  auto empty = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64 s = {3}, int64 l = {1}, int64 d = {1}> {
      r = Range(s, l, d)
      Y = Identity(X)
    })", "r");
  EXPECT_EQ(dimsOf(empty), I({0}));
}

TEST(OnnxConstantFolding, GraphOutputIsNotFolded) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2] X) => (int64[2] Y, float[2] Z) <int64[2] a = {1, 2}, int64[2] b = {3, 4}> {
      Y = Add(a, b)
      Z = Identity(X)
    })");
  EXPECT_EQ(inferAndFold(model), 0);
  EXPECT_EQ(model.graph().node_size(), 2);
  EXPECT_EQ(findInit(model, "Y"), nullptr);
}

TEST(OnnxConstantFolding, LargeResultsAreNotFolded) {
  onnx::ModelProto model = parseModel(R"(
    g (float[300,300] X) => (float[300,300] Y) <int64[2] s = {300, 300}, float one = {1.0}> {
      big = ConstantOfShape<value = float[1] {1.0}>(s)
      wide = Expand(one, s)
      sum = Add(big, wide)
      Y = Add(X, sum)
    })");
  EXPECT_EQ(inferAndFold(model), 0);
  EXPECT_EQ(model.graph().node_size(), 4);
  EXPECT_EQ(findInit(model, "big"), nullptr);
  EXPECT_EQ(findInit(model, "wide"), nullptr);
}

TEST(OnnxConstantFolding, UnsupportedOpsAreLeftAlone) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2,2] X) => (float[2,2] Y) <float[2,2] A = {1, 2, 3, 4}, float[2,2] B = {1, 0, 0, 1}, int64 ax = {0}> {
      m = MatMul(A, B)
      cs = CumSum(A, ax)
      s = Add(m, cs)
      Y = Add(X, s)
    })");
  EXPECT_EQ(inferAndFold(model), 0);
  EXPECT_EQ(model.graph().node_size(), 4);
  EXPECT_TRUE(hasNodeProducing(model, "m"));
  EXPECT_TRUE(hasNodeProducing(model, "s"));
}

TEST(OnnxConstantFolding, MalformedNodesAreLeftAlone) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2] X) => (float[2] Y) <int64[3] a = {1, 2, 3}, int64 bad = {7}, int64[2] z = {0, 1}> {
      g0 = Gather(a, bad)
      d0 = Div(a, z)
      c0 = Concat(a, a)
      z0 = Reshape<allowzero = 1>(bad, z)
      t0 = Transpose<perm = [0, 0]>(a)
      Y = Identity(X)
    })");
  // Out-of-range index, division by zero, missing axis, element-count mismatch, bad perm: no throw, no fold.
  EXPECT_EQ(foldShapeConstants(model), 0);
  EXPECT_EQ(model.graph().node_size(), 6);
}

TEST(OnnxConstantFolding, Int64DivisionTruncates) {
  auto q = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64[4] a = {-7, 7, -7, 7}, int64[4] b = {2, 2, -2, -2}> {
      q = Div(a, b)
      Y = Identity(X)
    })", "q");
  EXPECT_EQ(intsOf(q), I({-3, 3, 3, -3}));
  auto fq = foldOne(R"(
    g (float[1] X) => (float[1] Y) <float[2] a = {-7, 1}, float[1] b = {2}> {
      q = Div(a, b)
      Y = Identity(X)
    })", "q");
  EXPECT_EQ(floatsOf(fq), F({-3.5, 0.5}));
  onnx::ModelProto byZero = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int64[1] a = {7}, int64[1] b = {0}> {
      q = Div(a, b)
      Y = Identity(X)
    })");
  EXPECT_EQ(inferAndFold(byZero), 0);
}

TEST(OnnxConstantFolding, ArithmeticBroadcastsAndWrapsInt32) {
  auto s = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64[2,1] a = {1, 2}, int64[3] b = {10, 20, 30}> {
      s = Sub(b, a)
      Y = Identity(X)
    })", "s");
  EXPECT_EQ(dimsOf(s), I({2, 3}));
  EXPECT_EQ(intsOf(s), I({9, 19, 29, 8, 18, 28}));
  auto m = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int32[1] a = {2147483647}, int32[1] b = {2}> {
      m = Mul(a, b)
      Y = Identity(X)
    })", "m");
  EXPECT_EQ(m.data_type(), onnx::TensorProto::INT32);
  EXPECT_EQ(intsOf(m), I({-2}));
  auto mm = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64[3] a = {1, 5, -3}, int64[1] b = {2}, int64[3] c = {0, 9, -9}> {
      mn = Min(a, b, c)
      mx = Max(a, b, c)
      ng = Neg(mn)
      ab = Abs(ng)
      Y = Identity(X)
    })", "ab");
  EXPECT_EQ(intsOf(mm), I({0, 2, 9}));
}

TEST(OnnxConstantFolding, ConstantNodesBecomeInitializers) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) {
      a = Constant<value_ints = [3, 4]>()
      b = Constant<value_int = 5>()
      c = Constant<value_float = 1.5>()
      d = Constant<value_floats = [1.0, 2.0]>()
      Y = Identity(X)
    })");
  EXPECT_EQ(foldShapeConstants(model), 4);
  EXPECT_EQ(model.graph().node_size(), 1);
  EXPECT_EQ(intsOf(*findInit(model, "a")), I({3, 4}));
  EXPECT_EQ(dimsOf(*findInit(model, "a")), I({2}));
  EXPECT_EQ(intsOf(*findInit(model, "b")), I({5}));
  EXPECT_TRUE(dimsOf(*findInit(model, "b")).empty());
  EXPECT_EQ(floatsOf(*findInit(model, "c")), F({1.5}));
  EXPECT_EQ(floatsOf(*findInit(model, "d")), F({1.0, 2.0}));
  EXPECT_EQ(foldShapeConstants(model), 0);
}

TEST(OnnxConstantFolding, OverridableInitializersAreNotConstants) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2] X, int64[2] s = {1, 2}) => (float[2] Y) {
      t = Add(s, s)
      sh = Shape(s)
      Y = Identity(X)
    })");
  EXPECT_EQ(inferAndFold(model), 1); // only Shape: s has a static type but no fixed value
  EXPECT_TRUE(hasNodeProducing(model, "t"));
  EXPECT_EQ(intsOf(*findInit(model, "sh")), I({2}));
}

TEST(OnnxConstantFolding, ShapeStartEndAndSize) {
  onnx::ModelProto model = parseModel(R"(
    g (float[2,3,4,5] X) => (float[2,3,4,5] Y) {
      a = Shape<start = 1>(X)
      b = Shape<start = -3, end = -1>(X)
      c = Shape<start = 10>(X)
      n = Size(X)
      Y = Identity(X)
    })");
  EXPECT_EQ(inferAndFold(model), 4);
  EXPECT_EQ(intsOf(*findInit(model, "a")), I({3, 4, 5}));
  EXPECT_EQ(intsOf(*findInit(model, "b")), I({3, 4}));
  EXPECT_EQ(dimsOf(*findInit(model, "c")), I({0}));
  EXPECT_EQ(intsOf(*findInit(model, "n")), I({120}));
}

TEST(OnnxConstantFolding, ShapeOfDynamicInputIsNotFolded) {
  onnx::ModelProto model = parseModel(R"(
    g (float[N,3] X) => (float[N,3] Y) {
      s = Shape(X)
      tail = Shape<start = 1>(X)
      Y = Identity(X)
    })");
  EXPECT_EQ(inferAndFold(model), 0);
}

TEST(OnnxConstantFolding, GatherSqueezeUnsqueeze) {
  auto g = foldOne(R"(
    g (float[1] X) => (float[1] Y) <int64[2,3] d = {1, 2, 3, 4, 5, 6}, int32[2] i = {-1, 0}> {
      g = Gather<axis = 1>(d, i)
      Y = Identity(X)
    })", "g");
  EXPECT_EQ(dimsOf(g), I({2, 2}));
  EXPECT_EQ(intsOf(g), I({3, 1, 6, 4}));
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int64[3] d = {7, 8, 9}, int64[2] ax = {0, -1}, int64[1] sq = {2}> {
      u = Unsqueeze(d, ax)
      s = Squeeze(u, sq)
      all = Squeeze(u)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_EQ(dimsOf(*findInit(model, "u")), I({1, 3, 1}));
  EXPECT_EQ(dimsOf(*findInit(model, "s")), I({1, 3}));
  EXPECT_EQ(dimsOf(*findInit(model, "all")), I({3}));
  EXPECT_EQ(intsOf(*findInit(model, "all")), I({7, 8, 9}));
}

TEST(OnnxConstantFolding, SliceClampsAndSteps) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int64[2,4] d = {0, 1, 2, 3, 4, 5, 6, 7},
        int64[1] s0 = {1}, int64[1] e0 = {1000}, int64[1] a1 = {1}, int64[1] two = {2},
        int64[1] sm = {-1}, int64[1] emin = {-9223372036854775808}, int64[1] stm = {-2},
        int64[2] s2 = {0, -3}, int64[2] e2 = {1, -1}> {
      a = Slice(d, s0, e0, a1, two)
      b = Slice(d, sm, emin, a1, stm)
      c = Slice(d, s2, e2)
      e = Slice(d, e0, s0, a1)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_EQ(dimsOf(*findInit(model, "a")), I({2, 2}));
  EXPECT_EQ(intsOf(*findInit(model, "a")), I({1, 3, 5, 7}));
  EXPECT_EQ(intsOf(*findInit(model, "b")), I({3, 1, 7, 5}));
  EXPECT_EQ(dimsOf(*findInit(model, "c")), I({1, 2}));
  EXPECT_EQ(intsOf(*findInit(model, "c")), I({1, 2}));
  EXPECT_EQ(dimsOf(*findInit(model, "e")), I({2, 0}));
}

TEST(OnnxConstantFolding, ReshapeTransposeExpandTile) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int64[2,3] d = {1, 2, 3, 4, 5, 6}, int64[3] s = {0, -1, 1},
        int64[2] ex = {2, 3}, int64[1] v = {7}, int64[2] reps = {2, 1}> {
      r = Reshape(d, s)
      t = Transpose(d)
      x = Expand(v, ex)
      tl = Tile(d, reps)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_EQ(dimsOf(*findInit(model, "r")), I({2, 3, 1}));
  EXPECT_EQ(dimsOf(*findInit(model, "t")), I({3, 2}));
  EXPECT_EQ(intsOf(*findInit(model, "t")), I({1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(intsOf(*findInit(model, "x")), I({7, 7, 7, 7, 7, 7}));
  EXPECT_EQ(dimsOf(*findInit(model, "tl")), I({4, 3}));
  EXPECT_EQ(intsOf(*findInit(model, "tl")), I({1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}));
}

TEST(OnnxConstantFolding, CastAndLogic) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <float[3] f = {-2.7, 0.0, 3.9}, double[2] d = {4.0, 2.25}, int64[3] i = {0, 5, -1}, int64[1] one = {1}> {
      ci = Cast<to = 6>(f)
      cb = Cast<to = 9>(i)
      cf = Cast<to = 1>(i)
      lt = Less(i, one)
      gt = Greater(i, one)
      n = Not(lt)
      o = Or(lt, gt)
      a = And(n, cb)
      fl = Floor(f)
      ce = Ceil(f)
      sq = Sqrt(d)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_EQ(findInit(model, "ci")->data_type(), onnx::TensorProto::INT32);
  EXPECT_EQ(intsOf(*findInit(model, "ci")), I({-2, 0, 3}));
  EXPECT_EQ(intsOf(*findInit(model, "cb")), I({0, 1, 1}));
  EXPECT_EQ(floatsOf(*findInit(model, "cf")), F({0, 5, -1}));
  EXPECT_EQ(intsOf(*findInit(model, "lt")), I({1, 0, 1}));
  EXPECT_EQ(intsOf(*findInit(model, "n")), I({0, 1, 0}));
  EXPECT_EQ(intsOf(*findInit(model, "o")), I({1, 1, 1}));
  EXPECT_EQ(intsOf(*findInit(model, "a")), I({0, 1, 0}));
  EXPECT_EQ(floatsOf(*findInit(model, "fl")), F({-3, 0, 3}));
  EXPECT_EQ(floatsOf(*findInit(model, "ce")), F({-2, 0, 4}));
  const onnx::TensorProto *sq = findInit(model, "sq");
  ASSERT_NE(sq, nullptr);
  ASSERT_EQ(sq->data_type(), onnx::TensorProto::DOUBLE);
  double roots[2];
  ASSERT_EQ(sq->raw_data().size(), sizeof(roots));
  std::memcpy(roots, sq->raw_data().data(), sizeof(roots));
  EXPECT_EQ(roots[0], 2.0);
  EXPECT_EQ(roots[1], 1.5);
}

TEST(OnnxConstantFolding, Reductions) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int64[2,3] d = {1, 2, 3, 4, 5, 6}, int64[1] ax = {-1}> {
      p = ReduceProd<keepdims = 0>(d)
      s = ReduceSum(d, ax)
      mn = ReduceMin<axes = [0], keepdims = 0>(d)
      mx = ReduceMax<axes = [1]>(d)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_TRUE(dimsOf(*findInit(model, "p")).empty());
  EXPECT_EQ(intsOf(*findInit(model, "p")), I({720}));
  EXPECT_EQ(dimsOf(*findInit(model, "s")), I({2, 1}));
  EXPECT_EQ(intsOf(*findInit(model, "s")), I({6, 15}));
  EXPECT_EQ(intsOf(*findInit(model, "mn")), I({1, 2, 3}));
  EXPECT_EQ(intsOf(*findInit(model, "mx")), I({3, 6}));
}

TEST(OnnxConstantFolding, ConcatInt32AndConstantOfShapeDefault) {
  onnx::ModelProto model = parseModel(R"(
    g (float[1] X) => (float[1] Y) <int32[1,2] a = {1, 2}, int32[2,2] b = {3, 4, 5, 6}, int64[2] s = {2, 2}> {
      c = Concat<axis = -2>(a, b)
      z = ConstantOfShape(s)
      Y = Identity(X)
    })");
  inferAndFold(model);
  EXPECT_EQ(dimsOf(*findInit(model, "c")), I({3, 2}));
  EXPECT_EQ(intsOf(*findInit(model, "c")), I({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(floatsOf(*findInit(model, "z")), F({0, 0, 0, 0}));
}

//===- OnnxControlFlow.cpp - expand If / Loop / Scan into straight-line ONNX ----------------------------===//
//
// Each control-flow node of the main graph is replaced, at its place in the node list (so the topological
// order holds), by clones of its subgraph bodies plus the glue that feeds and collects them: Gather for a
// scan slice, Unsqueeze + Concat for scan outputs, Where to select between If branches, Identity to give
// the results the node's output names (graph-simplify forwards those). A clone renames every value its body
// defines (inputs are bound to the outer values instead) and keeps the names it takes from enclosing
// scopes, so outer-scope references resolve to the same values. Nested subgraphs are renamed along with
// their body: their own control flow is then an ordinary main-graph node, expanded on the next call.
//
//===----------------------------------------------------------------------------------------------------===//
#include "frontends/onnx/OnnxControlFlow.h"
#include "frontends/onnx/OnnxContribSchemas.h"
#include "frontends/onnx/OnnxTensor.h"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sinter::onnx_frontend {
namespace {

using onnx::AttributeProto;
using onnx::GraphProto;
using onnx::NodeProto;
using onnx::TensorProto;
using onnx::TypeProto;
using NameMap = std::unordered_map<std::string, std::string>;

struct Refusal {
  LoadError error;
};

bool isDefaultDomain(const NodeProto &n) { return n.domain().empty() || n.domain() == "ai.onnx"; }

bool isControlFlow(const NodeProto &n) {
  return isDefaultDomain(n) && (n.op_type() == "If" || n.op_type() == "Loop" || n.op_type() == "Scan");
}

const AttributeProto *findAttr(const NodeProto &n, const std::string &name) {
  for (const auto &a : n.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

/// Calls fn on every subgraph attribute of `n` (g and graphs).
template <typename Fn> void forEachSubgraph(const NodeProto &n, Fn fn) {
  for (const auto &a : n.attribute()) {
    if (a.has_g())
      fn(a.g());
    for (const auto &sub : a.graphs())
      fn(sub);
  }
}
template <typename Fn> void forEachSubgraph(NodeProto &n, Fn fn) {
  for (auto &a : *n.mutable_attribute()) {
    if (a.has_g())
      fn(*a.mutable_g());
    for (auto &sub : *a.mutable_graphs())
      fn(sub);
  }
}

/// The names `g` and the graphs nested in it define (inputs, initializers, node outputs), first definition
/// first, so that fresh names are handed out deterministically.
void collectDefinitions(const GraphProto &g, std::vector<std::string> &order,
                        std::unordered_set<std::string> &seen) {
  auto add = [&](const std::string &name) {
    if (!name.empty() && seen.insert(name).second)
      order.push_back(name);
  };
  for (const auto &in : g.input())
    add(in.name());
  for (const auto &init : g.initializer())
    add(init.name());
  for (const auto &n : g.node()) {
    for (const auto &out : n.output())
      add(out);
    forEachSubgraph(n, [&](const GraphProto &sub) { collectDefinitions(sub, order, seen); });
  }
}

/// Every value and node name anywhere in `g`, so generated names never collide with one.
void collectNames(const GraphProto &g, std::unordered_set<std::string> &names) {
  for (const auto &list : {&g.input(), &g.output(), &g.value_info()})
    for (const auto &vi : *list)
      names.insert(vi.name());
  for (const auto &init : g.initializer())
    names.insert(init.name());
  for (const auto &n : g.node()) {
    names.insert(n.name());
    names.insert(n.input().begin(), n.input().end());
    names.insert(n.output().begin(), n.output().end());
    forEachSubgraph(n, [&](const GraphProto &sub) { collectNames(sub, names); });
  }
}

void renameValue(std::string *name, const NameMap &map) {
  auto it = map.find(*name);
  if (it != map.end())
    *name = it->second;
}

void renameGraph(GraphProto &g, const NameMap &map);

void renameNode(NodeProto &n, const NameMap &map) {
  for (auto &in : *n.mutable_input())
    renameValue(&in, map);
  for (auto &out : *n.mutable_output())
    renameValue(&out, map);
  forEachSubgraph(n, [&](GraphProto &sub) { renameGraph(sub, map); });
}

void renameGraph(GraphProto &g, const NameMap &map) {
  for (auto *list : {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
    for (auto &vi : *list)
      renameValue(vi.mutable_name(), map);
  for (auto &init : *g.mutable_initializer())
    renameValue(init.mutable_name(), map);
  for (auto &n : *g.mutable_node())
    renameNode(n, map);
}

int64_t countNodes(const GraphProto &g) {
  int64_t count = g.node_size();
  for (const auto &n : g.node())
    forEachSubgraph(n, [&](const GraphProto &sub) { count += countNodes(sub); });
  return count;
}

/// Whether `n` draws random values: computing an If branch that is not taken is only harmless for ops
/// without them (ONNX has no other side effects). Dropout is random when given a training_mode input.
bool isRandom(const NodeProto &n) {
  static const std::unordered_set<std::string> ops = {"RandomNormal",     "RandomUniform", "RandomNormalLike",
                                                      "RandomUniformLike", "Multinomial",   "Bernoulli"};
  if (!isDefaultDomain(n))
    return false;
  return ops.count(n.op_type()) || (n.op_type() == "Dropout" && n.input_size() >= 3 && !n.input(2).empty());
}

/// The op type of the first random node in `g` or the graphs nested in it, or "".
std::string findRandomOp(const GraphProto &g) {
  for (const auto &n : g.node()) {
    if (isRandom(n))
      return n.op_type();
    std::string nested;
    forEachSubgraph(n, [&](const GraphProto &sub) {
      if (nested.empty())
        nested = findRandomOp(sub);
    });
    if (!nested.empty())
      return nested;
  }
  return "";
}

/// The one element of an integer or bool tensor.
bool scalarOf(const TensorProto &t, int64_t &value) {
  std::vector<char> bytes;
  std::string reason;
  int64_t width = onnxElementByteSize(t.data_type());
  switch (t.data_type()) {
  case TensorProto::BOOL: case TensorProto::INT8: case TensorProto::UINT8: case TensorProto::INT16:
  case TensorProto::UINT16: case TensorProto::INT32: case TensorProto::UINT32: case TensorProto::INT64:
  case TensorProto::UINT64:
    break;
  default:
    return false;
  }
  if (!onnxTensorBytes(t, bytes, reason, 1) || int64_t(bytes.size()) != width)
    return false;
  uint64_t bits = 0;
  std::memcpy(&bits, bytes.data(), size_t(width));
  switch (t.data_type()) {
  case TensorProto::INT8: value = int8_t(bits); break;
  case TensorProto::INT16: value = int16_t(bits); break;
  case TensorProto::INT32: value = int32_t(bits); break;
  default: value = int64_t(bits);
  }
  return true;
}

/// The value of a Constant node holding one integer or bool.
bool constantNodeScalar(const NodeProto &n, int64_t &value) {
  if (n.attribute_size() != 1)
    return false;
  const AttributeProto &a = n.attribute(0);
  if (a.name() == "value" && a.has_t())
    return scalarOf(a.t(), value);
  if (a.name() == "value_int")
    return value = a.i(), true;
  if (a.name() == "value_ints" && a.ints_size() == 1)
    return value = a.ints(0), true;
  return false;
}

std::string dimsText(const TypeProto &t) {
  std::string s;
  for (const auto &d : t.tensor_type().shape().dim())
    s += (s.empty() ? "" : "x") + (d.has_dim_value() ? std::to_string(d.dim_value()) : std::string("?"));
  return s.empty() ? "(scalar)" : s;
}

/// "float 2x3", for messages.
std::string typeText(const TypeProto &t) {
  const auto *dataType = TensorProto::DataType_descriptor()->FindValueByNumber(t.tensor_type().elem_type());
  std::string name = dataType ? dataType->name() : "?";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name + " " + (t.tensor_type().has_shape() ? dimsText(t) : "(unranked)");
}

bool isStaticTensor(const TypeProto &t) {
  if (!t.has_tensor_type() || !t.tensor_type().has_shape())
    return false;
  for (const auto &d : t.tensor_type().shape().dim())
    if (!d.has_dim_value() || d.dim_value() < 0)
      return false;
  return true;
}

/// Most inputs of one generated Concat (see Expander::stack).
constexpr size_t kConcatFanIn = 16;

class Expander {
public:
  /// `types` describes the main graph's values (inputs, value_info, outputs) as last inferred.
  Expander(onnx::ModelProto &model, int64_t opset, const GraphProto &types) : g(*model.mutable_graph()), opset(opset) {
    collectNames(g, used);
    for (const auto &list : {&types.input(), &types.value_info(), &types.output()})
      for (const auto &vi : *list)
        if (vi.has_type())
          valueTypes[vi.name()] = vi.type();
    std::unordered_set<std::string> inputs;
    for (const auto &in : g.input())
      inputs.insert(in.name());
    // Initializers that are also graph inputs are defaults the caller may override: not constants.
    for (const auto &init : g.initializer())
      if (!inputs.count(init.name()))
        constants[init.name()] = &init;
    for (const auto &n : g.node())
      if (isDefaultDomain(n) && n.op_type() == "Constant" && n.output_size() == 1)
        constantNodes[n.output(0)] = &n;
  }

  /// Expands the main graph's control-flow nodes (see expandControlFlow), or with `opset8Scan` its Scan nodes
  /// with opset 8 semantics (expandOpset8Scans).
  int run(bool resolveRunTime, bool opset8Scan) {
    google::protobuf::RepeatedPtrField<NodeProto> nodes;
    out = &nodes;
    int expanded = 0;
    for (const NodeProto &n : g.node()) {
      bool done = false;
      if (isControlFlow(n) && (!opset8Scan || n.op_type() == "Scan")) {
        current = &n;
        added = 0;
        label = n.name().empty() ? n.op_type() + "(" + (n.output_size() ? n.output(0) : "") + ")" : n.name();
        if (opset8Scan) {
          expandScan8(n);
          done = true;
        } else if (n.op_type() == "If") {
          done = expandIf(n, resolveRunTime);
        } else if (n.op_type() == "Loop") {
          done = expandLoop(n, resolveRunTime);
        } else {
          done = expandScan(n, resolveRunTime);
        }
      }
      if (done)
        ++expanded;
      else
        *nodes.Add() = n;
    }
    if (expanded) {
      g.mutable_node()->Swap(&nodes);
      for (TensorProto &t : newInitializers)
        g.add_initializer()->Swap(&t);
    }
    return expanded;
  }

private:
  [[noreturn]] void refuse(const std::string &message) {
    // Unnamed nodes (common in hand-built models) are named by their first output.
    std::string node = current->name();
    if (node.empty() && current->output_size())
      node = "producing " + current->output(0);
    throw Refusal{{node, current->op_type(), message}};
  }

  std::string fresh(const std::string &base) {
    std::string name = base;
    for (int k = 1; !used.insert(name).second; ++k)
      name = base + "_" + std::to_string(k);
    return name;
  }

  NodeProto &emit(const std::string &op, std::vector<std::string> inputs, std::vector<std::string> outputs,
                  const std::string &what) {
    if (++added > kMaxUnrolledNodes)
      refuse("expanding it needs more than " + std::to_string(kMaxUnrolledNodes) + " nodes");
    NodeProto &n = *out->Add();
    n.set_op_type(op);
    n.set_name(fresh(label + "/" + what));
    for (auto &in : inputs)
      n.add_input(std::move(in));
    for (auto &o : outputs)
      n.add_output(std::move(o));
    return n;
  }

  static void setInt(NodeProto &n, const char *name, int64_t v) {
    AttributeProto *a = n.add_attribute();
    a->set_name(name);
    a->set_type(AttributeProto::INT);
    a->set_i(v);
  }

  /// An int64 (or bool) initializer: a scalar, or a 1-D tensor when `vector` is set.
  std::string constant(int64_t value, bool vector = false, int32_t dataType = TensorProto::INT64) {
    std::string key = std::to_string(dataType) + (vector ? "v" : "s") + std::to_string(value);
    auto it = constantCache.find(key);
    if (it != constantCache.end())
      return it->second;
    TensorProto t;
    t.set_name(fresh(label + "/" + (dataType == TensorProto::BOOL ? (value ? "true" : "false")
                                                                   : "const_" + std::to_string(value))));
    t.set_data_type(dataType);
    if (vector)
      t.add_dims(1);
    if (dataType == TensorProto::BOOL)
      t.add_int32_data(value != 0);
    else
      t.add_int64_data(value);
    std::string name = t.name();
    addConstant(std::move(t));
    return constantCache[key] = name;
  }

  /// Below IR version 4 (the opsets the version converter still has to see) initializers must also be graph
  /// inputs, so there constants become Constant nodes, which the converter and the folder both understand.
  void addConstant(TensorProto t) {
    if (opset >= 9) {
      newInitializers.push_back(std::move(t));
      return;
    }
    NodeProto &n = emit("Constant", {}, {t.name()}, "constant");
    AttributeProto *a = n.add_attribute();
    a->set_name("value");
    a->set_type(AttributeProto::TENSOR);
    t.clear_name();
    *a->mutable_t() = std::move(t);
  }

  std::string gather(const std::string &x, int64_t index, int64_t axis, const std::string &what) {
    std::string result = fresh(label + "/" + what);
    setInt(emit("Gather", {x, constant(index)}, {result}, what), "axis", axis);
    return result;
  }

  std::string unsqueeze(const std::string &x, int64_t axis) {
    std::string result = fresh(x + "/unsqueezed");
    if (opset >= 13) {
      emit("Unsqueeze", {x, constant(axis, /*vector=*/true)}, {result}, "unsqueeze");
    } else {
      NodeProto &n = emit("Unsqueeze", {x}, {result}, "unsqueeze");
      AttributeProto *a = n.add_attribute();
      a->set_name("axes");
      a->set_type(AttributeProto::INTS);
      a->add_ints(axis);
    }
    return result;
  }

  /// The per-iteration values stacked along a new axis `axis` (in reverse iteration order if `reverse`).
  std::string stack(std::vector<std::string> pieces, int64_t axis, bool reverse, const std::string &what) {
    if (reverse)
      std::reverse(pieces.begin(), pieces.end());
    std::vector<std::string> expanded;
    for (const std::string &p : pieces)
      expanded.push_back(unsqueeze(p, axis));
    // A tree of Concats with at most kConcatFanIn inputs each: one Concat of N pieces becomes N insert_slices
    // into one buffer, which one-shot bufferization analyses in time growing faster than N (a 100-step
    // scan output took 7 s to bufferize, 500 steps over 10 minutes); a few extra copies cost far less.
    while (expanded.size() > 1) {
      std::vector<std::string> level;
      for (size_t start = 0; start < expanded.size(); start += kConcatFanIn) {
        size_t end = std::min(expanded.size(), start + kConcatFanIn);
        if (end - start == 1) {
          level.push_back(expanded[start]);
          continue;
        }
        std::string result = fresh(label + "/" + what);
        setInt(emit("Concat", {expanded.begin() + start, expanded.begin() + end}, {result}, what), "axis", axis);
        level.push_back(result);
      }
      expanded = std::move(level);
    }
    return expanded[0];
  }

  void bind(const std::string &value, const std::string &output) {
    if (!output.empty())
      emit("Identity", {value}, {output}, "result");
  }

  /// A main-graph value known at compile time, holding one integer or bool.
  bool scalarConstant(const std::string &name, int64_t &value) {
    if (auto it = constants.find(name); it != constants.end())
      return scalarOf(*it->second, value);
    if (auto it = constantNodes.find(name); it != constantNodes.end())
      return constantNodeScalar(*it->second, value);
    return false;
  }

  const GraphProto &subgraph(const NodeProto &n, const char *name) {
    const AttributeProto *a = findAttr(n, name);
    if (!a || !a->has_g())
      refuse(std::string("has no graph attribute '") + name + "'");
    if (a->g().sparse_initializer_size())
      refuse(std::string("subgraph '") + name + "' has sparse initializers, which are not supported");
    return a->g();
  }

  /// Clones `body` into the main graph with its inputs bound to `bound` (outer value names, in order) and
  /// every other value it defines renamed; returns the outer names of its outputs. The body's initializers
  /// and Constant nodes are the same in every iteration: they are added once per expansion, not per clone
  /// (a weight in a loop body must not be copied once per iteration).
  std::vector<std::string> inlineBody(const GraphProto &body, const std::vector<std::string> &bound,
                                      const std::string &scope) {
    NameMap map;
    for (int i = 0; i < body.input_size(); ++i)
      map[body.input(i).name()] = bound[i];
    for (const auto &init : body.initializer()) {
      if (map.count(init.name()))
        continue; // a default for a body input, which is bound instead
      auto [it, first] = hoisted.try_emplace(&init);
      if (first) {
        it->second = fresh(label + "/" + init.name());
        TensorProto copy = init;
        copy.set_name(it->second);
        addConstant(std::move(copy));
      }
      map[init.name()] = it->second;
    }
    auto invariant = [](const NodeProto &n) {
      return isDefaultDomain(n) && n.op_type() == "Constant" && n.input_size() == 0 && n.output_size() == 1;
    };
    for (const auto &n : body.node())
      if (invariant(n) && hoisted.count(&n))
        map[n.output(0)] = hoisted[&n];
    std::vector<std::string> defined;
    std::unordered_set<std::string> seen;
    collectDefinitions(body, defined, seen);
    for (const std::string &name : defined)
      if (!map.count(name))
        map[name] = fresh(label + "/" + scope + "/" + name);
    for (const auto &n : body.node()) {
      if (invariant(n)) {
        if (hoisted.count(&n))
          continue;
        hoisted[&n] = map[n.output(0)];
      }
      if (++added > kMaxUnrolledNodes)
        refuse("expanding it needs more than " + std::to_string(kMaxUnrolledNodes) + " nodes");
      NodeProto &copy = *out->Add();
      copy = n;
      renameNode(copy, map);
      copy.set_name(fresh(label + "/" + scope + "/" + (n.name().empty() ? n.op_type() : n.name())));
    }
    std::vector<std::string> outputs;
    for (const auto &o : body.output()) {
      auto it = map.find(o.name());
      outputs.push_back(it == map.end() ? o.name() : it->second); // not defined inside: an outer value
    }
    return outputs;
  }

  void checkUnrollSize(int64_t iterations, const GraphProto &body) {
    if (iterations > kMaxUnrolledIterations)
      refuse("unrolling " + std::to_string(iterations) + " iterations exceeds the limit of " +
             std::to_string(kMaxUnrolledIterations));
    if (iterations * countNodes(body) > kMaxUnrolledNodes)
      refuse("unrolling " + std::to_string(iterations) + " iterations of a " + std::to_string(countNodes(body)) +
             "-node body exceeds the limit of " + std::to_string(kMaxUnrolledNodes) + " nodes");
  }

  // ---- If ------------------------------------------------------------------------------------------------

  bool expandIf(const NodeProto &n, bool resolveRunTime) {
    const GraphProto &thenBranch = subgraph(n, "then_branch"), &elseBranch = subgraph(n, "else_branch");
    if (n.input_size() != 1 || thenBranch.output_size() != n.output_size() ||
        elseBranch.output_size() != n.output_size())
      refuse("needs one condition input and branches with one output per node output");
    const std::string &cond = n.input(0);
    int64_t value;
    if (scalarConstant(cond, value)) {
      std::vector<std::string> results = inlineBody(value ? thenBranch : elseBranch, {}, value ? "then" : "else");
      for (int j = 0; j < n.output_size(); ++j)
        bind(results[j], n.output(j));
      return true;
    }
    if (!resolveRunTime)
      return false;

    // A run-time condition: both branches are computed (a known cost: the runtime has no branches) and
    // each output is selected with Where, which needs both branches to agree on its static type.
    const std::string why = "the condition '" + cond + "' is only known at run time, so both branches are "
                            "computed and selected with Where, ";
    if (std::string op = findRandomOp(thenBranch) + findRandomOp(elseBranch); !op.empty())
      refuse(why + "but a branch uses " + op + " (random values differ between evaluations)");
    for (int j = 0; j < n.output_size(); ++j) {
      auto it = valueTypes.find(n.output(j));
      const TypeProto *thenType = thenBranch.output(j).has_type() ? &thenBranch.output(j).type() : nullptr;
      const TypeProto *elseType = elseBranch.output(j).has_type() ? &elseBranch.output(j).type() : nullptr;
      if (thenType && elseType && thenType->has_tensor_type() && elseType->has_tensor_type() &&
          (thenType->tensor_type().elem_type() != elseType->tensor_type().elem_type() ||
           (isStaticTensor(*thenType) && isStaticTensor(*elseType) && dimsText(*thenType) != dimsText(*elseType))))
        refuse(why + "which needs both branches' output " + std::to_string(j) + " to have the same static shape "
               "and element type, but they differ (then_branch: " + typeText(*thenType) + ", else_branch: " +
               typeText(*elseType) + ")");
      if (it != valueTypes.end() && !it->second.has_tensor_type())
        refuse("output " + std::to_string(j) + " ('" + n.output(j) + "') is not a tensor (sequence, map and "
               "optional values are not supported)");
      if (it == valueTypes.end() || !isStaticTensor(it->second))
        refuse(why + "which needs both branches' output " + std::to_string(j) + " ('" + n.output(j) +
               "') to be tensors of the same static shape" +
               (it != valueTypes.end() && it->second.has_tensor_type() ? " (merged shape: " +
                                                                             dimsText(it->second) + ")"
                                                                       : ""));
    }
    // Where broadcasts its condition: a [1] condition would turn scalar outputs into [1].
    std::string scalarCond = cond;
    auto condType = valueTypes.find(cond);
    if (condType == valueTypes.end() || !condType->second.has_tensor_type() ||
        !condType->second.tensor_type().has_shape() || condType->second.tensor_type().shape().dim_size() != 0) {
      TensorProto shape;
      shape.set_name(fresh(label + "/scalar_shape"));
      shape.set_data_type(TensorProto::INT64);
      shape.add_dims(0);
      std::string shapeName = shape.name();
      addConstant(std::move(shape));
      scalarCond = fresh(label + "/cond");
      emit("Reshape", {cond, shapeName}, {scalarCond}, "cond");
    }
    std::vector<std::string> thenResults = inlineBody(thenBranch, {}, "then");
    std::vector<std::string> elseResults = inlineBody(elseBranch, {}, "else");
    for (int j = 0; j < n.output_size(); ++j)
      if (!n.output(j).empty())
        emit("Where", {scalarCond, thenResults[j], elseResults[j]}, {n.output(j)}, "select");
    return true;
  }

  // ---- Scan ----------------------------------------------------------------------------------------------

  std::vector<int64_t> intsAttr(const NodeProto &n, const char *name, size_t count) {
    const AttributeProto *a = findAttr(n, name);
    if (!a)
      return std::vector<int64_t>(count, 0);
    if (size_t(a->ints_size()) != count)
      refuse(std::string("attribute '") + name + "' has " + std::to_string(a->ints_size()) + " entries, expected " +
             std::to_string(count));
    return {a->ints().begin(), a->ints().end()};
  }

  /// Unrolls `length` iterations of a scan body: `states` are the initial state values, `scanInputs` are
  /// sliced along `inAxes` (backwards where `inDirections` is 1). Returns the final states followed by the
  /// stacked scan outputs (along `outAxes`, reversed where `outDirections` is 1).
  std::vector<std::string> unrollScan(const GraphProto &body, std::vector<std::string> states,
                                      const std::vector<std::string> &scanInputs, const std::vector<int64_t> &inAxes,
                                      const std::vector<int64_t> &inDirections, const std::vector<int64_t> &outAxes,
                                      const std::vector<int64_t> &outDirections, int64_t length,
                                      const std::string &scope) {
    size_t numStates = states.size(), numScanOutputs = body.output_size() - numStates;
    std::vector<std::vector<std::string>> pieces(numScanOutputs);
    for (int64_t t = 0; t < length; ++t) {
      std::string iteration = scope + std::to_string(t);
      std::vector<std::string> bound = states;
      for (size_t j = 0; j < scanInputs.size(); ++j)
        bound.push_back(gather(scanInputs[j], inDirections[j] ? length - 1 - t : t, inAxes[j],
                               iteration + "/slice" + std::to_string(j)));
      std::vector<std::string> results = inlineBody(body, bound, iteration);
      std::copy(results.begin(), results.begin() + numStates, states.begin());
      for (size_t k = 0; k < numScanOutputs; ++k)
        pieces[k].push_back(results[numStates + k]);
    }
    std::vector<std::string> results = states;
    for (size_t k = 0; k < numScanOutputs; ++k)
      results.push_back(stack(pieces[k], outAxes[k], outDirections[k] != 0, scope + "scan_output" + std::to_string(k)));
    return results;
  }

  bool expandScan(const NodeProto &n, bool resolveRunTime) {
    const GraphProto &body = subgraph(n, "body");
    const AttributeProto *m = findAttr(n, "num_scan_inputs");
    int64_t numScanInputs = m ? m->i() : -1;
    int64_t numStates = n.input_size() - numScanInputs;
    int64_t numScanOutputs = body.output_size() - numStates;
    if (numScanInputs < 1 || numStates < 0 || body.input_size() != n.input_size() || numScanOutputs < 0 ||
        n.output_size() > body.output_size())
      refuse("inputs, outputs and num_scan_inputs do not match the body's inputs and outputs");
    std::vector<int64_t> inAxes = intsAttr(n, "scan_input_axes", numScanInputs);
    std::vector<int64_t> inDirections = intsAttr(n, "scan_input_directions", numScanInputs);
    std::vector<int64_t> outAxes = intsAttr(n, "scan_output_axes", numScanOutputs);
    std::vector<int64_t> outDirections = intsAttr(n, "scan_output_directions", numScanOutputs);

    int64_t length = -1;
    std::vector<std::string> states(n.input().begin(), n.input().begin() + numStates);
    std::vector<std::string> scanInputs(n.input().begin() + numStates, n.input().end());
    for (size_t j = 0; j < scanInputs.size(); ++j) {
      auto it = valueTypes.find(scanInputs[j]);
      int64_t rank = it == valueTypes.end() || !it->second.has_tensor_type() || !it->second.tensor_type().has_shape()
                         ? -1
                         : it->second.tensor_type().shape().dim_size();
      int64_t axis = inAxes[j] < 0 ? inAxes[j] + rank : inAxes[j];
      bool known = rank >= 0 && axis >= 0 && axis < rank && it->second.tensor_type().shape().dim(axis).has_dim_value();
      if (!known) {
        if (!resolveRunTime)
          return false;
        refuse("scan input '" + scanInputs[j] + "' has no static length along axis " + std::to_string(inAxes[j]) +
               ": the scan length must be known at compile time to unroll it");
      }
      int64_t l = it->second.tensor_type().shape().dim(axis).dim_value();
      if (length >= 0 && l != length)
        refuse("scan inputs have different lengths (" + std::to_string(length) + " and " + std::to_string(l) + ")");
      length = l;
    }
    if (length == 0)
      refuse("the scan length is 0 (empty scan outputs are not supported)");
    checkUnrollSize(length, body);
    std::vector<std::string> results =
        unrollScan(body, states, scanInputs, inAxes, inDirections, outAxes, outDirections, length, "iter");
    for (int j = 0; j < n.output_size(); ++j)
      bind(results[j], n.output(j));
    return true;
  }

  /// Opset 8: input 0 is sequence_lens, then states and scan inputs, all with a leading batch axis; the
  /// scan axis of a scan input is axis 1. Each batch element is scanned on its own and the results stacked.
  void expandScan8(const NodeProto &n) {
    const GraphProto &body = subgraph(n, "body");
    const AttributeProto *m = findAttr(n, "num_scan_inputs");
    int64_t numScanInputs = m ? m->i() : -1;
    int64_t numStates = n.input_size() - 1 - numScanInputs;
    int64_t numScanOutputs = body.output_size() - numStates;
    if (numScanInputs < 1 || numStates < 0 || body.input_size() != n.input_size() - 1 || numScanOutputs < 0 ||
        n.output_size() > body.output_size())
      refuse("inputs, outputs and num_scan_inputs do not match the body's inputs and outputs");
    if (!n.input(0).empty())
      refuse("per-batch sequence lengths (input sequence_lens) are not supported");
    std::vector<int64_t> directions = intsAttr(n, "directions", numScanInputs);
    int64_t batch = -1, length = -1;
    for (int i = 1; i < n.input_size(); ++i) {
      bool scanInput = i > numStates;
      auto it = valueTypes.find(n.input(i));
      if (it == valueTypes.end() || !isStaticTensor(it->second) ||
          it->second.tensor_type().shape().dim_size() < (scanInput ? 2 : 1))
        refuse("input '" + n.input(i) + "' has no static shape with a batch" + (scanInput ? " and a scan" : "") +
               " axis: the batch size and scan length must be known at compile time to unroll it");
      const auto &shape = it->second.tensor_type().shape();
      if (batch >= 0 && shape.dim(0).dim_value() != batch)
        refuse("inputs have different batch sizes");
      batch = shape.dim(0).dim_value();
      if (scanInput) {
        if (length >= 0 && shape.dim(1).dim_value() != length)
          refuse("scan inputs have different lengths");
        length = shape.dim(1).dim_value();
      }
    }
    if (batch == 0 || length == 0)
      refuse("an empty batch or scan length is not supported");
    if (batch > kMaxUnrolledIterations)
      refuse("batch size " + std::to_string(batch) + " exceeds the unroll limit of " +
             std::to_string(kMaxUnrolledIterations));
    checkUnrollSize(batch * length, body);
    std::vector<int64_t> zeros(std::max(numScanInputs, numScanOutputs), 0);
    std::vector<std::vector<std::string>> perBatch(body.output_size());
    for (int64_t b = 0; b < batch; ++b) {
      std::string scope = "batch" + std::to_string(b);
      std::vector<std::string> states, scanInputs;
      for (int i = 1; i < n.input_size(); ++i)
        (i <= numStates ? states : scanInputs)
            .push_back(gather(n.input(i), b, 0, scope + "/input" + std::to_string(i)));
      std::vector<std::string> results = unrollScan(body, states, scanInputs, zeros, directions, zeros, zeros,
                                                    length, scope + "/iter");
      for (size_t k = 0; k < results.size(); ++k)
        perBatch[k].push_back(results[k]);
    }
    for (int j = 0; j < n.output_size(); ++j)
      if (!n.output(j).empty())
        bind(stack(perBatch[j], 0, false, "output" + std::to_string(j)), n.output(j));
  }

  // ---- Loop ----------------------------------------------------------------------------------------------

  /// The length every named scan output of Loop `n` is declared (or was inferred) with, or -1 when one has
  /// no fixed length or they differ or there are none.
  int64_t declaredScanLength(const NodeProto &n, int64_t numCarried) {
    int64_t length = -1;
    for (int j = numCarried; j < n.output_size(); ++j) {
      if (n.output(j).empty())
        continue;
      auto it = valueTypes.find(n.output(j));
      if (it == valueTypes.end() || !it->second.has_tensor_type() || !it->second.tensor_type().has_shape() ||
          it->second.tensor_type().shape().dim_size() == 0 || !it->second.tensor_type().shape().dim(0).has_dim_value())
        return -1;
      int64_t d = it->second.tensor_type().shape().dim(0).dim_value();
      if (d <= 0 || (length >= 0 && d != length))
        return -1;
      length = d;
    }
    return length;
  }

  /// Whether the body's condition output is true whenever its condition input is: the input passed through
  /// (Identity chains) or a constant true.
  bool bodyKeepsGoing(const GraphProto &body) {
    std::unordered_map<std::string, const NodeProto *> producers;
    for (const auto &node : body.node())
      for (const auto &o : node.output())
        producers[o] = &node;
    std::string name = body.output(0).name();
    for (int steps = 0; steps <= body.node_size(); ++steps) {
      if (name == body.input(1).name())
        return true;
      int64_t value;
      for (const auto &init : body.initializer())
        if (init.name() == name)
          return scalarOf(init, value) && value;
      auto p = producers.find(name);
      if (p == producers.end())
        return scalarConstant(name, value) && value; // an outer value
      const NodeProto &producer = *p->second;
      if (producer.op_type() == "Constant")
        return constantNodeScalar(producer, value) && value;
      if (producer.op_type() != "Identity" || producer.input_size() != 1)
        return false;
      name = producer.input(0);
    }
    return false;
  }

  bool expandLoop(const NodeProto &n, bool resolveRunTime) {
    const GraphProto &body = subgraph(n, "body");
    int64_t numCarried = n.input_size() - 2;
    int64_t numScanOutputs = body.output_size() - 1 - numCarried;
    if (numCarried < 0 || body.input_size() != numCarried + 2 || numScanOutputs < 0 ||
        n.output_size() > numCarried + numScanOutputs)
      refuse("inputs and outputs do not match the body's inputs and outputs");
    const std::string &tripCount = n.input(0), &cond = n.input(1);
    if (tripCount.empty())
      refuse("the loop has no trip count M (a while loop): its trip count is only known at run time; Sinter "
             "unrolls loops and needs a constant trip count");
    int64_t trips = 0, keepGoing = 1;
    bool runTimeTrips = !scalarConstant(tripCount, trips);
    bool runTimeCond = !cond.empty() && !scalarConstant(cond, keepGoing);
    if ((runTimeTrips || runTimeCond) && !resolveRunTime)
      return false;
    int64_t iterations = keepGoing ? std::max<int64_t>(trips, 0) : 0;
    std::string runTimeCheck; // the Loop's name for the check's message, when there is one
    if (runTimeTrips || runTimeCond) {
      // The trip count is only known at run time. Scan outputs that the model declares with a fixed length
      // (directly, or pinned by a declared graph output: OnnxModelLoader) fix the iteration count; the loop is
      // unrolled that many times and a run-time check compares it with the actual trip count.
      std::string why = runTimeTrips ? "the trip count M ('" + tripCount + "') is only known at run time"
                                     : "the loop condition ('" + cond + "') is only known at run time";
      int64_t declared = declaredScanLength(n, numCarried);
      if (declared < 0)
        refuse(why + "; Sinter unrolls loops and needs a constant trip count, or scan outputs declared with a "
                     "fixed length");
      iterations = declared;
      runTimeCheck = n.name().empty() ? "producing " + n.output(0) : n.name();
    }
    if (iterations > 0 && !bodyKeepsGoing(body))
      refuse("the body computes its condition output '" + body.output(0).name() + "' (an early exit makes the "
             "trip count data-dependent); only a constant-true condition or the incoming one passed through is "
             "supported");
    if (iterations == 0 && numScanOutputs > 0)
      refuse("the loop runs 0 times and has scan outputs (empty tensors), which are not supported");
    if (!runTimeCheck.empty()) {
      // holds = cond && M == iterations (the body passes its condition through, so cond decides 0 or M).
      std::string holds;
      if (runTimeTrips) {
        holds = fresh(label + "/trips_match");
        emit("Equal", {tripCount, constant(iterations)}, {holds}, "trips_match");
      } else {
        holds = constant(trips == iterations, false, TensorProto::BOOL);
      }
      if (runTimeCond) {
        std::string both = fresh(label + "/keeps_going");
        emit("And", {cond, holds}, {both}, "keeps_going");
        holds = both;
      }
      NodeProto &check = emit("RuntimeCheck", {holds}, {}, "check");
      check.set_domain(kSinterDomain);
      onnx::AttributeProto &message = *check.add_attribute();
      message.set_name("message");
      message.set_type(onnx::AttributeProto::STRING);
      message.set_s("node '" + runTimeCheck + "' (Loop): the trip count at run time (M, or 0 when the condition "
                    "is false) differs from the " + std::to_string(iterations) +
                    " iterations that its scan outputs' declared length fixed");
    }
    checkUnrollSize(iterations, body);

    std::vector<std::string> carried(n.input().begin() + 2, n.input().end());
    std::vector<std::vector<std::string>> pieces(numScanOutputs);
    for (int64_t t = 0; t < iterations; ++t) {
      std::vector<std::string> bound = {constant(t), constant(1, false, TensorProto::BOOL)};
      bound.insert(bound.end(), carried.begin(), carried.end());
      std::vector<std::string> results = inlineBody(body, bound, "iter" + std::to_string(t));
      std::copy(results.begin() + 1, results.begin() + 1 + numCarried, carried.begin());
      for (int64_t k = 0; k < numScanOutputs; ++k)
        pieces[k].push_back(results[1 + numCarried + k]);
    }
    for (int j = 0; j < n.output_size(); ++j) {
      if (j < numCarried)
        bind(carried[j], n.output(j));
      else if (!n.output(j).empty())
        bind(stack(pieces[j - numCarried], 0, false, "scan_output" + std::to_string(j - numCarried)), n.output(j));
    }
    return true;
  }

  GraphProto &g;
  int64_t opset;
  std::unordered_set<std::string> used;
  std::unordered_map<std::string, TypeProto> valueTypes;
  std::unordered_map<std::string, const TensorProto *> constants;
  std::unordered_map<std::string, const NodeProto *> constantNodes;
  std::unordered_map<std::string, std::string> constantCache;
  std::unordered_map<const void *, std::string> hoisted; // body initializer / Constant node -> its one copy
  std::vector<TensorProto> newInitializers;
  google::protobuf::RepeatedPtrField<NodeProto> *out = nullptr;
  const NodeProto *current = nullptr;
  std::string label;
  int64_t added = 0;
};

int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      return o.version();
  return -1;
}

int guarded(LoadError &error, const std::function<int()> &fn) {
  try {
    return fn();
  } catch (const Refusal &r) {
    error = r.error;
  } catch (const std::exception &e) {
    error = {"", "", std::string("expanding control flow failed: ") + e.what()};
  }
  return -1;
}

} // namespace

int expandControlFlow(onnx::ModelProto &model, bool resolveRunTime, LoadError &error) {
  if (std::none_of(model.graph().node().begin(), model.graph().node().end(), isControlFlow))
    return 0; // the common case, every round: skip indexing the graph
  int expanded = guarded(error, [&] {
    Expander expander(model, defaultOpset(model), model.graph());
    return expander.run(resolveRunTime, /*opset8Scan=*/false);
  });
  // The RuntimeCheck nodes a run-time trip count adds need their domain imported (checker, inference).
  bool checks = std::any_of(model.graph().node().begin(), model.graph().node().end(),
                            [](const NodeProto &n) { return n.domain() == kSinterDomain; });
  bool imported = std::any_of(model.opset_import().begin(), model.opset_import().end(),
                              [](const onnx::OperatorSetIdProto &o) { return o.domain() == kSinterDomain; });
  if (checks && !imported) {
    onnx::OperatorSetIdProto &o = *model.add_opset_import();
    o.set_domain(kSinterDomain);
    o.set_version(1);
  }
  return expanded;
}

int expandOpset8Scans(onnx::ModelProto &model, LoadError &error) {
  return guarded(error, [&] {
    bool any = false;
    std::function<void(const GraphProto &, bool)> scan = [&](const GraphProto &g, bool nested) {
      for (const auto &n : g.node()) {
        if (isDefaultDomain(n) && n.op_type() == "Scan") {
          if (nested)
            throw Refusal{{n.name(), n.op_type(), "an opset 8 Scan inside a subgraph is not supported"}};
          any = true;
        }
        forEachSubgraph(n, [&](const GraphProto &sub) { scan(sub, true); });
      }
    };
    scan(model.graph(), false);
    if (!any)
      return 0;
    // The batch and scan lengths come from shape inference at the model's own opset (on a copy: the
    // converter and the later rounds work from the unannotated model).
    onnx::ModelProto typed = model;
    onnx::shape_inference::InferShapes(typed, onnx::OpSchemaRegistry::Instance());
    Expander expander(model, defaultOpset(model), typed.graph());
    return expander.run(/*resolveRunTime=*/true, /*opset8Scan=*/true);
  });
}

} // namespace sinter::onnx_frontend

//===- OnnxModelLoader.cpp - read, check, upgrade and shape-infer an ONNX model -------------------------===//
#include "frontends/onnx/OnnxModelLoader.h"
#include "frontends/onnx/OnnxConstantFolding.h"
#include "frontends/onnx/OnnxContribSchemas.h"
#include "frontends/onnx/OnnxControlFlow.h"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace sinter::onnx_frontend {
namespace {

struct Failure {
  LoadError error;
};

[[noreturn]] void fail(std::string message, std::string node = "", std::string opType = "") {
  throw Failure{{std::move(node), std::move(opType), std::move(message)}};
}

/// The ONNX library puts the node into its messages in two spellings: the checker appends
/// "==> Context: Bad node spec for node. Name: mm0 OpType: MatMul", shape inference prefixes
/// "(op_type:MatMul, node name: mm0): ". Turn either into a LoadError with the node split out.
LoadError fromOnnxMessage(const std::string &what) {
  LoadError e;
  std::smatch m;
  static const std::regex checkerNode(R"(\s*[Nn]ame: ?(\S*) OpType: ?(\S+)\s*)");
  static const std::regex inferencePrefix(R"(\(op_type:([^,]+), node name: ?([^)]*)\): ?)");
  static const std::regex unsortedInput(R"(however input '([^']*)' of node)");
  std::string message = what;
  // The checker's "==> Context: ..." tail only repeats the node.
  if (size_t context = message.find("==> Context:"); context != std::string::npos) {
    std::string tail = message.substr(context);
    message.erase(context);
    if (std::regex_search(tail, m, checkerNode)) {
      e.node = m[1];
      e.opType = m[2];
    }
  }
  if (std::regex_search(message, m, checkerNode)) {
    e.node = m[1];
    e.opType = m[2];
    message = std::string(m.prefix()) + " " + std::string(m.suffix());
  } else if (std::regex_search(message, m, inferencePrefix)) {
    e.opType = m[1];
    e.node = m[2];
    message = std::string(m.suffix());
  }
  if (std::regex_search(message, m, unsortedInput))
    message = "input '" + std::string(m[1]) +
              "' is not produced by any earlier node, initializer or graph input";
  // Drop the library's category tags ("[ShapeInferenceError] ") and fold the text onto one line.
  message = std::regex_replace(message, std::regex(R"(\[\w+Error\] ?)"), "");
  message = std::regex_replace(message, std::regex(R"(\s+)"), " ");
  while (!message.empty() && message.back() == ' ')
    message.pop_back();
  while (!message.empty() && message.front() == ' ')
    message.erase(0, 1);
  e.message = message;
  return e;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail("cannot open the file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// ONNX 1.12 has no C++ external-data loader, and the version converter drops external data, so weights
/// stored beside the model are read into raw_data before anything else touches the model.
void loadExternalData(onnx::TensorProto &tensor, const std::string &baseDir) {
  if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
    return;
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::stoll(entry.value());
    else if (entry.key() == "length")
      length = std::stoll(entry.value());
  }
  const std::string what = "initializer '" + tensor.name() + "'";
  if (location.empty())
    fail(what + " has external data without a location");
  if (location.front() == '/' || location.find("..") != std::string::npos)
    fail(what + ": external data location '" + location + "' must be a relative path inside the model's folder");
  std::ifstream in(baseDir + "/" + location, std::ios::binary | std::ios::ate);
  if (!in)
    fail(what + ": cannot open external data file '" + location + "'");
  int64_t fileSize = static_cast<int64_t>(in.tellg());
  if (length < 0)
    length = fileSize - offset;
  if (offset < 0 || offset + length > fileSize)
    fail(what + ": external data range [" + std::to_string(offset) + ", " + std::to_string(offset + length) +
         ") is outside '" + location + "' (" + std::to_string(fileSize) + " bytes)");
  std::string data(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(data.data(), length);
  tensor.set_raw_data(std::move(data));
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto::DEFAULT);
}

int64_t defaultDomainOpset(const onnx::ModelProto &model) {
  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      return opset.version();
  return -1;
}

std::string shapeText(const std::vector<int64_t> &dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "x" : "") + std::to_string(dims[i]);
  return s.empty() ? "(scalar)" : s;
}

void bindInputShapes(onnx::GraphProto &graph, const std::vector<ShapeBinding> &bindings) {
  for (const ShapeBinding &b : bindings) {
    onnx::ValueInfoProto *input = nullptr;
    std::string names;
    for (auto &in : *graph.mutable_input()) {
      names += (names.empty() ? "" : ", ") + in.name();
      if (in.name() == b.input)
        input = &in;
    }
    if (!input)
      fail("--input-shape names '" + b.input + "', which is not a graph input (inputs: " + names + ")");
    if (!input->type().has_tensor_type())
      fail("--input-shape: input '" + b.input + "' is not a tensor");
    auto *shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != 0 && shape->dim_size() != static_cast<int>(b.dims.size()))
      fail("--input-shape " + b.input + "=" + shapeText(b.dims) + " has rank " + std::to_string(b.dims.size()) +
           " but the input has rank " + std::to_string(shape->dim_size()));
    for (size_t i = 0; i < b.dims.size(); ++i) {
      if (static_cast<int>(i) < shape->dim_size() && shape->dim(i).has_dim_value() &&
          shape->dim(i).dim_value() != b.dims[i])
        fail("--input-shape " + b.input + "=" + shapeText(b.dims) + " contradicts the model's fixed dimension " +
             std::to_string(i) + " = " + std::to_string(shape->dim(i).dim_value()));
    }
    shape->clear_dim();
    for (int64_t d : b.dims)
      shape->add_dim()->set_dim_value(d);
  }
}

/// Before opset 7, PRelu's slope was per channel: a [C] slope scaled axis 1 of an [N, C, ...] input. Opset 7
/// made it broadcast from the right, which puts [C] on the last axis, and the version converter leaves the
/// node as it is; so give such a slope its trailing unit axes first (an opset-6 Unsqueeze, converted with the
/// rest). Needs the shapes that lenient inference put into value_info.
void keepPReluSlopesPerChannel(onnx::ModelProto &model) {
  onnx::GraphProto &graph = *model.mutable_graph();
  std::map<std::string, std::vector<int64_t>> shapes;
  auto record = [&](const std::string &name, const onnx::TypeProto &type) {
    if (!type.has_tensor_type() || !type.tensor_type().has_shape())
      return;
    std::vector<int64_t> dims;
    for (const auto &d : type.tensor_type().shape().dim())
      dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    shapes[name] = dims;
  };
  for (const auto *list : {&graph.input(), &graph.value_info()})
    for (const auto &vi : *list)
      record(vi.name(), vi.type());
  for (const auto &init : graph.initializer())
    shapes[init.name()] = std::vector<int64_t>(init.dims().begin(), init.dims().end());
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  int added = 0;
  for (auto &node : *graph.mutable_node()) {
    auto x = node.input_size() == 2 ? shapes.find(node.input(0)) : shapes.end();
    auto slope = node.input_size() == 2 ? shapes.find(node.input(1)) : shapes.end();
    if (node.op_type() == "PRelu" && (node.domain().empty() || node.domain() == "ai.onnx") && x != shapes.end() &&
        slope != shapes.end() && x->second.size() >= 3 && slope->second.size() == 1 && slope->second[0] > 1 &&
        slope->second[0] == x->second[1]) {
      onnx::NodeProto &unsqueeze = *nodes.Add();
      std::string name = node.input(1) + "/per_channel_" + std::to_string(added++);
      unsqueeze.set_op_type("Unsqueeze");
      unsqueeze.set_name(name);
      unsqueeze.add_input(node.input(1));
      unsqueeze.add_output(name);
      onnx::AttributeProto &axes = *unsqueeze.add_attribute();
      axes.set_name("axes");
      axes.set_type(onnx::AttributeProto::INTS);
      for (size_t a = 1; a + 1 < x->second.size(); ++a)
        axes.add_ints(static_cast<int64_t>(a));
      node.set_input(1, name);
    }
    *nodes.Add() = node;
  }
  if (added)
    graph.mutable_node()->Swap(&nodes);
}

void requireStaticInputs(const onnx::GraphProto &graph) {
  std::map<std::string, bool> initializers;
  for (const auto &init : graph.initializer())
    initializers[init.name()] = true;
  for (const auto &in : graph.input()) {
    if (initializers.count(in.name()) || !in.type().has_tensor_type())
      continue;
    const auto &tensorType = in.type().tensor_type();
    if (!tensorType.has_shape())
      fail("input '" + in.name() + "' has no shape; bind it with --input-shape " + in.name() + "=DIMxDIM...");
    for (int i = 0; i < tensorType.shape().dim_size(); ++i) {
      const auto &dim = tensorType.shape().dim(i);
      if (dim.has_dim_value() && dim.dim_value() >= 0)
        continue;
      std::string symbol = dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : "";
      fail("input '" + in.name() + "' dimension " + std::to_string(i) + symbol +
           " is dynamic; bind it with --input-shape " + in.name() + "=DIMxDIM...");
    }
  }
}

/// Range and Loop results whose length only the run time knows get a symbolic dim from shape inference
/// ("unk__N"), which elementwise ops carry on to the graph outputs. Where a graph output is declared with a
/// fixed extent in that place, the model says what the length is: bind the symbol to it everywhere, so the
/// result compiles to a static shape. The lowerings check the actual length at run time (Range:
/// IndexingToLinalg; Loop: OnnxControlFlow), so inputs that disagree fail the run instead of computing
/// something else. Returns the number of intermediate dims it made static.
int pinSymbolicDimsToDeclaredOutputs(onnx::ModelProto &model, const onnx::ShapeInferenceOptions &options) {
  onnx::GraphProto &graph = *model.mutable_graph();
  auto isRangeOrLoop = [](const onnx::NodeProto &node) {
    return (node.domain().empty() || node.domain() == "ai.onnx") && (node.op_type() == "Range" || node.op_type() == "Loop");
  };
  if (std::none_of(graph.node().begin(), graph.node().end(), isRangeOrLoop))
    return 0;
  // Infer the outputs' own shapes: without their declarations, which inference would merge in.
  std::vector<onnx::TypeProto> declared;
  bool anyFixed = false;
  for (auto &out : *graph.mutable_output()) {
    declared.push_back(out.type());
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) {
      for (const auto &d : out.type().tensor_type().shape().dim())
        anyFixed |= d.has_dim_value();
      out.mutable_type()->mutable_tensor_type()->clear_shape();
    }
  }
  auto restoreOutputs = [&] {
    for (int i = 0; i < graph.output_size(); ++i)
      *graph.mutable_output(i)->mutable_type() = declared[i];
  };
  try {
    if (anyFixed)
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &) {
    restoreOutputs(); // the caller's own inference round reports what is wrong with the model
    return 0;
  }
  // The symbols Range and Loop results carry: the only ones bound (NonZero and its kind are bounded instead).
  std::map<std::string, onnx::TypeProto> types;
  for (const auto *list : {&graph.value_info(), &graph.output()})
    for (const auto &vi : *list)
      types[vi.name()] = vi.type();
  std::set<std::string> runTimeLengths;
  for (const auto &node : graph.node()) {
    if (!isRangeOrLoop(node))
      continue;
    for (const auto &o : node.output())
      if (auto it = types.find(o); it != types.end() && it->second.tensor_type().has_shape())
        for (const auto &d : it->second.tensor_type().shape().dim())
          if (d.has_dim_param())
            runTimeLengths.insert(d.dim_param());
  }
  std::map<std::string, int64_t> bound;
  std::set<std::string> conflicting;
  for (int i = 0; i < graph.output_size(); ++i) {
    const onnx::TypeProto &inferred = graph.output(i).type();
    if (!anyFixed || !inferred.has_tensor_type() || !inferred.tensor_type().has_shape() ||
        !declared[i].has_tensor_type() || !declared[i].tensor_type().has_shape())
      continue;
    const auto &from = inferred.tensor_type().shape(), &to = declared[i].tensor_type().shape();
    for (int d = 0; d < std::min(from.dim_size(), to.dim_size()); ++d) {
      if (!from.dim(d).has_dim_param() || !to.dim(d).has_dim_value() || !runTimeLengths.count(from.dim(d).dim_param()))
        continue;
      auto [it, inserted] = bound.emplace(from.dim(d).dim_param(), to.dim(d).dim_value());
      if (!inserted && it->second != to.dim(d).dim_value())
        conflicting.insert(it->first);
    }
  }
  restoreOutputs();
  for (const std::string &symbol : conflicting)
    bound.erase(symbol);
  int pinned = 0;
  for (auto &vi : *graph.mutable_value_info()) {
    if (!vi.type().has_tensor_type())
      continue;
    for (auto &d : *vi.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim())
      if (auto it = d.has_dim_param() ? bound.find(d.dim_param()) : bound.end(); it != bound.end()) {
        d.set_dim_value(it->second);
        ++pinned;
      }
  }
  return pinned;
}

void inferShapes(onnx::ModelProto &model) {
  // Strict mode: a node whose input shapes contradict its operator is an error, not a skipped node. Data
  // propagation stays off (it crashes on Shape nodes with untyped inputs in ONNX 1.12); the constant folder
  // does that job instead, and each round of folding makes more shapes inferable. Control flow is expanded
  // in the same loop: an If condition or Loop trip count may only become a constant after folding, so the
  // run-time cases (both If branches + Where, or a refusal) wait until folding has nothing left to do.
  const onnx::ShapeInferenceOptions options(/*check_type=*/true, /*strict_mode=*/1, /*data_prop=*/false);
  LoadError error;
  for (int round = 0; round < 64; ++round) {
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
    int folded = foldShapeConstants(model);
    int expanded = expandControlFlow(model, /*resolveRunTime=*/false, error);
    if (expanded == 0 && folded == 0 && pinSymbolicDimsToDeclaredOutputs(model, options) > 0)
      continue;
    if (expanded == 0 && folded == 0)
      expanded = expandControlFlow(model, /*resolveRunTime=*/true, error);
    if (expanded < 0)
      throw Failure{error};
    if (expanded == 0 && folded == 0)
      return;
  }
}

} // namespace

bool isTrainingOptimizer(const std::string &domain, const std::string &opType) {
  return domain == kTrainingDomain && (opType == "Adagrad" || opType == "Adam" || opType == "Momentum");
}

bool parseShapeBinding(const std::string &text, ShapeBinding &binding, std::string &reason) {
  size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    reason = "expected NAME=DIMxDIM..., got '" + text + "'";
    return false;
  }
  binding.input = text.substr(0, eq);
  binding.dims.clear();
  std::string dims = text.substr(eq + 1);
  size_t pos = 0;
  while (pos < dims.size()) {
    size_t x = dims.find('x', pos);
    std::string part = dims.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) {
      reason = "dimension '" + part + "' in '" + text + "' is not a non-negative integer";
      return false;
    }
    binding.dims.push_back(std::stoll(part));
    if (x == std::string::npos)
      break;
    pos = x + 1;
    if (pos == dims.size()) {
      reason = "'" + text + "' ends with 'x'";
      return false;
    }
  }
  return true;
}

bool loadOnnxModel(const std::string &path, const LoadOptions &options, onnx::ModelProto &model,
                   LoadError &error) {
  try {
    std::string bytes = readFile(path);
    if (bytes.empty())
      fail("the file is empty");
    if (!model.ParseFromString(bytes))
      fail("not an ONNX model: protobuf parsing failed (truncated or corrupt file)");
    if (!model.has_graph())
      fail("not an ONNX model: no graph");
    int64_t opset = defaultDomainOpset(model);
    if (opset < 0) {
      // A model of optimizer nodes alone (ONNX's own optimizer tests) needs no default opset and no conversion.
      const auto &nodes = model.graph().node();
      bool usesDefaultDomain = std::any_of(nodes.begin(), nodes.end(), [](const onnx::NodeProto &node) {
        return node.domain().empty() || node.domain() == "ai.onnx";
      });
      if (usesDefaultDomain || model.graph().node_size() == 0)
        fail("the model imports no default-domain (ai.onnx) opset");
      opset = kTargetOpset;
    }
    if (opset > kTargetOpset)
      fail("the model uses ONNX opset " + std::to_string(opset) + "; Sinter supports opsets 1 to " +
           std::to_string(kTargetOpset) + " (the ONNX library it is built with knows no newer operator versions)");

    // Non-default domains: the contrib ops Sinter imports get ONNX schemas (so the checker verifies them and
    // shape inference types their outputs); any other is refused here, before it can confuse either.
    registerContribSchemas();
    for (const auto &node : model.graph().node()) {
      if (node.domain().empty() || node.domain() == "ai.onnx" || isSupportedContribOp(node.domain(), node.op_type()) ||
          isTrainingOptimizer(node.domain(), node.op_type()))
        continue;
      std::string which = node.domain() == kMicrosoftDomain ? " (of com.microsoft, Sinter imports MatMulNBits only)"
                          : node.domain() == kTrainingDomain
                              ? " (of ai.onnx.preview.training, Sinter imports the optimizers Adagrad, Adam and "
                                "Momentum only)"
                              : "";
      fail("operators of domain '" + node.domain() + "' are not supported" + which, node.name(), node.op_type());
    }

    std::string baseDir = directoryOf(path);
    for (auto &init : *model.mutable_graph()->mutable_initializer())
      loadExternalData(init, baseDir);
    for (auto &node : *model.mutable_graph()->mutable_node())
      for (auto &attr : *node.mutable_attribute())
        if (attr.has_t())
          loadExternalData(*attr.mutable_t(), baseDir);

    bindInputShapes(*model.mutable_graph(), options.inputShapes);
    onnx::checker::check_model(model);
    // Before conversion: the converter's Scan 8 -> 9 adapter would drop the batch axis from the graph's inputs.
    // Unrolling needs the batch size and scan length, so static inputs are required first.
    if (opset < 9) {
      requireStaticInputs(model.graph());
      if (LoadError scanError; expandOpset8Scans(model, scanError) < 0)
        throw Failure{scanError};
    }
    if (opset != kTargetOpset) {
      try {
        // The converter's broadcasting adapters (opset 6 -> 7 Add, Gemm, Softmax's 12 -> 13) read the shapes
        // of intermediate values: infer them first (leniently: the converter is what reports bad models).
        onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance());
        if (opset < 7)
          keepPReluSlopesPerChannel(model);
        model = onnx::version_conversion::ConvertVersion(model, static_cast<int>(kTargetOpset));
        // The converter keeps the IR version; below IR 4 shape inference ignores initializers that are not
        // graph inputs, which is what constant folding makes of Constant nodes (e.g. the axes input that
        // ReduceSum's 12 -> 13 adapter adds). Opset 17 belongs to IR 8.
        if (model.ir_version() < 8)
          model.set_ir_version(8);
      } catch (const std::exception &e) {
        LoadError le = fromOnnxMessage(e.what());
        fail("cannot convert the model from opset " + std::to_string(opset) + " to " +
                 std::to_string(kTargetOpset) + ": " + le.message,
             le.node, le.opType);
      }
    }
    requireStaticInputs(model.graph());
    inferShapes(model);
    return true;
  } catch (const Failure &f) {
    error = f.error;
  } catch (const std::exception &e) {
    error = fromOnnxMessage(e.what());
  } catch (...) {
    error = {"", "", "the ONNX library failed with an unknown exception"};
  }
  return false;
}

} // namespace sinter::onnx_frontend

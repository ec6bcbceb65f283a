//===- OnnxImporter.cpp - ONNX model -> graph dialect ---------------------------------------------------===//
//
// Walks the (checked, upgraded, shape-inferred) ONNX graph in its topological order and creates one graph
// dialect op per node. Operand and result layout comes from the operator's ONNX schema: absent optional
// inputs/outputs become `none` values, variadic ones take the rest. Initializers and Constant nodes become
// graph.constant; weights larger than kInlineElements go into dense_resource blobs.
//
//===----------------------------------------------------------------------------------------------------===//
#include "frontends/onnx/OnnxImporter.h"
#include "frontends/onnx/OnnxContribSchemas.h"
#include "frontends/onnx/OnnxMatMulNBits.h"
#include "frontends/onnx/OnnxTensor.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphTypes.h"
#include "dialects/sinter/SinterDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"

#include "onnx/defs/schema.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;

namespace sinter::onnx_frontend {
namespace {

/// Constants with more elements than this are stored as dense_resource blobs (never printed as text).
constexpr int64_t kInlineElements = 64;

/// Why ops the dialect leaves out are unsupported, for the error message.
const char *unsupportedReason(const std::string &opType) {
  // The loader expands or refuses every If / Loop / Scan of the main graph (OnnxControlFlow); one that is
  // still here was left by its round limit.
  if (opType == "If" || opType == "Loop" || opType == "Scan")
    return "control flow that the loader left unexpanded (its round limit was reached)";
  if (opType.rfind("Sequence", 0) == 0 || opType.rfind("Optional", 0) == 0 || opType == "SplitToSequence" ||
      opType == "ConcatFromSequence")
    return "sequence and optional values are not supported";
  if (opType == "StringNormalizer")
    return "string tensors are not supported";
  return "no such operator in ONNX opset 17";
}

class Importer {
public:
  Importer(MLIRContext &ctx, const std::string &path) : ctx(ctx), builder(&ctx), path(path) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  Location fileLoc() { return FileLineColLoc::get(&ctx, path, 0, 0); }
  Location nodeLoc(const onnx::NodeProto &node, int index) {
    std::string name = node.name().empty() ? "#" + std::to_string(index) : node.name();
    return NameLoc::get(StringAttr::get(&ctx, name), fileLoc());
  }
  /// Errors about one node start with "(OpType): " so every message names the op type.
  InFlightDiagnostic nodeError(Location loc, const onnx::NodeProto &node) {
    InFlightDiagnostic d = emitError(loc);
    d << "(" << node.op_type() << "): ";
    return d;
  }

  Type importType(const onnx::TypeProto &type, std::string &reason);
  ElementsAttr importTensor(const onnx::TensorProto &tensor, std::string &reason);
  LogicalResult importValueTypes(const onnx::GraphProto &graph);
  LogicalResult importConstantNode(const onnx::NodeProto &node, Location loc);
  LogicalResult importNode(const onnx::NodeProto &node, Location loc);
  LogicalResult importMatMulNBits(const onnx::NodeProto &node, Location loc);
  LogicalResult importRuntimeCheck(const onnx::NodeProto &node, Location loc);
  /// The bytes of initializer `name` (input `index` of `node`, called `what`), checked to be `dataType`.
  LogicalResult initializerBytes(const onnx::NodeProto &node, Location loc, int index, const char *what,
                                 std::vector<int32_t> dataTypes, std::vector<char> &bytes, int32_t &dataType);
  /// A constant of `type` holding `bytes`, placed with the other constants.
  Value blobConstant(Location loc, RankedTensorType type, const std::string &name, ArrayRef<char> bytes);
  std::optional<NamedAttribute> importAttribute(const onnx::AttributeProto &attr, std::string &reason);

  MLIRContext &ctx;
  OpBuilder builder;
  std::string path;
  /// The SSA value of an ONNX value name; initializers become constants on first use (so the ones that
  /// constant folding left unused never appear), placed together at the top of the function.
  Value lookup(const std::string &name);

  llvm::StringMap<Value> values;                               // ONNX value name -> SSA value
  llvm::StringMap<Type> valueTypes;                            // ONNX value name -> inferred type
  llvm::StringMap<const onnx::TensorProto *> initializers;     // not yet materialized
  Value noneValue;
  Operation *lastConstant = nullptr;
};

Type Importer::importType(const onnx::TypeProto &type, std::string &reason) {
  if (!type.has_tensor_type()) {
    reason = "only tensor values are supported (sequences, maps and optionals are not)";
    return nullptr;
  }
  const auto &tt = type.tensor_type();
  Type element = graph::elementTypeForOnnx(&ctx, tt.elem_type());
  if (!element) {
    reason = std::string("element type ") + graph::onnxDataTypeName(tt.elem_type()) + " is not supported";
    return nullptr;
  }
  if (!tt.has_shape())
    return UnrankedTensorType::get(element);
  SmallVector<int64_t> dims;
  for (const auto &d : tt.shape().dim())
    dims.push_back(d.has_dim_value() ? d.dim_value() : ShapedType::kDynamic);
  return RankedTensorType::get(dims, element);
}

ElementsAttr Importer::importTensor(const onnx::TensorProto &t, std::string &reason) {
  Type element = graph::elementTypeForOnnx(&ctx, t.data_type());
  std::vector<char> bytes;
  if (!element || !onnxTensorBytes(t, bytes, reason)) {
    if (!element)
      reason = std::string("element type ") + graph::onnxDataTypeName(t.data_type()) + " is not supported";
    return nullptr;
  }
  SmallVector<int64_t> dims(t.dims().begin(), t.dims().end());
  int64_t count = 1;
  for (int64_t d : dims)
    count *= d;
  auto type = RankedTensorType::get(dims, element);

  if (element.isInteger(1)) {
    SmallVector<bool> flags(bytes.begin(), bytes.end());
    return DenseElementsAttr::get(type, ArrayRef<bool>(flags));
  }
  if (count <= kInlineElements)
    return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes));
  std::string blobName = t.name().empty() ? "constant" : t.name();
  return DenseResourceElementsAttr::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(bytes), alignof(double)));
}

LogicalResult Importer::importValueTypes(const onnx::GraphProto &graph) {
  auto record = [&](const onnx::ValueInfoProto &info) -> LogicalResult {
    if (!info.has_type())
      return success();
    std::string reason;
    Type type = importType(info.type(), reason);
    if (!type)
      return emitError(fileLoc()) << "value '" << info.name() << "': " << reason;
    valueTypes[info.name()] = type;
    return success();
  };
  for (const auto &list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto &info : *list)
      if (failed(record(info)))
        return failure();
  return success();
}

std::optional<NamedAttribute> Importer::importAttribute(const onnx::AttributeProto &a, std::string &reason) {
  Attribute value;
  switch (a.type()) {
  case onnx::AttributeProto::INT:
    value = builder.getI64IntegerAttr(a.i());
    break;
  case onnx::AttributeProto::FLOAT:
    value = builder.getF32FloatAttr(a.f());
    break;
  case onnx::AttributeProto::STRING:
    value = builder.getStringAttr(a.s());
    break;
  case onnx::AttributeProto::INTS:
    value = builder.getDenseI64ArrayAttr(SmallVector<int64_t>(a.ints().begin(), a.ints().end()));
    break;
  case onnx::AttributeProto::FLOATS:
    value = builder.getDenseF32ArrayAttr(SmallVector<float>(a.floats().begin(), a.floats().end()));
    break;
  case onnx::AttributeProto::STRINGS:
    value = builder.getStrArrayAttr(SmallVector<StringRef>(a.strings().begin(), a.strings().end()));
    break;
  case onnx::AttributeProto::TENSOR:
    if (!(value = importTensor(a.t(), reason))) {
      reason = "attribute '" + a.name() + "': tensor " + reason;
      return std::nullopt;
    }
    break;
  default:
    reason = "attribute '" + a.name() + "' is of a kind Sinter does not support (graph, sparse tensor or type)";
    return std::nullopt;
  }
  return builder.getNamedAttr(a.name(), value);
}

LogicalResult Importer::importConstantNode(const onnx::NodeProto &node, Location loc) {
  if (node.attribute_size() != 1)
    return nodeError(loc, node) << "needs exactly one value attribute";
  const onnx::AttributeProto &a = node.attribute(0);
  ElementsAttr value;
  std::string reason;
  auto i64 = builder.getI64Type();
  auto f32 = builder.getF32Type();
  if (a.name() == "value") {
    value = importTensor(a.t(), reason);
  } else if (a.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, f32), a.f());
  } else if (a.name() == "value_floats") {
    SmallVector<float> v(a.floats().begin(), a.floats().end());
    value = DenseElementsAttr::get(RankedTensorType::get({(int64_t)v.size()}, f32), ArrayRef<float>(v));
  } else if (a.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, i64), static_cast<int64_t>(a.i()));
  } else if (a.name() == "value_ints") {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    value = DenseElementsAttr::get(RankedTensorType::get({(int64_t)v.size()}, i64), ArrayRef<int64_t>(v));
  } else {
    reason = "attribute '" + a.name() + "' is not supported (string and sparse constants are not)";
  }
  if (!value)
    return nodeError(loc, node) << reason;
  values[node.output(0)] = graph::ConstantOp::create(builder, loc, value);
  return success();
}

LogicalResult Importer::importNode(const onnx::NodeProto &node, Location loc) {
  const std::string &opType = node.op_type();
  bool training = isTrainingOptimizer(node.domain(), opType);
  if (!node.domain().empty() && node.domain() != "ai.onnx" && !training) {
    if (isSupportedContribOp(node.domain(), opType))
      return importMatMulNBits(node, loc);
    if (node.domain() == kSinterDomain && opType == "RuntimeCheck")
      return importRuntimeCheck(node, loc);
    return nodeError(loc, node) << "operators of domain '" << node.domain() << "' are not supported";
  }
  if (opType == "Constant")
    return importConstantNode(node, loc);

  std::string opName = "graph." + opType;
  std::optional<RegisteredOperationName> registered = RegisteredOperationName::lookup(opName, &ctx);
  const onnx::OpSchema *schema = training ? onnx::OpSchemaRegistry::Schema(opType, kTrainingOpset, kTrainingDomain)
                                          : onnx::OpSchemaRegistry::Schema(opType, kTargetOpset, "");
  if (!registered || !schema)
    return nodeError(loc, node) << "not supported: " << unsupportedReason(opType);

  // Operands, in schema order.
  OperationState state(loc, *registered);
  const auto &formalInputs = schema->inputs();
  for (size_t i = 0; i < formalInputs.size(); ++i) {
    const auto &formal = formalInputs[i];
    size_t last = formal.GetOption() == onnx::OpSchema::Variadic ? node.input_size() : i + 1;
    for (size_t j = i; j < last; ++j) {
      bool present = j < static_cast<size_t>(node.input_size()) && !node.input(j).empty();
      if (!present) {
        if (formal.GetOption() == onnx::OpSchema::Optional) {
          state.operands.push_back(noneValue);
          continue;
        }
        if (formal.GetOption() == onnx::OpSchema::Variadic && j >= static_cast<size_t>(node.input_size()))
          break;
        return nodeError(loc, node) << "required input " << j << " ('" << formal.GetName() << "') is missing";
      }
      Value v = lookup(node.input(j));
      if (!v) {
        if (!initializers.count(node.input(j)))
          return nodeError(loc, node) << "input '" << node.input(j)
                                      << "' is not produced by any node, initializer or graph input";
        return failure(); // the initializer itself is malformed; lookup() reported it
      }
      state.operands.push_back(v);
    }
  }

  // Results, in schema order; absent optional outputs are `none`.
  const auto &formalOutputs = schema->outputs();
  SmallVector<std::string> resultNames;
  for (size_t i = 0; i < formalOutputs.size(); ++i) {
    const auto &formal = formalOutputs[i];
    size_t last = formal.GetOption() == onnx::OpSchema::Variadic ? node.output_size() : i + 1;
    for (size_t j = i; j < last; ++j) {
      bool present = j < static_cast<size_t>(node.output_size()) && !node.output(j).empty();
      if (!present) {
        if (formal.GetOption() == onnx::OpSchema::Variadic)
          break;
        if (formal.GetOption() != onnx::OpSchema::Optional)
          return nodeError(loc, node) << "required output " << j << " ('" << formal.GetName() << "') is missing";
        state.types.push_back(builder.getNoneType());
        resultNames.push_back("");
        continue;
      }
      auto it = valueTypes.find(node.output(j));
      if (it == valueTypes.end())
        return nodeError(loc, node) << "shape inference could not determine the type of output '"
                                    << node.output(j) << "'";
      state.types.push_back(it->second);
      resultNames.push_back(node.output(j));
    }
  }

  // Attributes: only those the op declares (ONNX's checker already rejected unknown ones).
  ArrayRef<StringAttr> declared = registered->getAttributeNames();
  for (const auto &a : node.attribute()) {
    if (!a.ref_attr_name().empty())
      return nodeError(loc, node) << "attribute '" << a.name() << "' refers to a function attribute";
    if (!llvm::is_contained(declared, StringAttr::get(&ctx, a.name())))
      return nodeError(loc, node) << "attribute '" << a.name() << "' is not supported";
    std::string reason;
    std::optional<NamedAttribute> attr = importAttribute(a, reason);
    if (!attr)
      return nodeError(loc, node) << reason;
    state.attributes.push_back(*attr);
  }

  Operation *op = builder.create(state);
  for (auto [name, result] : llvm::zip(resultNames, op->getResults()))
    if (!name.empty())
      values[name] = result;
  return success();
}

LogicalResult Importer::initializerBytes(const onnx::NodeProto &node, Location loc, int index, const char *what,
                                        std::vector<int32_t> dataTypes, std::vector<char> &bytes,
                                        int32_t &dataType) {
  const std::string &name = node.input(index);
  auto it = initializers.find(name);
  if (it == initializers.end())
    return nodeError(loc, node) << "input " << what << " ('" << name
                                << "') must be an initializer (weights computed at run time are not supported)";
  const onnx::TensorProto &t = *it->second;
  if (!llvm::is_contained(dataTypes, t.data_type()))
    return nodeError(loc, node) << "input " << what << " ('" << name << "') has element type "
                                << graph::onnxDataTypeName(t.data_type()) << ", which is not supported here";
  std::string reason;
  if (!onnxTensorBytes(t, bytes, reason))
    return nodeError(loc, node) << "input " << what << " ('" << name << "'): " << reason;
  dataType = t.data_type();
  return success();
}

Value Importer::blobConstant(Location loc, RankedTensorType type, const std::string &name, ArrayRef<char> bytes) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(lastConstant);
  auto attr = DenseResourceElementsAttr::get(type, name,
                                             HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(double)));
  auto constant = graph::ConstantOp::create(builder, NameLoc::get(builder.getStringAttr(name), fileLoc()), attr);
  lastConstant = constant;
  return constant;
}

/// ai.sinter RuntimeCheck (inserted by the loader's control-flow expansion) -> graph.runtime_check.
LogicalResult Importer::importRuntimeCheck(const onnx::NodeProto &node, Location loc) {
  auto it = node.input_size() == 1 ? values.find(node.input(0)) : values.end();
  const onnx::AttributeProto *message = nullptr;
  for (const auto &a : node.attribute())
    if (a.name() == "message")
      message = &a;
  if (it == values.end() || !message)
    return nodeError(loc, node) << "a RuntimeCheck needs one defined input and a message";
  graph::RuntimeCheckOp::create(builder, loc, it->second, builder.getStringAttr(message->s()));
  return success();
}

/// com.microsoft MatMulNBits -> sinter.quantized_matmul (+ graph.Add for the bias), with the weight converted
/// to Sinter's packed format at import (OnnxMatMulNBits.h): the fp32 weight is never materialized.
LogicalResult Importer::importMatMulNBits(const onnx::NodeProto &node, Location loc) {
  auto present = [&](int i) { return i < node.input_size() && !node.input(i).empty(); };
  if (!present(0) || !present(1) || !present(2))
    return nodeError(loc, node) << "inputs A, B and scales are required";
  if (present(4))
    return nodeError(loc, node) << "input g_idx (a per-row group index, deprecated in ONNX Runtime) is not supported";
  if (node.output_size() != 1 || node.output(0).empty())
    return nodeError(loc, node) << "needs exactly one output";
  MatMulNBitsWeights in;
  int64_t accuracyLevel = 0;
  for (const auto &a : node.attribute()) {
    if (a.type() != onnx::AttributeProto::INT)
      return nodeError(loc, node) << "attribute '" << a.name() << "' must be an integer";
    if (a.name() == "K")
      in.k = a.i();
    else if (a.name() == "N")
      in.n = a.i();
    else if (a.name() == "bits")
      in.bits = a.i();
    else if (a.name() == "block_size")
      in.blockSize = a.i();
    else if (a.name() == "accuracy_level")
      accuracyLevel = a.i(); // the least precision A may be computed at; 4: int8 (ORT rounds A per block)
    else
      return nodeError(loc, node) << "attribute '" << a.name() << "' is not supported";
  }

  Value a = lookup(node.input(0));
  if (!a)
    return nodeError(loc, node) << "input '" << node.input(0) << "' is not produced by any node or graph input";
  auto aType = dyn_cast<RankedTensorType>(a.getType());
  if (!aType || !aType.hasStaticShape() || !aType.getElementType().isF32() || aType.getRank() < 1)
    return nodeError(loc, node) << "input A must be a static f32 tensor (float16/bfloat16 activations are not "
                                   "supported), got "
                                << a.getType();
  if (aType.getShape().back() != in.k)
    return nodeError(loc, node) << "input A's last dimension " << aType.getShape().back()
                                << " differs from attribute K = " << in.k;

  std::vector<char> b, scales, zeros;
  int32_t bType = 0, scaleType = 0, zeroType = 0;
  if (failed(initializerBytes(node, loc, 1, "B", {onnx::TensorProto::UINT8}, b, bType)) ||
      failed(initializerBytes(node, loc, 2, "scales", {onnx::TensorProto::FLOAT}, scales, scaleType)))
    return failure();
  if (const onnx::TensorProto *t = initializers.lookup(node.input(1)); t->dims_size() != 3)
    return nodeError(loc, node) << "input B must be 3-D [N][k_blocks][blob_size], got rank " << t->dims_size();
  in.b = reinterpret_cast<const uint8_t *>(b.data());
  in.bElements = int64_t(b.size());
  in.scales = reinterpret_cast<const float *>(scales.data());
  in.scaleElements = int64_t(scales.size() / 4);
  if (present(3)) {
    if (failed(initializerBytes(node, loc, 3, "zero_points", {onnx::TensorProto::UINT8, onnx::TensorProto::FLOAT},
                                zeros, zeroType)))
      return failure();
    if (zeroType == onnx::TensorProto::UINT8) {
      in.packedZeros = reinterpret_cast<const uint8_t *>(zeros.data());
      in.packedZeroElements = int64_t(zeros.size());
    } else {
      in.floatZeros = reinterpret_cast<const float *>(zeros.data());
      in.floatZeroElements = int64_t(zeros.size() / 4);
    }
  }
  std::string reason;
  std::optional<SinterWeights> w = convertMatMulNBits(in, reason);
  if (!w)
    return nodeError(loc, node) << reason;

  Value bias;
  if (present(5)) {
    bias = lookup(node.input(5));
    auto biasType = bias ? dyn_cast<RankedTensorType>(bias.getType()) : RankedTensorType();
    if (!biasType || !biasType.getElementType().isF32() || biasType.getShape() != ArrayRef<int64_t>{in.n})
      return nodeError(loc, node) << "input bias must be an f32 tensor of shape [N] = [" << in.n << "]";
  }

  std::string base = node.name().empty() ? node.output(0) : node.name();
  int64_t groups = (in.k + in.blockSize - 1) / in.blockSize;
  Type i8 = builder.getIntegerType(8);
  auto asChars = [](const auto &v) {
    return ArrayRef<char>(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(v[0]));
  };
  Value packed = blobConstant(loc, RankedTensorType::get({in.n, int64_t(w->packed.size()) / in.n}, i8),
                              base + ".packed", asChars(w->packed));
  Value scaleValue = blobConstant(loc, RankedTensorType::get({in.n, groups}, builder.getF32Type()), base + ".scales",
                                  asChars(w->scales));
  Value zeroValue;
  if (!w->symmetric)
    zeroValue = blobConstant(loc, RankedTensorType::get({in.n, groups}, i8), base + ".zeros", asChars(w->zeros));

  SmallVector<int64_t> shape(aType.getShape());
  shape.back() = in.n;
  auto resultType = RankedTensorType::get(shape, builder.getF32Type());
  if (auto it = valueTypes.find(node.output(0)); it != valueTypes.end() && it->second != resultType)
    return nodeError(loc, node) << "output type " << it->second << " differs from " << resultType;
  Value result = QuantizedMatMulOp::create(builder, loc, resultType, a, packed, scaleValue, zeroValue, Value(),
                                           Value(), builder.getI64IntegerAttr(w->bits),
                                           builder.getI64IntegerAttr(w->groupSize),
                                           w->symmetric ? builder.getUnitAttr() : UnitAttr(),
                                           accuracyLevel == 4 ? builder.getUnitAttr() : UnitAttr());
  if (bias)
    result = graph::AddOp::create(builder, loc, resultType, result, bias);
  values[node.output(0)] = result;
  return success();
}

Value Importer::lookup(const std::string &name) {
  if (Value v = values.lookup(name))
    return v;
  auto it = initializers.find(name);
  if (it == initializers.end())
    return nullptr;
  std::string reason;
  ElementsAttr value = importTensor(*it->second, reason);
  if (!value) {
    emitError(fileLoc()) << "initializer '" << name << "': " << reason;
    return nullptr;
  }
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(lastConstant);
  auto constant = graph::ConstantOp::create(builder, NameLoc::get(builder.getStringAttr(name), fileLoc()), value);
  lastConstant = constant;
  return values[name] = constant;
}

OwningOpRef<ModuleOp> Importer::run(const onnx::ModelProto &model) {
  const onnx::GraphProto &graph = model.graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  module->getOperation()->setAttr("graph.opset", builder.getI64IntegerAttr(kTargetOpset));
  if (!model.producer_name().empty())
    module->getOperation()->setAttr("graph.producer",
                                    builder.getStringAttr(model.producer_name() + " " + model.producer_version()));
  if (failed(importValueTypes(graph)))
    return nullptr;

  // Signature: graph inputs that are not initializers (those are constants), then the graph outputs.
  for (const auto &init : graph.initializer())
    initializers[init.name()] = &init;
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &in : graph.input()) {
    if (initializers.count(in.name()))
      continue;
    auto it = valueTypes.find(in.name());
    if (it == valueTypes.end())
      return emitError(fileLoc()) << "input '" << in.name() << "' has no type", nullptr;
    argTypes.push_back(it->second);
    argNames.push_back(in.name());
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc(), "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = body->getArgument(i);
    func.setArgAttr(i, "graph.name", builder.getStringAttr(name));
  }
  noneValue = graph::NoneOp::create(builder, fileLoc());
  lastConstant = noneValue.getDefiningOp();

  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, nodeLoc(node, index))))
      return nullptr;

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    Value v = lookup(out.name());
    if (!v)
      return emitError(fileLoc()) << "graph output '" << out.name() << "' is not produced by any node", nullptr;
    results.push_back(v);
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "graph.name", builder.getStringAttr(out.name()));
  if (noneValue.use_empty())
    noneValue.getDefiningOp()->erase();

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context, const std::string &path, const LoadOptions &options) {
  context.loadDialect<graph::GraphDialect, func::FuncDialect, SinterDialect>();
  onnx::ModelProto model;
  LoadError error;
  if (!loadOnnxModel(path, options, model, error)) {
    Location loc = FileLineColLoc::get(&context, path, 0, 0);
    if (!error.node.empty() || !error.opType.empty())
      loc = NameLoc::get(StringAttr::get(&context, error.node.empty() ? "?" : error.node), loc);
    InFlightDiagnostic d = emitError(loc);
    if (!error.opType.empty())
      d << "(" << error.opType << "): ";
    d << error.message;
    return nullptr;
  }
  return Importer(context, path).run(model);
}

void registerImportDialects(DialectRegistry &registry) {
  registry.insert<graph::GraphDialect, func::FuncDialect, SinterDialect>();
}

} // namespace sinter::onnx_frontend

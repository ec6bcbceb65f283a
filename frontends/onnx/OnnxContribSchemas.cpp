//===- OnnxContribSchemas.cpp - ONNX schemas for the ONNX Runtime contrib ops Sinter imports ------------===//
#include "frontends/onnx/OnnxContribSchemas.h"

#include "onnx/defs/schema.h"
#include "onnx/defs/shape_inference.h"

#include <mutex>

namespace sinter::onnx_frontend {
namespace {

/// com.microsoft MatMulNBits (ONNX Runtime contrib op, since version 1): Y = A . dequantize(B)^T (+ bias),
/// B block-quantized along K. Only the structure is declared here; the importer checks the layout.
onnx::OpSchema matMulNBitsSchema() {
  using onnx::AttributeProto;
  onnx::OpSchema schema;
  schema.SetName("MatMulNBits")
      .SetDomain(kMicrosoftDomain)
      .SinceVersion(1)
      .SetDoc("Y = A . dequantize(B)^T (+ bias); B uint8 [N][k_blocks][block_size * bits / 8], codes packed "
              "low bits first along K, w = (code - zero_point) * scale per block of block_size along K.")
      .Attr("K", "input feature count", AttributeProto::INT)
      .Attr("N", "output feature count", AttributeProto::INT)
      .Attr("bits", "bits per weight (2 to 8)", AttributeProto::INT, static_cast<int64_t>(4))
      .Attr("block_size", "weights per block along K (a power of 2, >= 16)", AttributeProto::INT)
      .Attr("accuracy_level", "minimum accuracy of A inside the kernel (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8)",
            AttributeProto::INT, static_cast<int64_t>(0))
      .Input(0, "A", "the input, [..., K]", "T1")
      .Input(1, "B", "packed codes [N][k_blocks][blob_size]", "T2")
      .Input(2, "scales", "per-block scales [N][k_blocks] (or flattened)", "T1")
      .Input(3, "zero_points", "packed uint8 or unpacked float zero points", "T3", onnx::OpSchema::Optional)
      .Input(4, "g_idx", "group index per k (deprecated)", "T4", onnx::OpSchema::Optional)
      .Input(5, "bias", "[N]", "T1", onnx::OpSchema::Optional)
      .Output(0, "Y", "[..., N]", "T1")
      .TypeConstraint("T1", {"tensor(float)", "tensor(float16)", "tensor(bfloat16)"}, "activations and scales")
      .TypeConstraint("T2", {"tensor(uint8)", "tensor(int32)"}, "packed weights")
      .TypeConstraint("T3", {"tensor(uint8)", "tensor(int32)", "tensor(float16)", "tensor(float)", "tensor(bfloat16)"},
                      "zero points")
      .TypeConstraint("T4", {"tensor(int32)"}, "group indices")
      .TypeAndShapeInferenceFunction([](onnx::InferenceContext &ctx) {
        onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
        if (!onnx::hasInputShape(ctx, 0))
          return;
        const auto *n = ctx.getAttribute("N");
        if (!n || n->i() <= 0)
          fail_shape_inference("attribute N must be positive");
        const auto &a = ctx.getInputType(0)->tensor_type().shape();
        if (a.dim_size() < 1)
          fail_shape_inference("input A must have rank >= 1");
        const auto *k = ctx.getAttribute("K");
        if (k && a.dim(a.dim_size() - 1).has_dim_value() && a.dim(a.dim_size() - 1).dim_value() != k->i())
          fail_shape_inference("input A's last dimension ", a.dim(a.dim_size() - 1).dim_value(),
                               " differs from attribute K = ", k->i());
        auto *y = ctx.getOutputType(0)->mutable_tensor_type()->mutable_shape();
        y->clear_dim();
        for (int i = 0; i + 1 < a.dim_size(); ++i)
          *y->add_dim() = a.dim(i);
        y->add_dim()->set_dim_value(n->i());
      });
  return schema;
}

/// ai.sinter RuntimeCheck, which control-flow expansion inserts (OnnxControlFlow.cpp).
onnx::OpSchema runtimeCheckSchema() {
  onnx::OpSchema schema;
  schema.SetName("RuntimeCheck")
      .SetDomain(kSinterDomain)
      .SinceVersion(1)
      .SetDoc("Fails the run with `message` when `holds` is false: a condition on input values that the "
              "compiled shapes rely on.")
      .Attr("message", "what the inputs contradicted, naming the node", onnx::AttributeProto::STRING)
      .Input(0, "holds", "the condition, a bool scalar", "B")
      .TypeConstraint("B", {"tensor(bool)"}, "condition")
      .TypeAndShapeInferenceFunction([](onnx::InferenceContext &) {});
  return schema;
}

} // namespace

void registerContribSchemas() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance();
    if (!ranges.Map().count(kMicrosoftDomain))
      ranges.AddDomainToVersion(kMicrosoftDomain, 1, 1);
    onnx::RegisterSchema(matMulNBitsSchema());
    if (!ranges.Map().count(kSinterDomain))
      ranges.AddDomainToVersion(kSinterDomain, 1, 1);
    onnx::RegisterSchema(runtimeCheckSchema());
  });
}

bool isSupportedContribOp(const std::string &domain, const std::string &opType) {
  return domain == kMicrosoftDomain && opType == "MatMulNBits";
}

} // namespace sinter::onnx_frontend

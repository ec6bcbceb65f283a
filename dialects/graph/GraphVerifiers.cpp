//===- GraphVerifiers.cpp - op-specific checks that ONNX makes ------------------------------------------===//
//
// The generated ODS checks operand counts, element-type constraints, type-parameter bindings and broadcast
// compatibility. This file adds what each operator's ONNX specification (and ONNX shape inference) rejects
// beyond that: axes out of range, inner dimensions that disagree, enumerated attribute values, attribute list
// lengths. Dimensions are compared only when both are static; unranked values are not checked.
//
//===----------------------------------------------------------------------------------------------------===//
#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphTypes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace sinter::graph;

namespace {

std::optional<int64_t> rankOf(Value v) {
  if (auto t = dyn_cast<RankedTensorType>(v.getType()))
    return t.getRank();
  return std::nullopt;
}

int64_t dimOf(Value v, int64_t i) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t ? t.getDimSize(i) : ShapedType::kDynamic;
}

bool isNone(Value v) { return !v || isa<NoneType>(v.getType()); }

bool bothStaticAndDiffer(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

/// Checks `axis` against ONNX's accepted range [-rank, rank + extra - 1].
LogicalResult verifyAxis(Operation *op, Value v, int64_t axis, int64_t extra = 0, StringRef what = "axis") {
  std::optional<int64_t> rank = rankOf(v);
  if (!rank)
    return success();
  int64_t hi = *rank + extra - 1;
  if (axis < -(*rank + extra) || axis > hi)
    return op->emitOpError() << what << " " << axis << " is out of range [" << -(*rank + extra) << ", " << hi
                             << "] for an input of rank " << *rank;
  return success();
}

LogicalResult verifyAutoPad(Operation *op, StringRef autoPad) {
  if (!llvm::is_contained({"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"}, autoPad))
    return op->emitOpError() << "auto_pad '" << autoPad
                             << "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID";
  return success();
}

LogicalResult verifyMinRank(Operation *op, Value v, int64_t minRank, StringRef name) {
  if (std::optional<int64_t> r = rankOf(v); r && *r < minRank)
    return op->emitOpError() << name << " must have rank >= " << minRank << ", got " << *r;
  return success();
}

LogicalResult verifyRank(Operation *op, Value v, int64_t rank, StringRef name) {
  if (std::optional<int64_t> r = rankOf(v); r && *r != rank)
    return op->emitOpError() << name << " must have rank " << rank << ", got " << *r;
  return success();
}

/// Checks the spatial attributes shared by convolutions and pools: one entry per spatial dimension of X
/// (two for pads), and an auto_pad from the enumeration.
LogicalResult verifyWindowAttrs(Operation *op, Value x, StringRef autoPad, std::optional<ArrayRef<int64_t>> kernel,
                                std::optional<ArrayRef<int64_t>> strides, std::optional<ArrayRef<int64_t>> pads,
                                std::optional<ArrayRef<int64_t>> dilations) {
  if (failed(verifyAutoPad(op, autoPad)) || failed(verifyMinRank(op, x, 3, "input X")))
    return failure();
  std::optional<int64_t> rank = rankOf(x);
  if (!rank)
    return success();
  int64_t spatial = *rank - 2;
  auto check = [&](std::optional<ArrayRef<int64_t>> list, StringRef name, int64_t expected) -> LogicalResult {
    if (list && static_cast<int64_t>(list->size()) != expected)
      return op->emitOpError() << name << " has " << list->size() << " entries, expected " << expected
                               << " for " << spatial << " spatial dimensions";
    return success();
  };
  if (failed(check(kernel, "kernel_shape", spatial)) || failed(check(strides, "strides", spatial)) ||
      failed(check(pads, "pads", 2 * spatial)) || failed(check(dilations, "dilations", spatial)))
    return failure();
  if (strides && llvm::any_of(*strides, [](int64_t s) { return s <= 0; }))
    return op->emitOpError("strides must be positive");
  if (dilations && llvm::any_of(*dilations, [](int64_t s) { return s <= 0; }))
    return op->emitOpError("dilations must be positive");
  if (pads && llvm::any_of(*pads, [](int64_t s) { return s < 0; }))
    return op->emitOpError("pads must be non-negative");
  return success();
}

} // namespace

LogicalResult MatMulOp::verify() {
  std::optional<int64_t> ra = rankOf(getA()), rb = rankOf(getB());
  if ((ra && *ra == 0) || (rb && *rb == 0))
    return emitOpError("operands must have rank >= 1");
  if (!ra || !rb)
    return success();
  int64_t ka = dimOf(getA(), *ra - 1);
  int64_t kb = dimOf(getB(), *rb == 1 ? 0 : *rb - 2);
  if (bothStaticAndDiffer(ka, kb))
    return emitOpError() << "inner dimensions differ: A has K=" << ka << ", B has K=" << kb;
  return success();
}

LogicalResult GemmOp::verify() {
  if (failed(verifyRank(*this, getA(), 2, "A")) || failed(verifyRank(*this, getB(), 2, "B")))
    return failure();
  if (!rankOf(getA()) || !rankOf(getB()))
    return success();
  int64_t ka = dimOf(getA(), getTransA() ? 0 : 1), kb = dimOf(getB(), getTransB() ? 1 : 0);
  if (bothStaticAndDiffer(ka, kb))
    return emitOpError() << "inner dimensions differ: op(A) has K=" << ka << ", op(B) has K=" << kb;
  if (!isNone(getC())) {
    std::optional<int64_t> rc = rankOf(getC());
    if (rc && *rc > 2)
      return emitOpError() << "C must be unidirectionally broadcastable to [M, N], got rank " << *rc;
    int64_t m = dimOf(getA(), getTransA() ? 1 : 0), n = dimOf(getB(), getTransB() ? 0 : 1);
    if (rc && *rc >= 1) {
      int64_t cn = dimOf(getC(), *rc - 1);
      if (cn != 1 && bothStaticAndDiffer(cn, n))
        return emitOpError() << "C's last dimension " << cn << " does not broadcast to N=" << n;
    }
    if (rc && *rc == 2) {
      int64_t cm = dimOf(getC(), 0);
      if (cm != 1 && bothStaticAndDiffer(cm, m))
        return emitOpError() << "C's first dimension " << cm << " does not broadcast to M=" << m;
    }
  }
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(),
                               getDilations())))
    return failure();
  std::optional<int64_t> rx = rankOf(getX()), rw = rankOf(getW());
  if (rx && rw && *rx != *rw)
    return emitOpError() << "W has rank " << *rw << " but X has rank " << *rx;
  int64_t group = getGroup();
  if (group <= 0)
    return emitOpError() << "group must be positive, got " << group;
  if (!rx || !rw)
    return success();
  int64_t cin = dimOf(getX(), 1), wc = dimOf(getW(), 1), m = dimOf(getW(), 0);
  if (!ShapedType::isDynamic(cin) && !ShapedType::isDynamic(wc) && cin != wc * group)
    return emitOpError() << "X has " << cin << " channels but W expects " << wc << " x group " << group << " = "
                         << wc * group;
  if (!ShapedType::isDynamic(m) && m % group != 0)
    return emitOpError() << "W's " << m << " output channels are not divisible by group " << group;
  if (std::optional<ArrayRef<int64_t>> k = getKernelShape())
    for (auto [i, kd] : llvm::enumerate(*k))
      if (bothStaticAndDiffer(kd, dimOf(getW(), i + 2)))
        return emitOpError() << "kernel_shape[" << i << "] = " << kd << " disagrees with W's dimension "
                             << dimOf(getW(), i + 2);
  if (!isNone(getB())) {
    if (failed(verifyRank(*this, getB(), 1, "B")))
      return failure();
    if (bothStaticAndDiffer(dimOf(getB(), 0), m))
      return emitOpError() << "B has " << dimOf(getB(), 0) << " entries, expected " << m;
  }
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(),
                               getDilations())))
    return failure();
  if (getGroup() <= 0)
    return emitOpError() << "group must be positive, got " << getGroup();
  std::optional<int64_t> rx = rankOf(getX()), rw = rankOf(getW());
  if (rx && rw && *rx != *rw)
    return emitOpError() << "W has rank " << *rw << " but X has rank " << *rx;
  if (rx && rw && bothStaticAndDiffer(dimOf(getX(), 1), dimOf(getW(), 0)))
    return emitOpError() << "X has " << dimOf(getX(), 1) << " channels but W has " << dimOf(getW(), 0);
  return success();
}

LogicalResult ConvIntegerOp::verify() {
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(),
                           getDilations());
}

LogicalResult QLinearConvOp::verify() {
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(),
                           getDilations());
}

LogicalResult MaxPoolOp::verify() {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError() << "storage_order must be 0 or 1, got " << getStorageOrder();
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(),
                           getDilations());
}

LogicalResult AveragePoolOp::verify() {
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(), std::nullopt);
}

LogicalResult LpPoolOp::verify() {
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getStrides(), getPads(), std::nullopt);
}

LogicalResult BatchNormalizationOp::verify() {
  if (failed(verifyMinRank(*this, getX(), 2, "X")))
    return failure();
  int64_t c = rankOf(getX()) ? dimOf(getX(), 1) : ShapedType::kDynamic;
  for (auto [v, name] : llvm::zip(ValueRange{getScale(), getB(), getInputMean(), getInputVar()},
                                  ArrayRef<StringRef>{"scale", "B", "input_mean", "input_var"})) {
    if (failed(verifyRank(*this, v, 1, name)))
      return failure();
    if (rankOf(v) && bothStaticAndDiffer(dimOf(v, 0), c))
      return emitOpError() << name << " has " << dimOf(v, 0) << " entries but X has " << c << " channels";
  }
  return success();
}

LogicalResult LayerNormalizationOp::verify() { return verifyAxis(*this, getX(), getAxis()); }
LogicalResult SoftmaxOp::verify() { return verifyAxis(*this, getInput(), getAxis()); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxis(*this, getInput(), getAxis()); }
LogicalResult HardmaxOp::verify() { return verifyAxis(*this, getInput(), getAxis()); }
LogicalResult ArgMaxOp::verify() { return verifyAxis(*this, getData(), getAxis()); }
LogicalResult ArgMinOp::verify() { return verifyAxis(*this, getData(), getAxis()); }
LogicalResult FlattenOp::verify() { return verifyAxis(*this, getInput(), getAxis(), /*extra=*/1); }

LogicalResult GatherOp::verify() {
  if (rankOf(getData()) == 0)
    return emitOpError("data must have rank >= 1");
  return verifyAxis(*this, getData(), getAxis());
}

LogicalResult GatherElementsOp::verify() {
  std::optional<int64_t> rd = rankOf(getData()), ri = rankOf(getIndices());
  if (rd && ri && *rd != *ri)
    return emitOpError() << "indices have rank " << *ri << " but data has rank " << *rd;
  return verifyAxis(*this, getData(), getAxis());
}

LogicalResult CumSumOp::verify() {
  std::optional<int64_t> ra = rankOf(getAxis());
  if (ra && *ra > 1)
    return emitOpError() << "axis must be a scalar or a 1-element tensor, got rank " << *ra;
  return success();
}

LogicalResult TriluOp::verify() {
  if (failed(verifyMinRank(*this, getInput(), 2, "input")))
    return failure();
  if (!isNone(getK()) && rankOf(getK()).value_or(0) != 0)
    return emitOpError("k must be a scalar");
  if (getUpper() != 0 && getUpper() != 1)
    return emitOpError() << "upper must be 0 or 1, got " << getUpper();
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  std::optional<int64_t> rank;
  for (Value v : getInputs()) {
    std::optional<int64_t> r = rankOf(v);
    if (!r)
      continue;
    if (rank && *rank != *r)
      return emitOpError() << "inputs have different ranks (" << *rank << " and " << *r << ")";
    rank = r;
  }
  if (!rank)
    return success();
  if (*rank == 0)
    return emitOpError("cannot concatenate scalars");
  if (failed(verifyAxis(*this, getInputs().front(), getAxis())))
    return failure();
  int64_t axis = getAxis() < 0 ? getAxis() + *rank : getAxis();
  for (int64_t d = 0; d < *rank; ++d) {
    if (d == axis)
      continue;
    int64_t expected = ShapedType::kDynamic;
    for (Value v : getInputs()) {
      if (!rankOf(v))
        continue;
      int64_t size = dimOf(v, d);
      if (bothStaticAndDiffer(expected, size))
        return emitOpError() << "inputs differ in dimension " << d << " (" << expected << " vs " << size
                             << "), which is not the concatenation axis";
      if (!ShapedType::isDynamic(size))
        expected = size;
    }
  }
  return success();
}

LogicalResult CastOp::verify() {
  Type target = elementTypeForOnnx(getContext(), getTo());
  if (!target)
    return emitOpError() << "cast to " << onnxDataTypeName(getTo()) << " (" << getTo() << ") is not supported";
  Type resultElement = getElementTypeOrSelf(getOutput().getType());
  if (resultElement != target)
    return emitOpError() << "result element type " << resultElement << " does not match 'to' = "
                         << onnxDataTypeName(getTo());
  return success();
}

LogicalResult DFTOp::verify() {
  if (failed(verifyMinRank(*this, getInput(), 2, "input")))
    return failure();
  std::optional<int64_t> rank = rankOf(getInput());
  if (!rank)
    return success();
  int64_t last = dimOf(getInput(), *rank - 1);
  if (!ShapedType::isDynamic(last) && last != 1 && last != 2)
    return emitOpError() << "the last dimension holds [real] or [real, imaginary] and must be 1 or 2, got "
                         << last;
  // The last dimension is the complex component, so the transform axis ranges over the others.
  return verifyAxis(*this, getInput(), getAxis(), /*extra=*/-1);
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (!llvm::is_contained({"constant", "reflect", "edge"}, mode))
    return emitOpError() << "mode '" << mode << "' is not one of constant, reflect, edge";
  if (failed(verifyRank(*this, getPads(), 1, "pads")))
    return failure();
  std::optional<int64_t> rank = rankOf(getData());
  if (rank && rankOf(getPads()) && bothStaticAndDiffer(dimOf(getPads(), 0), 2 * *rank))
    return emitOpError() << "pads has " << dimOf(getPads(), 0) << " entries, expected 2 x rank = " << 2 * *rank;
  return success();
}

LogicalResult ReshapeOp::verify() {
  if (getAllowzero() != 0 && getAllowzero() != 1)
    return emitOpError() << "allowzero must be 0 or 1, got " << getAllowzero();
  if (failed(verifyRank(*this, getShape(), 1, "shape")))
    return failure();
  auto in = dyn_cast<RankedTensorType>(getData().getType());
  auto out = dyn_cast<RankedTensorType>(getReshaped().getType());
  if (out && rankOf(getShape()) && bothStaticAndDiffer(dimOf(getShape(), 0), out.getRank()))
    return emitOpError() << "shape has " << dimOf(getShape(), 0) << " entries but the result has rank "
                         << out.getRank();
  if (in && out && in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in.getNumElements() << " elements into " << out;
  return success();
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError("needs at least one output");
  if (failed(verifyAxis(*this, getInput(), getAxis())))
    return failure();
  std::optional<int64_t> rank = rankOf(getInput());
  if (!rank)
    return success();
  int64_t axis = getAxis() < 0 ? getAxis() + *rank : getAxis();
  int64_t total = dimOf(getInput(), axis), sum = 0;
  for (Value v : getOutputs()) {
    if (!rankOf(v) || ShapedType::isDynamic(dimOf(v, axis)))
      return success();
    sum += dimOf(v, axis);
  }
  if (!ShapedType::isDynamic(total) && sum != total)
    return emitOpError() << "outputs cover " << sum << " entries along axis " << axis << " but the input has "
                         << total;
  return success();
}

LogicalResult TransposeOp::verify() {
  std::optional<ArrayRef<int64_t>> perm = getPerm();
  std::optional<int64_t> rank = rankOf(getData());
  if (!perm || !rank)
    return success();
  if (static_cast<int64_t>(perm->size()) != *rank)
    return emitOpError() << "perm has " << perm->size() << " entries but the input has rank " << *rank;
  llvm::SmallVector<bool> seen(*rank, false);
  for (int64_t p : *perm) {
    if (p < 0 || p >= *rank || seen[p])
      return emitOpError() << "perm is not a permutation of [0, " << *rank << ")";
    seen[p] = true;
  }
  return success();
}

//===----------------------------------------------------------------------------------------------------===//
// ai.onnx.preview.training optimizers
//===----------------------------------------------------------------------------------------------------===//

namespace {

/// One of the optimizers' layouts: `inputs` is `inGroups` groups of n tensors (X, G, then the accumulators),
/// `outputs` `outGroups` groups (new X, then the new accumulators). Every tensor of a group i must have X_i's
/// type, and each output group the type of the input group it updates (X for 0, the last accumulator groups
/// for the rest). R and T are scalars (single-element tensors are accepted).
LogicalResult verifyOptimizer(Operation *op, Value r, Value t, ValueRange inputs, ValueRange outputs,
                              int64_t inGroups, int64_t outGroups) {
  for (auto [value, name] : {std::pair(r, "R"), std::pair(t, "T")})
    if (auto type = dyn_cast<RankedTensorType>(value.getType());
        type && type.hasStaticShape() && type.getNumElements() != 1)
      return op->emitOpError() << name << " must be a scalar, got " << value.getType();
  int64_t count = inputs.size();
  if (count == 0 || count % inGroups != 0)
    return op->emitOpError() << "needs " << inGroups << " inputs per updated tensor, got " << count;
  int64_t n = count / inGroups;
  if (static_cast<int64_t>(outputs.size()) != n * outGroups)
    return op->emitOpError() << "updates " << n << " tensors, so it needs " << n * outGroups << " outputs, got "
                             << outputs.size();
  for (int64_t i = 0; i < n; ++i) {
    Type x = inputs[i].getType();
    for (int64_t g = 1; g < inGroups; ++g)
      if (failed(verifyCompatibleShape(x, inputs[g * n + i].getType())) ||
          getElementTypeOrSelf(x) != getElementTypeOrSelf(inputs[g * n + i].getType()))
        return op->emitOpError() << "input " << g * n + i << " (" << inputs[g * n + i].getType()
                                 << ") does not match the tensor it belongs to (" << x << ")";
    for (int64_t g = 0; g < outGroups; ++g) {
      Value in = inputs[(g == 0 ? 0 : inGroups - outGroups + g) * n + i], out = outputs[g * n + i];
      if (failed(verifyCompatibleShape(in.getType(), out.getType())) ||
          getElementTypeOrSelf(in) != getElementTypeOrSelf(out))
        return op->emitOpError() << "output " << g * n + i << " (" << out.getType()
                                 << ") does not match the input it updates (" << in.getType() << ")";
    }
  }
  return success();
}

} // namespace

LogicalResult AdagradOp::verify() { return verifyOptimizer(*this, getR(), getT(), getInputs(), getOutputs(), 3, 2); }
LogicalResult AdamOp::verify() { return verifyOptimizer(*this, getR(), getT(), getInputs(), getOutputs(), 4, 3); }
LogicalResult MomentumOp::verify() {
  if (getMode() != "standard" && getMode() != "nesterov")
    return emitOpError() << "mode '" << getMode() << "' is not one of standard, nesterov";
  return verifyOptimizer(*this, getR(), getT(), getInputs(), getOutputs(), 3, 2);
}

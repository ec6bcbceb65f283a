//===- OptimizerToLinalg.cpp - ai.onnx.preview.training Adagrad / Adam / Momentum -> linalg --------------===//
//
// Each optimizer updates n tensors; every tensor gets one elementwise linalg.generic over its shape that reads
// X, G and the accumulators and yields the new X and accumulators (one result each). The learning rate R and
// the update count T are scalar tensors read inside the body, so one compiled model serves every step. The
// formulas are ONNX's reference ones (onnx/backend/test/case/node/{adagrad,adam,momentum}.py):
//   Adagrad:  g' = norm_coefficient * x + g;  h' = h + g'^2;
//             x' = x - R / (1 + T * decay_factor) * g' / (sqrt(h') + epsilon)
//   Momentum: g' = norm_coefficient * x + g;  v' = alpha * v + (T > 0 ? beta : 1) * g';
//             standard: x' = x - R * v';  nesterov: x' = x - R * (g' + alpha * v')
//   Adam:     g' = norm_coefficient * x + g;  v' = alpha * v + (1 - alpha) * g';  h' = beta * h + (1 - beta) * g'^2;
//             R' = T > 0 ? R * sqrt(1 - beta^T) / (1 - alpha^T) : R;
//             x' = (1 - norm_coefficient_post) * (x - R' * v' / (sqrt(h') + epsilon))
// Arithmetic is in each tensor's element type (R is converted to it).
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace sinter {
namespace {

/// Scalar helpers in one element type, for the update bodies.
struct Scalars {
  OpBuilder &b;
  Location l;
  Type type;
  Value c(double v) { return scalarConstant(b, l, type, v); }
  Value add(Value p, Value q) { return arith::AddFOp::create(b, l, p, q); }
  Value sub(Value p, Value q) { return arith::SubFOp::create(b, l, p, q); }
  Value mul(Value p, Value q) { return arith::MulFOp::create(b, l, p, q); }
  Value div(Value p, Value q) { return arith::DivFOp::create(b, l, p, q); }
  Value sqrt(Value p) { return math::SqrtOp::create(b, l, p); }
  Value pow(Value p, Value q) { return math::PowFOp::create(b, l, p, q); }
  /// T > 0 (T as a float of this type).
  Value positive(Value t) { return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, t, c(0)); }
  Value select(Value cond, Value p, Value q) { return arith::SelectOp::create(b, l, cond, p, q); }
};

/// (x, g, accumulators...) -> (new x, new accumulators...), given R and T in the element type.
using UpdateFn = function_ref<SmallVector<Value>(Scalars &, ValueRange in, Value r, Value t)>;

/// The single element of a scalar tensor, read inside a linalg body.
Value extractScalar(OpBuilder &b, Location l, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  SmallVector<Value> zeros(rank, rank ? arith::ConstantIndexOp::create(b, l, 0).getResult() : Value());
  return tensor::ExtractOp::create(b, l, tensor, zeros);
}

LogicalResult lowerOptimizer(Operation *op, Value r, Value t, ValueRange inputs, int64_t inGroups, int64_t outGroups,
                             const TypeConverter &converter, ConversionPatternRewriter &rewriter, UpdateFn update) {
  RankedTensorType rType = staticType(r), tType = staticType(t);
  if (!rType || !tType || rType.getNumElements() != 1 || tType.getNumElements() != 1)
    return rewriter.notifyMatchFailure(op, "R and T must be static scalars");
  int64_t n = inputs.size() / inGroups;
  if (n == 0 || static_cast<int64_t>(inputs.size()) != n * inGroups ||
      static_cast<int64_t>(op->getNumResults()) != n * outGroups)
    return rewriter.notifyMatchFailure(op, "inputs and outputs are not whole groups");
  SmallVector<Value> results(op->getNumResults());
  Location loc = op->getLoc();
  for (int64_t i = 0; i < n; ++i) {
    RankedTensorType xType = staticType(inputs[i]);
    if (!xType)
      return rewriter.notifyMatchFailure(op, "needs static tensors");
    SmallVector<Value> ins;
    for (int64_t g = 0; g < inGroups; ++g) {
      Value v = inputs[g * n + i];
      if (v.getType() != xType)
        return rewriter.notifyMatchFailure(op, "a gradient or accumulator differs from its tensor's type");
      ins.push_back(v);
    }
    SmallVector<Type> types;
    SmallVector<Value> inits;
    for (int64_t g = 0; g < outGroups; ++g) {
      auto type = dyn_cast_or_null<RankedTensorType>(converter.convertType(op->getResult(g * n + i).getType()));
      if (type != xType)
        return rewriter.notifyMatchFailure(op, "an output differs from its tensor's type");
      types.push_back(type);
      inits.push_back(emptyTensor(rewriter, loc, type));
    }
    int64_t rank = xType.getRank();
    SmallVector<AffineMap> maps(inGroups + outGroups, identityMap(op->getContext(), rank));
    Type element = xType.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, types, ins, inits, maps, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Scalars s{b, l, element};
          Value rate = extractScalar(b, l, r);
          if (rate.getType() != element)
            rate = cast<FloatType>(element).getWidth() > cast<FloatType>(rate.getType()).getWidth()
                       ? Value(arith::ExtFOp::create(b, l, element, rate))
                       : Value(arith::TruncFOp::create(b, l, element, rate));
          Value count = arith::SIToFPOp::create(b, l, element, extractScalar(b, l, t));
          linalg::YieldOp::create(b, l, update(s, args.take_front(inGroups), rate, count));
        });
    for (int64_t g = 0; g < outGroups; ++g)
      results[g * n + i] = generic.getResult(g);
  }
  rewriter.replaceOp(op, results);
  return success();
}

struct AdagradLowering : OpConversionPattern<graph::AdagradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::AdagradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    double decay = op.getDecayFactor().convertToDouble(), epsilon = op.getEpsilon().convertToDouble();
    double norm = op.getNormCoefficient().convertToDouble();
    return lowerOptimizer(op, adaptor.getR(), adaptor.getT(), adaptor.getInputs(), 3, 2, *getTypeConverter(), rewriter,
                          [&](Scalars &s, ValueRange in, Value r, Value t) -> SmallVector<Value> {
                            Value x = in[0], g = in[1], h = in[2];
                            // One op per statement: C++ leaves the order of nested argument calls open, and the
                            // IR's order should not depend on the compiler.
                            Value decayed = s.mul(t, s.c(decay));
                            Value rate = s.div(r, s.add(s.c(1), decayed));
                            Value gr = s.add(s.mul(s.c(norm), x), g);
                            Value hNew = s.add(h, s.mul(gr, gr));
                            Value scaled = s.mul(rate, gr);
                            Value root = s.sqrt(hNew);
                            Value denominator = s.add(root, s.c(epsilon));
                            Value xNew = s.sub(x, s.div(scaled, denominator));
                            return {xNew, hNew};
                          });
  }
};

struct MomentumLowering : OpConversionPattern<graph::MomentumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MomentumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    double norm = op.getNormCoefficient().convertToDouble();
    bool nesterov = op.getMode() == "nesterov";
    if (!nesterov && op.getMode() != "standard")
      return rewriter.notifyMatchFailure(op, "mode must be standard or nesterov");
    return lowerOptimizer(op, adaptor.getR(), adaptor.getT(), adaptor.getInputs(), 3, 2, *getTypeConverter(), rewriter,
                          [&](Scalars &s, ValueRange in, Value r, Value t) -> SmallVector<Value> {
                            Value x = in[0], g = in[1], v = in[2];
                            Value gr = s.add(s.mul(s.c(norm), x), g);
                            // The gradient's coefficient is 1 on the first update (T = 0).
                            Value first = s.positive(t);
                            Value betaValue = s.c(beta);
                            Value betaT = s.select(first, betaValue, s.c(1));
                            Value decayed = s.mul(s.c(alpha), v);
                            Value vNew = s.add(decayed, s.mul(betaT, gr));
                            Value step = nesterov ? s.add(gr, s.mul(s.c(alpha), vNew)) : vNew;
                            return {s.sub(x, s.mul(r, step)), vNew};
                          });
  }
};

struct AdamLowering : OpConversionPattern<graph::AdamOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::AdamOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    double epsilon = op.getEpsilon().convertToDouble(), norm = op.getNormCoefficient().convertToDouble();
    double post = op.getNormCoefficientPost().convertToDouble();
    return lowerOptimizer(op, adaptor.getR(), adaptor.getT(), adaptor.getInputs(), 4, 3, *getTypeConverter(), rewriter,
                          [&](Scalars &s, ValueRange in, Value r, Value t) -> SmallVector<Value> {
                            Value x = in[0], g = in[1], v = in[2], h = in[3];
                            Value gr = s.add(s.mul(s.c(norm), x), g);
                            Value vDecayed = s.mul(s.c(alpha), v);
                            Value vNew = s.add(vDecayed, s.mul(s.c(1 - alpha), gr));
                            Value hDecayed = s.mul(s.c(beta), h);
                            Value squared = s.mul(gr, gr);
                            Value hNew = s.add(hDecayed, s.mul(s.c(1 - beta), squared));
                            // Bias correction from the second update on (T > 0); T = 0 would divide by zero.
                            Value betaPower = s.pow(s.c(beta), t);
                            Value numerator = s.mul(r, s.sqrt(s.sub(s.c(1), betaPower)));
                            Value alphaPower = s.pow(s.c(alpha), t);
                            Value corrected = s.div(numerator, s.sub(s.c(1), alphaPower));
                            Value rate = s.select(s.positive(t), corrected, r);
                            Value root = s.sqrt(hNew);
                            Value denominator = s.add(root, s.c(epsilon));
                            Value xNew = s.sub(x, s.mul(rate, s.div(vNew, denominator)));
                            return {s.mul(s.c(1 - post), xNew), vNew, hNew};
                          });
  }
};

} // namespace

void populateGraphOptimizerToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<AdagradLowering, AdamLowering, MomentumLowering>(converter, patterns.getContext());
}

} // namespace sinter

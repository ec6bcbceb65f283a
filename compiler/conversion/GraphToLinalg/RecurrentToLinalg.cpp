//===- RecurrentToLinalg.cpp - RNN, GRU, LSTM -> linalg ----------------------------------------------------===//
//
// The recurrences are unrolled over the static sequence length. Per direction, the input projection of all
// time steps is one contraction X·Wᵀ ([T, B, G·H], time-major whatever the layout); each step then
// contracts the previous hidden state with Rᵀ and applies the gate equations of the ONNX spec in one
// elementwise linalg.generic over [B, H] (two for GRU, whose candidate gate needs r first). The reverse
// direction walks the time steps backwards. With sequence_lens, a step t only updates batch rows with
// t < length (the state is carried through, and Y is 0 there): walking backwards from T - 1 this also
// starts each reverse sequence at its own last element, as ONNX requires. Activations follow the spec's
// list (Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign,
// Softplus), alpha/beta taken in order by the activations that use them; `clip` clamps gate inputs before
// their activation, as ONNX Runtime does. LSTM's input_forget is not supported.
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

enum class Cell { RNN, GRU, LSTM };

/// One activation function with its alpha/beta.
struct Activation {
  std::string name; // lower case
  float alpha = 0, beta = 0;
};

Value applyActivation(OpBuilder &b, Location loc, const Activation &act, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, t, v); };
  auto mul = [&](Value p, Value q) -> Value { return arith::MulFOp::create(b, loc, p, q); };
  auto add = [&](Value p, Value q) -> Value { return arith::AddFOp::create(b, loc, p, q); };
  auto select = [&](arith::CmpFPredicate pred, Value lhs, Value rhs, Value yes, Value no) -> Value {
    return arith::SelectOp::create(b, loc, arith::CmpFOp::create(b, loc, pred, lhs, rhs), yes, no);
  };
  const std::string &n = act.name;
  if (n == "relu")
    return arith::MaximumFOp::create(b, loc, x, c(0));
  if (n == "tanh")
    return math::TanhOp::create(b, loc, x);
  if (n == "sigmoid")
    return arith::DivFOp::create(b, loc, c(1), add(c(1), math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x))));
  if (n == "affine")
    return add(mul(c(act.alpha), x), c(act.beta));
  if (n == "leakyrelu")
    return select(arith::CmpFPredicate::OGE, x, c(0), x, mul(c(act.alpha), x));
  if (n == "thresholdedrelu")
    return select(arith::CmpFPredicate::OGT, x, c(act.alpha), x, c(0));
  if (n == "scaledtanh")
    return mul(c(act.alpha), math::TanhOp::create(b, loc, mul(c(act.beta), x)));
  if (n == "hardsigmoid")
    return arith::MaximumFOp::create(
        b, loc, c(0), arith::MinimumFOp::create(b, loc, c(1), add(mul(c(act.alpha), x), c(act.beta))));
  if (n == "elu")
    return select(arith::CmpFPredicate::OGE, x, c(0), x,
                  mul(c(act.alpha), arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), c(1))));
  if (n == "softsign")
    return arith::DivFOp::create(b, loc, x, add(c(1), math::AbsFOp::create(b, loc, x)));
  assert(n == "softplus");
  return math::LogOp::create(b, loc, add(c(1), math::ExpOp::create(b, loc, x)));
}

/// The activations of every direction (`perDirection` each), from the attributes or the cell's defaults;
/// failure for unknown names or an alpha/beta that is neither given nor has a default.
FailureOr<SmallVector<Activation>> readActivations(std::optional<ArrayAttr> names, std::optional<ArrayRef<float>> alphas,
                                                   std::optional<ArrayRef<float>> betas, Cell cell, int64_t directions) {
  SmallVector<std::string> defaults;
  switch (cell) {
  case Cell::RNN: defaults = {"tanh"}; break;
  case Cell::GRU: defaults = {"sigmoid", "tanh"}; break;
  case Cell::LSTM: defaults = {"sigmoid", "tanh", "tanh"}; break;
  }
  SmallVector<std::string> list;
  if (names && !names->empty()) {
    for (Attribute a : *names) {
      auto s = dyn_cast<StringAttr>(a);
      if (!s)
        return failure();
      list.push_back(s.getValue().lower());
    }
  } else {
    for (int64_t d = 0; d < directions; ++d)
      list.append(defaults.begin(), defaults.end());
  }
  if (static_cast<int64_t>(list.size()) != static_cast<int64_t>(defaults.size()) * directions)
    return failure();
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (const std::string &name : list) {
    Activation act{name};
    std::optional<float> alphaDefault, betaDefault;
    bool usesAlpha = true, usesBeta = false;
    if (name == "leakyrelu")
      alphaDefault = 0.01f;
    else if (name == "thresholdedrelu" || name == "elu")
      alphaDefault = 1.0f;
    else if (name == "hardsigmoid")
      alphaDefault = 0.2f, betaDefault = 0.5f, usesBeta = true;
    else if (name == "affine" || name == "scaledtanh")
      usesBeta = true;
    else if (name == "relu" || name == "tanh" || name == "sigmoid" || name == "softsign" || name == "softplus")
      usesAlpha = false;
    else
      return failure();
    // The next listed value, else the activation's default; neither: the model is incomplete.
    auto take = [](std::optional<ArrayRef<float>> listed, size_t &next, std::optional<float> fallback,
                   float &out) {
      if (listed && next < listed->size()) {
        out = (*listed)[next++];
        return true;
      }
      if (fallback)
        out = *fallback;
      return fallback.has_value();
    };
    if (usesAlpha && !take(alphas, nextAlpha, alphaDefault, act.alpha))
      return failure();
    if (usesBeta && !take(betas, nextBeta, betaDefault, act.beta))
      return failure();
    result.push_back(act);
  }
  return result;
}

/// `source` [..] with `offsets`/`sizes`, dropping the dimensions whose size is 1 where `keep` is false.
Value slice(OpBuilder &b, Location loc, Value source, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
            RankedTensorType resultType) {
  SmallVector<int64_t> strides(offsets.size(), 1);
  MLIRContext *ctx = b.getContext();
  return tensor::ExtractSliceOp::create(b, loc, resultType, source, indexAttrs(ctx, offsets), indexAttrs(ctx, sizes),
                                        indexAttrs(ctx, strides));
}

Value insert(OpBuilder &b, Location loc, Value source, Value dest, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes) {
  SmallVector<int64_t> strides(offsets.size(), 1);
  MLIRContext *ctx = b.getContext();
  return tensor::InsertSliceOp::create(b, loc, source, dest, indexAttrs(ctx, offsets), indexAttrs(ctx, sizes),
                                       indexAttrs(ctx, strides));
}

/// out[m, n] = sum_k a[m, k] * w[n, k] (a contraction with the weight rows as they are stored).
Value contractTransposed(OpBuilder &b, Location loc, Value a, Value w) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = aType.getElementType();
  MLIRContext *ctx = b.getContext();
  auto outType = RankedTensorType::get({aType.getDimSize(0), wType.getDimSize(0)}, element);
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx), k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {n, k}, ctx),
                                 AffineMap::get(3, 0, {m, n}, ctx)};
  SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel, utils::IteratorType::parallel,
                                                utils::IteratorType::reduction};
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{a, w},
                                   ValueRange{filledTensor(b, loc, outType, scalarConstant(b, loc, element, 0))}, maps,
                                   iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     Value p = arith::MulFOp::create(nb, l, args[0], args[1]);
                                     linalg::YieldOp::create(nb, l, arith::AddFOp::create(nb, l, args[2], p).getResult());
                                   })
      .getResult(0);
}

/// The input projection of every time step: out[t, b, n] = sum_k X[t, b, k] (layout 0) or X[b, t, k]
/// (layout 1) * w[n, k].
Value projectInput(OpBuilder &b, Location loc, Value x, Value w, bool batchMajor, int64_t steps, int64_t batch) {
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = wType.getElementType();
  MLIRContext *ctx = b.getContext();
  auto outType = RankedTensorType::get({steps, batch, wType.getDimSize(0)}, element);
  AffineExpr t = getAffineDimExpr(0, ctx), bb = getAffineDimExpr(1, ctx), n = getAffineDimExpr(2, ctx),
             k = getAffineDimExpr(3, ctx);
  SmallVector<AffineMap> maps = {batchMajor ? AffineMap::get(4, 0, {bb, t, k}, ctx) : AffineMap::get(4, 0, {t, bb, k}, ctx),
                                 AffineMap::get(4, 0, {n, k}, ctx), AffineMap::get(4, 0, {t, bb, n}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{x, w},
                                   ValueRange{filledTensor(b, loc, outType, scalarConstant(b, loc, element, 0))}, maps,
                                   iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     Value p = arith::MulFOp::create(nb, l, args[0], args[1]);
                                     linalg::YieldOp::create(nb, l, arith::AddFOp::create(nb, l, args[2], p).getResult());
                                   })
      .getResult(0);
}

/// Operand roles of a step generic over [B, H]: a [B, H] tensor, an [H] vector, or a [B] vector.
enum class Role { State, Hidden, Batch };

/// A linalg.generic over [B, H] with the given inputs and `numResults` [B, H] results of `element`.
SmallVector<Value> stepGeneric(OpBuilder &b, Location loc, ArrayRef<std::pair<Value, Role>> inputs, int64_t numResults,
                               RankedTensorType stateType,
                               function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  AffineMap id = identityMap(ctx, 2);
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (auto [value, role] : inputs) {
    operands.push_back(value);
    maps.push_back(role == Role::State    ? id
                   : role == Role::Hidden ? AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx)
                                          : AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx));
  }
  SmallVector<Value> inits;
  SmallVector<Type> types;
  for (int64_t i = 0; i < numResults; ++i) {
    inits.push_back(emptyTensor(b, loc, stateType));
    types.push_back(stateType);
    maps.push_back(id);
  }
  auto generic = linalg::GenericOp::create(b, loc, types, operands, inits, maps, parallelIterators(2),
                                           [&](OpBuilder &nb, Location l, ValueRange args) {
                                             linalg::YieldOp::create(nb, l, body(nb, l, args.take_front(inputs.size())));
                                           });
  return SmallVector<Value>(generic.getResults());
}

template <typename OpTy, Cell cell>
struct RecurrentLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  static constexpr int64_t gates = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 3 : 4;

  LogicalResult matchAndRewrite(OpTy op, OpAdaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType xType = staticType(adaptor.getX()), wType = staticType(adaptor.getW()),
                     rType = staticType(adaptor.getR());
    if (!xType || !wType || !rType || xType.getRank() != 3 || wType.getRank() != 3 || rType.getRank() != 3)
      return rewriter.notifyMatchFailure(op, "needs static X, W, R of rank 3");
    bool batchMajor = op.getLayout() != 0;
    int64_t steps = xType.getDimSize(batchMajor ? 1 : 0), batch = xType.getDimSize(batchMajor ? 0 : 1);
    int64_t inputSize = xType.getDimSize(2), hidden = rType.getDimSize(2);
    StringRef direction = op.getDirection();
    if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
      return rewriter.notifyMatchFailure(op, "unknown direction");
    int64_t directions = direction == "bidirectional" ? 2 : 1;
    if ((op.getHiddenSize() && *op.getHiddenSize() != hidden) || wType.getDimSize(0) != directions ||
        wType.getDimSize(1) != gates * hidden || wType.getDimSize(2) != inputSize ||
        rType.getDimSize(0) != directions || rType.getDimSize(1) != gates * hidden)
      return rewriter.notifyMatchFailure(op, "W/R shapes disagree with hidden_size and direction");
    if constexpr (cell == Cell::LSTM)
      if (op.getInputForget() != 0)
        return rewriter.notifyMatchFailure(op, "input_forget is not supported");
    FailureOr<SmallVector<Activation>> activations =
        readActivations(op.getActivations(), op.getActivationAlpha(), op.getActivationBeta(), cell, directions);
    if (failed(activations))
      return rewriter.notifyMatchFailure(op, "unknown activations or a missing alpha/beta");
    std::optional<double> clip;
    if (op.getClip())
      clip = op.getClip()->convertToDouble();

    Type element = xType.getElementType();
    auto stateType = RankedTensorType::get({batch, hidden}, element);
    auto hiddenType = RankedTensorType::get({hidden}, element);
    // Optional operands, checked against the shapes they must have.
    auto optional = [&](Value v, ArrayRef<int64_t> shape) -> FailureOr<Value> {
      if (isa<NoneType>(v.getType()))
        return Value();
      RankedTensorType t = staticType(v);
      if (!t || t.getShape() != shape)
        return failure();
      return v;
    };
    SmallVector<int64_t> stateShape =
        batchMajor ? SmallVector<int64_t>{batch, directions, hidden} : SmallVector<int64_t>{directions, batch, hidden};
    FailureOr<Value> bias = optional(adaptor.getB(), {directions, 2 * gates * hidden});
    FailureOr<Value> lengths = optional(adaptor.getSequenceLens(), {batch});
    FailureOr<Value> initialH = optional(adaptor.getInitialH(), stateShape);
    FailureOr<Value> initialC = Value(), peepholes = Value();
    if constexpr (cell == Cell::LSTM) {
      initialC = optional(adaptor.getInitialC(), stateShape);
      peepholes = optional(adaptor.getP(), {directions, 3 * hidden});
    }
    if (failed(bias) || failed(lengths) || failed(initialH) || failed(initialC) || failed(peepholes))
      return rewriter.notifyMatchFailure(op, "B, sequence_lens, initial_h, initial_c or P has the wrong shape");

    // Results (null where absent or unused).
    SmallVector<Value> replacements(op->getNumResults(), Value());
    auto wanted = [&](unsigned index) -> RankedTensorType {
      Value r = op->getResult(index);
      if (isa<NoneType>(r.getType()) || r.use_empty())
        return nullptr;
      return staticResultType(op, index);
    };
    for (unsigned i = 0; i < op->getNumResults(); ++i)
      if (!isa<NoneType>(op->getResult(i).getType()) && !op->getResult(i).use_empty() && !wanted(i))
        return rewriter.notifyMatchFailure(op, "results need static shapes");
    RankedTensorType yType = wanted(0);
    SmallVector<int64_t> yShape = batchMajor ? SmallVector<int64_t>{batch, steps, directions, hidden}
                                             : SmallVector<int64_t>{steps, directions, batch, hidden};
    if (yType && yType.getShape() != ArrayRef<int64_t>(yShape))
      return rewriter.notifyMatchFailure(op, "Y has the wrong shape");
    for (unsigned i = 1; i < op->getNumResults(); ++i)
      if (RankedTensorType t = wanted(i); t && t.getShape() != ArrayRef<int64_t>(stateShape))
        return rewriter.notifyMatchFailure(op, "Y_h/Y_c have the wrong shape");

    Value y = yType ? emptyTensor(rewriter, loc, yType) : Value();
    auto stateResultType = RankedTensorType::get(stateShape, element);
    Value yH = emptyTensor(rewriter, loc, stateResultType), yC = emptyTensor(rewriter, loc, stateResultType);
    auto stateOffsets = [&](int64_t d) {
      return batchMajor ? SmallVector<int64_t>{0, d, 0} : SmallVector<int64_t>{d, 0, 0};
    };
    SmallVector<int64_t> stateSizes = batchMajor ? SmallVector<int64_t>{batch, 1, hidden}
                                                 : SmallVector<int64_t>{1, batch, hidden};
    Value zeroState = filledTensor(rewriter, loc, stateType, scalarConstant(rewriter, loc, element, 0));
    Value zeroHidden = filledTensor(rewriter, loc, hiddenType, scalarConstant(rewriter, loc, element, 0));

    for (int64_t d = 0; d < directions; ++d) {
      bool reverse = direction == "reverse" || d == 1;
      int64_t perDirection = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 2 : 3;
      ArrayRef<Activation> acts = ArrayRef<Activation>(*activations).slice(d * perDirection, perDirection);
      auto matrixType = [&](int64_t rows, int64_t cols) { return RankedTensorType::get({rows, cols}, element); };
      Value wD = slice(rewriter, loc, adaptor.getW(), {d, 0, 0}, {1, gates * hidden, inputSize},
                       matrixType(gates * hidden, inputSize));
      Value rD = slice(rewriter, loc, adaptor.getR(), {d, 0, 0}, {1, gates * hidden, hidden},
                       matrixType(gates * hidden, hidden));
      Value projected = projectInput(rewriter, loc, adaptor.getX(), wD, batchMajor, steps, batch);
      // Bias halves per gate: Wb_g = B[d, g*H : (g+1)*H], Rb_g = B[d, (G+g)*H : ...].
      auto biasPart = [&](int64_t index) -> Value {
        if (!*bias)
          return zeroHidden;
        return slice(rewriter, loc, *bias, {d, index * hidden}, {1, hidden}, hiddenType);
      };
      auto peephole = [&](int64_t index) -> Value {
        if (!*peepholes)
          return zeroHidden;
        return slice(rewriter, loc, *peepholes, {d, index * hidden}, {1, hidden}, hiddenType);
      };
      auto initial = [&](Value v) -> Value {
        return v ? slice(rewriter, loc, v, stateOffsets(d), stateSizes, stateType) : zeroState;
      };
      Value h = initial(*initialH), c = initial(*initialC);

      for (int64_t step = 0; step < steps; ++step) {
        int64_t t = reverse ? steps - 1 - step : step;
        auto gateInput = [&](int64_t g) {
          return slice(rewriter, loc, projected, {t, 0, g * hidden}, {1, batch, hidden}, stateType);
        };
        auto gateOf = [&](Value v, int64_t g) {
          return slice(rewriter, loc, v, {0, g * hidden}, {batch, hidden}, stateType);
        };
        // Builds an activation with clipping of its input.
        auto activate = [&](OpBuilder &b, Location l, const Activation &act, Value v) -> Value {
          if (clip) {
            v = arith::MaximumFOp::create(b, l, v, scalarConstant(b, l, element, -*clip));
            v = arith::MinimumFOp::create(b, l, v, scalarConstant(b, l, element, *clip));
          }
          return applyActivation(b, l, act, v);
        };
        auto add = [](OpBuilder &b, Location l, ArrayRef<Value> terms) {
          Value sum = terms[0];
          for (Value term : terms.drop_front())
            sum = arith::AddFOp::create(b, l, sum, term);
          return sum;
        };
        // Masking by sequence_lens: the (new state, Y element) given whether this row is still running.
        SmallVector<std::pair<Value, Role>> lengthInput;
        if (*lengths)
          lengthInput.push_back({*lengths, Role::Batch});
        auto running = [&](OpBuilder &b, Location l, Value length) -> Value {
          if (!length)
            return Value();
          Value tValue = arith::ConstantIntOp::create(b, l, length.getType(), t);
          return arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, tValue, length);
        };
        auto masked = [&](OpBuilder &b, Location l, Value isRunning, Value next, Value previous) -> Value {
          return isRunning ? Value(arith::SelectOp::create(b, l, isRunning, next, previous)) : next;
        };
        Value yStep;

        if constexpr (cell == Cell::RNN) {
          Value hr = contractTransposed(rewriter, loc, h, rD);
          SmallVector<std::pair<Value, Role>> inputs = {
              {gateInput(0), Role::State}, {hr, Role::State}, {biasPart(0), Role::Hidden},
              {biasPart(1), Role::Hidden}, {h, Role::State}};
          inputs.append(lengthInput);
          SmallVector<Value> out = stepGeneric(rewriter, loc, inputs, 2, stateType, [&](OpBuilder &b, Location l, ValueRange a) {
            Value next = activate(b, l, acts[0], add(b, l, {a[0], a[1], a[2], a[3]}));
            Value isRunning = running(b, l, a.size() > 5 ? a[5] : Value());
            Value z = scalarConstant(b, l, element, 0);
            return SmallVector<Value>{masked(b, l, isRunning, next, a[4]), masked(b, l, isRunning, next, z)};
          });
          h = out[0];
          yStep = out[1];
        } else if constexpr (cell == Cell::GRU) {
          // Gates z, r, h (0, 1, 2).
          bool linearBeforeReset = op.getLinearBeforeReset() != 0;
          Value rZR = slice(rewriter, loc, rD, {0, 0}, {2 * hidden, hidden}, matrixType(2 * hidden, hidden));
          Value rH = slice(rewriter, loc, rD, {2 * hidden, 0}, {hidden, hidden}, matrixType(hidden, hidden));
          Value hr = contractTransposed(rewriter, loc, h, rZR);
          SmallVector<std::pair<Value, Role>> inputs = {
              {gateInput(0), Role::State},  {gateOf(hr, 0), Role::State}, {biasPart(0), Role::Hidden},
              {biasPart(3), Role::Hidden},  {gateInput(1), Role::State},  {gateOf(hr, 1), Role::State},
              {biasPart(1), Role::Hidden}, {biasPart(4), Role::Hidden}, {h, Role::State}};
          // z, r, and r ⊙ H (the candidate's recurrent input without linear_before_reset).
          SmallVector<Value> zr = stepGeneric(rewriter, loc, inputs, 3, stateType, [&](OpBuilder &b, Location l, ValueRange a) {
            Value z = activate(b, l, acts[0], add(b, l, {a[0], a[1], a[2], a[3]}));
            Value r = activate(b, l, acts[0], add(b, l, {a[4], a[5], a[6], a[7]}));
            return SmallVector<Value>{z, r, arith::MulFOp::create(b, l, r, a[8])};
          });
          Value hh = contractTransposed(rewriter, loc, linearBeforeReset ? h : zr[2], rH);
          SmallVector<std::pair<Value, Role>> candidateInputs = {
              {gateInput(2), Role::State}, {hh, Role::State}, {biasPart(2), Role::Hidden}, {biasPart(5), Role::Hidden},
              {zr[0], Role::State},        {zr[1], Role::State}, {h, Role::State}};
          candidateInputs.append(lengthInput);
          SmallVector<Value> out =
              stepGeneric(rewriter, loc, candidateInputs, 2, stateType, [&](OpBuilder &b, Location l, ValueRange a) {
                Value recurrent = linearBeforeReset
                                      ? Value(arith::MulFOp::create(b, l, a[5], arith::AddFOp::create(b, l, a[1], a[3])))
                                      : add(b, l, {a[1], a[3]});
                Value candidate = activate(b, l, acts[1], add(b, l, {a[0], a[2], recurrent}));
                // H = (1 - z) ⊙ candidate + z ⊙ H_prev.
                Value one = scalarConstant(b, l, element, 1);
                Value next = arith::AddFOp::create(
                    b, l, arith::MulFOp::create(b, l, arith::SubFOp::create(b, l, one, a[4]), candidate),
                    arith::MulFOp::create(b, l, a[4], a[6]));
                Value isRunning = running(b, l, a.size() > 7 ? a[7] : Value());
                Value z = scalarConstant(b, l, element, 0);
                return SmallVector<Value>{masked(b, l, isRunning, next, a[6]), masked(b, l, isRunning, next, z)};
              });
          h = out[0];
          yStep = out[1];
        } else {
          // Gates i, o, f, c (0..3); peepholes i, o, f.
          Value hr = contractTransposed(rewriter, loc, h, rD);
          SmallVector<std::pair<Value, Role>> inputs;
          for (int64_t g = 0; g < 4; ++g) {
            inputs.push_back({gateInput(g), Role::State});
            inputs.push_back({gateOf(hr, g), Role::State});
            inputs.push_back({biasPart(g), Role::Hidden});
            inputs.push_back({biasPart(4 + g), Role::Hidden});
          }
          for (int64_t p = 0; p < 3; ++p)
            inputs.push_back({peephole(p), Role::Hidden});
          inputs.push_back({h, Role::State});
          inputs.push_back({c, Role::State});
          inputs.append(lengthInput);
          SmallVector<Value> out = stepGeneric(rewriter, loc, inputs, 3, stateType, [&](OpBuilder &b, Location l, ValueRange a) {
            auto pre = [&](int64_t g) { return add(b, l, {a[4 * g], a[4 * g + 1], a[4 * g + 2], a[4 * g + 3]}); };
            auto mul = [&](Value p, Value q) -> Value { return arith::MulFOp::create(b, l, p, q); };
            Value pI = a[16], pO = a[17], pF = a[18], hPrev = a[19], cPrev = a[20];
            Value i = activate(b, l, acts[0], add(b, l, {pre(0), mul(pI, cPrev)}));
            Value f = activate(b, l, acts[0], add(b, l, {pre(2), mul(pF, cPrev)}));
            Value cand = activate(b, l, acts[1], pre(3));
            Value cNext = add(b, l, {mul(f, cPrev), mul(i, cand)});
            Value o = activate(b, l, acts[0], add(b, l, {pre(1), mul(pO, cNext)}));
            Value hNext = mul(o, applyActivation(b, l, acts[2], cNext));
            Value isRunning = running(b, l, a.size() > 21 ? a[21] : Value());
            Value z = scalarConstant(b, l, element, 0);
            return SmallVector<Value>{masked(b, l, isRunning, hNext, hPrev), masked(b, l, isRunning, hNext, z),
                                      masked(b, l, isRunning, cNext, cPrev)};
          });
          h = out[0];
          yStep = out[1];
          c = out[2];
        }
        if (y) {
          SmallVector<int64_t> offsets = batchMajor ? SmallVector<int64_t>{0, t, d, 0} : SmallVector<int64_t>{t, d, 0, 0};
          SmallVector<int64_t> sizes = batchMajor ? SmallVector<int64_t>{batch, 1, 1, hidden}
                                                  : SmallVector<int64_t>{1, 1, batch, hidden};
          y = insert(rewriter, loc, yStep, y, offsets, sizes);
        }
      }
      yH = insert(rewriter, loc, h, yH, stateOffsets(d), stateSizes);
      if constexpr (cell == Cell::LSTM)
        yC = insert(rewriter, loc, c, yC, stateOffsets(d), stateSizes);
    }
    replacements[0] = y;
    if (wanted(1))
      replacements[1] = yH;
    if constexpr (cell == Cell::LSTM)
      if (wanted(2))
        replacements[2] = yC;
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

} // namespace

void populateGraphRecurrentToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RecurrentLowering<graph::RNNOp, Cell::RNN>, RecurrentLowering<graph::GRUOp, Cell::GRU>,
               RecurrentLowering<graph::LSTMOp, Cell::LSTM>>(converter, patterns.getContext());
}

} // namespace sinter

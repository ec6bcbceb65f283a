//===- ElementwiseToLinalg.cpp - elementwise graph ops -> linalg.generic --------------------------------===//
//
// One conversion pattern serves every elementwise op: it builds a linalg.generic over the (static) result
// shape whose operands are read through Numpy-broadcasting indexing maps, and asks a per-op scalar builder
// for the body. Integer values are signless inside the body; the original element types tell the builders
// whether an integer is unsigned (for division, comparison, conversion).
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"
#include "dialects/graph/GraphTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace sinter {
namespace {

/// What a scalar builder sees: the scalar arguments (signless) and their original element types.
struct Scalars {
  OpBuilder &b;
  Location loc;
  Operation *op;
  ValueRange args;
  SmallVector<Type> sourceTypes; // original element types of args (may be unsigned)
  Type resultType;               // signless element type of the result
  Type sourceResultType;         // original element type of the result

  bool isFloat() const { return isa<FloatType>(args.empty() ? resultType : args[0].getType()); }
  bool isUnsigned(unsigned i = 0) const { return sourceTypes[i].isUnsignedInteger(); }
  Value constant(double v, Type t) const { return scalarConstant(b, loc, t, v); }
  int64_t intAttr(StringRef name, int64_t fallback) const {
    if (auto a = op->getAttrOfType<IntegerAttr>(name))
      return a.getInt();
    return fallback;
  }
  float floatAttr(StringRef name, float fallback) const {
    if (auto a = op->getAttrOfType<FloatAttr>(name))
      return a.getValueAsDouble();
    return fallback;
  }
};

using ScalarBuilder = std::function<Value(Scalars &)>;

/// Ops whose ONNX schema allows integers but whose lowering here is floating-point only (checked before
/// any IR is built, so the pattern fails cleanly).
const llvm::StringSet<> &floatOnlyOps() {
  static const llvm::StringSet<> ops = {"graph.Mean", "graph.Reciprocal", "graph.Erf", "graph.Shrink"};
  return ops;
}

Value compare(Scalars &s, arith::CmpFPredicate f, arith::CmpIPredicate si, arith::CmpIPredicate ui) {
  if (s.isFloat())
    return arith::CmpFOp::create(s.b, s.loc, f, s.args[0], s.args[1]);
  return arith::CmpIOp::create(s.b, s.loc, s.isUnsigned() ? ui : si, s.args[0], s.args[1]);
}

Value maxOf(Scalars &s, Value a, Value b) {
  if (isa<FloatType>(a.getType()))
    return arith::MaximumFOp::create(s.b, s.loc, a, b);
  return s.isUnsigned() ? Value(arith::MaxUIOp::create(s.b, s.loc, a, b)) : Value(arith::MaxSIOp::create(s.b, s.loc, a, b));
}

Value minOf(Scalars &s, Value a, Value b) {
  if (isa<FloatType>(a.getType()))
    return arith::MinimumFOp::create(s.b, s.loc, a, b);
  return s.isUnsigned() ? Value(arith::MinUIOp::create(s.b, s.loc, a, b)) : Value(arith::MinSIOp::create(s.b, s.loc, a, b));
}

/// ONNX Cast between any two supported element types (bool is i1: nonzero -> true).
Value convert(Scalars &s, Value v, Type from, Type sourceFrom, Type to, Type sourceTo) {
  OpBuilder &b = s.b;
  Location loc = s.loc;
  if (from == to)
    return v;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    return fromFloat ? Value(arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero))
                     : Value(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero));
  }
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, v))
               : Value(arith::TruncFOp::create(b, loc, to, v));
  if (fromFloat)
    return sourceTo.isUnsignedInteger() ? Value(arith::FPToUIOp::create(b, loc, to, v))
                                        : Value(arith::FPToSIOp::create(b, loc, to, v));
  bool fromUnsigned = sourceFrom.isUnsignedInteger() || from.isInteger(1);
  if (toFloat)
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, to, v)) : Value(arith::SIToFPOp::create(b, loc, to, v));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw < tw)
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, to, v)) : Value(arith::ExtSIOp::create(b, loc, to, v));
  if (fw > tw)
    return arith::TruncIOp::create(b, loc, to, v);
  return v; // same width, signedness only
}

const llvm::StringMap<ScalarBuilder> &scalarBuilders() {
  using P = arith::CmpIPredicate;
  using F = arith::CmpFPredicate;
  static const llvm::StringMap<ScalarBuilder> table = [] {
    llvm::StringMap<ScalarBuilder> t;
    auto binary = [](auto floatOp, auto intOp) {
      return [=](Scalars &s) -> Value {
        if (s.isFloat())
          return decltype(floatOp)::create(s.b, s.loc, s.args[0], s.args[1]);
        return decltype(intOp)::create(s.b, s.loc, s.args[0], s.args[1]);
      };
    };
    t["graph.Add"] = binary(arith::AddFOp(), arith::AddIOp());
    t["graph.Sub"] = binary(arith::SubFOp(), arith::SubIOp());
    t["graph.Mul"] = binary(arith::MulFOp(), arith::MulIOp());
    t["graph.Div"] = [](Scalars &s) -> Value {
      if (s.isFloat())
        return arith::DivFOp::create(s.b, s.loc, s.args[0], s.args[1]);
      if (s.isUnsigned())
        return arith::DivUIOp::create(s.b, s.loc, s.args[0], s.args[1]);
      return arith::DivSIOp::create(s.b, s.loc, s.args[0], s.args[1]);
    };
    t["graph.Pow"] = [](Scalars &s) -> Value {
      Value base = s.args[0], exponent = s.args[1];
      if (!isa<FloatType>(base.getType())) {
        // Integer base: computed in f64 (exact for results below 2^53) and truncated toward zero to the
        // base's type, as the ONNX reference (numpy) does.
        Type f64 = s.b.getF64Type();
        Value fb = convert(s, base, base.getType(), s.sourceTypes[0], f64, f64);
        Value fe = convert(s, exponent, exponent.getType(), s.sourceTypes[1], f64, f64);
        Value p = math::PowFOp::create(s.b, s.loc, fb, fe);
        return convert(s, p, f64, f64, s.resultType, s.sourceResultType);
      }
      if (exponent.getType() != base.getType())
        exponent = convert(s, exponent, exponent.getType(), s.sourceTypes[1], base.getType(), base.getType());
      return math::PowFOp::create(s.b, s.loc, base, exponent);
    };
    t["graph.Max"] = [](Scalars &s) {
      Value acc = s.args[0];
      for (Value v : s.args.drop_front())
        acc = maxOf(s, acc, v);
      return acc;
    };
    t["graph.Min"] = [](Scalars &s) {
      Value acc = s.args[0];
      for (Value v : s.args.drop_front())
        acc = minOf(s, acc, v);
      return acc;
    };
    t["graph.Sum"] = [](Scalars &s) {
      Value acc = s.args[0];
      for (Value v : s.args.drop_front())
        acc = s.isFloat() ? Value(arith::AddFOp::create(s.b, s.loc, acc, v)) : Value(arith::AddIOp::create(s.b, s.loc, acc, v));
      return acc;
    };
    t["graph.Mean"] = [](Scalars &s) -> Value {
      Value acc = s.args[0];
      for (Value v : s.args.drop_front())
        acc = arith::AddFOp::create(s.b, s.loc, acc, v);
      return arith::DivFOp::create(s.b, s.loc, acc, s.constant(s.args.size(), acc.getType()));
    };
    auto unaryFloat = [](auto opTag) {
      return [=](Scalars &s) -> Value {
        return decltype(opTag)::create(s.b, s.loc, s.args[0]);
      };
    };
    t["graph.Exp"] = unaryFloat(math::ExpOp());
    t["graph.Log"] = unaryFloat(math::LogOp());
    t["graph.Sqrt"] = unaryFloat(math::SqrtOp());
    t["graph.Erf"] = unaryFloat(math::ErfOp());
    t["graph.Tanh"] = unaryFloat(math::TanhOp());
    t["graph.Sin"] = unaryFloat(math::SinOp());
    t["graph.Cos"] = unaryFloat(math::CosOp());
    t["graph.Floor"] = unaryFloat(math::FloorOp());
    t["graph.Ceil"] = unaryFloat(math::CeilOp());
    t["graph.Neg"] = [](Scalars &s) -> Value {
      if (s.isFloat())
        return arith::NegFOp::create(s.b, s.loc, s.args[0]);
      return arith::SubIOp::create(s.b, s.loc, s.constant(0, s.resultType), s.args[0]);
    };
    t["graph.Abs"] = [](Scalars &s) -> Value {
      if (s.isFloat())
        return math::AbsFOp::create(s.b, s.loc, s.args[0]);
      if (s.isUnsigned())
        return s.args[0];
      return math::AbsIOp::create(s.b, s.loc, s.args[0]);
    };
    t["graph.Reciprocal"] = [](Scalars &s) -> Value {
      return arith::DivFOp::create(s.b, s.loc, s.constant(1, s.resultType), s.args[0]);
    };
    t["graph.Relu"] = [](Scalars &s) { return maxOf(s, s.args[0], s.constant(0, s.resultType)); };
    t["graph.LeakyRelu"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value scaled = arith::MulFOp::create(s.b, s.loc, x, s.constant(s.floatAttr("alpha", 0.01f), s.resultType));
      Value positive = arith::CmpFOp::create(s.b, s.loc, F::OGT, x, s.constant(0, s.resultType));
      return arith::SelectOp::create(s.b, s.loc, positive, x, scaled);
    };
    t["graph.Sigmoid"] = [](Scalars &s) -> Value {
      Value one = s.constant(1, s.resultType);
      Value e = math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc, s.args[0]));
      return arith::DivFOp::create(s.b, s.loc, one, arith::AddFOp::create(s.b, s.loc, one, e));
    };
    t["graph.Softplus"] = [](Scalars &s) -> Value {
      Value e = math::ExpOp::create(s.b, s.loc, s.args[0]);
      return math::Log1pOp::create(s.b, s.loc, e);
    };
    t["graph.HardSigmoid"] = [](Scalars &s) -> Value {
      Value y = arith::AddFOp::create(
          s.b, s.loc, arith::MulFOp::create(s.b, s.loc, s.args[0], s.constant(s.floatAttr("alpha", 0.2f), s.resultType)),
          s.constant(s.floatAttr("beta", 0.5f), s.resultType));
      return minOf(s, maxOf(s, y, s.constant(0, s.resultType)), s.constant(1, s.resultType));
    };
    t["graph.Elu"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value em1 = math::ExpM1Op::create(s.b, s.loc, x);
      Value neg = arith::MulFOp::create(s.b, s.loc, em1, s.constant(s.floatAttr("alpha", 1.0f), s.resultType));
      Value positive = arith::CmpFOp::create(s.b, s.loc, F::OGT, x, s.constant(0, s.resultType));
      return arith::SelectOp::create(s.b, s.loc, positive, x, neg);
    };
    t["graph.Equal"] = [](Scalars &s) { return compare(s, F::OEQ, P::eq, P::eq); };
    t["graph.Less"] = [](Scalars &s) { return compare(s, F::OLT, P::slt, P::ult); };
    t["graph.LessOrEqual"] = [](Scalars &s) { return compare(s, F::OLE, P::sle, P::ule); };
    t["graph.Greater"] = [](Scalars &s) { return compare(s, F::OGT, P::sgt, P::ugt); };
    t["graph.GreaterOrEqual"] = [](Scalars &s) { return compare(s, F::OGE, P::sge, P::uge); };
    t["graph.Not"] = [](Scalars &s) -> Value {
      return arith::XOrIOp::create(s.b, s.loc, s.args[0], s.constant(1, s.resultType));
    };
    t["graph.And"] = [](Scalars &s) -> Value { return arith::AndIOp::create(s.b, s.loc, s.args[0], s.args[1]); };
    t["graph.Or"] = [](Scalars &s) -> Value { return arith::OrIOp::create(s.b, s.loc, s.args[0], s.args[1]); };
    t["graph.Xor"] = [](Scalars &s) -> Value { return arith::XOrIOp::create(s.b, s.loc, s.args[0], s.args[1]); };
    t["graph.Where"] = [](Scalars &s) -> Value {
      return arith::SelectOp::create(s.b, s.loc, s.args[0], s.args[1], s.args[2]);
    };
    t["graph.Cast"] = [](Scalars &s) {
      return convert(s, s.args[0], s.args[0].getType(), s.sourceTypes[0], s.resultType, s.sourceResultType);
    };
    // CastLike: Cast to the second operand's element type (its values are not read: see typeOnlyOperand).
    t["graph.CastLike"] = t["graph.Cast"];
    t["graph.Identity"] = [](Scalars &s) { return s.args[0]; };
    t["graph.Acos"] = unaryFloat(math::AcosOp());
    t["graph.Asin"] = unaryFloat(math::AsinOp());
    t["graph.Atan"] = unaryFloat(math::AtanOp());
    t["graph.Tan"] = unaryFloat(math::TanOp());
    t["graph.Sinh"] = unaryFloat(math::SinhOp());
    t["graph.Cosh"] = unaryFloat(math::CoshOp());
    t["graph.Asinh"] = unaryFloat(math::AsinhOp());
    t["graph.Acosh"] = unaryFloat(math::AcoshOp());
    t["graph.Atanh"] = unaryFloat(math::AtanhOp());
    t["graph.Round"] = unaryFloat(math::RoundEvenOp()); // ONNX rounds halves to even
    t["graph.PRelu"] = [](Scalars &s) -> Value {
      Value x = s.args[0], slope = s.args[1], zero = s.constant(0, s.resultType);
      if (s.isFloat())
        return arith::SelectOp::create(s.b, s.loc, arith::CmpFOp::create(s.b, s.loc, F::OLT, x, zero),
                                       arith::MulFOp::create(s.b, s.loc, slope, x), x);
      return arith::SelectOp::create(s.b, s.loc,
                                     arith::CmpIOp::create(s.b, s.loc, s.isUnsigned() ? P::ult : P::slt, x, zero),
                                     arith::MulIOp::create(s.b, s.loc, slope, x), x);
    };
    t["graph.Selu"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value alpha = s.constant(s.floatAttr("alpha", 1.67326319f), s.resultType);
      Value gamma = s.constant(s.floatAttr("gamma", 1.05070102f), s.resultType);
      Value negative = arith::MulFOp::create(s.b, s.loc, alpha, math::ExpM1Op::create(s.b, s.loc, x));
      Value positive = arith::CmpFOp::create(s.b, s.loc, F::OGT, x, s.constant(0, s.resultType));
      return arith::MulFOp::create(s.b, s.loc, gamma, arith::SelectOp::create(s.b, s.loc, positive, x, negative));
    };
    t["graph.ThresholdedRelu"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value above = arith::CmpFOp::create(s.b, s.loc, F::OGT, x, s.constant(s.floatAttr("alpha", 1.0f), s.resultType));
      return arith::SelectOp::create(s.b, s.loc, above, x, s.constant(0, s.resultType));
    };
    t["graph.Celu"] = [](Scalars &s) -> Value {
      Value x = s.args[0], zero = s.constant(0, s.resultType);
      Value alpha = s.constant(s.floatAttr("alpha", 1.0f), s.resultType);
      Value em1 = math::ExpM1Op::create(s.b, s.loc, arith::DivFOp::create(s.b, s.loc, x, alpha));
      return arith::AddFOp::create(s.b, s.loc, maxOf(s, zero, x),
                                   minOf(s, zero, arith::MulFOp::create(s.b, s.loc, alpha, em1)));
    };
    t["graph.Softsign"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value denominator = arith::AddFOp::create(s.b, s.loc, s.constant(1, s.resultType), math::AbsFOp::create(s.b, s.loc, x));
      return arith::DivFOp::create(s.b, s.loc, x, denominator);
    };
    t["graph.HardSwish"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value y = arith::AddFOp::create(s.b, s.loc, arith::MulFOp::create(s.b, s.loc, x, s.constant(1.0 / 6.0, s.resultType)),
                                      s.constant(0.5, s.resultType));
      return arith::MulFOp::create(s.b, s.loc, x,
                                   minOf(s, maxOf(s, y, s.constant(0, s.resultType)), s.constant(1, s.resultType)));
    };
    t["graph.Sign"] = [](Scalars &s) -> Value {
      Value x = s.args[0], zero = s.constant(0, s.resultType);
      Value one = s.constant(1, s.resultType), minusOne = s.constant(-1, s.resultType);
      Value positive = s.isFloat() ? Value(arith::CmpFOp::create(s.b, s.loc, F::OGT, x, zero))
                                   : Value(arith::CmpIOp::create(s.b, s.loc, s.isUnsigned() ? P::ugt : P::sgt, x, zero));
      Value negative = s.isFloat() ? Value(arith::CmpFOp::create(s.b, s.loc, F::OLT, x, zero))
                                   : Value(arith::CmpIOp::create(s.b, s.loc, s.isUnsigned() ? P::ult : P::slt, x, zero));
      return arith::SelectOp::create(s.b, s.loc, positive, one,
                                     arith::SelectOp::create(s.b, s.loc, negative, minusOne, zero));
    };
    t["graph.IsNaN"] = [](Scalars &s) -> Value {
      return arith::CmpFOp::create(s.b, s.loc, F::UNO, s.args[0], s.args[0]);
    };
    t["graph.IsInf"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Type t = x.getType();
      auto ft = cast<FloatType>(t);
      Value inf = arith::ConstantOp::create(s.b, s.loc, s.b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
      Value negInf = arith::ConstantOp::create(s.b, s.loc,
                                               s.b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
      Value isPos = arith::CmpFOp::create(s.b, s.loc, F::OEQ, x, inf);
      Value isNeg = arith::CmpFOp::create(s.b, s.loc, F::OEQ, x, negInf);
      Value falseValue = arith::ConstantOp::create(s.b, s.loc, s.b.getBoolAttr(false));
      Value pos = s.intAttr("detect_positive", 1) ? isPos : falseValue;
      Value neg = s.intAttr("detect_negative", 1) ? isNeg : falseValue;
      return arith::OrIOp::create(s.b, s.loc, pos, neg);
    };
    t["graph.BitShift"] = [](Scalars &s) -> Value {
      auto direction = s.op->getAttrOfType<StringAttr>("direction").getValue();
      if (direction == "LEFT")
        return arith::ShLIOp::create(s.b, s.loc, s.args[0], s.args[1]);
      return arith::ShRUIOp::create(s.b, s.loc, s.args[0], s.args[1]);
    };
    t["graph.Shrink"] = [](Scalars &s) -> Value {
      Value x = s.args[0];
      Value lambd = s.constant(s.floatAttr("lambd", 0.5f), s.resultType);
      Value bias = s.constant(s.floatAttr("bias", 0.0f), s.resultType);
      Value below = arith::CmpFOp::create(s.b, s.loc, F::OLT, x, arith::NegFOp::create(s.b, s.loc, lambd));
      Value above = arith::CmpFOp::create(s.b, s.loc, F::OGT, x, lambd);
      return arith::SelectOp::create(
          s.b, s.loc, below, arith::AddFOp::create(s.b, s.loc, x, bias),
          arith::SelectOp::create(s.b, s.loc, above, arith::SubFOp::create(s.b, s.loc, x, bias),
                                  s.constant(0, s.resultType)));
    };
    // Mod: fmod=1 is C's fmod/remainder (sign of the dividend); fmod=0 (integers only) takes the divisor's sign.
    t["graph.Mod"] = [](Scalars &s) -> Value {
      Value a = s.args[0], b = s.args[1];
      if (s.isFloat())
        return arith::RemFOp::create(s.b, s.loc, a, b);
      if (s.isUnsigned())
        return arith::RemUIOp::create(s.b, s.loc, a, b);
      Value r = arith::RemSIOp::create(s.b, s.loc, a, b);
      if (s.intAttr("fmod", 0))
        return r;
      Value zero = s.constant(0, s.resultType);
      Value nonzero = arith::CmpIOp::create(s.b, s.loc, P::ne, r, zero);
      Value signsDiffer = arith::XOrIOp::create(s.b, s.loc, arith::CmpIOp::create(s.b, s.loc, P::slt, r, zero),
                                                arith::CmpIOp::create(s.b, s.loc, P::slt, b, zero));
      Value adjust = arith::AndIOp::create(s.b, s.loc, nonzero, signsDiffer);
      return arith::SelectOp::create(s.b, s.loc, adjust, arith::AddIOp::create(s.b, s.loc, r, b), r);
    };
    // Clip's min and max are optional: the pattern passes only the present ones, in order.
    t["graph.Clip"] = [](Scalars &s) -> Value {
      auto clip = cast<graph::ClipOp>(s.op);
      Value v = s.args[0];
      unsigned next = 1;
      if (!isa<NoneType>(clip.getMin().getType()))
        v = maxOf(s, v, s.args[next++]);
      if (!isa<NoneType>(clip.getMax().getType()))
        v = minOf(s, v, s.args[next]);
      return v;
    };
    return t;
  }();
  return table;
}

/// Operands that contribute only their element type (CastLike's target_type), neither values nor shape.
bool typeOnlyOperand(Operation *op, unsigned index) { return isa<graph::CastLikeOp>(op) && index == 1; }

struct ElementwiseToGeneric : ConversionPattern {
  ElementwiseToGeneric(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rewriter) const override {
    auto it = scalarBuilders().find(op->getName().getStringRef());
    if (it == scalarBuilders().end())
      return failure();
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "needs one static ranked result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    ArrayRef<int64_t> shape = resultType.getShape();
    MLIRContext *ctx = op->getContext();

    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    SmallVector<Type> sourceTypes;
    for (auto [index, original, converted] : llvm::enumerate(op->getOperands(), operands)) {
      if (isa<NoneType>(original.getType()) || typeOnlyOperand(op, index))
        continue;
      auto type = dyn_cast<RankedTensorType>(converted.getType());
      if (!type || !type.hasStaticShape())
        return rewriter.notifyMatchFailure(op, "operand shape not static");
      // Numpy broadcasting, right-aligned: each dimension equals the result's or is 1.
      if (type.getRank() > static_cast<int64_t>(shape.size()))
        return rewriter.notifyMatchFailure(op, "operand has a higher rank than the result");
      for (int64_t i = 0, offset = shape.size() - type.getRank(); i < type.getRank(); ++i)
        if (type.getDimSize(i) != 1 && type.getDimSize(i) != shape[offset + i])
          return rewriter.notifyMatchFailure(op, "operand does not broadcast to the result");
      inputs.push_back(converted);
      maps.push_back(broadcastIndexingMap(ctx, type, shape));
      sourceTypes.push_back(getElementTypeOrSelf(original.getType()));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));

    if (!isa<FloatType>(sourceTypes.front()) && floatOnlyOps().contains(op->getName().getStringRef()))
      return rewriter.notifyMatchFailure(op, "integer operands are not supported for this op");

    Location loc = op->getLoc();
    Value init = emptyTensor(rewriter, loc, resultType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, parallelIterators(shape.size()),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Scalars s{b, nested, op, args.drop_back(), sourceTypes, resultType.getElementType(),
                    sourceResult.getElementType()};
          linalg::YieldOp::create(b, nested, it->second(s));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateGraphElementwiseToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ElementwiseToGeneric>(converter, patterns.getContext());
}

} // namespace sinter

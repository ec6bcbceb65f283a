//===- SinterToLinalg.cpp - sinter.quantized_matmul -> linalg on tensors -------------------------------===//
//
// One linalg.generic contraction (parallel m, n; reduction k) whose body dequantizes each weight inline:
// its indexing maps read the (at most two) bytes holding code k of column n, lo = (k*b) floordiv 8 and
// hi = (k*b + b - 1) floordiv 8, shift = (k*b) mod 8, and the group's scale (and zero point) at
// (n, k floordiv G) (docs/QUANTIZATION.md). The IR stays exact: a plain loop lowering computes
// y[m][n] = sum_k x[m][k] * scale * (code - zero) and never materializes the fp32 weight. The generic carries
// the discardable attribute `sinter.quantized_matmul = {bits, group_size, symmetric}` so the CPU target can
// replace it by the fused dequantize + matmul ukernel (compiler/targets/cpu/QuantizedUkernel.h).
// Outliers (R per column) ride in the same contraction, so the ukernel applies them in the same call: the
// rows and values are two more inputs read at (n, k mod R), and the steps k < R add
// x[m][rows[n][k]] * values[n][k] (a gather of x, never a dense side matrix; the marker carries R).
// fp16 scales and outliers are decoded with integer ops, so no fp16 runtime support or libcall is needed.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/Passes.h"
#include "dialects/sinter/SinterDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace sinter {
#define GEN_PASS_DEF_CONVERTSINTERTOLINALG
#include "compiler/conversion/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace sinter {
namespace {

Value i32Constant(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantOp::create(b, l, b.getI32IntegerAttr(int32_t(v)));
}

/// IEEE binary16 (as an f16 value) -> f32 with integer ops only: normal, subnormal, zero, inf and nan.
Value halfToF32(OpBuilder &b, Location l, Value half) {
  Type i32 = b.getI32Type();
  Value bits = arith::ExtUIOp::create(b, l, i32, arith::BitcastOp::create(b, l, b.getI16Type(), half));
  Value sign = arith::ShLIOp::create(b, l, arith::AndIOp::create(b, l, bits, i32Constant(b, l, 0x8000)),
                                     i32Constant(b, l, 16));
  Value exponent = arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, bits, i32Constant(b, l, 10)),
                                         i32Constant(b, l, 0x1f));
  Value mantissa = arith::AndIOp::create(b, l, bits, i32Constant(b, l, 0x3ff));
  Value shiftedMantissa = arith::ShLIOp::create(b, l, mantissa, i32Constant(b, l, 13));
  Value normal = arith::OrIOp::create(
      b, l, arith::ShLIOp::create(b, l, arith::AddIOp::create(b, l, exponent, i32Constant(b, l, 112)),
                                  i32Constant(b, l, 23)),
      shiftedMantissa);
  Value special = arith::OrIOp::create(b, l, i32Constant(b, l, 0x7f800000), shiftedMantissa);
  Value isSpecial = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, exponent, i32Constant(b, l, 31));
  Value magnitude = arith::SelectOp::create(b, l, isSpecial, special, normal);
  // Subnormals and zero: mantissa * 2^-24, exact in f32.
  Value subnormal = arith::MulFOp::create(b, l, arith::UIToFPOp::create(b, l, b.getF32Type(), mantissa),
                                          arith::ConstantOp::create(b, l, b.getF32FloatAttr(1.0f / 16777216.0f)));
  Value subnormalBits = arith::BitcastOp::create(b, l, i32, subnormal);
  Value isSubnormal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, exponent, i32Constant(b, l, 0));
  Value unsignedBits = arith::SelectOp::create(b, l, isSubnormal, subnormalBits, magnitude);
  return arith::BitcastOp::create(b, l, b.getF32Type(), arith::OrIOp::create(b, l, unsignedBits, sign));
}

Value toF32(OpBuilder &b, Location l, Value v) { return v.getType().isF16() ? halfToF32(b, l, v) : v; }

/// Code k from its bytes lo and hi (zero-extended to i32) in the dense layout: bits [k*bits, k*bits+bits).
Value denseCode(OpBuilder &b, Location l, Value lo, Value hi, Value k, int64_t bits) {
  Value word = arith::OrIOp::create(b, l, lo, arith::ShLIOp::create(b, l, hi, i32Constant(b, l, 8)));
  Value shift =
      arith::AndIOp::create(b, l, arith::MulIOp::create(b, l, k, i32Constant(b, l, bits)), i32Constant(b, l, 7));
  return arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, word, shift), i32Constant(b, l, (1 << bits) - 1));
}

/// Code k in the blocked 3-bit layout: vector t = (k mod 32) / 4 is field f = t mod 3 of lo (bits 3f ..), and
/// field 2 takes its high bit from hi, bit 6 + t / 3.
Value blockedCode(OpBuilder &b, Location l, Value lo, Value hi, Value k) {
  Value t = arith::ShRUIOp::create(b, l, arith::AndIOp::create(b, l, k, i32Constant(b, l, 31)), i32Constant(b, l, 2));
  Value f = arith::RemUIOp::create(b, l, t, i32Constant(b, l, 3));
  Value v = arith::DivUIOp::create(b, l, t, i32Constant(b, l, 3));
  Value field = arith::AndIOp::create(
      b, l, arith::ShRUIOp::create(b, l, lo, arith::MulIOp::create(b, l, f, i32Constant(b, l, 3))),
      i32Constant(b, l, 7));
  Value high = arith::ShRUIOp::create(b, l, hi, arith::AddIOp::create(b, l, v, i32Constant(b, l, 6)));
  high = arith::ShLIOp::create(b, l, arith::AndIOp::create(b, l, high, i32Constant(b, l, 1)), i32Constant(b, l, 2));
  Value third = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, f, i32Constant(b, l, 2));
  return arith::OrIOp::create(b, l, field, arith::SelectOp::create(b, l, third, high, i32Constant(b, l, 0)));
}

/// y[M][N] (init) += x[M][K] . W', W'[k][n] = scale * (code - zero) decoded from the packed codes inline.
Value fusedContraction(OpBuilder &b, Location loc, QuantizedMatMulOp op, Value x, Value init) {
  MLIRContext *ctx = b.getContext();
  int64_t k = op.getK(), n = op.getN(), bits = op.getBits(), group = op.getGroupSize();
  bool blocked = op.getBlocked();
  AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx), dk = getAffineDimExpr(2, ctx);
  Value packed = op.getPacked();
  if (bits == 8 && (k + 7) / 8 * 8 != k) {
    // At 8 bits the byte maps fold to plain k, which linalg requires to match the dimension exactly: drop
    // the column padding first (a view, no copy).
    OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
    packed = tensor::ExtractSliceOp::create(b, loc, packed, ArrayRef<OpFoldResult>{zero, zero},
                                            ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(k)},
                                            ArrayRef<OpFoldResult>{one, one});
  }
  SmallVector<Value> inputs = {x, packed, packed, op.getScales()};
  // The two bytes that hold code k: dense, the bytes of bits [k*bits, k*bits+bits); blocked, the byte of
  // its field in V(t / 3) and the byte of V2 that holds the third fields' high bits (qgemm_tiles.h).
  AffineExpr lane = 96 * dk.floorDiv(256) + 4 * (dk % 256).floorDiv(32) + dk % 4;
  AffineExpr loByte = blocked ? lane + 32 * (dk % 32).floorDiv(4).floorDiv(3) : (dk * bits).floorDiv(8);
  AffineExpr hiByte = blocked ? lane + 64 : (dk * bits + bits - 1).floorDiv(8);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {dm, dk}, ctx), AffineMap::get(3, 0, {dn, loByte}, ctx),
                                 AffineMap::get(3, 0, {dn, hiByte}, ctx),
                                 AffineMap::get(3, 0, {dn, dk.floorDiv(group)}, ctx)};
  if (op.getZeros()) {
    inputs.push_back(op.getZeros());
    maps.push_back(maps.back());
  }
  int64_t outliers = op.getOutlierRows() ? op.getOutlierRows().getType().getDimSize(1) : 0;
  if (outliers > 0) {
    inputs.append({op.getOutlierRows(), op.getOutlierValues()});
    maps.append(2, AffineMap::get(3, 0, {dn, dk % outliers}, ctx));
  }
  maps.push_back(AffineMap::get(3, 0, {dm, dn}, ctx));
  bool symmetric = op.getSymmetric();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      {utils::IteratorType::parallel, utils::IteratorType::parallel, utils::IteratorType::reduction},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Type i32 = nb.getI32Type(), f32 = nb.getF32Type();
        Value lo = arith::ExtUIOp::create(nb, l, i32, args[1]);
        Value hi = arith::ExtUIOp::create(nb, l, i32, args[2]);
        Value kIndex = arith::IndexCastOp::create(nb, l, i32, linalg::IndexOp::create(nb, l, 2));
        Value code = blocked ? blockedCode(nb, l, lo, hi, kIndex) : denseCode(nb, l, lo, hi, kIndex, bits);
        Value zero = symmetric ? Value(arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(float(1 << (bits - 1)))))
                               : Value(arith::UIToFPOp::create(nb, l, f32, arith::ExtUIOp::create(nb, l, i32, args[4])));
        Value centered = arith::SubFOp::create(nb, l, arith::UIToFPOp::create(nb, l, f32, code), zero);
        Value weight = arith::MulFOp::create(nb, l, toF32(nb, l, args[3]), centered);
        Value product = arith::MulFOp::create(nb, l, args[0], weight);
        if (outliers > 0) {
          // Steps k < R also add outlier k of column n: x[m][rows[n][k]] * values[n][k].
          Value row = arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[args.size() - 3]);
          Value xv = tensor::ExtractOp::create(nb, l, x, ValueRange{linalg::IndexOp::create(nb, l, 0), row});
          Value side = arith::MulFOp::create(nb, l, xv, halfToF32(nb, l, args[args.size() - 2]));
          Value inSide = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, kIndex, i32Constant(nb, l, outliers));
          Value none = arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0.0f));
          product = arith::AddFOp::create(nb, l, product, arith::SelectOp::create(nb, l, inSide, side, none));
        }
        linalg::YieldOp::create(nb, l, arith::AddFOp::create(nb, l, args.back(), product).getResult());
      });
  // What the CPU target's ukernel recognizer needs beyond the operands' types.
  SmallVector<NamedAttribute> marker = {b.getNamedAttr("bits", b.getI64IntegerAttr(bits)),
                                        b.getNamedAttr("group_size", b.getI64IntegerAttr(group)),
                                        b.getNamedAttr("symmetric", b.getBoolAttr(symmetric))};
  if (outliers > 0)
    marker.push_back(b.getNamedAttr("outliers", b.getI64IntegerAttr(outliers)));
  if (op.getInt8Activations())
    marker.push_back(b.getNamedAttr("int8_activations", b.getUnitAttr()));
  if (blocked)
    marker.push_back(b.getNamedAttr("blocked", b.getUnitAttr()));
  generic->setAttr("sinter.quantized_matmul", b.getDictionaryAttr(marker));
  return generic.getResult(0);
}

struct QuantizedMatMulLowering : OpConversionPattern<QuantizedMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(QuantizedMatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType(), resultType = op.getOutput().getType();
    int64_t k = op.getK(), n = op.getN(), rank = inputType.getRank();
    int64_t m = inputType.getNumElements() / std::max<int64_t>(k, 1);
    Type f32 = rewriter.getF32Type();

    // The input as [M][K]: rank 1 gains a unit M, rank > 2 folds its leading dimensions into M.
    auto input2d = RankedTensorType::get({m, k}, f32);
    SmallVector<ReassociationIndices> inputGroups;
    Value x = op.getInput();
    if (rank == 1) {
      x = tensor::ExpandShapeOp::create(rewriter, loc, input2d, x, SmallVector<ReassociationIndices>{{0, 1}});
    } else if (rank > 2) {
      ReassociationIndices leading;
      for (int64_t i = 0; i < rank - 1; ++i)
        leading.push_back(i);
      inputGroups = {leading, {rank - 1}};
      x = tensor::CollapseShapeOp::create(rewriter, loc, input2d, x, inputGroups);
    }

    auto output2d = RankedTensorType::get({m, n}, f32);
    Value zero = arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0.0f));
    Value init = linalg::FillOp::create(rewriter, loc, zero,
                                        ValueRange{tensor::EmptyOp::create(rewriter, loc, output2d.getShape(), f32)})
                     .getResult(0);
    Value y = fusedContraction(rewriter, loc, op, x, init);

    if (rank == 1)
      y = tensor::CollapseShapeOp::create(rewriter, loc, resultType, y, SmallVector<ReassociationIndices>{{0, 1}});
    else if (rank > 2)
      y = tensor::ExpandShapeOp::create(rewriter, loc, resultType, y, inputGroups);
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct ConvertSinterToLinalg : impl::ConvertSinterToLinalgBase<ConvertSinterToLinalg> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<SinterDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    patterns.add<QuantizedMatMulLowering>(&getContext());
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace sinter

//===- MatMulToLinalg.cpp - MatMul and Gemm -> linalg ---------------------------------------------------===//
//
// 2-D MatMul becomes linalg.matmul. N-D MatMul (batch dimensions broadcast as in numpy.matmul, 1-D operands
// promoted and the promoted dimension dropped) becomes a linalg.generic contraction over
// [batch..., m, n, k]. Gemm becomes alpha * op(A) op(B) (+ beta * C) with the transposes in the indexing
// maps, so no transpose is materialized.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/conversion/GraphToLinalg/GraphToLinalg.h"
#include "compiler/conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace sinter {
namespace {

Value multiplyAdd(OpBuilder &b, Location loc, Value x, Value y, Value acc) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

struct MatMulLowering : OpConversionPattern<graph::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    auto aType = dyn_cast<RankedTensorType>(adaptor.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(adaptor.getB().getType());
    if (!sourceResult || !aType || !bType || !aType.hasStaticShape() || !bType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Location loc = op.getLoc();
    Type element = resultType.getElementType();
    Value zero = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0));

    if (aType.getRank() == 2 && bType.getRank() == 2) {
      rewriter.replaceOp(op, linalg::MatmulOp::create(rewriter, loc, TypeRange{resultType},
                                                      ValueRange{adaptor.getA(), adaptor.getB()}, ValueRange{zero})
                                 .getResults());
      return success();
    }

    // General case. Loops: [batch..., m, n, k] where batch has the result's leading rank; a 1-D A has no m,
    // a 1-D B has no n (numpy.matmul promotion), so those loops are absent.
    MLIRContext *ctx = getContext();
    int64_t ra = aType.getRank(), rb = bType.getRank();
    bool hasM = ra > 1, hasN = rb > 1;
    int64_t batch = resultType.getRank() - (hasM ? 1 : 0) - (hasN ? 1 : 0);
    int64_t loops = batch + (hasM ? 1 : 0) + (hasN ? 1 : 0) + 1;
    AffineExpr k = getAffineDimExpr(loops - 1, ctx);
    AffineExpr m = hasM ? getAffineDimExpr(batch, ctx) : AffineExpr();
    AffineExpr n = hasN ? getAffineDimExpr(batch + (hasM ? 1 : 0), ctx) : AffineExpr();
    ArrayRef<int64_t> resultShape = resultType.getShape();
    auto batchExprs = [&](RankedTensorType t, int64_t matrixDims) {
      SmallVector<AffineExpr> exprs;
      int64_t operandBatch = t.getRank() - matrixDims;
      for (int64_t i = 0; i < operandBatch; ++i) {
        int64_t loop = batch - operandBatch + i;
        bool broadcast = t.getDimSize(i) == 1 && resultShape[loop] != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(loop, ctx));
      }
      return exprs;
    };
    SmallVector<AffineExpr> aExprs = batchExprs(aType, hasM ? 2 : 1);
    if (hasM)
      aExprs.push_back(m);
    aExprs.push_back(k);
    SmallVector<AffineExpr> bExprs = batchExprs(bType, hasN ? 2 : 1);
    bExprs.push_back(k);
    if (hasN)
      bExprs.push_back(n);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < loops - 1; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, aExprs, ctx), AffineMap::get(loops, 0, bExprs, ctx),
                                   AffineMap::get(loops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(loops - 1);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB()}, ValueRange{zero}, maps,
        iterators, [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, multiplyAdd(b, l, args[0], args[1], args[2]));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct GemmLowering : OpConversionPattern<graph::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(graph::GemmOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType sourceResult = staticResultType(op);
    if (!sourceResult || !isa<FloatType>(sourceResult.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static floating-point result");
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(sourceResult));
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Type element = resultType.getElementType();
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx), k = getAffineDimExpr(2, ctx);
    AffineMap mapA = AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m} : ArrayRef<AffineExpr>{m, k}, ctx);
    AffineMap mapB = AffineMap::get(3, 0, op.getTransB() ? ArrayRef<AffineExpr>{n, k} : ArrayRef<AffineExpr>{k, n}, ctx);
    AffineMap mapY = AffineMap::get(3, 0, {m, n}, ctx);
    Value zero = filledTensor(rewriter, loc, resultType, scalarConstant(rewriter, loc, element, 0));
    SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel, utils::IteratorType::parallel,
                                                  utils::IteratorType::reduction};
    Value product = linalg::GenericOp::create(
                        rewriter, loc, TypeRange{resultType}, ValueRange{adaptor.getA(), adaptor.getB()},
                        ValueRange{zero}, ArrayRef<AffineMap>{mapA, mapB, mapY}, iterators,
                        [](OpBuilder &b, Location l, ValueRange args) {
                          linalg::YieldOp::create(b, l, multiplyAdd(b, l, args[0], args[1], args[2]));
                        })
                        .getResult(0);

    // Y = alpha * product + beta * C, in one elementwise pass (skipped when it would be the identity).
    float alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
    bool hasC = !isa<NoneType>(op.getC().getType()) && beta != 0.0f;
    if (alpha == 1.0f && !hasC) {
      rewriter.replaceOp(op, product);
      return success();
    }
    SmallVector<Value> inputs = {product};
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(2, ctx)};
    if (hasC) {
      auto cType = dyn_cast<RankedTensorType>(adaptor.getC().getType());
      if (!cType || !cType.hasStaticShape())
        return rewriter.notifyMatchFailure(op, "C shape not static");
      inputs.push_back(adaptor.getC());
      maps.push_back(broadcastIndexingMap(ctx, cType, resultType.getShape()));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
            parallelIterators(2),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value v = args[0];
              if (alpha != 1.0f)
                v = arith::MulFOp::create(b, l, v, scalarConstant(b, l, element, alpha));
              if (hasC) {
                Value c = args[1];
                if (beta != 1.0f)
                  c = arith::MulFOp::create(b, l, c, scalarConstant(b, l, element, beta));
                v = arith::AddFOp::create(b, l, v, c);
              }
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateGraphMatMulToLinalgPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(converter, patterns.getContext());
}

} // namespace sinter

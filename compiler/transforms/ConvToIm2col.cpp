//===- ConvToIm2col.cpp - f32 2-D convolutions as im2col + matrix multiplication -----------------------===//
#include "compiler/transforms/ConstantFloats.h"
#include "compiler/transforms/ContractionEpilogue.h"
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

namespace sinter {
#define GEN_PASS_DEF_CONVTOIM2COL
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace {

/// The share of useful lanes when `n` columns are covered by tiles of `width`.
double tileFill(int64_t n, int64_t width) { return double(n) / double((n + width - 1) / width * width); }

/// A batch-1 convolution over a small output map (ResNet's 7x7 stage) as the transposed product
/// C^T[P, F] = patches^T[P, K] . W^T[K, F], P = OH*OW output positions, K = C*KH*KW, F filters: the positions
/// become rows, which the ukernel tiles in 6s, and the filters columns, which fill its 32-wide tiles; as
/// C[F, P] the 49 positions of a 7x7 map fill two tiles 77%. Taken when the positions fill 32-wide tiles at
/// least 20 points worse than the filters: at 14x14 (196 positions, 88%) the gather and the transposes cost
/// what the product saves (measured on ResNet-18, 1 and 2 threads). The patches are gathered into memory once
/// (the ukernel gathers only its right-hand side) and W^T is a new constant (packed at compile time like any
/// matmul weight); C's init and result are transposed around it. Returns failure, changing nothing, for
/// convolutions where this does not pay or does not apply.
LogicalResult rewriteTransposed(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv) {
  auto input = cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto output = cast<RankedTensorType>(conv->getResult(0).getType());
  int64_t F = output.getDimSize(1), OH = output.getDimSize(2), OW = output.getDimSize(3), P = OH * OW;
  int64_t C = filter.getDimSize(1), KH = filter.getDimSize(2), KW = filter.getDimSize(3), K = C * KH * KW;
  if (input.getDimSize(0) != 1 || tileFill(F, 32) < tileFill(P, 32) + 0.2)
    return failure();
  auto constant = conv.getInputs()[1].getDefiningOp<arith::ConstantOp>();
  SmallVector<float> storage;
  ArrayRef<float> weights = constant ? sinter::constantFloats(constant.getValue(), storage) : ArrayRef<float>();
  if (weights.size() != static_cast<size_t>(F * K))
    return failure();
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());

  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type f32 = rewriter.getF32Type();
  rewriter.setInsertionPoint(conv);
  // W^T [K, F] as a new constant.
  std::vector<float> transposed(static_cast<size_t>(K * F));
  for (int64_t f = 0; f < F; ++f)
    for (int64_t k = 0; k < K; ++k)
      transposed[k * F + f] = weights[f * K + k];
  auto wtType = RankedTensorType::get({K, F}, f32);
  ArrayRef<char> bytes(reinterpret_cast<const char *>(transposed.data()), transposed.size() * sizeof(float));
  Value wt = arith::ConstantOp::create(
      rewriter, loc, wtType,
      DenseResourceElementsAttr::get(wtType, "conv_weight_t",
                                     HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float))));

  // patches^T [P, K] as [OH, OW, C, KH, KW] (k = (c, kh, kw) as the filter lays it out), read through an
  // affine map: no index arithmetic per element.
  auto patches5Type = RankedTensorType::get({OH, OW, C, KH, KW}, f32);
  AffineExpr oh = getAffineDimExpr(0, ctx), ow = getAffineDimExpr(1, ctx), ch = getAffineDimExpr(2, ctx),
             kh = getAffineDimExpr(3, ctx), kw = getAffineDimExpr(4, ctx);
  AffineMap read =
      AffineMap::get(5, 0, {getAffineConstantExpr(0, ctx), ch, oh * strides[0] + kh, ow * strides[1] + kw}, ctx);
  auto patches5 = linalg::GenericOp::create(
      rewriter, loc, TypeRange{patches5Type}, ValueRange{conv.getInputs()[0]},
      ValueRange{tensor::EmptyOp::create(rewriter, loc, patches5Type.getShape(), f32)},
      ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(5)},
      SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) { linalg::YieldOp::create(b, l, args[0]); });
  auto patchesType = RankedTensorType::get({P, K}, f32);
  Value patches = tensor::CollapseShapeOp::create(rewriter, loc, patchesType, patches5.getResult(0),
                                                  SmallVector<ReassociationIndices>{{0, 1}, {2, 3, 4}});

  // init^T [P, F] from the convolution's init [1, F, OH, OW]: a bias broadcast or a fill is rebuilt in the
  // new layout (so that sinter-fuse-epilogues still folds it into the product), anything else transposed.
  auto cfType = RankedTensorType::get({F, P}, f32), cpType = RankedTensorType::get({P, F}, f32);
  SmallVector<ReassociationIndices> collapse = {{0, 1}, {2, 3}};
  Value initT;
  Value emptyT = tensor::EmptyOp::create(rewriter, loc, cpType.getShape(), f32);
  Operation *initOp = conv.getOutputs()[0].getDefiningOp();
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(initOp)) {
    initT = linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], emptyT)->getResult(0);
  } else if (auto broadcast = dyn_cast_or_null<linalg::GenericOp>(initOp); broadcast && sinter::isChannelBroadcast(broadcast)) {
    initT = linalg::GenericOp::create(
                rewriter, loc, TypeRange{cpType}, ValueRange{broadcast.getDpsInputOperand(0)->get()}, ValueRange{emptyT},
                ArrayRef<AffineMap>{AffineMap::get(2, 0, getAffineDimExpr(1, ctx)), rewriter.getMultiDimIdentityMap(2)},
                SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
                [&](OpBuilder &b, Location l, ValueRange args) { linalg::YieldOp::create(b, l, args[0]); })
                .getResult(0);
  } else {
    Value init = tensor::CollapseShapeOp::create(rewriter, loc, cfType, conv.getOutputs()[0], collapse);
    initT = linalg::TransposeOp::create(rewriter, loc, init, emptyT, ArrayRef<int64_t>{1, 0})->getResult(0);
  }
  Value product =
      linalg::MatmulOp::create(rewriter, loc, TypeRange{cpType}, ValueRange{patches, wt}, ValueRange{initT})
          ->getResult(0);
  Value back = linalg::TransposeOp::create(rewriter, loc, product,
                                           tensor::EmptyOp::create(rewriter, loc, cfType.getShape(), f32),
                                           ArrayRef<int64_t>{1, 0})
                   ->getResult(0);
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(conv, output, back, collapse);
  return success();
}

struct ConvToIm2colPass : sinter::impl::ConvToIm2colBase<ConvToIm2colPass> {
  using ConvToIm2colBase::ConvToIm2colBase;
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      auto resultType = dyn_cast<RankedTensorType>(conv->getResult(0).getType());
      bool f32 = sinter::hasStaticF32Operands(conv);
      // Upstream's rewrite handles unit dilations only; dilated convolutions stay direct loops.
      bool unitDilations = llvm::all_of(conv.getDilations(), [](const APInt &d) { return d.isOne(); });
      if (resultType && f32 && unitDilations)
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      if (transposeSmallMaps && succeeded(rewriteTransposed(rewriter, conv)))
        continue;
      rewriter.setInsertionPoint(conv);
      if (failed(linalg::rewriteInIm2Col(rewriter, conv)))
        return conv.emitError("internal error: im2col rewrite failed"), signalPassFailure();
    }
  }
};

} // namespace

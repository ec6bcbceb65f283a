//===- ConvToWinograd.cpp - 3x3 stride-1 convolutions as Winograd F(2x2, 3x3) ----------------------------===//
//
// A 3x3 stride-1 convolution over C channels and F filters, its output cut into T 2x2 tiles, becomes
//
//   V[16, C, T] = B^T d B          input transform: each 4x4 input tile (tiles overlap by 2)
//   M[16, F, T] = U[16, F, C] V    16 independent products, U = G g G^T transformed at compile time
//   Y[F, 2x2 T] += A^T m A         output transform, into the convolution's own init (its bias)
//
// 16/36 of the multiplications of the direct (im2col) form; the transforms are additions
// (WinogradTransforms.h). U is stored in the order the CPU target's fused ukernel reads it
// (ukernels/winograd_tiles.h) and read through a map, so the IR stays exact. sinter-fuse-epilogues groups
// the three ops, and the CPU target runs them as one ukernel that never writes V or M. The product dominates
// only with enough channels and tiles: small maps pay the transforms and the 16/9 larger transformed
// weights for little, which `min-tiles` and `min-channels` exclude (ResNet's 7x7 maps, 16 tiles, measured
// slower).
//
// An odd output extent is rounded up to whole tiles by padding the input (and the init) one more row or
// column of zeros; the surplus outputs are sliced off.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/transforms/ConstantFloats.h"
#include "compiler/transforms/ContractionEpilogue.h"
#include "compiler/transforms/Passes.h"
#include "compiler/transforms/WinogradTransforms.h"

#include "compiler/targets/cpu/ukernels/winograd_tiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace sinter {
#define GEN_PASS_DEF_CONVTOWINOGRAD
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;
using namespace sinter;

SmallVector<AffineMap> sinter::winogradProductMaps(MLIRContext *ctx, int64_t fs) {
  AffineExpr ab = getAffineDimExpr(0, ctx), f = getAffineDimExpr(1, ctx), t = getAffineDimExpr(2, ctx),
             c = getAffineDimExpr(3, ctx);
  int64_t cb = SINTER_UK_WINOGRAD_CB, mr = SINTER_UK_WINOGRAD_MR;
  return {AffineMap::get(4, 0, {f.floorDiv(fs), c.floorDiv(cb), ab, (f % fs).floorDiv(mr), c % cb, f % mr}, ctx),
          AffineMap::get(4, 0, {ab, c, t}, ctx), AffineMap::get(4, 0, {ab, f, t}, ctx)};
}

SmallVector<AffineMap> sinter::winogradTransformMaps(MLIRContext *ctx, bool input) {
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap out = AffineMap::getMultiDimIdentityMap(8, ctx).getMajorSubMap(6);
  if (input)
    return {AffineMap::get(8, 0, {d(0), d(6)}, ctx),
            AffineMap::get(8, 0, {d(3), d(2), d(4) * 2 + d(6), d(5) * 2 + d(7)}, ctx),
            AffineMap::get(8, 0, {d(1), d(7)}, ctx), out};
  return {AffineMap::get(8, 0, {d(3), d(6)}, ctx), AffineMap::get(8, 0, {d(6), d(7), d(1), d(0), d(2), d(4)}, ctx),
          AffineMap::get(8, 0, {d(5), d(7)}, ctx), out};
}

namespace {

/// The transformed filters U[(a, b), f, c] = sum_ij G[a, i] g[f, c, i, j] G[b, j] of a [F, C, 3, 3] filter,
/// in double, stored in the packed order of winograd_tiles.h (zero past F and C).
std::vector<float> transformFilter(ArrayRef<float> g, int64_t F, int64_t C, ArrayRef<int64_t> packedShape) {
  int64_t fs = sinter_uk_winograd_filter_chunk(F), mr = SINTER_UK_WINOGRAD_MR, cb = SINTER_UK_WINOGRAD_CB;
  int64_t cc = packedShape[1], panels = packedShape[3];
  std::vector<float> u(static_cast<size_t>(ShapedType::getNumElements(packedShape)), 0.0f);
  for (int64_t f = 0; f < F; ++f)
    for (int64_t c = 0; c < C; ++c) {
      const float *k = &g[(f * C + c) * 9];
      double gk[4][3]; // G g
      for (int a = 0; a < 4; ++a)
        for (int j = 0; j < 3; ++j)
          gk[a][j] = kWinogradG[a * 3] * k[j] + kWinogradG[a * 3 + 1] * k[3 + j] + kWinogradG[a * 3 + 2] * k[6 + j];
      for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
          int64_t at = ((((f / fs) * cc + c / cb) * 16 + (a * 4 + b)) * panels + (f % fs) / mr) * cb * mr +
                       (c % cb) * mr + f % mr;
          u[at] = static_cast<float>(gk[a][0] * kWinogradG[b * 3] + gk[a][1] * kWinogradG[b * 3 + 1] +
                                     gk[a][2] * kWinogradG[b * 3 + 2]);
        }
    }
  return u;
}

/// `source` padded with `extra` more zero rows and columns at the high end of its H and W (dims 2, 3).
/// A zero tensor.pad that only this convolution reads is widened instead of padded again.
Value padHigh(RewriterBase &rewriter, Location loc, Value source, int64_t extraH, int64_t extraW) {
  if (!extraH && !extraW)
    return source;
  SmallVector<int64_t> low(4, 0), high = {0, 0, extraH, extraW};
  if (auto pad = source.getDefiningOp<tensor::PadOp>(); pad && source.hasOneUse()) {
    Value value = pad.getConstantPaddingValue();
    if (value && matchPattern(value, m_PosZeroFloat()) && !ShapedType::isDynamicShape(pad.getStaticLow()) &&
        !ShapedType::isDynamicShape(pad.getStaticHigh())) {
      low.assign(pad.getStaticLow().begin(), pad.getStaticLow().end());
      for (int d = 0; d < 4; ++d)
        high[d] += pad.getStaticHigh()[d];
      source = pad.getSource();
    }
  }
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (int d = 0; d < 4; ++d)
    shape[d] += low[d] + high[d];
  Value zero = arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0.0f));
  auto toFold = [&](ArrayRef<int64_t> values) {
    return llvm::map_to_vector(values, [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); });
  };
  return tensor::PadOp::create(rewriter, loc, RankedTensorType::get(shape, type.getElementType()), source, toFold(low),
                               toFold(high), zero);
}

Value floatConstant(RewriterBase &rewriter, Location loc, ArrayRef<int64_t> shape, ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return arith::ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, values));
}

Value zeros(RewriterBase &rewriter, Location loc, ArrayRef<int64_t> shape) {
  Type f32 = rewriter.getF32Type();
  Value zero = arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0.0f));
  Value empty = tensor::EmptyOp::create(rewriter, loc, shape, f32);
  return linalg::FillOp::create(rewriter, loc, zero, empty)->getResult(0);
}

/// A transform: out[d0..d5] += sum over (d6, d7) of matrix[..] * x[..] * matrix[..] (winogradTransformMaps),
/// marked `kind`.
Value transformGeneric(RewriterBase &rewriter, Location loc, Value matrix, Value x, Value init, StringRef kind) {
  SmallVector<utils::IteratorType> iterators(6, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()}, ValueRange{matrix, x, matrix}, ValueRange{init},
      winogradTransformMaps(rewriter.getContext(), kind == kWinogradInput), iterators,
      [](OpBuilder &b, Location l, ValueRange args) {
        Value left = arith::MulFOp::create(b, l, args[0], args[1]);
        Value both = arith::MulFOp::create(b, l, left, args[2]);
        linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, args[3], both)});
      });
  generic->setAttr(kWinogradAttr, rewriter.getStringAttr(kind));
  return generic.getResult(0);
}

LogicalResult rewriteWinograd(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv, int64_t minChannels,
                              int64_t minTiles) {
  auto input = cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filter = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto output = cast<RankedTensorType>(conv->getResult(0).getType());
  int64_t N = output.getDimSize(0), F = output.getDimSize(1), OH = output.getDimSize(2), OW = output.getDimSize(3);
  int64_t C = filter.getDimSize(1);
  if (filter.getDimSize(2) != 3 || filter.getDimSize(3) != 3 || input.getDimSize(1) != C)
    return failure();
  if (!llvm::all_of(conv.getStrides(), [](const APInt &s) { return s.isOne(); }) ||
      !llvm::all_of(conv.getDilations(), [](const APInt &d) { return d.isOne(); }))
    return failure();
  int64_t TH = (OH + 1) / 2, TW = (OW + 1) / 2, T = N * TH * TW;
  if (C < minChannels || F < minChannels || T < minTiles)
    return failure();
  auto constant = conv.getInputs()[1].getDefiningOp<arith::ConstantOp>();
  SmallVector<float> storage;
  ArrayRef<float> weights = constant ? constantFloats(constant.getValue(), storage) : ArrayRef<float>();
  if (weights.size() != static_cast<size_t>(F * C * 9))
    return failure();

  Location loc = conv.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  rewriter.setInsertionPoint(conv);
  int64_t extraH = 2 * TH - OH, extraW = 2 * TW - OW;
  Value x = padHigh(rewriter, loc, conv.getInputs()[0], extraH, extraW);
  Value bt = floatConstant(rewriter, loc, {4, 4}, kWinogradBt);
  Value at = floatConstant(rewriter, loc, {2, 4}, kWinogradAt);
  int64_t fs = sinter_uk_winograd_filter_chunk(F), mr = SINTER_UK_WINOGRAD_MR, cb = SINTER_UK_WINOGRAD_CB;
  SmallVector<int64_t> packedShape = {(F + fs - 1) / fs, (C + cb - 1) / cb, 16, fs / mr, cb, mr};
  std::vector<float> u = transformFilter(weights, F, C, packedShape);
  auto uType = RankedTensorType::get(packedShape, rewriter.getF32Type());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(u.data()), u.size() * sizeof(float));
  Value uConst = arith::ConstantOp::create(
      rewriter, loc, uType,
      DenseResourceElementsAttr::get(uType, "winograd_filter",
                                     HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float))));

  // Input transform: loops (a, b, c, n, ty, tx, i, j).
  Value v6 = transformGeneric(rewriter, loc, bt, x, zeros(rewriter, loc, {4, 4, C, N, TH, TW}), kWinogradInput);
  SmallVector<ReassociationIndices> tiles = {{0, 1}, {2}, {3, 4, 5}};
  Value v = tensor::CollapseShapeOp::create(rewriter, loc, v6, tiles);
  // M[ab, f, t] += U[ab, f, c] * V[ab, c, t], U read from its packed layout: loops (ab, f, t, c).
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = linalg::GenericOp::create(
      rewriter, loc, TypeRange{RankedTensorType::get({16, F, T}, rewriter.getF32Type())}, ValueRange{uConst, v},
      ValueRange{zeros(rewriter, loc, {16, F, T})},
      winogradProductMaps(ctx, fs), iterators, [](OpBuilder &b, Location l, ValueRange args) {
        Value product = arith::MulFOp::create(b, l, args[0], args[1]);
        linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, args[2], product)});
      });
  product->setAttr(kWinogradAttr, rewriter.getStringAttr(kWinogradProduct));
  Value m = product.getResult(0);
  Value m6 = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({4, 4, F, N, TH, TW}, rewriter.getF32Type()), m, tiles);
  // Output transform: loops (n, f, ty, a', tx, b', a, b), accumulating into the convolution's init.
  Value init = padHigh(rewriter, loc, conv.getOutputs()[0], extraH, extraW);
  SmallVector<ReassociationIndices> pairs = {{0}, {1}, {2, 3}, {4, 5}};
  Value init6 = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({N, F, TH, 2, TW, 2}, rewriter.getF32Type()), init, pairs);
  Value y6 = transformGeneric(rewriter, loc, at, m6, init6, kWinogradOutput);
  Value y = tensor::CollapseShapeOp::create(rewriter, loc, y6, pairs);
  if (extraH || extraW) {
    SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0)), strides(4, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
        output.getShape(), [&](int64_t s) -> OpFoldResult { return rewriter.getIndexAttr(s); });
    y = tensor::ExtractSliceOp::create(rewriter, loc, output, y, offsets, sizes, strides);
  }
  rewriter.replaceOp(conv, y);
  return success();
}

struct ConvToWinogradPass : sinter::impl::ConvToWinogradBase<ConvToWinogradPass> {
  using ConvToWinogradBase::ConvToWinogradBase;
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (sinter::hasStaticF32Operands(conv))
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs)
      (void)rewriteWinograd(rewriter, conv, minChannels, minTiles);
  }
};

} // namespace

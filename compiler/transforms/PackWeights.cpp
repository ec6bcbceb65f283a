//===- PackWeights.cpp - constant matmul weights in the ukernel's panel layout -------------------------===//
#include "compiler/transforms/ConstantFloats.h"
#include "compiler/transforms/PackedWeightLayout.h"
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"

namespace sinter {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;

namespace {

/// Packs `op`'s constant right-hand operand if it is a 2-D f32 weight; returns whether it did.
bool packWeight(IRRewriter &rewriter, linalg::LinalgOp op, unsigned width, unsigned &counter) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      !linalg::isaContractionOpInterface(op))
    return false;
  OpOperand *bOperand = op.getDpsInputOperand(1);
  auto constant = bOperand->get().getDefiningOp<arith::ConstantOp>();
  auto bType = dyn_cast<RankedTensorType>(bOperand->get().getType());
  if (!constant || !bType || bType.getRank() != 2 || !bType.hasStaticShape() || !bType.getElementType().isF32())
    return false;
  for (Value operand : {op.getDpsInputOperand(0)->get(), op.getDpsInitOperand(0)->get()}) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return false;
  }
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->k.size() != 1 || dims->n.size() != 1)
    return false;
  // B's two results must be exactly the k and n loop dimensions, in either order.
  AffineMap bMap = op.getMatchingIndexingMap(bOperand);
  unsigned k = dims->k.front(), n = dims->n.front();
  bool kn = bMap == AffineMap::get(bMap.getNumDims(), 0, {getAffineDimExpr(k, op.getContext()), getAffineDimExpr(n, op.getContext())}, op.getContext());
  bool nk = bMap == AffineMap::get(bMap.getNumDims(), 0, {getAffineDimExpr(n, op.getContext()), getAffineDimExpr(k, op.getContext())}, op.getContext());
  if (!kn && !nk)
    return false;
  SmallVector<float> storage;
  ArrayRef<float> values = sinter::constantFloats(constant.getValue(), storage);
  if (values.empty())
    return false;

  int64_t K = bType.getDimSize(kn ? 0 : 1), N = bType.getDimSize(kn ? 1 : 0);
  int64_t panels = (N + width - 1) / width;
  std::vector<float> packed(static_cast<size_t>(panels * K * width), 0.0f);
  for (int64_t kk = 0; kk < K; ++kk)
    for (int64_t nn = 0; nn < N; ++nn)
      packed[(nn / width) * K * width + kk * width + nn % width] = kn ? values[kk * N + nn] : values[nn * K + kk];
  auto packedType = RankedTensorType::get({panels, K, static_cast<int64_t>(width)}, rewriter.getF32Type());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(packed.data()), packed.size() * sizeof(float));
  auto attr = DenseResourceElementsAttr::get(packedType, "packed_weight_" + std::to_string(counter++),
                                             HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float)));

  rewriter.setInsertionPoint(op);
  linalg::GenericOp generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic) {
    FailureOr<linalg::GenericOp> generalized = linalg::generalizeNamedOp(rewriter, op);
    if (failed(generalized))
      return false;
    generic = *generalized;
  }
  rewriter.setInsertionPoint(generic);
  Value packedValue = arith::ConstantOp::create(rewriter, constant.getLoc(), packedType, attr);
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  maps[1] = sinter::packedWeightMap(bMap.getNumDims(), {n, k, width}, op.getContext());
  rewriter.modifyOpInPlace(generic, [&] {
    generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    generic.getDpsInputOperand(1)->set(packedValue);
  });
  if (constant->use_empty())
    rewriter.eraseOp(constant);
  return true;
}

struct PackWeightsPass : sinter::impl::PackWeightsBase<PackWeightsPass> {
  using PackWeightsBase::PackWeightsBase;
  void runOnOperation() override {
    if (panelWidth == 0)
      return getOperation().emitError("sinter-pack-weights: panel-width must be positive"), signalPassFailure();
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) { candidates.push_back(op); });
    IRRewriter rewriter(&getContext());
    unsigned counter = 0;
    for (linalg::LinalgOp op : candidates)
      packWeight(rewriter, op, panelWidth, counter);
  }
};

} // namespace

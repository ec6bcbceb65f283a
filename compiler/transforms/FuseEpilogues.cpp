//===- FuseEpilogues.cpp - contraction + its elementwise prologue and epilogue as one dispatch -----------===//
//
// The ops around a ukernel contraction are each a full pass over C in a dispatch of their own: the bias
// broadcast that initializes C (or a fill with 0), then the bias add / ReLU / residual add that follows.
// The sgemm ukernel can apply them as it stores each micro-tile, while the accumulators are in registers
// (ukernels/sgemm_epilogue.h). This pass prepares and marks such groups on tensors, where use-def chains
// say what is safe (each value in the group has one use, so nobody else sees C's intermediate states):
//
//   %p = broadcast(bias) or fill(0)      (prologue, optional)  ->  the contraction's init
//   %c = contraction(A, B) outs(%p)
//   %e = generic ins(%c, others) ...     (epilogue, optional)  ->  generic ins(others) outs(%c), in place
//
// Reshapes between them (a convolution's [N, F, H*W] contraction and its [N, F, H, W] neighbours) are
// folded by collapsing the prologue's and epilogue's iteration dimensions to the contraction's output
// shape. The epilogue is rewritten to update C in place (its outs is %c), so after bufferization all three
// ops write one buffer and the group's meaning is exactly that of its ops in sequence: the CPU target may
// replace them by one ukernel call or, should it not match, run them as loops in one dispatch.
//
// A convolution's contraction reads its input through the im2col gather; when that input is a zero
// tensor.pad, the pad joins the group too, rewritten as the ops it bufferizes to (a fill of the padded
// tensor with 0, a copy of the input into its interior), so the CPU target can drop both and have the
// gather read the unpadded input, yielding 0 outside it (GatherUkernel.cpp): no padded copy is written.
//
// A 2-D NCHW max or sum pool's padding, when it is the op's identity (-inf, +0), is grouped with the pool
// the same way (the pooling ukernel skips the window elements outside the unpadded input), and so is the
// fill of its output with that identity.
//
// sinter-conv-to-winograd's chain (input transform, product, output transform, with the zero fills of V
// and M) becomes one group, which the CPU target runs as one fused ukernel, with the output transform's
// bias prologue, ReLU / residual-add epilogue and the input's zero padding; a batched contraction takes
// its zero fill (the ukernel's epilogue is for batch 1 otherwise).
//
// Why a tensor-level pass and not a matcher on dispatches: after bufferization "C is read by nobody else"
// is an alias question; here it is a single-use check. It runs only when the target has ukernels
// (sinter-compile adds it with --ukernels; loop code gains nothing from the groups).
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/transforms/ContractionEpilogue.h"
#include "compiler/transforms/Passes.h"
#include "compiler/transforms/WinogradTransforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace sinter {
#define GEN_PASS_DEF_FUSEEPILOGUES
#include "compiler/transforms/Passes.h.inc"
} // namespace sinter

using namespace mlir;
using namespace sinter;

namespace {

/// Reassociation groups with more than one dimension (what collapseOpIterationDims folds).
SmallVector<ReassociationIndices> foldedGroups(ArrayRef<ReassociationIndices> reassociation) {
  SmallVector<ReassociationIndices> folded;
  for (const ReassociationIndices &group : reassociation)
    if (group.size() > 1)
      folded.push_back(group);
  return folded;
}

/// Erases `value`'s defining op when nothing uses it (reshapes the rewrites leave behind).
void eraseIfDead(RewriterBase &rewriter, Value value) {
  if (Operation *op = value.getDefiningOp(); op && op->use_empty())
    rewriter.eraseOp(op);
}

/// A batch loop of `op` (non-unit, parallel, read by both inputs): the ukernel's epilogue is for batch 1.
bool hasBatch(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  AffineMap a = op.getMatchingIndexingMap(op.getDpsInputOperand(0)),
            b = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  for (unsigned d = 0; d < ranges.size(); ++d)
    if (ranges[d] != 1 && iterators[d] == utils::IteratorType::parallel && a.isFunctionOfDim(d) &&
        b.isFunctionOfDim(d))
      return true;
  return false;
}

/// The prologue producing `init` (the contraction's init), in the contraction's shape: a fill with 0 or a
/// bias broadcast with that as its only use, possibly through a collapse_shape (collapsed here). Null when
/// there is none the ukernel takes.
linalg::LinalgOp formPrologue(RewriterBase &rewriter, Value init) {
  auto collapse = init.getDefiningOp<tensor::CollapseShapeOp>();
  Value produced = collapse ? collapse.getSrc() : init;
  auto producer = produced.getDefiningOp<linalg::LinalgOp>();
  if (!producer || !produced.hasOneUse() || (collapse && !init.hasOneUse()))
    return {};
  bool zero = isPositiveZeroFill(producer);
  if (!zero && !isBroadcastCopy(producer))
    return {};
  if (!collapse)
    return producer;
  rewriter.setInsertionPoint(producer);
  if (zero) {
    Value empty = tensor::EmptyOp::create(rewriter, producer.getLoc(), collapse.getResultType().getShape(),
                                          collapse.getResultType().getElementType());
    auto filled = linalg::FillOp::create(rewriter, producer.getLoc(), producer.getDpsInputOperand(0)->get(), empty);
    rewriter.replaceOp(collapse, filled.getResult(0));
    rewriter.eraseOp(producer);
    return cast<linalg::LinalgOp>(filled.getOperation());
  }
  SmallVector<ReassociationIndices> folded = foldedGroups(collapse.getReassociationIndices());
  if (!linalg::areDimSequencesPreserved(producer.getIndexingMapsArray(), folded))
    return {};
  FailureOr<linalg::CollapseResult> collapsed = linalg::collapseOpIterationDims(producer, folded, rewriter);
  if (failed(collapsed))
    return {};
  // The collapsed prologue's result, expanded back and collapsed again by `collapse`: use it directly (and
  // drop the expand_shape, which would no longer dominate anything once the group moves).
  rewriter.replaceOp(producer, collapsed->results);
  rewriter.replaceOp(collapse, collapsed->collapsedOp->getResult(0));
  eraseIfDead(rewriter, collapsed->results[0]);
  return collapsed->collapsedOp;
}

/// The epilogue consuming `result` (the contraction's), rewritten to update it in place; null when its
/// only user is not an epilogue the ukernel can apply.
linalg::GenericOp formEpilogue(RewriterBase &rewriter, Value result) {
  if (!result.hasOneUse())
    return {};
  Operation *user = *result.getUsers().begin();
  auto expand = dyn_cast<tensor::ExpandShapeOp>(user);
  Value consumed = expand ? expand.getResult() : result;
  if (expand && !consumed.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(expand ? *consumed.getUsers().begin() : user);
  if (!generic || generic.getNumDpsInits() != 1 ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)).isIdentity() ||
      generic.getResult(0).getType() != consumed.getType())
    return {};
  // The contraction's value: an input read through the identity map.
  OpOperand *value = nullptr;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() == consumed && generic.getMatchingIndexingMap(input).isIdentity())
      value = input;
  if (!value || !matchEpilogueBody(generic, generic.getMatchingBlockArgument(value)) ||
      llvm::any_of(generic.getDpsInputOperands(), [&](OpOperand *input) {
        return input != value && !generic.getMatchingIndexingMap(input).isProjectedPermutation();
      }))
    return {};
  unsigned valueIndex = value->getOperandNumber();
  if (expand) {
    SmallVector<ReassociationIndices> folded = foldedGroups(expand.getReassociationIndices());
    if (!linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(), folded))
      return {};
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::CollapseResult> collapsed = linalg::collapseOpIterationDims(generic, folded, rewriter);
    if (failed(collapsed))
      return {};
    rewriter.replaceOp(generic, collapsed->results);
    generic = cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
    // Its input is collapse_shape(expand_shape(result)): read `result` itself.
    Value reshaped = generic->getOperand(valueIndex);
    generic->setOperand(valueIndex, result);
    eraseIfDead(rewriter, reshaped);
    eraseIfDead(rewriter, expand.getResult());
  }

  // In place: ins(others) outs(result), the value's block argument becoming the init's.
  rewriter.setInsertionPoint(generic);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->getOperandNumber() != valueIndex) {
      inputs.push_back(input->get());
      maps.push_back(generic.getMatchingIndexingMap(input));
    }
  maps.push_back(generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)));
  auto inPlace = linalg::GenericOp::create(rewriter, generic.getLoc(), TypeRange{result.getType()}, inputs,
                                           ValueRange{result}, maps, generic.getIteratorTypesArray());
  Block &oldBody = generic.getRegion().front();
  Region &region = inPlace.getRegion();
  Block *body = rewriter.createBlock(&region);
  IRMapping mapping;
  for (BlockArgument arg : oldBody.getArguments())
    if (arg.getArgNumber() != valueIndex && arg.getArgNumber() < generic.getNumDpsInputs())
      mapping.map(arg, body->addArgument(arg.getType(), arg.getLoc()));
  mapping.map(oldBody.getArgument(valueIndex), body->addArgument(rewriter.getF32Type(), generic.getLoc()));
  rewriter.setInsertionPointToStart(body);
  for (Operation &op : oldBody)
    rewriter.clone(op, mapping);
  rewriter.replaceOp(generic, inPlace.getResults());
  return inPlace;
}

/// Whether `pad` pads a static f32 tensor with the constant `value` (bitwise: -0.0 is not +0.0) by static
/// amounts along at most two dimensions, only the last two when `innerTwo`; its result used only once.
bool isConstantPadding(tensor::PadOp pad, const APFloat &value, bool innerTwo) {
  auto type = dyn_cast<RankedTensorType>(pad.getSourceType());
  Value padding = pad.getConstantPaddingValue();
  FloatAttr constant;
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32() || !pad.getResult().hasOneUse() ||
      !padding || !matchPattern(padding, m_Constant(&constant)) ||
      !constant.getValue().bitwiseIsEqual(value))
    return false;
  int64_t paddedDims = 0;
  for (auto [d, low, high] : llvm::enumerate(pad.getStaticLow(), pad.getStaticHigh())) {
    if (ShapedType::isDynamic(low) || ShapedType::isDynamic(high))
      return false;
    bool padded = low != 0 || high != 0;
    if (padded && innerTwo && d + 2 < static_cast<size_t>(type.getRank()))
      return false;
    paddedDims += padded;
  }
  return paddedDims <= 2;
}

/// Replaces `pad` (of `value`) by a fill of the padded tensor and a copy of its input into the interior
/// (tensor.extract_slice / insert_slice around it: in place after bufferization), created before `at`;
/// returns {fill, copy}, the operand that read the pad reading the insert_slice.
std::pair<Operation *, Operation *> rewritePadding(RewriterBase &rewriter, tensor::PadOp pad, const APFloat &value,
                                                   Operation *at) {
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(at);
  RankedTensorType paddedType = pad.getResultType();
  Value constant = arith::ConstantOp::create(rewriter, loc, rewriter.getFloatAttr(rewriter.getF32Type(), value));
  Value empty = tensor::EmptyOp::create(rewriter, loc, paddedType.getShape(), paddedType.getElementType());
  auto fill = linalg::FillOp::create(rewriter, loc, constant, empty);
  SmallVector<OpFoldResult> offsets = pad.getMixedLowPad();
  SmallVector<OpFoldResult> sizes, strides(paddedType.getRank(), rewriter.getIndexAttr(1));
  for (int64_t size : pad.getSourceType().getShape())
    sizes.push_back(rewriter.getIndexAttr(size));
  Value interior = tensor::ExtractSliceOp::create(rewriter, loc, fill.getResult(0), offsets, sizes, strides);
  auto copy = linalg::CopyOp::create(rewriter, loc, pad.getSource(), interior);
  Value padded =
      tensor::InsertSliceOp::create(rewriter, loc, copy.getResult(0), fill.getResult(0), offsets, sizes, strides);
  rewriter.replaceOp(pad, padded);
  return {fill.getOperation(), copy.getOperation()};
}

/// The zero padding of the gather contraction's B, rewritten before `at` (rewritePadding); nulls when B is
/// not such a pad or not read through a gather (the sgemm entry point without one reads no padding).
std::pair<Operation *, Operation *> formPadding(RewriterBase &rewriter, linalg::LinalgOp contraction, Operation *at) {
  OpOperand *b = contraction.getDpsInputOperand(1);
  auto pad = b->get().getDefiningOp<tensor::PadOp>();
  APFloat zero(0.0f);
  if (!pad || contraction.getMatchingIndexingMap(b).isProjectedPermutation() ||
      !isConstantPadding(pad, zero, /*innerTwo=*/false))
    return {};
  return rewritePadding(rewriter, pad, zero, at);
}

/// A 2-D NCHW max (sum) pool whose input is padded with -inf (+0), its op's identity, along H and W: the
/// padding rewritten right before the pool (rewritePadding), all three marked as one group with `id`, which
/// the CPU target's pooling ukernel reads unpadded, skipping the window elements outside. The fill of its
/// output with the identity joins the group too.
void formPoolPadding(RewriterBase &rewriter, linalg::LinalgOp pool, IntegerAttr id) {
  bool sum = isa<linalg::PoolingNchwSumOp>(pool.getOperation());
  APFloat identity = sum ? APFloat(0.0f) : APFloat::getInf(APFloat::IEEEsingle(), /*Negative=*/true);
  // The output's fill with the identity (its only use), first in the group: the ukernel starts from the
  // identity instead of reading it.
  Value init = pool.getDpsInitOperand(0)->get();
  auto initFill = init.getDefiningOp<linalg::FillOp>();
  FloatAttr value;
  if (initFill && init.hasOneUse() && matchPattern(initFill.getInputs()[0], m_Constant(&value)) &&
      value.getValue().bitwiseIsEqual(identity)) {
    initFill->moveBefore(pool);
    initFill->setAttr(kDispatchGroupAttr, id);
    pool->setAttr(kDispatchGroupAttr, id);
  }
  auto pad = pool.getDpsInputOperand(0)->get().getDefiningOp<tensor::PadOp>();
  if (!pad || !isConstantPadding(pad, identity, /*innerTwo=*/true))
    return;
  auto [fill, copy] = rewritePadding(rewriter, pad, identity, pool);
  for (Operation *op : {fill, copy, pool.getOperation()})
    op->setAttr(kDispatchGroupAttr, id);
}

/// The fill with +0.0 that produces `init` for its only use, or null.
Operation *zeroFillOf(Value init) {
  auto producer = init.getDefiningOp<linalg::LinalgOp>();
  if (!producer || !isPositiveZeroFill(producer) || !init.hasOneUse())
    return nullptr;
  return producer.getOperation();
}

/// The chain of sinter-conv-to-winograd ending in `output` (its output transform), when each value in it
/// has one use: the zero fill of V, the input transform, the zero fill of M, the batched product, the
/// output transform. Null ops otherwise.
struct WinogradChain {
  Operation *fillV = nullptr, *input = nullptr, *v = nullptr, *fillM = nullptr, *product = nullptr, *m = nullptr;
};

WinogradChain winogradChain(linalg::GenericOp output) {
  auto m = output.getDpsInputOperand(1)->get().getDefiningOp<tensor::ExpandShapeOp>();
  auto product = m ? m.getSrc().getDefiningOp<linalg::GenericOp>() : nullptr;
  auto productKind = product ? product->getAttrOfType<StringAttr>(kWinogradAttr) : StringAttr();
  if (!productKind || productKind.getValue() != kWinogradProduct || !m.getResult().hasOneUse() ||
      !m.getSrc().hasOneUse())
    return {};
  auto v = product.getDpsInputOperand(1)->get().getDefiningOp<tensor::CollapseShapeOp>();
  auto input = v ? v.getSrc().getDefiningOp<linalg::GenericOp>() : nullptr;
  auto kind = input ? input->getAttrOfType<StringAttr>(kWinogradAttr) : StringAttr();
  if (!kind || kind.getValue() != kWinogradInput || !v.getResult().hasOneUse() || !v.getSrc().hasOneUse())
    return {};
  Operation *fillV = zeroFillOf(input.getDpsInitOperand(0)->get());
  Operation *fillM = zeroFillOf(product.getDpsInitOperand(0)->get());
  if (!fillV || !fillM)
    return {};
  return {fillV, input, v, fillM, product, m};
}

/// Marks a whole Winograd chain one group, which the CPU target runs as one fused ukernel
/// (WinogradUkernel.cpp) that never writes V or M: only the group reads them. With it go the output
/// transform's prologue (the zero fill or bias broadcast that makes its init, read through an expand_shape)
/// and its epilogue (the elementwise op on its result, at most one addend read through the identity map:
/// ReLU, a residual add), rewritten in place like a contraction's, and the zero padding of its input. The
/// ops move to just before the epilogue (or the output transform), after whatever their operands need.
void formWinogradGroup(RewriterBase &rewriter, linalg::GenericOp output, IntegerAttr id) {
  WinogradChain chain = winogradChain(output);
  if (!chain.product)
    return;
  Operation *prologue = nullptr;
  auto initExpand = output.getDpsInitOperand(0)->get().getDefiningOp<tensor::ExpandShapeOp>();
  if (initExpand && initExpand.getResult().hasOneUse() && initExpand.getSrc().hasOneUse())
    if (auto producer = initExpand.getSrc().getDefiningOp<linalg::LinalgOp>();
        producer && (zeroFillOf(initExpand.getSrc()) || isChannelBroadcast(producer)))
      prologue = producer;
  linalg::GenericOp epilogue;
  auto collapse = output->getResult(0).hasOneUse()
                      ? dyn_cast<tensor::CollapseShapeOp>(*output->getResult(0).getUsers().begin())
                      : nullptr;
  if (collapse && collapse.getResult().hasOneUse()) {
    auto consumer = dyn_cast<linalg::GenericOp>(*collapse.getResult().getUsers().begin());
    int others = 0;
    bool identity = consumer && llvm::all_of(consumer.getDpsInputOperands(), [&](OpOperand *input) {
      others += input->get() != collapse.getResult();
      return consumer.getMatchingIndexingMap(input).isIdentity();
    });
    if (identity && others <= 1)
      epilogue = formEpilogue(rewriter, collapse.getResult());
  }
  Operation *at = epilogue ? epilogue.getOperation() : output.getOperation();
  // A zero padding of the input (H and W only) goes first, as the fill and copy it bufferizes to, which
  // the ukernel drops to read the unpadded input.
  APFloat zero(0.0f);
  auto pad = cast<linalg::GenericOp>(chain.input).getDpsInputOperand(1)->get().getDefiningOp<tensor::PadOp>();
  if (pad && isConstantPadding(pad, zero, /*innerTwo=*/true)) {
    auto [padFill, padCopy] = rewritePadding(rewriter, pad, zero, at);
    padFill->setAttr(kDispatchGroupAttr, id);
    padCopy->setAttr(kDispatchGroupAttr, id);
  }
  for (Operation *op : {prologue, prologue ? initExpand.getOperation() : nullptr, chain.fillV, chain.input, chain.v,
                        chain.fillM, chain.product, chain.m, output.getOperation(),
                        epilogue ? collapse.getOperation() : nullptr}) {
    if (!op)
      continue;
    op->moveBefore(at);
    if (isa<linalg::LinalgOp>(op))
      op->setAttr(kDispatchGroupAttr, id);
  }
  if (epilogue)
    epilogue->setAttr(kDispatchGroupAttr, id);
}

struct FuseEpiloguesPass : sinter::impl::FuseEpiloguesBase<FuseEpiloguesPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> contractions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && isMulAddContraction(op) && !hasBatch(op) && !op->hasAttr(kWinogradAttr))
        contractions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    int64_t group = 0;
    for (linalg::LinalgOp contraction : contractions) {
      linalg::LinalgOp prologue = formPrologue(rewriter, contraction.getDpsInitOperand(0)->get());
      linalg::GenericOp epilogue = formEpilogue(rewriter, contraction->getResult(0));
      // Program formation outlines a group only when its ops are consecutive. An epilogue that adds a value
      // computed after the contraction (a residual from the other branch: ResNet's downsample blocks) sits
      // later: move the prologue and contraction down to it (their only users are in the group).
      if (epilogue)
        contraction->moveBefore(epilogue);
      if (prologue)
        prologue->moveBefore(contraction);
      // The padding goes right before them (its input is defined before the pad, hence before them).
      auto [padFill, padCopy] = formPadding(rewriter, contraction, prologue ? prologue : contraction);
      if (!prologue && !epilogue && !padFill)
        continue;
      auto id = rewriter.getI64IntegerAttr(group++);
      for (Operation *op : {padFill, padCopy, prologue.getOperation(), contraction.getOperation(), epilogue.getOperation()})
        if (op)
          op->setAttr(kDispatchGroupAttr, id);
    }
    // A batched contraction takes only the zero fill of its output (the ukernel applies no bias or
    // epilogue across a batch): the ukernel writes C instead of adding to zeros, and the fill is no pass
    // of its own. Winograd chains are not taken here (formWinogradGroup).
    SmallVector<linalg::LinalgOp> batched;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && isMulAddContraction(op) && hasBatch(op) && !op->hasAttr(kWinogradAttr))
        batched.push_back(op);
    });
    for (linalg::LinalgOp op : batched) {
      Operation *fill = zeroFillOf(op.getDpsInitOperand(0)->get());
      if (!fill)
        continue;
      fill->moveBefore(op);
      auto id = rewriter.getI64IntegerAttr(group++);
      fill->setAttr(kDispatchGroupAttr, id);
      op->setAttr(kDispatchGroupAttr, id);
    }
    SmallVector<linalg::GenericOp> winograd;
    getOperation().walk([&](linalg::GenericOp op) {
      auto kind = op->getAttrOfType<StringAttr>(kWinogradAttr);
      if (op.hasPureTensorSemantics() && kind && kind.getValue() == kWinogradOutput)
        winograd.push_back(op);
    });
    for (linalg::GenericOp output : winograd)
      formWinogradGroup(rewriter, output, rewriter.getI64IntegerAttr(group++));
    SmallVector<linalg::LinalgOp> pools;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op.getOperation()))
        pools.push_back(op);
    });
    for (linalg::LinalgOp pool : pools)
      formPoolPadding(rewriter, pool, rewriter.getI64IntegerAttr(group++));
  }
};

} // namespace

//===- WinogradUkernel.cpp - Winograd convolution dispatches -> sinter_uk_winograd_conv calls ------------===//
//
// sinter-conv-to-winograd's chain (input transform, batched product, output transform), grouped into one
// dispatch by sinter-fuse-epilogues, becomes one call of the fused ukernel (ukernels/winograd.c), which
// never writes the intermediate V and M (only the group reads them). The dispatch is replaced only when its
// ops are exactly the form the pass emits: the indexing maps, the bodies, the data flow between them, and
// the transforms' constant matrices, whose values are read from the program's constants.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/targets/cpu/Ukernels.h"

#include "compiler/targets/cpu/ukernels/sgemm_epilogue.h"
#include "compiler/targets/cpu/ukernels/winograd_tiles.h"
#include "compiler/transforms/ContractionEpilogue.h"
#include "compiler/transforms/WinogradTransforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cstring>
#include <limits>

using namespace mlir;

namespace sinter {
namespace {

/// Whether `value` is a view of the constants blob holding exactly `expected` (contiguous f32).
bool isConstant(Value value, ArrayRef<float> expected, func::FuncOp func, const Dispatch &dispatch,
                const Program &program) {
  auto view = value.getDefiningOp<memref::ViewOp>();
  auto arg = view ? dyn_cast<BlockArgument>(view.getSource()) : BlockArgument();
  APInt shift;
  if (!arg || arg.getOwner() != &func.getBody().front() || arg.getArgNumber() >= dispatch.bindings.size() ||
      !matchPattern(view.getByteShift(), m_ConstantInt(&shift)) || !view.getType().getLayout().isIdentity())
    return false;
  const Binding &binding = dispatch.bindings[arg.getArgNumber()];
  uint64_t begin = binding.offset + shift.getZExtValue(), bytes = expected.size() * sizeof(float);
  if (binding.kind != BindingKind::Constant || view.getType().getNumElements() != int64_t(expected.size()) ||
      begin + bytes > program.constants.size())
    return false;
  return std::memcmp(program.constants.data() + begin, expected.data(), bytes) == 0;
}

/// Whether `op` is out += (lhs * x) * rhs over maps (lhs, x, rhs, identity of the first 6 of 8 loops),
/// 6 parallel loops then 2 reductions, lhs and rhs the same value.
bool isTransformForm(linalg::GenericOp op, ArrayRef<AffineMap> expected) {
  if (op.getNumDpsInputs() != 3 || op.getNumDpsInits() != 1 || op.getIndexingMapsArray() != expected ||
      op.getDpsInputOperand(0)->get() != op.getDpsInputOperand(2)->get())
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < 8; ++d)
    if (iterators[d] != (d < 6 ? utils::IteratorType::parallel : utils::IteratorType::reduction))
      return false;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 4)
    return false;
  auto left = dyn_cast<arith::MulFOp>(&body.front());
  auto both = left ? dyn_cast<arith::MulFOp>(left->getNextNode()) : nullptr;
  auto sum = both ? dyn_cast<arith::AddFOp>(both->getNextNode()) : nullptr;
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  return sum && left.getLhs() == body.getArgument(0) && left.getRhs() == body.getArgument(1) &&
         both.getLhs() == left.getResult() && both.getRhs() == body.getArgument(2) &&
         sum.getLhs() == body.getArgument(3) && sum.getRhs() == both.getResult() && yield.getNumOperands() == 1 &&
         yield.getOperand(0) == sum.getResult();
}

/// Whether `op` is a fill of `buffer` with +0.0.
bool isZeroFillOf(linalg::LinalgOp op, Value buffer) {
  return isPositiveZeroFill(op) && op.getDpsInitOperand(0)->get() == buffer;
}

/// The memref `view` is a reshape of (collapse_shape or expand_shape), or null.
Value reshapeSource(Value view) {
  if (auto collapse = view.getDefiningOp<memref::CollapseShapeOp>())
    return collapse.getSrc();
  if (auto expand = view.getDefiningOp<memref::ExpandShapeOp>())
    return expand.getSrc();
  return {};
}

/// Elements from `memref`'s first element to one past its last (static shape and strides).
int64_t spanOf(MemRefType type, ArrayRef<int64_t> strides) {
  int64_t last = 0;
  for (auto [size, stride] : llvm::zip(type.getShape(), strides))
    last += (size - 1) * stride;
  return last + 1;
}

/// The ukernel's epilogue arguments (ukernels/winograd.c).
struct WinogradEpilogue {
  int64_t init = SINTER_UK_INIT_ACCUMULATE;
  Value bias, addend;
  int64_t biasStride = 0;
  int64_t addStrides[3] = {0, 0, 0};
  float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
};

/// The group's prologue (a zero fill or a bias broadcast along dimension 1 into Y's buffer) and epilogue
/// (Y's buffer updated in place by matchEpilogueBody's form, at most one addend read through the identity
/// map) as the ukernel applies them; `y` is the output transform's [N, F, TH, 2, TW, 2] view of that buffer.
std::optional<WinogradEpilogue> analyzeEpilogue(linalg::LinalgOp prologue, linalg::GenericOp epilogue, Value y) {
  WinogradEpilogue result;
  Value buffer = reshapeSource(y);
  if ((prologue || epilogue) && !buffer)
    return std::nullopt;
  if (prologue) {
    if (prologue.getDpsInitOperand(0)->get() != buffer)
      return std::nullopt;
    if (isZeroFillOf(prologue, buffer)) {
      result.init = SINTER_UK_INIT_ZERO;
    } else {
      OpOperand *bias = isBroadcastCopy(prologue) ? prologue.getDpsInputOperand(0) : nullptr;
      auto biasType = bias ? dyn_cast<MemRefType>(bias->get().getType()) : MemRefType();
      SmallVector<int64_t> strides;
      int64_t offset;
      if (!biasType || biasType.getRank() != 1 || !biasType.getElementType().isF32() ||
          prologue.getMatchingIndexingMap(bias) != AffineMap::get(4, 0, getAffineDimExpr(1, y.getContext())) ||
          failed(biasType.getStridesAndOffset(strides, offset)) || ShapedType::isDynamic(strides[0]))
        return std::nullopt;
      result.init = SINTER_UK_INIT_BIAS;
      result.bias = bias->get();
      result.biasStride = strides[0];
    }
  }
  if (!epilogue)
    return result;
  Value updated = epilogue.getDpsInitOperand(0)->get();
  if ((updated != buffer && reshapeSource(updated) != y) ||
      !epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  std::optional<EpilogueBody> body =
      matchEpilogueBody(epilogue, epilogue.getMatchingBlockArgument(epilogue.getDpsInitOperand(0)));
  if (!body || body->addends.size() > 1)
    return std::nullopt;
  result.lo = body->lo;
  result.hi = body->hi;
  if (body->addends.size() == 1) {
    OpOperand *addend = epilogue.getDpsInputOperand(body->addends[0]);
    std::optional<SmallVector<int64_t>> strides = unitInnerStrides(addend->get(), 4);
    if (!strides || !epilogue.getMatchingIndexingMap(addend).isIdentity())
      return std::nullopt;
    result.addend = addend->get();
    std::copy(strides->begin(), strides->begin() + 3, result.addStrides);
  }
  return result;
}

} // namespace

std::optional<uint32_t> lowerWinogradToUkernel(func::FuncOp func, unsigned lanes, unsigned maxWorkgroups,
                                               const Dispatch &dispatch, const Program &program) {
  if (lanes == 0)
    return std::nullopt;
  SmallVector<linalg::LinalgOp> ops = dispatchLinalgOps(func);
  // The group sinter-fuse-epilogues forms: [pad fill, pad copy,] [prologue,] fill V, input transform,
  // fill M, product, output transform[, epilogue].
  if (ops.size() < 5 || !llvm::all_of(ops, [](linalg::LinalgOp op) { return op.hasPureBufferSemantics(); }))
    return std::nullopt;
  auto inputAt = llvm::find_if(ops, [](linalg::LinalgOp op) { return op->hasAttr(kWinogradAttr); });
  if (inputAt == ops.end() || inputAt - ops.begin() < 1 || inputAt - ops.begin() > 4)
    return std::nullopt;
  size_t first = inputAt - ops.begin() - 1; // fill V
  bool padded = first >= 2 && isa<linalg::FillOp>(ops[0]) && isa<linalg::CopyOp>(ops[1]);
  if (first > (padded ? 3u : 1u) || ops.size() - first < 5 || ops.size() - first > 6)
    return std::nullopt;
  linalg::LinalgOp prologue = first == (padded ? 3u : 1u) ? ops[first - 1] : linalg::LinalgOp();
  auto epilogue = ops.size() - first == 6 ? dyn_cast<linalg::GenericOp>(ops.back().getOperation()) : nullptr;
  if (ops.size() - first == 6 && !epilogue)
    return std::nullopt;
  auto input = dyn_cast<linalg::GenericOp>(ops[first + 1].getOperation());
  auto product = dyn_cast<linalg::GenericOp>(ops[first + 3].getOperation());
  auto productKind = product ? product->getAttrOfType<StringAttr>(kWinogradAttr) : StringAttr();
  auto output = dyn_cast<linalg::GenericOp>(ops[first + 4].getOperation());
  auto inputKind = input ? input->getAttrOfType<StringAttr>(kWinogradAttr) : StringAttr();
  auto outputKind = output ? output->getAttrOfType<StringAttr>(kWinogradAttr) : StringAttr();
  if (!productKind || productKind.getValue() != kWinogradProduct || !inputKind ||
      inputKind.getValue() != kWinogradInput || !outputKind || outputKind.getValue() != kWinogradOutput)
    return std::nullopt;
  MLIRContext *ctx = func.getContext();
  if (!isTransformForm(input, winogradTransformMaps(ctx, true)) || !isTransformForm(output, winogradTransformMaps(ctx, false)) ||
      !isConstant(input.getDpsInputOperand(0)->get(), kWinogradBt, func, dispatch, program) ||
      !isConstant(output.getDpsInputOperand(0)->get(), kWinogradAt, func, dispatch, program))
    return std::nullopt;
  // The data flow: V = input's output, zero-filled, the product's B (collapsed); M = the product's
  // output, zero-filled, the output transform's input (expanded).
  Value v = input.getDpsInitOperand(0)->get(), m = product.getDpsInitOperand(0)->get();
  if (!isZeroFillOf(ops[first], v) || !isZeroFillOf(ops[first + 2], m) || reshapeSource(product.getDpsInputOperand(1)->get()) != v ||
      reshapeSource(output.getDpsInputOperand(1)->get()) != m)
    return std::nullopt;
  Value x = input.getDpsInputOperand(1)->get(), u = product.getDpsInputOperand(0)->get(),
        y = output.getDpsInitOperand(0)->get();
  // A zero padding of X: read its source in place (the ukernel yields zeros outside it).
  int64_t pt = 0, pl = 0;
  if (padded) {
    auto view = ops[1].getDpsInitOperand(0)->get().getDefiningOp<memref::SubViewOp>();
    Value source = ops[1].getDpsInputOperand(0)->get();
    auto sourceType = dyn_cast<MemRefType>(source.getType());
    if (!isZeroFillOf(ops[0], x) || !view || view.getSource() != x || !sourceType ||
        view.getType().getShape() != sourceType.getShape() ||
        llvm::any_of(view.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
        view.getStaticOffsets().size() != 4 || view.getStaticOffsets()[0] != 0 || view.getStaticOffsets()[1] != 0 ||
        llvm::any_of(view.getStaticOffsets(), ShapedType::isDynamic))
      return std::nullopt;
    pt = view.getStaticOffsets()[2];
    pl = view.getStaticOffsets()[3];
    x = source;
  }
  std::optional<SmallVector<int64_t>> xs = unitInnerStrides(x, 4), ys = unitInnerStrides(y, 6);
  // Y [N, F, TH, 2, TW, 2] must be the rows of [N, F, 2TH, 2TW]: pairs of adjacent rows and columns.
  if (!xs || !ys || (*ys)[4] != 2 || (*ys)[2] != 2 * (*ys)[3] || llvm::any_of(*xs, [](int64_t s) { return s < 0; }))
    return std::nullopt;
  auto xType = cast<MemRefType>(x.getType());
  // Input loops (a, b, c, n, ty, tx, i, j); output loops (n, f, ty, a', tx, b', a, b).
  SmallVector<int64_t> in = input.getStaticLoopRanges(), out = output.getStaticLoopRanges();
  int64_t C = in[2], N = in[3], TH = in[4], TW = in[5], F = out[1];
  if (llvm::is_contained(in, 0) || llvm::is_contained(out, 0))
    return std::nullopt;
  // The product: M[ab, f, t] += U[ab, f, c] * V[ab, c, t], U packed as the ukernel reads it (contiguous).
  int64_t fs = sinter_uk_winograd_filter_chunk(F), cb = SINTER_UK_WINOGRAD_CB, mr = SINTER_UK_WINOGRAD_MR;
  SmallVector<int64_t> packed = {(F + fs - 1) / fs, (C + cb - 1) / cb, 16, fs / mr, cb, mr};
  auto uType = dyn_cast<MemRefType>(u.getType());
  if (!uType || uType.getShape() != ArrayRef<int64_t>(packed) || !uType.getElementType().isF32() ||
      !uType.getLayout().isIdentity() || product.getIndexingMapsArray() != winogradProductMaps(ctx, fs) ||
      !isMulAddContraction(product) || product.getStaticLoopRanges() != SmallVector<int64_t>{16, F, N * TH * TW, C})
    return std::nullopt;

  // The epilogue's operands: Y's [N, F, 2TH, 2TW] buffer, which a prologue sets and an epilogue updates.
  std::optional<WinogradEpilogue> epilogueArgs = analyzeEpilogue(prologue, epilogue, y);
  if (!epilogueArgs)
    return std::nullopt;

  OpBuilder b(ops[0]);
  Location loc = output.getLoc();
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  unsigned numArgs = func.getNumArguments();
  Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 2));
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 1));
  SmallVector<Value> args = {ukernelByteAddress(b, loc, x),
                             i64(spanOf(xType, *xs)),
                             ukernelByteAddress(b, loc, u),
                             ukernelByteAddress(b, loc, y),
                             i64(N), i64(C), i64(F), i64(TH), i64(TW),
                             i64((*xs)[0]), i64((*xs)[1]), i64((*xs)[2]),
                             i64(xType.getDimSize(2)), i64(xType.getDimSize(3)), i64(pt), i64(pl),
                             i64((*ys)[0]), i64((*ys)[1]), i64((*ys)[3])};
  auto f32 = [&](float value) -> Value { return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(value)); };
  const WinogradEpilogue &e = *epilogueArgs;
  args.append({i64(e.init), e.bias ? ukernelByteAddress(b, loc, e.bias) : i64(0), i64(e.biasStride),
               e.addend ? ukernelByteAddress(b, loc, e.addend) : i64(0), i64(e.addStrides[0]), i64(e.addStrides[1]),
               i64(e.addStrides[2]), f32(e.lo), f32(e.hi), id, count});
  std::string name = "sinter_uk_winograd_conv_v" + std::to_string(lanes);
  func::FuncOp callee = declareUkernel(func->getParentOfType<ModuleOp>(), name, ValueRange(args).getTypes());
  func::CallOp::create(b, loc, callee, args);
  for (linalg::LinalgOp op : llvm::reverse(ops))
    op->erase();
  int64_t units = sinter_uk_winograd_units(N * TH * TW, F, lanes);
  return static_cast<uint32_t>(std::min<int64_t>(units, maxWorkgroups));
}

} // namespace sinter

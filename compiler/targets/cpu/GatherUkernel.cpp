//===- GatherUkernel.cpp - contractions reading B through an im2col gather -> sinter_uk_sgemm_gather -----===//
//
// sinter-conv-to-im2col turns a convolution into an im2col copy and a contraction; with ukernels on,
// sinter-fuse-elementwise folds the copy into the contraction, which then reads the padded input through
// the gather map, e.g. (b, m, n, k) -> (b, k floordiv 9, n floordiv 56 + (k mod 9) floordiv 3,
// n mod 56 + k mod 3). Every result of such a map is a sum of terms in k alone or n alone, so the element
// offset is koff[k] + noff[n]: two small tables, evaluated here at compile time and emitted as constant
// globals. The ukernel gathers B's panels through them while packing, so the im2col matrix (9x the input
// for a 3x3 convolution) is never written or read back.
//
// A zero-padded input (the group's pad fill and copy, sinter-fuse-epilogues) is read unpadded: the
// offsets are taken in the copy's source, and the (at most two) padded coordinates, also sums of a k and
// an n part, go along as two more table pairs the ukernel tests against the input's extent (zeros outside).
// The fill and the copy are dropped: the padded buffer is never written.
//
//===----------------------------------------------------------------------------------------------------===//
#include "compiler/targets/cpu/Ukernels.h"

#include "compiler/targets/cpu/SgemmEpilogue.h"

#include "compiler/targets/cpu/ukernels/sgemm_tiles.h"
#include "compiler/transforms/ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace sinter {
namespace {

/// `expr` at the dimension values `dims` (no symbols); nullopt for expressions it cannot evaluate.
std::optional<int64_t> evaluate(AffineExpr expr, ArrayRef<int64_t> dims) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return dims[dim.getPosition()];
  if (auto constant = dyn_cast<AffineConstantExpr>(expr))
    return constant.getValue();
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  std::optional<int64_t> lhs = evaluate(binary.getLHS(), dims), rhs = evaluate(binary.getRHS(), dims);
  if (!lhs || !rhs)
    return std::nullopt;
  switch (binary.getKind()) {
  case AffineExprKind::Add:
    return *lhs + *rhs;
  case AffineExprKind::Mul:
    return *lhs * *rhs;
  case AffineExprKind::FloorDiv:
    return *rhs > 0 ? std::optional<int64_t>(llvm::divideFloorSigned(*lhs, *rhs)) : std::nullopt;
  case AffineExprKind::CeilDiv:
    return *rhs > 0 ? std::optional<int64_t>(llvm::divideCeilSigned(*lhs, *rhs)) : std::nullopt;
  case AffineExprKind::Mod:
    return *rhs > 0 ? std::optional<int64_t>(llvm::mod(*lhs, *rhs)) : std::nullopt;
  default:
    return std::nullopt;
  }
}

/// The terms of a sum: `a + b + c` -> {a, b, c}.
void collectTerms(AffineExpr expr, SmallVectorImpl<AffineExpr> &terms) {
  if (auto add = dyn_cast<AffineBinaryOpExpr>(expr); add && add.getKind() == AffineExprKind::Add) {
    collectTerms(add.getLHS(), terms);
    collectTerms(add.getRHS(), terms);
    return;
  }
  terms.push_back(expr);
}

/// Static strides of a statically shaped f32 memref.
std::optional<SmallVector<int64_t>> staticStrides(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  return strides;
}

/// A private constant i32 global holding `values`, named after `base` (unique in `module`).
memref::GlobalOp createTable(ModuleOp module, StringRef base, ArrayRef<int32_t> values) {
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto type = MemRefType::get({static_cast<int64_t>(values.size())}, b.getI32Type());
  auto tensorType = RankedTensorType::get(type.getShape(), b.getI32Type());
  auto global = memref::GlobalOp::create(b, module.getLoc(), base, b.getStringAttr("private"), type,
                                         DenseIntElementsAttr::get(tensorType, values), /*constant=*/true,
                                         /*alignment=*/b.getI64IntegerAttr(64));
  SymbolTable(module).insert(global); // renames on a clash
  return global;
}

} // namespace

std::optional<uint32_t> lowerGatherContractionToUkernel(func::FuncOp func, unsigned lanes, unsigned maxWorkgroups) {
  if (lanes == 0)
    return std::nullopt;
  std::optional<ContractionGroup> group = contractionGroup(func);
  auto op = group ? dyn_cast<linalg::GenericOp>(group->contraction.getOperation()) : linalg::GenericOp();
  if (!op || !op.hasPureBufferSemantics() || !isMulAddContraction(op)) // C += A * B in f32
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isProjectedPermutation() || !maps[2].isProjectedPermutation() || maps[1].isProjectedPermutation() ||
      maps[1].getNumSymbols() != 0)
    return std::nullopt;
  Value aValue = op.getDpsInputOperand(0)->get(), bValue = op.getDpsInputOperand(1)->get(),
        cValue = op.getDpsInitOperand(0)->get();
  std::optional<SmallVector<int64_t>> aStrides = staticStrides(aValue), bStrides = staticStrides(bValue),
                                      cStrides = staticStrides(cValue);
  if (!aStrides || !bStrides || !cStrides)
    return std::nullopt;

  // Roles by where each non-unit loop appears: m in A and C, n in C only, k (the reduction) in A only.
  SmallVector<int64_t> loops = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  MLIRContext *ctx = op.getContext();
  std::optional<unsigned> m, n, k;
  for (unsigned d = 0; d < loops.size(); ++d) {
    if (loops[d] == 0)
      return std::nullopt;
    if (loops[d] == 1)
      continue;
    AffineExpr dim = getAffineDimExpr(d, ctx);
    bool inA = maps[0].getResultPosition(dim).has_value(), inC = maps[2].getResultPosition(dim).has_value();
    bool reduction = iterators[d] == utils::IteratorType::reduction;
    if (reduction ? !inA || inC : !inC)
      return std::nullopt;
    std::optional<unsigned> &role = reduction ? k : inA ? m : n;
    if (role)
      return std::nullopt;
    role = d;
  }
  if (!m || !n || !k || loops[*m] < 2)
    return std::nullopt; // the ukernel's packed path (M > 1)
  // The fused prologue and epilogue (bias, ReLU, residual), addressed along C's M and N.
  SmallVector<OutputRole> roles;
  for (AffineExpr result : maps[2].getResults()) {
    unsigned dim = cast<AffineDimExpr>(result).getPosition();
    roles.push_back(dim == *m ? OutputRole::M : dim == *n ? OutputRole::N : OutputRole::Unit);
  }
  std::optional<SgemmEpilogue> epilogue = analyzeSgemmEpilogue(*group, roles);
  if (!epilogue)
    return std::nullopt;

  // With padding, B's elements come from the copy's source X at B's index minus the view's offsets (the
  // low padding), and are 0 where that falls outside X.
  Value source = bValue;
  SmallVector<int64_t> low(maps[1].getNumResults(), 0);
  SmallVector<int64_t> sourceStrides = *bStrides;
  SmallVector<unsigned> padded; // B's dimensions with padding
  int64_t sourceElements = 0;
  if (group->padCopy) {
    auto view = group->padCopy.getDpsInitOperand(0)->get().getDefiningOp<memref::SubViewOp>();
    source = group->padCopy.getDpsInputOperand(0)->get();
    std::optional<SmallVector<int64_t>> strides = staticStrides(source);
    auto sourceType = dyn_cast<MemRefType>(source.getType());
    auto bType = cast<MemRefType>(bValue.getType());
    if (!strides || !sourceType || !view || sourceType.getShape() != view.getType().getShape() ||
        llvm::any_of(view.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(view.getStaticOffsets(), ShapedType::isDynamic) ||
        view.getType().getRank() != bType.getRank() || llvm::any_of(*strides, [](int64_t s) { return s <= 0; }))
      return std::nullopt;
    sourceStrides = *strides;
    sourceElements = 1;
    for (auto [d, offset] : llvm::enumerate(view.getStaticOffsets())) {
      low[d] = offset;
      if (offset != 0 || sourceType.getDimSize(d) != bType.getDimSize(d))
        padded.push_back(d);
      sourceElements += (sourceType.getDimSize(d) - 1) * (*strides)[d];
    }
    if (padded.size() > 2)
      return std::nullopt;
  }

  // Each index of B as kidx[d][k] + nidx[d][n]: every term of every result in k alone, n alone, or neither
  // (unit loops, which are 0; such constants go into nidx).
  int64_t kSize = loops[*k], nSize = loops[*n];
  unsigned rank = maps[1].getNumResults();
  SmallVector<SmallVector<int64_t>> kidx(rank, SmallVector<int64_t>(kSize, 0)),
      nidx(rank, SmallVector<int64_t>(nSize, 0));
  SmallVector<int64_t> point(loops.size(), 0);
  for (auto [d, result] : llvm::enumerate(maps[1].getResults())) {
    SmallVector<AffineExpr> terms;
    collectTerms(result, terms);
    for (AffineExpr term : terms) {
      bool usesK = term.isFunctionOfDim(*k), usesN = term.isFunctionOfDim(*n);
      if (usesK && usesN)
        return std::nullopt;
      if (!usesK && !usesN) { // constant over the loops that are not 1: goes into every column
        std::optional<int64_t> value = evaluate(term, point);
        if (!value)
          return std::nullopt;
        for (int64_t &entry : nidx[d])
          entry += *value;
        continue;
      }
      unsigned dim = usesK ? *k : *n;
      SmallVector<int64_t> &table = usesK ? kidx[d] : nidx[d];
      for (int64_t i = 0; i < static_cast<int64_t>(table.size()); ++i) {
        point[dim] = i;
        std::optional<int64_t> value = evaluate(term, point);
        if (!value)
          return std::nullopt;
        table[i] += *value;
      }
      point[dim] = 0;
    }
    for (int64_t &entry : nidx[d])
      entry -= low[d]; // a coordinate in the source
  }
  // Offsets in the source: koff[k] + noff[n]. Unpadded, every one is inside B; padded, the zeros' offsets
  // may point outside the source (never read) but must still fit the tables.
  SmallVector<int64_t> koff(kSize, 0), noff(nSize, 0);
  for (unsigned d = 0; d < rank; ++d) {
    for (auto [entry, index] : llvm::zip_equal(koff, kidx[d]))
      entry += sourceStrides[d] * index;
    for (auto [entry, index] : llvm::zip_equal(noff, nidx[d]))
      entry += sourceStrides[d] * index;
  }
  int64_t lowest = padded.empty() ? 0 : std::numeric_limits<int32_t>::min();
  auto toInt32 = [&](ArrayRef<int64_t> values, SmallVectorImpl<int32_t> &out) {
    for (int64_t value : values) {
      if (value < lowest || value > std::numeric_limits<int32_t>::max())
        return false;
      out.push_back(static_cast<int32_t>(value));
    }
    return true;
  };
  SmallVector<int32_t> koff32, noff32;
  if (!toInt32(koff, koff32) || !toInt32(noff, noff32))
    return std::nullopt;
  // The padded coordinates: kpos = [krow..., kcol...], npos = [nrow..., ncol...], a dimension without
  // padding standing in (all 0, extent 1) when only one is padded.
  SmallVector<int32_t> kpos32, npos32;
  int64_t padExtent[2] = {1, 1};
  if (!padded.empty()) {
    SmallVector<int64_t> zerosK(kSize, 0), zerosN(nSize, 0);
    auto sourceType = cast<MemRefType>(source.getType());
    for (unsigned i = 0; i < 2; ++i) {
      bool real = i < padded.size();
      if (!toInt32(real ? ArrayRef<int64_t>(kidx[padded[i]]) : ArrayRef<int64_t>(zerosK), kpos32) ||
          !toInt32(real ? ArrayRef<int64_t>(nidx[padded[i]]) : ArrayRef<int64_t>(zerosN), npos32))
        return std::nullopt;
      if (real)
        padExtent[i] = sourceType.getDimSize(padded[i]);
    }
    // The unpadded dimensions' coordinates stay inside the source (the view spans them whole).
    if (sourceElements > std::numeric_limits<int32_t>::max())
      return std::nullopt;
  }

  auto module = func->getParentOfType<ModuleOp>();
  memref::GlobalOp kTable = createTable(module, (func.getSymName() + "_koff").str(), koff32);
  memref::GlobalOp nTable = createTable(module, (func.getSymName() + "_noff").str(), noff32);
  auto strideOf = [&](AffineMap map, ArrayRef<int64_t> strides, unsigned dim) -> int64_t {
    std::optional<unsigned> position = map.getResultPosition(getAffineDimExpr(dim, ctx));
    return position ? strides[*position] : 0;
  };
  int64_t units = sinter_uk_sgemm_gather_units(loops[*m], nSize);
  uint32_t workgroups = static_cast<uint32_t>(std::min<int64_t>(units, maxWorkgroups));
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  unsigned numArgs = func.getNumArguments();
  Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 2));
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 1));
  Value kAddress = ukernelByteAddress(
      b, loc, memref::GetGlobalOp::create(b, loc, kTable.getType(), kTable.getSymName()).getResult());
  Value nAddress = ukernelByteAddress(
      b, loc, memref::GetGlobalOp::create(b, loc, nTable.getType(), nTable.getSymName()).getResult());
  Value kPosAddress = i64(0), nPosAddress = i64(0);
  if (!padded.empty()) {
    memref::GlobalOp kPos = createTable(module, (func.getSymName() + "_kpos").str(), kpos32);
    memref::GlobalOp nPos = createTable(module, (func.getSymName() + "_npos").str(), npos32);
    kPosAddress = ukernelByteAddress(
        b, loc, memref::GetGlobalOp::create(b, loc, kPos.getType(), kPos.getSymName()).getResult());
    nPosAddress = ukernelByteAddress(
        b, loc, memref::GetGlobalOp::create(b, loc, nPos.getType(), nPos.getSymName()).getResult());
  }
  SmallVector<Value> args = {ukernelByteAddress(b, loc, aValue), ukernelByteAddress(b, loc, source),
                             ukernelByteAddress(b, loc, cValue), kAddress, nAddress,
                             i64(loops[*m]), i64(nSize), i64(kSize),
                             i64(strideOf(maps[0], *aStrides, *m)), i64(strideOf(maps[0], *aStrides, *k)),
                             i64(strideOf(maps[2], *cStrides, *m)), i64(strideOf(maps[2], *cStrides, *n)),
                             kPosAddress, nPosAddress, i64(padExtent[0]), i64(padExtent[1]), i64(sourceElements)};
  args.append(sgemmEpilogueArgs(b, loc, *epilogue));
  args.append({id, count});
  std::string name = "sinter_uk_sgemm_gather_v" + std::to_string(lanes);
  func::FuncOp callee = declareUkernel(module, name, ValueRange(args).getTypes());
  func::CallOp::create(b, loc, callee, args);
  eraseGroup(*group);
  return workgroups;
}

} // namespace sinter

//===- LowerDispatches.cpp - workgroup distribution and lowering to the LLVM dialect --------------------===//
#include "compiler/targets/cpu/CpuTarget.h"
#include "compiler/targets/cpu/NoAliasViews.h"
#include "compiler/targets/cpu/QuantizedUkernel.h"
#include "compiler/targets/cpu/Ukernels.h"
#include "compiler/support/PassPipeline.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace sinter {
namespace {

/// A reduction that is not a contraction and reads an input along its contiguous (last) dimension in a
/// reduction loop: a row reduction (softmax's max and sum, layer norm's mean and variance). Its reduction
/// stays innermost: moving an output loop inside would make that read strided (a gather per element).
/// Windowed ops (convolutions: an input indexed by w + k) are not row reductions: their short kernel loop
/// innermost would leave the long output loop unvectorized (longconv's conv_1d ran 40x slower).
bool reducesAlongRows(linalg::GenericOp op) {
  if (linalg::isaContractionOpInterface(op) ||
      !llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) { return map.isProjectedPermutation(); }))
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (last && iterators[last.getPosition()] == utils::IteratorType::reduction)
      return true;
  }
  return false;
}

/// Marks a row reduction's f32 sum or product `reassoc`, so that LLVM vectorizes it with partial sums per
/// lane (the order of an f32 sum is not part of ONNX's contract; ONNX Runtime's reductions are vectorized
/// too). The accumulator is the output's block argument; a maximum or minimum needs no flag.
void allowReassociation(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  Value accumulator = body.getArgument(op.getNumDpsInputs());
  for (Value yielded : body.getTerminator()->getOperands()) {
    Operation *combiner = yielded.getDefiningOp();
    if (!combiner || !isa<arith::AddFOp, arith::MulFOp>(combiner) || !llvm::is_contained(combiner->getOperands(), accumulator))
      continue;
    auto fastmath = cast<arith::ArithFastMathInterface>(combiner);
    combiner->setAttr(fastmath.getFastMathAttrName(),
                      arith::FastMathFlagsAttr::get(op.getContext(),
                                                    fastmath.getFastMathFlagsAttr().getValue() | arith::FastMathFlags::reassoc));
  }
}

/// Orders a contraction's loops as [outer parallel..., reductions..., innermost parallel] when the innermost
/// parallel loop walks the output's contiguous dimension: the inner loop then updates a contiguous row of
/// the output (C[m, n] += A[m, k] * B[k, n] over n), which LLVM vectorizes without reassociating the sum.
void interchangeReductionsInward(func::FuncOp func) {
  IRRewriter rewriter(func.getContext());
  SmallVector<linalg::GenericOp> generics;
  func.walk([&](linalg::GenericOp op) { generics.push_back(op); });
  for (linalg::GenericOp op : generics) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    unsigned loops = iterators.size();
    if (op.getNumReductionLoops() == 0 || op.getNumParallelLoops() == 0 || op.getNumDpsInits() != 1)
      continue;
    if (reducesAlongRows(op)) {
      allowReassociation(op);
      continue;
    }
    AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (out.getNumResults() == 0)
      continue;
    auto last = dyn_cast<AffineDimExpr>(out.getResults().back());
    if (!last || iterators[last.getPosition()] != utils::IteratorType::parallel)
      continue;
    SmallVector<unsigned> perm;
    for (unsigned i = 0; i < loops; ++i)
      if (iterators[i] == utils::IteratorType::parallel && i != last.getPosition())
        perm.push_back(i);
    for (unsigned i = 0; i < loops; ++i)
      if (iterators[i] == utils::IteratorType::reduction)
        perm.push_back(i);
    perm.push_back(last.getPosition());
    bool identity = true;
    for (unsigned i = 0; i < loops; ++i)
      identity &= perm[i] == i;
    if (identity)
      continue;
    rewriter.setInsertionPoint(op);
    (void)linalg::interchangeGenericOp(rewriter, op, perm);
  }
}

/// Moves each static memref.alloca inside a loop of `func` (a dispatch) to its entry block. An alloca in a
/// loop body allocates again on every iteration and frees only when the function returns, so a scratch
/// buffer in a linalg body (NonMaxSuppression's picks) would grow the stack with the element count. The
/// body runs its elements one after another within a workgroup and each workgroup is its own call, so one
/// buffer per call serves them all: every element writes its scratch before reading it.
void hoistStaticAllocas(func::FuncOp func) {
  if (func.isDeclaration())
    return;
  Block &entry = func.getBody().front();
  SmallVector<memref::AllocaOp> allocas;
  func.walk([&](memref::AllocaOp op) {
    if (op->getBlock() != &entry && op.getType().hasStaticShape() && op->getNumOperands() == 0)
      allocas.push_back(op);
  });
  for (memref::AllocaOp op : allocas)
    op->moveBefore(&entry, entry.begin());
}

/// Whether the largest buffer `func` touches has fewer than `minElements` elements (see
/// CpuTargetOptions::minSplitElements: ResNet's pads and adds on 7x7 maps are not worth a second thread).
bool touchesFewElements(func::FuncOp func, int64_t minElements) {
  int64_t largest = 0;
  auto consider = [&](Type type) {
    if (auto memref = dyn_cast<MemRefType>(type))
      largest = std::max(largest, memref.hasStaticShape() ? memref.getNumElements() : minElements);
  };
  // Binding arguments are raw byte buffers (the whole arena): what the dispatch touches are their views.
  for (Type type : func.getArgumentTypes())
    if (auto memref = dyn_cast<MemRefType>(type); !memref || memref.getRank() != 1 || !memref.getElementType().isInteger(8))
      consider(type);
  func.walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      consider(type);
  });
  return largest < minElements;
}

/// Gives each workgroup an equal contiguous chunk of the outermost parallel loop's first non-trivial dimension:
/// [lb + id * chunk * step, min(ub, lb + (id + 1) * chunk * step)). Returns the workgroup count (1 when
/// the dispatch has no parallel loop).
uint32_t distribute(func::FuncOp func, unsigned maxWorkgroups, int64_t minSplitElements) {
  scf::ParallelOp loop;
  unsigned loops = 0;
  for (Operation &op : func.getBody().front())
    if (auto parallel = dyn_cast<scf::ParallelOp>(&op); parallel && loops++ == 0)
      loop = parallel;
  Value id = func.getArgument(func.getNumArguments() - 2);
  // Several loops (a contraction group, sinter-fuse-epilogues, that no ukernel took): each would need
  // the others' results of every workgroup, so the dispatch runs as one.
  if (!loop || loops > 1 || touchesFewElements(func, minSplitElements))
    return 1;
  // The first dimension with more than one iteration (leading batch dimensions are often 1).
  for (unsigned dim = 0; dim < loop.getNumLoops(); ++dim) {
    auto lb = getConstantIntValue(loop.getLowerBound()[dim]);
    auto ub = getConstantIntValue(loop.getUpperBound()[dim]);
    auto step = getConstantIntValue(loop.getStep()[dim]);
    if (!lb || !ub || !step)
      return 1;
    int64_t trips = (*ub - *lb + *step - 1) / *step;
    if (trips < 2)
      continue;
    int64_t count = std::min<int64_t>(trips, maxWorkgroups);
    int64_t chunk = (trips + count - 1) / count;
    count = (trips + chunk - 1) / chunk; // no empty workgroups
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    Value chunkSpan = arith::ConstantIndexOp::create(b, loc, chunk * *step);
    Value begin =
        arith::AddIOp::create(b, loc, loop.getLowerBound()[dim], arith::MulIOp::create(b, loc, id, chunkSpan));
    Value end =
        arith::MinSIOp::create(b, loc, loop.getUpperBound()[dim], arith::AddIOp::create(b, loc, begin, chunkSpan));
    loop.getLowerBoundMutable().slice(dim, 1).assign(begin);
    loop.getUpperBoundMutable().slice(dim, 1).assign(end);
    return static_cast<uint32_t>(count);
  }
  return 1;
}

/// Adds `void name(void *const *bindings, const uint32_t *id, const uint32_t *count)` calling the lowered
/// dispatch `name_impl(binding pointers..., view pointers..., i64 workgroup id x, i64 workgroup count x)`,
/// a view pointer being its binding's plus a byte shift (separateDisjointViews).
void addEntryPoint(ModuleOp module, LLVM::LLVMFuncOp impl, StringRef name, unsigned numBindings,
                   ArrayRef<ViewArgument> views) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = impl.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i32 = IntegerType::get(ctx, 32), i64 = IntegerType::get(ctx, 64);
  auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, ptr, ptr});
  auto entry = LLVM::LLVMFuncOp::create(b, loc, name, type);
  Block *block = entry.addEntryBlock(b);
  b.setInsertionPointToStart(block);
  SmallVector<Value> args;
  for (unsigned i = 0; i < numBindings; ++i) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, block->getArgument(0), ArrayRef<LLVM::GEPArg>{(int32_t)i});
    args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
  }
  for (const ViewArgument &view : views) {
    // A constant GEPArg holds only 29 bits (LLVM::kGEPConstantBitWidth): views 256 MiB or more into the
    // constants of a large model wrapped around to negative offsets. Larger shifts are an i64 value.
    LLVM::GEPArg shift = llvm::isInt<LLVM::kGEPConstantBitWidth>(view.byteShift)
                             ? LLVM::GEPArg(int32_t(view.byteShift))
                             : LLVM::GEPArg(LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(view.byteShift)));
    args.push_back(LLVM::GEPOp::create(b, loc, ptr, b.getI8Type(), args[view.binding], ArrayRef<LLVM::GEPArg>{shift}));
  }
  for (unsigned a : {1u, 2u})
    args.push_back(LLVM::ZExtOp::create(b, loc, i64, LLVM::LoadOp::create(b, loc, i32, block->getArgument(a))));
  LLVM::CallOp::create(b, loc, impl, args);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
}

/// exp, erf and tanh on f32 as polynomial approximations in plain arith (upstream's, accurate to a few
/// ulp): unlike libm calls, LLVM vectorizes them with the loop around them (softmax, GELU). Other math
/// functions keep their libm calls.
LogicalResult approximateMath(ModuleOp module) {
  RewritePatternSet patterns(module.getContext());
  populateMathPolynomialApproximationPatterns(
      patterns, [](StringRef name) { return name == "math.exp" || name == "math.erf" || name == "math.tanh"; });
  return applyPatternsGreedily(module, std::move(patterns));
}

} // namespace

LogicalResult lowerDispatchesToLLVM(ModuleOp module, Program &program, const CpuTargetOptions &options) {
  // Dispatches served by a ukernel: they split their own work, so their workgroup count is known here.
  llvm::StringMap<uint32_t> ukernelWorkgroups;
  for (Dispatch &dispatch : program.dispatches) {
    auto func = module.lookupSymbol<func::FuncOp>(dispatch.entryPoint);
    if (std::optional<uint32_t> count = lowerContractionToUkernel(func, options.ukernelLanes, options.maxWorkgroups,
                                                                       options.minSplitMacs))
      ukernelWorkgroups[dispatch.entryPoint] = *count;
    else if (std::optional<uint32_t> count = lowerQuantizedMatmulToUkernel(func, options.qgemmUkernel, options.maxWorkgroups))
      ukernelWorkgroups[dispatch.entryPoint] = *count;
    else if (std::optional<uint32_t> count = lowerPoolingToUkernel(func, options.ukernelLanes, options.maxWorkgroups))
      ukernelWorkgroups[dispatch.entryPoint] = *count;
    else if (std::optional<uint32_t> count = lowerGatherContractionToUkernel(func, options.ukernelLanes, options.maxWorkgroups))
      ukernelWorkgroups[dispatch.entryPoint] = *count;
    else if (std::optional<uint32_t> count =
                 lowerWinogradToUkernel(func, options.ukernelLanes, options.maxWorkgroups, dispatch, program))
      ukernelWorkgroups[dispatch.entryPoint] = *count;
  }
  // Loop dispatches: disjoint buffers as noalias arguments, so that LLVM vectorizes their loops.
  llvm::StringMap<SmallVector<ViewArgument>> viewArguments;
  for (Dispatch &dispatch : program.dispatches)
    if (!ukernelWorkgroups.contains(dispatch.entryPoint))
      viewArguments[dispatch.entryPoint] =
          separateDisjointViews(module.lookupSymbol<func::FuncOp>(dispatch.entryPoint), dispatch.bindings);
  if (failed(runPassPipeline(module, "func.func(linalg-generalize-named-ops)")))
    return failure();
  for (auto func : module.getOps<func::FuncOp>())
    interchangeReductionsInward(func);
  if (failed(runPassPipeline(module, "func.func(convert-linalg-to-parallel-loops, canonicalize)")) ||
      failed(approximateMath(module)))
    return failure();
  for (Dispatch &dispatch : program.dispatches) {
    auto func = module.lookupSymbol<func::FuncOp>(dispatch.entryPoint);
    auto ukernel = ukernelWorkgroups.find(dispatch.entryPoint);
    uint32_t count = ukernel != ukernelWorkgroups.end() ? ukernel->second : distribute(func, options.maxWorkgroups, options.minSplitElements);
    dispatch.workgroupCount = {count, 1, 1};
    func.setSymName(dispatch.entryPoint + "_impl");
  }
  for (auto func : module.getOps<func::FuncOp>())
    hoistStaticAllocas(func);
  if (failed(runPassPipeline(module, "func.func(lower-affine, canonicalize), expand-strided-metadata, lower-affine, "
                                 "finalize-memref-to-llvm, convert-scf-to-cf, convert-math-to-llvm, "
                                 "convert-math-to-libm, arith-expand{include-bf16}, convert-arith-to-llvm, convert-cf-to-llvm, "
                                 "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1}, convert-index-to-llvm, "
                                 "reconcile-unrealized-casts")))
    return failure();
  for (const Dispatch &dispatch : program.dispatches) {
    auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(dispatch.entryPoint + "_impl");
    if (!impl)
      return module.emitError("internal error: lowered dispatch missing: ") << dispatch.entryPoint, failure();
    impl.setLinkage(LLVM::Linkage::Internal);
    addEntryPoint(module, impl, dispatch.entryPoint, dispatch.bindings.size(), viewArguments.lookup(dispatch.entryPoint));
  }
  return success();
}

} // namespace sinter

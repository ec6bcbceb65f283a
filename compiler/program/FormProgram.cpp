//===- FormProgram.cpp - constants, static memory plan and dispatch outlining ---------------------------===//
#include "compiler/program/Program.h"
#include "compiler/program/ArenaPlan.h"
#include "compiler/transforms/ContractionEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace sinter {
namespace {

constexpr uint64_t kAlignment = 64;

uint64_t alignUp(uint64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

uint64_t byteSize(MemRefType type) {
  unsigned bits = type.getElementTypeBitWidth();
  return type.getNumElements() * (bits == 1 ? 1 : (bits + 7) / 8); // i1 is one byte in memory
}

/// The bytes of a constant global's initial value, in the in-memory layout of its memref type.
FailureOr<std::vector<uint8_t>> constantBytes(memref::GlobalOp global) {
  auto type = global.getType();
  std::vector<uint8_t> bytes;
  Attribute init = global.getInitialValue().value_or(Attribute());
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(init)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return global.emitError("constant's resource blob is missing"), failure();
    ArrayRef<char> data = blob->getData();
    bytes.assign(data.begin(), data.end());
  } else if (auto dense = dyn_cast_or_null<DenseElementsAttr>(init)) {
    Type element = dense.getElementType();
    if (element.isInteger(1)) {
      for (bool b : dense.getValues<bool>())
        bytes.push_back(b ? 1 : 0);
    } else {
      ArrayRef<char> raw = dense.getRawData();
      uint64_t total = byteSize(type);
      if (dense.isSplat()) {
        for (uint64_t i = 0; i < total; i += raw.size())
          bytes.insert(bytes.end(), raw.begin(), raw.end());
      } else {
        bytes.assign(raw.begin(), raw.end());
      }
    }
  } else {
    return global.emitError("constant has no dense initial value"), failure();
  }
  if (bytes.size() != byteSize(type))
    return global.emitError() << "constant holds " << bytes.size() << " bytes, its type needs " << byteSize(type),
           failure();
  return bytes;
}

bool isComputeOp(Operation *op) { return isa<linalg::LinalgOp>(op); }

} // namespace

void readSignature(func::FuncOp main, Program &program) {
  auto sig = [](Type type, DictionaryAttr attrs, unsigned i) {
    auto tensor = cast<RankedTensorType>(type);
    TensorSignature s;
    auto name = attrs ? attrs.getAs<StringAttr>("graph.name") : StringAttr();
    s.name = name ? name.str() : ("value" + std::to_string(i));
    s.elementType = tensor.getElementType();
    s.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    return s;
  };
  FunctionType type = main.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    program.inputs.push_back(sig(type.getInput(i), main.getArgAttrDict(i), i));
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    program.outputs.push_back(sig(type.getResult(i), main.getResultAttrDict(i), i));
}

LogicalResult formProgram(ModuleOp module, Program &program) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || !main.getFunctionType().getResults().empty() || !llvm::hasSingleElement(main.getBody()))
    return module.emitError("formProgram expects a bufferized @main with out-params and one block");
  MLIRContext *ctx = module.getContext();
  Block &body = main.getBody().front();
  unsigned numInputs = program.inputs.size();
  OpBuilder b(ctx);
  Type i8 = IntegerType::get(ctx, 8);

  // 0. The out-params past the signature's outputs hold bounded outputs' actual dims (exposeBoundedResults)
  // and run-time checks' bytes (exposeRuntimeChecks). The runtime reads them from the arena after the run,
  // so each becomes an allocation live until the end, whose offset goes to `offsetOf[allocation]`.
  llvm::DenseMap<Operation *, uint64_t *> runtimeRead;
  unsigned numArgs = body.getNumArguments();
  unsigned numOutParams = numArgs - numInputs;
  SmallVector<unsigned> extraArgs;
  auto placeExtraResult = [&](int64_t result, uint64_t *offset) -> LogicalResult {
    unsigned arg = numInputs + result;
    if (result < (int64_t)program.outputs.size() || arg >= numArgs)
      return failure();
    b.setInsertionPointToStart(&body);
    auto alloc = memref::AllocOp::create(b, main.getLoc(), cast<MemRefType>(body.getArgument(arg).getType()));
    body.getArgument(arg).replaceAllUsesWith(alloc.getResult());
    runtimeRead[alloc] = offset;
    extraArgs.push_back(arg);
    return success();
  };
  for (auto [k, output] : llvm::enumerate(program.outputs))
    if (output.dimsResult >= 0 && failed(placeExtraResult(output.dimsResult, &output.dimsOffset)))
      return main.emitError("the actual dims of output ") << k << " are not an out-param of @main";
  for (auto [k, check] : llvm::enumerate(program.checks))
    if (failed(placeExtraResult(check.result, &check.offset)))
      return main.emitError("run-time check ") << k << " is not an out-param of @main";
  if (numOutParams != program.outputs.size() + extraArgs.size())
    return main.emitError("@main has ") << numOutParams << " out-params for " << program.outputs.size()
                                        << " outputs and " << extraArgs.size() << " dims and check buffers";
  llvm::sort(extraArgs, std::greater<unsigned>());
  for (unsigned arg : extraArgs)
    (void)main.eraseArgument(arg);

  // 1. Constants: one blob, each global at a 64-byte aligned offset, read through memref.view.
  llvm::MapVector<StringRef, uint64_t> constantOffsets;
  SmallVector<memref::GetGlobalOp> getGlobals;
  main.walk([&](memref::GetGlobalOp op) { getGlobals.push_back(op); });
  for (memref::GetGlobalOp op : getGlobals) {
    if (constantOffsets.count(op.getName()))
      continue;
    auto global = module.lookupSymbol<memref::GlobalOp>(op.getNameAttr());
    if (!global || !global.getConstant())
      return op.emitError("only constant globals are supported");
    FailureOr<std::vector<uint8_t>> bytes = constantBytes(global);
    if (failed(bytes))
      return failure();
    uint64_t offset = alignUp(program.constants.size());
    program.constants.resize(offset);
    program.constants.insert(program.constants.end(), bytes->begin(), bytes->end());
    constantOffsets[op.getName()] = offset;
  }
  program.constants.resize(alignUp(program.constants.size()));
  BlockArgument constantsArg;
  if (!getGlobals.empty()) {
    constantsArg = body.addArgument(MemRefType::get({(int64_t)program.constants.size()}, i8), main.getLoc());
    for (memref::GetGlobalOp op : getGlobals) {
      b.setInsertionPoint(op);
      Value shift = arith::ConstantIndexOp::create(b, op.getLoc(), constantOffsets[op.getName()]);
      Value view = memref::ViewOp::create(b, op.getLoc(), op.getType(), constantsArg, shift, ValueRange{});
      op.replaceAllUsesWith(view);
      op.erase();
    }
  }

  // 2. Static memory plan: live range of each allocation (through its views) in program order.
  llvm::DenseMap<Operation *, unsigned> position;
  unsigned index = 0;
  for (Operation &op : body)
    position[&op] = index++;
  SmallVector<memref::AllocOp> allocs;
  std::vector<ArenaBuffer> arena;
  for (Operation &op : body) {
    auto alloc = dyn_cast<memref::AllocOp>(&op);
    if (!alloc)
      continue;
    if (!alloc.getType().hasStaticShape())
      return alloc.emitError("dynamic allocation cannot be planned");
    unsigned end = position[alloc];
    SmallVector<Value> worklist = {alloc.getResult()};
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      for (Operation *user : v.getUsers()) {
        Operation *top = body.findAncestorOpInBlock(*user);
        end = std::max(end, position[top]);
        if (auto view = dyn_cast<ViewLikeOpInterface>(user); view && view.getViewSource() == v)
          worklist.append(user->result_begin(), user->result_end());
      }
    }
    if (runtimeRead.count(alloc))
      end = index; // past the last op: read by the runtime after the program
    allocs.push_back(alloc);
    arena.push_back({byteSize(alloc.getType()), position[alloc], end});
  }
  program.arenaSize = planArena(arena, kAlignment);
  for (auto [alloc, item] : llvm::zip(allocs, arena))
    if (auto it = runtimeRead.find(alloc); it != runtimeRead.end())
      *it->second = item.offset;
  BlockArgument arenaArg;
  if (!allocs.empty()) {
    arenaArg = body.addArgument(MemRefType::get({(int64_t)program.arenaSize}, i8), main.getLoc());
    for (auto [alloc, item] : llvm::zip(allocs, arena)) {
      b.setInsertionPoint(alloc);
      Value shift = arith::ConstantIndexOp::create(b, alloc.getLoc(), item.offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(), arenaArg, shift, ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
  }
  SmallVector<Operation *> deallocs;
  main.walk([&](memref::DeallocOp op) { deallocs.push_back(op); });
  for (Operation *op : deallocs)
    op->erase();

  // memref.copy would lower to a call into MLIR's C runner library; as linalg.copy it becomes plain loops.
  SmallVector<memref::CopyOp> copies;
  main.walk([&](memref::CopyOp op) { copies.push_back(op); });
  for (memref::CopyOp op : copies) {
    b.setInsertionPoint(op);
    linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
    op.erase();
  }

  // 3. Outline every compute op into a dispatch function over the root buffers it touches.
  auto bindingFor = [&](BlockArgument root) -> Binding {
    auto type = cast<MemRefType>(root.getType());
    if (root == constantsArg)
      return {BindingKind::Constant, 0, 0, program.constants.size()};
    if (root == arenaArg)
      return {BindingKind::Arena, 0, 0, program.arenaSize};
    unsigned n = root.getArgNumber();
    if (n < numInputs)
      return {BindingKind::Input, n, 0, byteSize(type)};
    return {BindingKind::Output, n - numInputs, 0, byteSize(type)};
  };
  SmallVector<Operation *> computeOps;
  for (Operation &op : body) {
    if (isComputeOp(&op))
      computeOps.push_back(&op);
    else if (!isa<func::ReturnOp>(op) && !isMemoryEffectFree(&op) && !isa<ViewLikeOpInterface>(op))
      return op.emitError("cannot place this operation in a dispatch");
  }
  // Consecutive compute ops of one sinter.dispatch_group (a contraction with its prologue and epilogue,
  // sinter-fuse-epilogues) share a dispatch; every other op is a dispatch of its own. A group split by
  // another op (not expected) becomes separate dispatches, which is still the same computation.
  SmallVector<SmallVector<Operation *>> dispatchOps;
  for (Operation *op : computeOps) {
    Attribute group = op->getAttr(kDispatchGroupAttr);
    if (group && !dispatchOps.empty() && dispatchOps.back().back()->getAttr(kDispatchGroupAttr) == group)
      dispatchOps.back().push_back(op);
    else
      dispatchOps.push_back({op});
  }
  b.setInsertionPointToEnd(module.getBody());
  for (auto [n, ops] : llvm::enumerate(dispatchOps)) {
    Operation *op = ops.front();
    // Everything the ops use, transitively, down to block arguments (roots) and side-effect-free producers.
    SetVector<Operation *> producers;
    llvm::SetVector<BlockArgument> roots;
    // Operands and values captured by the ops' regions (e.g. a table a gather body reads), then everything
    // they are computed from.
    SmallVector<Value> worklist;
    for (Operation *member : ops) {
      worklist.append(member->operand_begin(), member->operand_end());
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(member->getRegions(), captured);
      worklist.append(captured.begin(), captured.end());
    }
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      if (auto arg = dyn_cast<BlockArgument>(v)) {
        if (arg.getOwner() == &body)
          roots.insert(arg);
        continue;
      }
      Operation *def = v.getDefiningOp();
      if (def->getBlock() != &body || !producers.insert(def))
        continue;
      worklist.append(def->operand_begin(), def->operand_end());
      llvm::SetVector<Value> nested;
      getUsedValuesDefinedAbove(def->getRegions(), nested);
      worklist.append(nested.begin(), nested.end());
    }

    // Named after its op, or a group after its contraction (the op with reduction loops).
    Operation *named = op;
    for (Operation *member : ops)
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(member); linalgOp && linalgOp.getNumReductionLoops() > 0)
        named = member;
    std::string name = "dispatch_" + std::to_string(n) + "_" +
                       named->getName().getStringRef().split('.').second.str();
    SmallVector<Type> argTypes;
    for (BlockArgument root : roots)
      argTypes.push_back(root.getType());
    Type indexType = b.getIndexType();
    argTypes.append({indexType, indexType});
    auto func = func::FuncOp::create(b, op->getLoc(), name, b.getFunctionType(argTypes, {}));
    Block *entry = func.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockBegin(entry);
    IRMapping mapping;
    for (auto [i, root] : llvm::enumerate(roots))
      mapping.map(root, entry->getArgument(i));
    SmallVector<Operation *> ordered(producers.begin(), producers.end());
    llvm::sort(ordered, [&](Operation *a, Operation *c) { return a->isBeforeInBlock(c); });
    for (Operation *p : ordered)
      fb.clone(*p, mapping);
    for (Operation *member : ops)
      fb.clone(*member, mapping);
    func::ReturnOp::create(fb, op->getLoc());

    Dispatch dispatch;
    dispatch.entryPoint = name;
    for (BlockArgument root : roots)
      dispatch.bindings.push_back(bindingFor(root));
    program.dispatches.push_back(std::move(dispatch));
  }
  main.erase();
  // Globals now live in the constants blob.
  SmallVector<memref::GlobalOp> globals(module.getOps<memref::GlobalOp>());
  for (memref::GlobalOp g : globals)
    g.erase();
  return success();
}

} // namespace sinter

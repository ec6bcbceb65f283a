//===- Ukernels.cpp - contraction dispatches -> ukernel calls; bitcode linking --------------------------===//
#include "compiler/targets/cpu/Ukernels.h"

#include "compiler/targets/cpu/SgemmEpilogue.h"

#include "compiler/targets/cpu/ukernels/sgemm_epilogue.h"
#include "compiler/targets/cpu/ukernels/sgemm_tiles.h"
#include "compiler/transforms/ContractionEpilogue.h"
#include "compiler/transforms/PackedWeightLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>

using namespace mlir;

namespace sinter {
namespace ukernel_bitcode {
// EmbeddedUkernels.cpp, generated from ukernels/ (see ukernels/CMakeLists.txt).
extern const unsigned char sgemm_x86_64_v8[], sgemm_x86_64_v16[], sgemm_aarch64_v4[];
extern const size_t sgemm_x86_64_v8_size, sgemm_x86_64_v16_size, sgemm_aarch64_v4_size;
extern const unsigned char qgemm_x86_64_v8[], qgemm_x86_64_v8_avx2[], qgemm_x86_64_v16[], qgemm_x86_64_v16_vnni[],
    qgemm_aarch64_v4[];
extern const size_t qgemm_x86_64_v8_size, qgemm_x86_64_v8_avx2_size, qgemm_x86_64_v16_size, qgemm_x86_64_v16_vnni_size,
    qgemm_aarch64_v4_size;
extern const unsigned char pool_x86_64_v8[], pool_x86_64_v16[], pool_aarch64_v4[];
extern const size_t pool_x86_64_v8_size, pool_x86_64_v16_size, pool_aarch64_v4_size;
extern const unsigned char winograd_x86_64_v8[], winograd_x86_64_v16[], winograd_aarch64_v4[];
extern const size_t winograd_x86_64_v8_size, winograd_x86_64_v16_size, winograd_aarch64_v4_size;
} // namespace ukernel_bitcode

namespace {

struct UkernelBitcode {
  const char *symbol;
  llvm::Triple::ArchType arch;
  const unsigned char *data;
  const size_t &size;
};

const UkernelBitcode kUkernels[] = {
    {"sinter_uk_sgemm_v8", llvm::Triple::x86_64, ukernel_bitcode::sgemm_x86_64_v8,
     ukernel_bitcode::sgemm_x86_64_v8_size},
    {"sinter_uk_sgemm_v16", llvm::Triple::x86_64, ukernel_bitcode::sgemm_x86_64_v16,
     ukernel_bitcode::sgemm_x86_64_v16_size},
    {"sinter_uk_sgemm_v4", llvm::Triple::aarch64, ukernel_bitcode::sgemm_aarch64_v4,
     ukernel_bitcode::sgemm_aarch64_v4_size},
    // The gather entry point of sgemm.c (convolutions read through im2col offset tables).
    {"sinter_uk_sgemm_gather_v8", llvm::Triple::x86_64, ukernel_bitcode::sgemm_x86_64_v8,
     ukernel_bitcode::sgemm_x86_64_v8_size},
    {"sinter_uk_sgemm_gather_v16", llvm::Triple::x86_64, ukernel_bitcode::sgemm_x86_64_v16,
     ukernel_bitcode::sgemm_x86_64_v16_size},
    {"sinter_uk_sgemm_gather_v4", llvm::Triple::aarch64, ukernel_bitcode::sgemm_aarch64_v4,
     ukernel_bitcode::sgemm_aarch64_v4_size},
    {"sinter_uk_qgemm_v8", llvm::Triple::x86_64, ukernel_bitcode::qgemm_x86_64_v8,
     ukernel_bitcode::qgemm_x86_64_v8_size},
    {"sinter_uk_qgemm_v8_avx2", llvm::Triple::x86_64, ukernel_bitcode::qgemm_x86_64_v8_avx2,
     ukernel_bitcode::qgemm_x86_64_v8_avx2_size},
    {"sinter_uk_qgemm_v16", llvm::Triple::x86_64, ukernel_bitcode::qgemm_x86_64_v16,
     ukernel_bitcode::qgemm_x86_64_v16_size},
    {"sinter_uk_qgemm_v16_vnni", llvm::Triple::x86_64, ukernel_bitcode::qgemm_x86_64_v16_vnni,
     ukernel_bitcode::qgemm_x86_64_v16_vnni_size},
    {"sinter_uk_qgemm_v4", llvm::Triple::aarch64, ukernel_bitcode::qgemm_aarch64_v4,
     ukernel_bitcode::qgemm_aarch64_v4_size},
    {"sinter_uk_pool2d_v8", llvm::Triple::x86_64, ukernel_bitcode::pool_x86_64_v8,
     ukernel_bitcode::pool_x86_64_v8_size},
    {"sinter_uk_pool2d_v16", llvm::Triple::x86_64, ukernel_bitcode::pool_x86_64_v16,
     ukernel_bitcode::pool_x86_64_v16_size},
    {"sinter_uk_pool2d_v4", llvm::Triple::aarch64, ukernel_bitcode::pool_aarch64_v4,
     ukernel_bitcode::pool_aarch64_v4_size},
    {"sinter_uk_winograd_conv_v8", llvm::Triple::x86_64, ukernel_bitcode::winograd_x86_64_v8,
     ukernel_bitcode::winograd_x86_64_v8_size},
    {"sinter_uk_winograd_conv_v16", llvm::Triple::x86_64, ukernel_bitcode::winograd_x86_64_v16,
     ukernel_bitcode::winograd_x86_64_v16_size},
    {"sinter_uk_winograd_conv_v4", llvm::Triple::aarch64, ukernel_bitcode::winograd_aarch64_v4,
     ukernel_bitcode::winograd_aarch64_v4_size},
};

/// One role (batch, M, N or K) of a contraction: its extent and its element stride in A, B and C (0 where
/// the operand does not have it).
struct Role {
  int64_t size = 1;
  int64_t stride[3] = {0, 0, 0};
};

/// Folds the loop dimensions `dims` into one role: dimensions of extent 1 do not matter; more than one
/// larger dimension is not supported (returns false).
bool collectRole(ArrayRef<unsigned> dims, ArrayRef<int64_t> loopSizes, ArrayRef<AffineMap> maps,
                 ArrayRef<SmallVector<int64_t>> strides, Role &role) {
  bool found = false;
  for (unsigned dim : dims) {
    if (loopSizes[dim] == 1)
      continue;
    if (found)
      return false;
    found = true;
    role.size = loopSizes[dim];
    for (unsigned operand = 0; operand < 3; ++operand) {
      std::optional<unsigned> position = maps[operand].getResultPosition(getAffineDimExpr(dim, maps[operand].getContext()));
      role.stride[operand] = position ? strides[operand][*position] : 0;
    }
  }
  return true;
}

} // namespace

Value ukernelByteAddress(OpBuilder &b, Location loc, Value memref) {
  unsigned elementBytes = cast<MemRefType>(memref.getType()).getElementTypeBitWidth() / 8;
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value offsetBytes =
      arith::MulIOp::create(b, loc, metadata.getOffset(), arith::ConstantIndexOp::create(b, loc, elementBytes));
  Value address = arith::AddIOp::create(b, loc, pointer, offsetBytes);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
}

std::optional<SmallVector<int64_t>> unitInnerStrides(Value value, int64_t rank) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() != rank || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.back() != 1 ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  return strides;
}

SmallVector<linalg::LinalgOp> dispatchLinalgOps(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> ops;
  for (Operation &nested : func.getBody().front())
    if (auto op = dyn_cast<linalg::LinalgOp>(&nested))
      ops.push_back(op);
  return ops;
}

linalg::LinalgOp soleLinalgOp(func::FuncOp func) {
  SmallVector<linalg::LinalgOp> ops = dispatchLinalgOps(func);
  return ops.size() == 1 ? ops[0] : linalg::LinalgOp();
}

func::FuncOp declareUkernel(ModuleOp module, StringRef name, TypeRange argTypes) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto decl = func::FuncOp::create(b, module.getLoc(), name, b.getFunctionType(argTypes, {}));
  decl.setPrivate();
  return decl;
}

func::FuncOp declareUkernel(ModuleOp module, StringRef name, unsigned numArgs) {
  SmallVector<Type> args(numArgs, IntegerType::get(module.getContext(), 64));
  return declareUkernel(module, name, args);
}

unsigned ukernelVectorLanes(const llvm::TargetMachine &machine) {
  switch (machine.getTargetTriple().getArch()) {
  case llvm::Triple::x86_64:
    return machine.getMCSubtargetInfo()->checkFeatures("+avx512f") ? 16 : 8;
  case llvm::Triple::aarch64:
    return 4;
  default:
    return 0;
  }
}

std::string qgemmUkernelName(const llvm::TargetMachine &machine, unsigned lanes) {
  if (lanes == 0)
    return "";
  std::string name = "sinter_uk_qgemm_v" + std::to_string(lanes);
  if (machine.getTargetTriple().getArch() != llvm::Triple::x86_64)
    return name;
  const llvm::MCSubtargetInfo &cpu = *machine.getMCSubtargetInfo();
  if (lanes == 8 && cpu.checkFeatures("+avx2,+f16c"))
    return name + "_avx2";
  if (lanes == 16 && cpu.checkFeatures("+avx512bw,+avx512vl,+avx512vnni,+avx512vbmi"))
    return name + "_vnni";
  return name;
}

bool qgemmHasIntGemv(llvm::StringRef name) {
  return name == "sinter_uk_qgemm_v8_avx2" || name == "sinter_uk_qgemm_v16" || name == "sinter_uk_qgemm_v16_vnni";
}

std::optional<uint32_t> lowerContractionToUkernel(func::FuncOp func, unsigned lanes, unsigned maxWorkgroups,
                                                  int64_t minSplitMacs) {
  if (lanes == 0)
    return std::nullopt;
  // The dispatch is its linalg op (or a contraction group) plus views of its bindings.
  std::optional<ContractionGroup> group = contractionGroup(func);
  // A padded B is read in place by the gather entry point only.
  linalg::LinalgOp op = group && !group->padCopy ? group->contraction : linalg::LinalgOp();
  if (!op || !op.hasPureBufferSemantics() || !isMulAddContraction(op)) // C += A * B in f32
    return std::nullopt;
  // B packed at compile time (sinter-pack-weights) is read through (n floordiv W, k, n mod W); the roles
  // are those of the logical B[k, n]. W must be this kernel's panel width.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::optional<PackedWeightDims> packed = matchPackedWeightMap(maps[1]);
  if (packed) {
    if (packed->width != 2 * lanes)
      return std::nullopt;
    MLIRContext *context = op.getContext();
    maps[1] = AffineMap::get(maps[1].getNumDims(), 0,
                             {getAffineDimExpr(packed->k, context), getAffineDimExpr(packed->n, context)}, context);
  } else if (!linalg::isaContractionOpInterface(op)) {
    return std::nullopt;
  }
  SmallVector<Value> operands = {op.getDpsInputOperand(0)->get(), op.getDpsInputOperand(1)->get(),
                                 op.getDpsInitOperand(0)->get()};
  SmallVector<SmallVector<int64_t>> strides;
  for (Value operand : operands) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return std::nullopt;
    SmallVector<int64_t> operandStrides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(operandStrides, offset)) ||
        llvm::any_of(operandStrides, ShapedType::isDynamic))
      return std::nullopt;
    strides.push_back(operandStrides);
  }
  if (packed)
    strides[1] = {static_cast<int64_t>(packed->width), 1}; // within a panel; the kernel walks the panels
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(maps);
  if (failed(dims))
    return std::nullopt;
  SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
  Role batch, m, n, k;
  if (!collectRole(dims->batch, loopSizes, maps, strides, batch) || !collectRole(dims->m, loopSizes, maps, strides, m) ||
      !collectRole(dims->n, loopSizes, maps, strides, n) || !collectRole(dims->k, loopSizes, maps, strides, k))
    return std::nullopt;
  if (llvm::any_of(loopSizes, [](int64_t size) { return size == 0; }) || (packed && batch.size != 1))
    return std::nullopt;
  // The fused prologue and epilogue address their operands along C's M and N (batch 1: sgemm_epilogue.h).
  SmallVector<OutputRole> roles;
  for (AffineExpr result : maps[2].getResults()) {
    auto dimExpr = dyn_cast<AffineDimExpr>(result);
    if (!dimExpr)
      return std::nullopt;
    unsigned dim = dimExpr.getPosition();
    bool isM = m.size > 1 && llvm::is_contained(dims->m, dim) && loopSizes[dim] > 1;
    bool isN = n.size > 1 && llvm::is_contained(dims->n, dim) && loopSizes[dim] > 1;
    roles.push_back(isM ? OutputRole::M : isN ? OutputRole::N : OutputRole::Unit);
  }
  // Across a batch the ukernel applies no bias, addend or clamp (sgemm_epilogue.h): only a zero init.
  std::optional<SgemmEpilogue> epilogue = analyzeSgemmEpilogue(*group, roles);
  bool zeroInitOnly = !group->epilogue && epilogue && epilogue->init == SINTER_UK_INIT_ZERO;
  if (!epilogue || (batch.size != 1 && (group->prologue || group->epilogue) && !zeroInitOnly))
    return std::nullopt;

  int64_t units = sinter_uk_sgemm_units(batch.size, m.size, n.size, packed.has_value());
  bool small = batch.size * m.size * n.size * k.size < minSplitMacs;
  uint32_t workgroups = small ? 1 : static_cast<uint32_t>(std::min<int64_t>(units, maxWorkgroups));
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto i64 = [&](int64_t value) -> Value { return arith::ConstantIntOp::create(b, loc, b.getI64Type(), value); };
  unsigned numArgs = func.getNumArguments();
  Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 2));
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), func.getArgument(numArgs - 1));
  SmallVector<Value> args = {ukernelByteAddress(b, loc, operands[0]), ukernelByteAddress(b, loc, operands[1]),
                             ukernelByteAddress(b, loc, operands[2]),
                             i64(batch.size), i64(m.size), i64(n.size), i64(k.size),
                             i64(batch.stride[0]), i64(m.stride[0]), i64(k.stride[0]),
                             i64(batch.stride[1]), i64(k.stride[1]), i64(n.stride[1]),
                             i64(batch.stride[2]), i64(m.stride[2]), i64(n.stride[2]),
                             i64(packed ? packed->width : 0)};
  args.append(sgemmEpilogueArgs(b, loc, *epilogue));
  args.append({id, count});
  std::string name = "sinter_uk_sgemm_v" + std::to_string(lanes);
  func::FuncOp callee = declareUkernel(func->getParentOfType<ModuleOp>(), name, ValueRange(args).getTypes());
  func::CallOp::create(b, loc, callee, args);
  eraseGroup(*group);
  return workgroups;
}

bool linkUkernels(llvm::Module &module, std::string &error) {
  for (const UkernelBitcode &ukernel : kUkernels) {
    llvm::Function *declaration = module.getFunction(ukernel.symbol);
    if (!declaration || !declaration->isDeclaration())
      continue;
    if (module.getTargetTriple().getArch() != ukernel.arch) {
      error = std::string("ukernel ") + ukernel.symbol + " has no bitcode for " + module.getTargetTriple().str();
      return false;
    }
    llvm::StringRef bytes(reinterpret_cast<const char *>(ukernel.data), ukernel.size);
    auto buffer = llvm::MemoryBuffer::getMemBuffer(bytes, ukernel.symbol, /*RequiresNullTerminator=*/false);
    llvm::Expected<std::unique_ptr<llvm::Module>> parsed = llvm::parseBitcodeFile(*buffer, module.getContext());
    if (!parsed) {
      error = "cannot read the bitcode of " + std::string(ukernel.symbol) + ": " + llvm::toString(parsed.takeError());
      return false;
    }
    std::unique_ptr<llvm::Module> library = std::move(*parsed);
    library->setTargetTriple(module.getTargetTriple());
    library->setDataLayout(module.getDataLayout());
    for (llvm::Function &function : *library) {
      function.removeFnAttr("target-cpu");
      function.removeFnAttr("target-features");
      function.removeFnAttr("tune-cpu");
    }
    if (llvm::Linker::linkModules(module, std::move(library), llvm::Linker::Flags::LinkOnlyNeeded)) {
      error = "cannot link the bitcode of " + std::string(ukernel.symbol);
      return false;
    }
  }
  // Internal (inlined, not exported), including entry points linked in with another one's bitcode.
  for (const UkernelBitcode &ukernel : kUkernels)
    if (llvm::Function *defined = module.getFunction(ukernel.symbol); defined && !defined->isDeclaration())
      defined->setLinkage(llvm::GlobalValue::InternalLinkage);
  return true;
}

} // namespace sinter

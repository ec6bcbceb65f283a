//===- ModuleWriter.cpp - Program + executable -> .sinter (FlatBuffers) ---------------------------------===//
#include "compiler/module/ModuleWriter.h"

#include "sinter_module_generated.h"

#include "mlir/IR/BuiltinTypes.h"

namespace sinter {
namespace {

bool elementTypeFor(mlir::Type t, fb::ElementType &out) {
  using E = fb::ElementType;
  if (t.isF32()) out = E::F32;
  else if (t.isF64()) out = E::F64;
  else if (t.isF16()) out = E::F16;
  else if (t.isBF16()) out = E::BF16;
  else if (t.isInteger(1)) out = E::Bool;
  else if (auto it = mlir::dyn_cast<mlir::IntegerType>(t)) {
    bool u = it.isUnsigned();
    switch (it.getWidth()) {
    case 8: out = u ? E::U8 : E::I8; break;
    case 16: out = u ? E::U16 : E::I16; break;
    case 32: out = u ? E::U32 : E::I32; break;
    case 64: out = u ? E::U64 : E::I64; break;
    default: return false;
    }
  } else {
    return false;
  }
  return true;
}

} // namespace

bool writeModule(const Program &program, const std::vector<uint8_t> &executable, const CpuTargetOptions &target,
                 std::vector<uint8_t> &out, std::string &error) {
  flatbuffers::FlatBufferBuilder fbb(1 << 16);
  auto signatures = [&](const std::vector<TensorSignature> &list) {
    std::vector<flatbuffers::Offset<fb::TensorSignature>> result;
    for (const TensorSignature &s : list) {
      fb::ElementType type;
      if (!elementTypeFor(s.elementType, type)) {
        error = "'" + s.name + "' has an element type the module format cannot describe";
        return result;
      }
      auto name = fbb.CreateString(s.name);
      auto shape = fbb.CreateVector(s.shape);
      flatbuffers::Offset<flatbuffers::Vector<int64_t>> bound;
      if (s.isDynamic())
        bound = fbb.CreateVector(s.boundShape);
      result.push_back(fb::CreateTensorSignature(fbb, name, type, shape, bound, s.isDynamic() ? s.dimsOffset : 0));
    }
    return result;
  };
  auto inputs = signatures(program.inputs);
  auto outputs = signatures(program.outputs);
  if (!error.empty())
    return false;

  std::vector<flatbuffers::Offset<flatbuffers::String>> entryPoints;
  std::vector<flatbuffers::Offset<fb::Dispatch>> dispatches;
  for (auto [i, d] : llvm::enumerate(program.dispatches)) {
    entryPoints.push_back(fbb.CreateString(d.entryPoint));
    std::vector<fb::BufferBinding> bindings;
    for (const Binding &b : d.bindings)
      bindings.emplace_back(static_cast<fb::BufferKind>(b.kind), b.index, b.offset, b.size);
    std::vector<uint32_t> count(d.workgroupCount.begin(), d.workgroupCount.end());
    dispatches.push_back(fb::CreateDispatch(fbb, /*executable=*/0, static_cast<uint32_t>(i), fbb.CreateVector(count),
                                            fbb.CreateVectorOfStructs(bindings)));
  }
  fbb.ForceVectorAlignment(executable.size(), sizeof(uint8_t), 64);
  auto code = fbb.CreateVector(executable);
  auto exec = fb::CreateExecutable(fbb, fb::ExecutableFormat::ElfSharedObject, fbb.CreateString(target.triple),
                                   fbb.CreateString(target.cpu), fbb.CreateVector(entryPoints), code);
  std::vector<flatbuffers::Offset<fb::Executable>> executables = {exec};
  fbb.ForceVectorAlignment(program.constants.size(), sizeof(uint8_t), 64);
  auto constants = fbb.CreateVector(program.constants);
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::RuntimeCheck>>> checks;
  if (!program.checks.empty()) {
    std::vector<flatbuffers::Offset<fb::RuntimeCheck>> list;
    for (const RuntimeCheck &c : program.checks)
      list.push_back(fb::CreateRuntimeCheck(fbb, fbb.CreateString(c.message), c.offset));
    checks = fbb.CreateVector(list);
  }
  // The oldest version that describes the module, so that older runtimes keep loading what they can run:
  // 3 with run-time checks, 2 with dynamic output dims, else 1.
  bool dynamic = llvm::any_of(program.outputs, [](const TensorSignature &s) { return s.isDynamic(); });
  uint32_t version = !program.checks.empty() ? 3 : dynamic ? 2 : 1;
  auto module = fb::CreateModule(fbb, version, fbb.CreateString("sinter-compile 0.1.0"), fbb.CreateVector(inputs),
                                 fbb.CreateVector(outputs), fbb.CreateVector(executables),
                                 fbb.CreateVector(dispatches), program.arenaSize, constants, checks);
  fb::FinishModuleBuffer(fbb, module);
  out.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  return true;
}

} // namespace sinter

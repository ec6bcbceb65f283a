//===- module_loader.cpp - validated module -> executables loaded, program resolved --------------------===//
#include "module_loader.h"

#include "module_validator.h"

namespace sinter {
namespace {

std::vector<TensorSpec>
readSignature(const flatbuffers::Vector<flatbuffers::Offset<fb::TensorSignature>> &list) {
  std::vector<TensorSpec> specs;
  specs.reserve(list.size());
  for (const fb::TensorSignature *signature : list) {
    const flatbuffers::Vector<int64_t> &shape = *signature->shape();
    TensorSpec spec{signature->name()->str(), static_cast<sinter_element_type_t>(signature->element_type()),
                    std::vector<int64_t>(shape.begin(), shape.end()),
                    static_cast<size_t>(signatureByteSize(*signature))};
    // The validator allowed a bound_shape only with dynamic dims.
    if (const flatbuffers::Vector<int64_t> *bound = signature->bound_shape()) {
      spec.dynamic = true;
      spec.boundDims.assign(bound->begin(), bound->end());
      spec.dimsOffset = signature->dims_offset();
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

} // namespace

Status LoadedModule::load(std::unique_ptr<ModuleBytes> bytes, std::shared_ptr<const LoadedModule> &out) {
  const fb::Module *root = nullptr;
  SINTER_RETURN_IF_ERROR(validateModule(bytes->data(), bytes->size(), root));

  std::shared_ptr<LoadedModule> module(new LoadedModule());
  module->inputs_ = readSignature(*root->inputs());
  module->outputs_ = readSignature(*root->outputs());
  module->arenaSize_ = root->arena_size();

  if (root->constants() && root->constants()->size() != 0) {
    module->constants_ = root->constants()->data();
    // The validator checked the offset inside the module; this checks the address, which also depends on
    // where the caller put the bytes (a mapping is page aligned, so there it is the offset again).
    if (reinterpret_cast<uintptr_t>(module->constants_) % kConstantsAlignment != 0) {
      std::string message = "constants are not " + std::to_string(kConstantsAlignment) + "-byte aligned in memory";
      if (bytes->isMapped())
        return invalidModule(message);
      return invalidArgument(message + ": pass module data at a " + std::to_string(kConstantsAlignment) +
                             "-byte aligned address");
    }
  }

  const auto &executables = *root->executables();
  for (flatbuffers::uoffset_t i = 0; i < executables.size(); ++i) {
    const fb::Executable &executable = *executables.Get(i);
    std::string label = "executable " + std::to_string(i);
    Status tripleStatus = checkTripleMatchesHost(executable.target_triple()->str());
    if (!tripleStatus.ok())
      return Status(tripleStatus.code(), label + ": " + tripleStatus.message());
    std::vector<std::string> entryPoints;
    for (const flatbuffers::String *name : *executable.entry_points())
      entryPoints.push_back(name->str());
    std::unique_ptr<ElfExecutable> loaded;
    SINTER_RETURN_IF_ERROR(
        ElfExecutable::load(label, executable.code()->data(), executable.code()->size(), entryPoints, loaded));
    module->executables_.push_back(std::move(loaded));
  }

  for (const fb::Dispatch *dispatch : *root->dispatches()) {
    DispatchSpec spec;
    spec.executable = dispatch->executable();
    spec.entryPointIndex = dispatch->entry_point();
    spec.entryPoint = module->executables_[spec.executable]->entryPoint(spec.entryPointIndex);
    spec.entryName = root->executables()->Get(spec.executable)->entry_points()->Get(spec.entryPointIndex)->str();
    spec.workgroupTotal = 1;
    for (flatbuffers::uoffset_t axis = 0; axis < 3; ++axis) {
      spec.workgroupCount[axis] = dispatch->workgroup_count()->Get(axis);
      spec.workgroupTotal *= spec.workgroupCount[axis];
    }
    for (const fb::BufferBinding *binding : *dispatch->bindings())
      spec.bindings.push_back(BindingSpec{static_cast<BindingKind>(binding->kind()), binding->index(),
                                          binding->offset(), binding->size()});
    module->dispatches_.push_back(std::move(spec));
  }

  if (root->checks())
    for (const fb::RuntimeCheck *check : *root->checks())
      module->checks_.push_back(CheckSpec{check->message()->str(), check->offset()});

  module->bytes_ = std::move(bytes);
  out = std::move(module);
  return Status();
}

} // namespace sinter

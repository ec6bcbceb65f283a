//===- module_validator.cpp - verifier + bounds and consistency checks ---------------------------------===//
#include "module_validator.h"

#include "element_type.h"

#include <set>
#include <vector>

namespace sinter {
namespace {

std::string describeIdentifier(const uint8_t *data, size_t size) {
  size_t offset = sizeof(flatbuffers::uoffset_t);
  if (size < offset + flatbuffers::kFileIdentifierLength)
    return "missing";
  return quoteForMessage(reinterpret_cast<const char *>(data + offset), flatbuffers::kFileIdentifierLength);
}

/// Checks one side of the signature; fills `byteSizes` with each entry's size for the binding checks.
/// `allowDynamic`: outputs of a version >= 2 module, which may have dynamic dims (-1) with a bound shape and
/// the arena offset of their actual dims, checked against `arenaSize`.
Status validateSignature(const flatbuffers::Vector<flatbuffers::Offset<fb::TensorSignature>> &list,
                         const char *role, bool allowDynamic, uint64_t arenaSize, std::vector<uint64_t> &byteSizes) {
  std::set<std::string> names;
  for (flatbuffers::uoffset_t i = 0; i < list.size(); ++i) {
    const fb::TensorSignature &signature = *list.Get(i);
    std::string where = std::string(role) + " " + std::to_string(i);
    const flatbuffers::String *name = signature.name();
    // Tools address tensors by name (sinter-run's --input NAME=..., one output file per name).
    if (name->size() == 0)
      return invalidModule(where + " has an empty name");
    if (!names.insert(name->str()).second)
      return invalidModule(where + ": the name " + quoteModuleString(name) + " is used twice");
    where += " " + quoteModuleString(name);
    uint32_t type = static_cast<uint32_t>(signature.element_type());
    if (!isValidElementType(type))
      return invalidModule(where + " has invalid element type " + std::to_string(type));
    const flatbuffers::Vector<int64_t> &shape = *signature.shape();
    const flatbuffers::Vector<int64_t> *bound = signature.bound_shape();
    bool dynamic = false;
    for (int64_t dim : shape)
      dynamic |= dim == -1;
    const flatbuffers::Vector<int64_t> &sized = dynamic && bound ? *bound : shape;
    if (dynamic) {
      if (!allowDynamic)
        return invalidModule(where + " has shape " + formatShape(shape.data(), shape.size()) +
                             ": dynamic dims are allowed only in outputs of format version 2 or later");
      if (!bound || bound->size() != shape.size())
        return invalidModule(where + " has dynamic dims but no bound_shape of rank " + std::to_string(shape.size()));
      for (flatbuffers::uoffset_t d = 0; d < shape.size(); ++d) {
        if (shape.Get(d) != -1 && shape.Get(d) != bound->Get(d))
          return invalidModule(where + ": bound_shape " + formatShape(bound->data(), bound->size()) +
                               " differs from shape " + formatShape(shape.data(), shape.size()) +
                               " in a static dimension");
      }
      uint64_t dimsBytes = shape.size() * sizeof(int64_t), end = 0;
      if (signature.dims_offset() % alignof(int64_t) != 0 ||
          __builtin_add_overflow(signature.dims_offset(), dimsBytes, &end) || end > arenaSize)
        return invalidModule(where + ": dims_offset " + std::to_string(signature.dims_offset()) +
                             " is not an 8-byte aligned offset of " + std::to_string(shape.size()) +
                             " int64s inside the arena (" + std::to_string(arenaSize) + " bytes)");
    } else if (bound || signature.dims_offset() != 0) {
      return invalidModule(where + " has a bound_shape or dims_offset but no dynamic dims");
    }
    uint64_t bytes = 0;
    if (!checkedByteSize(sized.data(), sized.size(), elementTypeSize(static_cast<sinter_element_type_t>(type)),
                         bytes))
      return invalidModule(where + " has " + (dynamic ? "bound shape " : "shape ") +
                           formatShape(sized.data(), sized.size()) +
                           ": a dimension is negative or the byte size overflows");
    byteSizes.push_back(bytes);
  }
  return Status();
}

Status validateExecutable(const fb::Executable &executable, flatbuffers::uoffset_t index) {
  std::string where = "executable " + std::to_string(index);
  if (executable.format() != fb::ExecutableFormat::ElfSharedObject)
    return unsupported(where + " has format " + std::to_string(static_cast<unsigned>(executable.format())) +
                       "; this runtime loads only ElfSharedObject (0)");
  const auto &entryPoints = *executable.entry_points();
  for (flatbuffers::uoffset_t i = 0; i < entryPoints.size(); ++i) {
    if (entryPoints.Get(i)->size() == 0)
      return invalidModule(where + " entry point " + std::to_string(i) + " has an empty name");
  }
  if (executable.code()->size() == 0)
    return invalidModule(where + " has no code");
  return Status();
}

struct BufferSizes {
  std::vector<uint64_t> inputs, outputs;
  uint64_t constants = 0;
  uint64_t arena = 0;
};

Status validateBinding(const fb::BufferBinding &binding, const std::string &where, const BufferSizes &sizes) {
  uint64_t limit = 0;
  std::string buffer;
  switch (binding.kind()) {
  case fb::BufferKind::Input:
    if (binding.index() >= sizes.inputs.size())
      return invalidModule(where + " binds input " + std::to_string(binding.index()) + " but the module has " +
                           std::to_string(sizes.inputs.size()) + " inputs");
    limit = sizes.inputs[binding.index()];
    buffer = "input " + std::to_string(binding.index());
    break;
  case fb::BufferKind::Output:
    if (binding.index() >= sizes.outputs.size())
      return invalidModule(where + " binds output " + std::to_string(binding.index()) + " but the module has " +
                           std::to_string(sizes.outputs.size()) + " outputs");
    limit = sizes.outputs[binding.index()];
    buffer = "output " + std::to_string(binding.index());
    break;
  case fb::BufferKind::Constant:
    limit = sizes.constants;
    buffer = "constants";
    break;
  case fb::BufferKind::Arena:
    limit = sizes.arena;
    buffer = "arena";
    break;
  default:
    return invalidModule(where + " has invalid buffer kind " +
                         std::to_string(static_cast<unsigned>(binding.kind())));
  }
  uint64_t end = 0;
  if (__builtin_add_overflow(binding.offset(), binding.size(), &end) || end > limit)
    return invalidModule(where + ": byte range [" + std::to_string(binding.offset()) + ", " +
                         std::to_string(binding.offset()) + " + " + std::to_string(binding.size()) +
                         ") is outside " + buffer + " (" + std::to_string(limit) + " bytes)");
  return Status();
}

Status validateDispatch(const fb::Dispatch &dispatch, flatbuffers::uoffset_t index, const fb::Module &module,
                        const BufferSizes &sizes) {
  std::string where = "dispatch " + std::to_string(index);
  const auto &executables = *module.executables();
  if (dispatch.executable() >= executables.size())
    return invalidModule(where + " uses executable " + std::to_string(dispatch.executable()) +
                         " but the module has " + std::to_string(executables.size()));
  const auto &entryPoints = *executables.Get(dispatch.executable())->entry_points();
  if (dispatch.entry_point() >= entryPoints.size())
    return invalidModule(where + " uses entry point " + std::to_string(dispatch.entry_point()) + " but executable " +
                         std::to_string(dispatch.executable()) + " has " + std::to_string(entryPoints.size()));
  const auto &count = *dispatch.workgroup_count();
  if (count.size() != 3)
    return invalidModule(where + " has " + std::to_string(count.size()) +
                         " workgroup counts; expected exactly 3 (x, y, z)");
  uint64_t total = 1;
  for (flatbuffers::uoffset_t i = 0; i < 3; ++i) {
    if (count.Get(i) == 0)
      return invalidModule(where + " has workgroup count " + std::to_string(i) + " equal to 0; each must be >= 1");
    if (__builtin_mul_overflow(total, static_cast<uint64_t>(count.Get(i)), &total))
      return invalidModule(where + ": the total workgroup count overflows 64 bits");
  }
  const auto &bindings = *dispatch.bindings();
  for (flatbuffers::uoffset_t i = 0; i < bindings.size(); ++i)
    SINTER_RETURN_IF_ERROR(validateBinding(*bindings.Get(i), where + " binding " + std::to_string(i), sizes));
  return Status();
}

} // namespace

std::string quoteModuleString(const flatbuffers::String *text) {
  return text ? quoteForMessage(text->c_str(), text->size()) : "(none)";
}

uint64_t signatureByteSize(const fb::TensorSignature &signature) {
  uint64_t bytes = 0;
  const flatbuffers::Vector<int64_t> &shape = signature.bound_shape() ? *signature.bound_shape() : *signature.shape();
  checkedByteSize(shape.data(), shape.size(),
                  elementTypeSize(static_cast<sinter_element_type_t>(signature.element_type())), bytes);
  return bytes;
}

Status validateModule(const uint8_t *data, size_t size, const fb::Module *&module) {
  module = nullptr;
  if (!data)
    return invalidArgument("module data is NULL");
  // The verifier asserts on larger buffers; FlatBuffers' 32-bit offsets cannot address them anyway.
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return invalidModule("module is " + std::to_string(size) + " bytes; FlatBuffers modules must be under 2 GiB");
  if (size < 2 * sizeof(flatbuffers::uoffset_t) || !fb::ModuleBufferHasIdentifier(data))
    return invalidModule("not a Sinter module: file identifier is " + describeIdentifier(data, size) +
                         ", expected '" + fb::ModuleIdentifier() + "'");
  flatbuffers::Verifier::Options options;
  options.check_alignment = true;
  flatbuffers::Verifier verifier(data, size, options);
  if (!fb::VerifyModuleBuffer(verifier))
    return invalidModule("module failed FlatBuffers verification: truncated or corrupt (" + std::to_string(size) +
                         " bytes)");
  const fb::Module &root = *fb::GetModule(data);

  if (root.version() == 0)
    return invalidModule("module has no format version");
  if (root.version() < kOldestModuleVersion || root.version() > kSupportedModuleVersion)
    return unsupported("module format version " + std::to_string(root.version()) + "; this runtime reads versions " +
                       std::to_string(kOldestModuleVersion) + " to " + std::to_string(kSupportedModuleVersion));

  BufferSizes sizes;
  sizes.arena = root.arena_size();
  if (sizes.arena > static_cast<uint64_t>(PTRDIFF_MAX))
    return invalidModule("arena_size " + std::to_string(sizes.arena) + " is larger than this machine can address");
  SINTER_RETURN_IF_ERROR(validateSignature(*root.inputs(), "input", false, sizes.arena, sizes.inputs));
  SINTER_RETURN_IF_ERROR(
      validateSignature(*root.outputs(), "output", root.version() >= 2, sizes.arena, sizes.outputs));

  if (const flatbuffers::Vector<uint8_t> *constants = root.constants()) {
    sizes.constants = constants->size();
    // Kernels may use aligned vector loads on constants; the file promises 64-byte alignment.
    size_t offset = static_cast<size_t>(constants->data() - data);
    if (sizes.constants != 0 && offset % kConstantsAlignment != 0)
      return invalidModule("constants start at byte " + std::to_string(offset) + " of the module, not at a " +
                           std::to_string(kConstantsAlignment) + "-byte aligned offset");
  }

  if (const auto *checks = root.checks()) {
    if (root.version() < 3 && checks->size() != 0)
      return invalidModule("run-time checks are allowed only in format version 3 or later");
    for (flatbuffers::uoffset_t i = 0; i < checks->size(); ++i)
      if (checks->Get(i)->offset() >= sizes.arena)
        return invalidModule("run-time check " + std::to_string(i) + ": offset " +
                             std::to_string(checks->Get(i)->offset()) + " is outside the arena (" +
                             std::to_string(sizes.arena) + " bytes)");
  }

  const auto &executables = *root.executables();
  for (flatbuffers::uoffset_t i = 0; i < executables.size(); ++i)
    SINTER_RETURN_IF_ERROR(validateExecutable(*executables.Get(i), i));
  const auto &dispatches = *root.dispatches();
  for (flatbuffers::uoffset_t i = 0; i < dispatches.size(); ++i)
    SINTER_RETURN_IF_ERROR(validateDispatch(*dispatches.Get(i), i, root, sizes));

  module = &root;
  return Status();
}

} // namespace sinter

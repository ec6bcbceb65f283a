//===- sinter-dump.cpp - describe a .sinter module ----------------------------------------------------===//
//
//   sinter-dump MODULE.sinter
//
// Prints the format version, producer, signature, section sizes, executables (triple, CPU, code size,
// entry points), arena size and the dispatch list. The module is validated exactly as the runtime does,
// but its executables are not loaded, so modules for other architectures can be inspected too.
//
//===----------------------------------------------------------------------------------------------------===//
#include "element_type.h"
#include "module_bytes.h"
#include "module_validator.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace {

using namespace sinter;

std::string str(const flatbuffers::String *text) { return text ? text->str() : std::string("(none)"); }

void printSignature(const char *title,
                    const flatbuffers::Vector<flatbuffers::Offset<fb::TensorSignature>> &list) {
  std::printf("%s: %u\n", title, list.size());
  for (flatbuffers::uoffset_t i = 0; i < list.size(); ++i) {
    const fb::TensorSignature &signature = *list.Get(i);
    const auto &shape = *signature.shape();
    // Dynamic dims print as -1, followed by the bound that sizes the buffer and where the dims go.
    std::string dynamic;
    if (const flatbuffers::Vector<int64_t> *bound = signature.bound_shape())
      dynamic = ", bound " + formatShape(bound->data(), bound->size(), SIZE_MAX) + ", dims at arena +" +
                std::to_string(signature.dims_offset());
    std::printf("  %u: %s %s %s (%llu bytes%s)\n", i, signature.name()->c_str(),
                elementTypeName(static_cast<sinter_element_type_t>(signature.element_type())),
                formatShape(shape.data(), shape.size(), SIZE_MAX).c_str(),
                static_cast<unsigned long long>(signatureByteSize(signature)), dynamic.c_str());
  }
}

std::string describeBinding(const fb::BufferBinding &binding, const fb::Module &module) {
  std::string text;
  switch (binding.kind()) {
  case fb::BufferKind::Input:
    text = "input " + std::to_string(binding.index()) + " (" + module.inputs()->Get(binding.index())->name()->str() +
           ")";
    break;
  case fb::BufferKind::Output:
    text = "output " + std::to_string(binding.index()) + " (" +
           module.outputs()->Get(binding.index())->name()->str() + ")";
    break;
  case fb::BufferKind::Constant: text = "constants"; break;
  case fb::BufferKind::Arena: text = "arena"; break;
  }
  return text + " [" + std::to_string(binding.offset()) + ", +" + std::to_string(binding.size()) + ")";
}

void dump(const std::string &path, const fb::Module &module, size_t fileSize) {
  std::printf("module: %s (%zu bytes)\n", path.c_str(), fileSize);
  std::printf("format version: %u\n", module.version());
  std::printf("producer: %s\n", str(module.producer()).c_str());
  printSignature("inputs", *module.inputs());
  printSignature("outputs", *module.outputs());
  std::printf("constants: %u bytes\n", module.constants() ? module.constants()->size() : 0u);
  std::printf("arena: %llu bytes\n", static_cast<unsigned long long>(module.arena_size()));
  if (module.checks() && module.checks()->size() != 0) {
    std::printf("run-time checks: %u\n", module.checks()->size());
    for (flatbuffers::uoffset_t i = 0; i < module.checks()->size(); ++i)
      std::printf("  %u: arena +%llu: %s\n", i, static_cast<unsigned long long>(module.checks()->Get(i)->offset()),
                  module.checks()->Get(i)->message()->c_str());
  }

  const auto &executables = *module.executables();
  std::printf("executables: %u\n", executables.size());
  for (flatbuffers::uoffset_t i = 0; i < executables.size(); ++i) {
    const fb::Executable &executable = *executables.Get(i);
    std::printf("  %u: %s, triple %s, cpu %s, code %u bytes\n", i, fb::EnumNameExecutableFormat(executable.format()),
                executable.target_triple()->c_str(), str(executable.cpu()).c_str(), executable.code()->size());
    const auto &entryPoints = *executable.entry_points();
    for (flatbuffers::uoffset_t e = 0; e < entryPoints.size(); ++e)
      std::printf("     entry %u: %s\n", e, entryPoints.Get(e)->c_str());
  }

  const auto &dispatches = *module.dispatches();
  std::printf("dispatches: %u\n", dispatches.size());
  for (flatbuffers::uoffset_t i = 0; i < dispatches.size(); ++i) {
    const fb::Dispatch &dispatch = *dispatches.Get(i);
    const auto &count = *dispatch.workgroup_count();
    std::printf("  %u: executable %u entry %u (%s), workgroups [%u, %u, %u]\n", i, dispatch.executable(),
                dispatch.entry_point(),
                executables.Get(dispatch.executable())->entry_points()->Get(dispatch.entry_point())->c_str(),
                count.Get(0), count.Get(1), count.Get(2));
    const auto &bindings = *dispatch.bindings();
    for (flatbuffers::uoffset_t b = 0; b < bindings.size(); ++b)
      std::printf("     binding %u: %s\n", b, describeBinding(*bindings.Get(b), module).c_str());
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help")) {
    std::puts("usage: sinter-dump MODULE.sinter\nDescribes a module: signature, sections, executables, dispatches.");
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "sinter-dump: error: expected exactly one module file (see --help)\n");
    return 1;
  }
  std::string path = argv[1];
  std::unique_ptr<ModuleBytes> bytes;
  Status status = ModuleBytes::mapFile(path, bytes);
  if (!status.ok()) {
    std::fprintf(stderr, "sinter-dump: error: %s\n", status.message().c_str());
    return 1;
  }
  const fb::Module *module = nullptr;
  status = validateModule(bytes->data(), bytes->size(), module);
  if (!status.ok()) {
    std::fprintf(stderr, "sinter-dump: error: %s: %s\n", path.c_str(), status.message().c_str());
    return 1;
  }
  dump(path, *module, bytes->size());
  return 0;
}

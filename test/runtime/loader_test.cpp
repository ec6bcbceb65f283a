//===- loader_test.cpp - corrupt and inconsistent modules are statuses, never crashes ------------------===//
#include "module_builder.h"

#include <gtest/gtest.h>

#include <random>
#include <sys/stat.h>

namespace sinter {
namespace test {
namespace {

/// Loads `raw` from a 64-byte aligned copy and releases the module; returns the status.
StatusResult load(const std::vector<uint8_t> &raw) {
  AlignedBytes bytes(raw);
  InstancePtr instance = makeInstance();
  ModulePtr module;
  return loadFromMemory(instance.get(), bytes, module);
}

StatusResult load(const ModuleDesc &desc) { return load(buildModule(desc)); }

/// Byte range of executable 0's code inside a built module.
std::pair<size_t, size_t> codeRange(const std::vector<uint8_t> &raw) {
  const fb::Module *module = fb::GetModule(raw.data());
  const auto *code = module->executables()->Get(0)->code();
  size_t begin = static_cast<size_t>(code->data() - raw.data());
  return {begin, begin + code->size()};
}

TEST(Loader, ValidModulesLoad) {
  EXPECT_EQ(load(makeAddModule(16)).code, SINTER_OK);
  EXPECT_EQ(load(makePipelineModule().desc).code, SINTER_OK);
}

TEST(Loader, EveryTruncatedPrefixIsRejected) {
  std::vector<uint8_t> raw = buildModule(makeAddModule(16));
  AlignedBytes bytes(raw);
  InstancePtr instance = makeInstance();
  for (size_t length = 0; length < raw.size(); ++length) {
    sinter_module_t *module = nullptr;
    StatusResult result = take(sinter_module_load_memory(instance.get(), bytes.data(), length, &module));
    sinter_module_release(module);
    // Only the final alignment padding (< 64 bytes) may be cut without losing data the module uses.
    if (length + 64 <= raw.size())
      ASSERT_EQ(result.code, SINTER_INVALID_MODULE) << "prefix of " << length << " bytes: " << result.message;
    else
      ASSERT_TRUE(result.code == SINTER_INVALID_MODULE || result.code == SINTER_OK) << result.message;
  }
}

/// Random byte flips anywhere except inside the ELF image (the schema has no checksum, and dlopen trusts
/// its input: see the README); flips of the code vector's offset and length are included.
TEST(Loader, RandomByteFlipsNeverCrash) {
  std::vector<uint8_t> raw = buildModule(makePipelineModule().desc);
  auto [codeBegin, codeEnd] = codeRange(raw);
  AlignedBytes bytes(raw);
  InstancePtr instance = makeInstance();
  std::mt19937 random(20261128);
  std::uniform_int_distribution<size_t> position(0, raw.size() - (codeEnd - codeBegin) - 1);
  std::uniform_int_distribution<int> flipCount(1, 4), mask(1, 255);
  int rejected = 0;
  constexpr int kIterations = 3000;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    std::memcpy(bytes.data(), raw.data(), raw.size());
    for (int flips = flipCount(random); flips > 0; --flips) {
      size_t at = position(random);
      if (at >= codeBegin)
        at += codeEnd - codeBegin; // skip over the code
      bytes.data()[at] ^= static_cast<uint8_t>(mask(random));
    }
    sinter_module_t *module = nullptr;
    StatusResult result = take(sinter_module_load_memory(instance.get(), bytes.data(), bytes.size(), &module));
    ASSERT_TRUE(result.code == SINTER_OK || result.code == SINTER_INVALID_MODULE ||
                result.code == SINTER_UNSUPPORTED)
        << "iteration " << iteration << ": " << sinter_status_code_name(result.code) << ": " << result.message;
    if (result.code != SINTER_OK) {
      ++rejected;
      ASSERT_EQ(module, nullptr);
      ASSERT_FALSE(result.message.empty());
      continue;
    }
    // A module that still loads must answer queries consistently.
    size_t inputs = 0;
    ASSERT_EQ(take(sinter_module_input_count(module, &inputs)).code, SINTER_OK);
    for (size_t i = 0; i < inputs; ++i) {
      sinter_tensor_info_t info;
      ASSERT_EQ(take(sinter_module_input_info(module, i, &info)).code, SINTER_OK);
    }
    sinter_module_release(module);
  }
  // Most flips land in metadata the loader checks; make sure the test exercises rejection a lot.
  EXPECT_GT(rejected, kIterations / 10);
}

/// Every byte of the ELF header flipped in turn: the runtime's ELF checks or dlopen reject what matters.
TEST(Loader, ElfHeaderFlipsNeverCrash) {
  std::vector<uint8_t> raw = buildModule(makeAddModule(16));
  size_t codeBegin = codeRange(raw).first;
  AlignedBytes bytes(raw);
  InstancePtr instance = makeInstance();
  for (size_t offset = 0; offset < 64; ++offset) {
    std::memcpy(bytes.data(), raw.data(), raw.size());
    bytes.data()[codeBegin + offset] ^= 0xff;
    sinter_module_t *module = nullptr;
    StatusResult result = take(sinter_module_load_memory(instance.get(), bytes.data(), bytes.size(), &module));
    sinter_module_release(module);
    ASSERT_TRUE(result.code == SINTER_OK || result.code == SINTER_INVALID_MODULE ||
                result.code == SINTER_UNSUPPORTED)
        << "ELF header byte " << offset << ": " << result.message;
  }
}

TEST(Loader, WrongFileIdentifier) {
  std::vector<uint8_t> raw = buildModule(makeAddModule(16));
  std::memcpy(raw.data() + 4, "ONNX", 4);
  EXPECT_STATUS(load(raw), SINTER_INVALID_MODULE, "file identifier is 'ONNX', expected 'SNTR'");
  EXPECT_STATUS(load(std::vector<uint8_t>{1, 2, 3}), SINTER_INVALID_MODULE, "not a Sinter module");
}

TEST(Loader, WrongVersion) {
  ModuleDesc desc = makeAddModule(16);
  desc.version = 4;
  EXPECT_STATUS(load(desc), SINTER_UNSUPPORTED, "format version 4; this runtime reads versions 1 to 3");
  desc.version = 2; // a version 2 module needs no dynamic dims
  EXPECT_STATUS(load(desc), SINTER_OK, "OK");
  desc.version = 3; // nor a version 3 module run-time checks
  EXPECT_STATUS(load(desc), SINTER_OK, "OK");
  desc.version = 0;
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "no format version");
}

TEST(Loader, RuntimeCheckOutsideArenaOrTooOldVersion) {
  ModuleDesc outside = makePipelineModule().desc;
  outside.version = 3;
  outside.checks = {{"check", 0}};
  EXPECT_STATUS(load(outside), SINTER_OK, "OK");
  outside.checks[0].second = outside.arenaSize;
  EXPECT_STATUS(load(outside), SINTER_INVALID_MODULE, "run-time check 0: offset");
  ModuleDesc old = outside;
  old.checks[0].second = 0;
  old.version = 2;
  EXPECT_STATUS(load(old), SINTER_INVALID_MODULE, "run-time checks are allowed only in format version 3");
}

TEST(Loader, BindingOutsideItsBuffer) {
  ModuleDesc desc = makeAddModule(16); // bindings: a, b, y (64 bytes each), params constant (8 bytes)
  ModuleDesc bad = desc;
  bad.dispatches[0].bindings[0].size = 68;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "dispatch 0 binding 0: byte range [0, 0 + 68) is outside input 0 (64 bytes)");
  bad = desc;
  bad.dispatches[0].bindings[2].offset = 4;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "outside output 0");
  bad = desc;
  bad.dispatches[0].bindings[3].offset = desc.constants.size();
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "dispatch 0 binding 3: byte range");
  bad = desc;
  bad.dispatches[0].bindings[3].offset = UINT64_MAX - 3; // offset + size wraps around
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "is outside constants");
  bad = desc;
  bad.arenaSize = 100;
  bad.dispatches[0].bindings[2] = arenaBinding(64, 40);
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "[64, 64 + 40) is outside arena (100 bytes)");
  bad.dispatches[0].bindings[2] = arenaBinding(64, 36); // exactly fits
  EXPECT_EQ(load(bad).code, SINTER_OK);
}

TEST(Loader, BindingIndexOrKindOutOfRange) {
  ModuleDesc desc = makeAddModule(16);
  ModuleDesc bad = desc;
  bad.dispatches[0].bindings[1].index = 2;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "dispatch 0 binding 1 binds input 2 but the module has 2 inputs");
  bad = desc;
  bad.dispatches[0].bindings[2].index = 1;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "binds output 1 but the module has 1 outputs");
  bad = desc;
  bad.dispatches[0].bindings[0].kind = static_cast<fb::BufferKind>(9);
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "invalid buffer kind 9");
}

TEST(Loader, BadWorkgroupCounts) {
  ModuleDesc desc = makeAddModule(16);
  ModuleDesc bad = desc;
  bad.dispatches[0].workgroupCount = {4, 1};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "has 2 workgroup counts; expected exactly 3");
  bad.dispatches[0].workgroupCount = {4, 1, 1, 1};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "has 4 workgroup counts");
  bad.dispatches[0].workgroupCount = {4, 0, 1};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "workgroup count 1 equal to 0");
  bad.dispatches[0].workgroupCount = {0xffffffffu, 0xffffffffu, 0xffffffffu};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "overflows");
}

TEST(Loader, DispatchReferencesMissingExecutableOrEntryPoint) {
  ModuleDesc bad = makeAddModule(16);
  bad.dispatches[0].executable = 1;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "dispatch 0 uses executable 1 but the module has 1");
  bad.dispatches[0].executable = 0;
  bad.dispatches[0].entryPoint = 1;
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "uses entry point 1 but executable 0 has 1");
}

TEST(Loader, MissingEntryPointSymbol) {
  ModuleDesc bad = makeAddModule(16);
  bad.executables[0].entryPoints.push_back("no_such_kernel");
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "executable 0: entry point 'no_such_kernel' is not defined");
}

TEST(Loader, WrongArchitectureTriple) {
  ModuleDesc bad = makeAddModule(16);
#if defined(__x86_64__)
  bad.executables[0].triple = "aarch64-unknown-linux-gnu";
  EXPECT_STATUS(load(bad), SINTER_UNSUPPORTED, "is for aarch64 but this host is x86_64");
#else
  bad.executables[0].triple = "x86_64-unknown-linux-gnu";
  EXPECT_STATUS(load(bad), SINTER_UNSUPPORTED, "is for x86_64 but this host is aarch64");
#endif
  bad.executables[0].triple = "";
  EXPECT_STATUS(load(bad), SINTER_UNSUPPORTED, "no architecture");
}

TEST(Loader, UnknownExecutableFormat) {
  ModuleDesc bad = makeAddModule(16);
  bad.executables[0].format = static_cast<fb::ExecutableFormat>(3);
  EXPECT_STATUS(load(bad), SINTER_UNSUPPORTED, "executable 0 has format 3");
}

TEST(Loader, CodeThatIsNotALoadableSharedObject) {
  ModuleDesc bad = makeAddModule(16);
  bad.executables[0].code = std::vector<uint8_t>(4096, 0x90);
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "not an ELF image");
  bad.executables[0].code = std::vector<uint8_t>(testKernelCode().begin(), testKernelCode().begin() + 2000);
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "lies outside the code");
  bad.executables[0].code.clear();
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "has no code");
}

TEST(Loader, BadSignatures) {
  ModuleDesc desc = makeAddModule(16);
  ModuleDesc bad = desc;
  bad.inputs[1].type = static_cast<fb::ElementType>(200);
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "input 1 'b' has invalid element type 200");
  bad = desc;
  bad.outputs[0].shape = {4, -4};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "output 0 'y' has shape [4, -4]");
  bad = desc;
  bad.inputs[0].shape = {int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "byte size overflows");
  bad = desc;
  bad.inputs[1].name = "a";
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "input 1: the name 'a' is used twice");
  bad = desc;
  bad.outputs[0].name = "";
  EXPECT_STATUS(load(bad), SINTER_INVALID_MODULE, "output 0 has an empty name");
}

TEST(Loader, ConstantsAlignment) {
  ModuleDesc desc = makeAddModule(16);
  ASSERT_EQ(desc.constants.size() % 4, 0u);
  desc.alignConstants = false;
  EXPECT_STATUS(load(desc), SINTER_INVALID_MODULE, "not at a 64-byte aligned offset");

  // A good module at a misaligned address is the caller's mistake.
  AlignedBytes shifted(buildModule(makeAddModule(16)), 8);
  InstancePtr instance = makeInstance();
  ModulePtr module;
  EXPECT_STATUS(loadFromMemory(instance.get(), shifted, module), SINTER_INVALID_ARGUMENT,
                "pass module data at a 64-byte aligned address");
}

TEST(Loader, FileErrors) {
  TempDir dir;
  InstancePtr instance = makeInstance();
  sinter_module_t *module = nullptr;
  std::string missing = dir.path() + "/missing.sinter";
  EXPECT_STATUS(take(sinter_module_load_file(instance.get(), missing.c_str(), &module)), SINTER_NOT_FOUND,
                "missing.sinter");
  EXPECT_EQ(module, nullptr);
  EXPECT_STATUS(take(sinter_module_load_file(instance.get(), dir.path().c_str(), &module)), SINTER_INVALID_ARGUMENT,
                "is not a regular file");
  std::string empty = dir.write("empty.sinter", {});
  EXPECT_STATUS(take(sinter_module_load_file(instance.get(), empty.c_str(), &module)), SINTER_INVALID_MODULE,
                "is empty");
  std::vector<uint8_t> raw = buildModule(makeAddModule(16));
  raw.resize(raw.size() / 2);
  std::string truncated = dir.write("truncated.sinter", raw);
  EXPECT_STATUS(take(sinter_module_load_file(instance.get(), truncated.c_str(), &module)), SINTER_INVALID_MODULE,
                "truncated.sinter: module failed FlatBuffers verification");
  EXPECT_EQ(module, nullptr);
}

TEST(Loader, HugeArenaIsOutOfMemoryAtSessionCreation) {
  ModuleDesc desc = makeAddModule(16);
  desc.arenaSize = uint64_t(1) << 62;
  AlignedBytes bytes(buildModule(desc));
  InstancePtr instance = makeInstance();
  ModulePtr module;
  ASSERT_EQ(loadFromMemory(instance.get(), bytes, module).code, SINTER_OK);
  sinter_session_t *session = nullptr;
  EXPECT_STATUS(take(sinter_session_create(module.get(), nullptr, &session)), SINTER_OUT_OF_MEMORY,
                "cannot allocate the session arena");
  EXPECT_EQ(session, nullptr);
}

} // namespace
} // namespace test
} // namespace sinter

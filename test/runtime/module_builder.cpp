//===- module_builder.cpp - build .sinter modules in memory for the runtime tests ----------------------===//
#include "module_builder.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

#ifndef SINTER_TEST_KERNELS_PATH
#error "SINTER_TEST_KERNELS_PATH must name the compiled test kernel library"
#endif

namespace sinter {
namespace test {

std::string hostTriple() {
#if defined(__x86_64__)
  return "x86_64-unknown-linux-gnu";
#elif defined(__aarch64__)
  return "aarch64-unknown-linux-gnu";
#endif
}

const std::vector<uint8_t> &testKernelCode() {
  static const std::vector<uint8_t> code = [] {
    std::ifstream file(SINTER_TEST_KERNELS_PATH, std::ios::binary);
    if (!file)
      throw std::runtime_error("cannot read " SINTER_TEST_KERNELS_PATH);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  }();
  return code;
}

std::vector<uint8_t> buildModule(const ModuleDesc &desc) {
  flatbuffers::FlatBufferBuilder fbb(1 << 16);

  std::vector<flatbuffers::Offset<fb::Executable>> executables;
  for (const ExecutableDesc &executable : desc.executables) {
    std::vector<flatbuffers::Offset<flatbuffers::String>> entryPoints;
    for (const std::string &name : executable.entryPoints)
      entryPoints.push_back(fbb.CreateString(name));
    auto entryPointVector = fbb.CreateVector(entryPoints);
    auto triple = fbb.CreateString(executable.triple);
    auto cpu = fbb.CreateString(executable.cpu);
    fbb.ForceVectorAlignment(executable.code.size(), sizeof(uint8_t), 64);
    auto code = fbb.CreateVector(executable.code);
    executables.push_back(fb::CreateExecutable(fbb, executable.format, triple, cpu, entryPointVector, code));
  }

  auto signatures = [&](const std::vector<TensorDesc> &list) {
    std::vector<flatbuffers::Offset<fb::TensorSignature>> result;
    for (const TensorDesc &tensor : list) {
      auto name = fbb.CreateString(tensor.name);
      auto shape = fbb.CreateVector(tensor.shape);
      flatbuffers::Offset<flatbuffers::Vector<int64_t>> bound;
      if (!tensor.boundShape.empty())
        bound = fbb.CreateVector(tensor.boundShape);
      result.push_back(fb::CreateTensorSignature(fbb, name, tensor.type, shape, bound, tensor.dimsOffset));
    }
    return fbb.CreateVector(result);
  };
  auto inputs = signatures(desc.inputs);
  auto outputs = signatures(desc.outputs);

  std::vector<flatbuffers::Offset<fb::Dispatch>> dispatches;
  for (const DispatchDesc &dispatch : desc.dispatches) {
    std::vector<fb::BufferBinding> bindings;
    for (const BindingDesc &binding : dispatch.bindings)
      bindings.emplace_back(binding.kind, binding.index, binding.offset, binding.size);
    auto count = fbb.CreateVector(dispatch.workgroupCount);
    auto bindingVector = fbb.CreateVectorOfStructs(bindings);
    dispatches.push_back(fb::CreateDispatch(fbb, dispatch.executable, dispatch.entryPoint, count, bindingVector));
  }

  flatbuffers::Offset<flatbuffers::Vector<uint8_t>> constants;
  if (!desc.constants.empty()) {
    // Aligning for 4 more bytes than written leaves the data 4 bytes past a 64-byte boundary (the length
    // prefix only needs 4-byte alignment), for the misaligned-constants test.
    size_t alignedLength = desc.constants.size() + (desc.alignConstants ? 0 : 4);
    fbb.ForceVectorAlignment(alignedLength, sizeof(uint8_t), 64);
    // Filled in place rather than with CreateVector, whose inlined memcpy trips a GCC -Wstringop-overflow
    // false positive at -O2.
    uint8_t *target = nullptr;
    constants = fbb.CreateUninitializedVector(desc.constants.size(), &target);
    std::memcpy(target, desc.constants.data(), desc.constants.size());
  }

  auto producer = fbb.CreateString(desc.producer);
  auto executableVector = fbb.CreateVector(executables);
  auto dispatchVector = fbb.CreateVector(dispatches);
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::RuntimeCheck>>> checks;
  if (!desc.checks.empty()) {
    std::vector<flatbuffers::Offset<fb::RuntimeCheck>> list;
    for (const auto &[message, offset] : desc.checks)
      list.push_back(fb::CreateRuntimeCheck(fbb, fbb.CreateString(message), offset));
    checks = fbb.CreateVector(list);
  }
  auto module = fb::CreateModule(fbb, desc.version, producer, inputs, outputs, executableVector, dispatchVector,
                                 desc.arenaSize, constants, checks);
  fb::FinishModuleBuffer(fbb, module);
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

uint64_t appendConstant(std::vector<uint8_t> &blob, const void *data, size_t size) {
  blob.resize((blob.size() + 63) / 64 * 64, 0);
  uint64_t offset = blob.size();
  const uint8_t *bytes = static_cast<const uint8_t *>(data);
  blob.insert(blob.end(), bytes, bytes + size);
  return offset;
}

void AlignedBytes::Free::operator()(uint8_t *p) const { std::free(p); }

AlignedBytes::AlignedBytes(const std::vector<uint8_t> &bytes, size_t misalignment) : size_(bytes.size()) {
  size_t allocation = (bytes.size() + misalignment + 64) / 64 * 64;
  storage_.reset(static_cast<uint8_t *>(std::aligned_alloc(64, allocation)));
  if (!storage_)
    throw std::bad_alloc();
  data_ = storage_.get() + misalignment;
  if (!bytes.empty())
    std::memcpy(data_, bytes.data(), bytes.size());
}

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/sinter-runtime-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data()))
    throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = buffer.data();
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string &name, const std::vector<uint8_t> &bytes) const {
  std::string file = path_ + "/" + name;
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + file);
  return file;
}

StatusResult take(sinter_status_t status) {
  StatusResult result{sinter_status_code(status), sinter_status_message(status)};
  sinter_status_free(status);
  return result;
}

InstancePtr makeInstance() {
  sinter_instance_t *instance = nullptr;
  StatusResult result = take(sinter_instance_create(&instance));
  if (result.code != SINTER_OK)
    throw std::runtime_error("sinter_instance_create: " + result.message);
  return InstancePtr(instance);
}

StatusResult loadFromMemory(sinter_instance_t *instance, AlignedBytes &bytes, ModulePtr &module) {
  sinter_module_t *raw = nullptr;
  StatusResult result = take(sinter_module_load_memory(instance, bytes.data(), bytes.size(), &raw));
  module.reset(raw);
  return result;
}

LoadedSession loadSession(const ModuleDesc &desc) {
  LoadedSession l;
  l.bytes = std::make_unique<AlignedBytes>(buildModule(desc));
  l.instance = makeInstance();
  StatusResult loaded = loadFromMemory(l.instance.get(), *l.bytes, l.module);
  if (loaded.code != SINTER_OK)
    throw std::runtime_error("sinter_module_load_memory: " + loaded.message);
  sinter_session_t *session = nullptr;
  StatusResult created = take(sinter_session_create(l.module.get(), nullptr, &session));
  if (created.code != SINTER_OK)
    throw std::runtime_error("sinter_session_create: " + created.message);
  l.session.reset(session);
  return l;
}

sinter_tensor_t floatTensor(std::vector<float> &values, const std::vector<int64_t> &dims) {
  return sinter_tensor_t{SINTER_TYPE_F32, dims.size(), dims.data(), values.data(), values.size() * sizeof(float)};
}

PipelineModule makePipelineModule() {
  constexpr int64_t N = PipelineModule::kN, M = PipelineModule::kM, K = PipelineModule::kK,
                    P = PipelineModule::kP, T = PipelineModule::kTile;
  PipelineModule pipeline;
  for (int64_t i = 0; i < N; ++i)
    pipeline.w.push_back(0.5f + static_cast<float>(i % 7) * 0.25f);
  for (int64_t k = 0; k < K; ++k)
    for (int64_t j = 0; j < P; ++j)
      pipeline.W.push_back(static_cast<float>((k * 3 + j) % 11 - 5) * 0.125f);

  ModuleDesc &desc = pipeline.desc;
  desc.inputs = {{"a", fb::ElementType::F32, {N}}, {"b", fb::ElementType::F32, {N}}, {"x", fb::ElementType::F32, {M, K}}};
  desc.outputs = {{"y", fb::ElementType::F32, {N}}, {"z", fb::ElementType::F32, {M, P}}};
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"add_f32", "mul_f32", "matmul_f32"};

  uint64_t nParams = appendConstant(desc.constants, std::vector<uint64_t>{uint64_t(N)});
  uint64_t wOffset = appendConstant(desc.constants, pipeline.w);
  uint64_t WOffset = appendConstant(desc.constants, pipeline.W);
  uint64_t mmParams = appendConstant(desc.constants, std::vector<uint64_t>{uint64_t(M), uint64_t(P), uint64_t(K), uint64_t(T)});
  uint64_t mpParams = appendConstant(desc.constants, std::vector<uint64_t>{uint64_t(M * P)});

  const uint64_t vectorBytes = N * 4, xBytes = M * K * 4, mmBytes = M * P * 4;
  const uint64_t t0 = 0, t1 = (vectorBytes + 63) / 64 * 64;
  desc.arenaSize = t1 + mmBytes;

  desc.dispatches = {
      // t0 = a + b
      {0, 0, {5, 1, 1}, {inputBinding(0, vectorBytes), inputBinding(1, vectorBytes), arenaBinding(t0, vectorBytes),
                         constantBinding(nParams, 8)}},
      // y = t0 * w
      {0, 1, {3, 1, 1}, {arenaBinding(t0, vectorBytes), constantBinding(wOffset, vectorBytes),
                         outputBinding(0, vectorBytes), constantBinding(nParams, 8)}},
      // t1 = x @ W, tiled over (column tiles, row tiles)
      {0, 2, {uint32_t((P + T - 1) / T), uint32_t((M + T - 1) / T), 1},
       {inputBinding(2, xBytes), constantBinding(WOffset, K * P * 4), arenaBinding(t1, mmBytes),
        constantBinding(mmParams, 32)}},
      // z = t1 + t1
      {0, 0, {2, 1, 1}, {arenaBinding(t1, mmBytes), arenaBinding(t1, mmBytes), outputBinding(1, mmBytes),
                         constantBinding(mpParams, 8)}},
  };
  return pipeline;
}

void pipelineReference(const PipelineModule &module, const std::vector<float> &a, const std::vector<float> &b,
                       const std::vector<float> &x, std::vector<float> &y, std::vector<float> &z) {
  constexpr int64_t N = PipelineModule::kN, M = PipelineModule::kM, K = PipelineModule::kK, P = PipelineModule::kP;
  y.assign(N, 0);
  for (int64_t i = 0; i < N; ++i)
    y[i] = (a[i] + b[i]) * module.w[i];
  z.assign(M * P, 0);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < P; ++j) {
      float sum = 0;
      for (int64_t k = 0; k < K; ++k)
        sum += x[i * K + k] * module.W[k * P + j];
      z[i * P + j] = sum + sum;
    }
  }
}

ModuleDesc makeAddModule(int64_t n, uint32_t workgroups) {
  ModuleDesc desc;
  desc.inputs = {{"a", fb::ElementType::F32, {n}}, {"b", fb::ElementType::F32, {n}}};
  desc.outputs = {{"y", fb::ElementType::F32, {n}}};
  desc.executables.push_back(ExecutableDesc{});
  desc.executables[0].entryPoints = {"add_f32"};
  uint64_t params = appendConstant(desc.constants, std::vector<uint64_t>{uint64_t(n)});
  uint64_t bytes = uint64_t(n) * 4;
  desc.dispatches = {{0, 0, {workgroups, 1, 1},
                      {inputBinding(0, bytes), inputBinding(1, bytes), outputBinding(0, bytes),
                       constantBinding(params, 8)}}};
  return desc;
}

} // namespace test
} // namespace sinter

//===- tool_support.cpp - what sinter-run and sinter-bench share ----------------------------------------===//
#include "tool_support.h"

#include "npy.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace sinter {
namespace tools {

void fail(const std::string &message) { throw ToolError{message}; }

void check(sinter_status_t status, const std::string &context) {
  if (!status)
    return;
  std::string message = context + sinter_status_message(status);
  sinter_status_free(status);
  fail(message);
}

uint64_t parseUnsigned(const std::string &flag, const std::string &text, uint64_t minimum, uint64_t maximum) {
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || value < minimum || value > maximum)
    fail(flag + " expects a number from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
         ", got '" + text + "'");
  return value;
}

std::pair<std::string, std::string> parseInputSpec(const std::string &spec) {
  size_t equals = spec.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size())
    fail("--input expects NAME=FILE.npy, got '" + spec + "'");
  return {spec.substr(0, equals), spec.substr(equals + 1)};
}

std::string formatShape(const int64_t *dims, size_t rank) {
  std::string text = "[";
  for (size_t i = 0; i < rank; ++i)
    text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

std::string describe(const sinter_tensor_info_t &info) {
  return std::string(sinter_element_type_name(info.element_type)) + " " + formatShape(info.dims, info.rank);
}

AlignedBuffer::AlignedBuffer(size_t size) : size_(size) {
  size_t rounded = std::max<size_t>(64, (size + 63) / 64 * 64);
  data_.reset(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
  if (!data_)
    fail("out of memory allocating " + std::to_string(size) + " bytes");
  std::memset(data_.get(), 0, rounded);
}

LoadedModule::LoadedModule(const std::string &path) {
  try {
    check(sinter_instance_create(&instance_));
    check(sinter_module_load_file(instance_, path.c_str(), &module_));
    size_t inputCount = 0, outputCount = 0;
    check(sinter_module_input_count(module_, &inputCount));
    check(sinter_module_output_count(module_, &outputCount));
    inputs_.resize(inputCount);
    outputs_.resize(outputCount);
    for (size_t i = 0; i < inputCount; ++i)
      check(sinter_module_input_info(module_, i, &inputs_[i]));
    for (size_t i = 0; i < outputCount; ++i)
      check(sinter_module_output_info(module_, i, &outputs_[i]));
  } catch (...) {
    sinter_module_release(module_);
    sinter_instance_release(instance_);
    throw;
  }
}

LoadedModule::~LoadedModule() {
  sinter_module_release(module_);
  sinter_instance_release(instance_);
}

Session::Session(const LoadedModule &module, uint32_t threads) {
  sinter_session_options_t options = {threads};
  check(sinter_session_create(module.module(), &options, &session_));
}

Session::~Session() { sinter_session_release(session_); }

void Session::run(const std::vector<sinter_tensor_t> &inputs, std::vector<sinter_tensor_t> &outputs) {
  check(sinter_session_run(session_, inputs.data(), inputs.size(), outputs.data(), outputs.size()));
}

std::vector<int64_t> Session::outputDims(size_t index, size_t rank) const {
  std::vector<int64_t> dims(rank);
  check(sinter_session_output_dims(session_, index, dims.data(), rank));
  return dims;
}

std::vector<std::string> matchInputFiles(const LoadedModule &module,
                                         const std::vector<std::pair<std::string, std::string>> &specs) {
  const std::vector<sinter_tensor_info_t> &infos = module.inputs();
  std::vector<std::string> files(infos.size());
  for (const auto &[name, file] : specs) {
    size_t index = 0;
    sinter_status_t status = sinter_module_find_input(module.module(), name.c_str(), &index);
    if (status) {
      sinter_status_free(status);
      std::string known;
      for (const sinter_tensor_info_t &info : infos)
        known += (known.empty() ? "" : ", ") + std::string(info.name);
      fail("unknown input '" + name + "' (the module's inputs: " + (known.empty() ? "none" : known) + ")");
    }
    if (!files[index].empty())
      fail("input '" + name + "' is given more than once");
    files[index] = file;
  }
  return files;
}

namespace {

void loadInput(const sinter_tensor_info_t &info, const std::string &file, TensorSet &set) {
  npy::Array array;
  std::string error;
  if (!npy::readFile(file, array, error))
    fail("input '" + std::string(info.name) + "': " + error);
  // NumPy has no bfloat16: a bf16 input takes uint16 bit patterns.
  bool typeMatches = array.elementType == info.element_type ||
                     (info.element_type == SINTER_TYPE_BF16 && array.elementType == SINTER_TYPE_U16);
  if (!typeMatches)
    fail("input '" + std::string(info.name) + "': " + file + " holds " +
         sinter_element_type_name(array.elementType) + " but the module expects " +
         sinter_element_type_name(info.element_type));
  if (array.shape != std::vector<int64_t>(info.dims, info.dims + info.rank))
    fail("input '" + std::string(info.name) + "': " + file + " has shape " +
         formatShape(array.shape.data(), array.shape.size()) + " but the module expects " +
         formatShape(info.dims, info.rank));
  set.buffers.emplace_back(array.data.size());
  if (!array.data.empty())
    std::memcpy(set.buffers.back().data(), array.data.data(), array.data.size());
}

template <typename T> void fillWith(uint8_t *bytes, size_t count, std::mt19937_64 &rng, T low, T high) {
  std::uniform_real_distribution<double> real(0.0, 1.0);
  for (size_t i = 0; i < count; ++i) {
    T value = static_cast<T>(low + (high - low) * real(rng));
    std::memcpy(bytes + i * sizeof(T), &value, sizeof(T));
  }
}

/// Reproducible pseudo-random contents of `info`'s dtype.
void fillRandom(const sinter_tensor_info_t &info, uint8_t *bytes, std::mt19937_64 &rng) {
  size_t elementSize = sinter_element_type_size(info.element_type);
  size_t count = elementSize ? info.byte_size / elementSize : 0;
  switch (info.element_type) {
  case SINTER_TYPE_F32: return fillWith<float>(bytes, count, rng, -1.0f, 1.0f);
  case SINTER_TYPE_F64: return fillWith<double>(bytes, count, rng, -1.0, 1.0);
  case SINTER_TYPE_F16:
  case SINTER_TYPE_BF16:
    // Bit patterns of +-[0.5, 1): sign, a fixed exponent, random mantissa bits.
    for (size_t i = 0; i < count; ++i) {
      uint16_t bits = static_cast<uint16_t>(rng());
      bits = info.element_type == SINTER_TYPE_F16 ? static_cast<uint16_t>((bits & 0x83ff) | 0x3800)
                                                  : static_cast<uint16_t>((bits & 0x807f) | 0x3f00);
      std::memcpy(bytes + 2 * i, &bits, 2);
    }
    return;
  case SINTER_TYPE_I8: return fillWith<int8_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_I16: return fillWith<int16_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_I32: return fillWith<int32_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_I64: return fillWith<int64_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_U8: return fillWith<uint8_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_U16: return fillWith<uint16_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_U32: return fillWith<uint32_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_U64: return fillWith<uint64_t>(bytes, count, rng, 0, 8);
  case SINTER_TYPE_BOOL:
    for (size_t i = 0; i < count; ++i)
      bytes[i] = static_cast<uint8_t>(i & 1);
    return;
  }
}

void bindTensors(const std::vector<sinter_tensor_info_t> &infos, TensorSet &set) {
  for (size_t i = 0; i < infos.size(); ++i)
    set.tensors.push_back(sinter_tensor_t{infos[i].element_type, infos[i].rank, infos[i].dims,
                                          set.buffers[i].data(), set.buffers[i].size()});
}

} // namespace

TensorSet loadInputs(const LoadedModule &module, const std::vector<std::string> &files) {
  const std::vector<sinter_tensor_info_t> &infos = module.inputs();
  std::string missing;
  for (size_t i = 0; i < infos.size(); ++i)
    if (files[i].empty())
      missing += (missing.empty() ? "" : ", ") + std::string("'") + infos[i].name + "' (" + describe(infos[i]) + ")";
  if (!missing.empty())
    fail("missing input " + missing + "; pass --input NAME=FILE.npy");
  return loadOrRandomInputs(module, files, 0);
}

TensorSet loadOrRandomInputs(const LoadedModule &module, const std::vector<std::string> &files, uint64_t seed) {
  const std::vector<sinter_tensor_info_t> &infos = module.inputs();
  TensorSet set;
  set.buffers.reserve(infos.size());
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < infos.size(); ++i) {
    if (!files[i].empty()) {
      loadInput(infos[i], files[i], set);
    } else {
      set.buffers.emplace_back(infos[i].byte_size);
      fillRandom(infos[i], set.buffers.back().data(), rng);
    }
  }
  bindTensors(infos, set);
  return set;
}

TensorSet allocateOutputs(const LoadedModule &module) {
  TensorSet set;
  set.buffers.reserve(module.outputs().size());
  for (const sinter_tensor_info_t &info : module.outputs())
    set.buffers.emplace_back(info.byte_size);
  bindTensors(module.outputs(), set);
  return set;
}

} // namespace tools
} // namespace sinter

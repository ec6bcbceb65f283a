//===- sinter-run.cpp - run a .sinter module on .npy inputs, write .npy outputs -----------------------===//
//
//   sinter-run MODULE.sinter --input NAME=FILE.npy ... --output-dir DIR [--threads N]
//
// Uses only the public C API. Every error is one line on stderr, "sinter-run: error: ...", with exit
// status 1.
//
//===----------------------------------------------------------------------------------------------------===//
#include "npy.h"
#include "sinter/runtime.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

const char kUsage[] = "usage: sinter-run MODULE.sinter --input NAME=FILE.npy ... --output-dir DIR [--threads N]\n"
                      "Runs the module on the given inputs and writes DIR/<output name>.npy for each output.\n"
                      "  --threads N   threads per dispatch, counting the caller (default 0: all cores)\n";

/// Thrown for any error; main() prints it as the one-line message.
struct ToolError {
  std::string message;
};

[[noreturn]] void fail(const std::string &message) { throw ToolError{message}; }

/// Throws if `status` is an error, prefixing `context`.
void check(sinter_status_t status, const std::string &context) {
  if (!status)
    return;
  std::string message = context + sinter_status_message(status);
  sinter_status_free(status);
  fail(message);
}

struct Options {
  std::string modulePath;
  std::vector<std::pair<std::string, std::string>> inputs; // name, file, in command-line order
  std::string outputDir;
  uint32_t threads = 0;
};

Options parseArguments(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag) -> std::string {
      if (arg.size() > flag.size() && arg.compare(0, flag.size() + 1, flag + "=") == 0)
        return arg.substr(flag.size() + 1);
      if (i + 1 >= argc)
        fail(flag + " needs a value");
      return argv[++i];
    };
    auto is = [&](const std::string &flag) { return arg == flag || arg.rfind(flag + "=", 0) == 0; };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (is("--input")) {
      std::string spec = value("--input");
      size_t equals = spec.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size())
        fail("--input expects NAME=FILE.npy, got '" + spec + "'");
      options.inputs.emplace_back(spec.substr(0, equals), spec.substr(equals + 1));
    } else if (is("--output-dir")) {
      options.outputDir = value("--output-dir");
    } else if (is("--threads")) {
      std::string text = value("--threads");
      char *end = nullptr;
      errno = 0;
      unsigned long threads = std::strtoul(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno != 0 || threads > 4096 || text[0] == '-')
        fail("--threads expects a number from 0 to 4096, got '" + text + "'");
      options.threads = static_cast<uint32_t>(threads);
    } else if (!arg.empty() && arg[0] == '-') {
      fail("unknown option '" + arg + "' (see --help)");
    } else if (options.modulePath.empty()) {
      options.modulePath = arg;
    } else {
      fail("more than one module given ('" + options.modulePath + "' and '" + arg + "')");
    }
  }
  if (options.modulePath.empty())
    fail("no module given (see --help)");
  if (options.outputDir.empty())
    fail("no --output-dir given (see --help)");
  return options;
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

/// 64-byte aligned, zero-filled memory for a tensor: kernels get the same alignment the arena has.
struct AlignedBuffer {
  explicit AlignedBuffer(size_t size) : size(size) {
    size_t rounded = std::max<size_t>(64, (size + 63) / 64 * 64);
    data.reset(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
    if (!data)
      fail("out of memory allocating " + std::to_string(size) + " bytes");
    std::memset(data.get(), 0, rounded);
  }
  struct Free {
    void operator()(uint8_t *p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> data;
  size_t size;
};

float halfToFloat(uint16_t bits) {
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  float sign = (bits & 0x8000) ? -1.0f : 1.0f;
  if (exponent == 0)
    return sign * std::ldexp(static_cast<float>(mantissa), -24);
  if (exponent == 31)
    return mantissa ? NAN : sign * INFINITY;
  return sign * std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
}

double elementAsDouble(sinter_element_type_t type, const uint8_t *p) {
  auto load = [p](auto value) {
    std::memcpy(&value, p, sizeof(value));
    return value;
  };
  switch (type) {
  case SINTER_TYPE_F32: return load(float());
  case SINTER_TYPE_F64: return load(double());
  case SINTER_TYPE_F16: return halfToFloat(load(uint16_t()));
  case SINTER_TYPE_BF16: {
    uint32_t bits = static_cast<uint32_t>(load(uint16_t())) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case SINTER_TYPE_I8: return load(int8_t());
  case SINTER_TYPE_I16: return load(int16_t());
  case SINTER_TYPE_I32: return load(int32_t());
  case SINTER_TYPE_I64: return static_cast<double>(load(int64_t()));
  case SINTER_TYPE_U8: return load(uint8_t());
  case SINTER_TYPE_U16: return load(uint16_t());
  case SINTER_TYPE_U32: return load(uint32_t());
  case SINTER_TYPE_U64: return static_cast<double>(load(uint64_t()));
  case SINTER_TYPE_BOOL: return load(uint8_t()) ? 1 : 0;
  }
  return 0;
}

/// "min 1, max 6, mean 3.5, first: 1 2 3 4 5 6 ..."
std::string summarize(const sinter_tensor_info_t &info, const uint8_t *data) {
  size_t elementSize = sinter_element_type_size(info.element_type);
  size_t count = elementSize ? info.byte_size / elementSize : 0;
  if (count == 0)
    return "empty";
  constexpr size_t kShown = 8;
  double minimum = INFINITY, maximum = -INFINITY, sum = 0;
  std::ostringstream first;
  for (size_t i = 0; i < count; ++i) {
    double value = elementAsDouble(info.element_type, data + i * elementSize);
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
    sum += value;
    if (i < kShown)
      first << (i ? " " : "") << value;
  }
  if (count > kShown)
    first << " ...";
  std::ostringstream text;
  text << "min " << minimum << ", max " << maximum << ", mean " << sum / static_cast<double>(count)
       << ", first: " << first.str();
  return text.str();
}

/// Output names come from the module: keep them from escaping DIR or naming odd files.
std::string fileNameFor(const std::string &name) {
  std::string file;
  for (char c : name)
    file += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') ? c : '_';
  if (file.empty() || file[0] == '.')
    file = "_" + file;
  return file + ".npy";
}

void makeDirectories(const std::string &path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
      fail("cannot create directory '" + prefix + "': " + std::strerror(errno));
    if (slash == std::string::npos)
      break;
  }
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    fail("'" + path + "' is not a directory");
}

struct Handles {
  sinter_instance_t *instance = nullptr;
  sinter_module_t *module = nullptr;
  sinter_session_t *session = nullptr;
  ~Handles() {
    sinter_session_release(session);
    sinter_module_release(module);
    sinter_instance_release(instance);
  }
};

void run(const Options &options) {
  Handles handles;
  check(sinter_instance_create(&handles.instance), "");
  check(sinter_module_load_file(handles.instance, options.modulePath.c_str(), &handles.module), "");
  sinter_module_t *module = handles.module;

  size_t inputCount = 0, outputCount = 0;
  check(sinter_module_input_count(module, &inputCount), "");
  check(sinter_module_output_count(module, &outputCount), "");
  std::vector<sinter_tensor_info_t> inputInfo(inputCount), outputInfo(outputCount);
  for (size_t i = 0; i < inputCount; ++i)
    check(sinter_module_input_info(module, i, &inputInfo[i]), "");
  for (size_t i = 0; i < outputCount; ++i)
    check(sinter_module_output_info(module, i, &outputInfo[i]), "");

  // Match --input flags to the signature: unknown, repeated and missing names are errors.
  std::vector<std::string> files(inputCount);
  for (const auto &[name, file] : options.inputs) {
    size_t index = 0;
    sinter_status_t status = sinter_module_find_input(module, name.c_str(), &index);
    if (status) {
      sinter_status_free(status);
      std::string known;
      for (const sinter_tensor_info_t &info : inputInfo)
        known += (known.empty() ? "" : ", ") + std::string(info.name);
      fail("unknown input '" + name + "' (the module's inputs: " + (known.empty() ? "none" : known) + ")");
    }
    if (!files[index].empty())
      fail("input '" + name + "' is given more than once");
    files[index] = file;
  }
  std::string missing;
  for (size_t i = 0; i < inputCount; ++i) {
    if (files[i].empty())
      missing += (missing.empty() ? "" : ", ") + std::string("'") + inputInfo[i].name + "' (" +
                 describe(inputInfo[i]) + ")";
  }
  if (!missing.empty())
    fail("missing input " + missing + "; pass --input NAME=FILE.npy");

  std::vector<AlignedBuffer> inputBuffers;
  std::vector<sinter_tensor_t> inputs(inputCount);
  inputBuffers.reserve(inputCount);
  for (size_t i = 0; i < inputCount; ++i) {
    const sinter_tensor_info_t &info = inputInfo[i];
    sinter::npy::Array array;
    std::string error;
    if (!sinter::npy::readFile(files[i], array, error))
      fail("input '" + std::string(info.name) + "': " + error);
    // NumPy has no bfloat16: a bf16 input takes uint16 bit patterns.
    bool typeMatches = array.elementType == info.element_type ||
                       (info.element_type == SINTER_TYPE_BF16 && array.elementType == SINTER_TYPE_U16);
    if (!typeMatches)
      fail("input '" + std::string(info.name) + "': " + files[i] + " holds " +
           sinter_element_type_name(array.elementType) + " but the module expects " +
           sinter_element_type_name(info.element_type));
    if (array.shape != std::vector<int64_t>(info.dims, info.dims + info.rank))
      fail("input '" + std::string(info.name) + "': " + files[i] + " has shape " +
           formatShape(array.shape.data(), array.shape.size()) + " but the module expects " +
           formatShape(info.dims, info.rank));
    inputBuffers.emplace_back(array.data.size());
    if (!array.data.empty())
      std::memcpy(inputBuffers.back().data.get(), array.data.data(), array.data.size());
    inputs[i] = sinter_tensor_t{info.element_type, info.rank, info.dims, inputBuffers.back().data.get(),
                                array.data.size()};
  }

  std::vector<AlignedBuffer> outputBuffers;
  std::vector<sinter_tensor_t> outputs(outputCount);
  outputBuffers.reserve(outputCount);
  for (size_t i = 0; i < outputCount; ++i) {
    const sinter_tensor_info_t &info = outputInfo[i];
    outputBuffers.emplace_back(info.byte_size);
    outputs[i] = sinter_tensor_t{info.element_type, info.rank, info.dims, outputBuffers.back().data.get(),
                                 info.byte_size};
  }

  sinter_session_options_t sessionOptions = {options.threads};
  check(sinter_session_create(module, &sessionOptions, &handles.session), "");
  check(sinter_session_run(handles.session, inputs.data(), inputs.size(), outputs.data(), outputs.size()), "");

  makeDirectories(options.outputDir);
  for (size_t i = 0; i < outputCount; ++i) {
    const sinter_tensor_info_t &info = outputInfo[i];
    std::string path = options.outputDir + "/" + fileNameFor(info.name);
    std::string error;
    if (!sinter::npy::writeFile(path, info.element_type, info.dims, info.rank, outputBuffers[i].data.get(),
                                info.byte_size, error))
      fail(error);
    std::printf("%s: %s -> %s\n  %s%s\n", info.name, describe(info).c_str(), path.c_str(),
                summarize(info, outputBuffers[i].data.get()).c_str(),
                info.element_type == SINTER_TYPE_BF16 ? " (bf16, stored as uint16 bits)" : "");
  }
}

} // namespace

int main(int argc, char **argv) {
  try {
    run(parseArguments(argc, argv));
  } catch (const ToolError &error) {
    std::fprintf(stderr, "sinter-run: error: %s\n", error.message.c_str());
    return 1;
  } catch (const std::exception &error) {
    std::fprintf(stderr, "sinter-run: error: %s\n", error.what());
    return 1;
  }
  return 0;
}

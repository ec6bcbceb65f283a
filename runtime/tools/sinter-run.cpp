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
#include "tool_support.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

using namespace sinter::tools;

const char kUsage[] = "usage: sinter-run MODULE.sinter --input NAME=FILE.npy ... --output-dir DIR [--threads N]\n"
                      "Runs the module on the given inputs and writes DIR/<output name>.npy for each output.\n"
                      "  --threads N   threads per dispatch, counting the caller (default 0: all cores)\n";

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
      options.inputs.push_back(parseInputSpec(value("--input")));
    } else if (is("--output-dir")) {
      options.outputDir = value("--output-dir");
    } else if (is("--threads")) {
      options.threads = static_cast<uint32_t>(parseUnsigned("--threads", value("--threads"), 0, 4096));
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

void run(const Options &options) {
  LoadedModule module(options.modulePath);
  TensorSet inputs = loadInputs(module, matchInputFiles(module, options.inputs));
  TensorSet outputs = allocateOutputs(module);
  Session session(module, options.threads);
  session.run(inputs.tensors, outputs.tensors);

  makeDirectories(options.outputDir);
  for (size_t i = 0; i < module.outputs().size(); ++i) {
    // Each output in its actual shape: dynamic dims (NonZero, Unique, ...) resolved by the run, the result
    // at the start of its bound-sized buffer.
    sinter_tensor_info_t info = module.outputs()[i];
    std::vector<int64_t> dims = session.outputDims(i, info.rank);
    uint64_t elements = 1;
    for (int64_t d : dims)
      elements *= static_cast<uint64_t>(d);
    info.dims = dims.empty() ? nullptr : dims.data();
    info.byte_size = elements * sinter_element_type_size(info.element_type);
    const uint8_t *data = outputs.buffers[i].data();
    std::string path = options.outputDir + "/" + fileNameFor(info.name);
    std::string error;
    if (!sinter::npy::writeFile(path, info.element_type, info.dims, info.rank, data, info.byte_size, error))
      fail(error);
    std::printf("%s: %s -> %s\n  %s%s\n", info.name, describe(info).c_str(), path.c_str(),
                summarize(info, data).c_str(),
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

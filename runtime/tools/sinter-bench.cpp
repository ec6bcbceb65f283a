//===- sinter-bench.cpp - time a .sinter module ---------------------------------------------------------===//
//
//   sinter-bench MODULE.sinter [--input NAME=FILE.npy ...] [--threads N] [--repeat N] [--warmup N]
//                [--seed N] [--times FILE]
//
// Loads the module once, creates one session, runs it --warmup times untimed, then --repeat times, each
// run timed alone with a monotonic clock (inputs and outputs are bound once, as an embedding application
// would). Inputs not given are filled with reproducible pseudo-random values of the right dtype and shape.
// Prints min / median / mean / max latency; the last line is always "median_ms: X" so scripts can parse it.
// --times writes every timed run's milliseconds, one per line, for drivers that pool runs across rounds.
//
//===----------------------------------------------------------------------------------------------------===//
#include "sinter/runtime.h"
#include "tool_support.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace sinter::tools;

const char kUsage[] =
    "usage: sinter-bench MODULE.sinter [--input NAME=FILE.npy ...] [--threads N] [--repeat N] [--warmup N]\n"
    "                    [--seed N] [--times FILE]\n"
    "Times repeated runs of the module after a warm-up; the last line printed is \"median_ms: X\".\n"
    "  --input NAME=FILE.npy  an input's contents (inputs not given get pseudo-random values)\n"
    "  --threads N            threads per dispatch, counting the caller (default 0: all cores)\n"
    "  --repeat N             timed runs (default 20)\n"
    "  --warmup N             untimed runs first (default 3)\n"
    "  --seed N               seed for the pseudo-random inputs (default 0)\n"
    "  --times FILE           also write each timed run's milliseconds to FILE, one per line\n";

struct Options {
  std::string modulePath;
  std::vector<std::pair<std::string, std::string>> inputs;
  uint32_t threads = 0;
  uint64_t repeat = 20;
  uint64_t warmup = 3;
  uint64_t seed = 0;
  std::string timesPath;
};

Options parseArguments(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto is = [&](const std::string &flag) { return arg == flag || arg.rfind(flag + "=", 0) == 0; };
    auto value = [&](const std::string &flag) -> std::string {
      if (arg.size() > flag.size())
        return arg.substr(flag.size() + 1);
      if (i + 1 >= argc)
        fail(flag + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (is("--input")) {
      options.inputs.push_back(parseInputSpec(value("--input")));
    } else if (is("--threads")) {
      options.threads = static_cast<uint32_t>(parseUnsigned("--threads", value("--threads"), 0, 4096));
    } else if (is("--repeat")) {
      options.repeat = parseUnsigned("--repeat", value("--repeat"), 1, 1000000);
    } else if (is("--warmup")) {
      options.warmup = parseUnsigned("--warmup", value("--warmup"), 0, 1000000);
    } else if (is("--seed")) {
      options.seed = parseUnsigned("--seed", value("--seed"), 0, UINT64_MAX);
    } else if (is("--times")) {
      options.timesPath = value("--times");
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
  return options;
}

/// The median of a sorted, non-empty list (the mean of the middle two for an even count).
double median(const std::vector<double> &sorted) {
  size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

void bench(const Options &options) {
  LoadedModule module(options.modulePath);
  TensorSet inputs = loadOrRandomInputs(module, matchInputFiles(module, options.inputs), options.seed);
  TensorSet outputs = allocateOutputs(module);
  Session session(module, options.threads);

  for (uint64_t i = 0; i < options.warmup; ++i)
    session.run(inputs.tensors, outputs.tensors);
  std::vector<double> times;
  times.reserve(options.repeat);
  for (uint64_t i = 0; i < options.repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    session.run(inputs.tensors, outputs.tensors);
    auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }

  if (!options.timesPath.empty()) {
    FILE *file = std::fopen(options.timesPath.c_str(), "w");
    if (!file)
      fail("cannot write '" + options.timesPath + "'");
    for (double t : times)
      std::fprintf(file, "%.6f\n", t);
    if (std::fclose(file) != 0)
      fail("cannot write '" + options.timesPath + "'");
  }

  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  double mean = 0;
  for (double t : times)
    mean += t / static_cast<double>(times.size());
  std::printf("module: %s\n", options.modulePath.c_str());
  for (const sinter_tensor_info_t &info : module.inputs())
    std::printf("input %s: %s\n", info.name, describe(info).c_str());
  std::printf("threads: %u (0 = all cores), warm-up runs: %llu, timed runs: %llu\n", options.threads,
              static_cast<unsigned long long>(options.warmup), static_cast<unsigned long long>(options.repeat));
  std::printf("min_ms: %.4f\nmean_ms: %.4f\nmax_ms: %.4f\nmedian_ms: %.4f\n", sorted.front(), mean, sorted.back(),
              median(sorted));
}

} // namespace

int main(int argc, char **argv) {
  try {
    bench(parseArguments(argc, argv));
  } catch (const ToolError &error) {
    std::fprintf(stderr, "sinter-bench: error: %s\n", error.message.c_str());
    return 1;
  } catch (const std::exception &error) {
    std::fprintf(stderr, "sinter-bench: error: %s\n", error.what());
    return 1;
  }
  return 0;
}

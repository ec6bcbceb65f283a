//===- tools_test.cpp - sinter-run and sinter-dump on module files built by the tests ------------------===//
#include "module_builder.h"
#include "npy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <sys/wait.h>

#ifndef SINTER_RUN_PATH
#error "SINTER_RUN_PATH must name the sinter-run binary"
#endif
#ifndef SINTER_BENCH_PATH
#error "SINTER_BENCH_PATH must name the sinter-bench binary"
#endif
#ifndef SINTER_DUMP_PATH
#error "SINTER_DUMP_PATH must name the sinter-dump binary"
#endif

namespace sinter {
namespace test {
namespace {

struct CommandResult {
  int exitCode;
  std::string output; // stdout and stderr together
};

CommandResult runCommand(const std::string &command) {
  CommandResult result{-1, ""};
  FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
    return result;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    result.output.append(buffer, n);
  int status = ::pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string writeNpy(const TempDir &dir, const std::string &name, const std::vector<float> &values,
                     const std::vector<int64_t> &shape) {
  std::string path = dir.path() + "/" + name;
  std::string error;
  if (!npy::writeFile(path, SINTER_TYPE_F32, shape.data(), shape.size(), values.data(), values.size() * 4, error))
    ADD_FAILURE() << error;
  return path;
}

std::vector<float> readFloats(const std::string &path, const std::vector<int64_t> &expectedShape) {
  npy::Array array;
  std::string error;
  EXPECT_TRUE(npy::readFile(path, array, error)) << error;
  EXPECT_EQ(array.elementType, SINTER_TYPE_F32);
  EXPECT_EQ(array.shape, expectedShape);
  std::vector<float> values(array.data.size() / 4);
  std::memcpy(values.data(), array.data.data(), values.size() * 4);
  return values;
}

class ToolsTest : public ::testing::Test {
protected:
  void SetUp() override {
    pipeline_ = makePipelineModule();
    modulePath_ = dir_.write("pipeline.sinter", buildModule(pipeline_.desc));
    for (int64_t i = 0; i < PipelineModule::kN; ++i) {
      a_.push_back(static_cast<float>(i % 9) - 4.0f);
      b_.push_back(static_cast<float>(i % 4) * 0.5f);
    }
    for (int64_t i = 0; i < PipelineModule::kM * PipelineModule::kK; ++i)
      x_.push_back(static_cast<float>(i % 11) * 0.25f - 1.0f);
    aPath_ = writeNpy(dir_, "a.npy", a_, {PipelineModule::kN});
    bPath_ = writeNpy(dir_, "b.npy", b_, {PipelineModule::kN});
    xPath_ = writeNpy(dir_, "x.npy", x_, {PipelineModule::kM, PipelineModule::kK});
  }

  std::string run(const std::string &arguments) { return std::string(SINTER_RUN_PATH) + " " + arguments; }

  TempDir dir_;
  PipelineModule pipeline_;
  std::string modulePath_, aPath_, bPath_, xPath_;
  std::vector<float> a_, b_, x_;
};

TEST_F(ToolsTest, SinterRunWritesOutputs) {
  std::string outDir = dir_.path() + "/out/nested";
  CommandResult result = runCommand(run(modulePath_ + " --input a=" + aPath_ + " --input b=" + bPath_ +
                                        " --input=x=" + xPath_ + " --output-dir " + outDir + " --threads 2"));
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("y: f32 [1000] -> " + outDir + "/y.npy"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("z: f32 [37, 23] -> " + outDir + "/z.npy"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("min "), std::string::npos);
  EXPECT_NE(result.output.find("mean "), std::string::npos);
  EXPECT_NE(result.output.find("first: "), std::string::npos);

  std::vector<float> expectedY, expectedZ;
  pipelineReference(pipeline_, a_, b_, x_, expectedY, expectedZ);
  EXPECT_EQ(readFloats(outDir + "/y.npy", {PipelineModule::kN}), expectedY);
  EXPECT_EQ(readFloats(outDir + "/z.npy", {PipelineModule::kM, PipelineModule::kP}), expectedZ);
}

TEST_F(ToolsTest, SinterRunErrorsAreOneLine) {
  std::string outDir = " --output-dir " + dir_.path() + "/out";
  std::string ab = " --input a=" + aPath_ + " --input b=" + bPath_;
  std::string wrongType = dir_.path() + "/wrong_type.npy";
  std::vector<double> doubles(PipelineModule::kN, 1.0);
  int64_t n = PipelineModule::kN;
  std::string error;
  ASSERT_TRUE(npy::writeFile(wrongType, SINTER_TYPE_F64, &n, 1, doubles.data(), doubles.size() * 8, error));

  struct Case {
    std::string arguments;
    std::string message;
  };
  const Case cases[] = {
      {modulePath_ + " --input a=" + aPath_ + " --input x=" + xPath_ + outDir, "missing input 'b' (f32 [1000])"},
      {modulePath_ + ab + " --input x=" + xPath_ + " --input c=" + xPath_ + outDir,
       "unknown input 'c' (the module's inputs: a, b, x)"},
      {modulePath_ + ab + " --input x=" + xPath_ + " --input a=" + aPath_ + outDir, "input 'a' is given more than once"},
      {modulePath_ + " --input a=" + wrongType + " --input b=" + bPath_ + " --input x=" + xPath_ + outDir,
       "holds f64 but the module expects f32"},
      {modulePath_ + ab + " --input x=" + aPath_ + outDir, "has shape [1000] but the module expects [37, 19]"},
      {modulePath_ + ab + " --input x=" + dir_.path() + "/none.npy" + outDir, "input 'x': cannot open"},
      {dir_.path() + "/none.sinter" + ab + outDir, "cannot open"},
      {aPath_ + ab + outDir, "not a Sinter module"},
      {modulePath_ + ab + " --input x=" + xPath_, "no --output-dir given"},
      {modulePath_ + ab + " --input x=" + xPath_ + outDir + " --threads many", "--threads expects a number"},
      {modulePath_ + " --bogus", "unknown option '--bogus'"},
      {"", "no module given"},
  };
  for (const Case &c : cases) {
    CommandResult result = runCommand(run(c.arguments));
    EXPECT_EQ(result.exitCode, 1) << c.arguments << "\n" << result.output;
    EXPECT_EQ(result.output.rfind("sinter-run: error: ", 0), 0u) << result.output;
    EXPECT_NE(result.output.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << result.output;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  }
}

TEST_F(ToolsTest, SinterBenchTimesRunsAndEndsWithTheMedian) {
  std::string timesPath = dir_.path() + "/times.txt";
  // 'a' from a file, 'b' and 'x' pseudo-random.
  CommandResult result = runCommand(std::string(SINTER_BENCH_PATH) + " " + modulePath_ + " --input a=" + aPath_ +
                                    " --threads 2 --repeat 7 --warmup 1 --times " + timesPath);
  ASSERT_EQ(result.exitCode, 0) << result.output;
  for (const char *expected : {"input x: f32 [37, 19]\n", "threads: 2", "timed runs: 7", "min_ms: ", "max_ms: "})
    EXPECT_NE(result.output.find(expected), std::string::npos) << expected << " in:\n" << result.output;
  size_t lastLine = result.output.rfind('\n', result.output.size() - 2);
  ASSERT_NE(lastLine, std::string::npos);
  double medianMs = -1;
  ASSERT_EQ(std::sscanf(result.output.c_str() + lastLine + 1, "median_ms: %lf", &medianMs), 1) << result.output;
  EXPECT_GE(medianMs, 0.0);

  std::vector<double> times;
  FILE *file = std::fopen(timesPath.c_str(), "r");
  ASSERT_NE(file, nullptr);
  for (double t; std::fscanf(file, "%lf", &t) == 1;)
    times.push_back(t);
  std::fclose(file);
  ASSERT_EQ(times.size(), 7u);
  std::sort(times.begin(), times.end());
  EXPECT_NEAR(times[3], medianMs, 1e-3);
}

TEST_F(ToolsTest, SinterBenchErrorsAreOneLine) {
  const std::pair<std::string, std::string> cases[] = {
      {modulePath_ + " --repeat 0", "--repeat expects a number from 1 to 1000000, got '0'"},
      {modulePath_ + " --input c=" + aPath_, "unknown input 'c' (the module's inputs: a, b, x)"},
      {modulePath_ + " --input x=" + aPath_, "has shape [1000] but the module expects [37, 19]"},
      {dir_.path() + "/none.sinter", "cannot open"},
      {"", "no module given"},
  };
  for (const auto &[arguments, message] : cases) {
    CommandResult result = runCommand(std::string(SINTER_BENCH_PATH) + " " + arguments);
    EXPECT_EQ(result.exitCode, 1) << arguments << "\n" << result.output;
    EXPECT_EQ(result.output.rfind("sinter-bench: error: ", 0), 0u) << result.output;
    EXPECT_NE(result.output.find(message), std::string::npos) << "expected '" << message << "' in: " << result.output;
  }
}

TEST_F(ToolsTest, SinterDumpDescribesTheModule) {
  CommandResult result = runCommand(std::string(SINTER_DUMP_PATH) + " " + modulePath_);
  ASSERT_EQ(result.exitCode, 0) << result.output;
  for (const std::string &expected : {
           std::string("format version: 1\n"),
           std::string("producer: sinter-runtime-tests\n"),
           std::string("inputs: 3\n  0: a f32 [1000] (4000 bytes)\n"),
           std::string("  2: x f32 [37, 19] (2812 bytes)\n"),
           std::string("outputs: 2\n  0: y f32 [1000] (4000 bytes)\n  1: z f32 [37, 23] (3404 bytes)\n"),
           std::string("constants: "),
           std::string("arena: " + std::to_string(pipeline_.desc.arenaSize) + " bytes\n"),
           std::string("executables: 1\n  0: ElfSharedObject, triple " + hostTriple() + ", cpu generic, code " +
                       std::to_string(testKernelCode().size()) + " bytes\n"),
           std::string("     entry 2: matmul_f32\n"),
           std::string("dispatches: 4\n"),
           std::string("  2: executable 0 entry 2 (matmul_f32), workgroups [3, 5, 1]\n"),
           std::string("     binding 0: input 2 (x) [0, +2812)\n"),
           std::string("     binding 2: arena [4032, +3404)\n"),
       })
    EXPECT_NE(result.output.find(expected), std::string::npos) << "expected '" << expected << "' in:\n"
                                                               << result.output;
}

TEST_F(ToolsTest, SinterDumpDescribesModulesForOtherArchitectures) {
  ModuleDesc desc = makeAddModule(4);
  desc.executables[0].triple = "riscv64-unknown-linux-gnu";
  std::string path = dir_.write("riscv.sinter", buildModule(desc));
  CommandResult result = runCommand(std::string(SINTER_DUMP_PATH) + " " + path);
  EXPECT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("triple riscv64-unknown-linux-gnu"), std::string::npos) << result.output;
  // sinter-run cannot run it, and says why.
  result = runCommand(run(path + " --output-dir " + dir_.path()));
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("is for riscv64 but this host is"), std::string::npos) << result.output;
}

TEST_F(ToolsTest, SinterDumpRejectsCorruptModules) {
  std::vector<uint8_t> raw = buildModule(pipeline_.desc);
  raw.resize(100);
  std::string path = dir_.write("corrupt.sinter", raw);
  CommandResult result = runCommand(std::string(SINTER_DUMP_PATH) + " " + path);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("sinter-dump: error: " + path + ": module failed FlatBuffers verification"),
            std::string::npos)
      << result.output;
  result = runCommand(std::string(SINTER_DUMP_PATH));
  EXPECT_EQ(result.exitCode, 1);
}

} // namespace
} // namespace test
} // namespace sinter

//===- make_test_module.cpp - write a test module to a file (for tests outside GoogleTest) --------------===//
//
//   sinter-make-test-module add|pipeline OUT.sinter
//
// `add` is y = a + b over f32[6]; `pipeline` is the four-dispatch module of module_builder.h.
//
//===----------------------------------------------------------------------------------------------------===//
#include "module_builder.h"

#include <cstdio>
#include <exception>

int main(int argc, char **argv) {
  using namespace sinter::test;
  if (argc != 3) {
    std::fprintf(stderr, "usage: sinter-make-test-module add|pipeline OUT.sinter\n");
    return 1;
  }
  std::string kind = argv[1];
  ModuleDesc desc;
  if (kind == "add")
    desc = makeAddModule(6, 2);
  else if (kind == "pipeline")
    desc = makePipelineModule().desc;
  else {
    std::fprintf(stderr, "sinter-make-test-module: unknown module '%s'\n", argv[1]);
    return 1;
  }
  try {
    std::vector<uint8_t> bytes = buildModule(desc);
    FILE *file = std::fopen(argv[2], "wb");
    if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size() || std::fclose(file) != 0) {
      std::fprintf(stderr, "sinter-make-test-module: cannot write '%s'\n", argv[2]);
      return 1;
    }
  } catch (const std::exception &error) {
    std::fprintf(stderr, "sinter-make-test-module: %s\n", error.what());
    return 1;
  }
  return 0;
}

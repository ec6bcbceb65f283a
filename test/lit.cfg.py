# Sinter's lit configuration. Tests mirror the source tree: test/dialects, test/frontends/onnx,
# test/passes, test/compiler. Models shared by several tests live in test/models (see its README).
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Sinter"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "models", "unit", "tools", "node_modules", "reference", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sinter_obj_root, "test")

config.substitutions.append(("%models", os.path.join(config.sinter_src_root, "test", "models")))
config.substitutions.append(("%reference", os.path.join(config.sinter_src_root, "test", "e2e", "reference")))
config.substitutions.append(
    ("%compare-npy", "/usr/bin/python3 " + os.path.join(config.sinter_src_root, "test", "tools", "compare-npy.py")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["sinter-compile", "sinter-opt", "sinter-run", "sinter-dump"], [config.sinter_tools_dir])

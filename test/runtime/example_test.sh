#!/bin/sh
# Builds examples/ as an outside project against an installed copy of the runtime, and runs it.
#   example_test.sh BUILD_DIR EXAMPLES_DIR MAKE_TEST_MODULE C_COMPILER NINJA
# 1. cmake --install BUILD_DIR --component SinterRuntime into a temporary prefix;
# 2. configure + build examples/ with find_package(Sinter) from that prefix;
# 3. run run_module on a test module (y = a + b over f32[6]) and check its output;
# 4. check the installed library and tools link neither LLVM nor MLIR, and that the tools start.
set -eu
build_dir=$1 examples_dir=$2 make_module=$3 cc=$4 ninja=$5

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sinter-example-test-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "example test: FAILED: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$tmp/prefix" --component SinterRuntime >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "install"; }
test -f "$tmp/prefix/include/sinter/runtime.h" || fail "header not installed under include/sinter"

cmake -S "$examples_dir" -B "$tmp/build" -G Ninja -DCMAKE_MAKE_PROGRAM="$ninja" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; fail "configure examples/"; }
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "build examples/"; }
grep -q "warning" "$tmp/build.log" && { cat "$tmp/build.log"; fail "examples/ compiled with warnings"; }

"$make_module" add "$tmp/add.sinter"
"$tmp/build/run_module" "$tmp/add.sinter" 2 >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; fail "run_module"; }
cat "$tmp/run.log"
grep -qx "input 1: b f32 \[6\] (24 bytes)" "$tmp/run.log" || fail "signature not printed"
grep -qx "y = \[3, 6, 9, 12, 15, 18\]" "$tmp/run.log" || fail "wrong output values"

# A bad module is reported, not crashed on.
printf 'not a module' >"$tmp/bad.sinter"
if "$tmp/build/run_module" "$tmp/bad.sinter" >"$tmp/bad.log" 2>&1; then fail "run_module accepted a bad module"; fi
grep -q "INVALID_MODULE" "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "bad module message"; }

lib=$(ls "$tmp"/prefix/lib*/libsinter_runtime.so* | head -n 1)
for binary in "$lib" "$tmp/prefix/bin/sinter-run" "$tmp/prefix/bin/sinter-dump" "$tmp/build/run_module"; do
  ldd "$binary" >"$tmp/ldd.log" 2>&1 || fail "ldd $binary"
  grep -qi -e llvm -e mlir "$tmp/ldd.log" && { cat "$tmp/ldd.log"; fail "$binary links LLVM or MLIR"; }
  grep -q "not found" "$tmp/ldd.log" && { cat "$tmp/ldd.log"; fail "$binary has unresolved libraries"; }
done
"$tmp/prefix/bin/sinter-dump" "$tmp/add.sinter" | grep -q "entry 0: add_f32" || fail "installed sinter-dump"
"$tmp/prefix/bin/sinter-run" --help | grep -q "usage: sinter-run" || fail "installed sinter-run"
echo "example test: OK"

#!/usr/bin/env bash
# Sets up, builds, and runs Sinter's main job on the bundled example model (a small MLP exported from
# PyTorch): compiles it to a .sinter module for this CPU, runs it with the runtime on a bundled input, and
# prints the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
model=test/models/mlp_op17.onnx
input=test/e2e/reference/mlp_op17/inputs/x.npy
out=build/example
mkdir -p "$out"
echo "== sinter-compile $model -o $out/mlp.sinter"
build/bin/sinter-compile "$model" -o "$out/mlp.sinter"
echo "== sinter-dump $out/mlp.sinter (signature)"
build/bin/sinter-dump "$out/mlp.sinter" | sed -n '1,8p'
echo "== sinter-run $out/mlp.sinter --input x=$input --output-dir $out/outputs"
build/bin/sinter-run "$out/mlp.sinter" --input "x=$input" --output-dir "$out/outputs"

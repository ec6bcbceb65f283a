#!/usr/bin/env bash
# Sets up, builds, and runs Sinter on the bundled example model (a small MLP exported from PyTorch):
# imports it, checks it, upgrades it to opset 17, infers shapes and prints the verified graph IR.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
model=test/models/mlp_op13.onnx
echo "== sinter-compile $model --compile-to=graph"
build/bin/sinter-compile "$model" --compile-to=graph

#!/usr/bin/env bash
# Installs the dependencies, configures and builds Sinter into build/ (tools land in build/bin).
# Usage: scripts/build.sh [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@"
# Each MLIR translation unit takes ~0.5 GB of memory; the default job count (cores + 2) is fine on 2 cores.
ninja -C build

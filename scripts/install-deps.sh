#!/usr/bin/env bash
# Installs every Debian package that building and testing Sinter needs. Idempotent and non-interactive:
# packages already present are skipped, so a second run costs one dpkg query.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build ccache g++ pkg-config
  # LLVM/MLIR 22 (libMLIR.so, mlir-tblgen, FileCheck, lit)
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22 liblld-22-dev
  # ONNX C++ library with checker, shape inference and version converter
  libonnx-dev libprotobuf-dev protobuf-compiler
  # module format
  flatbuffers-compiler libflatbuffers-dev
  # tests: lit runner, unit tests, conformance data, test-model generation
  python3 python3-numpy python3-onnx libgtest-dev libgmock-dev libonnx-testdata
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

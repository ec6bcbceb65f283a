#!/usr/bin/env bash
# Sets up, builds and runs every test: the lit + FileCheck suite and the unit tests (through CTest).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
cd build
ctest --output-on-failure

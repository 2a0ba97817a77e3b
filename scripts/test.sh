#!/usr/bin/env bash
# Builds mote (Release) and runs the whole test suite with ctest; arguments go
# to ctest, e.g. one tier: `-L unit`, `-L toolchain`, `-L device`, or `-LE device`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j2
# The conformance table (model, bit-exact, arena vs TFLM) in one readable block;
# ctest below runs the same tests one per process and gives the verdict.
./build/tests/mote_tests --gtest_filter='*onformance*' --gtest_brief=1 | sed -n '/^model /,/^$/p' || true
ctest --test-dir build --output-on-failure -j2 "$@"

#!/usr/bin/env bash
# Fuzzes load + allocate + invoke for N seconds (default 60), seeded with the
# shared models. Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTE_FUZZ=ON \
  -DMOTE_BUILD_TOOLS=OFF > /dev/null
cmake --build build-fuzz --target model_fuzzer -j2
corpus=build-fuzz/corpus
mkdir -p "$corpus" build-fuzz/crashes
if [ -d ../shared/models ]; then
  cp -n ../shared/models/*.tflite "$corpus"/ 2>/dev/null || true
fi
./build-fuzz/tests/fuzz/model_fuzzer "$corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
  -max_len=1048576 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 2>&1 | tail -n 12
echo "fuzz: no crash in ${seconds} s"

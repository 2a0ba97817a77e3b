#!/usr/bin/env bash
# mote's main job on the bundled default model, from a fresh Debian machine:
# install packages, build, train the sine MLP (float .tflite), then inspect it
# (ops, MACs, memory plan, exact arena) and run it on a sample input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j2
out=build/default_model
echo
echo "== 1. train the bundled default model (examples/sine_model)"
./build/examples/train_sine_model "$out"
echo
echo "== 2. inspect it"
./build/cli/mote inspect "$out/sine_float.tflite"
echo
echo "== 3. run it on x = 1.0 (sin(1.0) = 0.8415)"
./build/cli/mote run "$out/sine_float.tflite" --input "$out/sample_input.npy" --output "$out/sample_output.npy"

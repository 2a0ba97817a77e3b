#!/usr/bin/env bash
# mote's main job on the bundled default model, from a fresh Debian machine:
# install packages, build, train the sine MLP (float .tflite), quantize it to
# int8 with its representative data, run int8 next to float, and export an
# ESP32-S3 project ready for `idf.py build flash monitor`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j2
mote=./build/cli/mote
out=build/default_model
echo
echo "== 1. train the bundled default model (examples/sine_model: 1-16-16-1 MLP fitted to sin(x))"
./build/examples/train_sine_model "$out"
echo
echo "== 2. quantize it to int8 (calibration: 500 samples; report on 200 held-out samples)"
$mote quantize "$out/sine_float.tflite" -o "$out/sine_int8.tflite" \
  --calibration "$out/calibration.npy" --eval "$out/holdout.npy" \
  --input-type float --output-type float --report "$out/quantize_report.html"
echo
echo "== 3. inspect the int8 model (ops, MACs, memory plan, exact arena)"
$mote inspect "$out/sine_int8.tflite"
echo
echo "== 4. run float and int8 on x = 1.0 (sin(1.0) = 0.8415)"
$mote run "$out/sine_float.tflite" --input "$out/sample_input.npy" --output "$out/float_output.npy"
$mote run "$out/sine_int8.tflite" --input "$out/sample_input.npy" --output "$out/int8_output.npy"
echo
echo "== 5. export an ESP-IDF project for the ESP32-S3"
$mote export "$out/sine_int8.tflite" --target esp32s3 --format idf --out "$out/esp32s3_sine" \
  --sample "$out/sample_input.npy"
echo
echo "Done. Report: $out/quantize_report.html   Project: $out/esp32s3_sine (idf.py build flash monitor)"

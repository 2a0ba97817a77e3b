#!/usr/bin/env bash
# Runs libFuzzer targets for SECONDS each (default 60), one after another,
# seeded from the shared data (../shared, or MOTE_SHARED_DIR) and the bundled sine model; no target
# named: all of them. Stops at the first finding (crash, sanitizer report,
# hang, out-of-memory), leaving the input in build-fuzz/crashes/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     scripts/fuzz.sh --list
set -euo pipefail
cd "$(dirname "$0")/.."

model_fuzzers=(model_fuzzer)
tool_fuzzers=(tensor_file_fuzzer csv_fuzzer image_fuzzer calibration_folder_fuzzer quantize_fuzzer export_fuzzer)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${model_fuzzers[@]}" "${tool_fuzzers[@]}"
  exit 0
fi
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${model_fuzzers[@]}" "${tool_fuzzers[@]}")

build=build-fuzz
shared="${MOTE_SHARED_DIR:-../shared}"
if [ ! -d "$shared/models" ]; then
  if [ "${CI:-}" = true ]; then
    echo "fuzz: no shared data at $shared (set MOTE_SHARED_DIR); CI needs it for the seeds" >&2
    exit 1
  fi
  echo "fuzz: warning: no shared data at $shared (set MOTE_SHARED_DIR): fewer seeds" >&2
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTE_FUZZ=ON \
  -DMOTE_BUILD_TESTS=OFF -DMOTE_BUILD_BENCH=OFF > /dev/null
cmake --build "$build" -j2 --target "${targets[@]}" train_sine_model jpeg_seed
mkdir -p "$build/crashes" "$build/logs"

# The sine model and its .npy files, as `mote` users get them (trained once;
# by the uninstrumented build's trainer when there is one: much faster).
sine="$build/seeds/sine"
if [ ! -f "$sine/sine_float.tflite" ]; then
  trainer=build/examples/train_sine_model
  [ -x "$trainer" ] || trainer="$build/examples/train_sine_model"
  "$trainer" "$sine" > /dev/null
fi

# Writes the seeds of target $1 into directory $2.
make_seeds() {
  local target="$1" dir="$2" f i=0
  case "$target" in
    model_fuzzer)
      cp "$shared"/models/*.tflite "$dir"/ 2>/dev/null || true
      # The same models with `mote prepare`'s metadata (mote/prepared_constants.h),
      # by the uninstrumented build's mote when there is one.
      if [ -x build/cli/mote ]; then
        for f in "$shared"/models/*.tflite; do
          build/cli/mote prepare "$f" -o "$dir/prepared_$(basename "$f")" > /dev/null 2>&1 || true
        done
      fi ;;
    tensor_file_fuzzer)
      cp "$sine"/*.npy "$dir"/
      for f in $(find "$shared/conformance" -name '*.bin' -size -16k 2>/dev/null | sort | sed -n 1,40p); do
        i=$((i + 1)); cp "$f" "$dir/bin_$i"
      done ;;
    csv_fuzzer)
      printf '\x03x,y,z,w\n1,2,3,4\n-0.5, 1e3 ,"7",8\n\n' > "$dir/header.csv"
      printf '\x00\r\n0.25\r\n-1\r\n' > "$dir/one_column.csv"
      printf '\x2b1,2,3,4\n5,6,7,8\n9,10,11,12\n' > "$dir/scaled.csv" ;;
    image_fuzzer)
      for f in "$shared"/models/inputs/*.png "$shared"/models/inputs/*.bmp; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        { printf '\x1b\x1b\x00'; cat "$f"; } > "$dir/gray_$i"
        { printf '\x5f\x5f\x01'; cat "$f"; } > "$dir/rgb_$i"
        if "$build/tests/fuzz/jpeg_seed" "$f" "$dir/tmp.jpg" 2> /dev/null; then
          { printf '\x07\x0f\x07'; cat "$dir/tmp.jpg"; } > "$dir/jpeg_$i"
        fi
      done
      rm -f "$dir/tmp.jpg" ;;
    calibration_folder_fuzzer)
      local png jpg
      png="$(ls "$shared"/models/inputs/*.png 2>/dev/null | head -n 1)"
      "$build/tests/fuzz/jpeg_seed" "$png" "$dir/tmp.jpg" 2> /dev/null || : > "$dir/tmp.jpg"
      # [1, 1, 1, 1]: the sine model's .npy files, a .bin, a .csv, a note.
      { printf '\x00\x00\x00\x00\x00'; cat "$sine/calibration.npy"; printf '|mote|\x07'
        cat "$sine/sample_input.npy"; printf '|mote|\x01'; printf '\x00\x00\x80\x3f'
        printf '|mote|\x03x\n0.5\n-2\n|mote|\x06notes'; } > "$dir/data"
      # [1, 2, 3, 3]: images, in a subfolder too, scaled.
      { printf '\x01\x02\x01\x05\x04'; cat "$png"; printf '|mote|\x05'; cat "$dir/tmp.jpg"
        printf '|mote|\x07'; cat "$sine/sample_input.npy"; } > "$dir/images"
      rm -f "$dir/tmp.jpg" ;;
    quantize_fuzzer)  # the small float models (large ones make too few runs)
      find "$shared/models" -maxdepth 1 -name '*float*.tflite' -size -64k -exec cp {} "$dir"/ \; 2>/dev/null || true
      cp "$sine/sine_float.tflite" "$dir"/ ;;
    export_fuzzer)  # the small int8 models
      find "$shared/models" -maxdepth 1 -name '*.tflite' ! -name '*float*' -size -64k -exec cp {} "$dir"/ \; \
        2>/dev/null || true ;;
    *) echo "fuzz: unknown target '$target' (see --list)" >&2; return 1 ;;
  esac
}

# Per target: the largest input, and the seconds one input may take (quantize
# runs two models over three samples: about a second, more on a busy machine).
max_len() {
  case "$1" in
    model_fuzzer) echo 1048576 ;;
    *) echo 65536 ;;
  esac
}
timeout_of() {
  case "$1" in
    quantize_fuzzer) echo 60 ;;
    *) echo 20 ;;
  esac
}

# The host-tool fuzzers write their inputs into files of a scratch folder
# under TMPDIR; libFuzzer ends a run without running destructors, so each run
# gets its own TMPDIR here, removed afterwards.
tmp_root="$PWD/$build/tmp/$$"
trap 'rm -rf "$tmp_root"' EXIT

for target in "${targets[@]}"; do
  tmp="$tmp_root/$target"
  mkdir -p "$tmp"
  seeds="$build/seeds/$target"
  corpus="$build/corpus/$target"
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus"
  make_seeds "$target" "$seeds"
  log="$build/logs/$target.log"
  echo "=== $target for ${seconds} s (log: $log)"
  if ! TMPDIR="$tmp" "$build/tests/fuzz/$target" "$corpus" "$seeds" -max_total_time="$seconds" -timeout="$(timeout_of "$target")" \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len="$(max_len "$target")" \
      -artifact_prefix="$build/crashes/$target-" -print_final_stats=1 > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: $target found a problem; the input is in $build/crashes/" >&2
    exit 1
  fi
  rm -rf "$tmp"
  grep -E '^#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$log" || true
  echo "fuzz: $target: no finding in ${seconds} s, corpus $(ls "$corpus" | wc -l) files"
done

#!/usr/bin/env bash
# Instructions per invoke() under valgrind's callgrind for conformance models:
# mote's reference kernels against its optimized kernels (one code base, two
# Release builds: g++ -O2, no -march flags), and both against the figures of
# TFLM's reference kernels measured the same way (g++ 12 -O2, x86-64).
#
#   scripts/callgrind-invoke.sh [--build-dir DIR] [--models "person_detect vww_96_int8 ..."]
#                               [--simd] [--device | --device-log LOG [--device-log-reference LOG]]
#
#   --simd     also a build with -DMOTE_HOST_SIMD=ON (the AVX2 kernel paths)
#   --device   also run scripts/device-conformance.sh on the emulated Xtensa
#              lx106 core, optimized and reference kernels, and print its
#              instruction counts (exact, qemu ICOUNT; int8 models only); slow
#   --device-log LOG   print the lx106 counts from a saved device-conformance.sh
#              output instead (optimized kernels); --device-log-reference LOG
#              adds a saved run with -DMOTE_REFERENCE_KERNELS=ON
#
# Only mote_run_invoke() in bench/invoke_driver.cc is counted
# (--toggle-collect): one invoke on sample 0's inputs, after a warm-up invoke.
# MOTE_SHARED_DIR overrides ../shared. Needs valgrind (apt-get install valgrind).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/callgrind"
models="person_detect vww_96_int8 kws_ref_model_int8 micro_speech_quantized test_conv_model_int8_floatio vww_96_float"
simd=0
device=0
device_log=""
device_log_ref=""
shared="${MOTE_SHARED_DIR:-$root/../shared}"

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --simd) simd=1; shift ;;
    --device) device=1; shift ;;
    --device-log) device_log="$2"; shift 2 ;;
    --device-log-reference) device_log_ref="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "callgrind-invoke: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# TFLM reference kernels, instructions per invoke (docs/benchmarks.md).
declare -A tflm=([person_detect]=116400000 [vww_96_int8]=121100000 [kws_ref_model_int8]=49950000
                 [micro_speech_quantized]=10990000 [test_conv_model_int8_floatio]=9570000 [vww_96_float]=103200000)

command -v valgrind > /dev/null || { echo "callgrind-invoke: valgrind not found (apt-get install valgrind)" >&2; exit 1; }
command -v python3 > /dev/null || { echo "callgrind-invoke: python3 not found" >&2; exit 1; }
[ -d "$shared/conformance" ] || { echo "callgrind-invoke: no conformance data at $shared (set MOTE_SHARED_DIR)" >&2; exit 1; }
shared=$(cd "$shared" && pwd)
mkdir -p "$build"
log="$build/build.log"
: > "$log"

# --- builds ----------------------------------------------------------------
variants=(optimized)
declare -A cmake_flags=([optimized]="")
if grep -q 'MOTE_REFERENCE_KERNELS' "$root/runtime/CMakeLists.txt"; then
  variants=(reference optimized)
  cmake_flags[reference]="-DMOTE_REFERENCE_KERNELS=ON"
else
  echo "callgrind-invoke: runtime/CMakeLists.txt has no MOTE_REFERENCE_KERNELS option: optimized build only" >&2
fi
if [ $simd -eq 1 ]; then
  if grep -q 'MOTE_HOST_SIMD' "$root/runtime/CMakeLists.txt"; then
    variants+=(simd)
    cmake_flags[simd]="-DMOTE_HOST_SIMD=ON"
  else
    echo "callgrind-invoke: runtime/CMakeLists.txt has no MOTE_HOST_SIMD option: --simd ignored" >&2
  fi
fi
for v in "${variants[@]}"; do
  echo "callgrind-invoke: building $v (Release, -O2) in $build/$v"
  # shellcheck disable=SC2086
  if ! { cmake -S "$root" -B "$build/$v" -DCMAKE_BUILD_TYPE=Release -DMOTE_BUILD_TESTS=OFF -DMOTE_DEVICE_TESTS=OFF \
           -DMOTE_SHARED_DIR="$shared" ${cmake_flags[$v]} && cmake --build "$build/$v" --target invoke_driver -j2; } \
         >> "$log" 2>&1; then
    tail -30 "$log" >&2
    echo "callgrind-invoke: build $v failed (log: $log)" >&2
    exit 1
  fi
done

# --- counts ----------------------------------------------------------------
# "model_file input0 input1 ..." of sample 0, or nothing when the reference
# rejected the model.
sample0() {
  python3 - "$shared/conformance/$1/manifest.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
if m.get("status") == "ok":
    print(" ".join([m["model_file"]] + m["samples"][0]["inputs"]))
EOF
}

declare -A count=()
for m in $models; do
  dir="$shared/conformance/$m"
  if [ ! -f "$dir/manifest.json" ]; then
    echo "callgrind-invoke: no conformance data for $m, skipped" >&2
    continue
  fi
  read -r -a files <<< "$(sample0 "$m")"
  if [ ${#files[@]} -eq 0 ]; then
    echo "callgrind-invoke: $m has no reference run, skipped" >&2
    continue
  fi
  inputs=()
  for f in "${files[@]:1}"; do inputs+=("$dir/$f"); done
  for v in "${variants[@]}"; do
    out="$build/$v/$m.callgrind"
    if ! valgrind --tool=callgrind --toggle-collect=mote_run_invoke --callgrind-out-file="$out" \
         "$build/$v/bench/invoke_driver" "$shared/models/${files[0]}" "${inputs[@]}" > "$build/$v/$m.log" 2>&1; then
      tail -5 "$build/$v/$m.log" >&2
      echo "callgrind-invoke: $m ($v) failed" >&2
      exit 1
    fi
    count[$m.$v]=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
    echo "callgrind-invoke: $m $v: ${count[$m.$v]} instructions"
  done
done

# --- emulated Xtensa (lx106) -------------------------------------------------
declare -A lx=()
lx106_counts() {  # variant, device-conformance.sh output
  while read -r model core _ _ _ instr _; do
    if [ "$core" = "lx106" ]; then lx[$model.$1]=${instr#\~}; fi
  done < <(grep -E '^[a-z0-9_]+ +lx106 ' "$2" || true)
}
if [ $device -eq 1 ]; then
  # The float models are not in the emulated runs (see device-conformance.sh).
  device_models=$(for m in $models; do case "$m" in *_float) ;; *) printf '%s ' "$m" ;; esac; done)
  for v in optimized reference; do
    dev_build="$build/device-$v"
    flag=OFF
    [ "$v" = reference ] && flag=ON
    # Seed the cache: device-conformance.sh re-runs cmake on this directory.
    cmake -S "$root/device" -B "$dev_build/lx106" -DCMAKE_TOOLCHAIN_FILE="$root/device/xtensa/toolchain.cmake" \
      -DMOTE_DEVICE_CORE=lx106 -DMOTE_REFERENCE_KERNELS=$flag >> "$log" 2>&1 || true
    echo "callgrind-invoke: scripts/device-conformance.sh (lx106, $v kernels)"
    "$root/scripts/device-conformance.sh" --build-dir "$dev_build" --cores lx106 --models "$device_models" \
      > "$build/device-$v.txt" 2>&1 || echo "callgrind-invoke: device-conformance.sh ($v) failed, see $build/device-$v.txt" >&2
    lx106_counts "$v" "$build/device-$v.txt"
  done
else
  [ -n "$device_log" ] && lx106_counts optimized "$device_log"
  [ -n "$device_log_ref" ] && lx106_counts reference "$device_log_ref"
fi

# --- table -------------------------------------------------------------------
millions() { [ -n "${1:-}" ] && awk -v n="$1" 'BEGIN {printf "%.2fM", n / 1e6}' || echo "-"; }
ratio() { [ -n "${1:-}" ] && [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}' || echo "-"; }

echo
printf '%-30s %12s %12s %9s' model reference optimized "opt/ref"
[ $simd -eq 1 ] && [ -n "${cmake_flags[simd]+x}" ] && printf ' %12s %9s' simd "simd/ref"
printf ' %12s %9s %9s' "TFLM ref" "ref/TFLM" "opt/TFLM"
[ $simd -eq 1 ] && [ -n "${cmake_flags[simd]+x}" ] && printf ' %9s' "simd/TFLM"
[ ${#lx[@]} -gt 0 ] && printf ' %12s %12s %9s' "lx106 ref" "lx106 opt" "opt/ref"
echo
for m in $models; do
  [ -n "${count[$m.optimized]:-}" ] || continue
  ref=${count[$m.reference]:-}
  opt=${count[$m.optimized]}
  t=${tflm[$m]:-}
  printf '%-30s %12s %12s %9s' "$m" "$(millions "$ref")" "$(millions "$opt")" "$(ratio "$opt" "$ref")"
  if [ $simd -eq 1 ] && [ -n "${cmake_flags[simd]+x}" ]; then
    printf ' %12s %9s' "$(millions "${count[$m.simd]:-}")" "$(ratio "${count[$m.simd]:-}" "$ref")"
  fi
  printf ' %12s %9s %9s' "$(millions "$t")" "$(ratio "$ref" "$t")" "$(ratio "$opt" "$t")"
  [ $simd -eq 1 ] && [ -n "${cmake_flags[simd]+x}" ] && printf ' %9s' "$(ratio "${count[$m.simd]:-}" "$t")"
  if [ ${#lx[@]} -gt 0 ]; then
    printf ' %12s %12s %9s' "$(millions "${lx[$m.reference]:-}")" "$(millions "${lx[$m.optimized]:-}")" \
      "$(ratio "${lx[$m.optimized]:-}" "${lx[$m.reference]:-}")"
  fi
  echo
done
cat <<EOF

Instructions of one invoke() on sample 0 (callgrind Ir, x86-64, g++ $(g++ -dumpversion) -O2, no -march; simd: + -mavx2).
TFLM ref: TFLM's reference kernels, measured the same way (g++ 12 -O2). Targets: opt/TFLM <= 0.25,
with --simd <= 0.10; lx106 (emulated Xtensa, exact ICOUNT) opt/ref <= 0.33.
EOF

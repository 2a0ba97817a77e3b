#!/usr/bin/env bash
# Runs mote's device-side runtime on emulated MCU cores (qemu) and checks that
# each conformance model gives exactly the bytes of the TFLM reference, and
# for stateful models every output and state tensor of the sequence of
# consecutive invokes (conformance/<model>/sequence/).
#
#   scripts/device-conformance.sh [--build-dir DIR] [--cores "lx106 cortex-m4f cortex-m55 esp32s3"]
#                                 [--models "hello_world_int8 person_detect ..."] [--per-op] [--build-only]
#                                 [--prepared]
#
# --prepared embeds each model as `mote prepare` writes it (per-channel
# constants in its "mote" metadata, read from flash; the host `mote` from
# MOTE_CLI or build/cli/mote), against the same reference data. Use another
# --build-dir for it.
#
# Per model and core: one bare-metal image (device/conformance_runner.cc +
# the runtime + the model and its reference inputs/outputs, embedded from
# ../shared at build time into the build directory), run under qemu.
# Prints a table: bit-exact, arena bytes, instructions per invoke, code size.
#
# --per-op: the images also count each node of sample 0 (a table per model).
# --build-only: build and link the images (sizes in the table), run nothing.
#
# MOTE_SHARED_DIR overrides ../shared. It installs nothing: the cross
# compilers and qemu come from scripts/install-deps.sh. Without shared data or
# a package the script fails when CI=true and otherwise skips; with CI=true a
# model that cannot be built (e.g. an op missing) is a failure too.
# The ESP32-S3 core (esp32s3) takes its tools from the environment, as an
# ESP-IDF user has them; none is a Debian package, so without them esp32s3 is
# skipped with what is missing, CI=true or not (docs/device.md):
#   MOTE_ESP32S3_QEMU      qemu-system-xtensa with the esp32s3 machine (Espressif's fork)
#   MOTE_ESP32S3_BINUTILS  directory with xtensa-esp32s3-elf-as, -ld, -objcopy, -size
#   MOTE_ESP32S3_CC        Espressif's xtensa-esp32s3-elf-gcc (optional; default clang-22)
#   MOTE_ESP32S3_QEMU_FLAGS extra qemu options (optional)
# The default cores include esp32s3 when MOTE_ESP32S3_QEMU and
# MOTE_ESP32S3_BINUTILS are set.
# Exit status: 0 all bit-exact, 1 a model differs or fails, 77 skipped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/device"
cores="lx106 cortex-m4f cortex-m55"
if [ -n "${MOTE_ESP32S3_QEMU:-}" ] && [ -n "${MOTE_ESP32S3_BINUTILS:-}" ]; then cores="$cores esp32s3"; fi
per_op=0
build_only=0
# int8 models that fit the emulated memories (the largest, vww_96_int8, has
# 325 KB of model and ~100 KB of arena: fine for 512 KB ITCM/DTCM + 2 MB SRAM).
models="network_tester_dwconv_int8 simple_add_model hello_world_int8 micro_speech_quantized kws_ref_model_int8
mnist_lstm_int8 micro_speech_lstm keyword_scrambled keyword_scrambled_8bit dtln_noise_suppression
test_conv_model_int8_floatio person_detect vww_96_int8"
shared="${MOTE_SHARED_DIR:-$root/../shared}"
prepared=0
mote_cli="${MOTE_CLI:-$root/build/cli/mote}"

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --per-op) per_op=1; shift ;;
    --build-only) build_only=1; shift ;;
    --prepared) prepared=1; shift ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "device-conformance: unknown option $1" >&2; exit 2 ;;
  esac
done
started=$(date +%s)

if [ ! -d "$shared/conformance" ] || [ ! -d "$shared/models" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "device-conformance: ERROR: no shared data at $shared (CI=true)" >&2
    exit 1
  fi
  echo "device-conformance: skipped: no shared data at $shared (set MOTE_SHARED_DIR)"
  exit 77
fi
shared=$(cd "$shared" && pwd)

# --- the ESP32-S3's tools (from the environment) --------------------------------
# Prints what is missing, nothing when all is there.
esp32s3_missing() {
  local bin="${MOTE_ESP32S3_BINUTILS:-}" tool
  if [ -z "$bin" ]; then
    echo "MOTE_ESP32S3_BINUTILS is not set (a directory holding xtensa-esp32s3-elf-as/ld/objcopy)"
  else
    for tool in as ld objcopy size; do
      [ -x "$bin/xtensa-esp32s3-elf-$tool" ] || echo "no $bin/xtensa-esp32s3-elf-$tool (MOTE_ESP32S3_BINUTILS)"
    done
  fi
  if [ -n "${MOTE_ESP32S3_CC:-}" ]; then
    command -v "$MOTE_ESP32S3_CC" > /dev/null || echo "MOTE_ESP32S3_CC=$MOTE_ESP32S3_CC is not a program"
  elif ! command -v clang-22 > /dev/null; then
    echo "no compiler: clang-22 is not on PATH and MOTE_ESP32S3_CC is not set (Espressif's xtensa-esp32s3-elf-gcc)"
  fi
  [ $build_only -eq 1 ] && return 0
  if [ -z "${MOTE_ESP32S3_QEMU:-}" ]; then
    echo "MOTE_ESP32S3_QEMU is not set (a qemu-system-xtensa with the esp32s3 machine, e.g. Espressif's fork)"
  elif ! "$MOTE_ESP32S3_QEMU" -M help 2>/dev/null | grep -q '^esp32s3 '; then
    echo "MOTE_ESP32S3_QEMU=$MOTE_ESP32S3_QEMU has no esp32s3 machine (-M help)"
  fi
}
if [[ " $cores " == *" esp32s3 "* ]]; then
  why=$(esp32s3_missing)
  if [ -n "$why" ]; then
    echo "device-conformance: esp32s3 skipped (its tools are the user's, not Debian packages):"
    sed 's/^/  - /' <<< "$why"
    remaining=""
    for core in $cores; do [ "$core" = esp32s3 ] || remaining="$remaining $core"; done
    cores="${remaining# }"
    if [ -z "$cores" ]; then exit 77; fi
  fi
fi

# --- toolchains and emulators (scripts/install-deps.sh installs them) ---------
packages=(cmake make g++ nlohmann-json3-dev)
for core in $cores; do
  case "$core" in
    lx106) packages+=(gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf qemu-system-misc) ;;
    cortex-m4f|cortex-m55) packages+=(gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm) ;;
    # picolibc and the lx106 libgcc are the S3 images' C library (device/esp32s3/toolchain.cmake).
    esp32s3) packages+=(gcc-xtensa-lx106 picolibc-xtensa-lx106-elf) ;;
    *) echo "device-conformance: unknown core $core (lx106, cortex-m4f, cortex-m55, esp32s3)" >&2; exit 2 ;;
  esac
done
missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  why="missing Debian packages: ${missing[*]} (bash scripts/install-deps.sh installs them)"
  if [ "${CI:-}" = "true" ]; then
    echo "device-conformance: ERROR: $why (required when CI=true)" >&2
    exit 1
  fi
  echo "device-conformance: skipped: $why"
  exit 77
fi

mkdir -p "$build/models"
log="$build/build.log"
: > "$log"

# --- host side: model embedding tool, soft-float/division helper check --------
embed="$build/embed_model"
embed_sources=("$root/device/embed_model.cc" "$root/tools/common/conformance_manifest.cc")
stale=0
[ -x "$embed" ] || stale=1
for f in "${embed_sources[@]}" "$root/tools/common/conformance_manifest.h" "$root/tools/common/json.h" \
         "$root/runtime/include/mote/op_registry.def"; do
  if [ "$f" -nt "$embed" ]; then stale=1; fi
done
if [ $stale -eq 1 ]; then
  c++ -std=c++17 -O1 -I"$root" "${embed_sources[@]}" -o "$embed"
fi
if [[ " $cores " == *" lx106 "* ]]; then
  selftest="$build/helpers_selftest"
  if [ ! -x "$selftest" ] || [ "$root/device/xtensa/libgcc_helpers.cc" -nt "$selftest" ] ||
     [ "$root/device/xtensa/helpers_selftest.cc" -nt "$selftest" ]; then
    c++ -std=c++17 -O2 -ffp-contract=off -DMOTE_HELPER_PREFIX=test_ "$root/device/xtensa/helpers_selftest.cc" \
      "$root/device/xtensa/libgcc_helpers.cc" -o "$selftest"
  fi
  "$selftest" || { echo "device-conformance: lx106 libgcc helpers are wrong" >&2; exit 1; }
fi

# --- embed the models (build directory only; the data stay in ../shared) ------
sources=""
declare -A skipped=()
for m in $models; do
  if [ ! -f "$shared/conformance/$m/manifest.json" ]; then
    skipped[$m]="no conformance data"
    continue
  fi
  out="$build/models/$m.cc"
  model_file=()
  if [ $prepared -eq 1 ] && [ -f "$shared/models/$m.tflite" ]; then
    [ -x "$mote_cli" ] || { echo "device-conformance: --prepared needs the host mote at $mote_cli (MOTE_CLI)" >&2; exit 1; }
    "$mote_cli" prepare "$shared/models/$m.tflite" -o "$build/models/$m.mote.tflite" >> "$log"
    model_file=(--model-file "$build/models/$m.mote.tflite")
  fi
  set +e
  reason=$("$embed" --shared "$shared" --model "$m" --out "$out.tmp" "${model_file[@]}")
  rc=$?
  set -e
  if [ $rc -eq 3 ]; then
    skipped[$m]="${reason#skip: }"
    rm -f "$out.tmp"
    continue
  elif [ $rc -ne 0 ]; then
    echo "device-conformance: embedding $m failed" >&2
    exit 1
  fi
  if cmp -s "$out.tmp" "$out"; then rm "$out.tmp"; else mv "$out.tmp" "$out"; fi
  sources="$sources;$out"
done
sources="${sources#;}"
if [ -z "$sources" ]; then
  echo "device-conformance: no model can be built (${!skipped[*]})" >&2
  exit 1
fi

# --- cross builds ---------------------------------------------------------------
# An image whose data do not fit the core's RAM fails to link with this
# message from the linker script (only the ESP32-S3's 512 KiB internal SRAM is
# small enough for that): such a model is reported, not counted as a failure.
no_fit_message="do not fit the ESP32-S3's 512 KiB of internal SRAM"
declare -A no_fit=()
per_op_flag="-DMOTE_DEVICE_PER_OP=$([ $per_op -eq 1 ] && echo ON || echo OFF)"
for core in $cores; do
  case "$core" in
    lx106) toolchain="$root/device/xtensa/toolchain.cmake" ;;
    esp32s3) toolchain="$root/device/esp32s3/toolchain.cmake" ;;
    *) toolchain="$root/device/cortex-m/toolchain.cmake" ;;
  esac
  echo "device-conformance: building for $core"
  core_log="$build/$core.build.log"
  set +e
  { cmake -S "$root/device" -B "$build/$core" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DMOTE_DEVICE_CORE="$core" \
      -DMOTE_DEVICE_MODEL_SOURCES="$sources" "$per_op_flag" && cmake --build "$build/$core" -j2 -- -k; } > "$core_log" 2>&1
  rc=$?
  set -e
  cat "$core_log" >> "$log"
  if [ $rc -ne 0 ]; then
    for m in $models; do
      [ -n "${skipped[$m]:-}" ] && continue
      elf="$build/$core/mote_$m.elf"
      if [ ! -f "$elf" ] && grep -A3 "mote_$m.elf" "$core_log" | grep -q "$no_fit_message"; then
        no_fit[$m/$core]=1
      elif [ ! -f "$elf" ]; then
        { grep -B2 -A20 -m1 -E "error|Error" "$core_log" || tail -40 "$core_log"; } >&2
        echo "device-conformance: build for $core failed (full log: $log)" >&2
        exit 1
      fi
    done
  fi
done

# --- runs -----------------------------------------------------------------------
qemu_command() {  # core elf: sets the array `qemu`
  case "$1" in
    lx106)
      qemu=(qemu-system-xtensa -M sim -cpu lx106 -nographic -monitor none -semihosting
            -icount "shift=0,sleep=off" -device "loader,file=$2,cpu-num=0") ;;
    esp32s3)
      # -kernel loads the image and starts core 0 at its entry; the APP CPU
      # (cpu 1) is sent to the image's waiti loop, else it would run the empty ROM.
      local park
      park=$("$MOTE_ESP32S3_BINUTILS/xtensa-esp32s3-elf-nm" "$2" | awk '$3 == "device_park_app_cpu" { print "0x" $1 }')
      # shellcheck disable=SC2206  # MOTE_ESP32S3_QEMU_FLAGS: words on purpose
      qemu=("$MOTE_ESP32S3_QEMU" -M esp32s3 -nographic -monitor none -semihosting -icount "shift=0,sleep=off"
            -kernel "$2" -device "loader,addr=$park,cpu-num=1" ${MOTE_ESP32S3_QEMU_FLAGS:-}) ;;
    cortex-m4f)
      qemu=(qemu-system-arm -M mps2-an386 -nographic -monitor none -semihosting-config "enable=on,target=native"
            -icount "shift=0,sleep=off" -kernel "$2") ;;
    cortex-m55)
      qemu=(qemu-system-arm -M mps3-an547 -nographic -monitor none -semihosting-config "enable=on,target=native"
            -icount "shift=0,sleep=off" -kernel "$2") ;;
  esac
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
# Bytes of the runtime's own code in an image: the .text input sections that
# came from libmote_runtime.a, summed from the linker map (mawk-compatible).
runtime_code() {
  awk '
    function hex(s,  i, v) { v = 0; s = tolower(substr(s, 3))
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return v }
    function account(size, file) { if (out == ".text" && file ~ /libmote_runtime\.a\(/) total += hex(size) }
    /^Linker script and memory map/ { on = 1; next }
    !on { next }
    /^\.[^ ]+/ { out = $1; pending = ""; next }
    /^ \.[^ ]+$/ { pending = $1; next }
    /^ \.[^ ]+ +0x[0-9a-f]+ +0x[0-9a-f]+ / { account($3, $4); pending = ""; next }
    /^ +0x[0-9a-f]+ +0x[0-9a-f]+ / { if (pending != "") account($2, $3); pending = ""; next }
    END { print total + 0 }' "$1"
}

failed=0
rows=()
for m in $models; do
  [ -n "${skipped[$m]:-}" ] && continue
  for core in $cores; do
    elf="$build/$core/mote_$m.elf"
    out="$build/$core/mote_$m.log"
    if [ -n "${no_fit[$m/$core]:-}" ]; then
      rows+=("$m|$core|NO FIT|-|-|-|-|-|-|-")
      continue
    fi
    case "$core" in
      lx106) size=xtensa-lx106-elf-size ;;
      esp32s3) size="$MOTE_ESP32S3_BINUTILS/xtensa-esp32s3-elf-size" ;;
      *) size=arm-none-eabi-size ;;
    esac
    text=$($size -A "$elf" | awk '$1 == ".text" { print $2 }')
    runtime=$(runtime_code "$build/$core/mote_$m.map")
    if [ $build_only -eq 1 ]; then
      rows+=("$m|$core|not run|-|-|-|-|-|$text|$runtime")
      continue
    fi
    set +e
    qemu_command "$core" "$elf"
    timeout 600 "${qemu[@]}" < /dev/null > "$out" 2>&1
    rc=$?
    set -e
    result=$(grep -m1 '^RESULT ' "$out" || true)
    if [ -z "$result" ]; then
      failed=1
      status="FAIL (exit $rc)"
      [ $rc -eq 124 ] && status="TIMEOUT"
      rows+=("$m|$core|$status|-|-|-|-|-|$text|$runtime")
      echo "--- $m on $core (exit $rc):" >&2
      tail -5 "$out" >&2
      continue
    fi
    exact=$(field exact "$result")
    if [ "$exact" != "yes" ] || [ $rc -ne 0 ]; then
      failed=1
      exact="NO"
      grep '^MISMATCH' "$out" | head -3 >&2 || true
    fi
    count=$(field count "$result")
    allocate_count=$(field allocate_count "$result")
    if [ "$(field counter "$result")" = "icount" ]; then count="~$count"; allocate_count="~$allocate_count"; fi
    steps=$(field steps "$result")
    if [ "$steps" = "0" ]; then steps="-"; fi
    rows+=("$m|$core|$exact|$steps|$(field arena "$result")|$(field ref_arena "$result")|$count|$allocate_count|$text|"\
"$runtime")
  done
done

printf '\n%-30s %-11s %-9s %5s %8s %10s %15s %14s %8s %8s\n' model core bit-exact steps arena "TFLM arena" \
  "instr/invoke" "instr/alloc" ".text" runtime
for row in "${rows[@]}"; do
  IFS='|' read -r m core exact steps arena ref count allocate_count text runtime <<< "$row"
  printf '%-30s %-11s %-9s %5s %8s %10s %15s %14s %8s %8s\n' "$m" "$core" "$exact" "$steps" "$arena" "$ref" \
    "$count" "$allocate_count" "$text" "$runtime"
done
for m in "${!skipped[@]}"; do
  printf '%-30s skipped: %s\n' "$m" "${skipped[$m]}"
  # In CI every listed model must run: a skip would hide a regression.
  [ "${CI:-}" = "true" ] && failed=1
done

# The ESP32-S3 images: what each takes of the chip's 512 KiB of internal SRAM
# (code, then data, bss with the arena, stack), and its constants (model and
# reference data: flash on the chip, device/esp32s3/sram.ld).
if [[ " $cores " == *" esp32s3 "* ]]; then
  printf '\n%-30s %10s %15s %10s %10s  (ESP32-S3, bytes)\n' model code data+bss+stack "SRAM used" constants
  for m in $models; do
    elf="$build/esp32s3/mote_$m.elf"
    [ -f "$elf" ] || continue
    "$MOTE_ESP32S3_BINUTILS/xtensa-esp32s3-elf-nm" "$elf" | awk -v m="$m" '
      function hex(s,  i, v) { v = 0; s = tolower(s)
        for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return v }
      { at[$3] = hex($1) }
      END { code = at["__code_end"] - hex("40370000"); sram0 = code < 32768 ? code : 32768
            printf "%-30s %10d %15d %10d %10d\n", m, code, at["__stack"] - at["__data_bus_start"],
                   sram0 + at["__stack"] - hex("3fc88000"), at["__constants_end"] - at["__constants_start"] }'
  done
  echo "(SRAM: 524288 bytes on the chip)"
fi

# Per-op counts (--per-op): per model and core, the instructions of each op
# type in sample 0 (the OP lines of the run's log).
if [ $per_op -eq 1 ] && [ $build_only -eq 0 ]; then
  for m in $models; do
    [ -n "${skipped[$m]:-}" ] && continue
    for core in $cores; do
      out="$build/$core/mote_$m.log"
      grep -q '^OP node=' "$out" 2>/dev/null || continue
      printf '\n%s on %s, per op (sample 0):\n' "$m" "$core"
      awk '/^OP node=/ { split($3, o, "="); split($4, c, "="); n[o[2]]++; sum[o[2]] += c[2]; total += c[2] }
           END { by_count = "sort -k4 -n -r"
                 for (op in sum) printf "  %-24s %5d nodes %15d %6.1f%%\n", op, n[op], sum[op], 100 * sum[op] / total | by_count
                 close(by_count)
                 printf "  %-24s %5s       %15d\n", "all nodes", "", total }' "$out"
    done
  done
fi
cat <<EOF

bit-exact: every output of every sample, and for stateful models every output and state tensor after each
of the sequence's consecutive invokes on one interpreter (steps).
arena: mote's arena_used_bytes() on the device; TFLM arena: the reference's ILP32 figure.
instr/invoke: sample 0; lx106 and esp32s3 exact (ICOUNT), Cortex-M from qemu -icount via SysTick (~: +-40).
instr/alloc: the one allocate() (model checks, every op's prepare, memory plan), counted the same way.
.text: code of the whole image (runtime, runner, libc, helpers), from size -A;
runtime: the part of it from the mote runtime (ops of this model only), from the linker map.
EOF
echo "device-conformance: $(( $(date +%s) - started )) s, logs in $build/<core>/"
exit $failed

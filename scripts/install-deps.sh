#!/usr/bin/env bash
# Installs the Debian packages mote needs to build and test on the host.
# Safe to re-run: only missing packages are installed.
set -euo pipefail

packages=(
  cmake g++ make pkg-config           # build (pkg-config: the installed-package test)
  libflatbuffers-dev flatbuffers-compiler  # the host model of .tflite (tools/model/tflite.fbs, flatc)
  libcli11-dev nlohmann-json3-dev     # CLI parsing, JSON reports
  libstb-dev                          # image loading for calibration data
  libgtest-dev libbenchmark-dev       # tests and benchmarks
  clang libclang-rt-14-dev            # libFuzzer + sanitizer runtime
  valgrind                            # instruction counts (bench/)
  gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf  # Xtensa cross compiler: mote export's sources are compiled with it (tests/export_test.cc)
  gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi     # Cortex-M cross compiler (scripts/device-conformance.sh)
  qemu-system-misc qemu-system-arm    # emulated lx106 and Cortex-M4F/M55 cores (scripts/device-conformance.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs a built mote into a temporary prefix, then builds tests/package (a
# project outside the tree) against it twice, the two documented ways:
# find_package(mote) with CMake, and pkg-config's mote.pc with a plain c++
# command line; runs both and checks the output of the model they run.
#   check_install.sh BUILD_DIR SCRATCH_DIR
# MOTE_PACKAGE_FLAGS: compiler/linker flags the user project needs to link the
# installed libraries (the sanitizer flags of a -DMOTE_SANITIZE=ON build).
set -euo pipefail
build_dir=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
prefix=$scratch/prefix
rm -rf "$scratch"
mkdir -p "$scratch"

cmake --install "$build_dir" --prefix "$prefix" > "$scratch/install.log"
for f in include/mote/interpreter.h include/mote-tools/tools/model_builder.h bin/mote \
         lib/cmake/mote/moteConfig.cmake lib/pkgconfig/mote.pc; do
  [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done

expected="1 2 10"

echo "== find_package(mote)"
extra=${MOTE_PACKAGE_FLAGS:-}
cmake -S "$here" -B "$scratch/user" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" > "$scratch/configure.log"
cmake --build "$scratch/user" -j2 > "$scratch/build.log" || { cat "$scratch/build.log"; exit 1; }
"$scratch/user/write_model" "$scratch/model.tflite"
got=$("$scratch/user/run_model" "$scratch/model.tflite")
[ "$got" = "$expected" ] || { echo "run_model printed '$got', expected '$expected'"; exit 1; }
echo "run_model: $got"

echo "== pkg-config mote"
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs mote)
echo "c++ -std=c++17 run_model.cc $flags"
# shellcheck disable=SC2086
c++ -std=c++17 $extra "$here/run_model.cc" $flags -o "$scratch/run_model_pc"
got=$("$scratch/run_model_pc" "$scratch/model.tflite")
[ "$got" = "$expected" ] || { echo "run_model (pkg-config) printed '$got', expected '$expected'"; exit 1; }
echo "run_model (pkg-config): $got"

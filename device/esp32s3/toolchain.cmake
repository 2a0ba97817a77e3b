# ESP32-S3 (Xtensa LX7 with the FPU and the PIE SIMD extension), run on
# Espressif's qemu (qemu-system-xtensa -M esp32s3). The tools come from the
# environment, as an ESP-IDF user has them (scripts/device-conformance.sh
# checks them first and says what is missing):
#   MOTE_ESP32S3_BINUTILS  directory with xtensa-esp32s3-elf-as, -ld, -objdump:
#                          an assembler that knows the S3's EE.* instructions
#   MOTE_ESP32S3_CC        optional, Espressif's xtensa-esp32s3-elf-gcc; without
#                          it Debian's clang-22 with clang-esp32s3.cfg (the
#                          core's options; the S3 assembler assembles
#                          everything, inline asm included).
# The C library is Debian's picolibc-xtensa-lx106-elf (with the lx106 libgcc),
# call0 code that runs unchanged on the LX7, so the images are call0 ABI
# (ESP-IDF builds the windowed ABI: calls cost a few instructions more or less
# there). Linked by the S3's ld with device/esp32s3/sram.ld.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(MOTE_ESP32S3_BINUTILS "$ENV{MOTE_ESP32S3_BINUTILS}" CACHE PATH "directory with xtensa-esp32s3-elf-as/ld")
set(MOTE_ESP32S3_CC "$ENV{MOTE_ESP32S3_CC}" CACHE FILEPATH "Espressif's xtensa-esp32s3-elf-gcc (default: clang-22)")
if(NOT EXISTS "${MOTE_ESP32S3_BINUTILS}/xtensa-esp32s3-elf-ld")
  message(FATAL_ERROR "set MOTE_ESP32S3_BINUTILS to a directory holding xtensa-esp32s3-elf-as and -ld")
endif()
set(s3_tools "${MOTE_ESP32S3_BINUTILS}/xtensa-esp32s3-elf-")
set(picolibc /usr/lib/xtensa-lx106-elf)

if(MOTE_ESP32S3_CC)
  # Not tried in this repository's CI (no Espressif GCC there): its own
  # assembler knows the S3; -mabi=call0 to link with the call0 picolibc.
  set(CMAKE_C_COMPILER "${MOTE_ESP32S3_CC}")
  string(REGEX REPLACE "gcc$" "g++" MOTE_ESP32S3_CXX "${MOTE_ESP32S3_CC}")
  set(CMAKE_CXX_COMPILER "${MOTE_ESP32S3_CXX}")
  set(CMAKE_ASM_COMPILER "${MOTE_ESP32S3_CC}")
  set(core_flags "-mabi=call0 -mlongcalls -isystem ${picolibc}/include")
else()
  set(CMAKE_C_COMPILER clang-22)
  set(CMAKE_CXX_COMPILER clang++-22)
  set(CMAKE_ASM_COMPILER clang-22)
  set(CMAKE_C_COMPILER_TARGET xtensa)
  set(CMAKE_CXX_COMPILER_TARGET xtensa)
  set(CMAKE_ASM_COMPILER_TARGET xtensa)
  # The core's options, the S3 assembler and picolibc's headers (see there).
  set(core_flags "--config=${CMAKE_CURRENT_LIST_DIR}/clang-esp32s3.cfg -Wa,--mote-as=${s3_tools}as")
endif()
set(CMAKE_C_FLAGS_INIT "${core_flags}")
set(CMAKE_CXX_FLAGS_INIT "${core_flags}")
set(CMAKE_ASM_FLAGS_INIT "${core_flags}")

# Linked by ld itself (clang has no linker driver for this target): crt0,
# the objects, then picolibc and libgcc. device/CMakeLists.txt passes its
# link options with LINKER: so that they reach ld unwrapped.
execute_process(COMMAND xtensa-lx106-elf-gcc -print-libgcc-file-name OUTPUT_VARIABLE lx106_libgcc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
set(link_rule "${s3_tools}ld <LINK_FLAGS> ${picolibc}/lib/crt0-hosted.o <OBJECTS> -o <TARGET> <LINK_LIBRARIES> \
--start-group ${picolibc}/lib/libc.a ${lx106_libgcc} --end-group")
set(CMAKE_C_LINK_EXECUTABLE "${link_rule}")
set(CMAKE_CXX_LINK_EXECUTABLE "${link_rule}")
set(MOTE_DEVICE_LINK_WITH_LD ON)

set(MOTE_DEVICE_CORE esp32s3)
set(MOTE_DEVICE_PLATFORM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/reset.S
  ${CMAKE_CURRENT_LIST_DIR}/../xtensa/syscalls.c
  ${CMAKE_CURRENT_LIST_DIR}/../xtensa/libgcc_helpers.cc)
set(MOTE_DEVICE_PLATFORM_DEFINITIONS XTENSA_CORE_NAME="esp32s3")
# The PIE kernel paths (mote/build_config.h).
set(MOTE_DEVICE_RUNTIME_DEFINITIONS MOTE_ESP32S3_PIE=1)
# -z noexecstack: the lx106 libgcc objects carry no .note.GNU-stack.
set(MOTE_DEVICE_LINK_OPTIONS -T${CMAKE_CURRENT_LIST_DIR}/sram.ld -z noexecstack)
set(MOTE_DEVICE_LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/sram.ld)

# Xtensa lx106 (Debian: gcc-xtensa-lx106, picolibc-xtensa-lx106-elf), run on
# qemu-system-xtensa -M sim -cpu lx106.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)
set(CMAKE_C_COMPILER xtensa-lx106-elf-gcc)
set(CMAKE_CXX_COMPILER xtensa-lx106-elf-g++)
set(CMAKE_ASM_COMPILER xtensa-lx106-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(MOTE_PICOLIBC_SPECS /usr/lib/xtensa-lx106-elf/picolibc.specs)  # gcc needs its full path
set(CMAKE_C_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS} -mlongcalls")
set(CMAKE_CXX_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS} -mlongcalls")
set(CMAKE_ASM_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS}")
# Link with the C driver: there is no libstdc++ for this target (none is needed).
set(CMAKE_CXX_LINK_EXECUTABLE "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")

set(MOTE_DEVICE_CORE lx106)
set(MOTE_DEVICE_PLATFORM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/reset.S
  ${CMAKE_CURRENT_LIST_DIR}/syscalls.c
  ${CMAKE_CURRENT_LIST_DIR}/libgcc_helpers.cc)
set(MOTE_DEVICE_PLATFORM_DEFINITIONS XTENSA_CORE_NAME="lx106")
# picolibc's crt0 without semihosting ("hosted": copies .data, clears .bss,
# calls main and exit); reset.S sets the stack pointer first.
set(MOTE_DEVICE_LINK_OPTIONS --crt0=hosted -T${CMAKE_CURRENT_LIST_DIR}/sim.ld -Wl,--defsym=__ram_size=1048576)

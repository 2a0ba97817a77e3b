# Cortex-M with arm-none-eabi-gcc + picolibc semihosting (Debian:
# gcc-arm-none-eabi, picolibc-arm-none-eabi). MOTE_DEVICE_CORE selects the
# core and qemu board:
#   cortex-m4f  qemu-system-arm -M mps2-an386 (25 MHz; code and constants in
#               SSRAM1, RAM in SSRAM2/3)
#   cortex-m55  qemu-system-arm -M mps3-an547 (32 MHz; code in ITCM, constants
#               in SRAM, RAM in DTCM; secure aliases, as the core boots secure
#               with its vector table at 0x10000000)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

if(NOT MOTE_DEVICE_CORE)
  set(MOTE_DEVICE_CORE cortex-m4f)
endif()
set(MOTE_DEVICE_CORE ${MOTE_DEVICE_CORE} CACHE STRING "cortex-m4f or cortex-m55")
if(MOTE_DEVICE_CORE STREQUAL "cortex-m4f")
  set(cpu_flags "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
  set(clock_hz 25000000)
  set(memory __flash=0x00000000 __flash_size=0x100000 __rodata=0x00100000 __rodata_size=0x300000
             __ram=0x20000000 __ram_size=0x400000)
elseif(MOTE_DEVICE_CORE STREQUAL "cortex-m55")
  set(cpu_flags "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
  set(clock_hz 32000000)
  set(memory __flash=0x10000000 __flash_size=0x80000 __rodata=0x11000000 __rodata_size=0x200000
             __ram=0x30000000 __ram_size=0x80000)
else()
  message(FATAL_ERROR "unknown MOTE_DEVICE_CORE ${MOTE_DEVICE_CORE}")
endif()

set(MOTE_PICOLIBC_SPECS /usr/lib/picolibc/arm-none-eabi/picolibc.specs)
set(CMAKE_C_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS} ${cpu_flags}")
set(CMAKE_CXX_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS} ${cpu_flags}")
set(CMAKE_ASM_FLAGS_INIT "--specs=${MOTE_PICOLIBC_SPECS} ${cpu_flags}")
# Link with the C driver: the runtime needs no libstdc++.
set(CMAKE_CXX_LINK_EXECUTABLE "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")

set(MOTE_DEVICE_PLATFORM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/platform.c)
set(MOTE_DEVICE_PLATFORM_DEFINITIONS CPU_CLOCK_HZ=${clock_hz} CORE_NAME="${MOTE_DEVICE_CORE}")
# picolibc's semihosting crt0, with mps.ld for the memory layout.
set(MOTE_DEVICE_LINK_OPTIONS --oslib=semihost --crt0=semihost -T${CMAKE_CURRENT_LIST_DIR}/mps.ld
    -Wl,--defsym=__stack_size=0x8000)
foreach(symbol ${memory})
  list(APPEND MOTE_DEVICE_LINK_OPTIONS -Wl,--defsym=${symbol})
endforeach()

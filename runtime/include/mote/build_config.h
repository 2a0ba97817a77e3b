// How this copy of the runtime was built, for tools that report it, and the
// one place that decides whether the ESP32-S3's PIE kernel paths are compiled.
#pragma once

// MOTE_ESP32S3_PIE is defined (as 1) when the code is compiled for the
// ESP32-S3's core, whose PIE extension (the EE.* SIMD instructions) the PIE
// kernel paths use, and never for another target. Kernel sources include this
// header and test `#if defined(MOTE_ESP32S3_PIE)`. It comes from what the
// builds already say about the target:
//   - ESP-IDF, the Arduino-ESP32 core, and PlatformIO with either: an Xtensa
//     compiler (__XTENSA__), ESP_PLATFORM or ARDUINO_ARCH_ESP32, and the
//     project's sdkconfig.h with CONFIG_IDF_TARGET_ESP32S3 (idf.py set-target
//     esp32s3, an ESP32-S3 board);
//   - any other build defines it itself (device/esp32s3/toolchain.cmake).
// With MOTE_REFERENCE_KERNELS_ONLY the kernel selection runs the reference
// kernels whatever this says.
#if !defined(MOTE_ESP32S3_PIE) && defined(__XTENSA__) && (defined(ESP_PLATFORM) || defined(ARDUINO_ARCH_ESP32))
#if __has_include("sdkconfig.h")
#include "sdkconfig.h"
#endif
#if defined(CONFIG_IDF_TARGET_ESP32S3)
#define MOTE_ESP32S3_PIE 1
#endif
#endif

namespace mote {

// False when the runtime was built to run only the reference kernels (CMake
// option MOTE_REFERENCE_KERNELS, ESP-IDF Kconfig MOTE_REFERENCE_KERNELS_ONLY);
// then every op runs its reference kernel. The results are the same bytes.
bool optimized_kernels_enabled();

}  // namespace mote

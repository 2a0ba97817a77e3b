// What the conformance runner needs from each emulated core (device/<core>/).
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// A core-specific event counter around one invoke (instructions on Xtensa,
// SysTick ticks on Cortex-M). platform_counter_name() is NULL when the core
// has no usable counter.
void platform_counter_start(void);
// The count since platform_counter_start(), without stopping (per-op counts).
uint32_t platform_counter_read(void);
uint32_t platform_counter_stop(void);
const char* platform_counter_name(void);
const char* platform_name(void);

#ifdef __cplusplus
}
#endif

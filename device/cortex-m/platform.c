// Counter and name for the Cortex-M boards of qemu (mps2-an386: Cortex-M4F,
// mps3-an547: Cortex-M55). Console and exit go through picolibc's ARM
// semihosting (--oslib=semihost), startup is picolibc's crt0.
//
// qemu models no DWT cycle counter. Under -icount shift=0 every instruction
// advances qemu's virtual clock by exactly 1 ns, and SysTick (on the
// processor clock) counts that clock, so ticks * 1e9 / clock gives the
// executed instructions, to within one tick (CPU_CLOCK_HZ: 25 MHz on
// mps2-an386, 32 MHz on mps3-an547, i.e. 40 / 31.25 instructions per tick).
#include <stdint.h>

#include "../platform.h"

#ifndef CPU_CLOCK_HZ
#error "define CPU_CLOCK_HZ (the board's processor clock)"
#endif
#ifndef CORE_NAME
#error "define CORE_NAME"
#endif

#define SYST_CSR (*(volatile uint32_t*)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u)
#define SYST_CSR_ENABLE 1u
#define SYST_CSR_TICKINT 2u
#define SYST_CSR_PROCESSOR_CLOCK 4u
#define SYST_RELOAD 0xFFFFFFu

static volatile uint32_t systick_wraps;

// Replaces picolibc's weak default SysTick handler.
void arm_systick_isr(void) { ++systick_wraps; }

void platform_counter_start(void) {
  SYST_CSR = 0;
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0;  // any write clears it; it reloads on the next tick
  systick_wraps = 0;
  SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_PROCESSOR_CLOCK;
  while (SYST_CVR == 0) {
  }  // counting from SYST_RELOAD from here on
}

static uint32_t ticks_to_instructions(uint32_t wraps, uint32_t current) {
  const uint64_t ticks = (uint64_t)wraps * (SYST_RELOAD + 1u) + (SYST_RELOAD - current);
  return (uint32_t)(ticks * 1000000000ull / CPU_CLOCK_HZ);
}

uint32_t platform_counter_read(void) {
  uint32_t wraps, current;
  do {  // a wrap between the two reads would pair the new count with the old wrap total
    wraps = systick_wraps;
    current = SYST_CVR;
  } while (wraps != systick_wraps);
  return ticks_to_instructions(wraps, current);
}

uint32_t platform_counter_stop(void) {
  const uint32_t current = SYST_CVR;
  SYST_CSR = 0;
  return ticks_to_instructions(systick_wraps, current);
}

const char* platform_counter_name(void) { return "icount"; }
const char* platform_name(void) { return CORE_NAME; }

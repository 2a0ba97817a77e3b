// Console, exit, trap reporting and the instruction counter for the Xtensa
// cores: the lx106 on qemu's xtensa "sim" machine and the ESP32-S3's LX7 on
// Espressif's qemu (-M esp32s3). qemu implements the simulator's SIMCALL
// instruction when started with -semihosting: a2 = call number, a3..a5 =
// arguments, result in a2. picolibc has no semihosting layer for Xtensa, so
// stdout and _exit are here. XTENSA_CORE_NAME names the core (toolchain file).
#include <stdint.h>
#include <stdio.h>

#include "../platform.h"

#ifndef XTENSA_CORE_NAME
#error "define XTENSA_CORE_NAME (the core's name in the RESULT line)"
#endif

enum { kSysExit = 1, kSysWrite = 4 };

static int simcall(int call, int arg1, int arg2, int arg3) {
  register int a2 __asm__("a2") = call;
  register int a3 __asm__("a3") = arg1;
  register int a4 __asm__("a4") = arg2;
  register int a5 __asm__("a5") = arg3;
  __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
  return a2;
}

// Line-buffered so that each line is one simcall.
static char line[128];
static int line_length;

static int flush_console(FILE* file) {
  (void)file;
  if (line_length > 0) simcall(kSysWrite, 1, (int)(uintptr_t)line, line_length);
  line_length = 0;
  return 0;
}

static int put_console(char c, FILE* file) {
  line[line_length++] = c;
  if (c == '\n' || line_length == (int)sizeof(line)) flush_console(file);
  return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(put_console, NULL, flush_console, _FDEV_SETUP_WRITE);
FILE* const stdin = &console;
FILE* const stdout = &console;
FILE* const stderr = &console;

void _exit(int status) {
  flush_console(&console);
  simcall(kSysExit, status, 0, 0);
  for (;;) {
  }
}

// Called from the exception vectors (reset.S, trap.inc); `kind` is one of TRAP_* in trap.inc,
// `debug_epc` the EPC of the core's debug interrupt level (EPC2 on the lx106,
// EPC6 on the LX7).
void device_trap(int kind, uint32_t exccause, uint32_t epc1, uint32_t excvaddr, uint32_t debugcause,
                 uint32_t debug_epc) {
  static const char* const kinds[] = {"user exception", "kernel exception", "debug exception", "NMI",
                                      "window exception", "high-priority interrupt"};
  const int kind_count = (int)(sizeof(kinds) / sizeof(kinds[0]));
  flush_console(&console);
  printf("\nTRAP: %s, EXCCAUSE=%lu EPC1=0x%08lx EXCVADDR=0x%08lx DEBUGCAUSE=0x%lx DEBUG_EPC=0x%08lx\n",
         kind >= 0 && kind < kind_count ? kinds[kind] : "unknown vector", (unsigned long)exccause,
         (unsigned long)epc1, (unsigned long)excvaddr, (unsigned long)debugcause, (unsigned long)debug_epc);
  _exit(3);
}

// The Debug option's ICOUNT register counts every instruction executed while
// the current interrupt level is below ICOUNTLEVEL (PS.INTLEVEL is 0 after
// reset.S). Counting stops again in platform_counter_stop() so that it never
// wraps to 0, which would raise a debug exception.
void platform_counter_start(void) {
  __asm__ volatile(
      "movi a8, 0\n"
      "wsr a8, icount\n"
      "movi a8, 1\n"
      "wsr a8, icountlevel\n"
      "isync\n"
      :
      :
      : "a8");
}

uint32_t platform_counter_read(void) {
  uint32_t count;
  __asm__ volatile("rsr %0, icount" : "=r"(count));
  return count;
}

uint32_t platform_counter_stop(void) {
  uint32_t count;
  __asm__ volatile(
      "rsr %0, icount\n"
      "movi a8, 0\n"
      "wsr a8, icountlevel\n"
      "isync\n"
      : "=r"(count)
      :
      : "a8");
  return count;
}

const char* platform_counter_name(void) { return "instructions"; }
const char* platform_name(void) { return XTENSA_CORE_NAME; }

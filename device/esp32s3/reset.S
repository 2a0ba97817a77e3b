/* Start code for the ESP32-S3's Xtensa LX7 (core 0) on Espressif's qemu
 * (qemu-system-xtensa -M esp32s3 -kernel <image>), for call0 code: the images
 * are compiled for the call0 ABI so that they link with Debian's lx106
 * picolibc (call0 code runs unchanged on the LX7).
 *
 * qemu loads the ELF into internal SRAM and places a jump to its entry
 * (_reset) at the reset vector, 0x40000400, where the ROM would be. Reset
 * leaves PS.INTLEVEL at 15 (which also stops ICOUNT from counting) and
 * CPENABLE at 0 (every FPU or PIE instruction would raise a "coprocessor
 * disabled" exception), so both are set before picolibc's crt0 (--crt0=hosted:
 * copies .data, clears .bss, runs the constructors, calls main and exit) runs
 * any compiled code. Any exception ends the run through device_trap()
 * (device/xtensa/syscalls.c) with its cause, instead of spinning.
 *
 * The second core (the APP CPU) would start at the same empty reset vector
 * and execute zeros; scripts/device-conformance.sh points it at
 * device_park_app_cpu with `-device loader,addr=<its address>,cpu-num=1`.
 */

#include "../xtensa/trap.inc"

/* CPENABLE bits of this core's coprocessors: CP0 the FPU, CP3 "cop_ai",
 * the PIE state (Q registers, QACC, ACCX, SAR_BYTE, UA_STATE). */
#define CPENABLE_FPU_AND_PIE 0x09

        .section .reset.text, "ax"
        .global _reset
        .type   _reset, @function
_reset:
        j       .Lreset_body
        .balign 4
.Lstack_top:    .word __stack
.Lvector_base:  .word _vectors
.Lcrt0_start:   .word _start
        .balign 4
.Lreset_body:
        l32r    a1, .Lstack_top
        l32r    a2, .Lvector_base
        wsr     a2, vecbase
        movi    a2, 0
        wsr     a2, intenable
        /* One live register window at WINDOWBASE 0 (their reset values,
         * stated because call0 code never moves the window). */
        wsr     a2, windowbase
        movi    a2, 1
        wsr     a2, windowstart
        rsync
        movi    a2, CPENABLE_FPU_AND_PIE
        wsr     a2, cpenable
        /* PS = 0: INTLEVEL 0, EXCM clear, WOE clear (no window exceptions:
         * call0 code), kernel vector mode. */
        movi    a2, 0
        wsr     a2, ps
        rsync
        l32r    a0, .Lcrt0_start
        jx      a0
        .size   _reset, . - _reset

/* The APP CPU's whole program: sleep with every interrupt masked. */
        .balign 4
        .global device_park_app_cpu
        .type   device_park_app_cpu, @function
device_park_app_cpu:
        waiti   15
        j       device_park_app_cpu
        .size   device_park_app_cpu, . - device_park_app_cpu

/* Vector offsets of the ESP32-S3 configuration (XCHAL_*_VECOFS): window
 * vectors at 0x000-0x17f, interrupt levels 2..5 at 0x180-0x27f, debug
 * (level 6) 0x280, NMI (level 7) 0x2c0, kernel 0x300, user 0x340, double
 * exception 0x3c0. VECBASE must be 1 KiB aligned. */
        .section .vectors.text, "ax"
        .balign 1024
        .global _vectors
_vectors:
        .org    0x000           /* window overflow 4 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x040           /* window underflow 4 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x080           /* window overflow 8 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x0c0           /* window underflow 8 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x100           /* window overflow 12 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x140           /* window underflow 12 */
        movi    a2, TRAP_WINDOW
        j       .Ltrap
        .org    0x180           /* interrupt level 2 */
        movi    a2, TRAP_INTERRUPT
        j       .Ltrap
        .org    0x1c0           /* interrupt level 3 */
        movi    a2, TRAP_INTERRUPT
        j       .Ltrap
        .org    0x200           /* interrupt level 4 */
        movi    a2, TRAP_INTERRUPT
        j       .Ltrap
        .org    0x240           /* interrupt level 5 */
        movi    a2, TRAP_INTERRUPT
        j       .Ltrap
        .org    0x280           /* debug (level 6) */
        movi    a2, TRAP_DEBUG
        j       .Ltrap
        .org    0x2c0           /* NMI (level 7) */
        movi    a2, TRAP_NMI
        j       .Ltrap
        .org    0x300           /* kernel exception */
        movi    a2, TRAP_KERNEL
        j       .Ltrap
        .org    0x340           /* user exception */
        movi    a2, TRAP_USER
        j       .Ltrap
        .org    0x3c0           /* double exception */
        double_exception_exit_and_trap epc6

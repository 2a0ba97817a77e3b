/* Reset entry and exception vectors for the lx106 core on qemu's xtensa
 * "sim" machine (call0 ABI: no register windows).
 *
 * picolibc's crt0 (--crt0=hosted) copies .data, clears .bss, runs the
 * constructors and calls main, but does not set the stack pointer, so the
 * reset entry does that first. Any exception ends the run through
 * device_trap() (syscalls.c), which prints the cause and exits non-zero,
 * instead of spinning in an unmapped vector.
 */

#include "trap.inc"

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
        /* PS = 0: interrupt level 0, EXCM clear, kernel vector mode. Reset
         * leaves INTLEVEL at 15, which would also stop ICOUNT from counting. */
        wsr     a2, ps
        rsync
        l32r    a0, .Lcrt0_start
        jx      a0
        .size   _reset, . - _reset

/* Vector offsets of the lx106 configuration (XCHAL_*_VECOFS). */
        .section .vectors.text, "ax"
        .balign 1024
        .global _vectors
_vectors:
        .org    0x10            /* debug (level 2) */
        movi    a2, TRAP_DEBUG
        j       .Ltrap
        .org    0x20            /* NMI (level 3) */
        movi    a2, TRAP_NMI
        j       .Ltrap
        .org    0x30            /* kernel exception */
        movi    a2, TRAP_KERNEL
        j       .Ltrap
        .org    0x50            /* user exception */
        movi    a2, TRAP_USER
        j       .Ltrap
        .org    0x70            /* double exception */
        double_exception_exit_and_trap epc2

/* spin-console: a guest that spins with interrupts off for the console
 * boot test (tests/guest/spin.c). */
#ifndef GUEST_TESTS_SPIN_H
#define GUEST_TESTS_SPIN_H

/* About 10 s of guest time in Bochs (ips 50 M, TSC = instructions). */
#define SPIN_TICKS       500000000
/* A VM exit and the hypervisor's handling of it (the timer, the console)
 * take far less; a visible pause in the monitor takes far more. */
#define SPIN_STEP_LIMIT  2000000

#ifndef __ASSEMBLY__

/* Spin with interrupts off for SPIN_TICKS of the guest's TSC, then end the
 * run: success when no step of the TSC between two reads was larger than
 * SPIN_STEP_LIMIT (a pause in the hypervisor's monitor must not show).
 * Does not return. */
__attribute__((noreturn)) void spin_console(void);

/* quiet-console: report the spin quiet.S ran at entry, before the guest
 * touched the UART or any other port, as spin_console does, and end the
 * run (a failure when it did not run).  Does not return. */
__attribute__((noreturn)) void quiet_console(void);

/* Halt with interrupts off for good (halt-console).  Does not return. */
__attribute__((noreturn)) void halt_console(void);

#endif /* __ASSEMBLY__ */

#endif

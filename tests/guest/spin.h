/* spin-console: a guest that spins with interrupts off for the console
 * boot test (tests/guest/spin.c). */
#ifndef GUEST_TESTS_SPIN_H
#define GUEST_TESTS_SPIN_H

/* Spin with interrupts off for SPIN_TICKS of the guest's TSC, then end the
 * run: success when no step of the TSC between two reads was larger than
 * SPIN_STEP_LIMIT (a pause in the hypervisor's monitor must not show).
 * Does not return. */
__attribute__((noreturn)) void spin_console(void);

/* Halt with interrupts off for good (halt-console).  Does not return. */
__attribute__((noreturn)) void halt_console(void);

#endif

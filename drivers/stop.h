/*
 * How the hypervisor ends: one place that prints the verdict line and then
 * either ends the emulator (test-exit) or halts every CPU with interrupts
 * off.  Never returns, never reboots.  In drivers/ (it needs only the UART,
 * the emulator exit ports and the CPU) so the boot code can stop before
 * the core runs; panic() and fatal exceptions (arch/x86) reach it through
 * the stop hook hv_main installs (panic_set_stop_hook).
 */
#ifndef DRIVERS_STOP_H
#define DRIVERS_STOP_H

#include <stdbool.h>

/* Set from the command line at start-up. */
void hv_stop_set_test_exit(bool enabled);

/*
 * Print "[hv] verdict: PASS (<reason>)" or "[hv] verdict: FAIL (<reason>)"
 * and stop.
 */
__attribute__((noreturn)) void hv_stop(bool success, const char *reason);

#endif

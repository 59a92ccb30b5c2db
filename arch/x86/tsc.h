/*
 * The TSC's rate, measured once against the 8254 PIT (arch/x86/pit_delay.h):
 * for the hypervisor's own deadlines (the console's drain and input poll),
 * which it sets in TSC ticks.  In Bochs with `clock: sync=none` the TSC
 * counts instructions, so the figure is the emulator's ips.
 */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include <stdint.h>

/* TSC ticks per second; measured on the first call (2 ms of PIT time). */
uint64_t tsc_hz(void);

#endif

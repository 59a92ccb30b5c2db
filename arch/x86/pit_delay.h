/*
 * Busy-wait delays from the 8254 PIT's channel 2 (the one gated by port
 * 0x61, whose output can be read back there), for the few waits that must
 * last at least a given time before any other timer is calibrated: the
 * INIT/SIPI sequence.  Emulated time in an emulator, so it costs little.
 */
#ifndef ARCH_X86_PIT_DELAY_H
#define ARCH_X86_PIT_DELAY_H

#include <stdint.h>

/* Wait at least `us` microseconds.  Where no PIT answers, falls back to a
 * TSC loop long enough for any TSC up to PIT_DELAY_FALLBACK_TSC_MHZ. */
void pit_delay_us(uint32_t us);

#define PIT_DELAY_FALLBACK_TSC_MHZ 10000u

#endif

/*
 * The TSC rate (see arch/x86/tsc.h): TSC ticks across a PIT-timed wait.
 * pit_delay_us waits at least the time asked, so the rate may come out a
 * little high: deadlines computed from it fall a little late, never early
 * enough to matter.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pit_delay.h"
#include "arch/x86/tsc.h"

#define TSC_MEASURE_US  2000u
#define US_PER_SECOND   1000000u

static uint64_t measured_hz;

uint64_t tsc_hz(void)
{
	if (!measured_hz) {
		uint64_t start = rdtsc();

		pit_delay_us(TSC_MEASURE_US);
		measured_hz = (rdtsc() - start) * (US_PER_SECOND / TSC_MEASURE_US);
		if (!measured_hz)
			measured_hz = 1;
	}
	return measured_hz;
}

/*
 * PIT channel 2 one-shot delays (see arch/x86/pit_delay.h).  Mode 0
 * ("interrupt on terminal count"): OUT2 goes low when the count is loaded
 * and high when it reaches zero; port 0x61 bit 5 shows OUT2, bit 0 is the
 * channel's gate.  The speaker (bit 1) stays off.
 */
#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/pit_delay.h"

#define PIT_CHANNEL2         0x42
#define PIT_COMMAND          0x43
#define PIT_PORT_B           0x61       /* NMI status and control */
#define PORT_B_GATE2         0x01
#define PORT_B_SPEAKER       0x02
#define PORT_B_OUT2          0x20
/* Channel 2, lobyte/hibyte access, mode 0, binary. */
#define PIT_CMD_CH2_ONESHOT  0xb0
#define PIT_HZ               1193182u
#define PIT_MAX_COUNT        0xffffu
#define US_PER_S             1000000u
/* Chunk length: fits the 16-bit counter (at most about 54.9 ms). */
#define PIT_CHUNK_US         50000u
/* Polls of OUT2 before deciding the PIT is gone (far more than a chunk
 * takes on any machine that has one). */
#define PIT_POLL_LIMIT       100000000ull

/* The TSC fallback: at least `us` at any TSC rate up to the assumed maximum. */
static void tsc_delay_us(uint32_t us)
{
	uint64_t end = rdtsc() + (uint64_t)us * PIT_DELAY_FALLBACK_TSC_MHZ;

	while (rdtsc() < end)
		cpu_relax();
}

/* One chunk of at most PIT_CHUNK_US; false when OUT2 did not behave. */
static bool pit_chunk(uint32_t us)
{
	uint32_t count = (uint32_t)(((uint64_t)us * PIT_HZ + US_PER_S - 1) /
				    US_PER_S);

	if (count == 0)
		count = 1;
	if (count > PIT_MAX_COUNT)
		count = PIT_MAX_COUNT;
	outb(PIT_PORT_B, (inb(PIT_PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_COMMAND, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CHANNEL2, count & 0xff);
	outb(PIT_CHANNEL2, count >> 8);
	/* Loading the count drives OUT2 low; high right away means no PIT. */
	if (inb(PIT_PORT_B) & PORT_B_OUT2)
		return false;
	for (uint64_t i = 0; i < PIT_POLL_LIMIT; i++)
		if (inb(PIT_PORT_B) & PORT_B_OUT2)
			return true;
	return false;
}

void pit_delay_us(uint32_t us)
{
	while (us) {
		uint32_t chunk = us < PIT_CHUNK_US ? us : PIT_CHUNK_US;
		if (!pit_chunk(chunk))
			tsc_delay_us(chunk);
		us -= chunk;
	}
}

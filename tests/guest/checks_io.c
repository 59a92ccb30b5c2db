/*
 * Port I/O reaches the devices: the COM1 scratch register round-trips, the
 * CMOS clock reads a valid second, the PIT counts.
 */
#include "arch/x86/io.h"
#include "tests/guest/check.h"
#include "tests/guest/layout.h"
#include "tests/guest/pic.h"

#define CMOS_INDEX          0x70
#define CMOS_DATA           0x71
#define CMOS_SECONDS        0x00
#define CMOS_STATUS_A       0x0a
#define CMOS_STATUS_B       0x0b
#define CMOS_A_UIP          0x80   /* update in progress */
#define CMOS_B_BINARY       0x04   /* else BCD */
#define CMOS_UIP_SPIN_LIMIT 100000
#define PIT_TEST_HZ         100
#define PIT_SPIN_LIMIT      1000000

static const uint8_t scratch_patterns[] = { 0x5a, 0xa5, 0x00, 0xff };

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static enum verdict scratch_roundtrip(struct check_result *r)
{
	uint8_t saved = inb(COM1_BASE + UART_SCR);

	for (size_t i = 0; i < sizeof(scratch_patterns); i++) {
		outb(COM1_BASE + UART_SCR, scratch_patterns[i]);
		uint8_t got = inb(COM1_BASE + UART_SCR);
		if (got != scratch_patterns[i]) {
			outb(COM1_BASE + UART_SCR, saved);
			return fail(r, "COM1 scratch 0x%x: wrote 0x%x, read 0x%x",
				    COM1_BASE + UART_SCR, scratch_patterns[i], got);
		}
	}
	outb(COM1_BASE + UART_SCR, saved);
	return VERDICT_PASS;
}

static enum verdict cmos_seconds(struct check_result *r)
{
	for (int spin = 0; spin < CMOS_UIP_SPIN_LIMIT; spin++)
		if (!(cmos_read(CMOS_STATUS_A) & CMOS_A_UIP))
			break;
	uint8_t sec = cmos_read(CMOS_SECONDS);
	uint8_t binary = (cmos_read(CMOS_STATUS_B) & CMOS_B_BINARY) ?
		sec : (uint8_t)((sec >> 4) * 10 + (sec & 0xf));
	if (binary > 59 || (!(cmos_read(CMOS_STATUS_B) & CMOS_B_BINARY) &&
			    (sec & 0xf) > 9))
		return fail(r, "CMOS seconds register reads 0x%x", sec);
	return VERDICT_PASS;
}

/* Program channel 0 (IRQ0 stays masked) and watch the count change. */
static enum verdict pit_counts(struct check_result *r)
{
	pit_start_periodic(PIT_TEST_HZ);
	uint16_t first = pit_read_count();
	for (int spin = 0; spin < PIT_SPIN_LIMIT; spin++)
		if (pit_read_count() != first)
			return VERDICT_PASS;
	return fail(r, "PIT channel 0 count stuck at 0x%x", first);
}

enum verdict check_port_io(struct check_result *r)
{
	if (scratch_roundtrip(r) != VERDICT_PASS || cmos_seconds(r) != VERDICT_PASS)
		return VERDICT_FAIL;
	return pit_counts(r);
}

/*
 * Port I/O.  port_io: the devices are reached (the COM1 scratch register
 * round-trips, the CMOS clock reads a valid second, the PIT counts), and
 * string I/O works on COM1 (a line written by REP OUTSB reaches the serial
 * log, which the boot tests read; REP OUTSB and REP INSB in loopback) and
 * on the master 8259A's mask register.
 * port_hv_owned: the emulator exit ports the hypervisor keeps for itself
 * (hv/view/intercept.c) read all ones and drop writes, string forms
 * included, and each access exits.  port_power: the power and reset ports
 * the hypervisor watches (hv/view/power.c) still reach the device for
 * everything but a reset or power-off request.
 */
#include "arch/x86/io.h"
#include "drivers/emu_exit.h"
#include "drivers/reset.h"
#include "hv/exit/reason.h"
#include "tests/guest/check.h"
#include "tests/guest/exit_count.h"
#include "tests/guest/guest.h"
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

/* ---- string I/O on COM1 ------------------------------------------------------ */

#define UART_LSR_DR          0x01
#define UART_LSR_TEMT        0x40       /* transmitter and its FIFO empty */
#define UART_MCR_LOOP        0x10
#define UART_TX_FIFO_BYTES   16         /* what THRE promises room for */
#define LOOP_BYTES           4

/* The line the boot tests look for in the serial log (guest-checks.sh). */
static const char rep_outsb_line[] =
	"[guest] port_io: this line went out through rep outsb\r\n";

/* Wait (bounded) until LSR has all of bits; false on a dead UART. */
static bool uart_wait(uint8_t bits)
{
	for (uint32_t spin = 0; spin < UART_TX_SPIN_LIMIT; spin++)
		if ((inb(COM1_BASE + UART_LSR) & bits) == bits)
			return true;
	return false;
}

/* REP OUTSB of n bytes at p to port. */
static void rep_outsb_to(uint16_t port, const void *p, uint64_t n)
{
	__asm__ volatile("rep outsb" : "+S"(p), "+c"(n) : "d"(port) : "memory");
}

/* REP INSB of n bytes from port to p. */
static void rep_insb_from(uint16_t port, void *p, uint64_t n)
{
	__asm__ volatile("rep insb" : "+D"(p), "+c"(n) : "d"(port) : "memory");
}

/* REP OUTSB of n bytes at p to COM1's THR. */
static void rep_outsb(const void *p, uint64_t n)
{
	rep_outsb_to(COM1_BASE + UART_THR, p, n);
}

/* REP INSB of n bytes from COM1's RBR to p. */
static void rep_insb(void *p, uint64_t n)
{
	rep_insb_from(COM1_BASE + UART_THR, p, n);
}

/* rep_outsb_line through REP OUTSB, a transmit FIFO's worth at a time
 * (THRE: the FIFO is empty). */
static enum verdict string_out(struct check_result *r)
{
	for (size_t i = 0; i < sizeof(rep_outsb_line) - 1; i += UART_TX_FIFO_BYTES) {
		size_t n = sizeof(rep_outsb_line) - 1 - i;

		if (!uart_wait(UART_LSR_THRE))
			return fail(r, "COM1: THRE never set");
		rep_outsb(rep_outsb_line + i, n < UART_TX_FIFO_BYTES ? n : UART_TX_FIFO_BYTES);
	}
	return uart_wait(UART_LSR_TEMT) ? VERDICT_PASS :
					  fail(r, "COM1: TEMT never set");
}

/* In loopback (MCR), LOOP_BYTES sent by REP OUTSB come back by REP INSB. */
static enum verdict string_loopback(struct check_result *r)
{
	static const uint8_t sent[LOOP_BYTES] = { 0x11, 0x5a, 0xa5, 0xee };
	uint8_t got[LOOP_BYTES] = { 0 };
	uint8_t mcr = inb(COM1_BASE + UART_MCR);
	bool arrived;

	outb(COM1_BASE + UART_MCR, mcr | UART_MCR_LOOP);
	while (inb(COM1_BASE + UART_LSR) & UART_LSR_DR)   /* stale input */
		(void)inb(COM1_BASE + UART_THR);
	rep_outsb(sent, LOOP_BYTES);
	arrived = uart_wait(UART_LSR_TEMT | UART_LSR_DR);
	rep_insb(got, LOOP_BYTES);
	outb(COM1_BASE + UART_MCR, mcr);
	if (!arrived)
		return fail(r, "COM1 loopback: nothing arrived");
	if (memcmp(got, sent, LOOP_BYTES) != 0)
		return fail(r, "COM1 loopback by rep outsb/insb: got %02x %02x %02x %02x",
			    got[0], got[1], got[2], got[3]);
	return VERDICT_PASS;
}

/* The master 8259A's mask (OCW1) written back by OUTSB and read by INSB
 * (the console watches these ports under the hypervisor). */
static enum verdict string_pic_mask(struct check_result *r)
{
	uint8_t mask = inb(PIC1_DATA), got = (uint8_t)~mask;

	rep_outsb_to(PIC1_DATA, &mask, 1);
	rep_insb_from(PIC1_DATA, &got, 1);
	if (got != mask)
		return fail(r, "8259A mask by outsb/insb: wrote 0x%x, read 0x%x",
			    mask, got);
	return VERDICT_PASS;
}

enum verdict check_port_io(struct check_result *r)
{
	if (scratch_roundtrip(r) != VERDICT_PASS || cmos_seconds(r) != VERDICT_PASS ||
	    string_out(r) != VERDICT_PASS || string_loopback(r) != VERDICT_PASS ||
	    string_pic_mask(r) != VERDICT_PASS)
		return VERDICT_FAIL;
	return pit_counts(r);
}

/* ---- port_hv_owned -------------------------------------------------------- */

#define QEMU_DEBUG_EXIT_PORTS   4          /* isa-debug-exit,iosize=4: 0xf4-0xf7 */
#define ALL_ONES_8              0xffu
#define ALL_ONES_16             0xffffu
#define ALL_ONES_32             0xffffffffu
#define INS_FILL                0x5a       /* INS must overwrite it */
#define INS_COUNT               4

/* Port accesses made since the check began: each one must exit. */
static uint64_t io_accesses;

/* Read `port` with IN of 1, 2 and 4 bytes; false (with r filled) unless
 * each gave all ones. */
static bool reads_all_ones(struct check_result *r, uint16_t port)
{
	uint8_t b = inb(port);
	uint16_t w = inw(port);
	uint32_t l = inl(port);

	io_accesses += 3;
	if (b == ALL_ONES_8 && w == ALL_ONES_16 && l == ALL_ONES_32)
		return true;
	fail(r, "port 0x%x reads 0x%x/0x%x/0x%x (byte/word/dword), want all ones",
	     port, b, w, l);
	return false;
}

/* Every write an emulator would take as "end the run", bare. */
static void exit_writes(void)
{
	for (uint16_t i = 0; i < QEMU_DEBUG_EXIT_PORTS; i++)
		outb((uint16_t)(QEMU_DEBUG_EXIT_PORT + i), QEMU_EXIT_FAILURE);
	outw(QEMU_DEBUG_EXIT_PORT, QEMU_EXIT_FAILURE);
	outl(QEMU_DEBUG_EXIT_PORT, QEMU_EXIT_FAILURE);
	io_accesses += QEMU_DEBUG_EXIT_PORTS + 2;
	for (const char *c = BOCHS_SHUTDOWN_STRING; *c; c++, io_accesses++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*c);
}

/* REP OUTSB and REP INSB of the hypervisor's port: one exit each (RCX 0,
 * RSI/RDI advanced by the count), INS storing all ones as from a port
 * with nothing behind it. */
static enum verdict string_forms(struct check_result *r)
{
	static const char text[] = BOCHS_SHUTDOWN_STRING;
	uint8_t buf[INS_COUNT];
	uint64_t n = sizeof(text) - 1, rsi = (uint64_t)text, rdi = (uint64_t)buf;
	uint64_t out_rcx = n, in_rcx = INS_COUNT;

	memset(buf, INS_FILL, sizeof(buf));
	__asm__ volatile("cld; rep outsb" : "+S"(rsi), "+c"(out_rcx)
			 : "d"(BOCHS_SHUTDOWN_PORT) : "memory");
	__asm__ volatile("cld; rep insb" : "+D"(rdi), "+c"(in_rcx)
			 : "d"(BOCHS_SHUTDOWN_PORT) : "memory");
	io_accesses += 2;
	if (out_rcx || rsi != (uint64_t)text + n)
		return fail(r, "REP OUTSB of %lu bytes left RCX %lu, RSI +%lu", n,
			    out_rcx, rsi - (uint64_t)text);
	if (in_rcx || rdi != (uint64_t)buf + INS_COUNT)
		return fail(r, "REP INSB of %d bytes left RCX %lu, RDI +%lu", INS_COUNT,
			    in_rcx, rdi - (uint64_t)buf);
	for (int i = 0; i < INS_COUNT; i++)
		if (buf[i] != ALL_ONES_8)
			return fail(r, "REP INSB stored 0x%x at byte %d, want 0x%x",
				    buf[i], i, ALL_ONES_8);
	return VERDICT_PASS;
}

/* The I/O-instruction exits counted since `before` must be io_accesses. */
static enum verdict all_exited(struct check_result *r, uint64_t before)
{
	uint64_t after;

	if (!exit_stats_fetch() ||
	    !exit_stats_count(EXIT_REASON_IO_INSTRUCTION, &after))
		return fail(r, "HC_GET_EXIT_STATS: no usable exit table");
	if (after - before != io_accesses)
		return fail(r, "%lu I/O-instruction exits counted for %lu accesses",
			    after - before, io_accesses);
	return VERDICT_PASS;
}

/* Bare these are the emulator's own exit ports: a write would end the run.
 * Under the hypervisor the writes must be dropped: a run that ends inside
 * this check (no result line) means one reached the emulator. */
enum verdict check_port_hv_owned(struct check_result *r)
{
	uint64_t before;

	if (!guest_env.under_hv)
		return skip(r, "bare: 0x%x and 0x%x are the emulator's exit ports",
			    QEMU_DEBUG_EXIT_PORT, BOCHS_SHUTDOWN_PORT);
	if (!exit_stats_fetch() ||
	    !exit_stats_count(EXIT_REASON_IO_INSTRUCTION, &before))
		return fail(r, "HC_GET_EXIT_STATS: no usable exit table");
	io_accesses = 0;
	for (uint16_t i = 0; i < QEMU_DEBUG_EXIT_PORTS; i++)
		if (!reads_all_ones(r, (uint16_t)(QEMU_DEBUG_EXIT_PORT + i)))
			return VERDICT_FAIL;
	if (!reads_all_ones(r, BOCHS_SHUTDOWN_PORT))
		return VERDICT_FAIL;
	exit_writes();
	if (string_forms(r) != VERDICT_PASS)
		return VERDICT_FAIL;
	return all_exited(r, before);
}

/* ---- port_power ----------------------------------------------------------- */

#define PCI_CONFIG_ADDRESS      0xcf8      /* dword; its byte 1 is 0xcf9 */
#define PCI_CONFIG_DATA         0xcfc
#define PCI_CONFIG_ENABLE       0x80000000u   /* bus 0, device 0, register 0 */
#define PCI_VENDOR_MASK         0xffffu
#define PCI_VENDOR_NONE         0xffffu

/* A dword at 0xCF8 is PCI CONFIG_ADDRESS, not the reset register at 0xCF9
 * it overlaps: it must round-trip, and select the host bridge's ID. */
static enum verdict config_address(struct check_result *r)
{
	uint32_t saved = inl(PCI_CONFIG_ADDRESS);

	outl(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE);
	uint32_t got = inl(PCI_CONFIG_ADDRESS);
	uint32_t id = inl(PCI_CONFIG_DATA);
	outl(PCI_CONFIG_ADDRESS, saved);
	io_accesses += 4;                  /* 0xCFC is not intercepted */
	if (got != PCI_CONFIG_ENABLE)
		return fail(r, "PCI CONFIG_ADDRESS (dword 0x%x): wrote 0x%x, read 0x%x",
			    PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE, got);
	if ((id & PCI_VENDOR_MASK) == PCI_VENDOR_NONE)
		return fail(r, "PCI 0:0.0 reads ID 0x%x: no host bridge seen", id);
	return VERDICT_PASS;
}

/* SYS_RST alone selects the kind of reset without starting one: the
 * write must reach the register and read back. */
static enum verdict reset_control(struct check_result *r)
{
	uint8_t saved = inb(PORT_RESET_CONTROL);
	static const uint8_t values[] = { RESET_CONTROL_SYS_RST, 0 };

	io_accesses++;
	for (size_t i = 0; i < sizeof(values); i++) {
		outb(PORT_RESET_CONTROL, values[i]);
		uint8_t got = inb(PORT_RESET_CONTROL);
		io_accesses += 2;
		if ((got & RESET_CONTROL_SYS_RST) != values[i]) {
			outb(PORT_RESET_CONTROL, saved & RESET_CONTROL_SYS_RST);
			return fail(r, "reset control 0x%x: wrote 0x%x, read 0x%x",
				    PORT_RESET_CONTROL, values[i], got);
		}
	}
	outb(PORT_RESET_CONTROL, saved & RESET_CONTROL_SYS_RST);
	io_accesses++;
	return VERDICT_PASS;
}

/* Bare and under the hypervisor alike: the accesses are the device's.
 * Under the hypervisor each one also exits (the exit count proves the
 * ports are watched, not merely passed through by the I/O bitmaps). */
enum verdict check_port_power(struct check_result *r)
{
	uint64_t before = 0;

	/* Under the hypervisor all ones would be its answer, not the
	 * machine's: there the check goes on and fails. */
	if (!guest_env.under_hv && inl(PCI_CONFIG_ADDRESS) == ALL_ONES_32)
		return skip(r, "bare: no PCI configuration mechanism at 0x%x",
			    PCI_CONFIG_ADDRESS);
	if (guest_env.under_hv && (!exit_stats_fetch() ||
	    !exit_stats_count(EXIT_REASON_IO_INSTRUCTION, &before)))
		return fail(r, "HC_GET_EXIT_STATS: no usable exit table");
	io_accesses = 0;
	if (config_address(r) != VERDICT_PASS || reset_control(r) != VERDICT_PASS)
		return VERDICT_FAIL;
	return guest_env.under_hv ? all_exited(r, before) : VERDICT_PASS;
}

/*
 * forge-verdict (a command-line word): the guest attacks the hypervisor's
 * voice on the serial line it shares (issue 8).  It prints a line that
 * looks exactly like the hypervisor's PASS verdict, says PASS on Bochs's
 * verdict port 0xE9 as well, then programs COM1 so that every later byte
 * is swallowed or garbled (loopback, DLAB left set, 9600 baud, 5 data bits
 * with parity) and ends the run as a failure.  Before that it asks the
 * hypervisor to log a line through the silenced UART and checks that it
 * finds its own line state unchanged afterwards.
 *
 * Expected (tests/boot/56-bochs-guest-faults.sh): the hypervisor's lines
 * and its FAIL verdict on the wire after the forged line, the 0xE9 write
 * dropped, and the emulator's exit channel saying FAIL.
 */
#include <stdint.h>

#include "arch/x86/io.h"
#include "hv/exit/hypercall.h"
#include "tests/guest/console.h"
#include "tests/guest/forge.h"
#include "tests/guest/guest.h"
#include "tests/guest/layout.h"

#define FORGED_VERDICT   "[hv] verdict: PASS (guest reported success (HC_TEST_EXIT))\r\n"
#define FORGED_E9        "HV-VERDICT PASS\n"
#define BOCHS_E9_PORT    0xe9
#define HV_LINE          "forge-verdict: the hypervisor speaks through a silenced COM1\n"

#define UART_LSR_TEMT    0x40       /* transmitter empty */
#define UART_LCR_WLEN5   0x00
#define UART_LCR_PARITY  0x08
#define UART_MCR_LOOP    0x10
#define FORGE_DIVISOR    12         /* 9600 baud */
#define FORGE_LCR        (UART_LCR_DLAB | UART_LCR_PARITY | UART_LCR_WLEN5)
#define FORGE_MCR        (UART_MCR_LOOP | UART_MCR_DTR_RTS_OUT2)
#define BYTE_BITS        8

struct line_state {
	uint8_t lcr, mcr;
	uint16_t divisor;
};

static uint8_t com1_in(uint16_t reg)
{
	return inb((uint16_t)(COM1_BASE + reg));
}

static void com1_out(uint16_t reg, uint8_t value)
{
	outb((uint16_t)(COM1_BASE + reg), value);
}

/* LCR, MCR and the divisor latch, LCR written back as it was. */
static struct line_state com1_line(void)
{
	struct line_state s = { com1_in(UART_LCR), com1_in(UART_MCR), 0 };

	com1_out(UART_LCR, (uint8_t)(s.lcr | UART_LCR_DLAB));
	s.divisor = (uint16_t)(com1_in(UART_DLL) |
			       (com1_in(UART_DLM) << BYTE_BITS));
	com1_out(UART_LCR, s.lcr);
	return s;
}

/* Loopback, 9600 baud, 5 data bits with parity, and DLAB left set so that
 * a write to THR lands in the divisor latch. */
static void com1_silence(void)
{
	com1_out(UART_LCR, UART_LCR_DLAB);
	com1_out(UART_DLL, FORGE_DIVISOR);
	com1_out(UART_DLM, 0);
	com1_out(UART_LCR, FORGE_LCR);
	com1_out(UART_MCR, FORGE_MCR);
}

/* Wait (bounded) for one of `bits` in LSR. */
static void com1_wait(uint8_t bits)
{
	for (uint32_t spin = 0; spin < UART_TX_SPIN_LIMIT; spin++)
		if (com1_in(UART_LSR) & bits)
			return;
}

/* The forged lines: the verdict as the hypervisor prints it on COM1, and
 * as it says it on Bochs's port 0xE9. */
static void forge_lines(void)
{
	for (const char *p = FORGED_VERDICT; *p; p++) {
		com1_wait(UART_LSR_THRE);
		com1_out(UART_THR, (uint8_t)*p);
	}
	for (const char *p = FORGED_E9; *p; p++)
		outb(BOCHS_E9_PORT, (uint8_t)*p);
	com1_wait(UART_LSR_TEMT);    /* before loopback could swallow it */
}

/* Report (on a working console) whether the hypervisor's line left the
 * guest's line state as the guest had set it. */
static void report_line_state(const struct line_state *before,
			      const struct line_state *after)
{
	console_init();
	if (before->lcr == after->lcr && before->mcr == after->mcr &&
	    before->divisor == after->divisor)
		say("forge-verdict: line state kept (lcr 0x%x mcr 0x%x divisor %u)",
		    after->lcr, after->mcr, after->divisor);
	else
		say("forge-verdict: line state changed: lcr 0x%x->0x%x mcr 0x%x->0x%x divisor %u->%u",
		    before->lcr, after->lcr, before->mcr, after->mcr,
		    before->divisor, after->divisor);
}

void forge_verdict(void)
{
	static const char hv_line[] = HV_LINE;
	struct line_state before, after;

	if (!guest_env.under_hv) {
		say("forge-verdict: SKIP: not under the hypervisor");
		guest_exit(false);
	}
	say("forge-verdict: forging the verdict, then silencing COM1");
	forge_lines();
	com1_silence();
	before = com1_line();
	hypercall(HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)hv_line,
		  sizeof(hv_line) - 1, 0);
	after = com1_line();
	report_line_state(&before, &after);
	com1_silence();
	guest_exit(false);
}

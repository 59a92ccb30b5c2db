/*
 * drivers/uart_line.c: the hypervisor's lines reach the wire whatever line
 * state the guest left in the shared UART, and the guest gets its state
 * back.  Run over a model of a 16550's registers that sends a THR byte to
 * the "wire" only outside loopback, and records under which settings.
 */
#include "drivers/uart16550.h"
#include "drivers/uart_line.h"
#include "tests/unit/test.h"

#define HV_DIVISOR      1       /* 115200 baud */
#define GUEST_DIVISOR   12      /* 9600 baud */
#define LCR_WLEN5_PARITY 0x08   /* 5 data bits, parity on */
#define LCR_BREAK        0x40
#define WIRE_MAX        64
#define ACCESS_MAX      64

static struct fake_uart {
	uint8_t lcr, mcr, ier, dll, dlm;
	uint8_t pending;                 /* bytes in the transmitter */
	char wire[WIRE_MAX];             /* bytes that left as 8N1 at HV_DIVISOR */
	int wire_len;
	int garbled;                     /* bytes that left any other way */
	int looped;                      /* bytes swallowed by loopback */
	int accesses;
	int drains;
} uart;

static bool dlab(void)
{
	return uart.lcr & UART_LCR_DLAB;
}

static uint8_t fake_in(uint16_t reg)
{
	uart.accesses++;
	switch (reg) {
	case UART_DLL: return dlab() ? uart.dll : 0;
	case UART_DLM: return dlab() ? uart.dlm : uart.ier;
	case UART_LCR: return uart.lcr;
	case UART_MCR: return uart.mcr;
	case UART_LSR: return uart.pending ? 0 : UART_LSR_THRE | UART_LSR_TEMT;
	default: return 0xff;
	}
}

/* A THR byte goes out with the line state of the moment it is written. */
static void transmit(uint8_t byte)
{
	bool ours = uart.lcr == UART_LCR_WLEN8 &&
		    uart.dll == HV_DIVISOR && uart.dlm == 0;

	if (uart.mcr & UART_MCR_LOOP)
		uart.looped++;
	else if (ours && uart.wire_len < WIRE_MAX)
		uart.wire[uart.wire_len++] = (char)byte;
	else
		uart.garbled++;
}

static void fake_out(uint16_t reg, uint8_t value)
{
	uart.accesses++;
	switch (reg) {
	case UART_THR:
		if (dlab())
			uart.dll = value;
		else
			transmit(value);
		break;
	case UART_DLM:
		if (dlab())
			uart.dlm = value;
		else
			uart.ier = value;
		break;
	case UART_LCR: uart.lcr = value; break;
	case UART_MCR: uart.mcr = value; break;
	default: break;
	}
}

static void fake_drain(void)
{
	uart.drains++;
	uart.pending = 0;
}

static const struct uart_io fake_io = { fake_in, fake_out, fake_drain };

static void uart_reset(uint8_t lcr, uint8_t mcr, uint16_t divisor)
{
	uart = (struct fake_uart){ .lcr = lcr, .mcr = mcr, .ier = 0x0f,
				   .dll = (uint8_t)divisor,
				   .dlm = (uint8_t)(divisor >> 8) };
}

/* The hypervisor's part of serial_write: enter, the line's bytes, leave. */
static void hv_line(const char *text)
{
	struct uart_line guest;
	bool switched = uart_line_enter(&fake_io, HV_DIVISOR, &guest);

	for (const char *p = text; *p; p++)
		fake_out(UART_THR, (uint8_t)*p);
	uart_line_leave(&fake_io, &guest, switched);
}

TEST(uart_line_save_reads_without_changing)
{
	uart_reset(UART_LCR_DLAB | LCR_WLEN5_PARITY,
		   UART_MCR_LOOP | UART_MCR_OUT2, 0x1234);
	struct uart_line s = uart_line_save(&fake_io);

	CHECK_EQ(s.lcr, UART_LCR_DLAB | LCR_WLEN5_PARITY);
	CHECK_EQ(s.mcr, UART_MCR_LOOP | UART_MCR_OUT2);
	CHECK_EQ(s.divisor, 0x1234);
	CHECK_EQ(uart.lcr, UART_LCR_DLAB | LCR_WLEN5_PARITY);
	CHECK_EQ(uart.mcr, UART_MCR_LOOP | UART_MCR_OUT2);
	CHECK_EQ(uart.dll, 0x34);
	CHECK_EQ(uart.dlm, 0x12);
	CHECK_EQ(uart.accesses, 6);
}

TEST(uart_line_own_is_8n1_no_loopback_keeps_out2)
{
	struct uart_line guest = { .lcr = UART_LCR_DLAB | LCR_BREAK,
				   .mcr = UART_MCR_LOOP | UART_MCR_OUT2,
				   .divisor = GUEST_DIVISOR };
	struct uart_line own = uart_line_own(&guest, HV_DIVISOR);

	CHECK_EQ(own.lcr, UART_LCR_WLEN8);
	CHECK_EQ(own.mcr, UART_MCR_OUT2 | UART_MCR_DTR | UART_MCR_RTS);
	CHECK_EQ(own.divisor, HV_DIVISOR);
}

/* The attack of issue 8: loopback, DLAB left set, another divisor and
 * word length.  Every byte of the line still leaves as sent. */
TEST(uart_line_hostile_state_line_reaches_wire)
{
	uart_reset(UART_LCR_DLAB | LCR_WLEN5_PARITY,
		   UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2,
		   GUEST_DIVISOR);
	hv_line("verdict: FAIL");
	CHECK_EQ(uart.wire_len, 13);
	CHECK(memcmp(uart.wire, "verdict: FAIL", 13) == 0);
	CHECK_EQ(uart.looped, 0);
	CHECK_EQ(uart.garbled, 0);
}

TEST(uart_line_hostile_state_restored)
{
	uint8_t lcr = UART_LCR_DLAB | LCR_WLEN5_PARITY | LCR_BREAK;
	uint8_t mcr = UART_MCR_LOOP | UART_MCR_OUT1;

	uart_reset(lcr, mcr, GUEST_DIVISOR);
	hv_line("x");
	CHECK_EQ(uart.lcr, lcr);
	CHECK_EQ(uart.mcr, mcr);
	CHECK_EQ(uart.dll, GUEST_DIVISOR);
	CHECK_EQ(uart.dlm, 0);
	CHECK_EQ(uart.ier, 0x0f);               /* never touched */
	/* Once before ours (the guest's bytes) and once before the guest's
	 * state comes back (ours). */
	CHECK_EQ(uart.drains, 2);
}

/* Each register the guest can change on its own is caught. */
TEST(uart_line_each_register_caught)
{
	static const struct { uint8_t lcr, mcr; uint16_t div; } cases[] = {
		{ UART_LCR_WLEN8 | UART_LCR_DLAB, UART_MCR_DTR | UART_MCR_RTS, HV_DIVISOR },
		{ UART_LCR_WLEN8, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_LOOP, HV_DIVISOR },
		{ UART_LCR_WLEN8, UART_MCR_DTR | UART_MCR_RTS, GUEST_DIVISOR },
		{ UART_LCR_WLEN8, UART_MCR_DTR | UART_MCR_RTS, 0x100 | HV_DIVISOR },
		{ LCR_WLEN5_PARITY, UART_MCR_DTR | UART_MCR_RTS, HV_DIVISOR },
		{ UART_LCR_WLEN8 | LCR_BREAK, UART_MCR_DTR | UART_MCR_RTS, HV_DIVISOR },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uart_reset(cases[i].lcr, cases[i].mcr, cases[i].div);
		hv_line("ok");
		CHECK_EQ(uart.wire_len, 2);
		CHECK_EQ(uart.garbled + uart.looped, 0);
		CHECK_EQ(uart.lcr, cases[i].lcr);
		CHECK_EQ(uart.mcr, cases[i].mcr);
		CHECK_EQ(uart.dll | (uart.dlm << 8), cases[i].div);
	}
}

/* A guest that left our state (a Linux console at 115200 8N1) costs six
 * register accesses per line and no drain. */
TEST(uart_line_own_state_fast_path)
{
	uint8_t mcr = UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2;

	uart_reset(UART_LCR_WLEN8, mcr, HV_DIVISOR);
	hv_line("abc");
	CHECK_EQ(uart.wire_len, 3);
	CHECK_EQ(uart.accesses, 6 + 3);
	CHECK_EQ(uart.drains, 0);
	CHECK_EQ(uart.mcr, mcr);
}

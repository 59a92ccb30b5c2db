/*
 * 16550 UART, polled (register names as in the National Semiconductor
 * PC16550D data sheet).  Every wait is bounded: a UART that stops answering
 * makes the log go quiet, never hangs the hypervisor.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/serial.h"

/* Register offsets from the base port. */
#define UART_RBR 0          /* receiver buffer (read, DLAB=0) */
#define UART_THR 0          /* transmitter holding (write, DLAB=0) */
#define UART_DLL 0          /* divisor latch low (DLAB=1) */
#define UART_IER 1          /* interrupt enable (DLAB=0) */
#define UART_DLM 1          /* divisor latch high (DLAB=1) */
#define UART_FCR 2          /* FIFO control (write) */
#define UART_LCR 3          /* line control */
#define UART_MCR 4          /* modem control */
#define UART_LSR 5          /* line status */
#define UART_SCR 7          /* scratch */

#define UART_LCR_WLEN8      0x03    /* 8 data bits, 1 stop bit, no parity */
#define UART_LCR_DLAB       0x80    /* divisor latch access */
#define UART_FCR_ENABLE     0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_FCR_CLEAR_XMIT 0x04
#define UART_FCR_TRIGGER_14 0xc0
#define UART_MCR_DTR        0x01
#define UART_MCR_RTS        0x02
#define UART_MCR_OUT1       0x04
#define UART_MCR_OUT2       0x08
#define UART_MCR_LOOP       0x10
#define UART_LSR_DR         0x01    /* a received byte is waiting */
#define UART_LSR_THRE       0x20    /* transmitter holding register empty */
#define UART_LSR_TEMT       0x40    /* holding and shift registers empty */

/* The divisor latch counts a 1.8432 MHz clock / 16. */
#define UART_BASE_BAUD      115200
#define UART_DIVISOR_MAX    0xffff

#define UART_SCRATCH_TEST_1 0x5a
#define UART_SCRATCH_TEST_2 0xa5
#define UART_LOOPBACK_BYTE  0xae

/*
 * Status polls before giving up.  One byte at 115200 baud takes 87 us and
 * a port read about 1 us on hardware, so this is far beyond one byte time
 * even at slow rates; in an emulator a poll is much cheaper still.
 */
#define UART_POLL_LIMIT     1000000u

static uint16_t uart_port;
static bool uart_present;

static uint8_t uart_in(uint16_t reg)
{
	return inb((uint16_t)(uart_port + reg));
}

static void uart_out(uint16_t reg, uint8_t value)
{
	outb((uint16_t)(uart_port + reg), value);
}

/* Wait for one of the `bits` in LSR; false after UART_POLL_LIMIT polls. */
static bool uart_wait_lsr(uint8_t bits)
{
	for (uint32_t i = 0; i < UART_POLL_LIMIT; i++) {
		if (uart_in(UART_LSR) & bits)
			return true;
		cpu_relax();
	}
	return false;
}

/* Reading back what was written to the scratch register: floating (0xff)
 * or absent ports fail this. */
static bool uart_scratch_ok(void)
{
	uart_out(UART_SCR, UART_SCRATCH_TEST_1);
	if (uart_in(UART_SCR) != UART_SCRATCH_TEST_1)
		return false;
	uart_out(UART_SCR, UART_SCRATCH_TEST_2);
	return uart_in(UART_SCR) == UART_SCRATCH_TEST_2;
}

/* Send one byte to ourselves in loopback mode: proves a working UART,
 * not just a register that remembers. */
static bool uart_loopback_ok(void)
{
	bool ok;

	uart_out(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT1 |
			   UART_MCR_OUT2);
	while (uart_in(UART_LSR) & UART_LSR_DR)
		(void)uart_in(UART_RBR);        /* drop stale input */
	uart_out(UART_THR, UART_LOOPBACK_BYTE);
	ok = uart_wait_lsr(UART_LSR_DR) &&
	     uart_in(UART_RBR) == UART_LOOPBACK_BYTE;
	uart_out(UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
	return ok;
}

static void uart_program(uint16_t divisor)
{
	uart_out(UART_IER, 0);                  /* polled: no interrupts */
	uart_out(UART_LCR, UART_LCR_DLAB);
	uart_out(UART_DLL, (uint8_t)(divisor & 0xff));
	uart_out(UART_DLM, (uint8_t)(divisor >> 8));
	uart_out(UART_LCR, UART_LCR_WLEN8);
	uart_out(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR |
			   UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_14);
}

bool serial_init(uint16_t port, uint32_t baud)
{
	uart_present = false;
	uart_port = port;
	if (baud == 0 || UART_BASE_BAUD / baud == 0 ||
	    UART_BASE_BAUD / baud > UART_DIVISOR_MAX)
		return false;
	if (!uart_scratch_ok())
		return false;
	/* Whatever an earlier user (firmware, loader, our own early log)
	 * still has in the FIFO would be cut off by the FIFO reset, or looped
	 * back into the test below: let it go out first. */
	(void)uart_wait_lsr(UART_LSR_TEMT);
	uart_program((uint16_t)(UART_BASE_BAUD / baud));
	if (!uart_loopback_ok())
		return false;
	uart_present = true;
	return true;
}

bool serial_present(void)
{
	return uart_present;
}

uint16_t serial_port(void)
{
	return uart_port;
}

/* A UART that stays busy past the poll limit is taken as gone. */
static void uart_putc(char c)
{
	if (!uart_wait_lsr(UART_LSR_THRE)) {
		uart_present = false;
		return;
	}
	uart_out(UART_THR, (uint8_t)c);
}

void serial_write(const char *text, size_t len)
{
	for (size_t i = 0; i < len && uart_present; i++) {
		if (text[i] == '\n')
			uart_putc('\r');
		uart_putc(text[i]);
	}
}

void serial_flush(void)
{
	if (uart_present)
		(void)uart_wait_lsr(UART_LSR_TEMT);
}

int serial_getc(void)
{
	if (!uart_present || !(uart_in(UART_LSR) & UART_LSR_DR))
		return -1;
	return uart_in(UART_RBR);
}

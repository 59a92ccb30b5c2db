/*
 * 16550 UART, polled (register names as in the National Semiconductor
 * PC16550D data sheet).  Every wait is bounded: a UART that stops answering
 * makes the log go quiet, never hangs the hypervisor.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/serial.h"
#include "drivers/uart16550.h"
#include "drivers/uart_line.h"
#include "drivers/uart_regs.h"

#define UART_DIVISOR_MAX    0xffff

#define UART_SCRATCH_TEST_1 0x5a
#define UART_SCRATCH_TEST_2 0xa5
#define UART_LOOPBACK_BYTE  0xae

static struct uart_regs uart_at;      /* where the registers are */
static uint16_t uart_divisor;           /* the hypervisor's baud rate */
static bool uart_present;
static uint32_t uart_fifo_depth;        /* bytes the transmitter takes at once */

#define UART_FIFO_DEPTH_16550A 16

/* Read register reg: a port, or a byte or dword in memory (the
 * hypervisor's page tables map every physical address one to one). */
static uint8_t uart_in(uint16_t reg)
{
	uint64_t at = uart_at.base + ((uint64_t)reg << uart_at.shift);

	if (uart_at.space == UART_SPACE_IO)
		return inb((uint16_t)at);
	if (uart_at.width == sizeof(uint32_t))
		return (uint8_t)*(volatile uint32_t *)(uintptr_t)at;
	return *(volatile uint8_t *)(uintptr_t)at;
}

/* Write register reg, as uart_in reads it. */
static void uart_out(uint16_t reg, uint8_t value)
{
	uint64_t at = uart_at.base + ((uint64_t)reg << uart_at.shift);

	if (uart_at.space == UART_SPACE_IO)
		outb((uint16_t)at, value);
	else if (uart_at.width == sizeof(uint32_t))
		*(volatile uint32_t *)(uintptr_t)at = value;
	else
		*(volatile uint8_t *)(uintptr_t)at = value;
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

/* Bounded wait until every byte written has left the UART. */
static void uart_drain(void)
{
	(void)uart_wait_lsr(UART_LSR_TEMT);
}

static const struct uart_io uart_io = { uart_in, uart_out, uart_drain };

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

bool serial_init(const struct uart_regs *at, uint32_t baud)
{
	uart_present = false;
	uart_at = *at;
	if (baud == 0 || UART_BASE_BAUD / baud == 0 ||
	    UART_BASE_BAUD / baud > UART_DIVISOR_MAX)
		return false;
	if (!uart_scratch_ok())
		return false;
	/* Whatever an earlier user (firmware, loader, our own early log)
	 * still has in the FIFO would be cut off by the FIFO reset, or looped
	 * back into the test below: let it go out first. */
	(void)uart_wait_lsr(UART_LSR_TEMT);
	uart_divisor = (uint16_t)(UART_BASE_BAUD / baud);
	uart_program(uart_divisor);
	uart_fifo_depth = (uart_in(UART_IIR) & UART_IIR_FIFO_ON) == UART_IIR_FIFO_ON ?
			  UART_FIFO_DEPTH_16550A : 1;
	if (!uart_loopback_ok())
		return false;
	uart_present = true;
	return true;
}

bool serial_present(void)
{
	return uart_present;
}

const struct uart_regs *serial_regs(void)
{
	return &uart_at;
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

/* Write bytes, "\n" as "\r\n"; stops once the UART is taken as gone. */
static void uart_send(const char *text, size_t len)
{
	for (size_t i = 0; i < len && uart_present; i++) {
		if (text[i] == '\n')
			uart_putc('\r');
		uart_putc(text[i]);
	}
}

/*
 * The guest shares the UART (drivers/uart_line.h): when it left a line
 * state that would swallow or garble our bytes, send them under our own
 * state and give the guest its state back once they are on the wire.  The
 * guest cannot interfere in between: its only vCPU is not running while
 * the hypervisor writes (the other CPUs are parked).  Costs six register
 * accesses when the guest left our state in place.
 */
void serial_write(const char *text, size_t len)
{
	struct uart_line guest;
	bool switched;

	if (!uart_present)
		return;
	switched = uart_line_enter(&uart_io, uart_divisor, &guest);
	uart_send(text, len);
	uart_line_leave(&uart_io, &guest, switched);
}

void serial_flush(void)
{
	if (uart_present)
		uart_drain();
}

uint32_t serial_tx_room(void)
{
	if (!uart_present || !(uart_in(UART_LSR) & UART_LSR_THRE))
		return 0;
	return uart_fifo_depth;
}

void serial_tx_byte(uint8_t byte)
{
	uart_out(UART_THR, byte);
}

bool serial_tx_wait(void)
{
	if (uart_present && !uart_wait_lsr(UART_LSR_THRE))
		uart_present = false;
	return uart_present;
}

/* Overruns the line status reported (reading LSR clears its OE bit). */
static uint32_t rx_overruns;

int serial_getc(void)
{
	uint8_t lsr;

	if (!uart_present)
		return -1;
	lsr = uart_in(UART_LSR);
	if (lsr & UART_LSR_OE)
		rx_overruns++;
	if (!(lsr & UART_LSR_DR))
		return -1;
	return uart_in(UART_RBR);
}

uint32_t serial_rx_overruns(void)
{
	return rx_overruns;
}

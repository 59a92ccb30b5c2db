/*
 * The line state of a UART shared with the guest.  Until the hypervisor
 * owns the console UART, COM1 passes through and the guest may program it
 * as it likes: loopback (MCR bit 4) swallows every byte sent, DLAB set in
 * LCR turns writes of THR into writes of the divisor latch, and another
 * divisor, word length or parity garbles them.  So before each of its
 * lines the hypervisor saves the state the guest left, programs its own,
 * writes, lets the transmitter drain and puts the guest's state back.
 *
 * Pure: every register access goes through struct uart_io, so host unit
 * tests run the sequence over a model of the registers.
 */
#ifndef DRIVERS_UART_LINE_H
#define DRIVERS_UART_LINE_H

#include <stdbool.h>
#include <stdint.h>

/* Register access relative to the UART's base port (offsets UART_*), and
 * a bounded wait until the transmitter is empty (LSR.TEMT). */
struct uart_io {
	uint8_t (*in)(uint16_t reg);
	void (*out)(uint16_t reg, uint8_t value);
	void (*drain)(void);
};

/* What decides whether a byte written to THR reaches the wire as sent.
 * IER and FCR do not: a polled writer sends through any FIFO setting, and
 * the guest's interrupts cannot run while the hypervisor writes (IER is
 * left alone, and so the guest's interrupt set-up stays untouched). */
struct uart_line {
	uint8_t lcr;            /* with DLAB and break as the guest left them */
	uint8_t mcr;
	uint16_t divisor;
};

/* Read LCR, MCR and the divisor latch; LCR is written back unchanged (the
 * divisor is only readable with DLAB set).  Six register accesses. */
struct uart_line uart_line_save(const struct uart_io *io);

/* The hypervisor's line, given the guest's: 8N1 at `divisor`, DLAB and
 * break clear, no loopback, DTR and RTS on (a receiver with flow control
 * listens), OUT1/OUT2 as the guest has them (OUT2 gates the UART's
 * interrupt line: not the hypervisor's business). */
struct uart_line uart_line_own(const struct uart_line *guest, uint16_t divisor);

bool uart_line_equal(const struct uart_line *a, const struct uart_line *b);

/* Program `line`: divisor latch, then LCR, then MCR.  Five writes. */
void uart_line_load(const struct uart_io *io, const struct uart_line *line);

/* Before the hypervisor's bytes: save the guest's line into *guest and,
 * when it differs from ours, drain the guest's bytes (they leave under its
 * own settings) and load ours.  Returns whether it switched. */
bool uart_line_enter(const struct uart_io *io, uint16_t divisor,
		     struct uart_line *guest);

/* After them: when enter switched, drain our bytes, then give the guest
 * back its line (loopback last, so nothing of ours is looped back). */
void uart_line_leave(const struct uart_io *io, const struct uart_line *guest,
		     bool switched);

#endif

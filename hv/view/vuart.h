/*
 * The guest's 16550A at the console UART's ports: a pure register model
 * (names as in the National Semiconductor PC16550D data sheet and
 * drivers/uart16550.h).  The hypervisor owns the real UART; the guest
 * programs this one: RBR/THR, IER, IIR/FCR, LCR with DLAB and the divisor
 * latch, MCR with loopback, LSR, MSR, SCR.  Bytes the guest sends wait in
 * the transmit FIFO until the console takes them (vuart_tx_take); bytes
 * for the guest are offered with vuart_rx_put.  The interrupt output
 * (vuart_irq) is IIR's "interrupt pending" gated by MCR.OUT2, as the PC
 * wires it.  Divisor and line format only remember what the guest wrote:
 * the wire runs at the hypervisor's settings.
 *
 * Host unit-tested (tests/unit/test_vuart.c); hv/view/vuart_io.c connects
 * it to the I/O exits, the console and the guest's interrupt.
 */
#ifndef HV_VIEW_VUART_H
#define HV_VIEW_VUART_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_FIFO_SIZE 16      /* the 16550A's FIFOs */
#define VUART_PORTS     8       /* registers at base + 0..7 */

struct vuart_fifo {
	uint8_t byte[VUART_FIFO_SIZE];
	uint8_t head, count;
};

struct vuart {
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;
	uint8_t lsr_errors;     /* overrun: until LSR is read */
	uint8_t msr_delta;      /* MSR bits 3:0, until MSR is read */
	uint8_t msr_lines;      /* MSR bits 7:4 as last computed */
	bool thre_pending;      /* THR-empty interrupt until IIR read / THR write */
	struct vuart_fifo rx, tx;
};

/* Power-on state (data sheet "Reset"): FIFOs off and empty, THR empty,
 * no interrupt enabled, DTR/RTS/OUT1/OUT2 off. */
void vuart_reset(struct vuart *u);

/* The guest's IN / OUT of one byte at base + reg (0-7). */
uint8_t vuart_read(struct vuart *u, uint8_t reg);
void vuart_write(struct vuart *u, uint8_t reg, uint8_t value);

/* The next byte the guest sent, or -1: the console takes it for the wire.
 * Emptying the FIFO raises the THR-empty condition. */
int vuart_tx_take(struct vuart *u);

/* Offer a byte from the line: false (the byte stays with the caller) when
 * the receive FIFO is full or the UART is in loopback, which cuts the
 * receiver off the line. */
bool vuart_rx_put(struct vuart *u, uint8_t byte);

/* The interrupt output: an interrupt pending in IIR and OUT2 set. */
bool vuart_irq(const struct vuart *u);

/* The interrupt identification the guest would read now (no side effect). */
uint8_t vuart_iir(const struct vuart *u);

#endif

/*
 * 16550-compatible UART, polled.  COM1 (0x3f8) at 115200 8N1 by default.
 * The constants are plain #defines: the multiboot2 entry (assembly) uses
 * them for its one message before long mode.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#define SERIAL_COM1_PORT    0x3f8
#define SERIAL_DEFAULT_BAUD 115200
#define SERIAL_BITS_PER_BYTE 10u     /* 8N1: start, 8 data, stop */

/*
 * Status polls before giving up on the UART.  One byte at 115200 baud
 * takes 87 us and a port read about 1 us on hardware, so this is far
 * beyond one byte time even at slow rates; in an emulator a poll is much
 * cheaper still.
 */
#define UART_POLL_LIMIT     1000000

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "drivers/uart_regs.h"

/*
 * Program the UART whose registers are at `at` (port I/O or memory).
 * Returns false, and leaves every later serial call a no-op, when no UART
 * answers there (scratch-register and loopback test), so a machine without
 * that UART boots on silently instead of hanging.  Also the probe of
 * serial=auto: trying a candidate is initialising it.
 */
bool serial_init(const struct uart_regs *at, uint32_t baud);
bool serial_present(void);
/* Where the UART serial_init last tried is. */
const struct uart_regs *serial_regs(void);

/* Write bytes, turning "\n" into "\r\n".  Bounded wait per byte: for
 * the log before the console runs (drivers/console.h) and its sinks. */
void serial_write(const char *text, size_t len);

/* Wait (bounded) until every byte written has left the UART. */
void serial_flush(void);

/* Bytes the transmitter takes now without waiting: its FIFO depth (16 on
 * a 16550A, 1 on an 8250) when LSR.THRE says the FIFO is empty, else 0.
 * One register read. */
uint32_t serial_tx_room(void);

/* Put one byte into the transmitter as it is (no "\r\n" translation);
 * only after serial_tx_room() said there is room. */
void serial_tx_byte(uint8_t byte);

/* Bounded wait until the transmitter's FIFO is empty; false (and the
 * UART taken as gone) when it never empties. */
bool serial_tx_wait(void);

/* A received byte, or -1 when none is waiting. */
int serial_getc(void);

/* How many times serial_getc() found the receive FIFO overrun (input
 * bytes lost because nobody read the line in time). */
uint32_t serial_rx_overruns(void);

#endif /* !__ASSEMBLY__ */
#endif

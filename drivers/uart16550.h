/*
 * 16550 UART registers and bits (names as in the National Semiconductor
 * PC16550D data sheet).  Data only: shared by drivers/serial.c, the pure
 * line-state code (drivers/uart_line.c) and its host unit tests, the
 * boot configuration and the multiboot2 entry (assembly).
 */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

/* The divisor latch counts a 1.8432 MHz clock / 16: the baud rate is
 * UART_BASE_BAUD / divisor. */
#define UART_BASE_BAUD 115200

/* Register offsets from the base port. */
#define UART_RBR 0          /* receiver buffer (read, DLAB=0) */
#define UART_THR 0          /* transmitter holding (write, DLAB=0) */
#define UART_DLL 0          /* divisor latch low (DLAB=1) */
#define UART_IER 1          /* interrupt enable (DLAB=0) */
#define UART_DLM 1          /* divisor latch high (DLAB=1) */
#define UART_IIR 2          /* interrupt identification (read) */
#define UART_FCR 2          /* FIFO control (write) */
#define UART_LCR 3          /* line control */
#define UART_MCR 4          /* modem control */
#define UART_LSR 5          /* line status */
#define UART_MSR 6          /* modem status */
#define UART_SCR 7          /* scratch */

#define UART_IER_RDI        0x01    /* received data available */
#define UART_IER_THRI       0x02    /* transmitter holding register empty */
#define UART_IER_RLSI       0x04    /* receiver line status */
#define UART_IER_MSI        0x08    /* modem status */
#define UART_IER_MASK       0x0f
#define UART_IIR_NO_INT     0x01    /* no interrupt pending */
#define UART_IIR_MSI        0x00
#define UART_IIR_THRI       0x02
#define UART_IIR_RDI        0x04
#define UART_IIR_RLSI       0x06
#define UART_IIR_TIMEOUT    0x0c    /* character timeout (FIFO mode) */
#define UART_IIR_FIFO_ON    0xc0    /* FIFOs enabled (16550A) */
#define UART_FCR_TRIGGER_SHIFT 6
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
#define UART_MCR_MASK       0x1f
#define UART_LSR_DR         0x01    /* a received byte is waiting */
#define UART_LSR_OE         0x02    /* overrun error */
#define UART_LSR_THRE       0x20    /* transmitter holding register empty */
#define UART_LSR_TEMT       0x40    /* holding and shift registers empty */
#define UART_MSR_DCTS       0x01    /* delta bits 3:0 ... */
#define UART_MSR_TERI       0x04    /* ... RI's is "trailing edge" */
#define UART_MSR_DELTA_MASK 0x0f
#define UART_MSR_CTS        0x10
#define UART_MSR_DSR        0x20
#define UART_MSR_RI         0x40
#define UART_MSR_DCD        0x80
#define UART_MSR_LINES_SHIFT 4

#endif

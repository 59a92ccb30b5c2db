/*
 * Where a 16550's registers are: port I/O (COM1-COM4, a PCI I/O BAR) or
 * memory (an SoC UART, a PCI memory BAR, ACPI SPCR), with the distance
 * between registers (1 byte on the PC, 4 on most SoC UARTs) and the
 * access width.  Data only: the driver (drivers/serial.c) reads and writes
 * through it, so the console and the guest's virtual UART work unchanged
 * on any of them.
 */
#ifndef DRIVERS_UART_REGS_H
#define DRIVERS_UART_REGS_H

#include <stdint.h>

enum uart_space {
	UART_SPACE_IO = 0,          /* base is an I/O port */
	UART_SPACE_MMIO,            /* base is a physical address */
};

#define UART_REG_SHIFT_MAX 2        /* strides 1, 2 or 4 bytes */
#define UART_REG_SPAN      8u       /* a 16550 has 8 registers */

struct uart_regs {
	uint32_t space;             /* enum uart_space */
	uint64_t base;
	uint32_t shift;             /* register n is at base + (n << shift) */
	uint32_t width;             /* bytes per access: 1 or 4 (MMIO only) */
};

/* A PC UART at I/O port `port`: registers one port apart. */
static inline struct uart_regs uart_regs_io(uint16_t port)
{
	return (struct uart_regs){ .space = UART_SPACE_IO, .base = port,
				   .width = 1 };
}

/* Bytes the UART's eight registers cover. */
static inline uint64_t uart_regs_span(const struct uart_regs *r)
{
	return (uint64_t)UART_REG_SPAN << r->shift;
}

/* The stride in bytes (1, 2, 4) as a shift; -1 for another value. */
static inline int uart_stride_shift(uint64_t stride)
{
	for (int s = 0; s <= UART_REG_SHIFT_MAX; s++)
		if (stride == 1ull << s)
			return s;
	return -1;
}

#endif

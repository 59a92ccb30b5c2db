/*
 * Finding a 16550-compatible UART on PCI (a PCIe serial card, a management
 * engine's serial-over-LAN function, QEMU's pci-serial): class 07h
 * (communication controller), subclass 00h (serial), programming interface
 * 02h (16550-compatible), PCI Code and ID Assignment spec 1.x, D.8.  Its
 * registers are at its first BAR, I/O or memory, one byte apart.  Pure:
 * configuration space comes through a read function, so host unit tests
 * run it on a fake one.
 */
#ifndef DRIVERS_PCI_UART_H
#define DRIVERS_PCI_UART_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/pci.h"
#include "drivers/uart_regs.h"

#define PCI_COMMAND             0x04
#define PCI_COMMAND_IO          0x0001u
#define PCI_COMMAND_MEMORY      0x0002u
#define PCI_CLASS_REVISION      0x08    /* class 31:24, sub 23:16, prog-if 15:8 */
#define PCI_HEADER_TYPE_DWORD   0x0c    /* header type in bits 23:16 */
#define PCI_HEADER_TYPE_SHIFT   16
#define PCI_HEADER_MULTI_FN     0x80u
#define PCI_HEADER_LAYOUT_MASK  0x7fu
#define PCI_HEADER_NORMAL       0x00u   /* type 0: has six BARs */
#define PCI_BAR0                0x10
#define PCI_BAR_COUNT           6
#define PCI_BAR_IO              0x1u
#define PCI_BAR_IO_MASK         0xfffffffcu
#define PCI_BAR_MEM_TYPE_MASK   0x6u
#define PCI_BAR_MEM_TYPE_64     0x4u
#define PCI_BAR_MEM_MASK        0xfffffff0u
#define PCI_BUSES               256

#define PCI_CLASS_UART_16550    0x070002u   /* class, subclass, prog-if */
#define PCI_CLASS_SHIFT         8

/* Reads the dword at register reg of f (reg dword aligned). */
typedef uint32_t (*pci_read32_fn)(void *ctx, struct pci_bdf f, uint8_t reg);

struct pci_uart {
	struct pci_bdf fn;
	uint8_t bar;                /* index of the BAR holding the registers */
	uint16_t command_enable;    /* PCI_COMMAND bit decoding that BAR */
	struct uart_regs regs;
};

/* Whether function f is a 16550-compatible UART with its registers at an
 * assigned BAR; fills *out when it is. */
bool pci_uart_probe(pci_read32_fn rd, void *ctx, struct pci_bdf f,
		    struct pci_uart *out);

/* The first such UART in bus/device/function order on buses 0-255;
 * false when there is none. */
bool pci_uart_find(pci_read32_fn rd, void *ctx, struct pci_uart *out);

#endif

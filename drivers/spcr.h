/*
 * The ACPI Serial Port Console Redirection table (Microsoft, "Serial Port
 * Console Redirection Table", revisions 1-4): the UART the firmware itself
 * uses as its console, which serial=auto prefers.  Only the 16550 kinds
 * are taken (interface types 00h full 16550, 01h 16450 subset, 12h 16550
 * described by the Generic Address Structure); the register block is in
 * I/O space (8-bit registers) or memory (8-bit registers one byte apart,
 * or 32-bit registers four bytes apart, as Linux's SPCR code reads
 * "mmio32").
 *
 * Pure and defensive: a firmware input, refused whole with a reason when
 * any field is out of range.  Host unit tests feed it recorded tables; a
 * libFuzzer target (tests/fuzz/fuzz_spcr.c) everything else.
 */
#ifndef DRIVERS_SPCR_H
#define DRIVERS_SPCR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "drivers/pci.h"
#include "drivers/uart_regs.h"

#define SPCR_SIGNATURE          "SPCR"
#define SPCR_MIN_SIZE           80      /* revisions 1 and 2 */
#define SPCR_INTERFACE_TYPE     36      /* u8 */
#define SPCR_BASE_ADDRESS       40      /* Generic Address Structure */
#define SPCR_BAUD_RATE          58      /* u8, encoded */
#define SPCR_PCI_DEVICE_ID      64      /* u16, 0xffff: not a PCI device */
#define SPCR_PCI_VENDOR_ID      66      /* u16 */
#define SPCR_PCI_BUS            68
#define SPCR_PCI_DEVICE         69
#define SPCR_PCI_FUNCTION       70
#define SPCR_PCI_SEGMENT        75

/* Generic Address Structure (ACPI 6.x, 5.2.3.2). */
#define GAS_SPACE_ID            0
#define GAS_BIT_WIDTH           1
#define GAS_BIT_OFFSET          2
#define GAS_ACCESS_SIZE         3
#define GAS_ADDRESS             4       /* u64 */
#define GAS_SPACE_MEMORY        0
#define GAS_SPACE_IO            1
#define GAS_ACCESS_UNDEFINED    0
#define GAS_ACCESS_BYTE         1
#define GAS_ACCESS_DWORD        3

/* Interface types (the SPCR spec's table, shared with DBG2's subtypes). */
#define SPCR_IF_16550           0x00
#define SPCR_IF_16450           0x01
#define SPCR_IF_16550_GAS       0x12

/* Baud rate encodings. */
#define SPCR_BAUD_AS_IS         0
#define SPCR_BAUD_9600          3
#define SPCR_BAUD_19200         4
#define SPCR_BAUD_57600         6
#define SPCR_BAUD_115200        7

#define SPCR_ERROR_MAX          96

struct spcr_uart {
	struct uart_regs regs;
	uint8_t interface;
	uint32_t baud;              /* 0: "as is" (keep the configured rate) */
	bool pci;                   /* the table names a PCI function */
	struct pci_bdf pci_fn;      /* segment 0 only */
};

/* Parse the SPCR table of len bytes at t into *out; false with a reason in
 * err when it is malformed or does not describe a usable 16550. */
bool spcr_parse(const uint8_t *t, uint32_t len, struct spcr_uart *out,
		char *err, size_t err_size);

#endif

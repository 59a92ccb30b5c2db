/*
 * Which UART the hypervisor's log goes to, as serial= says (boot/config.h):
 * a named one, or for serial=auto the first that answers of the ACPI SPCR
 * table's UART, COM1 and the first 16550-compatible PCI function.
 */
#ifndef HV_UART_PICK_H
#define HV_UART_PICK_H

#include <stdbool.h>
#include <stddef.h>
#include "boot/boot_info.h"
#include "boot/config.h"

#define UART_WHY_MAX 160

/* Initialise the UART cfg names (serial_init); true when one answers.
 * why gets one sentence for the log either way: which UART and why. */
bool uart_pick(const struct hv_config *cfg, const struct boot_info *bi,
	       char *why, size_t size);

/* The I/O port of the guest's virtual 16550: the hypervisor's UART's when
 * that is a port UART, else COM1 (the guest still gets a console). */
uint16_t uart_pick_guest_port(void);

/* The baud rate the UART was programmed at: serial='s, or the SPCR
 * table's (the console's and the guest's virtual UART's pacing). */
uint32_t uart_pick_baud(void);

/* The PCI function the UART is (picked by PCI discovery, or named by the
 * SPCR table); false when it is not a PCI one. */
bool uart_pick_pci_fn(struct pci_bdf *out);

#endif

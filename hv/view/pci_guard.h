/*
 * The guest's PCI configuration accesses through ports 0xCF8/0xCFC, where
 * they could take power events away from the hypervisor: moving the
 * chipset's ACPI power-management I/O block (PIIX4 PMBA, ICH PMBASE, PCH
 * ABASE: the dword at register 0x40 of the function that decodes it)
 * would put PM1_CNT where no intercept watches, and the FADT may place
 * its reset register in configuration space.
 *
 * The guest's CONFIG_ADDRESS writes are followed (and carried out); the
 * data ports exit only while CONFIG_ADDRESS selects a watched function.
 * A write to the PM base register is dropped with a log line (the guest
 * keeps the firmware's block, as on a board whose firmware locked it); a
 * write of the reset value to the reset register is a reset request.
 * The same register through PCI Express's memory-mapped configuration
 * space (ECAM) is hv/view/mmio_watch.h's.
 */
#ifndef HV_VIEW_PCI_GUARD_H
#define HV_VIEW_PCI_GUARD_H

#include <stdbool.h>

#include "drivers/pci.h"
#include "guest/acpi/tables.h"
#include "hv/exit/dispatch.h"
#include "hv/exit/qual.h"

struct vcpu;

/* Find the function that decodes the PM1 control block and the reset
 * register's function (when in configuration space); logs what it
 * watches.  Once, before the guest runs (it uses PCI configuration space
 * itself). */
void pci_guard_init(const struct acpi_power *acpi);

/* The function whose PM base register is guarded and that register's
 * number; false when none is (after pci_guard_init()). */
bool pci_guard_pm_function(struct pci_bdf *out, uint8_t *reg);

/* Hide function fn (the hypervisor's PCI UART) from the guest's
 * configuration accesses through 0xCF8/0xCFC: reads return all ones (no
 * device there), writes are dropped, so the guest can neither find it nor
 * move or disable its BAR.  The same function through PCI Express's
 * memory-mapped configuration space (ECAM, MCFG) is hv/view/pci_ecam.h's.
 * After pci_guard_init(), before pci_guard_intercept(). */
void pci_guard_hide(struct pci_bdf fn);

/* Make CONFIG_ADDRESS accesses of v exit. */
void pci_guard_intercept(struct vcpu *v);

/* The I/O-exit hook for an access to the IO_OWNER_PCI ports (CONFIG_ADDRESS
 * and the data ports, 0xCF8-0xCFF): true when q is a configuration access
 * this file handles, with *action the result. */
bool pci_guard_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action);

#endif

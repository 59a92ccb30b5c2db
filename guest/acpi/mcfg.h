/*
 * The MCFG table (PCI Firmware Specification 3.0, "MCFG Table
 * Description"): where PCI Express's memory-mapped configuration space
 * (ECAM) lies.  Read so that the hypervisor can watch the registers it
 * guards in configuration space through that window too.
 */
#ifndef GUEST_ACPI_MCFG_H
#define GUEST_ACPI_MCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci.h"
#include "guest/acpi/tables.h"

#define ACPI_SIG_MCFG           "MCFG"
#define MCFG_ENTRIES_OFFSET     44      /* header (36) + 8 reserved bytes */
#define MCFG_ENTRY_LEN          16
#define MCFG_ENTRY_BASE         0       /* u64: ECAM base of start_bus */
#define MCFG_ENTRY_SEGMENT      8       /* u16: PCI segment group */
#define MCFG_ENTRY_START_BUS    10
#define MCFG_ENTRY_END_BUS      11
#define ECAM_BUS_SHIFT          20      /* 1 MiB per bus */
#define ECAM_DEVICE_SHIFT       15      /* 32 KiB per device */
#define ECAM_FUNCTION_SHIFT     12      /* 4 KiB per function */

/* The ECAM address of segment 0, bus 0 from an MCFG of len bytes; false
 * when no entry covers it. */
bool acpi_mcfg_bus0_base(const uint8_t *mcfg, uint32_t len, uint64_t *base);

/* The same from the tables reachable through src. */
bool acpi_ecam_bus0(const struct acpi_source *src, uint64_t *base);

/*
 * The 4 KiB ECAM page of function f (segment 0) from an MCFG of len bytes:
 * the first segment-0 entry whose bus range holds f.bus.  An entry's base
 * address is that of bus 0 even when its range starts higher, as Linux
 * reads it (pci_mmconfig: address + (bus << 20)); both readings agree for
 * bus 0.  False when no entry covers f or the address would wrap.
 */
bool acpi_mcfg_function_page(const uint8_t *mcfg, uint32_t len,
			     struct pci_bdf f, uint64_t *page);

/* The same from the tables reachable through src. */
bool acpi_ecam_function_page(const struct acpi_source *src, struct pci_bdf f,
			     uint64_t *page);

#endif

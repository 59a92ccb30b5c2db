/*
 * The guest's ACPI tables when the firmware has none (OVMF under Bochs):
 * read the platform -- the boot CPU's local APIC, the I/O APIC, the PIIX4
 * power-management function -- write the tables (guest/acpi/synth.c) into
 * guest RAM marked ACPI in the guest's memory map, and make the hardware
 * agree with them (SCI_EN set, since the FADT says there is no SMI_CMD
 * handshake).  hv/view/power.c reads the same tables through acpi_own_rsdp().
 */
#ifndef GUEST_ACPI_OWN_H
#define GUEST_ACPI_OWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acpi_own_result {
	uint64_t rsdp;              /* guest-physical address of the RSDP */
	bool has_fadt;              /* a PIIX4 PM block was found: FADT + DSDT */
	uint16_t pm1a_cnt;          /* PM1a control port, 0 without a FADT */
};

/* Build them for a guest whose boot CPU has bsp_apic_id; after
 * guest_mem_init().  False (reason in err) when guest RAM has no room. */
bool acpi_own_build(uint32_t bsp_apic_id, struct acpi_own_result *res,
		    char *err, size_t n);

/* The RSDP acpi_own_build() wrote (readable, identity-mapped); NULL when
 * it has not run. */
const uint8_t *acpi_own_rsdp(void);

#endif

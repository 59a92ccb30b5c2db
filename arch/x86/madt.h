/*
 * Finding the CPUs in the ACPI MADT (ACPI 6.x, "Multiple APIC Description
 * Table"), reached from the RSDP copy in boot_info through the RSDT or
 * XSDT.  Pure: physical memory is read through the acpi_source's map
 * (identity in the hypervisor, a fake address space in the host unit
 * tests), and every length is checked before it is used.
 */
#ifndef ARCH_X86_MADT_H
#define ARCH_X86_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/acpi.h"

#define MADT_SIGNATURE "APIC"
#define MADT_CPUS_MAX 256
#define MADT_ERROR_MAX 96

/* Every CPU that is there or can be brought online (enabled, or "online
 * capable": the OS may start it later with INIT/SIPI) is listed: each one
 * must be held by the hypervisor. */
struct madt_cpus {
	uint32_t count;                     /* CPUs listed in apic_id[] */
	uint32_t apic_id[MADT_CPUS_MAX];    /* in table order, no duplicates */
	uint32_t online_capable;            /* of count: not enabled, online capable */
	uint32_t disabled;                  /* entries neither enabled nor online-capable */
	uint32_t dropped;                   /* CPUs beyond MADT_CPUS_MAX */
	uint64_t lapic_address;             /* from the MADT header (or override) */
};

/*
 * Fill out from the MADT that src's RSDP leads to (arch/x86/acpi.h's walk:
 * the XSDT when the RSDP has one, else the RSDT).  False, with a reason in
 * err, when a table is missing, too short or has a bad signature or
 * checksum, or an entry has a bad length.
 */
bool madt_find_cpus(const struct acpi_source *src, struct madt_cpus *out,
		    char *err, size_t err_size);

#endif

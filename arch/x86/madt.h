/*
 * Finding the CPUs in the ACPI MADT (ACPI 6.x, "Multiple APIC Description
 * Table"), reached from the RSDP copy in boot_info through the RSDT or
 * XSDT.  Pure: physical memory is read through a caller-supplied map
 * function (identity in the hypervisor, a fake address space in the host
 * unit tests), and every length is checked before it is used.
 */
#ifndef ARCH_X86_MADT_H
#define ARCH_X86_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MADT_CPUS_MAX 256
#define MADT_ERROR_MAX 96

/* A pointer to `len` readable bytes at physical `phys`, or NULL. */
typedef const void *(*madt_map_fn)(uint64_t phys, uint64_t len);

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
 * Fill out from the RSDP (20 bytes for revision 0, 36 for 2+): the XSDT
 * when revision >= 2 and it has one, else the RSDT.  False, with a reason
 * in err, when a table is missing, too short or has a bad signature or
 * checksum.
 */
bool madt_find_cpus(const uint8_t *rsdp, uint32_t revision, madt_map_fn map,
		    struct madt_cpus *out, char *err, size_t err_size);

/*
 * The walk madt_find_cpus uses, for any table: from the RSDP through the
 * XSDT (revision >= 2 and present) or RSDT to the first table with the
 * 4-character signature sig, header, length and checksum checked.  The
 * mapped table with its length in *len, or NULL with a reason in err.
 */
const uint8_t *acpi_find_sdt(const uint8_t *rsdp, uint32_t revision,
			     madt_map_fn map, const char *sig, uint32_t *len,
			     char *err, size_t err_size);

#endif

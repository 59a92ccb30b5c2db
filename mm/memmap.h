/*
 * The physical memory map: typed ranges of the machine's address space, as
 * the firmware reports them (e820-like, plus the UEFI distinctions the core
 * needs), and the guest's map derived from it.
 *
 * Data and pure functions only; usable from host unit tests.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX 256

/* Memory range types, e820-like, plus the UEFI distinctions the core needs. */
enum mem_type {
	MEM_USABLE = 1,             /* free RAM */
	MEM_RESERVED,               /* firmware-reserved or unknown: never touch */
	MEM_ACPI_RECLAIM,           /* ACPI tables: keep until the guest has them */
	MEM_ACPI_NVS,               /* ACPI non-volatile storage */
	MEM_BAD,                    /* defective RAM */
	MEM_FW_RUNTIME,             /* UEFI runtime services code/data */
	MEM_BOOT_SERVICES,          /* UEFI boot-services/loader memory: RAM once
	                               the core runs on its own page tables */
	MEM_MMIO,                   /* memory-mapped I/O reported by firmware */
	MEM_PERSISTENT,             /* NVDIMM / persistent memory */
	MEM_TYPE_COUNT
};

struct mem_range {
	uint64_t base;
	uint64_t length;
	uint32_t type;              /* enum mem_type */
};

struct memmap {
	uint32_t count;
	struct mem_range ranges[MEMMAP_MAX];
};

/* The type's name for the log; never NULL. */
const char *mem_type_name(uint32_t type);

/*
 * Append [base, base + length) of `type` to the map.  Unknown types are
 * stored as reserved.  False, and nothing added, when the range is empty,
 * wraps past 2^64 or the map is full, so the caller can report malformed
 * firmware data.
 */
bool memmap_add(struct memmap *m, uint64_t base, uint64_t length,
		uint32_t type);

/*
 * Sort the map by base, merge adjacent/overlapping ranges of one type, and
 * resolve overlaps of different types in favour of the more restrictive
 * type (reserved/bad > ... > boot services > usable): no overlaps remain.
 * Returns false when the result did not fit (highest ranges dropped).
 */
bool memmap_normalize(struct memmap *m);

#endif

/*
 * mm_layout: what memory management needs to know of the machine and of
 * the hypervisor's place in it, whoever booted it: the memory map, and the
 * memory in use that the map may still call free (the hypervisor image,
 * the loaded modules, the ACPI RSDP).  The boot layer fills it from its
 * hand-over (boot_info_mm_layout), so mm never sees a loader's structures.
 *
 * Data only; usable from host unit tests.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#include <stdint.h>

#include "mm/memmap.h"

#define MM_MODULES_MAX 16
#define MM_KEPT_MAX    20  /* AP trampoline, VT-d register sets */

/* [base, base + size) of physical memory. */
struct mem_extent {
	uint64_t base;
	uint64_t size;
};

struct mm_layout {
	const struct memmap *map;   /* the machine's memory map, normalized */
	struct mem_extent image;    /* the hypervisor image, .bss included:
	                               never free, hidden from the guest */
	uint32_t module_count;
	struct mem_extent modules[MM_MODULES_MAX];  /* loaded modules: never
	                               free, handed to the guest in place */
	uint64_t rsdp;              /* the ACPI RSDP's address, 0 if unknown:
	                               its page is never free */
	uint32_t kept_count;
	struct mem_extent kept[MM_KEPT_MAX];    /* more memory the hypervisor
	                               keeps outside its pool (the AP
	                               trampoline page, the VT-d units'
	                               registers): hidden from the guest like
	                               the image */
};

#endif

/*
 * Host paging.  The hypervisor runs identity-mapped (virtual = physical).
 * paging_init() builds its own 4-level tables from the allocator covering
 * all of physical memory named in the boot map (and at least 4 GiB, for
 * MMIO such as the LAPIC and IOAPIC), with 1 GiB pages where the CPU has
 * them and 2 MiB pages otherwise, and loads them into CR3.  From then on
 * nothing of the loader's or firmware's paging is used.
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "mm/memmap.h"

void paging_init(const struct memmap *map);

#endif

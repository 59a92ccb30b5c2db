/*
 * The DMA identity map: the second-level tables every VT-d unit walks for
 * every device (drivers/vtd.h).  Built by the EPT builder (mm/ept.h) in
 * its VT-d format, with the same holes and limit as the guest's EPT, so a
 * device the guest drives reaches exactly the memory the guest reaches:
 * everything below the limit except the hypervisor's ranges.  Tables come
 * from the hypervisor's pool, so they lie in a hole themselves.
 */
#ifndef MM_DMA_MAP_H
#define MM_DMA_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/ept.h"

/* Build a new map of [0, limit) without holes (sorted, page-aligned), with
 * 2 MiB and 1 GiB pages where every unit supports them; its 4-level root
 * (PML4) into *pml4 and its size into st.  The previous map stays intact
 * until dma_map_retire_old().  False, nothing leaked, when it needs more
 * than DMA_MAP_TABLES_MAX tables or the previous map was not retired. */
bool dma_map_build(const struct ept_hole *holes, size_t hole_count,
		   uint64_t limit, bool pages_2m, bool pages_1g,
		   uint64_t *pml4, struct ept_stats *st);

/* Write the tables of the map last built back from the caches to memory
 * (CLFLUSH of every line), for units whose page walks do not snoop
 * (ECAP.C clear): they read memory, not the caches. */
void dma_map_write_back(void);

/* Free the tables of the map before the last dma_map_build(): no unit may
 * still walk them (context entries switched, caches invalidated). */
void dma_map_retire_old(void);

#define DMA_MAP_TABLES_MAX 512

#endif

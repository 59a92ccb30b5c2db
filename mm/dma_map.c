/*
 * The DMA identity map's tables (see mm/dma_map.h): two generations, the
 * one the units walk and the one being built, as for the guest's EPT.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/page.h"
#include "lib/log.h"
#include "mm/dma_map.h"
#include "mm/pmm.h"

#define GENERATIONS 2
#define CACHE_LINE  64

struct tables {
	uint64_t page[DMA_MAP_TABLES_MAX];
	uint32_t count;
};

static struct tables generation[GENERATIONS];
static uint32_t current;            /* the map in use (after a build) */
static uint32_t building;           /* where alloc_table() records */

/* The builder's allocator: a zeroed pool page recorded in the generation
 * being built; 0 when that generation is full. */
static uint64_t alloc_table(void **virt)
{
	struct tables *g = &generation[building];

	if (g->count == DMA_MAP_TABLES_MAX)
		return 0;
	uint64_t phys = pmm_alloc_page();
	g->page[g->count++] = phys;
	*virt = (void *)(uintptr_t)phys;
	return phys;
}

/* A table's pointer from its physical address (identity map). */
static void *table_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* Give generation gen's tables back to the pool. */
static void free_generation(uint32_t gen)
{
	struct tables *g = &generation[gen];

	for (uint32_t i = 0; i < g->count; i++)
		pmm_free(g->page[i], 1);
	g->count = 0;
}

/* Build a new map (see dma_map.h). */
bool dma_map_build(const struct ept_hole *holes, size_t hole_count,
		   uint64_t limit, bool pages_2m, bool pages_1g,
		   uint64_t *pml4, struct ept_stats *st)
{
	struct ept_params p = {
		.holes = holes,
		.hole_count = hole_count,
		.limit = limit,
		.pages_2m = pages_2m,
		.pages_1g = pages_1g,
		.dma_format = true,
		.alloc_table = alloc_table,
		.table_virt = table_virt,
	};
	uint32_t next = generation[current].count ? (current + 1) % GENERATIONS
						  : current;

	if (generation[next].count) {
		log_error("DMA map: the previous map was not retired");
		return false;
	}
	building = next;
	*pml4 = ept_build_identity(&p, st);
	if (!*pml4) {
		free_generation(next);
		return false;
	}
	current = next;
	return true;
}

/* Flush every line of the current map's tables (see dma_map.h). */
void dma_map_write_back(void)
{
	const struct tables *g = &generation[current];

	for (uint32_t i = 0; i < g->count; i++)
		for (uint64_t off = 0; off < PAGE_SIZE; off += CACHE_LINE)
			clflush((const void *)(uintptr_t)(g->page[i] + off));
	mfence();
}

/* Free the map before the current one (see dma_map.h). */
void dma_map_retire_old(void)
{
	free_generation((current + 1) % GENERATIONS);
}

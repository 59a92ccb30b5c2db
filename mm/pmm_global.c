/*
 * The hypervisor's own physical allocator.  The guest runs on the machine's
 * memory (identity-mapped by EPT), so everything the hypervisor allocates
 * lives in one contiguous pool carved from the boot map's free RAM; the
 * pool is a hole in the guest's EPT and reserved in its memory map
 * (mm/guest_mem.c), and all other free RAM, including boot-services memory
 * once reclaimable, is the guest's.  Pages are handed out zeroed through
 * the identity map.  Only the BSP allocates today, so there is no lock.
 */
#include "arch/x86/panic.h"
#include "lib/bits.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/pmm.h"

/* Both loaders identity-map at least the first 4 GiB when they enter the
 * core (UEFI maps all of memory, the multiboot2 entry the first 4 GiB). */
#define BOOT_MAPPED_LIMIT (4ull << 30)

static struct pmm hv_pmm;
/* The free RAM of the boot map (and later the boot-services memory) is
 * built here: too large for the boot stack. */
static struct pmm scratch;
static uint64_t mapped_limit = BOOT_MAPPED_LIMIT;
static uint64_t pool_base, pool_end;

/* Whole MiB in pages pages, for the log. */
static uint64_t pages_to_mib(uint64_t pages)
{
	return pages >> (MIB_SHIFT - PAGE_SHIFT);
}

/* Log each free range of p at debug level. */
static void log_ranges(const struct pmm *p)
{
	for (uint32_t i = 0; i < p->count; i++)
		log_debug("pmm:   free %#llx-%#llx",
			  (unsigned long long)p->free[i].base,
			  (unsigned long long)p->free[i].end - 1);
}

/* The PMM_POOL_BYTES right below the image when they are free (the image
 * moved there with room for its pool, mm/place.h); 0 otherwise. */
static uint64_t pool_below_image(struct pmm *free_ram,
				 const struct mm_layout *l)
{
	uint64_t base = l->image.base - PMM_POOL_BYTES;

	if (l->image.base < PMM_POOL_BYTES || base % PMM_POOL_ALIGN ||
	    l->image.base > BOOT_MAPPED_LIMIT ||
	    !pmm_range_take(free_ram, base, PMM_POOL_BYTES))
		return 0;
	return base;
}

/* The pool: right below the image, else the highest PMM_POOL_BYTES of free
 * RAM below the boot mapping. */
static void carve_pool(struct pmm *free_ram, const struct mm_layout *l)
{
	pool_base = pool_below_image(free_ram, l);
	if (!pool_base)
		pool_base = pmm_range_alloc(free_ram,
					    PMM_POOL_BYTES >> PAGE_SHIFT,
					    PMM_POOL_ALIGN, BOOT_MAPPED_LIMIT);
	if (!pool_base)
		panic("pmm_init: no %llu MiB of contiguous free RAM below 4 GiB "
		      "for the hypervisor's pool",
		      (unsigned long long)(PMM_POOL_BYTES >> MIB_SHIFT));
	pool_end = pool_base + PMM_POOL_BYTES;
	pmm_reset(&hv_pmm);
	pmm_range_add(&hv_pmm, pool_base, PMM_POOL_BYTES);
}

/* Build the free RAM from the boot map and carve the hypervisor's pool out
 * of it.  Once on the BSP, before any allocation; panics when no 16 MiB of
 * free RAM below 4 GiB is left for the pool. */
void pmm_init(const struct mm_layout *l)
{
	pmm_build_free_ram(&scratch, l);
	log_ranges(&scratch);
	log_info("pmm: %llu MiB free in %u ranges",
		 (unsigned long long)pages_to_mib(pmm_free_pages(&scratch)),
		 scratch.count);
	if (scratch.lost_pages)
		log_warn("pmm: range table full, %llu free pages unused",
			 (unsigned long long)scratch.lost_pages);
	carve_pool(&scratch, l);
	log_info("pmm: hypervisor pool %#llx-%#llx (%llu MiB); the rest is "
		 "the guest's", (unsigned long long)pool_base,
		 (unsigned long long)pool_end - 1,
		 (unsigned long long)(PMM_POOL_BYTES >> MIB_SHIFT));
}

/* The hypervisor's pool as [*base, *end), for the guest's EPT holes.  After
 * pmm_init(). */
void pmm_pool_bounds(uint64_t *base, uint64_t *end)
{
	*base = pool_base;
	*end = pool_end;
}

/* Allocate only below end from now on: the part of the pool the current page
 * tables identity-map. */
void pmm_set_mapped_limit(uint64_t end)
{
	mapped_limit = end;
}

/* pages zeroed, page-aligned, identity-mapped pages from the pool, owned by
 * the caller until pmm_free().  Panics when the pool runs out: the
 * hypervisor cannot go on without its tables.  BSP only (no lock). */
uint64_t pmm_alloc_pages(uint64_t pages)
{
	uint64_t base = pmm_range_alloc(&hv_pmm, pages, PAGE_SIZE, mapped_limit);

	if (!base)
		panic("pmm_alloc_pages: out of memory (%llu pages wanted, "
		      "%llu free below %#llx)", (unsigned long long)pages,
		      (unsigned long long)pmm_free_pages(&hv_pmm),
		      (unsigned long long)mapped_limit);
	/* Identity-mapped: the physical address is the pointer. */
	memset((void *)(uintptr_t)base, 0, pages << PAGE_SHIFT);
	return base;
}

/* Give pages pages at base back to the pool; base must come from
 * pmm_alloc_pages() (an unaligned one panics). */
void pmm_free(uint64_t base, uint64_t pages)
{
	if (base & (PAGE_SIZE - 1))
		panic("pmm_free: unaligned address %#llx",
		      (unsigned long long)base);
	pmm_range_free(&hv_pmm, base, pages);
}

/* Boot-services memory is free RAM once the core runs on its own page
 * tables and stack; outside the pool, it is the guest's (mm/guest_mem.c
 * gives it to the guest), so this only reports how much there is. */
void pmm_reclaim_boot_services(const struct mm_layout *l)
{
	pmm_build_boot_services(&scratch, l);
	uint64_t pages = pmm_free_pages(&scratch);
	if (pages == 0)
		return;     /* BIOS boot, or nothing left to reclaim */
	log_info("pmm: %llu MiB of boot-services memory in %u ranges is free "
		 "now (guest RAM)", (unsigned long long)pages_to_mib(pages),
		 scratch.count);
}

/*
 * Physical page-frame allocator.
 *
 * A sorted list of free physical ranges.  The core (pmm_range_* on a
 * struct pmm) is pure bookkeeping that never touches the memory it manages,
 * so host unit tests drive it directly; the hypervisor uses the global
 * instance through pmm_init()/pmm_alloc_pages().
 *
 * pmm_init() feeds it the usable RAM of the memory map minus every
 * range that must never be handed out: the hypervisor image, the loaded
 * modules, the first MiB (real-mode IVT, BDA, EBDA, trampolines), ACPI,
 * firmware-reserved and runtime ranges.  From that free RAM it carves
 * one contiguous pool (16 MiB: right below the image when the image moved
 * there, mm/place.h; else the highest below 4 GiB) that the hypervisor
 * allocates from; the rest is the guest's.  Allocation is top-down.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/page.h"
#include "lib/bits.h"
#include "mm/layout.h"

#define PMM_RANGES_MAX 512

/* The first MiB (IVT, BDA, EBDA, option ROMs, the BIOS): never allocated,
 * never placed on, by the hypervisor's pool or the guest's memory. */
#define LOW_MEMORY_END BIT_ULL(MIB_SHIFT)

/* The hypervisor's pool: host page tables, VMXON/VMCS regions, bitmaps and
 * EPT tables fit in a few MiB; 2 MiB alignment lets the guest's EPT keep
 * large pages around the hole. */
#define PMM_POOL_BYTES (16ull << MIB_SHIFT)
#define PMM_POOL_ALIGN SIZE_2M

struct pmm_range {
	uint64_t base;   /* page aligned */
	uint64_t end;    /* exclusive, page aligned */
};

struct pmm {
	uint32_t count;
	struct pmm_range free[PMM_RANGES_MAX];
	/* Free pages dropped because the range array was full. */
	uint64_t lost_pages;
};

/* Pure bookkeeping (unit-tested). */
void pmm_reset(struct pmm *p);
/* Add [base, base+len) as free; shrinks to whole pages. */
bool pmm_range_add(struct pmm *p, uint64_t base, uint64_t len);
/* Remove [base, base+len) from the free set (grows to whole pages). */
bool pmm_range_reserve(struct pmm *p, uint64_t base, uint64_t len);
/* Highest free run of `pages` pages aligned to `align` bytes below `limit`
 * (exclusive; 0 = no limit); 0 when none. */
uint64_t pmm_range_alloc(struct pmm *p, uint64_t pages, uint64_t align,
			 uint64_t limit);
void pmm_range_free(struct pmm *p, uint64_t base, uint64_t pages);
/* Take exactly [base, base+len) (page aligned) when all of it is free;
 * false, and nothing taken, otherwise. */
bool pmm_range_take(struct pmm *p, uint64_t base, uint64_t len);
uint64_t pmm_free_pages(const struct pmm *p);
/* Fill `p` with the free RAM of a layout as described above. */
void pmm_build_free_ram(struct pmm *p, const struct mm_layout *l);
/* Fill `p` with the BOOT_SERVICES ranges minus everything of another type,
 * the first MiB, the image, the modules and the RSDP page. */
void pmm_build_boot_services(struct pmm *p, const struct mm_layout *l);

/* The hypervisor's allocator (mm/pmm.c, mm/pmm_global.c). */
void pmm_init(const struct mm_layout *l);
/* Zeroed, page-aligned pages; panics when memory runs out. */
uint64_t pmm_alloc_pages(uint64_t pages);
static inline uint64_t pmm_alloc_page(void) { return pmm_alloc_pages(1); }
void pmm_free(uint64_t base, uint64_t pages);
/* pmm_alloc_pages() only hands out memory below `end`, the part the
 * current page tables identity-map (4 GiB until paging_init() says more). */
void pmm_set_mapped_limit(uint64_t end);
/* The hypervisor's pool [*base, *end): pmm_alloc_pages() only hands out
 * memory from there; all other free RAM belongs to the guest. */
void pmm_pool_bounds(uint64_t *base, uint64_t *end);
/* UEFI boot-services and loader memory becomes free RAM (the guest's: it
 * lies outside the pool) once the core runs on its own page tables and
 * stack; logs how much. */
void pmm_reclaim_boot_services(const struct mm_layout *l);

#endif

/*
 * Extended page tables (Intel SDM Vol. 3, "The Extended Page Table
 * Mechanism (EPT)").
 *
 * The guest sees the machine's physical address space identity-mapped
 * (guest-physical = host-physical), with the memory type the MTRRs give
 * each range, except for the holes: every range the hypervisor owns is
 * simply not mapped, so a guest access to it is an EPT violation.
 * The builder uses the largest page (1 GiB, 2 MiB, 4 KiB) that the CPU
 * supports, the alignment allows, and over which both the memory type and
 * the hole/no-hole decision are uniform.
 *
 * With the guest's MTRRs given too, the memory type is the guest's where
 * the hardware's MTRRs say WB (RAM) and the hardware's everywhere else
 * (MMIO, ROM, UC ranges): a guest can make its RAM uncached or
 * write-through, never device memory cacheable (ept_memtype_combine()).
 */
#ifndef MM_EPT_H
#define MM_EPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mtrr.h"

/* EPT paging-structure entry bits. */
#define EPT_READ            (1ull << 0)
#define EPT_WRITE           (1ull << 1)
#define EPT_EXECUTE         (1ull << 2)
#define EPT_RWX             (EPT_READ | EPT_WRITE | EPT_EXECUTE)
#define EPT_MEMTYPE_SHIFT   3           /* bits 5:3, leaf entries only */
#define EPT_MEMTYPE_MASK    (7ull << EPT_MEMTYPE_SHIFT)
#define EPT_IGNORE_PAT      (1ull << 6)
#define EPT_LARGE_PAGE      (1ull << 7) /* PDPTE: 1 GiB, PDE: 2 MiB */
#define EPT_ACCESSED        (1ull << 8)
#define EPT_DIRTY           (1ull << 9)
#define EPT_ADDR_MASK       0x000ffffffffff000ull

/* EPT pointer (VMCS field EPT_POINTER; SDM Vol. 3, "Extended-Page-Table
 * Pointer (EPTP)"): the memory type in bits 2:0, the page-walk length
 * minus one in bits 5:3, accessed and dirty flags enabled by bit 6. */
#define EPTP_MEMTYPE_MASK   0x7ull
#define EPTP_MEMTYPE_UC     0ull
#define EPTP_MEMTYPE_WB     6ull
#define EPTP_WALK_SHIFT     3
#define EPTP_WALK_MASK      0x7ull
#define EPTP_WALK_4_LEVELS  3ull
#define EPTP_WALK_LENGTH_4  (EPTP_WALK_4_LEVELS << EPTP_WALK_SHIFT)
#define EPTP_AD_ENABLE      (1ull << 6)
#define EPTP_RESERVED_11_7  0xf80ull

#define EPT_LEVELS          4
#define EPT_ENTRIES         512

/* A guest-physical range the guest must never reach. */
struct ept_hole {
	uint64_t base;
	uint64_t end;       /* exclusive */
};

struct ept_params {
	const struct mtrr_state *mtrr;          /* the hardware's */
	const struct mtrr_state *guest_mtrr;    /* the guest's view, or NULL */
	const struct ept_hole *holes;   /* sorted by base, not overlapping */
	size_t hole_count;
	uint64_t limit;                 /* map [0, limit) */
	/* 4 KiB pages mapped read and execute only, so that a guest write
	 * to them is an EPT violation (an MMIO write watch); page-aligned. */
	const uint64_t *read_only;
	size_t read_only_count;
	bool pages_2m;
	bool pages_1g;
	/* Write VT-d second-level entries instead (VT-d spec 9.8 "Second-Level
	 * Paging Entries"): the same R (bit 0), W (bit 1), PS (bit 7) and
	 * address bits as EPT, no execute bit and no memory type (the legacy
	 * mode does not use them); mtrr and guest_mtrr may then be NULL. */
	bool dma_format;
	/* A zeroed, page-aligned table page: returns its physical address
	 * (0 when out of memory) and, in *virt, where the builder can write
	 * it.  The hypervisor is identity-mapped; unit tests are not. */
	uint64_t (*alloc_table)(void **virt);
	void *(*table_virt)(uint64_t phys);
};

struct ept_stats {
	uint64_t pages_1g, pages_2m, pages_4k, tables;
};

/* Build the identity map; returns the PML4 physical address, 0 when a
 * table could not be allocated. */
uint64_t ept_build_identity(const struct ept_params *p, struct ept_stats *st);

/* Map the 4 KiB guest page gpa to host page hpa (access: EPT_READ,
 * EPT_WRITE, EPT_EXECUTE; memory type type) in the EPT at pml4_phys,
 * allocating missing tables through p.  The page must not lie under a large page (build it as a hole first).  False
 * when out of tables or when a large page covers gpa. */
bool ept_set_page(const struct ept_params *p, uint64_t pml4_phys, uint64_t gpa,
		  uint64_t hpa, uint64_t access, uint8_t type);

/* How far the identity map reaches (see ept_choose_limit()). */
#define EPT_4LEVEL_REACH    (1ull << 48)    /* a 4-level walk's 48 bits */
#define EPT_2M_HIGH_REACH   (64ull << 30)   /* 64 GiB: 64 tables of 2 MiB pages */

/*
 * The end of the guest's identity map on a CPU with phys_bits of physical
 * address (MAXPHYADDR) whose memory map ends below map_limit (the top of
 * the firmware's map rounded up, at least 4 GiB).  With 1 GiB pages the
 * whole physical address space, up to what a 4-level walk reaches: RAM
 * above 4 GiB, 64-bit PCI BARs far above RAM and ranges only the EFI map
 * names all stay reachable, for one table per 512 GiB.  Without 1 GiB
 * pages each GiB costs a table, so the map stops at 64 GiB (or MAXPHYADDR)
 * unless the memory map goes further.  Never beyond MAXPHYADDR: an EPT
 * entry with an address bit above it is a misconfiguration.
 */
uint64_t ept_choose_limit(uint64_t map_limit, uint32_t phys_bits,
			  bool pages_1g);

/* The EPT memory type of a range the hardware's MTRRs give type hw and the
 * guest's give type guest (either may be MEMTYPE_MIXED): the guest's type
 * over hardware WB, the hardware's type otherwise; MEMTYPE_MIXED when the
 * range must be split to tell. */
uint8_t ept_memtype_combine(uint8_t hw, uint8_t guest);

static inline uint64_t ept_make_eptp(uint64_t pml4_phys, bool ad)
{
	return (pml4_phys & EPT_ADDR_MASK) | EPTP_MEMTYPE_WB |
	       EPTP_WALK_LENGTH_4 | (ad ? EPTP_AD_ENABLE : 0);
}

/* One step of a walk, for EPT-violation and misconfiguration reports. */
struct ept_walk {
	int levels;                     /* entries filled */
	uint64_t entry[EPT_LEVELS];     /* PML4E, PDPTE, PDE, PTE */
	bool mapped;
	uint64_t hpa;                   /* when mapped */
	uint64_t page_size;
};

void ept_walk(uint64_t pml4_phys, uint64_t gpa,
	      void *(*table_virt)(uint64_t phys), struct ept_walk *w);

/* The 4 KiB leaf entry (PTE) that maps gpa, or NULL when gpa is unmapped
 * or mapped by a larger page.  For changing one page's access rights: the
 * caller runs INVEPT afterwards. */
uint64_t *ept_pte(uint64_t pml4_phys, uint64_t gpa,
		  void *(*table_virt)(uint64_t phys));

#endif

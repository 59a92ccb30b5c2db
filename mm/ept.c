/*
 * EPT identity-map builder (pure: allocation and address translation come
 * through ept_params, so host unit tests can run it on malloc'ed pages).
 */
#include "mm/ept.h"

#define PAGE_4K (1ull << 12)
#define SHIFT_OF_LEVEL(level) (12 + 9 * (level))   /* level 0 = PTE */

enum span_kind { SPAN_HOLE, SPAN_MAPPED, SPAN_MIXED };

/* Whether [base, end) holds a read-only page (p->read_only). */
static bool has_read_only(const struct ept_params *p, uint64_t base,
			  uint64_t end)
{
	for (size_t i = 0; i < p->read_only_count; i++)
		if (p->read_only[i] >= base && p->read_only[i] < end)
			return true;
	return false;
}

/* The bits a leaf over [base, end) loses: W for a read-only page. */
static uint64_t read_only_bits(const struct ept_params *p, uint64_t base,
			       uint64_t end)
{
	return has_read_only(p, base, end) ? EPT_WRITE : 0;
}

/* Is [base, end) entirely inside one hole, clear of all holes, or both?
 * A span larger than 4 KiB that holds a read-only page counts as mixed:
 * it is split down to that page. */
static enum span_kind hole_kind(const struct ept_params *p, uint64_t base,
				uint64_t end)
{
	for (size_t i = 0; i < p->hole_count; i++) {
		const struct ept_hole *h = &p->holes[i];

		if (h->end <= base || h->base >= end)
			continue;
		if (h->base <= base && h->end >= end)
			return SPAN_HOLE;
		return SPAN_MIXED;
	}
	if (end - base > PAGE_4K && has_read_only(p, base, end))
		return SPAN_MIXED;
	return SPAN_MAPPED;
}

/* Whether an entry at level (0 = PTE, 1 = PDE, 2 = PDPTE) may map a page
 * itself: always for 4 KiB, for 2 MiB and 1 GiB only when the CPU supports
 * them. */
static bool leaf_allowed(const struct ept_params *p, int level)
{
	return level == 0 || (level == 1 && p->pages_2m) ||
	       (level == 2 && p->pages_1g);
}

/* A read/write/execute leaf entry mapping base with memory type type (a
 * read/write one without type in the VT-d format); a large-page entry
 * above level 0.  base must be aligned to the level's page size. */
static uint64_t leaf_entry(const struct ept_params *p, uint64_t base,
			   uint8_t type, int level)
{
	uint64_t large = level ? EPT_LARGE_PAGE : 0;

	if (p->dma_format)
		return base | EPT_READ | EPT_WRITE | large;
	return base | EPT_RWX | ((uint64_t)type << EPT_MEMTYPE_SHIFT) | large;
}

/* The permissions of an entry that points at the next table. */
static uint64_t table_perm(const struct ept_params *p)
{
	return p->dma_format ? EPT_READ | EPT_WRITE : EPT_RWX;
}

/* The EPT type for a page the hardware gives type hw and the guest's MTRRs
 * type guest: the guest's on RAM (hardware WB), the hardware's elsewhere. */
uint8_t ept_memtype_combine(uint8_t hw, uint8_t guest)
{
	return hw == MEMTYPE_WB ? guest : hw;
}

/* The end of the guest's identity map (see ept.h): the physical address
 * space with 1 GiB pages, 64 GiB without, never less than the memory map
 * asks and never beyond MAXPHYADDR or a 4-level walk. */
uint64_t ept_choose_limit(uint64_t map_limit, uint32_t phys_bits,
			  bool pages_1g)
{
	uint64_t reach = phys_bits >= 48 ? EPT_4LEVEL_REACH : 1ull << phys_bits;
	uint64_t want = pages_1g ? reach : EPT_2M_HIGH_REACH;

	if (want < map_limit)
		want = map_limit;
	return want < reach ? want : reach;
}

/* The memory type of [lo, lo + span) for the EPT: the hardware's MTRRs,
 * combined with the guest's when given; MEMTYPE_MIXED when not uniform.
 * The guest's are only consulted over hardware WB. */
static uint8_t range_type(const struct ept_params *p, uint64_t lo,
			  uint64_t span)
{
	if (p->dma_format)
		return MEMTYPE_WB;      /* no types: any range is uniform */
	uint8_t hw = mtrr_range_type(p->mtrr, lo, span);

	if (!p->guest_mtrr || hw != MEMTYPE_WB)
		return hw;
	return ept_memtype_combine(hw, mtrr_range_type(p->guest_mtrr, lo,
							 span));
}

/* Count one leaf of level in the statistics. */
static void count_leaf(struct ept_stats *st, int level)
{
	if (level == 2)
		st->pages_1g++;
	else if (level == 1)
		st->pages_2m++;
	else
		st->pages_4k++;
}

/*
 * Fill the table at `table` (covering 512 entries of 2^shift bytes from
 * `base`) for [base, limit).  Returns false when out of memory.
 */
static bool fill_table(const struct ept_params *p, struct ept_stats *st,
		       uint64_t *table, uint64_t base, int level)
{
	uint64_t span = 1ull << SHIFT_OF_LEVEL(level);

	for (int i = 0; i < EPT_ENTRIES; i++) {
		uint64_t lo = base + (uint64_t)i * span;
		uint64_t hi = lo + span;

		if (lo >= p->limit)
			break;
		enum span_kind k = hi <= p->limit ? hole_kind(p, lo, hi)
						  : SPAN_MIXED;
		if (k == SPAN_HOLE)
			continue;
		uint8_t type = k == SPAN_MAPPED ?
			       range_type(p, lo, span) : MEMTYPE_MIXED;
		if (type != MEMTYPE_MIXED && leaf_allowed(p, level)) {
			table[i] = leaf_entry(p, lo, type, level);
			count_leaf(st, level);
			table[i] &= ~read_only_bits(p, lo, hi);
			continue;
		}
		if (level == 0)
			continue;   /* a page only partly in a hole stays out */
		void *next;
		uint64_t next_phys = p->alloc_table(&next);
		if (!next_phys)
			return false;
		st->tables++;
		table[i] = next_phys | table_perm(p);
		if (!fill_table(p, st, next, lo, level - 1))
			return false;
	}
	return true;
}

/* Build an identity EPT for [0, p->limit) with holes left unmapped and each
 * page's memory type from the MTRRs, using the largest pages that fit.
 * Tables come from p->alloc_table and belong to the caller.  Returns the
 * PML4's physical address, 0 when out of memory (tables built so far are not
 * freed). */
uint64_t ept_build_identity(const struct ept_params *p, struct ept_stats *st)
{
	void *pml4;
	uint64_t pml4_phys = p->alloc_table(&pml4);

	*st = (struct ept_stats){ 0 };
	if (!pml4_phys)
		return 0;
	st->tables = 1;
	if (!fill_table(p, st, pml4, 0, EPT_LEVELS - 1))
		return 0;
	return pml4_phys;
}

/* The table an entry points to, allocating and linking a new one when the
 * entry is empty; NULL when out of tables or the entry maps a large page. */
static uint64_t *next_table(const struct ept_params *p, uint64_t *entry)
{
	void *next;
	uint64_t phys;

	if (*entry & EPT_LARGE_PAGE)
		return NULL;
	if (*entry & EPT_RWX)
		return p->table_virt(*entry & EPT_ADDR_MASK);
	phys = p->alloc_table(&next);
	if (!phys)
		return NULL;
	*entry = phys | EPT_RWX;
	return next;
}

/* One 4 KiB leaf, with the tables above it made as needed. */
bool ept_set_page(const struct ept_params *p, uint64_t pml4_phys, uint64_t gpa,
		  uint64_t hpa, uint64_t access, uint8_t type)
{
	uint64_t *table = p->table_virt(pml4_phys);

	for (int level = EPT_LEVELS - 1; level > 0; level--) {
		unsigned i = (gpa >> SHIFT_OF_LEVEL(level)) & (EPT_ENTRIES - 1);

		table = next_table(p, &table[i]);
		if (!table)
			return false;
	}
	table[(gpa >> SHIFT_OF_LEVEL(0)) & (EPT_ENTRIES - 1)] =
		(hpa & EPT_ADDR_MASK) | (access & EPT_RWX) |
		((uint64_t)type << EPT_MEMTYPE_SHIFT);
	return true;
}

/* Walk the EPT at pml4_phys for gpa, reading tables through table_virt, and
 * record each entry met and where the walk lands in w.  Only reads the
 * tables; stops at the first non-present entry. */
void ept_walk(uint64_t pml4_phys, uint64_t gpa,
	      void *(*table_virt)(uint64_t phys), struct ept_walk *w)
{
	uint64_t table = pml4_phys;

	*w = (struct ept_walk){ 0 };
	for (int level = EPT_LEVELS - 1; level >= 0; level--) {
		uint64_t *t = table_virt(table);
		uint64_t e = t[(gpa >> SHIFT_OF_LEVEL(level)) % EPT_ENTRIES];

		w->entry[w->levels++] = e;
		if (!(e & EPT_RWX))
			return;
		if (level == 0 || (e & EPT_LARGE_PAGE)) {
			uint64_t size = 1ull << SHIFT_OF_LEVEL(level);

			w->mapped = true;
			w->page_size = size;
			w->hpa = (e & EPT_ADDR_MASK & ~(size - 1)) |
				 (gpa & (size - 1));
			return;
		}
		table = e & EPT_ADDR_MASK;
	}
}

/* The level-0 entry for gpa in the EPT at pml4_phys; NULL when the walk
 * ends earlier (not present, or a large page). */
uint64_t *ept_pte(uint64_t pml4_phys, uint64_t gpa,
		  void *(*table_virt)(uint64_t phys))
{
	uint64_t table = pml4_phys;

	for (int level = EPT_LEVELS - 1; level > 0; level--) {
		uint64_t e = ((uint64_t *)table_virt(table))
			[(gpa >> SHIFT_OF_LEVEL(level)) % EPT_ENTRIES];

		if (!(e & EPT_RWX) || (e & EPT_LARGE_PAGE))
			return NULL;
		table = e & EPT_ADDR_MASK;
	}
	uint64_t *pte = &((uint64_t *)table_virt(table))[(gpa >> SHIFT_OF_LEVEL(0)) % EPT_ENTRIES];

	return (*pte & EPT_RWX) ? pte : NULL;
}

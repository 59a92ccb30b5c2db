/*
 * The guest's physical memory: hypervisor-owned holes, the guest EPT, the
 * guest memory map and placement of guest boot material (see guest_mem.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page.h"
#include "arch/x86/panic.h"
#include "lib/bits.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_mem.h"
#include "mm/pmm.h"

#define EPT_MIN_LIMIT SIZE_4G       /* LAPIC, IOAPIC, PCI hole are below 4 GiB */
#define EPT_1G_LIMIT (PT_ENTRIES * SIZE_1G) /* one PDPT page covers this much */
/* Tables of one EPT: the PML4, one PDPT per 512 GiB of address space (up
 * to 512 of them when MAXPHYADDR reaches a 4-level walk's 48 bits, see
 * ept_choose_limit()), without 1 GiB pages one page directory per GiB (up
 * to 512 counted), and for the splits the hardware's MTRRs need a few
 * dozen; a guest's MTRRs may ask for more (small ranges), up to
 * EPT_SPLIT_TABLES_MAX (2 MiB) beyond those (ept_tables_budget). */
#define EPT_SPLIT_TABLES_MAX 512
#define EPT_TABLES_MAX (1 + 2 * EPT_ENTRIES + EPT_SPLIT_TABLES_MAX)
#define EPT_PDPT_REACH (SIZE_1G * EPT_ENTRIES)  /* one PDPT maps 512 GiB */
#define EPT_GENERATIONS 2           /* the EPT in use and the one built */
/* The window page is registers, not code: an instruction fetch from it is
 * an EPT violation. */
#define WINDOW_ACCESS (EPT_READ | EPT_WRITE)

/* The pages of one EPT's tables, for freeing them all when it retires. */
struct ept_tables {
	uint64_t page[EPT_TABLES_MAX];
	uint32_t count;
};

static struct ept_hole holes[HV_OWNED_MAX];
static size_t hole_count;
static uint64_t ept_limit;
static uint32_t ept_tables_budget;  /* tables one EPT may take */
static uint64_t ept_pml4;
static struct mtrr_state hw_mtrr;   /* the hardware's, at guest_mem_init() */
static bool ept_pages_2m, ept_pages_1g;
static struct ept_tables generation[EPT_GENERATIONS];
static uint32_t current_gen;        /* index of the EPT in use */
static uint32_t building_gen;       /* where alloc_table() records */
static struct memmap guest_map;
static uint64_t watch_pages[GUEST_MEM_WATCH_MAX]; /* read-only in the EPT */
static size_t watch_count;
static struct pmm guest_free;       /* guest RAM not yet used by boot material */
/* A guest page that shows a hypervisor page (guest_mem_set_window()). */
static struct {
	uint64_t gpa, hpa;
	bool set;
} window;
static uint64_t lapic_page;         /* the physical LAPIC's MMIO page */
static uint64_t shown_page;         /* a hypervisor page the guest may read (0: none) */

/* v rounded up to align, a power of two; v must leave room below 2^64. */
static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* Insert [base, end) page-aligned outward, keeping holes sorted. */
static void add_hole(uint64_t base, uint64_t end)
{
	size_t i;

	base &= ~(PAGE_SIZE - 1);
	end = round_up(end, PAGE_SIZE);
	if (hole_count == HV_OWNED_MAX)
		panic("add_hole: more than %d hypervisor-owned ranges",
		      HV_OWNED_MAX);
	for (i = hole_count; i > 0 && holes[i - 1].base > base; i--)
		holes[i] = holes[i - 1];
	holes[i] = (struct ept_hole){ base, end };
	hole_count++;
}

/* The ranges the hypervisor owns (its image and its page pool) into holes,
 * logged: they are left out of the guest's EPT and reserved in its map. */
static void collect_holes(const struct mm_layout *l)
{
	uint64_t pool_base, pool_end;

	add_hole(l->image.base, l->image.base + l->image.size);
	for (uint32_t i = 0; i < l->kept_count && i < MM_KEPT_MAX; i++)
		add_hole(l->kept[i].base, l->kept[i].base + l->kept[i].size);
	pmm_pool_bounds(&pool_base, &pool_end);
	add_hole(pool_base, pool_end);
	for (size_t i = 0; i < hole_count; i++)
		log_info("guest memory: hypervisor owns 0x%016llx-0x%016llx "
			 "(hidden from the guest)",
			 (unsigned long long)holes[i].base,
			 (unsigned long long)holes[i].end - 1);
}

/* The end of the highest range in the memory map, whatever its type. */
static uint64_t top_of_map(const struct memmap *map)
{
	uint64_t top = 0;

	for (uint32_t i = 0; i < map->count; i++) {
		uint64_t end = map->ranges[i].base + map->ranges[i].length;

		if (end > top)
			top = end;
	}
	return top;
}

/* With 1 GiB pages the whole of the first 512 GiB costs one table, so 64-bit
 * PCI BARs above RAM stay reachable; without, map what the boot map names. */
uint64_t guest_mem_choose_limit(const struct memmap *map, bool pages_1g)
{
	uint64_t top = round_up(top_of_map(map), SIZE_1G);

	if (top < EPT_MIN_LIMIT)
		top = EPT_MIN_LIMIT;
	if (pages_1g && top < EPT_1G_LIMIT)
		top = EPT_1G_LIMIT;
	return top;
}

/* The tables one EPT over [0, limit) may take: the PML4, the PDPTs, the
 * page directories when there are no 1 GiB pages (at most EPT_ENTRIES
 * counted), and EPT_SPLIT_TABLES_MAX for splits. */
static uint32_t tables_budget(uint64_t limit, bool pages_1g)
{
	uint64_t pdpts = (limit + EPT_PDPT_REACH - 1) / EPT_PDPT_REACH;
	uint64_t pds = pages_1g ? 0 : (limit + SIZE_1G - 1) / SIZE_1G;

	if (pdpts > EPT_ENTRIES)
		pdpts = EPT_ENTRIES;
	if (pds > EPT_ENTRIES)
		pds = EPT_ENTRIES;
	return (uint32_t)(1 + pdpts + pds + EPT_SPLIT_TABLES_MAX);
}

/* The EPT builder's allocator: one zeroed page from the hypervisor's pool,
 * identity-mapped, recorded in the generation being built; 0 when that
 * generation has ept_tables_budget (pmm_alloc_page panics when the pool is
 * empty). */
static uint64_t alloc_table(void **virt)
{
	struct ept_tables *g = &generation[building_gen];

	if (g->count == ept_tables_budget)
		return 0;
	uint64_t phys = pmm_alloc_page();
	g->page[g->count++] = phys;
	*virt = (void *)(uintptr_t)phys;
	return phys;
}

/* Give the tables of generation gen back to the pool. */
static void free_generation(uint32_t gen)
{
	struct ept_tables *g = &generation[gen];

	for (uint32_t i = 0; i < g->count; i++)
		pmm_free(g->page[i], 1);
	g->count = 0;
}

/* An EPT table's pointer from its physical address (identity map). */
static void *table_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* The guest's memory map: the boot map with boot-services memory made usable
 * (the hypervisor reclaimed it) and each hole reserved.  A map too long for
 * the array loses its highest ranges, with a warning. */
static void build_guest_map(const struct memmap *map)
{
	guest_map.count = 0;
	for (uint32_t i = 0; i < map->count; i++) {
		const struct mem_range *r = &map->ranges[i];
		uint32_t type = r->type == MEM_BOOT_SERVICES ?
				MEM_USABLE : r->type;

		memmap_add(&guest_map, r->base, r->length, type);
	}
	for (size_t i = 0; i < hole_count; i++)
		memmap_add(&guest_map, holes[i].base,
			   holes[i].end - holes[i].base, MEM_RESERVED);
	if (!memmap_normalize(&guest_map))
		log_warn("guest memory: map too long, highest ranges dropped");
}

/* Where loaders may put boot material: guest RAM above 1 MiB that holds no
 * boot module (modules are handed to the guest in place). */
static void build_placement(const struct mm_layout *l)
{
	pmm_reset(&guest_free);
	for (uint32_t i = 0; i < guest_map.count; i++)
		if (guest_map.ranges[i].type == MEM_USABLE)
			pmm_range_add(&guest_free, guest_map.ranges[i].base,
				      guest_map.ranges[i].length);
	pmm_range_reserve(&guest_free, 0, LOW_MEMORY_END);
	for (uint32_t i = 0; i < l->module_count && i < MM_MODULES_MAX; i++)
		pmm_range_reserve(&guest_free, l->modules[i].base,
				  l->modules[i].size);
}

/* Build an identity EPT over [0, ept_limit) without the holes, its memory
 * types from the hardware's MTRRs combined with guest's (NULL: the
 * hardware's alone), into generation building_gen; its PML4, or 0 (the
 * partial tables freed) when it needs more than ept_tables_budget tables. */
static uint64_t build(const struct mtrr_state *guest, struct ept_stats *st)
{
	struct ept_params p = {
		.mtrr = &hw_mtrr,
		.guest_mtrr = guest,
		.holes = holes,
		.hole_count = hole_count,
		.limit = ept_limit,
		.pages_2m = ept_pages_2m,
		.pages_1g = ept_pages_1g,
		.read_only = watch_pages,
		.read_only_count = watch_count,
		.alloc_table = alloc_table,
		.table_virt = table_virt,
	};
	uint64_t pml4 = ept_build_identity(&p, st);

	if (pml4 && window.set &&
	    !ept_set_page(&p, pml4, window.gpa, window.hpa, WINDOW_ACCESS, MEMTYPE_WB))
		pml4 = 0;
	if (pml4 && shown_page &&
	    !ept_set_page(&p, pml4, shown_page, shown_page, EPT_READ, MEMTYPE_WB))
		pml4 = 0;
	if (!pml4)
		free_generation(building_gen);
	return pml4;
}

/* The physical LAPIC's page (where IA32_APIC_BASE puts it) is the
 * hypervisor's: never mapped for the guest, whose LAPIC is virtual
 * (hv/lapic/).  Added after the guest's memory map is built, which keeps
 * showing the platform's map there. */
static void hide_physical_lapic(void)
{
	lapic_page = rdmsr(IA32_APIC_BASE) & APIC_BASE_PAGE_MASK;
	add_hole(lapic_page, lapic_page + PAGE_SIZE);
}

/* Set up guest memory once, after pmm_init() and paging_init(): find the
 * hypervisor's holes, build the guest's memory map and placement pool, and
 * build the identity EPT with the page sizes the CPU allows.  Panics when the EPT tables do not fit in memory.
 */
void guest_mem_init(const struct mm_layout *l, bool pages_2m, bool pages_1g)
{
	struct ept_stats st;

	collect_holes(l);
	build_guest_map(l->map);
	build_placement(l);
	hide_physical_lapic();
	mtrr_read(&hw_mtrr);
	ept_pages_2m = pages_2m;
	ept_pages_1g = pages_1g;
	ept_limit = ept_choose_limit(guest_mem_choose_limit(l->map, pages_1g),
				     cpu_maxphyaddr(), pages_1g);
	ept_tables_budget = tables_budget(ept_limit, pages_1g);
	ept_pml4 = build(NULL, &st);
	if (!ept_pml4)
		panic("guest_mem_init: more than %u EPT tables",
		      ept_tables_budget);
	log_info("EPT: identity map 0-0x%llx: %llu x 1 GiB, %llu x 2 MiB, "
		 "%llu x 4 KiB pages in %llu tables (MTRRs %s)",
		 (unsigned long long)ept_limit - 1,
		 (unsigned long long)st.pages_1g,
		 (unsigned long long)st.pages_2m,
		 (unsigned long long)st.pages_4k,
		 (unsigned long long)st.tables,
		 hw_mtrr.enabled ? "enabled" : "disabled: all UC");
}

/* The EPT pointer of the guest's EPT for the VMCS (write-back, 4-level walk,
 * A/D bits off).  After guest_mem_init(). */
uint64_t guest_eptp(void)
{
	return ept_make_eptp(ept_pml4, false);
}

/* The physical address of the guest's EPT PML4, for walks in error reports.
 */
uint64_t guest_ept_pml4(void)
{
	return ept_pml4;
}

/* Build a new EPT whose types follow guest (see guest_mem.h); false when
 * it would need more tables than allowed. */
bool guest_mem_ept_rebuild(const struct mtrr_state *guest,
			   struct ept_stats *st)
{
	uint32_t next = (current_gen + 1) % EPT_GENERATIONS;

	if (generation[next].count)
		panic("guest_mem_ept_rebuild: the previous EPT was not retired");
	building_gen = next;
	uint64_t pml4 = build(guest, st);

	building_gen = current_gen;
	if (!pml4)
		return false;
	current_gen = building_gen = next;
	ept_pml4 = pml4;
	return true;
}

/* Free the tables of the EPT before the last guest_mem_ept_rebuild(): no
 * CPU may still use them (the VMCS switched, INVEPT done). */
void guest_mem_ept_retire_old(void)
{
	free_generation((current_gen + 1) % EPT_GENERATIONS);
}

static bool overlaps_hole(uint64_t base, uint64_t end);

/* Drop the hole [base, base + PAGE_SIZE) from the list, if there. */
static void remove_hole(uint64_t base)
{
	for (size_t i = 0; i < hole_count; i++) {
		if (holes[i].base != base || holes[i].end != base + PAGE_SIZE)
			continue;
		for (size_t j = i + 1; j < hole_count; j++)
			holes[j - 1] = holes[j];
		hole_count--;
		return;
	}
}

/* Clear the 4 KiB leaf that maps gpa in the EPT in use, if there is one. */
static void unmap_page(uint64_t gpa)
{
	struct ept_walk w;

	ept_walk(ept_pml4, gpa, table_virt, &w);
	if (w.mapped && w.levels == EPT_LEVELS) {
		uint64_t *pt = table_virt(w.entry[EPT_LEVELS - 2] & EPT_ADDR_MASK);

		pt[(gpa >> PAGE_SHIFT) % EPT_ENTRIES] = 0;
	}
}

/* The old window's page gets its identity mapping back (with the
 * hardware's memory type until the next rebuild), unless it is the
 * physical LAPIC's page, which stays a hole whatever happens.  Tables the
 * change needs are recorded in the current generation and retire with it. */
bool guest_mem_set_window(uint64_t gpa, uint64_t hpa)
{
	struct ept_params p = { .alloc_table = alloc_table, .table_virt = table_virt };
	struct ept_walk w;

	if (window.set && window.gpa != gpa) {
		unmap_page(window.gpa);
		if (window.gpa != lapic_page) {
			remove_hole(window.gpa);
			if (!overlaps_hole(window.gpa, window.gpa + PAGE_SIZE))
				ept_set_page(&p, ept_pml4, window.gpa, window.gpa,
					     EPT_RWX, mtrr_range_type(&hw_mtrr, window.gpa,
							     PAGE_SIZE));
		}
	}
	if ((!window.set || window.gpa != gpa) && gpa != lapic_page)
		add_hole(gpa, gpa + PAGE_SIZE);
	window.gpa = gpa;
	window.hpa = hpa;
	window.set = true;
	ept_walk(ept_pml4, gpa, table_virt, &w);
	if (w.mapped && w.page_size > PAGE_SIZE)
		return false;
	return ept_set_page(&p, ept_pml4, gpa, hpa, WINDOW_ACCESS, MEMTYPE_WB);
}

/* Show hypervisor page gpa to the guest read-only in every EPT from now
 * on (see guest_mem.h). */
bool guest_mem_show_read_only(uint64_t gpa)
{
	struct ept_params p = { .alloc_table = alloc_table, .table_virt = table_virt };
	struct ept_walk w;

	gpa &= ~(PAGE_SIZE - 1);
	ept_walk(ept_pml4, gpa, table_virt, &w);
	if (w.mapped)           /* not a hole: nothing to show */
		return false;
	shown_page = gpa;
	return ept_set_page(&p, ept_pml4, gpa, gpa, EPT_READ, MEMTYPE_WB);
}

/* Copy up to max hypervisor-owned ranges into out; returns how many there
 * are, which may be more than max. */
size_t guest_mem_hv_ranges(struct ept_hole *out, size_t max)
{
	for (size_t i = 0; i < hole_count && i < max; i++)
		out[i] = holes[i];
	return hole_count;
}

/* Whether [base, end) touches a hypervisor-owned range. */
static bool overlaps_hole(uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < hole_count; i++)
		if (holes[i].base < end && base < holes[i].end)
			return true;
	return false;
}

/* Whether the hypervisor may touch [gpa, gpa + len) for the guest:
 * non-empty, no wrap, inside the EPT and clear of every hole.  Use before
 * dereferencing any guest-supplied address. */
bool guest_mem_accessible(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	return len && end > gpa && end <= ept_limit && !overlaps_hole(gpa, end);
}

/* Whether [gpa, gpa + len) lies in one usable range of the guest's memory
 * map. */
bool guest_mem_is_ram(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (!len || end < gpa)
		return false;
	/* The normalized map is sorted and merged: one range must cover it. */
	for (uint32_t i = 0; i < guest_map.count; i++) {
		const struct mem_range *r = &guest_map.ranges[i];

		if (r->type == MEM_USABLE && r->base <= gpa &&
		    end <= r->base + r->length)
			return true;
	}
	return false;
}

/* Copy the guest's memory map, built by guest_mem_init(), into out. */
void guest_mem_map(struct memmap *out)
{
	out->count = guest_map.count;
	memcpy(out->ranges, guest_map.ranges,
	       guest_map.count * sizeof(guest_map.ranges[0]));
}

/* Find and take size bytes of guest RAM aligned to align (at least a page),
 * highest first, below limit, outside anything claimed; 0 when there is
 * none. */
uint64_t guest_mem_find(uint64_t size, uint64_t align, uint64_t limit)
{
	uint64_t pages = round_up(size, PAGE_SIZE) >> PAGE_SHIFT;

	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	return pmm_range_alloc(&guest_free, pages, align, limit);
}

/* Take [gpa, gpa + size) out of the placement pool, so that guest_mem_find()
 * will not hand it out. */
void guest_mem_claim(uint64_t gpa, uint64_t size)
{
	pmm_range_reserve(&guest_free, gpa, size);
}

/* Give the pages of [gpa, gpa + size) back to the placement pool where
 * they are usable RAM of the guest's map above 1 MiB (see guest_mem.h): a
 * range the map calls anything else never enters the pool. */
void guest_mem_release(uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size;

	if (!size || end < gpa || end > UINT64_MAX - PAGE_SIZE)
		return;
	/* Modules were reserved in whole pages (pmm_range_reserve). */
	gpa &= ~(PAGE_SIZE - 1);
	end = round_up(end, PAGE_SIZE);
	for (uint32_t i = 0; i < guest_map.count; i++) {
		const struct mem_range *r = &guest_map.ranges[i];
		uint64_t lo = r->base > gpa ? r->base : gpa;
		uint64_t hi = r->base + r->length < end ? r->base + r->length : end;

		if (lo < LOW_MEMORY_END)
			lo = LOW_MEMORY_END;
		if (r->type == MEM_USABLE && lo < hi)
			pmm_range_add(&guest_free, lo, hi - lo);
	}
}

/* Whether [gpa, gpa + size) is still in the placement pool: guest RAM above
 * 1 MiB that holds no module and was not claimed. */
bool guest_mem_is_free(uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size;

	if (!size || end < gpa)
		return false;
	/* The free list is sorted and merged: one range must cover it. */
	for (uint32_t i = 0; i < guest_free.count; i++)
		if (guest_free.free[i].base <= gpa && end <= guest_free.free[i].end)
			return true;
	return false;
}

/* Give [gpa, gpa + size) type type in the guest's memory map (the
 * normalising rules decide which type wins); a full map only warns. */
void guest_mem_mark(uint64_t gpa, uint64_t size, uint32_t type)
{
	if (!memmap_add(&guest_map, gpa, size, type) ||
	    !memmap_normalize(&guest_map))
		log_warn("guest memory: map full, [0x%llx, 0x%llx) not marked %s",
			 (unsigned long long)gpa,
			 (unsigned long long)(gpa + size), mem_type_name(type));
}

/* Make the page at gpa a hole in the guest's EPT (see guest_mem.h): a
 * fresh EPT without it replaces the current one, which no CPU uses yet. */
bool guest_mem_hide_page(uint64_t gpa)
{
	struct ept_stats st;

	gpa &= ~(PAGE_SIZE - 1);
	if (overlaps_hole(gpa, gpa + PAGE_SIZE))
		return true;
	if (hole_count == HV_OWNED_MAX)
		return false;
	add_hole(gpa, gpa + PAGE_SIZE);
	if (!guest_mem_ept_rebuild(NULL, &st)) {
		remove_hole(gpa);
		return false;
	}
	guest_mem_ept_retire_old();
	return true;
}

/* Write-protect the page at gpa in the guest's EPT (see guest_mem.h): a
 * fresh EPT with the page split out replaces the current one, which no
 * CPU uses yet. */
bool guest_mem_watch_page(uint64_t gpa)
{
	struct ept_stats st;

	gpa &= ~(PAGE_SIZE - 1);
	for (size_t i = 0; i < watch_count; i++)
		if (watch_pages[i] == gpa)
			return true;
	if (watch_count == GUEST_MEM_WATCH_MAX || !guest_mem_accessible(gpa, PAGE_SIZE))
		return false;
	watch_pages[watch_count++] = gpa;
	if (!guest_mem_ept_rebuild(NULL, &st)) {
		watch_count--;
		return false;
	}
	guest_mem_ept_retire_old();
	return true;
}

/* Give or take back the write right of a watched page in the EPT in use
 * (see guest_mem.h). */
bool guest_mem_watch_writable(uint64_t gpa, bool writable)
{
	uint64_t *pte;
	size_t i;

	gpa &= ~(PAGE_SIZE - 1);
	for (i = 0; i < watch_count && watch_pages[i] != gpa; i++)
		;
	if (i == watch_count || !(pte = ept_pte(ept_pml4, gpa, table_virt)))
		return false;
	*pte = writable ? *pte | EPT_WRITE : *pte & ~EPT_WRITE;
	return true;
}

/* Give up every watch (see guest_mem.h). */
void guest_mem_unwatch_all(void)
{
	for (size_t i = 0; i < watch_count; i++)
		guest_mem_watch_writable(watch_pages[i], true);
	watch_count = 0;
}

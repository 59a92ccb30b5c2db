/*
 * Physical page-frame allocator: the pure bookkeeping (see mm/pmm.h).
 *
 * The free set is an array of ranges kept sorted by base, never
 * overlapping and never touching (touching ranges are merged), so every
 * operation is a walk over a few hundred entries at most.  Nothing here
 * reads or writes the memory being managed; mm/pmm_global.c does that.
 *
 * When the array is full, an operation that would need one more entry
 * drops the smaller piece of free memory instead (counted in
 * lost_pages): losing a little free RAM is safe, handing out memory that
 * was reserved is not.
 */
#include "mm/pmm.h"

/* v rounded down to align, a power of two. */
static uint64_t align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

/* Round up, saturating at the highest page boundary instead of wrapping. */
static uint64_t page_align_up(uint64_t v)
{
	if (v > UINT64_MAX - (PAGE_SIZE - 1))
		return align_down(UINT64_MAX, PAGE_SIZE);
	return align_down(v + PAGE_SIZE - 1, PAGE_SIZE);
}

/* End of [base, base+len), saturating at 2^64 - 1. */
static uint64_t range_end(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

/* The number of whole pages in a free range (both ends are page-aligned). */
static uint64_t range_pages(const struct pmm_range *r)
{
	return (r->end - r->base) >> PAGE_SHIFT;
}

/* Whether v is a power of two (0 is not). */
static bool is_power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Open a hole at index i (the caller checked there is room). */
static void slot_insert(struct pmm *p, uint32_t i)
{
	for (uint32_t j = p->count; j > i; j--)
		p->free[j] = p->free[j - 1];
	p->count++;
}

/* Remove entries [i, i+n). */
static void slot_delete(struct pmm *p, uint32_t i, uint32_t n)
{
	for (uint32_t j = i; j + n < p->count; j++)
		p->free[j] = p->free[j + n];
	p->count -= n;
}

/* Empty the free set and the lost-page count; p needs no other
 * initialisation. */
void pmm_reset(struct pmm *p)
{
	p->count = 0;
	p->lost_pages = 0;
}

/* Union [base, end) (page aligned, base < end) into the free set. */
static bool add_aligned(struct pmm *p, uint64_t base, uint64_t end)
{
	uint32_t first = 0;

	/* First entry that overlaps or touches [base, end) or lies above it. */
	while (first < p->count && p->free[first].end < base)
		first++;
	uint32_t last = first;  /* one past the last entry to merge */
	while (last < p->count && p->free[last].base <= end)
		last++;

	if (first == last) {
		if (p->count == PMM_RANGES_MAX) {
			p->lost_pages += (end - base) >> PAGE_SHIFT;
			return false;
		}
		slot_insert(p, first);
		p->free[first] = (struct pmm_range){ base, end };
		return true;
	}
	if (p->free[first].base < base)
		base = p->free[first].base;
	if (p->free[last - 1].end > end)
		end = p->free[last - 1].end;
	p->free[first] = (struct pmm_range){ base, end };
	slot_delete(p, first + 1, last - first - 1);
	return true;
}

/* Add the whole pages inside [base, base + len) to the free set, merging
 * with neighbours.  False when the array was full and the range was dropped
 * (counted in lost_pages). */
bool pmm_range_add(struct pmm *p, uint64_t base, uint64_t len)
{
	uint64_t start = page_align_up(base);
	uint64_t end = align_down(range_end(base, len), PAGE_SIZE);

	if (start >= end)
		return true;    /* nothing whole to add */
	return add_aligned(p, start, end);
}

/*
 * Cut [base, end) out of entry i, which it lies strictly inside.  With no
 * room for the second piece, keep the larger one and drop the other.
 */
static bool split_entry(struct pmm *p, uint32_t i, uint64_t base, uint64_t end)
{
	struct pmm_range low = { p->free[i].base, base };
	struct pmm_range high = { end, p->free[i].end };

	if (p->count < PMM_RANGES_MAX) {
		slot_insert(p, i + 1);
		p->free[i] = low;
		p->free[i + 1] = high;
		return true;
	}
	if (range_pages(&low) >= range_pages(&high)) {
		p->lost_pages += range_pages(&high);
		p->free[i] = low;
	} else {
		p->lost_pages += range_pages(&low);
		p->free[i] = high;
	}
	return false;
}

/* Remove [base, end) (page aligned, base < end) from the free set. */
static bool remove_aligned(struct pmm *p, uint64_t base, uint64_t end)
{
	uint32_t i = 0;

	while (i < p->count && p->free[i].end <= base)
		i++;
	while (i < p->count && p->free[i].base < end) {
		struct pmm_range *r = &p->free[i];

		if (base <= r->base && end >= r->end) {
			slot_delete(p, i, 1);
			continue;
		}
		if (base > r->base && end < r->end)
			return split_entry(p, i, base, end);
		if (base <= r->base)
			r->base = end;          /* cut the low part */
		else
			r->end = base;          /* cut the high part */
		i++;
	}
	return true;
}

/* Remove [base, base + len), grown outward to whole pages, from the free
 * set, whether or not it was free.  False when a split found no room and the
 * smaller piece was dropped (counted in lost_pages); the range is gone
 * either way. */
bool pmm_range_reserve(struct pmm *p, uint64_t base, uint64_t len)
{
	uint64_t start = align_down(base, PAGE_SIZE);
	uint64_t end = page_align_up(range_end(base, len));

	if (len == 0 || start >= end)
		return true;
	return remove_aligned(p, start, end);
}

/* Highest aligned start of `size` bytes inside r below limit; 0 if none. */
static uint64_t fit_in_range(const struct pmm_range *r, uint64_t size,
			     uint64_t align, uint64_t limit)
{
	uint64_t top = r->end < limit ? r->end : limit;

	if (top <= r->base || top - r->base < size)
		return 0;
	uint64_t start = align_down(top - size, align);
	return start >= r->base ? start : 0;
}

/* Take the highest run of pages pages aligned to align (a power of two, at
 * least a page) that ends below limit (0: no limit).  Returns its base, 0
 * when none fits or the arguments are invalid; page 0 is never handed out. */
uint64_t pmm_range_alloc(struct pmm *p, uint64_t pages, uint64_t align,
			 uint64_t limit)
{
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (pages == 0 || pages > (UINT64_MAX >> PAGE_SHIFT) ||
	    !is_power_of_two(align))
		return 0;
	limit = limit ? align_down(limit, PAGE_SIZE) : UINT64_MAX;

	uint64_t size = pages << PAGE_SHIFT;
	for (uint32_t i = p->count; i-- > 0;) {
		/* Address 0 means "none", so page 0 is never handed out. */
		uint64_t start = fit_in_range(&p->free[i], size, align, limit);
		if (start) {
			remove_aligned(p, start, start + size);
			return start;
		}
	}
	return 0;
}

/* Give pages pages at base back to the free set; base should be page-aligned
 * (a partial first page is not added).  Nothing is checked against double
 * frees. */
void pmm_range_free(struct pmm *p, uint64_t base, uint64_t pages)
{
	if (pages == 0 || pages > (UINT64_MAX >> PAGE_SHIFT))
		return;
	pmm_range_add(p, base, pages << PAGE_SHIFT);
}

/* Take [base, base + len) out of the free set when one free range holds all
 * of it (base and len page aligned, len not 0); false, with the set
 * unchanged, otherwise. */
bool pmm_range_take(struct pmm *p, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;

	if (!len || end < base || ((base | len) & (PAGE_SIZE - 1)))
		return false;
	for (uint32_t i = 0; i < p->count; i++) {
		if (p->free[i].base <= base && end <= p->free[i].end) {
			/* A split with the table full drops a free piece
			 * (lost_pages); the range is taken either way. */
			remove_aligned(p, base, end);
			return true;
		}
	}
	return false;
}

/* The number of free pages in the set. */
uint64_t pmm_free_pages(const struct pmm *p)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < p->count; i++)
		n += range_pages(&p->free[i]);
	return n;
}

/*
 * Remove what must never be handed out even when the map calls it free:
 * the first MiB, the hypervisor image, every module and the RSDP's page.
 */
static void reserve_in_use(struct pmm *p, const struct mm_layout *l)
{
	pmm_range_reserve(p, 0, LOW_MEMORY_END);
	pmm_range_reserve(p, l->image.base, l->image.size);
	for (uint32_t i = 0; i < l->module_count && i < MM_MODULES_MAX; i++)
		pmm_range_reserve(p, l->modules[i].base, l->modules[i].size);
	if (l->rsdp)
		pmm_range_reserve(p, l->rsdp, 1);
}

/* Add every map range of type `type`, then remove every range of any other
 * type, so overlapping entries of another type always win. */
static void build_from_type(struct pmm *p, const struct mm_layout *l,
			    uint32_t type)
{
	const struct memmap *m = l->map;
	uint32_t n = m->count < MEMMAP_MAX ? m->count : MEMMAP_MAX;

	pmm_reset(p);
	for (uint32_t i = 0; i < n; i++)
		if (m->ranges[i].type == type)
			pmm_range_add(p, m->ranges[i].base,
				      m->ranges[i].length);
	for (uint32_t i = 0; i < n; i++)
		if (m->ranges[i].type != type)
			pmm_range_reserve(p, m->ranges[i].base,
					  m->ranges[i].length);
	reserve_in_use(p, l);
}

/* Fill p with the map's usable RAM minus every other range and the memory
 * in use (first MiB, image, modules, RSDP page). */
void pmm_build_free_ram(struct pmm *p, const struct mm_layout *l)
{
	build_from_type(p, l, MEM_USABLE);
}

/* Fill p with the boot-services ranges, minus every other range and the
 * memory in use; empty on a BIOS boot. */
void pmm_build_boot_services(struct pmm *p, const struct mm_layout *l)
{
	build_from_type(p, l, MEM_BOOT_SERVICES);
}

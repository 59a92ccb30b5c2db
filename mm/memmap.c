/*
 * The physical memory map: the names of its types, appending a range, and
 * normalising (sort, merge, resolve overlaps).  Pure: built into the host
 * unit tests.
 */
#include "lib/str.h"
#include "mm/memmap.h"

static const char *const mem_type_names[MEM_TYPE_COUNT] = {
	[MEM_USABLE] = "usable",
	[MEM_RESERVED] = "reserved",
	[MEM_ACPI_RECLAIM] = "ACPI reclaimable",
	[MEM_ACPI_NVS] = "ACPI NVS",
	[MEM_BAD] = "bad",
	[MEM_FW_RUNTIME] = "firmware runtime",
	[MEM_BOOT_SERVICES] = "boot services",
	[MEM_MMIO] = "MMIO",
	[MEM_PERSISTENT] = "persistent",
};

/*
 * Where ranges of different types overlap, the higher rank wins: free RAM
 * gives way to anything, boot-services memory (RAM later) to anything
 * firmware still owns, and reserved/bad memory to nothing.
 */
static const uint8_t mem_type_rank[MEM_TYPE_COUNT] = {
	[MEM_USABLE] = 1,
	[MEM_BOOT_SERVICES] = 2,
	[MEM_ACPI_RECLAIM] = 3,
	[MEM_PERSISTENT] = 4,
	[MEM_ACPI_NVS] = 5,
	[MEM_FW_RUNTIME] = 6,
	[MEM_MMIO] = 7,
	[MEM_RESERVED] = 8,
	[MEM_BAD] = 9,
};

/* The type's name for the log; "unknown" for numbers out of range. */
const char *mem_type_name(uint32_t type)
{
	if (type < MEM_TYPE_COUNT && mem_type_names[type])
		return mem_type_names[type];
	return "unknown";
}

/* Unknown types are stored as reserved: never touch what we cannot name. */
bool memmap_add(struct memmap *m, uint64_t base, uint64_t length,
		uint32_t type)
{
	if (length == 0 || base + length < base || m->count >= MEMMAP_MAX)
		return false;
	if (type == 0 || type >= MEM_TYPE_COUNT)
		type = MEM_RESERVED;
	m->ranges[m->count++] = (struct mem_range){
		.base = base, .length = length, .type = type,
	};
	return true;
}

/* ---- memory map normalisation ------------------------------------------ */

/* Every range starts and ends at one of these points (at most 2 each). */
static uint64_t mmap_points[2 * MEMMAP_MAX];
/* The result before it is copied back; see memmap_normalize. */
static struct mem_range mmap_out[2 * MEMMAP_MAX];

/* How restrictive a type is (higher wins an overlap); unknown types rank
 * as reserved. */
static uint32_t mem_rank(uint32_t type)
{
	return type < MEM_TYPE_COUNT ? mem_type_rank[type]
				     : mem_type_rank[MEM_RESERVED];
}

/* Insertion sort of n boundaries (n is small: twice the map at most). */
static void sort_points(uint64_t *p, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t v = p[i];
		uint32_t j = i;

		for (; j > 0 && p[j - 1] > v; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

/* All range boundaries, sorted, without duplicates; returns the count. */
static uint32_t collect_points(const struct memmap *m)
{
	uint32_t n = 0, unique = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		mmap_points[n++] = m->ranges[i].base;
		mmap_points[n++] = m->ranges[i].base + m->ranges[i].length;
	}
	sort_points(mmap_points, n);
	for (uint32_t i = 0; i < n; i++) {
		if (unique == 0 || mmap_points[unique - 1] != mmap_points[i])
			mmap_points[unique++] = mmap_points[i];
	}
	return unique;
}

/* The winning type over [start, end), or 0 when no range covers it.  The
 * span lies between two neighbouring boundaries, so a range covers all of
 * it or none of it. */
static uint32_t type_at(const struct memmap *m, uint64_t start)
{
	uint32_t best = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->ranges[i];

		if (start >= r->base && start - r->base < r->length &&
		    (best == 0 || mem_rank(r->type) > mem_rank(best)))
			best = r->type;
	}
	return best;
}

/* Append [start, end) of type to the output, merging with its neighbour. */
static void out_append(uint32_t *count, uint64_t start, uint64_t end,
		       uint32_t type)
{
	struct mem_range *last = *count ? &mmap_out[*count - 1] : NULL;

	if (last && last->type == type && last->base + last->length == start) {
		last->length += end - start;
		return;
	}
	mmap_out[(*count)++] = (struct mem_range){
		.base = start, .length = end - start, .type = type,
	};
}

/*
 * Cut the map at every boundary, give each piece the most restrictive type
 * of the ranges covering it, and join neighbours of one type: the result is
 * sorted and has no overlaps.  Cutting can produce more ranges than went in
 * (a reserved hole splits a usable range in two); if the result does not
 * fit, the highest ranges are dropped and the function returns false.
 */
bool memmap_normalize(struct memmap *m)
{
	uint32_t npoints = collect_points(m), count = 0;
	bool fits;

	for (uint32_t i = 0; i + 1 < npoints; i++) {
		uint32_t type = type_at(m, mmap_points[i]);

		if (type)
			out_append(&count, mmap_points[i], mmap_points[i + 1],
				   type);
	}
	fits = count <= MEMMAP_MAX;
	if (!fits)
		count = MEMMAP_MAX;
	memcpy(m->ranges, mmap_out, count * sizeof(mmap_out[0]));
	m->count = count;
	return fits;
}

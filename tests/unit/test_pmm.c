/* Unit tests for the physical range allocator (mm/pmm.c). */
#include <stdlib.h>

#include "mm/pmm.h"
#include "tests/unit/test.h"

#define KIB(x) ((uint64_t)(x) << 10)
#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)

/* struct pmm is 8 KiB: keep it off the test stack. */
static struct pmm pm;

/* True when the free set is exactly `want` (n ranges, in order). */
static bool ranges_are(const struct pmm *p, const struct pmm_range *want,
		       uint32_t n)
{
	if (p->count != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (p->free[i].base != want[i].base ||
		    p->free[i].end != want[i].end)
			return false;
	return true;
}

static void print_ranges(const struct pmm *p)
{
	printf("    free set (%u):", p->count);
	for (uint32_t i = 0; i < p->count && i < 16; i++)
		printf(" [%#llx,%#llx)", (unsigned long long)p->free[i].base,
		       (unsigned long long)p->free[i].end);
	printf("\n");
}

#define CHECK_RANGES(p, ...)                                                  \
	do {                                                                  \
		const struct pmm_range want_[] = { __VA_ARGS__ };             \
		uint32_t n_ = sizeof(want_) / sizeof(want_[0]);               \
		if (!ranges_are((p), want_, n_)) {                            \
			test_fail(__FILE__, __LINE__, "free set differs");    \
			print_ranges(p);                                      \
			return;                                               \
		}                                                             \
	} while (0)

#define R(b, e) { (b), (e) }

/* Sorted, non-overlapping, non-touching, page aligned, non-empty. */
static bool well_formed(const struct pmm *p)
{
	for (uint32_t i = 0; i < p->count; i++) {
		const struct pmm_range *r = &p->free[i];
		if (r->base >= r->end || (r->base | r->end) & (PAGE_SIZE - 1))
			return false;
		if (i && p->free[i - 1].end >= r->base)
			return false;
	}
	return true;
}

/* One layout and its map shared by the tests (6 KiB), cleared for each. */
static struct memmap map_store;
static struct mm_layout layout_store;

static struct mm_layout *new_layout(void)
{
	memset(&map_store, 0, sizeof(map_store));
	memset(&layout_store, 0, sizeof(layout_store));
	layout_store.map = &map_store;
	return &layout_store;
}

/* Append a range to the layout's map as given: no merging, so overlaps
 * reach the allocator. */
static void map_add(uint64_t base, uint64_t len, uint32_t type)
{
	map_store.ranges[map_store.count++] =
		(struct mem_range){ base, len, type };
}

static void module_add(struct mm_layout *lay, uint64_t base, uint64_t size)
{
	lay->modules[lay->module_count++] = (struct mem_extent){ base, size };
}

/* ---- add / coalescing ---------------------------------------------------- */

TEST(pmm_add_sorts_and_coalesces)
{
	pmm_reset(&pm);
	CHECK(pmm_range_add(&pm, MIB(8), MIB(1)));
	CHECK(pmm_range_add(&pm, MIB(2), MIB(1)));
	CHECK(pmm_range_add(&pm, MIB(5), MIB(1)));
	CHECK_RANGES(&pm, R(MIB(2), MIB(3)), R(MIB(5), MIB(6)),
		     R(MIB(8), MIB(9)));
	/* Touching on both sides: three become one. */
	CHECK(pmm_range_add(&pm, MIB(3), MIB(2)));
	CHECK(pmm_range_add(&pm, MIB(6), MIB(2)));
	CHECK_RANGES(&pm, R(MIB(2), MIB(9)));
	CHECK_EQ(pmm_free_pages(&pm), MIB(7) / PAGE_SIZE);
}

TEST(pmm_add_overlapping_is_union)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(2));
	pmm_range_add(&pm, MIB(4), MIB(2));
	pmm_range_add(&pm, MIB(2), MIB(3));          /* bridges both */
	CHECK_RANGES(&pm, R(MIB(1), MIB(6)));
	pmm_range_add(&pm, MIB(1), MIB(5));          /* already free */
	CHECK_RANGES(&pm, R(MIB(1), MIB(6)));
	pmm_range_add(&pm, 0x10000, MIB(10));        /* swallows everything */
	CHECK_RANGES(&pm, R(0x10000, 0x10000 + MIB(10)));
}

TEST(pmm_add_shrinks_to_whole_pages)
{
	pmm_reset(&pm);
	CHECK(pmm_range_add(&pm, 0x1001, 0x3000));   /* [0x1001,0x4001) */
	CHECK_RANGES(&pm, R(0x2000, 0x4000));
	CHECK(pmm_range_add(&pm, 0x10800, 0x1000));  /* no whole page */
	CHECK_RANGES(&pm, R(0x2000, 0x4000));
	CHECK(pmm_range_add(&pm, 0x20000, 0));
	CHECK_RANGES(&pm, R(0x2000, 0x4000));
}

TEST(pmm_add_near_top_of_address_space)
{
	pmm_reset(&pm);
	/* Length runs past 2^64: clamp, never wrap. */
	CHECK(pmm_range_add(&pm, UINT64_MAX - MIB(1) + 1, MIB(4)));
	CHECK_EQ(pm.count, 1);
	CHECK_EQ(pm.free[0].base, UINT64_MAX - MIB(1) + 1);
	CHECK_EQ(pm.free[0].end, UINT64_MAX - PAGE_SIZE + 1);
	CHECK(well_formed(&pm));
}

TEST(pmm_add_reports_overflow)
{
	pmm_reset(&pm);
	for (uint64_t i = 0; i < PMM_RANGES_MAX; i++)
		CHECK(pmm_range_add(&pm, MIB(1) + i * 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(pm.count, PMM_RANGES_MAX);
	CHECK(!pmm_range_add(&pm, GIB(1), PAGE_SIZE));
	CHECK_EQ(pm.lost_pages, 1);
	/* Merging needs no new entry and still works when full. */
	CHECK(pmm_range_add(&pm, MIB(1) + PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(pm.count, PMM_RANGES_MAX - 1);
	CHECK(well_formed(&pm));
}

/* ---- reserve ------------------------------------------------------------- */

TEST(pmm_reserve_splits_and_trims)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(9));          /* [1,10) MiB */
	CHECK(pmm_range_reserve(&pm, MIB(4), MIB(1)));
	CHECK_RANGES(&pm, R(MIB(1), MIB(4)), R(MIB(5), MIB(10)));
	CHECK(pmm_range_reserve(&pm, MIB(0), MIB(2)));   /* low end */
	CHECK(pmm_range_reserve(&pm, MIB(9), MIB(3)));   /* high end */
	CHECK_RANGES(&pm, R(MIB(2), MIB(4)), R(MIB(5), MIB(9)));
	CHECK(pmm_range_reserve(&pm, MIB(3), MIB(3)));   /* spans the gap */
	CHECK_RANGES(&pm, R(MIB(2), MIB(3)), R(MIB(6), MIB(9)));
	CHECK(pmm_range_reserve(&pm, MIB(2), MIB(1)));   /* exactly one */
	CHECK_RANGES(&pm, R(MIB(6), MIB(9)));
	CHECK(pmm_range_reserve(&pm, 0, GIB(1)));        /* everything */
	CHECK_EQ(pm.count, 0);
}

TEST(pmm_reserve_grows_to_whole_pages)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(1));
	CHECK(pmm_range_reserve(&pm, MIB(1) + 0x1ff0, 0x20));  /* two pages */
	CHECK_RANGES(&pm, R(MIB(1), MIB(1) + 0x1000),
		     R(MIB(1) + 0x3000, MIB(2)));
	CHECK(pmm_range_reserve(&pm, MIB(1) + 0x3fff, 1));     /* one byte */
	CHECK_RANGES(&pm, R(MIB(1), MIB(1) + 0x1000),
		     R(MIB(1) + 0x4000, MIB(2)));
	CHECK(pmm_range_reserve(&pm, MIB(1) + 0x8000, 0));     /* nothing */
	CHECK_RANGES(&pm, R(MIB(1), MIB(1) + 0x1000),
		     R(MIB(1) + 0x4000, MIB(2)));
}

TEST(pmm_reserve_outside_free_set_is_harmless)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(4), MIB(1));
	CHECK(pmm_range_reserve(&pm, MIB(1), MIB(1)));
	CHECK(pmm_range_reserve(&pm, MIB(8), MIB(1)));
	CHECK(pmm_range_reserve(&pm, UINT64_MAX - PAGE_SIZE, MIB(1)));
	CHECK_RANGES(&pm, R(MIB(4), MIB(5)));
}

TEST(pmm_reserve_overflow_keeps_reserved_memory_out)
{
	pmm_reset(&pm);
	/* 511 one-page ranges and one large range: the table is full. */
	for (uint64_t i = 0; i < PMM_RANGES_MAX - 1; i++)
		pmm_range_add(&pm, MIB(1) + i * 2 * PAGE_SIZE, PAGE_SIZE);
	pmm_range_add(&pm, GIB(1), MIB(1));
	CHECK_EQ(pm.count, PMM_RANGES_MAX);
	uint64_t before = pmm_free_pages(&pm);

	/* A split needs a new entry: reported, and the hole is reserved; the
	 * smaller leftover (one page below) is dropped. */
	CHECK(!pmm_range_reserve(&pm, GIB(1) + PAGE_SIZE, PAGE_SIZE));
	CHECK_EQ(pm.lost_pages, 1);
	CHECK_EQ(pmm_free_pages(&pm), before - 2);
	CHECK_EQ(pm.free[pm.count - 1].base, GIB(1) + 2 * PAGE_SIZE);
	CHECK(well_formed(&pm));
}

/* ---- allocation ---------------------------------------------------------- */

TEST(pmm_alloc_is_top_down)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(1));
	pmm_range_add(&pm, MIB(4), KIB(8));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), MIB(4) + KIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), MIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), MIB(2) - KIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 2, 0, 0), MIB(2) - KIB(12));
	CHECK_RANGES(&pm, R(MIB(1), MIB(2) - KIB(12)));
}

TEST(pmm_alloc_skips_ranges_too_small)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(1));
	pmm_range_add(&pm, MIB(8), KIB(12));
	CHECK_EQ(pmm_range_alloc(&pm, 4, 0, 0), MIB(2) - KIB(16));
	CHECK_RANGES(&pm, R(MIB(1), MIB(2) - KIB(16)), R(MIB(8), MIB(8) + KIB(12)));
}

TEST(pmm_alloc_alignment)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(3) + KIB(20));    /* [1 MiB, 4 MiB+20K) */
	/* 2 MiB aligned: the highest such page, with free pages above it. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, MIB(2), 0), MIB(4));
	CHECK_RANGES(&pm, R(MIB(1), MIB(4)), R(MIB(4) + KIB(4), MIB(4) + KIB(20)));
	/* 16 KiB aligned, 4 pages: the small top range cannot hold an aligned
	 * block, so it comes from below and splits nothing. */
	CHECK_EQ(pmm_range_alloc(&pm, 4, KIB(16), 0), MIB(4) - KIB(16));
	/* Aligned inside a range: leaves free pages on both sides. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, MIB(2), 0), MIB(2));
	CHECK_RANGES(&pm, R(MIB(1), MIB(2)), R(MIB(2) + KIB(4), MIB(4) - KIB(16)),
		     R(MIB(4) + KIB(4), MIB(4) + KIB(20)));
	/* No 4 MiB aligned page is left (page 0 is never handed out). */
	CHECK_EQ(pmm_range_alloc(&pm, 1, MIB(4), 0), 0);
	CHECK(well_formed(&pm));
}

TEST(pmm_alloc_rejects_bad_requests)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(1));
	CHECK_EQ(pmm_range_alloc(&pm, 0, 0, 0), 0);
	CHECK_EQ(pmm_range_alloc(&pm, 1, KIB(12), 0), 0);   /* not 2^n */
	CHECK_EQ(pmm_range_alloc(&pm, UINT64_MAX, 0, 0), 0);
	CHECK_EQ(pmm_range_alloc(&pm, 1ull << 52, 0, 0), 0);
	CHECK_EQ(pmm_free_pages(&pm), MIB(1) / PAGE_SIZE);
}

TEST(pmm_alloc_small_alignment_means_page)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), KIB(8));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 1, 0), MIB(1) + KIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 8, 0), MIB(1));
}

TEST(pmm_alloc_limit)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(1));
	pmm_range_add(&pm, GIB(4), GIB(1));
	/* Below 4 GiB: the high range is skipped. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, GIB(4)), MIB(2) - KIB(4));
	/* A limit inside a range caps the top; unaligned limits round down. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, MIB(1) + KIB(10)), MIB(1) + KIB(4));
	/* Exclusive: a block ending exactly at the limit is fine. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, MIB(1) + KIB(4)), MIB(1));
	/* Nothing below. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, MIB(1)), 0);
	/* No limit: the top of RAM above 4 GiB. */
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), GIB(5) - KIB(4));
	CHECK(well_formed(&pm));
}

TEST(pmm_alloc_exhaustion)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), KIB(16));
	pmm_range_add(&pm, MIB(3), KIB(8));
	CHECK_EQ(pmm_range_alloc(&pm, 5, 0, 0), 0);       /* 6 free, not contiguous */
	for (int i = 0; i < 6; i++)
		CHECK(pmm_range_alloc(&pm, 1, 0, 0) != 0);
	CHECK_EQ(pm.count, 0);
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), 0);
	CHECK_EQ(pmm_free_pages(&pm), 0);
}

TEST(pmm_alloc_never_returns_page_zero)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, 0, KIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), 0);
	CHECK_EQ(pm.count, 1);
}

TEST(pmm_alloc_above_4g)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, GIB(4), GIB(60));
	uint64_t a = pmm_range_alloc(&pm, 512, GIB(1), 0);
	CHECK_EQ(a, GIB(63));
	CHECK_RANGES(&pm, R(GIB(4), GIB(63)), R(GIB(63) + MIB(2), GIB(64)));
}

/* ---- free / fragmentation ----------------------------------------------- */

TEST(pmm_free_coalesces_back)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), KIB(40));
	uint64_t page[10];
	for (int i = 0; i < 10; i++)
		page[i] = pmm_range_alloc(&pm, 1, 0, 0);
	CHECK_EQ(pm.count, 0);
	/* Free every other page: five separate ranges. */
	for (int i = 0; i < 10; i += 2)
		pmm_range_free(&pm, page[i], 1);
	CHECK_EQ(pm.count, 5);
	CHECK_EQ(pmm_range_alloc(&pm, 2, 0, 0), 0);        /* fragmented */
	for (int i = 1; i < 10; i += 2)
		pmm_range_free(&pm, page[i], 1);
	CHECK_RANGES(&pm, R(MIB(1), MIB(1) + KIB(40)));
	CHECK_EQ(pmm_range_alloc(&pm, 10, 0, 0), MIB(1));
}

TEST(pmm_free_zero_pages_is_noop)
{
	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), KIB(4));
	pmm_range_free(&pm, MIB(2), 0);
	CHECK_RANGES(&pm, R(MIB(1), MIB(1) + KIB(4)));
}

/* Random allocations and frees keep the set consistent and lose nothing. */
TEST(pmm_random_alloc_free_round_trip)
{
	enum { N = 200 };
	uint64_t base[N], pages[N];
	unsigned seed = 12345;

	pmm_reset(&pm);
	pmm_range_add(&pm, MIB(1), MIB(15));
	pmm_range_add(&pm, MIB(20), MIB(12));
	uint64_t total = pmm_free_pages(&pm);
	for (int i = 0; i < N; i++) {
		pages[i] = 1 + rand_r(&seed) % 16;
		uint64_t align = PAGE_SIZE << (rand_r(&seed) % 6);
		base[i] = pmm_range_alloc(&pm, pages[i], align, 0);
		CHECK(base[i] != 0);
		CHECK_EQ(base[i] & (align - 1), 0);
		CHECK(well_formed(&pm));
	}
	for (int i = 0; i < N; i++) {
		int j = (i * 7919) % N;   /* a fixed shuffle */
		pmm_range_free(&pm, base[j], pages[j]);
		CHECK(well_formed(&pm));
	}
	CHECK_EQ(pmm_free_pages(&pm), total);
	CHECK_RANGES(&pm, R(MIB(1), MIB(16)), R(MIB(20), MIB(32)));
}

/* ---- building from a boot map ------------------------------------------- */

TEST(pmm_boot_map_usable_only)
{
	struct mm_layout *lay = new_layout();
	map_add(0, 0x9fc00, MEM_USABLE);
	map_add(0x9fc00, 0x400, MEM_RESERVED);
	map_add(0xf0000, 0x10000, MEM_RESERVED);
	map_add(MIB(1), MIB(126), MEM_USABLE);
	map_add(MIB(127), MIB(1), MEM_ACPI_RECLAIM);
	map_add(MIB(128), MIB(64), MEM_BOOT_SERVICES);
	map_add(MIB(192), MIB(1), MEM_FW_RUNTIME);
	map_add(MIB(193), MIB(1), MEM_ACPI_NVS);
	map_add(MIB(194), MIB(1), MEM_BAD);
	map_add(MIB(195), MIB(1), MEM_PERSISTENT);
	map_add(GIB(3), GIB(1), MEM_MMIO);
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), MIB(127)));
}

TEST(pmm_boot_map_excludes_image_modules_rsdp)
{
	struct mm_layout *lay = new_layout();
	map_add(0, 0x9f000, MEM_USABLE);
	map_add(MIB(1), MIB(127), MEM_USABLE);
	lay->image.base = MIB(2);
	lay->image.size = 0x12345;                    /* ends mid-page */
	module_add(lay, MIB(16), MIB(3) + 1);         /* spills one byte */
	module_add(lay, MIB(64), 0);                  /* empty: no effect */
	module_add(lay, MIB(100), KIB(4));
	lay->rsdp = MIB(120) + 0x10;
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), MIB(2)), R(MIB(2) + 0x13000, MIB(16)),
		     R(MIB(19) + KIB(4), MIB(100)), R(MIB(100) + KIB(4), MIB(120)),
		     R(MIB(120) + KIB(4), MIB(128)));
}

TEST(pmm_boot_map_unsorted_and_overlapping)
{
	struct mm_layout *lay = new_layout();
	/* Unsorted, overlapping usable ranges, and a reserved range lying
	 * inside usable RAM: reserved wins whatever the order. */
	map_add(MIB(32), MIB(32), MEM_USABLE);
	map_add(MIB(40), MIB(1), MEM_RESERVED);
	map_add(MIB(1), MIB(16), MEM_USABLE);
	map_add(MIB(8), MIB(30), MEM_USABLE);
	map_add(MIB(60), MIB(10), MEM_ACPI_NVS);
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), MIB(40)), R(MIB(41), MIB(60)));
}

TEST(pmm_boot_map_same_range_two_types)
{
	struct mm_layout *lay = new_layout();
	map_add(MIB(1), MIB(8), MEM_USABLE);
	map_add(MIB(1), MIB(8), MEM_BOOT_SERVICES);
	map_add(MIB(16), MIB(8), MEM_USABLE);
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(16), MIB(24)));
}

TEST(pmm_boot_map_zero_length_and_unaligned)
{
	struct mm_layout *lay = new_layout();
	map_add(MIB(2), 0, MEM_USABLE);
	map_add(MIB(4), 0, MEM_RESERVED);   /* must not reserve a page */
	map_add(MIB(3) + 0x100, MIB(2), MEM_USABLE);
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(3) + KIB(4), MIB(5)));
}

TEST(pmm_boot_map_above_4g)
{
	struct mm_layout *lay = new_layout();
	map_add(MIB(1), GIB(2) - MIB(1), MEM_USABLE);
	map_add(GIB(4), GIB(12), MEM_USABLE);
	map_add(GIB(8), MIB(2), MEM_RESERVED);
	module_add(lay, GIB(15), MIB(1));
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), GIB(2)), R(GIB(4), GIB(8)),
		     R(GIB(8) + MIB(2), GIB(15)), R(GIB(15) + MIB(1), GIB(16)));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, GIB(4)), GIB(2) - KIB(4));
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), GIB(16) - KIB(4));
}

TEST(pmm_boot_map_low_mib_never_free)
{
	struct mm_layout *lay = new_layout();
	map_add(0, MIB(4), MEM_USABLE);
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), MIB(4)));
}

TEST(pmm_boot_services_reclaim_set)
{
	struct mm_layout *lay = new_layout();
	map_add(0, MIB(1), MEM_BOOT_SERVICES);      /* low MiB: never */
	map_add(MIB(1), MIB(7), MEM_USABLE);
	map_add(MIB(8), MIB(8), MEM_BOOT_SERVICES);
	map_add(MIB(12), MIB(1), MEM_FW_RUNTIME);   /* overlaps */
	map_add(MIB(15), MIB(2), MEM_USABLE);       /* overlaps */
	map_add(MIB(32), MIB(4), MEM_BOOT_SERVICES);
	lay->image.base = MIB(9);
	lay->image.size = MIB(1);
	module_add(lay, MIB(33), MIB(1));
	lay->rsdp = MIB(35);
	pmm_build_boot_services(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(8), MIB(9)), R(MIB(10), MIB(12)),
		     R(MIB(13), MIB(15)), R(MIB(32), MIB(33)),
		     R(MIB(34), MIB(35)), R(MIB(35) + KIB(4), MIB(36)));
	/* The usable build is unaffected by the boot-services ranges. */
	pmm_build_free_ram(&pm, lay);
	CHECK_RANGES(&pm, R(MIB(1), MIB(8)), R(MIB(16), MIB(17)));
}

TEST(pmm_boot_map_empty)
{
	struct mm_layout *lay = new_layout();
	pmm_build_free_ram(&pm, lay);
	CHECK_EQ(pm.count, 0);
	CHECK_EQ(pmm_range_alloc(&pm, 1, 0, 0), 0);
}

/* mm/memmap.c: type names, appending ranges, map normalisation. */
#include <stdlib.h>

#include "mm/memmap.h"
#include "tests/unit/test.h"

#define MiB (1ull << 20)

/* A memmap is ~6 KB; keep it off the test's stack.  Empty on return. */
static struct memmap *new_map(void)
{
	static struct memmap m;

	memset(&m, 0, sizeof(m));
	return &m;
}

struct want_range {
	uint64_t base, length;
	uint32_t type;
};

/* The map equals `want` exactly; reports the first different entry. */
static int map_is(const struct memmap *m, const struct want_range *want,
		  uint32_t n, int line)
{
	if (m->count != n) {
		test_fail(__FILE__, line, "count %u, want %u",
			  m->count, n);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct mem_range *r = &m->ranges[i];

		if (r->base != want[i].base || r->length != want[i].length ||
		    r->type != want[i].type) {
			test_fail(__FILE__, line,
				  "range %u: %#llx+%#llx type %u, want %#llx+%#llx type %u",
				  i, (unsigned long long)r->base,
				  (unsigned long long)r->length, r->type,
				  (unsigned long long)want[i].base,
				  (unsigned long long)want[i].length, want[i].type);
			return 0;
		}
	}
	return 1;
}

#define CHECK_MAP(m, ...)                                                   \
	do {                                                                \
		static const struct want_range w_[] = { __VA_ARGS__ };      \
		if (!map_is(m, w_, sizeof(w_) / sizeof(w_[0]), __LINE__))   \
			return;                                             \
	} while (0)

enum { U = MEM_USABLE, R = MEM_RESERVED, A = MEM_ACPI_RECLAIM,
       N = MEM_ACPI_NVS, B = MEM_BAD, BS = MEM_BOOT_SERVICES,
       RT = MEM_FW_RUNTIME };

TEST(memmap_type_names)
{
	CHECK_STR(mem_type_name(MEM_USABLE), "usable");
	CHECK_STR(mem_type_name(MEM_RESERVED), "reserved");
	CHECK_STR(mem_type_name(0), "unknown");
	CHECK_STR(mem_type_name(999), "unknown");
	for (uint32_t t = 1; t < MEM_TYPE_COUNT; t++)
		CHECK(strcmp(mem_type_name(t), "unknown") != 0);
}

TEST(memmap_add_validates)
{
	struct memmap *m = new_map();

	CHECK(!memmap_add(m, 0x1000, 0, U));
	CHECK(!memmap_add(m, UINT64_MAX - 0xfff, 0x1000, U));
	CHECK(!memmap_add(m, 1, UINT64_MAX, U));
	CHECK(memmap_add(m, UINT64_MAX - 0x1fff, 0x1000, U));
	CHECK(memmap_add(m, 0, 0x1000, 77));  /* unknown -> reserved */
	CHECK_EQ(m->count, 2);
	CHECK_EQ(m->ranges[1].type, MEM_RESERVED);
}

TEST(memmap_add_full_table)
{
	struct memmap *m = new_map();

	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		CHECK(memmap_add(m, i * 0x2000ull, 0x1000, U));
	CHECK(!memmap_add(m, 0x10000000, 0x1000, U));
	CHECK_EQ(m->count, MEMMAP_MAX);
}

TEST(normalize_sorts_and_merges_same_type)
{
	struct memmap *m = new_map();

	memmap_add(m, 0x100000, 0x100000, U);
	memmap_add(m, 0, 0x9f000, U);
	memmap_add(m, 0x200000, 0x100000, U);    /* adjacent */
	memmap_add(m, 0xf0000, 0x10000, R);
	memmap_add(m, 0x280000, 0x100000, U);    /* overlapping */
	CHECK(memmap_normalize(m));
	CHECK_MAP(m, { 0, 0x9f000, U }, { 0xf0000, 0x10000, R },
		  { 0x100000, 0x280000, U });
}

TEST(normalize_restrictive_type_wins)
{
	struct memmap *m = new_map();

	/* A reserved hole in the middle of RAM splits it. */
	memmap_add(m, 0, 16 * MiB, U);
	memmap_add(m, 4 * MiB, 1 * MiB, R);
	/* Boot services beat usable but lose to ACPI. */
	memmap_add(m, 8 * MiB, 4 * MiB, BS);
	memmap_add(m, 10 * MiB, 4 * MiB, A);
	CHECK(memmap_normalize(m));
	CHECK_MAP(m, { 0, 4 * MiB, U }, { 4 * MiB, 1 * MiB, R },
		  { 5 * MiB, 3 * MiB, U }, { 8 * MiB, 2 * MiB, BS },
		  { 10 * MiB, 4 * MiB, A }, { 14 * MiB, 2 * MiB, U });
}

TEST(normalize_bad_and_reserved_beat_everything)
{
	struct memmap *m = new_map();

	memmap_add(m, 0, 4 * MiB, N);
	memmap_add(m, 1 * MiB, 1 * MiB, B);
	memmap_add(m, 3 * MiB, 2 * MiB, RT);  /* runtime beats NVS */
	memmap_add(m, 0, 1 * MiB, R);
	CHECK(memmap_normalize(m));
	CHECK_MAP(m, { 0, 1 * MiB, R }, { 1 * MiB, 1 * MiB, B },
		  { 2 * MiB, 1 * MiB, N }, { 3 * MiB, 2 * MiB, RT });
}

TEST(normalize_identical_and_nested)
{
	struct memmap *m = new_map();

	memmap_add(m, 0x1000, 0x1000, U);
	memmap_add(m, 0x1000, 0x1000, U);
	memmap_add(m, 0x1000, 0x1000, R);
	memmap_add(m, 0x0, 0x10000, U);
	memmap_add(m, 0x20000, 0x1000, U);    /* gap stays a gap */
	CHECK(memmap_normalize(m));
	CHECK_MAP(m, { 0, 0x1000, U }, { 0x1000, 0x1000, R },
		  { 0x2000, 0xe000, U }, { 0x20000, 0x1000, U });
}

TEST(normalize_empty_and_idempotent)
{
	struct memmap *m = new_map();

	CHECK(memmap_normalize(m));
	CHECK_EQ(m->count, 0);
	memmap_add(m, 0x5000, 0x1000, U);
	memmap_add(m, UINT64_MAX - 0xfff - 0x1000, 0x1000, R);
	CHECK(memmap_normalize(m));
	CHECK(memmap_normalize(m));
	CHECK_MAP(m, { 0x5000, 0x1000, U },
		  { UINT64_MAX - 0xfff - 0x1000, 0x1000, R });
}

/* 200 reserved holes punched into one usable range make 401 pieces. */
TEST(normalize_reports_overflowing_result)
{
	struct memmap *m = new_map();

	memmap_add(m, 0, 1ull << 32, U);
	for (uint64_t i = 0; i < 200; i++)
		memmap_add(m, (i + 1) * 2 * MiB, 0x1000, R);
	CHECK(!memmap_normalize(m));
	CHECK_EQ(m->count, MEMMAP_MAX);
	CHECK_EQ(m->ranges[0].base, 0);
	CHECK_EQ(m->ranges[0].length, 2 * MiB);
	for (uint32_t i = 1; i < m->count; i++)
		CHECK(m->ranges[i].base >= m->ranges[i - 1].base +
					   m->ranges[i - 1].length);
}

/* Random maps: the result is sorted, disjoint, merged, and each byte has
 * the most restrictive type of the inputs covering it. */
static uint32_t rank_of(uint32_t t)
{
	static const uint32_t order[] = { U, BS, A, MEM_PERSISTENT, N, RT,
					  MEM_MMIO, R, B };

	for (uint32_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == t)
			return i + 1;
	return 0;
}

TEST(normalize_random_maps_match_reference)
{
	enum { PAGES = 512 };
	uint32_t want[PAGES];
	struct memmap *m = new_map();

	srand(1234);
	for (int round = 0; round < 300; round++) {
		uint32_t n = 1 + (uint32_t)rand() % 24;

		m = new_map();
		memset(want, 0, sizeof(want));
		for (uint32_t i = 0; i < n; i++) {
			uint64_t b = (uint64_t)rand() % PAGES;
			uint64_t l = 1 + (uint64_t)rand() % (PAGES - b);
			uint32_t t = 1 + (uint32_t)rand() % (MEM_TYPE_COUNT - 1);

			memmap_add(m, b * 4096, l * 4096, t);
			for (uint64_t p = b; p < b + l; p++)
				if (rank_of(t) > rank_of(want[p]))
					want[p] = t;
		}
		CHECK(memmap_normalize(m));
		uint32_t got[PAGES] = { 0 };

		for (uint32_t i = 0; i < m->count; i++) {
			const struct mem_range *r = &m->ranges[i];

			CHECK(r->length > 0 && r->base % 4096 == 0);
			if (i > 0) {
				const struct mem_range *q = &m->ranges[i - 1];

				CHECK(q->base + q->length <= r->base);
				CHECK(q->base + q->length < r->base ||
				      q->type != r->type);
			}
			for (uint64_t p = r->base / 4096;
			     p < (r->base + r->length) / 4096; p++)
				got[p] = r->type;
		}
		CHECK(memcmp(got, want, sizeof(got)) == 0);
	}
}

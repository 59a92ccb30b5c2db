/* boot/boot_info.c: builders, names, module lookup, map normalisation. */
#include <stdlib.h>

#include "boot/boot_info.h"
#include "tests/unit/test.h"

#define MiB (1ull << 20)

/* boot_info is large (~25 KB); keep it off the test's stack. */
static struct boot_info *new_bi(void)
{
	static struct boot_info bi;

	boot_info_init(&bi, BOOT_FW_BIOS, BOOT_PATH_MULTIBOOT2);
	return &bi;
}

struct want_range {
	uint64_t base, length;
	uint32_t type;
};

/* The map equals `want` exactly; reports the first different entry. */
static int map_is(const struct boot_info *bi, const struct want_range *want,
		  uint32_t n, int line)
{
	if (bi->mmap_count != n) {
		test_fail(__FILE__, line, "mmap_count %u, want %u",
			  bi->mmap_count, n);
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

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

#define CHECK_MAP(bi, ...)                                                  \
	do {                                                                \
		static const struct want_range w_[] = { __VA_ARGS__ };      \
		if (!map_is(bi, w_, sizeof(w_) / sizeof(w_[0]), __LINE__))  \
			return;                                             \
	} while (0)

enum { U = BOOT_MEM_USABLE, R = BOOT_MEM_RESERVED, A = BOOT_MEM_ACPI_RECLAIM,
       N = BOOT_MEM_ACPI_NVS, B = BOOT_MEM_BAD, BS = BOOT_MEM_BOOT_SERVICES,
       RT = BOOT_MEM_FW_RUNTIME };

TEST(boot_info_init_clears)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(bi->firmware, BOOT_FW_BIOS);
	CHECK_EQ(bi->path, BOOT_PATH_MULTIBOOT2);
	CHECK_EQ(bi->mmap_count, 0);
	CHECK_EQ(bi->module_count, 0);
	CHECK(!bi->has_rsdp);
}

TEST(boot_info_names)
{
	CHECK_STR(boot_mem_type_name(BOOT_MEM_USABLE), "usable");
	CHECK_STR(boot_mem_type_name(BOOT_MEM_RESERVED), "reserved");
	CHECK_STR(boot_mem_type_name(0), "unknown");
	CHECK_STR(boot_mem_type_name(999), "unknown");
	for (uint32_t t = 1; t < BOOT_MEM_TYPE_COUNT; t++)
		CHECK(strcmp(boot_mem_type_name(t), "unknown") != 0);
	CHECK_STR(boot_firmware_name(BOOT_FW_UEFI), "UEFI");
	CHECK_STR(boot_firmware_name(BOOT_FW_BIOS), "BIOS");
	CHECK(boot_firmware_name(42) != NULL);
	CHECK_STR(boot_path_name(BOOT_PATH_MULTIBOOT2), "multiboot2");
	CHECK(boot_path_name(0) != NULL);
}

TEST(boot_info_add_range_validates)
{
	struct boot_info *bi = new_bi();

	CHECK(!boot_info_add_range(bi, 0x1000, 0, U));
	CHECK(!boot_info_add_range(bi, UINT64_MAX - 0xfff, 0x1000, U));
	CHECK(!boot_info_add_range(bi, 1, UINT64_MAX, U));
	CHECK(boot_info_add_range(bi, UINT64_MAX - 0x1fff, 0x1000, U));
	CHECK(boot_info_add_range(bi, 0, 0x1000, 77));  /* unknown -> reserved */
	CHECK_EQ(bi->mmap_count, 2);
	CHECK_EQ(bi->mmap[1].type, BOOT_MEM_RESERVED);
}

TEST(boot_info_add_range_full_table)
{
	struct boot_info *bi = new_bi();

	for (uint32_t i = 0; i < BOOT_MMAP_MAX; i++)
		CHECK(boot_info_add_range(bi, i * 0x2000ull, 0x1000, U));
	CHECK(!boot_info_add_range(bi, 0x10000000, 0x1000, U));
	CHECK_EQ(bi->mmap_count, BOOT_MMAP_MAX);
}

TEST(boot_info_add_module_splits_name)
{
	struct boot_info *bi = new_bi();

	CHECK(boot_info_add_module(bi, 0x200000, 0x1000,
				   "  linux   console=ttyS0 quiet "));
	CHECK(boot_info_add_module(bi, 0x300000, 0, "initrd"));
	CHECK(boot_info_add_module(bi, 0x400000, 16, ""));
	CHECK(boot_info_add_module(bi, 0x500000, 16, NULL));
	CHECK_EQ(bi->module_count, 4);
	CHECK_STR(bi->modules[0].name, "linux");
	CHECK_STR(bi->modules[0].cmdline, "console=ttyS0 quiet ");
	CHECK_EQ(bi->modules[0].base, 0x200000);
	CHECK_EQ(bi->modules[0].size, 0x1000);
	CHECK_STR(bi->modules[1].name, "initrd");
	CHECK_STR(bi->modules[1].cmdline, "");
	CHECK_STR(bi->modules[2].name, "");
	CHECK_STR(bi->modules[3].name, "");
}

TEST(boot_info_add_module_rejects)
{
	struct boot_info *bi = new_bi();
	char long_name[BOOT_MODNAME_MAX + 1];
	static char long_cmd[BOOT_CMDLINE_MAX + 8];

	CHECK(!boot_info_add_module(bi, UINT64_MAX, 2, "guest"));
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	CHECK(!boot_info_add_module(bi, 0, 1, long_name));
	/* A name of BOOT_MODNAME_MAX - 1 characters just fits. */
	long_name[BOOT_MODNAME_MAX - 1] = '\0';
	CHECK(boot_info_add_module(bi, 0, 1, long_name));
	memcpy(long_cmd, "guest ", 6);
	memset(long_cmd + 6, 'c', BOOT_CMDLINE_MAX);
	long_cmd[6 + BOOT_CMDLINE_MAX] = '\0';
	CHECK(!boot_info_add_module(bi, 0, 1, long_cmd));
	long_cmd[6 + BOOT_CMDLINE_MAX - 1] = '\0';      /* 511 chars: fits */
	CHECK(boot_info_add_module(bi, 0, 1, long_cmd));
	CHECK_EQ(bi->module_count, 2);
	CHECK_EQ(strlen(bi->modules[1].cmdline), BOOT_CMDLINE_MAX - 1);
	while (bi->module_count < BOOT_MODULES_MAX)
		CHECK(boot_info_add_module(bi, 0, 1, "m"));
	CHECK(!boot_info_add_module(bi, 0, 1, "one-too-many"));
}

TEST(boot_info_find_module_by_name)
{
	struct boot_info *bi = new_bi();

	CHECK(boot_info_find_module(bi, "guest") == NULL);
	CHECK(boot_info_add_module(bi, 0x1000, 1, "initrd"));
	CHECK(boot_info_add_module(bi, 0x2000, 1, "guest a"));
	CHECK(boot_info_add_module(bi, 0x3000, 1, "guest b"));
	const struct boot_module *m = boot_info_find_module(bi, "guest");

	CHECK(m != NULL);
	CHECK_EQ(m->base, 0x2000);              /* the first one */
	CHECK(boot_info_find_module(bi, "gues") == NULL);
	CHECK(boot_info_find_module(bi, "guest a") == NULL);
}

TEST(normalize_sorts_and_merges_same_type)
{
	struct boot_info *bi = new_bi();

	boot_info_add_range(bi, 0x100000, 0x100000, U);
	boot_info_add_range(bi, 0, 0x9f000, U);
	boot_info_add_range(bi, 0x200000, 0x100000, U);    /* adjacent */
	boot_info_add_range(bi, 0xf0000, 0x10000, R);
	boot_info_add_range(bi, 0x280000, 0x100000, U);    /* overlapping */
	CHECK(boot_info_normalize_mmap(bi));
	CHECK_MAP(bi, { 0, 0x9f000, U }, { 0xf0000, 0x10000, R },
		  { 0x100000, 0x280000, U });
}

TEST(normalize_restrictive_type_wins)
{
	struct boot_info *bi = new_bi();

	/* A reserved hole in the middle of RAM splits it. */
	boot_info_add_range(bi, 0, 16 * MiB, U);
	boot_info_add_range(bi, 4 * MiB, 1 * MiB, R);
	/* Boot services beat usable but lose to ACPI. */
	boot_info_add_range(bi, 8 * MiB, 4 * MiB, BS);
	boot_info_add_range(bi, 10 * MiB, 4 * MiB, A);
	CHECK(boot_info_normalize_mmap(bi));
	CHECK_MAP(bi, { 0, 4 * MiB, U }, { 4 * MiB, 1 * MiB, R },
		  { 5 * MiB, 3 * MiB, U }, { 8 * MiB, 2 * MiB, BS },
		  { 10 * MiB, 4 * MiB, A }, { 14 * MiB, 2 * MiB, U });
}

TEST(normalize_bad_and_reserved_beat_everything)
{
	struct boot_info *bi = new_bi();

	boot_info_add_range(bi, 0, 4 * MiB, N);
	boot_info_add_range(bi, 1 * MiB, 1 * MiB, B);
	boot_info_add_range(bi, 3 * MiB, 2 * MiB, RT);  /* runtime beats NVS */
	boot_info_add_range(bi, 0, 1 * MiB, R);
	CHECK(boot_info_normalize_mmap(bi));
	CHECK_MAP(bi, { 0, 1 * MiB, R }, { 1 * MiB, 1 * MiB, B },
		  { 2 * MiB, 1 * MiB, N }, { 3 * MiB, 2 * MiB, RT });
}

TEST(normalize_identical_and_nested)
{
	struct boot_info *bi = new_bi();

	boot_info_add_range(bi, 0x1000, 0x1000, U);
	boot_info_add_range(bi, 0x1000, 0x1000, U);
	boot_info_add_range(bi, 0x1000, 0x1000, R);
	boot_info_add_range(bi, 0x0, 0x10000, U);
	boot_info_add_range(bi, 0x20000, 0x1000, U);    /* gap stays a gap */
	CHECK(boot_info_normalize_mmap(bi));
	CHECK_MAP(bi, { 0, 0x1000, U }, { 0x1000, 0x1000, R },
		  { 0x2000, 0xe000, U }, { 0x20000, 0x1000, U });
}

TEST(normalize_empty_and_idempotent)
{
	struct boot_info *bi = new_bi();

	CHECK(boot_info_normalize_mmap(bi));
	CHECK_EQ(bi->mmap_count, 0);
	boot_info_add_range(bi, 0x5000, 0x1000, U);
	boot_info_add_range(bi, UINT64_MAX - 0xfff - 0x1000, 0x1000, R);
	CHECK(boot_info_normalize_mmap(bi));
	CHECK(boot_info_normalize_mmap(bi));
	CHECK_MAP(bi, { 0x5000, 0x1000, U },
		  { UINT64_MAX - 0xfff - 0x1000, 0x1000, R });
}

/* 200 reserved holes punched into one usable range make 401 pieces. */
TEST(normalize_reports_overflowing_result)
{
	struct boot_info *bi = new_bi();

	boot_info_add_range(bi, 0, 1ull << 32, U);
	for (uint64_t i = 0; i < 200; i++)
		boot_info_add_range(bi, (i + 1) * 2 * MiB, 0x1000, R);
	CHECK(!boot_info_normalize_mmap(bi));
	CHECK_EQ(bi->mmap_count, BOOT_MMAP_MAX);
	CHECK_EQ(bi->mmap[0].base, 0);
	CHECK_EQ(bi->mmap[0].length, 2 * MiB);
	for (uint32_t i = 1; i < bi->mmap_count; i++)
		CHECK(bi->mmap[i].base >= bi->mmap[i - 1].base +
					   bi->mmap[i - 1].length);
}

/* Random maps: the result is sorted, disjoint, merged, and each byte has
 * the most restrictive type of the inputs covering it. */
static uint32_t rank_of(uint32_t t)
{
	static const uint32_t order[] = { U, BS, A, BOOT_MEM_PERSISTENT, N, RT,
					  BOOT_MEM_MMIO, R, B };

	for (uint32_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == t)
			return i + 1;
	return 0;
}

TEST(normalize_random_maps_match_reference)
{
	enum { PAGES = 512 };
	uint32_t want[PAGES];
	struct boot_info *bi = new_bi();

	srand(1234);
	for (int round = 0; round < 300; round++) {
		uint32_t n = 1 + (uint32_t)rand() % 24;

		boot_info_init(bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
		memset(want, 0, sizeof(want));
		for (uint32_t i = 0; i < n; i++) {
			uint64_t b = (uint64_t)rand() % PAGES;
			uint64_t l = 1 + (uint64_t)rand() % (PAGES - b);
			uint32_t t = 1 + (uint32_t)rand() % (BOOT_MEM_TYPE_COUNT - 1);

			boot_info_add_range(bi, b * 4096, l * 4096, t);
			for (uint64_t p = b; p < b + l; p++)
				if (rank_of(t) > rank_of(want[p]))
					want[p] = t;
		}
		CHECK(boot_info_normalize_mmap(bi));
		uint32_t got[PAGES] = { 0 };

		for (uint32_t i = 0; i < bi->mmap_count; i++) {
			const struct boot_mem_range *r = &bi->mmap[i];

			CHECK(r->length > 0 && r->base % 4096 == 0);
			if (i > 0) {
				const struct boot_mem_range *q = &bi->mmap[i - 1];

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

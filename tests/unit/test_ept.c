/* EPT identity-map builder on host memory. */
#include <stdlib.h>

#include "mm/ept.h"
#include "tests/unit/host_tables.h"
#include "tests/unit/test.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define ADDR_MASK_36 ((1ull << 36) - 1)

static struct mtrr_state wb_with_uc_hole(void)
{
	struct mtrr_state s = { .present = true, .enabled = true,
				.default_type = MEMTYPE_WB,
				.addr_mask = ADDR_MASK_36 };

	s.var[0] = (struct mtrr_var){ 3 * GiB | MEMTYPE_UC,
				      (~(GiB - 1) & ADDR_MASK_36) |
				      MTRR_PHYSMASK_VALID };
	s.var_count = 1;
	return s;
}

static struct ept_params params(const struct mtrr_state *m,
				const struct ept_hole *h, size_t n)
{
	return (struct ept_params){ .mtrr = m, .holes = h, .hole_count = n,
				    .limit = 4 * GiB, .pages_2m = true,
				    .pages_1g = true,
				    .alloc_table = alloc_table,
				    .table_virt = table_virt };
}

static struct ept_walk walk(uint64_t pml4, uint64_t gpa)
{
	struct ept_walk w;

	ept_walk(pml4, gpa, table_virt, &w);
	return w;
}

static uint8_t walk_type(const struct ept_walk *w)
{
	return (uint8_t)((w->entry[w->levels - 1] & EPT_MEMTYPE_MASK) >>
			 EPT_MEMTYPE_SHIFT);
}

TEST(ept_identity_uses_1g_pages)
{
	struct mtrr_state m = wb_with_uc_hole();
	struct ept_params p = params(&m, NULL, 0);
	struct ept_stats st;
	uint64_t pml4 = ept_build_identity(&p, &st);

	CHECK(pml4 != 0);
	CHECK_EQ(st.pages_1g, 4);
	CHECK_EQ(st.pages_2m + st.pages_4k, 0);
	struct ept_walk w = walk(pml4, 3 * GiB + 0x1234);
	CHECK(w.mapped);
	CHECK_EQ(w.hpa, 3 * GiB + 0x1234);
	CHECK_EQ(w.page_size, GiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);
	w = walk(pml4, 0x5000);
	CHECK_EQ(walk_type(&w), MEMTYPE_WB);
	free_tables();
}

TEST(ept_holes_are_unmapped_with_small_pages_around)
{
	struct mtrr_state m = wb_with_uc_hole();
	/* an image at 8 MiB + 4 KiB (not 2 MiB aligned) and a 2 MiB pool */
	struct ept_hole holes[] = {
		{ 8 * MiB + 4 * KiB, 8 * MiB + 256 * KiB },
		{ 64 * MiB, 66 * MiB },
	};
	struct ept_params p = params(&m, holes, 2);
	struct ept_stats st;
	uint64_t pml4 = ept_build_identity(&p, &st);

	CHECK(pml4 != 0);
	CHECK(!walk(pml4, 8 * MiB + 4 * KiB).mapped);
	CHECK(!walk(pml4, 8 * MiB + 256 * KiB - 1).mapped);
	CHECK(walk(pml4, 8 * MiB).mapped);
	CHECK(walk(pml4, 8 * MiB + 256 * KiB).mapped);
	CHECK(!walk(pml4, 65 * MiB).mapped);
	CHECK(walk(pml4, 66 * MiB).mapped);
	CHECK_EQ(walk(pml4, 66 * MiB).page_size, 2 * MiB);
	CHECK_EQ(walk(pml4, 8 * MiB).page_size, 4 * KiB);
	CHECK_EQ(walk(pml4, 2 * GiB).page_size, GiB);
	/* 4 KiB pages only in the 2 MiB region that holds the image hole */
	CHECK_EQ(st.pages_4k, 512 - 63);
	free_tables();
}

TEST(ept_memory_types_split_pages)
{
	struct mtrr_state m = wb_with_uc_hole();

	m.var[1] = (struct mtrr_var){ (64 * MiB + 64 * KiB) | MEMTYPE_UC,
				      (~(64 * KiB - 1) & ADDR_MASK_36) |
				      MTRR_PHYSMASK_VALID };
	m.var_count = 2;
	struct ept_params p = params(&m, NULL, 0);
	struct ept_stats st;
	uint64_t pml4 = ept_build_identity(&p, &st);
	struct ept_walk w = walk(pml4, 64 * MiB + 64 * KiB);

	CHECK(w.mapped);
	CHECK_EQ(w.page_size, 4 * KiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);
	w = walk(pml4, 64 * MiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_WB);
	CHECK_EQ(st.pages_4k, 512);
	free_tables();
}

TEST(ept_without_large_pages)
{
	struct mtrr_state m = wb_with_uc_hole();
	struct ept_params p = params(&m, NULL, 0);
	struct ept_stats st;

	p.pages_1g = false;
	p.limit = 1 * GiB;
	uint64_t pml4 = ept_build_identity(&p, &st);
	CHECK(pml4 != 0);
	CHECK_EQ(st.pages_1g, 0);
	CHECK_EQ(st.pages_2m, 512);
	CHECK(!walk(pml4, GiB).mapped);
	free_tables();
}

TEST(ept_out_of_memory_fails)
{
	struct mtrr_state m = wb_with_uc_hole();
	struct ept_hole hole = { 8 * MiB + 4 * KiB, 9 * MiB };
	struct ept_params p = params(&m, &hole, 1);
	struct ept_stats st;

	table_limit = 2;
	CHECK_EQ(ept_build_identity(&p, &st), 0);
	free_tables();
}

TEST(ept_memtype_combine_guest_over_ram_only)
{
	static const uint8_t types[] = { MEMTYPE_UC, MEMTYPE_WC, MEMTYPE_WT,
					 MEMTYPE_WP, MEMTYPE_WB, MEMTYPE_MIXED };
	const size_t n = sizeof(types) / sizeof(types[0]);

	for (size_t h = 0; h < n; h++)
		for (size_t g = 0; g < n; g++) {
			uint8_t want = types[h] == MEMTYPE_WB ? types[g]
							      : types[h];

			CHECK_EQ(ept_memtype_combine(types[h], types[g]), want);
		}
	/* spelled out: RAM takes the guest's type, MMIO keeps UC, ROM WP */
	CHECK_EQ(ept_memtype_combine(MEMTYPE_WB, MEMTYPE_WT), MEMTYPE_WT);
	CHECK_EQ(ept_memtype_combine(MEMTYPE_WB, MEMTYPE_UC), MEMTYPE_UC);
	CHECK_EQ(ept_memtype_combine(MEMTYPE_UC, MEMTYPE_WB), MEMTYPE_UC);
	CHECK_EQ(ept_memtype_combine(MEMTYPE_WP, MEMTYPE_WB), MEMTYPE_WP);
	CHECK_EQ(ept_memtype_combine(MEMTYPE_WC, MEMTYPE_UC), MEMTYPE_WC);
	CHECK_EQ(ept_memtype_combine(MEMTYPE_MIXED, MEMTYPE_WB),
		 MEMTYPE_MIXED);
}

/* The hardware's MTRRs: WB, 3-4 GiB UC (MMIO).  The guest's: the same plus
 * 64 MiB + 64 KiB (64 KiB) WT in RAM and 3 GiB (1 GiB) WB over the MMIO. */
TEST(ept_guest_types_over_ram_split_pages)
{
	struct mtrr_state hw = wb_with_uc_hole(), guest = hw;

	guest.var[0].base = 3 * GiB | MEMTYPE_WB;
	guest.var[1] = (struct mtrr_var){ (64 * MiB + 64 * KiB) | MEMTYPE_WT,
					  (~(64 * KiB - 1) & ADDR_MASK_36) |
					  MTRR_PHYSMASK_VALID };
	guest.var_count = 2;
	struct ept_params p = params(&hw, NULL, 0);
	struct ept_stats st;

	p.guest_mtrr = &guest;
	uint64_t pml4 = ept_build_identity(&p, &st);
	struct ept_walk w = walk(pml4, 64 * MiB + 64 * KiB + 0x123);

	CHECK(pml4 != 0);
	CHECK(w.mapped);
	CHECK_EQ(w.page_size, 4 * KiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_WT);
	w = walk(pml4, 64 * MiB + 128 * KiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_WB);
	CHECK_EQ(w.page_size, 4 * KiB);
	w = walk(pml4, 66 * MiB);
	CHECK_EQ(w.page_size, 2 * MiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_WB);
	w = walk(pml4, 3 * GiB + 0x1000);   /* the MMIO stays UC */
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);
	CHECK_EQ(w.page_size, GiB);
	CHECK_EQ(st.pages_4k, 512);
	CHECK_EQ(st.pages_2m, 511);
	CHECK_EQ(st.pages_1g, 3);
	free_tables();
}

/* The guest's MTRRs off: its RAM is UC, as on bare hardware; the hardware's
 * non-WB ranges keep their type (here WP "ROM" at 1 GiB + 2 MiB). */
TEST(ept_guest_mtrrs_off_make_ram_uc)
{
	struct mtrr_state hw = wb_with_uc_hole(), guest = hw;

	hw.var[1] = (struct mtrr_var){ (GiB + 2 * MiB) | MEMTYPE_WP,
				       (~(2 * MiB - 1) & ADDR_MASK_36) |
				       MTRR_PHYSMASK_VALID };
	hw.var_count = 2;
	guest.enabled = false;
	struct ept_params p = params(&hw, NULL, 0);
	struct ept_stats st;

	p.guest_mtrr = &guest;
	uint64_t pml4 = ept_build_identity(&p, &st);

	struct ept_walk w = walk(pml4, 0x5000);
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);
	CHECK_EQ(w.page_size, GiB);
	w = walk(pml4, GiB + 2 * MiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_WP);
	w = walk(pml4, GiB);
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);
	CHECK_EQ(w.page_size, 2 * MiB);
	free_tables();
}

TEST(ept_read_only_pages_are_4k_without_write)
{
	struct mtrr_state m = wb_with_uc_hole();
	struct ept_params p = params(&m, NULL, 0);
	const uint64_t ro[2] = { 0x12345000, 3 * GiB + 0x7000 };
	struct ept_stats st;
	struct ept_walk w;
	uint64_t pml4, *pte;

	p.read_only = ro;
	p.read_only_count = 2;
	pml4 = ept_build_identity(&p, &st);
	CHECK(pml4 != 0);
	for (int i = 0; i < 2; i++) {
		w = walk(pml4, ro[i] + 0x10);
		CHECK(w.mapped);
		CHECK_EQ(w.page_size, 4 * KiB);
		CHECK_EQ(w.hpa, ro[i] + 0x10);
		CHECK_EQ(w.entry[w.levels - 1] & EPT_RWX, EPT_READ | EPT_EXECUTE);
		pte = ept_pte(pml4, ro[i], table_virt);
		CHECK(pte != NULL);
		CHECK_EQ(*pte, w.entry[w.levels - 1]);
	}
	CHECK_EQ(walk_type(&w), MEMTYPE_UC);            /* the page keeps its type */
	/* Neighbours stay writable, in pages as large as the split allows. */
	w = walk(pml4, ro[0] + 4 * KiB);
	CHECK_EQ(w.entry[w.levels - 1] & EPT_RWX, EPT_RWX);
	CHECK_EQ(w.page_size, 4 * KiB);
	w = walk(pml4, ro[0] + 2 * MiB);
	CHECK_EQ(w.page_size, 2 * MiB);
	w = walk(pml4, 1 * GiB);
	CHECK_EQ(w.page_size, 1 * GiB);
	/* ept_pte: NULL for a large page. */
	CHECK(ept_pte(pml4, 1 * GiB, table_virt) == NULL);
	free_tables();
}

TEST(ept_eptp_encoding)
{
	CHECK_EQ(ept_make_eptp(0x123000, false), 0x123000 | 6 | (3 << 3));
	CHECK_EQ(ept_make_eptp(0x123000, true),
		 0x123000 | 6 | (3 << 3) | (1 << 6));
}

/* The VT-d second-level format (mm/dma_map.h): same holes and page sizes
 * rules, read/write leaves and tables, no execute bit, no memory type,
 * and no MTRRs needed. */
TEST(ept_dma_format)
{
	struct ept_hole h[2] = { { 4 * MiB, 8 * MiB }, { 0xfed90000, 0xfed91000 } };
	struct ept_params p = params(NULL, h, 2);
	struct ept_stats st;
	uint64_t pml4;
	struct ept_walk w;

	p.dma_format = true;
	pml4 = ept_build_identity(&p, &st);
	CHECK(pml4);
	CHECK_EQ(st.pages_1g, 2);               /* 0-1 GiB and 3-4 GiB are split */
	w = walk(pml4, 1 * GiB + 5);
	CHECK(w.mapped);
	CHECK_EQ(w.page_size, GiB);
	CHECK_EQ(w.entry[w.levels - 1] & ~EPT_ADDR_MASK,
		 EPT_READ | EPT_WRITE | EPT_LARGE_PAGE);
	CHECK_EQ(w.entry[0] & ~EPT_ADDR_MASK, EPT_READ | EPT_WRITE);
	w = walk(pml4, 2 * MiB);
	CHECK(w.mapped);
	CHECK_EQ(w.page_size, 2 * MiB);
	CHECK(!walk(pml4, 4 * MiB).mapped);
	CHECK(!walk(pml4, 8 * MiB - 1).mapped);
	CHECK(walk(pml4, 8 * MiB).mapped);
	CHECK(!walk(pml4, 0xfed90000).mapped);
	w = walk(pml4, 0xfed91000);
	CHECK(w.mapped);
	CHECK_EQ(w.page_size, 4 * KiB);
	CHECK_EQ(w.entry[w.levels - 1] & ~EPT_ADDR_MASK, EPT_READ | EPT_WRITE);
	free_tables();
}

/* MTRR memory-type lookup against hand-built MTRR states. */
#include "mm/mtrr.h"
#include "tests/unit/test.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define ADDR_MASK_36 ((1ull << 36) - 1)

/* A typical PC: WB default, low 640 KiB WB, VGA hole UC, ROMs WP. */
static struct mtrr_state pc_state(void)
{
	struct mtrr_state s = { .present = true, .enabled = true,
				.fixed_enabled = true,
				.default_type = MEMTYPE_WB,
				.addr_mask = ADDR_MASK_36 };

	for (int i = 0; i < MTRR_FIXED_COUNT; i++)
		s.fixed[i] = MEMTYPE_WB;
	for (int i = 16; i < 24; i++)       /* 0xA0000-0xBFFFF */
		s.fixed[i] = MEMTYPE_UC;
	for (int i = 24; i < 88; i++)       /* 0xC0000-0xFFFFF */
		s.fixed[i] = MEMTYPE_WP;
	/* 3 GiB-4 GiB uncached (PCI hole) */
	s.var[0] = (struct mtrr_var){ 3 * GiB | MEMTYPE_UC,
				      (~(GiB - 1) & ADDR_MASK_36) |
				      MTRR_PHYSMASK_VALID };
	s.var_count = 1;
	return s;
}

TEST(mtrr_disabled_is_uc)
{
	struct mtrr_state s = pc_state();

	s.enabled = false;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_UC);
	s.enabled = true;
	s.present = false;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_UC);
}

TEST(mtrr_fixed_ranges)
{
	struct mtrr_state s = pc_state();

	CHECK_EQ(mtrr_range_type(&s, 0, 0x1000), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0xa0000, 0x1000), MEMTYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 0xa0000, 0x20000), MEMTYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 0xf0000, 0x10000), MEMTYPE_WP);
	CHECK_EQ(mtrr_range_type(&s, 0, 2 * MiB), MEMTYPE_MIXED);
	CHECK_EQ(mtrr_range_type(&s, 0x9f000, 0x2000), MEMTYPE_MIXED);
}

TEST(mtrr_variable_and_default)
{
	struct mtrr_state s = pc_state();

	CHECK_EQ(mtrr_range_type(&s, 2 * MiB, 2 * MiB), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 1 * GiB, 1 * GiB), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 3 * GiB, 1 * GiB), MEMTYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 0xfee00000, 0x1000), MEMTYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 2 * GiB, 2 * GiB), MEMTYPE_MIXED);
	CHECK_EQ(mtrr_range_type(&s, 4 * GiB, 1 * GiB), MEMTYPE_WB);
}

TEST(mtrr_precedence)
{
	struct mtrr_state s = pc_state();
	uint64_t mask_1g = (~(GiB - 1) & ADDR_MASK_36) | MTRR_PHYSMASK_VALID;

	/* WT over WB gives WT */
	s.var[1] = (struct mtrr_var){ 0 | MEMTYPE_WB, mask_1g };
	s.var[2] = (struct mtrr_var){ 0 | MEMTYPE_WT, mask_1g };
	s.var_count = 3;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_WT);
	/* UC beats everything */
	s.var[2].base = 0 | MEMTYPE_UC;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_UC);
	/* undefined overlap (WC with WB) is treated as UC */
	s.var[2].base = 0 | MEMTYPE_WC;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_UC);
	/* invalid ranges are ignored */
	s.var[2].mask &= ~MTRR_PHYSMASK_VALID;
	CHECK_EQ(mtrr_range_type(&s, 16 * MiB, 2 * MiB), MEMTYPE_WB);
}

TEST(mtrr_partial_cover_is_mixed)
{
	struct mtrr_state s = pc_state();

	/* a 2 MiB UC range inside a 1 GiB block */
	s.var[1] = (struct mtrr_var){ (64 * MiB) | MEMTYPE_UC,
				      (~(2 * MiB - 1) & ADDR_MASK_36) |
				      MTRR_PHYSMASK_VALID };
	s.var_count = 2;
	CHECK_EQ(mtrr_range_type(&s, 0x40000000, GiB), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0, GiB), MEMTYPE_MIXED);
	CHECK_EQ(mtrr_range_type(&s, 64 * MiB, 2 * MiB), MEMTYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 66 * MiB, 2 * MiB), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 64 * MiB + 4096, 4096), MEMTYPE_UC);
}

/*
 * MTRR memory-type lookup (pure).  Intel SDM Vol. 3, "MTRR Precedences":
 * below 1 MiB the fixed ranges decide when enabled; elsewhere the variable
 * ranges that match decide (UC wins, WT beats WB, other overlaps are
 * undefined and treated as UC), and the default type covers the rest.
 */
#include "mm/mtrr.h"

/* Fixed-range layout: (first address, size of one entry, entry count). */
struct fixed_block {
	uint64_t start;
	uint64_t unit;
	uint32_t count;
};

static const struct fixed_block fixed_blocks[] = {
	{ 0x00000, 0x10000, 8 },    /* IA32_MTRR_FIX64K_00000 */
	{ 0x80000, 0x04000, 16 },   /* IA32_MTRR_FIX16K_80000/A0000 */
	{ 0xc0000, 0x01000, 64 },   /* IA32_MTRR_FIX4K_C0000..F8000 */
};

#define NUM_FIXED_BLOCKS (sizeof(fixed_blocks) / sizeof(fixed_blocks[0]))

/* Type of [base, end) within the fixed ranges; MIXED when they differ. */
static uint8_t fixed_type(const struct mtrr_state *s, uint64_t base,
			  uint64_t end)
{
	int type = -1;

	for (uint32_t b = 0, idx = 0; b < NUM_FIXED_BLOCKS; b++) {
		const struct fixed_block *fb = &fixed_blocks[b];

		for (uint32_t i = 0; i < fb->count; i++, idx++) {
			uint64_t lo = fb->start + i * fb->unit;

			if (lo + fb->unit <= base || lo >= end)
				continue;
			if (type >= 0 && type != s->fixed[idx])
				return MEMTYPE_MIXED;
			type = s->fixed[idx];
		}
	}
	return (uint8_t)type;
}

/*
 * Whether variable range v covers all, none or part of the naturally
 * aligned power-of-two block [base, base + size).
 */
enum cover { COVER_NONE, COVER_ALL, COVER_PART };

/* The block is covered when the address bits v's mask compares (within the
 * CPU's width) match v's base above the block size; partly when the mask
 * also compares bits inside the block. */
static enum cover var_cover(const struct mtrr_state *s,
			    const struct mtrr_var *v, uint64_t base,
			    uint64_t size)
{
	uint64_t mask = v->mask & MTRR_ADDR_MASK & s->addr_mask;
	uint64_t want = v->base & mask;
	uint64_t high = mask & ~(size - 1);

	if ((base & high) != (want & high))
		return COVER_NONE;
	return (mask & (size - 1)) ? COVER_PART : COVER_ALL;
}

/* A reserved type in an MTRR is treated as UC. */
static uint8_t var_type(const struct mtrr_var *v)
{
	uint8_t t = (uint8_t)(v->base & MTRR_PHYSBASE_TYPE_MASK);

	return t <= MEMTYPE_WB ? t : MEMTYPE_UC;
}

/* Variable-range type of an aligned power-of-two block above 1 MiB. */
static uint8_t var_block_type(const struct mtrr_state *s, uint64_t base,
			      uint64_t size)
{
	uint32_t seen = 0;   /* bit n: some range of type n covers the block */

	for (uint32_t i = 0; i < s->var_count; i++) {
		const struct mtrr_var *v = &s->var[i];

		if (!(v->mask & MTRR_PHYSMASK_VALID))
			continue;
		enum cover c = var_cover(s, v, base, size);
		if (c == COVER_PART)
			return MEMTYPE_MIXED;
		if (c == COVER_ALL)
			seen |= 1u << var_type(v);
	}
	if (!seen)
		return s->default_type;
	if (seen & (1u << MEMTYPE_UC))
		return MEMTYPE_UC;
	if (seen == ((1u << MEMTYPE_WT) | (1u << MEMTYPE_WB)))
		return MEMTYPE_WT;
	if ((seen & (seen - 1)) == 0)
		return (uint8_t)__builtin_ctz(seen);
	return MEMTYPE_UC;  /* overlap the SDM leaves undefined: be safe */
}

/* Largest naturally aligned power-of-two block starting at base that fits
 * in [base, end). */
static uint64_t block_size(uint64_t base, uint64_t end)
{
	uint64_t size = base ? (base & -base) : (1ull << 63);

	while (size > end - base)
		size >>= 1;
	return size;
}

/* The memory type the MTRRs give all of [base, base + size), MEMTYPE_MIXED
 * when parts differ, UC when MTRRs are absent or off.  Pure over s (from
 * mtrr_read()); size must not wrap 2^64. */
uint8_t mtrr_range_type(const struct mtrr_state *s, uint64_t base,
			uint64_t size)
{
	uint64_t end = base + size;
	uint8_t type = MEMTYPE_MIXED;
	bool first = true;

	if (!s->present || !s->enabled || size == 0)
		return MEMTYPE_UC;
	if (s->fixed_enabled && base < MTRR_FIXED_LIMIT) {
		uint64_t fend = end < MTRR_FIXED_LIMIT ? end : MTRR_FIXED_LIMIT;

		type = fixed_type(s, base, fend);
		if (type == MEMTYPE_MIXED)
			return type;
		first = false;
		base = fend;
	}
	while (base < end) {
		uint64_t bs = block_size(base, end);
		uint8_t t = var_block_type(s, base, bs);

		if (t == MEMTYPE_MIXED || (!first && t != type))
			return MEMTYPE_MIXED;
		type = t;
		first = false;
		base += bs;
	}
	return type;
}

/* The SDM abbreviation of a memory type ("WB"), "mixed" or "reserved", for
 * the log. */
const char *memtype_name(uint8_t type)
{
	switch (type) {
	case MEMTYPE_UC: return "UC";
	case MEMTYPE_WC: return "WC";
	case MEMTYPE_WT: return "WT";
	case MEMTYPE_WP: return "WP";
	case MEMTYPE_WB: return "WB";
	case MEMTYPE_MIXED: return "mixed";
	default: return "reserved";
	}
}

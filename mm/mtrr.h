/*
 * Memory type range registers (Intel SDM Vol. 3, "Memory Type Range
 * Registers (MTRRs)").  The EPT gives every guest-physical page the memory
 * type the MTRRs give the same host-physical page, so that MMIO stays
 * uncached under a guest that runs with its own PAT.
 *
 * mtrr_read() takes a snapshot of the MSRs; everything else is pure.
 */
#ifndef MM_MTRR_H
#define MM_MTRR_H

#include <stdbool.h>
#include <stdint.h>

/* Memory types, as encoded in MTRRs, PAT and EPT entries. */
#define MEMTYPE_UC 0
#define MEMTYPE_WC 1
#define MEMTYPE_WT 4
#define MEMTYPE_WP 5
#define MEMTYPE_WB 6
#define MEMTYPE_MIXED 0xff      /* not one type across the range */

/* IA32_MTRRCAP */
#define MTRRCAP_VCNT_MASK       0xffull
#define MTRRCAP_FIX             (1ull << 8)
/* IA32_MTRR_DEF_TYPE */
#define MTRR_DEF_TYPE_MASK      0xffull
#define MTRR_DEF_TYPE_FE        (1ull << 10)
#define MTRR_DEF_TYPE_E         (1ull << 11)
/* IA32_MTRR_PHYSBASEn / IA32_MTRR_PHYSMASKn */
#define IA32_MTRR_PHYSBASE0     0x200
#define IA32_MTRR_PHYSMASK0     0x201
#define MTRR_PHYSBASE_TYPE_MASK 0xffull
#define MTRR_PHYSMASK_VALID     (1ull << 11)
#define MTRR_ADDR_MASK          (~0xfffull)
/* Fixed-range MTRRs: 8 types per MSR. */
#define IA32_MTRR_FIX64K_00000  0x250
#define IA32_MTRR_FIX16K_80000  0x258
#define IA32_MTRR_FIX16K_A0000  0x259
#define IA32_MTRR_FIX4K_C0000   0x268   /* ... IA32_MTRR_FIX4K_F8000 0x26f */
#define MTRR_FIXED_COUNT        88      /* 8 x 64K, 16 x 16K, 64 x 4K */
#define MTRR_FIXED_LIMIT        0x100000ull
#define MTRR_VAR_MAX            32

struct mtrr_var {
	uint64_t base;   /* IA32_MTRR_PHYSBASEn */
	uint64_t mask;   /* IA32_MTRR_PHYSMASKn */
};

struct mtrr_state {
	bool present;               /* CPUID.1:EDX.MTRR */
	bool enabled;               /* IA32_MTRR_DEF_TYPE.E */
	bool fixed_enabled;         /* IA32_MTRR_DEF_TYPE.FE (and MTRRCAP.FIX) */
	uint8_t default_type;
	uint8_t fixed[MTRR_FIXED_COUNT];
	uint32_t var_count;
	struct mtrr_var var[MTRR_VAR_MAX];
	uint64_t addr_mask;         /* valid physical-address bits */
};

/* Read the MTRR MSRs of this CPU (mm/mtrr_msr.c). */
void mtrr_read(struct mtrr_state *s);

/*
 * The memory type of every byte in [base, base + size), or MEMTYPE_MIXED
 * when the bytes differ.  Without MTRRs (or with them disabled) all memory
 * is UC, as the SDM says.
 */
uint8_t mtrr_range_type(const struct mtrr_state *s, uint64_t base,
			uint64_t size);

const char *memtype_name(uint8_t type);

#endif

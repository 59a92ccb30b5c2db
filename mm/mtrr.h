/*
 * Memory type range registers (Intel SDM Vol. 3, "Memory Type Range
 * Registers (MTRRs)").  The EPT gives every guest-physical page the memory
 * type the MTRRs give the same host-physical page, so that MMIO stays
 * uncached under a guest that runs with its own PAT; over RAM (hardware
 * WB) the guest's own MTRR view decides once it changes (mm/ept.h).
 *
 * mtrr_read() takes a snapshot of the MSRs; everything else is pure.
 */
#ifndef MM_MTRR_H
#define MM_MTRR_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/msr.h"


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

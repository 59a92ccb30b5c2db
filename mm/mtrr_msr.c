/* Snapshot of this CPU's MTRR MSRs for mm/mtrr.c. */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "mm/mtrr.h"

#define FIXED_PER_MSR           8
#define FIX4K_MSR_COUNT         8

/* A mask of this CPU's physical-address bits (CPUID 80000008H, else the
 * default width), to read the variable MTRRs' masks with. */
static uint64_t phys_addr_mask(void)
{
	uint32_t bits = cpu_maxphyaddr();

	return (bits >= 64 ? ~0ull : (1ull << bits) - 1);
}

/* Unpack one fixed-range MSR (eight 8-bit types) at fixed[idx]. */
static void read_fixed_msr(struct mtrr_state *s, uint32_t msr, uint32_t idx)
{
	uint64_t v = rdmsr(msr);

	for (uint32_t i = 0; i < FIXED_PER_MSR; i++)
		s->fixed[idx + i] = (uint8_t)(v >> (8 * i));
}

/* All eleven fixed-range MTRRs into s->fixed, in address order from 0 to 1
 * MiB. */
static void read_fixed(struct mtrr_state *s)
{
	read_fixed_msr(s, IA32_MTRR_FIX64K_00000, 0);
	read_fixed_msr(s, IA32_MTRR_FIX16K_80000, 8);
	read_fixed_msr(s, IA32_MTRR_FIX16K_A0000, 16);
	for (uint32_t i = 0; i < FIX4K_MSR_COUNT; i++)
		read_fixed_msr(s, IA32_MTRR_FIX4K_C0000 + i, 24 + 8 * i);
}

/* Read this CPU's MTRRs into s (all zero, so everything UC, when CPUID says
 * there are none).  Reads MSRs: runs on the CPU whose MTRRs matter, in ring
 * 0. */
void mtrr_read(struct mtrr_state *s)
{
	*s = (struct mtrr_state){ 0 };
	s->addr_mask = phys_addr_mask();
	s->present = cpuid(1, 0).edx & CPUID_1_EDX_MTRR;
	if (!s->present)
		return;

	uint64_t cap = rdmsr(IA32_MTRRCAP);
	uint64_t def = rdmsr(IA32_MTRR_DEF_TYPE);

	s->enabled = def & MTRR_DEF_TYPE_E;
	s->fixed_enabled = (def & MTRR_DEF_TYPE_FE) && (cap & MTRRCAP_FIX);
	s->default_type = (uint8_t)(def & MTRR_DEF_TYPE_MASK);
	s->var_count = (uint32_t)(cap & MTRRCAP_VCNT_MASK);
	if (s->var_count > MTRR_VAR_MAX)
		s->var_count = MTRR_VAR_MAX;
	for (uint32_t i = 0; i < s->var_count; i++) {
		s->var[i].base = rdmsr(IA32_MTRR_PHYSBASE0 + 2 * i);
		s->var[i].mask = rdmsr(IA32_MTRR_PHYSMASK0 + 2 * i);
	}
	if (s->fixed_enabled)
		read_fixed(s);
}

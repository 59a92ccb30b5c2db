/* The guest's shadow MTRRs, filled from this CPU's (hv/view/mtrr_view.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "hv/view/mtrr_view.h"

static const uint32_t fixed_msrs[MTRR_FIXED_MSRS] = {
	IA32_MTRR_FIX64K_00000, IA32_MTRR_FIX16K_80000, IA32_MTRR_FIX16K_A0000,
	IA32_MTRR_FIX4K_C0000, IA32_MTRR_FIX4K_C0000 + 1,
	IA32_MTRR_FIX4K_C0000 + 2, IA32_MTRR_FIX4K_C0000 + 3,
	IA32_MTRR_FIX4K_C0000 + 4, IA32_MTRR_FIX4K_C0000 + 5,
	IA32_MTRR_FIX4K_C0000 + 6, IA32_MTRR_FIX4K_F8000,
};

/* A register that cannot be read (an emulator without it) reads as 0. */
static uint64_t read_or_zero(uint32_t msr)
{
	uint64_t value = 0;

	if (!rdmsr_safe(msr, &value))
		value = 0;
	return value;
}

/* Fill the view from this CPU's MTRRs (the guest starts with the
 * firmware's setting). */
void mtrr_view_capture(struct mtrr_view *m)
{
	struct mtrr_state hw;

	mtrr_read(&hw);         /* for CPUID's MTRR bit and MAXPHYADDR */
	*m = (struct mtrr_view){ .ready = true, .present = hw.present,
				 .phys_mask = hw.addr_mask };
	if (!m->present)
		return;
	m->cap = read_or_zero(IA32_MTRRCAP) & MTRRCAP_GUEST_MASK;
	if ((m->cap & MTRRCAP_VCNT_MASK) > MTRR_VAR_MAX)
		m->cap = (m->cap & ~MTRRCAP_VCNT_MASK) | MTRR_VAR_MAX;
	m->def_type = read_or_zero(IA32_MTRR_DEF_TYPE);
	if (m->cap & MTRRCAP_FIX)
		for (uint32_t i = 0; i < MTRR_FIXED_MSRS; i++)
			m->fixed[i] = read_or_zero(fixed_msrs[i]);
	for (uint32_t i = 0; i < 2 * (m->cap & MTRRCAP_VCNT_MASK); i++)
		m->var[i] = read_or_zero(IA32_MTRR_PHYSBASE0 + i);
}

/*
 * The guest's shadow MTRRs (see hv/view/mtrr_view.h).
 */
#include "hv/view/mtrr_view.h"

#define TYPE_BITS 8
#define TYPES_PER_FIXED_MSR 8

/* Index into m->fixed of a fixed-range MTRR, or -1. */
static int fixed_index(uint32_t msr)
{
	if (msr == IA32_MTRR_FIX64K_00000)
		return 0;
	if (msr == IA32_MTRR_FIX16K_80000 || msr == IA32_MTRR_FIX16K_A0000)
		return 1 + (int)(msr - IA32_MTRR_FIX16K_80000);
	if (msr >= IA32_MTRR_FIX4K_C0000 && msr <= IA32_MTRR_FIX4K_F8000)
		return 3 + (int)(msr - IA32_MTRR_FIX4K_C0000);
	return -1;
}

/* True for the variable-range base/mask MSRs. */
static bool variable(uint32_t msr)
{
	return msr >= IA32_MTRR_PHYSBASE0 && msr <= MTRR_PHYSMASK_LAST;
}

/* True for every MTRR MSR the view answers for. */
bool mtrr_view_owns(uint32_t msr)
{
	return msr == IA32_MTRRCAP || msr == IA32_MTRR_DEF_TYPE ||
	       fixed_index(msr) >= 0 || variable(msr);
}

/* Memory types an MTRR may hold: UC, WT, WP, WB, and WC when MTRRCAP has
 * it (SDM "MTRR Feature Identification"). */
static bool type_valid(const struct mtrr_view *m, uint8_t type)
{
	switch (type) {
	case MEMTYPE_UC: case MEMTYPE_WT: case MEMTYPE_WP: case MEMTYPE_WB:
		return true;
	case MEMTYPE_WC:
		return (m->cap & MTRRCAP_WC) != 0;
	default:
		return false;
	}
}

/* The MSR exists on this CPU (for the variable ranges: n < VCNT). */
static bool exists(const struct mtrr_view *m, uint32_t msr)
{
	if (!m->present)
		return false;
	if (fixed_index(msr) >= 0)
		return (m->cap & MTRRCAP_FIX) != 0;
	if (variable(msr))
		return (msr - IA32_MTRR_PHYSBASE0) / 2 < (m->cap & MTRRCAP_VCNT_MASK);
	return true;
}

/* The guest's value of msr from the view; false (#GP) for a range the
 * capability does not report. */
bool mtrr_view_read(const struct mtrr_view *m, uint32_t msr, uint64_t *value)
{
	int fixed = fixed_index(msr);

	if (!exists(m, msr))
		return false;
	if (msr == IA32_MTRRCAP)
		*value = m->cap;
	else if (msr == IA32_MTRR_DEF_TYPE)
		*value = m->def_type;
	else if (fixed >= 0)
		*value = m->fixed[fixed];
	else
		*value = m->var[msr - IA32_MTRR_PHYSBASE0];
	return true;
}

/* Every one of the eight types in a fixed-range value is valid. */
static bool fixed_valid(const struct mtrr_view *m, uint64_t value)
{
	for (int i = 0; i < TYPES_PER_FIXED_MSR; i++)
		if (!type_valid(m, (uint8_t)(value >> (i * TYPE_BITS))))
			return false;
	return true;
}

/* PHYSBASEn (even offset) or PHYSMASKn (odd): reserved bits, including
 * address bits at or above MAXPHYADDR, and the type of PHYSBASEn. */
static bool var_valid(const struct mtrr_view *m, uint32_t msr, uint64_t value)
{
	uint64_t addr_reserved = MTRR_ADDR_MASK & ~m->phys_mask;

	if ((msr - IA32_MTRR_PHYSBASE0) % 2 == 0)
		return !(value & (addr_reserved | MTRR_PHYSBASE_RESERVED)) &&
		       type_valid(m, (uint8_t)(value & MTRR_PHYSBASE_TYPE_MASK));
	return !(value & (addr_reserved | MTRR_PHYSMASK_RESERVED));
}

/* Store a guest write after the CPU's checks; false (#GP) for an invalid
 * type, reserved bits or a range the capability does not report. */
bool mtrr_view_write(struct mtrr_view *m, uint32_t msr, uint64_t value)
{
	int fixed = fixed_index(msr);

	if (!exists(m, msr) || msr == IA32_MTRRCAP)
		return false;
	if (msr == IA32_MTRR_DEF_TYPE) {
		if ((value & ~MTRR_DEF_TYPE_WRITABLE) ||
		    !type_valid(m, (uint8_t)(value & MTRR_DEF_TYPE_MASK)))
			return false;
		m->def_type = value;
	} else if (fixed >= 0) {
		if (!fixed_valid(m, value))
			return false;
		m->fixed[fixed] = value;
	} else {
		if (!var_valid(m, msr, value))
			return false;
		m->var[msr - IA32_MTRR_PHYSBASE0] = value;
	}
	return true;
}

/* The view in the form the EPT builder reads (struct mtrr_state). */
void mtrr_view_state(const struct mtrr_view *m, struct mtrr_state *s)
{
	*s = (struct mtrr_state){ 0 };
	s->present = m->present;
	s->addr_mask = m->phys_mask;
	s->enabled = m->present && (m->def_type & MTRR_DEF_TYPE_E);
	s->fixed_enabled = (m->def_type & MTRR_DEF_TYPE_FE) &&
			   (m->cap & MTRRCAP_FIX);
	s->default_type = (uint8_t)(m->def_type & MTRR_DEF_TYPE_MASK);
	s->var_count = (uint32_t)(m->cap & MTRRCAP_VCNT_MASK);
	if (s->var_count > MTRR_VAR_MAX)
		s->var_count = MTRR_VAR_MAX;
	for (uint32_t i = 0; i < MTRR_FIXED_MSRS; i++)
		for (uint32_t t = 0; t < TYPES_PER_FIXED_MSR; t++)
			s->fixed[i * TYPES_PER_FIXED_MSR + t] =
				(uint8_t)(m->fixed[i] >> (t * TYPE_BITS));
	for (uint32_t i = 0; i < s->var_count; i++)
		s->var[i] = (struct mtrr_var){ m->var[2 * i],
					       m->var[2 * i + 1] };
}

/* The fixed ranges of a and b differ. */
static bool fixed_differ(const struct mtrr_view *a, const struct mtrr_view *b)
{
	for (uint32_t i = 0; i < MTRR_FIXED_MSRS; i++)
		if (a->fixed[i] != b->fixed[i])
			return true;
	return false;
}

/* A variable range of a and b differs where it counts: in either view the
 * range is valid (PHYSMASKn.V), so memory types may move. */
static bool var_differ(const struct mtrr_view *a, const struct mtrr_view *b)
{
	for (uint32_t i = 0; i < 2 * MTRR_VAR_MAX; i += 2)
		if ((a->var[i] != b->var[i] || a->var[i + 1] != b->var[i + 1]) &&
		    ((a->var[i + 1] | b->var[i + 1]) & MTRR_PHYSMASK_VALID))
			return true;
	return false;
}

/* Whether going from a to b changes what the MTRRs say (see the header). */
bool mtrr_view_types_changed(const struct mtrr_view *a,
			     const struct mtrr_view *b)
{
	bool on = (b->def_type & MTRR_DEF_TYPE_E) != 0;

	if (a->def_type != b->def_type)
		return (a->def_type | b->def_type) & MTRR_DEF_TYPE_E;
	if (!on)
		return false;
	return var_differ(a, b) ||
	       ((b->def_type & MTRR_DEF_TYPE_FE) && fixed_differ(a, b));
}

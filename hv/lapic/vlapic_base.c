/*
 * IA32_APIC_BASE and the x2APIC MSR interface of the virtual LAPIC
 * (Intel SDM Vol. 3, "Local APIC Status and Location", "x2APIC State
 * Transitions", "x2APIC Register Address Space": which MSRs exist, which
 * are read-only or write-only, and the reserved bits whose setting #GPs).
 */
#include "hv/lapic/vlapic.h"

/* Bits of IA32_APIC_BASE a guest may set (below the physical-address
 * limit): BSP, EXTD, EN and the base. */
#define APIC_BASE_FLAGS (APIC_BASE_BSP | APIC_BASE_X2APIC_ENABLE | APIC_BASE_ENABLE)
#define X2APIC_HIGH_RESERVED 0xffffffff00000000ull   /* all but the ICR */

/* The mode that an IA32_APIC_BASE value selects; EXTD without EN is the
 * invalid state (reported as -1). */
static int mode_of_base(uint64_t base)
{
	bool en = base & APIC_BASE_ENABLE, extd = base & APIC_BASE_X2APIC_ENABLE;

	if (!en)
		return extd ? -1 : VLAPIC_DISABLED;
	return extd ? VLAPIC_X2APIC : VLAPIC_XAPIC;
}

enum vlapic_mode vlapic_mode(const struct vlapic *l)
{
	return (enum vlapic_mode)mode_of_base(l->apic_base);
}

uint64_t vlapic_window_base(const struct vlapic *l)
{
	return l->apic_base & APIC_BASE_PAGE_MASK;
}

/* Whether old -> new is a transition hardware allows: not into the
 * invalid state, not x2APIC -> xAPIC, not disabled -> x2APIC. */
static bool transition_legal(int old, int new)
{
	if (new < 0)
		return false;
	if (old == VLAPIC_X2APIC && new == VLAPIC_XAPIC)
		return false;
	return !(old == VLAPIC_DISABLED && new == VLAPIC_X2APIC);
}

/* The BSP flag stays what the platform made it. */
bool vlapic_set_apic_base(struct vlapic *l, uint64_t value, uint64_t phys_mask,
			  struct vlapic_effect *fx)
{
	uint64_t allowed = APIC_BASE_FLAGS | (APIC_BASE_PAGE_MASK & phys_mask);
	int old = vlapic_mode(l), new = mode_of_base(value);

	if ((value & ~allowed) || !transition_legal(old, new))
		return false;
	l->apic_base = (value & ~APIC_BASE_BSP) | (l->apic_base & APIC_BASE_BSP);
	if (new == VLAPIC_DISABLED && old != VLAPIC_DISABLED)
		vlapic_init_signal(l);
	fx->flags |= VLAPIC_FX_MODE | VLAPIC_FX_PENDING | VLAPIC_FX_TIMER;
	return true;
}

/* ---- x2APIC MSRs --------------------------------------------------------- */

/* Offset in the register space of an x2APIC MSR. */
static uint32_t msr_offset(uint32_t msr)
{
	return (msr - X2APIC_MSR_BASE) << LAPIC_REG_SHIFT;
}

/* Registers that exist in x2APIC mode and can be read. */
static bool x2apic_readable(uint32_t off)
{
	if (off >= LAPIC_ISR0 && off < LAPIC_ESR)
		return true;                    /* ISR, TMR, IRR */
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_TIMER_CCR)
		return true;                    /* LVTs, initial and current count */
	switch (off) {
	case LAPIC_ID: case LAPIC_VERSION: case LAPIC_TPR: case LAPIC_PPR:
	case LAPIC_LDR: case LAPIC_SVR: case LAPIC_ESR: case LAPIC_ICR_LO:
	case LAPIC_TIMER_DCR:
		return true;
	}
	return false;
}

bool vlapic_x2apic_msr_readable(uint32_t msr)
{
	return msr >= X2APIC_MSR_BASE && msr <= X2APIC_MSR_LAST &&
	       x2apic_readable(msr_offset(msr));
}

bool vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value,
		     uint64_t tsc)
{
	uint32_t off = msr_offset(msr);

	if (vlapic_mode(l) != VLAPIC_X2APIC || msr < X2APIC_MSR_BASE ||
	    msr > X2APIC_MSR_LAST || !x2apic_readable(off))
		return false;
	if (off == LAPIC_ICR_LO) {
		*value = ((uint64_t)l->icr_hi << 32) | l->icr_lo;
		return true;
	}
	*value = vlapic_read(l, off, tsc);
	return true;
}

/* Reserved bits of a writable x2APIC register (a set one #GPs); ~0 for a
 * register that cannot be written. */
static uint32_t x2apic_write_reserved(uint32_t off)
{
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_LVT_ERROR) {
		enum vlapic_lvt i = (enum vlapic_lvt)((off - LAPIC_LVT_TIMER) >> LAPIC_REG_SHIFT);

		if (i == VLAPIC_LVT_TIMER)
			return ~(uint32_t)LAPIC_LVT_TIMER_WRITABLE;
		if (i == VLAPIC_LVT_LINT0 || i == VLAPIC_LVT_LINT1)
			return ~(uint32_t)(LAPIC_LVT_LINT_WRITABLE | LAPIC_LVT_REMOTE_IRR |
					   LAPIC_LVT_PENDING);
		if (i == VLAPIC_LVT_ERROR)
			return ~(uint32_t)(LAPIC_LVT_ERROR_WRITABLE | LAPIC_LVT_PENDING);
		return ~(uint32_t)(LAPIC_LVT_LOCAL_WRITABLE | LAPIC_LVT_PENDING);
	}
	switch (off) {
	case LAPIC_TPR:       return ~(uint32_t)LAPIC_TPR_MASK;
	case LAPIC_SVR:       return ~(uint32_t)LAPIC_SVR_WRITABLE;
	case LAPIC_EOI:                           /* x2apic_write_ok(): 0 only */
	case LAPIC_ESR:
	case LAPIC_TIMER_ICR: return 0;
	case LAPIC_TIMER_DCR: return ~(uint32_t)LAPIC_DCR_WRITABLE;
	case LAPIC_SELF_IPI:  return ~(uint32_t)X2APIC_SELF_IPI_VECTOR_MASK;
	}
	return ~0u;
}

/* Whether (off, value) is a legal x2APIC write. */
static bool x2apic_write_ok(uint32_t off, uint64_t value)
{
	if (off == LAPIC_ICR_LO)
		return !(LOW32(value) & ~(LAPIC_ICR_LO_WRITABLE | LAPIC_ICR_BUSY));
	if (value & X2APIC_HIGH_RESERVED)
		return false;
	if (off == LAPIC_EOI || off == LAPIC_ESR)
		return value == 0;
	return x2apic_write_reserved(off) != ~0u &&
	       !(LOW32(value) & x2apic_write_reserved(off));
}

bool vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value,
		      uint64_t tsc, struct vlapic_effect *fx)
{
	uint32_t off = msr_offset(msr);

	if (vlapic_mode(l) != VLAPIC_X2APIC || msr < X2APIC_MSR_BASE ||
	    msr > X2APIC_MSR_LAST || !x2apic_write_ok(off, value))
		return false;
	if (off == LAPIC_ICR_LO) {
		l->icr_lo = LOW32(value) & LAPIC_ICR_LO_WRITABLE;
		l->icr_hi = HIGH32(value);
		vlapic_icr_send(l, l->icr_lo, l->icr_hi, fx);
		return true;
	}
	if (off == LAPIC_SELF_IPI) {
		vlapic_self_ipi(l, (uint8_t)value, fx);
		return true;
	}
	vlapic_write(l, off, LOW32(value), tsc, fx);
	return true;
}

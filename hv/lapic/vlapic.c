/*
 * The virtual LAPIC's registers and priority rules (see hv/lapic/vlapic.h;
 * Intel SDM Vol. 3, "Interrupt, Task, and Processor Priority", "Interrupt
 * Acceptance for Fixed Interrupts", "Signaling Interrupt Servicing
 * Completion", "Error Handling", "Spurious Interrupt").
 */
#include "hv/lapic/vlapic.h"
#include "lib/str.h"

#define VECTOR_BITS_PER_REG 32

/* ---- Vector sets (IRR, ISR, TMR) ---------------------------------------- */

/* Whether vector is set in the 256-bit register set r. */
static bool vec_test(const uint32_t *r, uint8_t vector)
{
	return (r[vector / VECTOR_BITS_PER_REG] >> (vector % VECTOR_BITS_PER_REG)) & 1;
}

static void vec_set(uint32_t *r, uint8_t vector)
{
	r[vector / VECTOR_BITS_PER_REG] |= BIT(vector % VECTOR_BITS_PER_REG);
}

static void vec_clear(uint32_t *r, uint8_t vector)
{
	r[vector / VECTOR_BITS_PER_REG] &= ~BIT(vector % VECTOR_BITS_PER_REG);
}

/* The highest vector set in r, VLAPIC_NO_VECTOR when none. */
static int vec_highest(const uint32_t *r)
{
	for (int i = LAPIC_VECTOR_REGS - 1; i >= 0; i--)
		if (r[i])
			return i * VECTOR_BITS_PER_REG + 31 - __builtin_clz(r[i]);
	return VLAPIC_NO_VECTOR;
}

/* Priority class of a vector (or VLAPIC_NO_VECTOR: class 0). */
static uint32_t prio_class(int vector)
{
	return vector < 0 ? 0 : ((uint32_t)vector & LAPIC_PRIO_CLASS_MASK);
}

/* ---- State ----------------------------------------------------------------- */

/* Every register but the ID and IA32_APIC_BASE to its power-on value. */
static void registers_reset(struct vlapic *l)
{
	uint32_t id = l->id;
	uint64_t base = l->apic_base;
	struct vlapic_counts counts = l->counts;

	memset(l, 0, sizeof(*l));
	l->id = id;
	l->apic_base = base;
	l->counts = counts;
	l->dfr = LAPIC_DFR_MODEL_MASK | LAPIC_DFR_RESERVED_ONES;
	l->svr = LAPIC_SVR_RESET;
	for (int i = 0; i < LAPIC_LVT_COUNT; i++)
		l->lvt[i] = LAPIC_LVT_MASKED;
	l->timer.deadline = VLAPIC_NO_DEADLINE;
}

/* Power-on: xAPIC mode at the default base, software-disabled. */
void vlapic_reset(struct vlapic *l, uint32_t id, bool bsp)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->apic_base = VLAPIC_DEFAULT_BASE | APIC_BASE_ENABLE |
		       (bsp ? APIC_BASE_BSP : 0);
	registers_reset(l);
}

/* INIT keeps the APIC ID and IA32_APIC_BASE. */
void vlapic_init_signal(struct vlapic *l)
{
	registers_reset(l);
}

/* Software enable: SVR bit 8. */
bool vlapic_sw_enabled(const struct vlapic *l)
{
	return (l->svr & LAPIC_SVR_ENABLE) != 0;
}

/* ---- Priorities --------------------------------------------------------- */

int vlapic_highest_irr(const struct vlapic *l)
{
	return vec_highest(l->irr);
}

int vlapic_highest_isr(const struct vlapic *l)
{
	return vec_highest(l->isr);
}

/* PPR = TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4] with subclass 0
 * (SDM "Processor Priority Register (PPR)"). */
uint8_t vlapic_ppr(const struct vlapic *l)
{
	uint32_t isrv = prio_class(vec_highest(l->isr));

	if ((l->tpr & LAPIC_PRIO_CLASS_MASK) >= isrv)
		return (uint8_t)l->tpr;
	return (uint8_t)isrv;
}

/* APR, as the P6 family defines it (SDM "Arbitration Priority Register"):
 * TPR when it is at least the highest IRR class and above the highest
 * ISR class, else the larger of (TPR & ISR class) and the IRR class. */
uint8_t vlapic_apr(const struct vlapic *l)
{
	uint32_t tpr = l->tpr & LAPIC_PRIO_CLASS_MASK;
	uint32_t isrv = prio_class(vec_highest(l->isr));
	uint32_t irrv = prio_class(vec_highest(l->irr));

	if (tpr >= irrv && tpr > isrv)
		return (uint8_t)l->tpr;
	return (uint8_t)((tpr & isrv) > irrv ? (tpr & isrv) : irrv);
}

/* ---- Interrupts ------------------------------------------------------------ */

/* Error bits go to the pending ESR; a new one raises the error LVT
 * (SDM "Error Handling"). */
void vlapic_error(struct vlapic *l, uint32_t esr_bits)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_ERROR];
	bool fresh = (l->esr_pending & esr_bits) != esr_bits;

	l->esr_pending |= esr_bits;
	if (fresh && !(lvt & LAPIC_LVT_MASKED) &&
	    (lvt & LAPIC_LVT_VECTOR_MASK) >= LAPIC_FIRST_VALID_VECTOR)
		vec_set(l->irr, (uint8_t)(lvt & LAPIC_LVT_VECTOR_MASK));
}

/* Fixed interrupt: IRR (a vector already requested stays one request),
 * TMR set for level, cleared for edge. */
void vlapic_accept(struct vlapic *l, uint8_t vector, bool level)
{
	if (vector < LAPIC_FIRST_VALID_VECTOR) {
		l->counts.illegal_vectors++;
		vlapic_error(l, LAPIC_ESR_RECV_ILLEGAL_VEC);
		return;
	}
	vec_set(l->irr, vector);
	if (level)
		vec_set(l->tmr, vector);
	else
		vec_clear(l->tmr, vector);
}

/* Whether an 8259 interrupt reaches the CPU: an APIC globally or
 * software-disabled leaves the INTR pin to the platform's PIC-mode path
 * (straight to the core, as Bochs and IMCR chipsets do), and so does
 * LINT0 as the firmware left it (the interrupt arrived: the platform
 * routes it so, whatever the entry says; Bochs's BIOS leaves it masked
 * and still delivers); once the guest programmed LINT0 it decides: unmasked
 * with ExtINT delivery. */
static bool extint_reaches_cpu(const struct vlapic *l)
{
	uint32_t lint0 = l->lvt[VLAPIC_LVT_LINT0];
	uint32_t dm = (lint0 & LAPIC_LVT_DELIVERY_MASK) >> LAPIC_LVT_DELIVERY_SHIFT;

	if (vlapic_mode(l) == VLAPIC_DISABLED || !vlapic_sw_enabled(l) ||
	    !l->lint0_programmed)
		return true;
	return !(lint0 & LAPIC_LVT_MASKED) && dm == LAPIC_DM_EXTINT;
}

void vlapic_accept_extint(struct vlapic *l, uint8_t vector)
{
	if (!extint_reaches_cpu(l)) {
		l->counts.extint_dropped++;
		return;
	}
	l->extint_pending = true;
	l->extint_vector = vector;
}

/* ExtINT bypasses the priority rules; a fixed vector needs a class above
 * PPR's (SDM "Interrupt Acceptance for Fixed Interrupts").  A globally
 * disabled APIC delivers nothing from IRR. */
int vlapic_pending(const struct vlapic *l)
{
	int v;

	if (l->extint_pending)
		return l->extint_vector;
	/* An empty IRR first: the common case, and cheaper than the mode. */
	if (!vlapic_requested(l) || vlapic_mode(l) == VLAPIC_DISABLED)
		return VLAPIC_NO_VECTOR;
	v = vec_highest(l->irr);
	if (v == VLAPIC_NO_VECTOR ||
	    prio_class(v) <= (vlapic_ppr(l) & LAPIC_PRIO_CLASS_MASK))
		return VLAPIC_NO_VECTOR;
	return v;
}

void vlapic_ack(struct vlapic *l, uint8_t vector)
{
	if (l->extint_pending && l->extint_vector == vector) {
		l->extint_pending = false;
		return;
	}
	vec_clear(l->irr, vector);
	vec_set(l->isr, vector);
}

/* The highest ISR bit is the one being serviced; its TMR bit says whether
 * the source was level-triggered (then the IOAPIC must see an EOI). */
void vlapic_eoi(struct vlapic *l, struct vlapic_effect *fx)
{
	int v = vec_highest(l->isr);

	if (v == VLAPIC_NO_VECTOR)
		return;
	vec_clear(l->isr, (uint8_t)v);
	fx->flags |= VLAPIC_FX_PENDING;
	if (vec_test(l->tmr, (uint8_t)v)) {
		vec_clear(l->tmr, (uint8_t)v);
		fx->flags |= VLAPIC_FX_EOI_LEVEL;
		fx->eoi_vector = (uint8_t)v;
	}
}

uint32_t vlapic_take_nmis(struct vlapic *l)
{
	uint32_t n = l->nmis;

	l->nmis = 0;
	return n;
}

/* ---- Register reads ---------------------------------------------------- */

/* Register index of offset within a 0x80-byte block of 8 registers. */
static unsigned reg_index(uint32_t offset, uint32_t first)
{
	return (offset - first) >> LAPIC_REG_SHIFT;
}

/* LVT index of an LVT register offset. */
static enum vlapic_lvt lvt_of(uint32_t offset)
{
	return (enum vlapic_lvt)reg_index(offset, LAPIC_LVT_TIMER);
}

/* LDR as read in the current mode: xAPIC keeps bits 31:24; x2APIC derives
 * it from the ID (cluster ID >> 4 in 31:16, bit ID[3:0] in 15:0). */
static uint32_t ldr_value(const struct vlapic *l)
{
	if (vlapic_mode(l) == VLAPIC_X2APIC)
		return ((l->id >> X2APIC_LDR_CLUSTER_OF_ID) << X2APIC_LDR_CLUSTER_SHIFT) |
		       BIT(l->id & X2APIC_LDR_BIT_MASK);
	return l->ldr;
}

/* The ID register in the current mode. */
static uint32_t id_value(const struct vlapic *l)
{
	if (vlapic_mode(l) == VLAPIC_X2APIC)
		return l->id;
	return (l->id & LAPIC_XAPIC_ID_MASK) << LAPIC_XAPIC_ID_SHIFT;
}

/* The registers both modes read the same way; *ok false for no register. */
static uint32_t read_common(struct vlapic *l, uint32_t off, uint64_t tsc, bool *ok)
{
	*ok = true;
	if (off >= LAPIC_ISR0 && off < LAPIC_TMR0)
		return l->isr[reg_index(off, LAPIC_ISR0)];
	if (off >= LAPIC_TMR0 && off < LAPIC_IRR0)
		return l->tmr[reg_index(off, LAPIC_TMR0)];
	if (off >= LAPIC_IRR0 && off < LAPIC_ESR)
		return l->irr[reg_index(off, LAPIC_IRR0)];
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_LVT_ERROR)
		return l->lvt[lvt_of(off)];
	switch (off) {
	case LAPIC_ID:        return id_value(l);
	case LAPIC_VERSION:   return LAPIC_VERSION_VALUE;
	case LAPIC_TPR:       return l->tpr;
	case LAPIC_PPR:       return vlapic_ppr(l);
	case LAPIC_LDR:       return ldr_value(l);
	case LAPIC_SVR:       return l->svr;
	case LAPIC_ESR:       return l->esr;
	case LAPIC_ICR_LO:    return l->icr_lo;
	case LAPIC_TIMER_ICR: return l->timer.initial;
	case LAPIC_TIMER_CCR: return vlapic_timer_current(l, tsc);
	case LAPIC_TIMER_DCR: return l->timer.dcr;
	}
	*ok = false;
	return 0;
}

/* xAPIC-only registers: APR, EOI and RRD (read 0), DFR, ICR high. */
static uint32_t read_xapic_only(const struct vlapic *l, uint32_t off, bool *ok)
{
	*ok = true;
	switch (off) {
	case LAPIC_APR:    return vlapic_apr(l);
	case LAPIC_EOI:    return 0;
	case LAPIC_RRD:    return 0;
	case LAPIC_DFR:    return l->dfr;
	case LAPIC_ICR_HI: return l->icr_hi;
	}
	*ok = false;
	return 0;
}

uint32_t vlapic_read(struct vlapic *l, uint32_t offset, uint64_t tsc)
{
	uint32_t off = offset & (LAPIC_WINDOW_SIZE - 1) & ~LAPIC_REG_ALIGN_MASK;
	bool ok;
	uint32_t v = read_common(l, off, tsc, &ok);

	if (!ok)
		v = read_xapic_only(l, off, &ok);
	if (!ok)
		vlapic_error(l, LAPIC_ESR_ILLEGAL_REG);
	return v;
}

/* ---- Register writes ------------------------------------------------------- */

/* Writable bits of each LVT entry. */
static uint32_t lvt_writable(enum vlapic_lvt i)
{
	switch (i) {
	case VLAPIC_LVT_TIMER:  return LAPIC_LVT_TIMER_WRITABLE;
	case VLAPIC_LVT_LINT0:
	case VLAPIC_LVT_LINT1:  return LAPIC_LVT_LINT_WRITABLE;
	case VLAPIC_LVT_ERROR:  return LAPIC_LVT_ERROR_WRITABLE;
	default:                return LAPIC_LVT_LOCAL_WRITABLE;
	}
}

/* An LVT write; a software-disabled APIC keeps every entry masked. */
static void write_lvt(struct vlapic *l, enum vlapic_lvt i, uint32_t value,
		      uint64_t tsc, struct vlapic_effect *fx)
{
	value &= lvt_writable(i);
	if (!vlapic_sw_enabled(l))
		value |= LAPIC_LVT_MASKED;
	if (i == VLAPIC_LVT_LINT0)
		l->lint0_programmed = true;
	if (i == VLAPIC_LVT_TIMER) {
		vlapic_timer_set_lvt(l, value, tsc);
		fx->flags |= VLAPIC_FX_TIMER;
		return;
	}
	l->lvt[i] = value;
}

/* SVR: clearing the enable bit masks every LVT entry (SDM "Enabling or
 * Disabling the Local APIC"); IRR and ISR are kept. */
static void write_svr(struct vlapic *l, uint32_t value, struct vlapic_effect *fx)
{
	l->svr = value & LAPIC_SVR_WRITABLE;
	if (!vlapic_sw_enabled(l)) {
		for (int i = 0; i < LAPIC_LVT_COUNT; i++)
			l->lvt[i] |= LAPIC_LVT_MASKED;
	}
	fx->flags |= VLAPIC_FX_PENDING | VLAPIC_FX_TIMER;
}

/* ESR write: the errors since the last write become readable and the
 * accumulator starts afresh (SDM "Error Handling"). */
static void write_esr(struct vlapic *l)
{
	l->esr = l->esr_pending;
	l->esr_pending = 0;
}

/* Writes both modes handle the same way; false for no such register. */
static bool write_common(struct vlapic *l, uint32_t off, uint32_t value,
			 uint64_t tsc, struct vlapic_effect *fx)
{
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_LVT_ERROR) {
		write_lvt(l, lvt_of(off), value, tsc, fx);
		return true;
	}
	switch (off) {
	case LAPIC_TPR:
		l->tpr = value & LAPIC_TPR_MASK;
		fx->flags |= VLAPIC_FX_PENDING;
		return true;
	case LAPIC_EOI:
		vlapic_eoi(l, fx);
		return true;
	case LAPIC_SVR:
		write_svr(l, value, fx);
		return true;
	case LAPIC_ESR:
		write_esr(l);
		return true;
	case LAPIC_TIMER_ICR:
		vlapic_timer_set_initial(l, value, tsc);
		fx->flags |= VLAPIC_FX_TIMER;
		return true;
	case LAPIC_TIMER_DCR:
		vlapic_timer_set_dcr(l, value & LAPIC_DCR_WRITABLE, tsc);
		fx->flags |= VLAPIC_FX_TIMER;
		return true;
	}
	return false;
}

/* Read-only registers: writes are ignored (no error on hardware). */
static bool xapic_read_only(uint32_t off)
{
	return off == LAPIC_ID || off == LAPIC_VERSION || off == LAPIC_APR ||
	       off == LAPIC_PPR || off == LAPIC_RRD || off == LAPIC_TIMER_CCR ||
	       (off >= LAPIC_ISR0 && off < LAPIC_ESR);
}

void vlapic_write(struct vlapic *l, uint32_t offset, uint32_t value,
		  uint64_t tsc, struct vlapic_effect *fx)
{
	uint32_t off = offset & (LAPIC_WINDOW_SIZE - 1) & ~LAPIC_REG_ALIGN_MASK;

	if (write_common(l, off, value, tsc, fx) || xapic_read_only(off))
		return;
	switch (off) {
	case LAPIC_LDR:
		l->ldr = value & LAPIC_LDR_XAPIC_MASK;
		return;
	case LAPIC_DFR:
		l->dfr = (value & LAPIC_DFR_MODEL_MASK) | LAPIC_DFR_RESERVED_ONES;
		return;
	case LAPIC_ICR_HI:
		l->icr_hi = value & LAPIC_ICR_HI_XAPIC_MASK;
		return;
	case LAPIC_ICR_LO:
		l->icr_lo = value & LAPIC_ICR_LO_WRITABLE;
		vlapic_icr_send(l, l->icr_lo,
				l->icr_hi >> LAPIC_ICR_XAPIC_DEST_SHIFT, fx);
		return;
	}
	vlapic_error(l, LAPIC_ESR_ILLEGAL_REG);
}

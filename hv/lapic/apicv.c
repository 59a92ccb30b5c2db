/*
 * The APICv back end (see hv/lapic/apicv.h; Intel SDM Vol. 3, "APIC
 * Virtualization and Virtual Interrupts").
 *
 * The model (hv/lapic/vlapic.h) stays the one place that decides; the
 * virtual-APIC page is its image for the CPU.  After every VM exit the
 * CPU's work is pulled into the model (IRR, ISR and TPR: it delivered
 * virtual interrupts, virtualized EOIs, TPR writes and self-IPIs); before
 * every entry the model is pushed back (the whole register image, RVI and
 * SVI in the guest interrupt status, the EOI-exit bitmap for its
 * level-triggered vectors).  So reads, TPR writes, EOIs of edge vectors and
 * self-IPIs take no exit; writes of the other registers are APIC-write
 * exits (the value waits in the page), EOIs of level vectors EOI-induced
 * exits (the physical EOI waits for them), and the current-count register,
 * which the CPU does not virtualize, an APIC-access exit.
 */
#include "arch/x86/msr.h"
#include "hv/exit/handlers.h"
#include "hv/lapic/apicv.h"
#include "hv/lapic/lapic.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/view/msr_policy.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/insn.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/pmm.h"

#define INTR_STATUS_SVI_SHIFT  8         /* guest interrupt status: SVI 15:8 */
#define EOI_EXIT_FIELDS        4         /* EOI-exit bitmaps 0-3, 64 bits each */
#define VECTOR_BITS_PER_REG    32
#define REGS_PER_EOI_FIELD     2         /* two 32-bit TMR words per field */
#define NO_VECTOR_STATUS       0         /* RVI/SVI when nothing is there */

/* A 32-bit register of the virtual-APIC page at offset. */
static volatile uint32_t *vreg(const struct vcpu *v, uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(v->lapic.vapic_page + offset);
}

/* ---- Pull and push ---------------------------------------------------------- */

/*
 * The CPU's virtual delivery, EOI, TPR and self-IPI work into the model.
 *
 * RVI is the highest VIRR vector and SVI the highest VISR vector, 0 for
 * none: push_status() writes them so, and every change the CPU makes to
 * VIRR or VISR keeps them so (SDM Vol. 3, "Virtual-Interrupt Delivery",
 * "EOI Virtualization", "Self-IPI Virtualization": delivery and EOI set
 * RVI or SVI to the highest remaining bit, a self-IPI, of a vector 16 or
 * above, raises RVI to its vector).  So a guest interrupt status of 0
 * after an exit means VIRR and VISR are empty (vector 0 aside, which no
 * path sets), and the 16 page reads are needed only when it is not 0:
 * the common exit, with nothing requested or in service, reads one VMCS
 * field instead.
 * The wake check before the entry (VCPU_REQ_LAPIC) reads what the pull
 * brings: requested when a vector is in VIRR or VISR (the guest may have
 * halted since), or was waiting at the last entry (it may be gone now:
 * the HLT-exiting choice follows).  With both empty and nothing waiting
 * the check would find nothing again, whatever the TPR.
 */
void apicv_pull(struct vcpu *v)
{
	struct vlapic *l = &v->lapic.model;

	l->tpr = *vreg(v, LAPIC_TPR) & LAPIC_TPR_MASK;
	if (vmcs_read16(VMCS_GUEST_INTR_STATUS) == NO_VECTOR_STATUS) {
		__builtin_memset(l->irr, 0, sizeof(l->irr));
		__builtin_memset(l->isr, 0, sizeof(l->isr));
		if (v->lapic.virtual_waiting)
			v->requests |= VCPU_REQ_LAPIC;
		return;
	}
	v->requests |= VCPU_REQ_LAPIC;
	for (int i = 0; i < LAPIC_VECTOR_REGS; i++) {
		uint32_t off = (uint32_t)i << LAPIC_REG_SHIFT;

		l->irr[i] = *vreg(v, LAPIC_IRR0 + off);
		l->isr[i] = *vreg(v, LAPIC_ISR0 + off);
	}
}

/* The register image the guest reads without exits. */
static void push_registers(struct vcpu *v)
{
	struct vlapic *l = &v->lapic.model;
	bool x2 = vlapic_mode(l) == VLAPIC_X2APIC;

	*vreg(v, LAPIC_ID) = x2 ? l->id : (l->id & LAPIC_XAPIC_ID_MASK) << LAPIC_XAPIC_ID_SHIFT;
	*vreg(v, LAPIC_VERSION) = LAPIC_VERSION_VALUE;
	*vreg(v, LAPIC_TPR) = l->tpr;
	*vreg(v, LAPIC_PPR) = vlapic_ppr(l);
	*vreg(v, LAPIC_LDR) = vlapic_read(l, LAPIC_LDR, 0);
	*vreg(v, LAPIC_DFR) = l->dfr;
	*vreg(v, LAPIC_SVR) = l->svr;
	*vreg(v, LAPIC_ESR) = l->esr;
	*vreg(v, LAPIC_ICR_LO) = l->icr_lo;
	*vreg(v, LAPIC_ICR_HI) = l->icr_hi;
	*vreg(v, LAPIC_TIMER_ICR) = l->timer.initial;
	*vreg(v, LAPIC_TIMER_DCR) = l->timer.dcr;
	for (int i = 0; i < LAPIC_LVT_COUNT; i++)
		*vreg(v, LAPIC_LVT_TIMER + ((uint32_t)i << LAPIC_REG_SHIFT)) = l->lvt[i];
	for (int i = 0; i < LAPIC_VECTOR_REGS; i++) {
		uint32_t off = (uint32_t)i << LAPIC_REG_SHIFT;

		*vreg(v, LAPIC_IRR0 + off) = l->irr[i];
		*vreg(v, LAPIC_ISR0 + off) = l->isr[i];
		*vreg(v, LAPIC_TMR0 + off) = l->tmr[i];
	}
}

/* EOI-exit bitmap i (vectors 64i .. 64i + 63). */
static void write_eoi_exit(int i, uint64_t bits)
{
	switch (i) {
	case 0: vmcs_write64(VMCS_EOI_EXIT_BITMAP0, bits); break;
	case 1: vmcs_write64(VMCS_EOI_EXIT_BITMAP1, bits); break;
	case 2: vmcs_write64(VMCS_EOI_EXIT_BITMAP2, bits); break;
	default: vmcs_write64(VMCS_EOI_EXIT_BITMAP3, bits); break;
	}
}

/* EOI-exit bitmap = the model's TMR (level vectors): their EOIs exit. */
static void push_eoi_exit(struct vcpu *v)
{
	const uint32_t *tmr = v->lapic.model.tmr;

	for (int i = 0; i < EOI_EXIT_FIELDS; i++) {
		uint64_t bits = tmr[REGS_PER_EOI_FIELD * i] |
				((uint64_t)tmr[REGS_PER_EOI_FIELD * i + 1] << 32);

		if (bits != v->lapic.eoi_exit[i]) {
			write_eoi_exit(i, bits);
			v->lapic.eoi_exit[i] = bits;
		}
	}
}

/* RVI = highest IRR vector, SVI = highest ISR vector (0 for none). */
static void push_status(struct vcpu *v)
{
	int rvi = vlapic_highest_irr(&v->lapic.model);
	int svi = vlapic_highest_isr(&v->lapic.model);
	uint16_t status = (uint16_t)((rvi < 0 ? NO_VECTOR_STATUS : rvi) |
				     ((svi < 0 ? NO_VECTOR_STATUS : svi) << INTR_STATUS_SVI_SHIFT));

	vmcs_write16(VMCS_GUEST_INTR_STATUS, status);
}

/* A halted guest with a deliverable virtual interrupt runs again (the
 * CPU would deliver it at the entry: the guest must be active for it).
 * Whether one waits is kept for the HLT-exiting decision
 * (halt_exits_while_waiting(), hv/vcpu/inject.c). */
static void wake_for_virtual(struct vcpu *v)
{
	const struct vlapic *l = &v->lapic.model;

	bool waiting = vlapic_requested(l) && vlapic_pending(l) != VLAPIC_NO_VECTOR;

	if (waiting != v->lapic.virtual_waiting)
		v->requests |= VCPU_REQ_INJECT;     /* the HLT-exiting choice */
	v->lapic.virtual_waiting = waiting;
	if (!waiting)
		return;
	if (vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_HLT)
		vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

void apicv_push(struct vcpu *v)
{
	push_registers(v);
	push_eoi_exit(v);
	push_status(v);
	v->lapic.image_stale = false;
}

/* The page needs the model only after root mode changed the model (the
 * pull after the exit made them equal, and the CPU keeps RVI/SVI in step
 * with what it does to the page itself). */
void apicv_before_entry(struct vcpu *v)
{
	if (v->lapic.image_stale)
		apicv_push(v);
	wake_for_virtual(v);
}

/* ---- Set-up and mode changes ------------------------------------------------ */

/* Make an MSR's read and/or write exit (on) or pass to the virtual-APIC
 * page (off) in v's MSR bitmap. */
static void msr_intercept(struct vcpu *v, uint32_t msr, bool read, bool write,
			  bool on)
{
	uint8_t *bitmap = (uint8_t *)(uintptr_t)v->msr_bitmap_phys;
	uint32_t byte;
	uint8_t index, bit;

	if (!msr_bitmap_position(msr, &byte, &index))
		return;
	bit = (uint8_t)BIT(index);
	if (read)
		bitmap[byte] = on ? bitmap[byte] | bit : bitmap[byte] & ~bit;
	if (write) {
		byte += MSR_BITMAP_WRITE_OFFSET;
		bitmap[byte] = on ? bitmap[byte] | bit : bitmap[byte] & ~bit;
	}
}

/* In x2APIC mode with "virtualize x2APIC mode": reads of the registers
 * that can be read pass to the page (but the current count, which the CPU
 * does not virtualize; the others exit to the model, which #GPs as
 * hardware does); TPR, EOI and SELF IPI writes are virtualized; every
 * other write exits to the model.
 * Otherwise every x2APIC MSR exits (the model #GPs in xAPIC mode; with the
 * bitmap open the access would reach the physical LAPIC). */
static void x2apic_bitmap(struct vcpu *v, bool virtualize)
{
	for (uint32_t msr = X2APIC_MSR_BASE; msr <= X2APIC_MSR_LAST; msr++)
		msr_intercept(v, msr, true, true, true);
	if (!virtualize)
		return;
	for (uint32_t msr = X2APIC_MSR_BASE; msr <= X2APIC_MSR_LAST; msr++)
		if (msr != X2APIC_MSR(LAPIC_TIMER_CCR) &&
		    vlapic_x2apic_msr_readable(msr))
			msr_intercept(v, msr, true, false, false);
	msr_intercept(v, X2APIC_MSR(LAPIC_TPR), false, true, false);
	msr_intercept(v, X2APIC_MSR(LAPIC_EOI), false, true, false);
	msr_intercept(v, X2APIC_MSR(LAPIC_SELF_IPI), false, true, false);
}

/* Secondary controls for the mode: "virtualize APIC accesses" in xAPIC
 * mode, "virtualize x2APIC mode" in x2APIC mode when the CPU allows it
 * (the two exclude each other, SDM "Checks on VMX Controls"). */
void apicv_mode_changed(struct vcpu *v)
{
	uint32_t p2 = v->ctls.word[PROCBASED_CTLS2];
	bool x2 = vlapic_mode(&v->lapic.model) == VLAPIC_X2APIC;
	bool can_x2 = v->ctls.may_be_one[PROCBASED_CTLS2] &
		      PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE;

	p2 &= ~(PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES |
		PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE);
	if (x2 && can_x2)
		p2 |= PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE;
	else if (!x2)
		p2 |= PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES;
	if (p2 != v->ctls.word[PROCBASED_CTLS2]) {
		v->ctls.word[PROCBASED_CTLS2] = p2;
		vmcs_write32(VMCS_PROCBASED_CTLS2, p2);
	}
	x2apic_bitmap(v, x2 && can_x2);
}

bool apicv_init(struct vcpu *v)
{
	struct lapic_vcpu *a = &v->lapic;

	a->vapic_page = pmm_alloc_page();
	memset((void *)(uintptr_t)a->vapic_page, 0, LAPIC_WINDOW_SIZE);
	vmcs_write64(VMCS_VIRTUAL_APIC_PAGE_ADDR, a->vapic_page);
	vmcs_write32(VMCS_TPR_THRESHOLD, 0);
	for (int i = 0; i < EOI_EXIT_FIELDS; i++)
		a->eoi_exit[i] = ~0ull;         /* written at the first push */
	apicv_mode_changed(v);
	apicv_push(v);
	return true;
}

/* ---- Exits ------------------------------------------------------------------- */

/* APIC write (trap-like, SDM "APIC-Write VM Exits"): the guest wrote a
 * register the CPU does not virtualize; the value is in the page at the
 * offset the qualification names.  The model takes it as a write. */
enum exit_action handle_apic_write(struct vcpu *v, const struct vmexit *e)
{
	uint32_t off = (uint32_t)(e->qualification & (LAPIC_WINDOW_SIZE - 1));
	uint32_t value = *vreg(v, off);

	if (vlapic_mode(&v->lapic.model) == VLAPIC_X2APIC && off == LAPIC_ICR_LO) {
		uint64_t icr = value | ((uint64_t)*vreg(v, LAPIC_ICR_HI) << 32);

		if (!lapic_msr_write(v, X2APIC_MSR(off), icr))
			inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	lapic_mmio_write(v, off, value);
	return EXIT_RESUME;
}

/* EOI-induced exit (trap-like): the CPU already took the vector out of
 * VISR (pulled in); a level vector's physical EOI was waiting for this. */
enum exit_action handle_virtualized_eoi(struct vcpu *v, const struct vmexit *e)
{
	uint8_t vector = (uint8_t)(e->qualification & LAPIC_VECTOR_MASK);

	lapic_level_eoi(v, vector);
	return EXIT_RESUME;
}

/* The model changed in root mode: the push before the entry carries it. */
void apicv_sync(struct vcpu *v)
{
	v->lapic.image_stale = true;
	v->requests |= VCPU_REQ_LAPIC;
}

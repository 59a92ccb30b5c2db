/*
 * The guest's local APIC behind the guest (see hv/lapic/lapic.h and
 * docs/apic.md): set-up from the firmware's state, forwarding of the
 * physical interrupts, the timer on the VMX-preemption timer, the MSR and
 * MMIO entry points, and the effects of the model's operations.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "boot/config.h"
#include "hv/lapic/apicv.h"
#include "hv/lapic/lapic.h"
#include "hv/lapic/phys.h"
#include "hv/vcpu/ept_types.h"
#include "hv/vcpu/init_state.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/init.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/vmxon.h"
#include "lib/format.h"
#include "lib/log.h"
#include "mm/guest_mem.h"
#include "mm/pmm.h"

#define VECTOR_BITS_PER_REG 32
#define LOG_TOP_VECTORS      8       /* forwarded vectors named at the end */

/* ---- Set-up ------------------------------------------------------------- */

/* The firmware's LAPIC as the guest's starting point: the same ID, base,
 * mode, SVR, TPR, logical destination and LINT0/LINT1/error/thermal/perf
 * entries (virtual wire: LINT0 ExtINT, LINT1 NMI); the timer masked and
 * stopped.  Read before the hypervisor takes the physical LAPIC over. */
static void copy_firmware_state(struct vlapic *l)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);
	bool x2 = (base & APIC_BASE_X2APIC_ENABLE) != 0;
	uint32_t id = phys_lapic_read(LAPIC_ID);

	vlapic_reset(l, x2 ? id : id >> LAPIC_XAPIC_ID_SHIFT,
		     (base & APIC_BASE_BSP) != 0);
	l->apic_base = base & (APIC_BASE_PAGE_MASK | APIC_BASE_ENABLE |
			       APIC_BASE_X2APIC_ENABLE | APIC_BASE_BSP);
	l->svr = phys_lapic_read(LAPIC_SVR) & LAPIC_SVR_WRITABLE;
	l->tpr = phys_lapic_read(LAPIC_TPR) & LAPIC_TPR_MASK;
	if (!x2) {
		l->ldr = phys_lapic_read(LAPIC_LDR) & LAPIC_LDR_XAPIC_MASK;
		l->dfr = phys_lapic_read(LAPIC_DFR) | LAPIC_DFR_RESERVED_ONES;
	}
	for (int i = VLAPIC_LVT_THERMAL; i < LAPIC_LVT_COUNT; i++)
		l->lvt[i] = phys_lapic_read(LAPIC_LVT_TIMER +
					    ((uint32_t)i << LAPIC_REG_SHIFT)) &
			    ~(LAPIC_LVT_PENDING | LAPIC_LVT_REMOTE_IRR);
}

/* The back end and why (for the start-up line). */
static void choose_backend(struct lapic_vcpu *a, const struct vcpu *v)
{
	if (v->ctls.apicv) {
		a->backend = LAPIC_BACKEND_APICV;
		a->why = "the CPU has APIC-register virtualization and "
			 "virtual-interrupt delivery";
		return;
	}
	a->backend = LAPIC_BACKEND_SOFTWARE;
	if (hv_config.lapic_software)
		a->why = "lapic=software";
	else if (v->ctls.apicv_available)
		a->why = "APICv not requested";
	else
		a->why = "the CPU lacks APIC-register virtualization or "
			 "virtual-interrupt delivery";
}

/* Whether APICv is asked of the control computation (lapic=software says
 * no). */
bool lapic_wants_apicv(void)
{
	return !hv_config.lapic_software;
}

/* The window GPA shows the APIC-access page; when the EPT in use has a
 * large page there, it is rebuilt.  INVEPT either way. */
static void map_window(struct vcpu *v, uint64_t gpa)
{
	if (!guest_mem_set_window(gpa, v->lapic.access_page))
		ept_rebuild_for_window(v);
	else if (!vmcs_set_eptp(v, vmx_caps_get()))
		log_error("vcpu%u: LAPIC window at %#llx: INVEPT failed", v->id,
			  (unsigned long long)gpa);
}

/* The start-up line: back end, timer path and why. */
static void log_setup(const struct vcpu *v)
{
	const struct lapic_vcpu *a = &v->lapic;

	log_info("vcpu%u: LAPIC: virtual, %s back end (%s); %s mode, ID %u, "
		 "window %#llx%s", v->id,
		 a->backend == LAPIC_BACKEND_APICV ? "APICv" : "software", a->why,
		 vlapic_mode(&a->model) == VLAPIC_X2APIC ? "x2APIC" : "xAPIC",
		 a->model.id, (unsigned long long)vlapic_window_base(&a->model),
		 a->access_page ? " (APIC-access page)" : " (EPT hole)");
	if (a->preempt)
		log_info("vcpu%u: LAPIC timer: TSC / %u, on the VMX-preemption "
			 "timer (rate shift %u)", v->id, VLAPIC_TSC_PER_TICK,
			 a->preempt_shift);
	else
		log_warn("vcpu%u: LAPIC timer: no VMX-preemption timer: expiries "
			 "are seen only at VM exits and come late", v->id);
}

bool lapic_vcpu_init(struct vcpu *v)
{
	struct lapic_vcpu *a = &v->lapic;

	phys_lapic_locate();
	copy_firmware_state(&a->model);
	phys_lapic_take();
	choose_backend(a, v);
	a->preempt = v->ctls.preemption_timer;
	a->preempt_shift = vmx_caps_get()->preemption_timer_rate;
	if (v->ctls.apic_access || v->ctls.apicv) {
		a->access_page = pmm_alloc_page();
		vmcs_write64(VMCS_APIC_ACCESS_ADDR, a->access_page);
		map_window(v, vlapic_window_base(&a->model));
	}
	if (a->backend == LAPIC_BACKEND_APICV && !apicv_init(v))
		return false;
	log_setup(v);
	return true;
}

/* ---- Effects --------------------------------------------------------------- */

static bool bit_test(const uint32_t *r, uint8_t v)
{
	return (r[v / VECTOR_BITS_PER_REG] >> (v % VECTOR_BITS_PER_REG)) & 1;
}

/* Something the injection decision depends on changed (inject_recheck()
 * requests the LAPIC stage too: the APICv push and wake check). */
static void changed(struct vcpu *v)
{
	inject_recheck(v);
	if (v->lapic.backend == LAPIC_BACKEND_APICV)
		apicv_sync(v);
}

/* The guest's EOI of a level vector whose physical EOI waited for it; the
 * model's TMR bit goes (APICv: the CPU did the ISR part). */
void lapic_level_eoi(struct vcpu *v, uint8_t vector)
{
	struct lapic_vcpu *a = &v->lapic;
	uint32_t bit = BIT(vector % VECTOR_BITS_PER_REG);

	a->model.tmr[vector / VECTOR_BITS_PER_REG] &= ~bit;
	if (bit_test(a->phys_level, vector)) {
		a->phys_level[vector / VECTOR_BITS_PER_REG] &= ~bit;
		phys_lapic_eoi();
	}
	changed(v);
}

void lapic_after_exit(struct vcpu *v)
{
	if (v->lapic.backend == LAPIC_BACKEND_APICV)
		apicv_pull(v);
}

/* The virtual ISR was dropped (global disable, INIT): the physical EOIs
 * its deferred level vectors owed. */
static void flush_level(struct lapic_vcpu *a)
{
	for (int i = 0; i < LAPIC_VECTOR_REGS; i++)
		while (a->phys_level[i]) {
			a->phys_level[i] &= a->phys_level[i] - 1;
			phys_lapic_eoi();
		}
}

/* Mode or base changed: the window follows an xAPIC base. */
static void mode_changed(struct vcpu *v)
{
	struct lapic_vcpu *a = &v->lapic;

	if (vlapic_mode(&a->model) == VLAPIC_DISABLED)
		flush_level(a);
	if (a->access_page && vlapic_mode(&a->model) == VLAPIC_XAPIC)
		map_window(v, vlapic_window_base(&a->model));
	if (a->backend == LAPIC_BACKEND_APICV)
		apicv_mode_changed(v);
}

/* An INIT the guest sent itself (ICR, self or its own ID): the vCPU
 * takes the INIT state at the next entry, after the handler finished the
 * instruction (it would move RIP past it otherwise), as an INIT signal
 * exit does; the virtual LAPIC keeps its ID and base.  The INIT clears its
 * ISR, so the guest will never EOI the level vectors in service: their
 * physical EOIs are owed now (else the physical LAPIC would keep them in
 * service and hold back every vector of their priority class or below).
 * Out of line: rare, and lapic_before_entry() runs before every entry. */
__attribute__((noinline))
static void self_init(struct vcpu *v)
{
	init_state_load(v);
	vlapic_init_signal(&v->lapic.model);
	flush_level(&v->lapic);
	log_info("vcpu%u: INIT: registers reset to the INIT state, starting at "
		 "the reset vector", v->id);
	changed(v);
}

void lapic_apply(struct vcpu *v, const struct vlapic_effect *fx)
{
	v->lapic.image_stale = true;        /* a register changed (APICv) */
	/* The push, a self-INIT, NMIs the model took (ICR). */
	v->requests |= VCPU_REQ_LAPIC;
	if ((fx->flags & VLAPIC_FX_IPI) && fx->ipi.to_self &&
	    fx->ipi.delivery == LAPIC_DM_INIT)
		v->lapic.init_pending = true;
	if (fx->flags & VLAPIC_FX_EOI_LEVEL)
		lapic_level_eoi(v, fx->eoi_vector);
	if (fx->flags & VLAPIC_FX_MODE)
		mode_changed(v);
	if (fx->flags & (VLAPIC_FX_PENDING | VLAPIC_FX_MODE | VLAPIC_FX_EOI_LEVEL))
		changed(v);
}

/* ---- Interrupts ---------------------------------------------------------- */

/*
 * The physical LAPIC tells how the vector came: in its ISR, it was a fixed
 * interrupt (IOAPIC, MSI), level-triggered when its TMR bit is set; not in
 * service, it came from the 8259 through LINT0 (ExtINT, no EOI) or was the
 * physical spurious vector.  An edge interrupt is EOIed at once; a level
 * one when the guest EOIs it, so the source cannot storm (it stays
 * asserted until the guest's handler quiets the device).  The vector is
 * the one the guest programmed into the IOAPIC, MSI or 8259.
 */
void lapic_external_interrupt(struct vcpu *v, uint8_t vector)
{
	struct lapic_vcpu *a = &v->lapic;
	bool in_service = phys_lapic_in_service(vector);

	if (!in_service && vector == PHYS_SPURIOUS_VECTOR) {
		a->stats.spurious++;
		return;
	}
	a->stats.forwarded[vector]++;
	if (!in_service) {
		a->stats.extint++;
		vlapic_accept_extint(&a->model, vector);
	} else if (phys_lapic_level(vector)) {
		vlapic_accept(&a->model, vector, true);
		if (bit_test(a->model.irr, vector)) {
			a->phys_level[vector / VECTOR_BITS_PER_REG] |=
				BIT(vector % VECTOR_BITS_PER_REG);
			a->stats.level_deferred++;
		} else {
			phys_lapic_eoi();       /* refused (vector 0-15) */
		}
	} else {
		phys_lapic_eoi();
		vlapic_accept(&a->model, vector, false);
	}
	changed(v);
}

void lapic_isa_interrupt(struct vcpu *v, uint8_t vector, bool via_8259)
{
	if (via_8259)
		vlapic_accept_extint(&v->lapic.model, vector);
	else
		vlapic_accept(&v->lapic.model, vector, false);
	changed(v);
}

/* With APICv the CPU delivers IRR vectors itself (RVI); only an 8259
 * interrupt is injected. */
int lapic_intr_pending(struct vcpu *v)
{
	struct vlapic *l = &v->lapic.model;

	if (v->lapic.backend == LAPIC_BACKEND_APICV)
		return l->extint_pending ? l->extint_vector : VLAPIC_NO_VECTOR;
	return vlapic_pending(l);
}

void lapic_intr_ack(struct vcpu *v, uint8_t vector)
{
	vlapic_ack(&v->lapic.model, vector);
	changed(v);
}

uint8_t lapic_cr8_read(struct vcpu *v)
{
	return (uint8_t)(v->lapic.model.tpr >> 4);
}

void lapic_cr8_write(struct vcpu *v, uint8_t cr8)
{
	v->lapic.model.tpr = (uint32_t)(cr8 & LAPIC_PRIO_SUBCLASS_MASK) << 4;
	changed(v);
}

/* ---- Timer ---------------------------------------------------------------- */

/* The guest's TSC now (the host's plus the TSC offset): the model's clock,
 * in which its timer counts and IA32_TSC_DEADLINE is written. */
static uint64_t guest_now(const struct vcpu *v)
{
	return rdtsc() + vcpu_tsc_offset(v);
}

/* Ask the shared VMX-preemption timer (hv/vcpu/timer.h) for an exit at or
 * just after the model's deadline (guest TSC), translated to the host's
 * TSC by difference (no wrap).  The timer counts TSC >> shift and
 * vcpu_timer_program() rounds down: one tick more makes the exit come no
 * earlier than the deadline. */
static void arm_timer(struct vcpu *v, uint64_t guest_tsc, uint64_t host_tsc)
{
	uint64_t deadline = vlapic_timer_deadline(&v->lapic.model);

	if (deadline == VLAPIC_NO_DEADLINE)
		return;
	if (deadline <= guest_tsc)
		vcpu_timer_at(v, host_tsc);
	else
		vcpu_timer_at(v, host_tsc + (deadline - guest_tsc) +
				 (1ull << v->lapic.preempt_shift));
}

/* The model's timer before an entry: fire it when its deadline passed,
 * and ask the shared timer for the next one.  Out of line: entries while
 * the guest's timer is stopped or masked-off skip it, TSC read included. */
__attribute__((noinline))
static void timer_before_entry(struct vcpu *v)
{
	struct lapic_vcpu *a = &v->lapic;
	uint64_t host = rdtsc();
	uint64_t now = host + vcpu_tsc_offset(v);

	if (vlapic_timer_expire(&a->model, now))
		changed(v);
	if (a->preempt)
		arm_timer(v, now, host);
}

/* The NMIs the model took (NMI IPIs, LINT1) become guest NMIs.  Out of
 * line: rare. */
__attribute__((noinline))
static void inject_model_nmis(struct vcpu *v)
{
	uint32_t nmis = vlapic_take_nmis(&v->lapic.model);

	while (nmis--)
		inject_nmi(v);
}

/* When VCPU_REQ_LAPIC is set or the model's timer runs
 * (lapic_before_entry_wanted()): each step is behind a test of the model's
 * own field (read here rather than through its accessors, which are calls
 * into another file).  Clears the request first: a step that leaves work
 * (none today) would set it again. */
void lapic_before_entry(struct vcpu *v)
{
	struct lapic_vcpu *a = &v->lapic;

	v->requests &= ~VCPU_REQ_LAPIC;
	if (a->init_pending) {
		a->init_pending = false;
		self_init(v);
	}
	/* Both the expiry and arm_timer() do nothing without a deadline. */
	if (a->model.timer.deadline != VLAPIC_NO_DEADLINE)
		timer_before_entry(v);
	if (a->model.nmis)
		inject_model_nmis(v);
	if (a->backend == LAPIC_BACKEND_APICV)
		apicv_before_entry(v);
}

/* ---- MSRs and MMIO -------------------------------------------------------- */

bool lapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	struct vlapic *l = &v->lapic.model;

	if (msr == IA32_APIC_BASE) {
		*value = l->apic_base;
		return true;
	}
	if (msr == IA32_TSC_DEADLINE) {
		*value = vlapic_tsc_deadline_read(l);
		return true;
	}
	v->lapic.stats.msr_reads++;
	return vlapic_msr_read(l, msr, value, guest_now(v));
}

bool lapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct vlapic *l = &v->lapic.model;
	struct vlapic_effect fx = { 0 };
	bool ok = true;

	if (msr == IA32_APIC_BASE) {
		ok = vlapic_set_apic_base(l, value,
					  (1ull << cpu_maxphyaddr()) - 1, &fx);
	} else if (msr == IA32_TSC_DEADLINE) {
		vlapic_tsc_deadline_write(l, value, &fx);
	} else {
		v->lapic.stats.msr_writes++;
		ok = vlapic_msr_write(l, msr, value, guest_now(v), &fx);
	}
	lapic_apply(v, &fx);
	return ok;
}

/* Outside xAPIC mode the window answers nothing: reads 0, writes lost. */
uint32_t lapic_mmio_read(struct vcpu *v, uint32_t offset)
{
	struct vlapic *l = &v->lapic.model;

	v->lapic.stats.mmio_reads++;
	if (vlapic_mode(l) != VLAPIC_XAPIC)
		return 0;
	return vlapic_read(l, offset, guest_now(v));
}

void lapic_mmio_write(struct vcpu *v, uint32_t offset, uint32_t value)
{
	struct vlapic *l = &v->lapic.model;
	struct vlapic_effect fx = { 0 };

	v->lapic.stats.mmio_writes++;
	if (vlapic_mode(l) != VLAPIC_XAPIC)
		return;
	vlapic_write(l, offset, value, guest_now(v), &fx);
	lapic_apply(v, &fx);
}

/* ---- Statistics ------------------------------------------------------------ */

/* The n most frequent forwarded vectors, as "0x30 x12, ..." in line. */
static void top_vectors(const struct lapic_stats *s, char *line, size_t size)
{
	uint64_t shown[LAPIC_VECTOR_REGS] = { 0 };
	size_t n = 0;

	line[0] = '\0';
	for (int k = 0; k < LOG_TOP_VECTORS; k++) {
		int best = -1;

		for (int i = 0; i < LAPIC_VECTORS; i++)
			if (s->forwarded[i] && !((shown[i / 64] >> (i % 64)) & 1) &&
			    (best < 0 || s->forwarded[i] > s->forwarded[best]))
				best = i;
		if (best < 0)
			break;
		shown[best / 64] |= 1ull << (best % 64);
		n += format(line + n, size - n, "%s%#x x%llu", k ? ", " : "", best,
			    (unsigned long long)s->forwarded[best]);
	}
}

void lapic_log_stats(const struct vcpu *v)
{
	const struct lapic_vcpu *a = &v->lapic;
	const struct vlapic_counts *c = &a->model.counts;
	uint64_t total = 0;
	char line[256];

	for (int i = 0; i < LAPIC_VECTORS; i++)
		total += a->stats.forwarded[i];
	top_vectors(&a->stats, line, sizeof(line));
	log_info("vcpu%u: LAPIC: %llu interrupts forwarded (%llu through the "
		 "8259, %llu level-triggered with deferred EOI, %llu spurious "
		 "dropped): %s", v->id, (unsigned long long)total,
		 (unsigned long long)a->stats.extint,
		 (unsigned long long)a->stats.level_deferred,
		 (unsigned long long)a->stats.spurious, line);
	log_info("vcpu%u: LAPIC: timer expiries %llu, self IPIs %llu, IPIs to "
		 "other CPUs dropped %llu (INIT/SIPI %llu), illegal vectors %llu, "
		 "xAPIC accesses %llu/%llu, x2APIC MSR accesses %llu/%llu "
		 "(read/write)", v->id,
		 (unsigned long long)c->timer_fires, (unsigned long long)c->ipis_self,
		 (unsigned long long)c->ipis_elsewhere, (unsigned long long)c->init_sipi,
		 (unsigned long long)c->illegal_vectors,
		 (unsigned long long)a->stats.mmio_reads,
		 (unsigned long long)a->stats.mmio_writes,
		 (unsigned long long)a->stats.msr_reads,
		 (unsigned long long)a->stats.msr_writes);
}

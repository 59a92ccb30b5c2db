/*
 * The monitor's lapic command: the guest's virtual local APIC as the model
 * (hv/lapic/vlapic.h) holds it, which the run loop keeps current with what
 * an APICv CPU did in the virtual-APIC page (lapic_after_exit() ran before
 * the monitor could).  Read-only: nothing here changes the model, so the
 * timer's current count is computed, not counted down, at the guest's TSC
 * of the exit that paused it.  Register names as in the Intel SDM Vol. 3,
 * "Advanced Programmable Interrupt Controller (APIC)".
 */
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "hv/lapic/lapic.h"
#include "hv/lapic/regs.h"
#include "hv/lapic/vlapic.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/monitor.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "lib/format.h"

#define VECTORS_PER_LINE   16u
#define BITS_PER_REG       32u
#define US_PER_SECOND      1000000ull
#define ULL(x)             ((unsigned long long)(x))

static const char *const lvt_names[LAPIC_LVT_COUNT] = {
	"timer", "thermal", "perf", "LINT0", "LINT1", "error",
};

/* Delivery modes by their LVT/ICR encoding (bits 10:8). */
static const char *const delivery_names[] = {
	[LAPIC_DM_FIXED] = "Fixed", [LAPIC_DM_LOWEST] = "LowPri",
	[LAPIC_DM_SMI] = "SMI", [3] = "3?", [LAPIC_DM_NMI] = "NMI",
	[LAPIC_DM_INIT] = "INIT", [LAPIC_DM_STARTUP] = "StartUp",
	[LAPIC_DM_EXTINT] = "ExtINT",
};

static const char *const timer_mode_names[] = {
	[LAPIC_TIMER_ONESHOT] = "one-shot", [LAPIC_TIMER_PERIODIC] = "periodic",
	[LAPIC_TIMER_TSC_DEADLINE] = "TSC-deadline", [3] = "reserved",
};

static const char *const mode_names[] = {
	[VLAPIC_DISABLED] = "disabled", [VLAPIC_XAPIC] = "xAPIC",
	[VLAPIC_X2APIC] = "x2APIC",
};

/* The timer mode field of the LVT timer entry. */
static uint32_t timer_mode(const struct vlapic *l)
{
	return (l->lvt[VLAPIC_LVT_TIMER] & LAPIC_LVT_TIMER_MODE_MASK) >>
	       LAPIC_LVT_TIMER_MODE_SHIFT;
}

/* The guest's TSC at the exit that brought the monitor in: the model's
 * times are guest TSC values, and the pause is not the guest's time. */
static uint64_t guest_tsc_at_pause(const struct vcpu *v)
{
	return v->exit_tsc + vcpu_tsc_offset(v);
}

/* Back end, mode and IA32_APIC_BASE with its flags. */
static void print_mode(const struct lapic_vcpu *a)
{
	const struct vlapic *l = &a->model;
	uint64_t base = l->apic_base;

	mon_printf("back end %s (%s); timer %s\n",
		   a->backend == LAPIC_BACKEND_APICV ? "APICv" : "software",
		   a->why ? a->why : "?",
		   a->preempt ? "on the VMX-preemption timer" :
				"seen at VM exits only");
	mon_printf("mode %s, IA32_APIC_BASE 0x%llx (%s%s%s), window 0x%llx\n",
		   mode_names[vlapic_mode(l)], ULL(base),
		   base & APIC_BASE_ENABLE ? "EN" : "-",
		   base & APIC_BASE_X2APIC_ENABLE ? " EXTD" : "",
		   base & APIC_BASE_BSP ? " BSP" : "",
		   ULL(vlapic_window_base(l)));
}

/* ID, the priorities, SVR, LDR/DFR, ICR and ESR. */
static void print_registers(const struct vlapic *l)
{
	bool x2 = vlapic_mode(l) == VLAPIC_X2APIC;

	mon_printf("ID 0x%x TPR 0x%02x PPR 0x%02x APR 0x%02x\n", l->id, l->tpr,
		   vlapic_ppr(l), vlapic_apr(l));
	mon_printf("SVR 0x%03x (APIC %s, spurious vector 0x%02x%s)\n", l->svr,
		   l->svr & LAPIC_SVR_ENABLE ? "software-enabled" :
					       "software-disabled",
		   l->svr & LAPIC_SVR_VECTOR_MASK,
		   l->svr & LAPIC_SVR_FOCUS_DISABLE ? ", focus disabled" : "");
	if (x2)
		mon_printf("LDR 0x%x ICR 0x%x:%08x\n", l->ldr, l->icr_hi, l->icr_lo);
	else
		mon_printf("LDR 0x%x DFR 0x%x ICR 0x%x:%08x\n", l->ldr, l->dfr,
			   l->icr_hi, l->icr_lo);
	mon_printf("ESR 0x%x (errors since its last write 0x%x)\n", l->esr,
		   l->esr_pending);
}

/* One of ISR/IRR/TMR as the list of its set vectors ("none" when empty),
 * VECTORS_PER_LINE a line. */
static void print_vectors(const char *name, const uint32_t reg[LAPIC_VECTOR_REGS])
{
	char line[VECTORS_PER_LINE * 5 + 1];
	size_t n = 0;
	uint32_t shown = 0;

	for (uint32_t vec = 0; vec < LAPIC_VECTORS; vec++) {
		if (!((reg[vec / BITS_PER_REG] >> (vec % BITS_PER_REG)) & 1))
			continue;
		n += (size_t)format(line + n, sizeof(line) - n, " 0x%02x", vec);
		if (++shown % VECTORS_PER_LINE == 0) {
			mon_printf("%s%s\n", name, line);
			n = 0;
		}
	}
	if (n || !shown)
		mon_printf("%s%s\n", name, n ? line : " none");
}

/* One LVT entry: its value, vector, delivery mode and flags. */
static void print_lvt(const struct vlapic *l, int i)
{
	uint32_t e = l->lvt[i];
	uint32_t dm = (e & LAPIC_LVT_DELIVERY_MASK) >> LAPIC_LVT_DELIVERY_SHIFT;

	/* The timer entry has no delivery mode (always fixed): its mode
	 * field stands there instead. */
	mon_printf("LVT %-7s 0x%08x vector 0x%02x %s%s%s%s%s%s\n",
		   lvt_names[i], e, e & LAPIC_LVT_VECTOR_MASK,
		   i == VLAPIC_LVT_TIMER ? timer_mode_names[timer_mode(l)] :
					   delivery_names[dm],
		   e & LAPIC_LVT_MASKED ? " masked" : "",
		   e & LAPIC_LVT_LEVEL ? " level" : "",
		   e & LAPIC_LVT_POLARITY ? " active-low" : "",
		   e & LAPIC_LVT_REMOTE_IRR ? " remote-IRR" : "",
		   e & LAPIC_LVT_PENDING ? " send-pending" : "");
}

/* The timer: mode, initial and current count, divide value, when it
 * expires next (guest TSC, and how far from the pause) and
 * IA32_TSC_DEADLINE. */
static void print_timer(const struct vcpu *v)
{
	const struct vlapic *l = &v->lapic.model;
	uint64_t now = guest_tsc_at_pause(v), hz = tsc_hz();
	uint64_t deadline = vlapic_timer_deadline(l);

	mon_printf("timer %s: initial 0x%x current 0x%x divide %u\n",
		   timer_mode_names[timer_mode(l)], l->timer.initial,
		   vlapic_timer_current(l, now), vlapic_timer_divide(l->timer.dcr));
	if (deadline == VLAPIC_NO_DEADLINE)
		mon_printf("timer deadline none (not armed), IA32_TSC_DEADLINE 0x%llx\n",
			   ULL(vlapic_tsc_deadline_read(l)));
	else if (deadline <= now)
		mon_printf("timer deadline 0x%llx (passed), IA32_TSC_DEADLINE 0x%llx\n",
			   ULL(deadline), ULL(vlapic_tsc_deadline_read(l)));
	else
		mon_printf("timer deadline 0x%llx (in %llu TSC ticks, %llu us), "
			   "IA32_TSC_DEADLINE 0x%llx\n", ULL(deadline),
			   ULL(deadline - now),
			   ULL(hz ? (deadline - now) * US_PER_SECOND / hz : 0),
			   ULL(vlapic_tsc_deadline_read(l)));
}

/* What the CPU would take next, and what waits beside IRR. */
static void print_pending(const struct vlapic *l)
{
	int next = vlapic_pending(l);

	if (next == VLAPIC_NO_VECTOR)
		mon_printf("deliverable now: none");
	else
		mon_printf("deliverable now: 0x%02x", (unsigned)next);
	mon_printf(", ExtINT %s, NMIs %u\n",
		   l->extint_pending ? "pending" : "none", l->nmis);
}

/* lapic: the guest's virtual LAPIC. */
enum mon_result cmd_lapic(struct mon_ctx *ctx, const struct mon_words *w)
{
	const struct vlapic *l = &ctx->v->lapic.model;

	(void)w;
	print_mode(&ctx->v->lapic);
	print_registers(l);
	print_vectors("ISR", l->isr);
	print_vectors("IRR", l->irr);
	print_vectors("TMR", l->tmr);
	for (int i = 0; i < LAPIC_LVT_COUNT; i++)
		print_lvt(l, i);
	print_timer(ctx->v);
	print_pending(l);
	return MON_STAY;
}

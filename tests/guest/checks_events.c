/*
 * Event delivery as the CPU does it (issue 10), bare and under the
 * hypervisor with the same result:
 *
 * event_rf_frame: the RFLAGS image pushed for a fault has RF = 1 (SDM
 *   Vol. 3, "Instruction-Breakpoint Exception Condition": every
 *   fault-class exception but an instruction breakpoint pushes RF = 1),
 *   for a #GP the hypervisor injects (RDMSR of an MSR it refuses: bare the
 *   CPU raises the same #GP itself), for a native #GP (a non-canonical
 *   address) and a native #UD; a trap (#BP from INT3) pushes RF = 0.
 * event_self_ipi_pair: fixed IPIs with vectors 32 and 33 sent to self
 *   back to back while IF = 0 both reach their handler once, in the local
 *   APIC's priority order (the higher vector first: SDM Vol. 3,
 *   "Interrupt, Task, and Processor Priority"), and nothing else arrives
 *   (no spurious vector).
 * event_irq_behind_fault: a self-IPI made pending with IF = 0, then
 *   `sti; rdmsr <refused MSR>`: the RDMSR in the STI shadow faults before
 *   the interrupt can be taken, so the #GP (injected by the hypervisor) is
 *   delivered first and the interrupt once, after the #GP handler's IRET.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "tests/guest/check.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"

#define REFUSED_MSR             0x12345678u    /* as msr_nonexistent_gp */
#define NON_CANONICAL           0x8000000000000000ull

#define XAPIC_SVR               0xf0
#define XAPIC_EOI               0xb0
#define XAPIC_TPR               0x80
#define XAPIC_ICR_LOW           0x300
#define XAPIC_ICR_HIGH          0x310
#define XAPIC_ID                0x20
#define XAPIC_ID_SHIFT          24
#define XAPIC_DEST_SHIFT        24
#define SVR_APIC_ENABLE         (1u << 8)
#define SVR_VECTOR_MASK         0xffu
#define ICR_FIXED               (0u << 8)
#define ICR_DELIVERY_PENDING    (1u << 12)
#define ICR_LEVEL_ASSERT        (1u << 14)
#define ICR_IDLE_POLLS          1000000u
#define APIC_BASE_ADDR_MASK     0xfffff000u

#define IPI_LOW_VECTOR          32
#define IPI_HIGH_VECTOR         33
#define SEEN_MAX                8
#define ARRIVAL_SPINS           200000u

/* ---- RF in fault frames -------------------------------------------------- */

/* The four ways to a fault or trap, each under try_call(). */
static void rdmsr_refused(void *arg)
{
	(void)arg;
	rdmsr(REFUSED_MSR);
}

static void load_non_canonical(void *arg)
{
	(void)arg;
	(void)*(volatile uint64_t *)(uintptr_t)NON_CANONICAL;
}

static void raise_ud(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

static void raise_bp(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
}

struct rf_case {
	const char *what;
	void (*fn)(void *);
	int vector;
	bool rf;                        /* RF expected in the pushed RFLAGS */
};

static const struct rf_case rf_cases[] = {
	{ "#GP from rdmsr 0x12345678", rdmsr_refused, VEC_GP, true },
	{ "#GP from a non-canonical load", load_non_canonical, VEC_GP, true },
	{ "#UD from ud2", raise_ud, VEC_UD, true },
	{ "#BP from int3 (a trap)", raise_bp, VEC_BP, false },
};

/* Each case raises its exception; the frame's RF must be as expected. */
enum verdict check_event_rf_frame(struct check_result *r)
{
	for (size_t i = 0; i < sizeof(rf_cases) / sizeof(rf_cases[0]); i++) {
		const struct rf_case *c = &rf_cases[i];
		struct fault_record f;
		int v = try_call(c->fn, NULL, &f);

		if (v == NO_FAULT && c->fn == rdmsr_refused && !guest_env.under_hv)
			continue;       /* an emulator that ignores unknown MSRs */
		if (v != c->vector)
			return fail(r, "%s: got %s", c->what, vector_name(v));
		if (((f.rflags & RFLAGS_RF) != 0) != c->rf)
			return fail(r, "%s: pushed RFLAGS 0x%lx has RF=%u, want %u",
				    c->what, f.rflags, (f.rflags & RFLAGS_RF) != 0,
				    c->rf);
	}
	return VERDICT_PASS;
}

/* ---- Self-IPIs ------------------------------------------------------------ */

static volatile uint32_t *xapic;
static volatile unsigned int seen[SEEN_MAX];
static volatile uint64_t seen_rip[SEEN_MAX];
static volatile unsigned int seen_count;

/* Every interrupt vector lands here: record it and where it interrupted;
 * EOI only the two vectors sent (a spurious interrupt sets no ISR bit and
 * takes no EOI). */
static void record_vector(unsigned int vector, uint64_t rip)
{
	if (seen_count < SEEN_MAX) {
		seen[seen_count] = vector;
		seen_rip[seen_count] = rip;
	}
	seen_count++;
	if (vector == IPI_LOW_VECTOR || vector == IPI_HIGH_VECTOR)
		xapic[XAPIC_EOI / 4] = 0;
}

/* The xAPIC's registers, software-enabled with its spurious vector as it
 * was; false (with a SKIP reason) without an xAPIC. */
static bool xapic_open(struct check_result *r, uint32_t *svr_saved)
{
	uint64_t base;

	if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC)) {
		skip(r, "no local APIC");
		return false;
	}
	base = rdmsr(IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC_ENABLE)) {
		skip(r, "local APIC not in xAPIC mode (IA32_APIC_BASE 0x%lx)", base);
		return false;
	}
	xapic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
	*svr_saved = xapic[XAPIC_SVR / 4];
	xapic[XAPIC_SVR / 4] = *svr_saved | SVR_APIC_ENABLE;
	xapic[XAPIC_TPR / 4] = 0;
	return true;
}

/* A fixed IPI with `vector` to our own APIC ID; waits (bounded) until the
 * ICR is idle again. */
static void send_self_fixed(uint8_t vector)
{
	uint32_t id = xapic[XAPIC_ID / 4] >> XAPIC_ID_SHIFT;

	xapic[XAPIC_ICR_HIGH / 4] = id << XAPIC_DEST_SHIFT;
	xapic[XAPIC_ICR_LOW / 4] = ICR_FIXED | ICR_LEVEL_ASSERT | vector;
	for (uint32_t i = 0; i < ICR_IDLE_POLLS; i++)
		if (!(xapic[XAPIC_ICR_LOW / 4] & ICR_DELIVERY_PENDING))
			return;
}

/* Wait with IF = 1 until `want` vectors were seen (or a little longer). */
static void wait_for_vectors(unsigned int want)
{
	irq_enable();
	for (uint32_t i = 0; i < ARRIVAL_SPINS && seen_count < want; i++)
		cpu_relax();
	for (uint32_t i = 0; i < ARRIVAL_SPINS / 4; i++)
		cpu_relax();        /* a stray vector after the two */
	irq_disable();
}

/* The vectors seen, as "33 32" for a reason. */
static const char *seen_text(void)
{
	static char text[SEEN_MAX * 4 + 1];
	size_t at = 0;

	for (unsigned int i = 0; i < seen_count && i < SEEN_MAX; i++)
		at += (size_t)format(text + at, sizeof(text) - at, "%s%u",
				     i ? " " : "", seen[i]);
	text[at] = '\0';
	return seen_count ? text : "none";
}

/* Start recording: nothing seen, every interrupt vector to record_vector. */
static void seen_reset(void)
{
	seen_count = 0;
	idt_set_interrupt_hook(record_vector);
}

/* Stop recording and put the SVR back as xapic_open() found it. */
static void xapic_close(uint32_t svr_saved)
{
	idt_set_interrupt_hook(NULL);
	xapic[XAPIC_SVR / 4] = svr_saved;
}

/* Whether exactly the two vectors were seen, once each (any order). */
static bool seen_pair(void)
{
	return seen_count == 2 &&
	       ((seen[0] == IPI_LOW_VECTOR && seen[1] == IPI_HIGH_VECTOR) ||
		(seen[0] == IPI_HIGH_VECTOR && seen[1] == IPI_LOW_VECTOR));
}

/* Send 32 then 33 to self, IF as given while sending; then wait with
 * IF = 1 for both. */
static void send_pair(bool if_while_sending)
{
	seen_reset();
	if (if_while_sending)
		irq_enable();
	send_self_fixed(IPI_LOW_VECTOR);
	send_self_fixed(IPI_HIGH_VECTOR);
	wait_for_vectors(2);
}

/* First with IF = 1 (each taken as it comes: both once, in whatever order
 * the APIC's delivery latency gives), then with IF = 0: both pending, STI
 * lets the APIC deliver them by priority, 33 and then 32 after 33's EOI.
 * (Under the hypervisor the first round also leaves Bochs's interrupt
 * masking as it was when the guest reported vector 255.) */
enum verdict check_event_self_ipi_pair(struct check_result *r)
{
	uint32_t svr;

	irq_disable();
	if (!xapic_open(r, &svr))
		return VERDICT_SKIP;
	send_pair(true);
	if (!seen_pair()) {
		xapic_close(svr);
		return fail(r, "sent with IF=1: vectors seen %s (want %u and %u "
			    "once; spurious vector 0x%x)", seen_text(),
			    IPI_LOW_VECTOR, IPI_HIGH_VECTOR, svr & SVR_VECTOR_MASK);
	}
	send_pair(false);
	xapic_close(svr);
	if (!seen_pair() || seen[0] != IPI_HIGH_VECTOR)
		return fail(r, "sent with IF=0: vectors seen %s (want %u %u; "
			    "spurious vector 0x%x)", seen_text(), IPI_HIGH_VECTOR,
			    IPI_LOW_VECTOR, svr & SVR_VECTOR_MASK);
	return VERDICT_PASS;
}

/* `sti; rdmsr` with vector 32 pending: the #GP first (its frame with RF),
 * then 32 once.  An interrupt taken in the STI shadow would return to
 * event_shadow_rdmsr, the RDMSR itself. */
extern const char event_shadow_rdmsr[];

/* try_call() body: STI, then the RDMSR in its shadow. */
static void sti_rdmsr_refused(void *arg)
{
	(void)arg;
	__asm__ volatile("sti\n"
			 ".globl event_shadow_rdmsr\n"
			 "event_shadow_rdmsr: rdmsr"
			 : : "c"(REFUSED_MSR) : "rax", "rdx", "memory");
}

/* Vector 32 pending with IF = 0, then `sti; rdmsr`: the #GP first. */
enum verdict check_event_irq_behind_fault(struct check_result *r)
{
	struct fault_record f;
	uint32_t svr;
	int v;

	irq_disable();
	if (!xapic_open(r, &svr))
		return VERDICT_SKIP;
	seen_reset();
	send_self_fixed(IPI_LOW_VECTOR);
	v = try_call(sti_rdmsr_refused, NULL, &f);
	wait_for_vectors(1);
	xapic_close(svr);
	if (v == NO_FAULT && !guest_env.under_hv)
		return skip(r, "bare: rdmsr 0x%x did not fault (this emulator "
			    "ignores unknown MSRs)", REFUSED_MSR);
	if (v != VEC_GP)
		return fail(r, "sti; rdmsr 0x%x: got %s, want #GP", REFUSED_MSR,
			    vector_name(v));
	if (seen_count && seen_rip[0] == (uintptr_t)event_shadow_rdmsr)
		return fail(r, "vector %u arrived in the STI shadow, before the "
			    "RDMSR's #GP", seen[0]);
	if (seen_count != 1 || seen[0] != IPI_LOW_VECTOR)
		return fail(r, "after the #GP: vectors %s, want %u once",
			    seen_text(), IPI_LOW_VECTOR);
	if (!(f.rflags & RFLAGS_RF))
		return fail(r, "#GP frame RFLAGS 0x%lx without RF", f.rflags);
	return VERDICT_PASS;
}

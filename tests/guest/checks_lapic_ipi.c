/*
 * Local APIC interrupt checks (issue 9), in xAPIC and x2APIC mode unless
 * said otherwise:
 *   lapic_self_ipi_*         a fixed IPI to self through the ICR (shorthand
 *                            self, and the own APIC ID) waits in IRR while
 *                            IF=0 and is delivered once with IF=1, in ISR
 *                            and out of IRR in its handler
 *   lapic_self_ipi_msr_x2apic  the same through the x2APIC SELF IPI register
 *   lapic_eoi_isr_*          in a handler the vector's ISR bit is set and
 *                            an EOI clears it; an EOI with nothing in
 *                            service changes nothing
 *   lapic_nested_*           a higher vector preempts a lower one in
 *                            service (both in ISR inside it) and the lower
 *                            one completes after; a lower vector raised in
 *                            a higher one's handler waits for its EOI
 *   lapic_esr_illegal_*      a self-IPI with vector 0-15 delivers nothing;
 *                            ESR shows the error only after the write that
 *                            latches it (write-then-read) and is clear after
 *                            the next write
 *   lapic_nmi_icr_*          an NMI to the own APIC ID through the ICR
 *                            reaches the NMI handler once
 *   lapic_delivery_exits_xapic  under the hypervisor only (it counts VM
 *                            exits): self-IPIs and TSC-deadline expiries
 *                            with IF=1 are delivered without an
 *                            interrupt-window exit (at the entry after the
 *                            exit that made them pending: the ICR write's,
 *                            the timer's); a self-IPI sent with IF=0 takes
 *                            at most one, at the STI
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/exit/reason.h"
#include "tests/guest/check.h"
#include "tests/guest/exit_count.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/lapic_checks.h"

#define WAIT_TSC        2000000u
#define NESTED_SPIN_TSC 200000u
#define TRACE_MAX       8
#define EOI_MARK        0xe0ff
#define DELIVERY_EVENTS 16      /* per kind, for the exit counts */
#define DEADLINE_LEAD   2000u   /* TSC ticks from arming to the deadline */

/* Let pending interrupts in (IF=1) until the log moves past before. */
static bool deliver(uint32_t before)
{
	irq_enable();
	bool ok = lapic_wait_change(&lapic_log.total, before, WAIT_TSC);
	irq_disable();
	return ok;
}

/* vector delivered once more, in ISR and out of IRR in its handler. */
static enum verdict delivered_once(struct check_result *r, uint8_t vec,
				   uint32_t before, const char *how)
{
	if (!deliver(before))
		return fail(r, "%s: vector 0x%x not delivered", how, vec);
	if (lapic_log.count[vec] != before + 1 || lapic_log.total != before + 1)
		return fail(r, "%s: %u interrupts, want %u", how,
			    lapic_log.total, before + 1);
	if (!lapic_log.last_in_isr || lapic_log.last_in_irr)
		return fail(r, "%s: in the handler ISR bit %u, IRR bit %u", how,
			    lapic_log.last_in_isr, lapic_log.last_in_irr);
	return VERDICT_PASS;
}

/* ---- lapic_self_ipi ------------------------------------------------------ */

static enum verdict self_ipi(struct check_result *r)
{
	uint8_t vec = LAPIC_TEST_VECTOR_IPI;
	enum verdict v;

	lapic_log_route(vec);
	lapic_send_ipi(0, ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT |
			  ICR_SHORTHAND_SELF | vec);
	if (!lapic_vector_bit(LAPIC_IRR0, vec))
		return fail(r, "shorthand self with IF=0: IRR bit 0x%x clear",
			    vec);
	if ((v = delivered_once(r, vec, 0, "shorthand self")) != VERDICT_PASS)
		return v;
	lapic_self_ipi(vec);
	return delivered_once(r, vec, 1, "own APIC ID");
}
LAPIC_CHECK_BOTH_MODES(self_ipi)

/* lapic_self_ipi_msr_x2apic: the SELF IPI register. */
static enum verdict self_ipi_msr(struct check_result *r)
{
	uint8_t vec = LAPIC_TEST_VECTOR_IPI;

	lapic_log_route(vec);
	lapic_write(LAPIC_SELF_IPI, vec);
	return delivered_once(r, vec, 0, "SELF IPI register");
}
LAPIC_CHECK_IN_MODE(self_ipi_msr, x2apic, LAPIC_MODE_X2APIC)

/* ---- lapic_eoi_isr -------------------------------------------------------- */

static volatile bool isr_before_eoi, isr_after_eoi;
static volatile uint32_t eoi_seen;

/* Records the vector's ISR bit before and after its EOI. */
static void eoi_handler(unsigned int vector)
{
	isr_before_eoi = lapic_vector_bit(LAPIC_ISR0, (uint8_t)vector);
	lapic_eoi();
	isr_after_eoi = lapic_vector_bit(LAPIC_ISR0, (uint8_t)vector);
	eoi_seen++;
}

/* lapic_eoi_isr_*: an idle EOI, then ISR around a handler's EOI. */
static enum verdict eoi_isr(struct check_result *r)
{
	uint8_t vec = LAPIC_TEST_VECTOR_IPI;
	uint32_t ppr = lapic_read(LAPIC_PPR);

	lapic_eoi();                               /* nothing in service */
	if (lapic_read(LAPIC_PPR) != ppr || lapic_read(LAPIC_ISR0 +
	    (vec / LAPIC_VECTORS_PER_REG) * LAPIC_VECTOR_REG_STRIDE))
		return fail(r, "an EOI with nothing in service changed PPR or "
			    "ISR");
	eoi_seen = 0;
	idt_set_vector_handler(vec, eoi_handler);
	lapic_self_ipi(vec);
	irq_enable();
	bool ok = lapic_wait_change(&eoi_seen, 0, WAIT_TSC);
	irq_disable();
	if (!ok)
		return fail(r, "vector 0x%x not delivered", vec);
	if (!isr_before_eoi || isr_after_eoi)
		return fail(r, "ISR bit 0x%x: %u before the EOI, %u after", vec,
			    isr_before_eoi, isr_after_eoi);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(eoi_isr)

/* ---- lapic_nested --------------------------------------------------------- */

/* The order of events: a vector on handler entry, EOI_MARK | vector's
 * class on its EOI. */
static volatile uint32_t trace[TRACE_MAX];
static volatile uint32_t traced;
static volatile bool both_in_isr;
static volatile uint8_t raise_in_handler;

/* Append an event to trace (counted even past TRACE_MAX). */
static void trace_add(uint32_t what)
{
	if (traced < TRACE_MAX)
		trace[traced] = what;
	traced++;
}

/* Raise raise_in_handler (if any) with IF=1, wait a while, then EOI. */
static void nesting_handler(unsigned int vector)
{
	uint8_t other = raise_in_handler;

	trace_add(vector);
	if (vector == LAPIC_TEST_VECTOR_HIGH)
		both_in_isr = lapic_vector_bit(LAPIC_ISR0, LAPIC_TEST_VECTOR_LOW) &&
			      lapic_vector_bit(LAPIC_ISR0, LAPIC_TEST_VECTOR_HIGH);
	if (other && vector != other) {
		raise_in_handler = 0;
		lapic_self_ipi(other);
		irq_enable();
		uint64_t start = rdtsc();
		while (rdtsc() - start < NESTED_SPIN_TSC)
			cpu_relax();
		irq_disable();
	}
	trace_add(EOI_MARK | vector);
	lapic_eoi();
}

/* Raise first, which raises second in its handler; the trace must be
 * want[0..3]. */
static enum verdict nest(struct check_result *r, uint8_t first, uint8_t second,
			 const uint32_t want[4])
{
	traced = 0;
	raise_in_handler = second;
	lapic_self_ipi(first);
	irq_enable();
	uint64_t start = rdtsc();
	while (traced < 4 && rdtsc() - start < WAIT_TSC)
		cpu_relax();
	irq_disable();
	for (int i = 0; i < 4; i++)
		if (traced != 4 || trace[i] != want[i])
			return fail(r, "0x%x raising 0x%x: %u events [0x%x 0x%x "
				    "0x%x 0x%x], want [0x%x 0x%x 0x%x 0x%x]",
				    first, second, traced, trace[0], trace[1],
				    trace[2], trace[3], want[0], want[1],
				    want[2], want[3]);
	return VERDICT_PASS;
}

/* lapic_nested_*: preemption by the higher vector, then the lower one
 * held back by the higher one in service. */
static enum verdict nested(struct check_result *r)
{
	const uint8_t lo = LAPIC_TEST_VECTOR_LOW, hi = LAPIC_TEST_VECTOR_HIGH;
	const uint32_t preempt[4] = { lo, hi, EOI_MARK | hi, EOI_MARK | lo };
	const uint32_t waits[4] = { hi, EOI_MARK | hi, lo, EOI_MARK | lo };
	enum verdict v;

	idt_set_vector_handler(lo, nesting_handler);
	idt_set_vector_handler(hi, nesting_handler);
	both_in_isr = false;
	if ((v = nest(r, lo, hi, preempt)) != VERDICT_PASS)
		return v;
	if (!both_in_isr)
		return fail(r, "in 0x%x's handler ISR lacks 0x%x or 0x%x", hi,
			    lo, hi);
	return nest(r, hi, lo, waits);
}
LAPIC_CHECK_BOTH_MODES(nested)

/* ---- lapic_esr_illegal ----------------------------------------------------- */

static void send_illegal(void *arg)
{
	(void)arg;
	lapic_self_ipi(LAPIC_ILLEGAL_VECTOR);
	irq_enable();
	uint64_t start = rdtsc();
	while (rdtsc() - start < WAIT_TSC)
		cpu_relax();
	irq_disable();
}

/* lapic_esr_illegal_*: vector LAPIC_ILLEGAL_VECTOR to self, then ESR
 * read before, at and after the latching write. */
static enum verdict esr_illegal(struct check_result *r)
{
	const uint32_t illegal = ESR_SEND_ILLEGAL_VECTOR | ESR_RECV_ILLEGAL_VECTOR;
	uint64_t strays = idt_stray_count();
	uint32_t stale, latched, cleared;

	if ((cleared = lapic_esr()))
		return fail(r, "ESR 0x%x before the test", cleared);
	int v = try_call(send_illegal, NULL, NULL);
	irq_disable();
	stale = lapic_read(LAPIC_ESR);
	latched = lapic_esr();
	cleared = lapic_esr();
	if (v != NO_FAULT || idt_stray_count() != strays)
		return fail(r, "vector %u delivered (%s)", LAPIC_ILLEGAL_VECTOR,
			    v != NO_FAULT ? vector_name(v) : "a stray");
	if (stale)
		return fail(r, "ESR 0x%x before the latching write", stale);
	if (!(latched & illegal))
		return fail(r, "ESR 0x%x after the latching write, want a bit "
			    "of 0x%x", latched, illegal);
	if (cleared)
		return fail(r, "ESR 0x%x after a second write", cleared);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(esr_illegal)

/* ---- lapic_nmi_icr --------------------------------------------------------- */

static volatile uint32_t nmis;

/* NMI handler: count. */
static void count_nmi(void)
{
	nmis++;
}

/* lapic_nmi_icr_*: one NMI to the own APIC ID, exactly one arrives. */
static enum verdict nmi_icr(struct check_result *r)
{
	nmis = 0;
	idt_set_nmi_handler(count_nmi);
	lapic_send_ipi(lapic_id(), ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT);
	bool ok = lapic_wait_change(&nmis, 0, WAIT_TSC);
	uint64_t start = rdtsc();
	while (rdtsc() - start < WAIT_TSC)
		cpu_relax();
	idt_set_nmi_handler(NULL);
	if (!ok || nmis != 1)
		return fail(r, "%u NMIs, want 1", nmis);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(nmi_icr)

/* ---- lapic_delivery_exits_xapic ------------------------------------------ */

/* The interrupt-window exits so far; false when the table cannot be read. */
static bool window_exits(uint64_t *n)
{
	return exit_stats_fetch() &&
	       exit_stats_count(EXIT_REASON_INTERRUPT_WINDOW, n);
}

/* One self-IPI, sent with IF=1 (or IF=0 and then let in); false when it
 * never came. */
static bool one_self_ipi(uint8_t vec, bool if_on)
{
	uint32_t before = lapic_log.total;

	if (if_on)
		irq_enable();
	lapic_send_ipi(0, ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT |
			  ICR_SHORTHAND_SELF | vec);
	return deliver(before);
}

/* One TSC-deadline expiry with IF=1; false when it never came. */
static bool one_deadline(void)
{
	uint32_t before = lapic_log.total;

	irq_enable();
	wrmsr(IA32_TSC_DEADLINE_MSR, rdtsc() + DEADLINE_LEAD);
	return deliver(before);
}

/* Run n events of one kind; the interrupt-window exits they took in *w;
 * false (with the reason in r) when one was not delivered. */
static bool count_windows(struct check_result *r, const char *kind,
			  bool (*event)(void), uint64_t *w)
{
	uint64_t w0, w1;

	if (!window_exits(&w0)) {
		fail(r, "exit statistics not readable (HC_GET_EXIT_STATS)");
		return false;
	}
	for (int i = 0; i < DELIVERY_EVENTS; i++)
		if (!event()) {
			fail(r, "%s %d not delivered", kind, i);
			return false;
		}
	if (!window_exits(&w1)) {
		fail(r, "exit statistics not readable (HC_GET_EXIT_STATS)");
		return false;
	}
	*w = w1 - w0;
	return true;
}

static bool ipi_if_on(void)  { return one_self_ipi(LAPIC_TEST_VECTOR_IPI, true); }
static bool ipi_if_off(void) { return one_self_ipi(LAPIC_TEST_VECTOR_IPI, false); }

static enum verdict delivery_exits(struct check_result *r)
{
	uint64_t on = 0, timer = 0, off = 0;

	if (!guest_env.under_hv)
		return skip_bare(r);
	lapic_log_route(LAPIC_TEST_VECTOR_IPI);
	lapic_log_route(LAPIC_TEST_VECTOR_TIMER);
	if (!count_windows(r, "self-IPI (IF=1)", ipi_if_on, &on) ||
	    !count_windows(r, "self-IPI (IF=0, then STI)", ipi_if_off, &off))
		return VERDICT_FAIL;
	if (lapic_has_tsc_deadline()) {
		lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER |
					     LVT_TIMER_DEADLINE);
		bool ok = count_windows(r, "TSC-deadline expiry", one_deadline,
					&timer);
		irq_disable();
		wrmsr(IA32_TSC_DEADLINE_MSR, 0);
		lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
		if (!ok)
			return VERDICT_FAIL;
	}
	irq_disable();
	if (on || timer)
		return fail(r, "interrupt-window exits with IF=1: %llu for %d "
			    "self-IPIs, %llu for %d timer expiries",
			    (unsigned long long)on, DELIVERY_EVENTS,
			    (unsigned long long)timer, DELIVERY_EVENTS);
	if (off > DELIVERY_EVENTS)
		return fail(r, "%llu interrupt-window exits for %d self-IPIs "
			    "sent with IF=0 (at most one each)",
			    (unsigned long long)off, DELIVERY_EVENTS);
	return VERDICT_PASS;
}
LAPIC_CHECK_IN_MODE(delivery_exits, xapic, LAPIC_MODE_XAPIC)

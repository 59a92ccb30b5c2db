/*
 * Local APIC latency benchmarks (issue 9), in the mode the guest boots in
 * (xAPIC):
 *   lapic_ipi    TSC ticks from just before the ICR write of a fixed
 *                self-IPI (shorthand self) to the first instruction of its
 *                handler, IF=1 throughout
 *   lapic_timer  TSC ticks from a TSC-deadline timer's deadline to the
 *                first instruction of its handler (deadline BENCH_LEAD
 *                ticks after arming it, so the arming is not counted)
 *   lapic_periodic  TSC ticks the interrupted code loses per tick of the
 *                timer in periodic mode (BENCH_PERIOD_COUNT counts, divide
 *                by 1): the main loop reads the TSC back to back and adds
 *                up every gap longer than BENCH_GAP_TSC (the interrupt's
 *                delivery, the handler, and under the hypervisor the
 *                exits the tick costs).  Nothing re-arms the timer in the
 *                guest, so the exits per tick are the hypervisor's own.
 * "Handler" is the guest's C handler, behind the IDT stub and the
 * dispatcher (tests/guest/isr.S, idt.c): the same path bare and under the
 * hypervisor, so the difference is what the hypervisor adds.  In Bochs
 * (`clock: sync=none`) a TSC tick is one instruction.  All print
 * BENCH_UNAVAILABLE without a local APIC (or, for lapic_timer, without
 * the TSC-deadline mode) or when an interrupt never comes; the LAPIC is
 * left as found but for its timer LVT entry (masked) and, after
 * lapic_periodic, its divide configuration (divide by 1).
 */
#include "arch/x86/cpu.h"
#include "tests/guest/bench.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"

#define BENCH_VECTOR      0x70
#define BENCH_LEAD        2000u          /* deadline after arming, ticks */
#define BENCH_WAIT_TSC    10000000u      /* give up on a lost interrupt */
/* Periodic: long enough for the software back end's exits per tick (a few
 * thousand instructions), short enough for 10000 ticks in a few seconds of
 * Bochs. */
#define BENCH_PERIOD_COUNT 20000u
/* One pass of periodic_loop() takes about ten instructions (= TSC ticks
 * in Bochs); a tick's handler path alone takes several times more. */
#define BENCH_GAP_TSC     64u

static volatile uint64_t handler_tsc;
static volatile uint32_t handled;

/* The benchmarks' handler: its entry TSC first, then count and EOI. */
static void stamp_handler(unsigned int vector)
{
	handler_tsc = rdtsc();
	(void)vector;
	handled++;
	lapic_eoi();
}

/* Software-enable the LAPIC (if it is not) and route the vector; false
 * without a local APIC. */
static bool bench_lapic_open(void)
{
	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC))
		return false;
	lapic_open();
	uint32_t svr = lapic_read(LAPIC_SVR);
	if (!(svr & SVR_APIC_ENABLE))
		lapic_write(LAPIC_SVR, svr | SVR_APIC_ENABLE);
	idt_set_vector_handler(BENCH_VECTOR, stamp_handler);
	return true;
}

/* Wait (IF=1) for the next handler run; false when it never came. */
static bool await_handler(uint32_t before)
{
	uint64_t start = rdtsc();

	while (handled == before)
		if (rdtsc() - start > BENCH_WAIT_TSC)
			return false;
	return true;
}

uint64_t bench_lapic_self_ipi(uint64_t iterations)
{
	uint64_t sum = 0;

	if (!bench_lapic_open())
		return BENCH_UNAVAILABLE;
	irq_enable();
	for (uint64_t i = 0; i < iterations; i++) {
		uint32_t before = handled;
		uint64_t start = rdtsc();
		lapic_send_ipi(0, ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT |
				  ICR_SHORTHAND_SELF | BENCH_VECTOR);
		if (!await_handler(before)) {
			sum = BENCH_UNAVAILABLE;
			break;
		}
		sum += handler_tsc - start;
	}
	irq_disable();
	idt_set_vector_handler(BENCH_VECTOR, NULL);
	return sum == BENCH_UNAVAILABLE ? sum : sum / iterations;
}

uint64_t bench_lapic_timer(uint64_t iterations)
{
	uint64_t sum = 0;

	if (!lapic_has_tsc_deadline() || !bench_lapic_open())
		return BENCH_UNAVAILABLE;
	lapic_write(LAPIC_LVT_TIMER, BENCH_VECTOR | LVT_TIMER_DEADLINE);
	irq_enable();
	for (uint64_t i = 0; i < iterations; i++) {
		uint32_t before = handled;
		uint64_t deadline = rdtsc() + BENCH_LEAD;
		wrmsr(IA32_TSC_DEADLINE_MSR, deadline);
		if (!await_handler(before)) {
			sum = BENCH_UNAVAILABLE;
			break;
		}
		sum += handler_tsc - deadline;
	}
	irq_disable();
	wrmsr(IA32_TSC_DEADLINE_MSR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	idt_set_vector_handler(BENCH_VECTOR, NULL);
	return sum == BENCH_UNAVAILABLE ? sum : sum / iterations;
}

/* Spin (IF=1) until iterations more ticks came; the sum of the TSC gaps
 * longer than BENCH_GAP_TSC, or BENCH_UNAVAILABLE when a tick stayed away
 * for BENCH_WAIT_TSC. */
static uint64_t periodic_loop(uint64_t iterations)
{
	uint32_t first = handled;
	uint64_t lost = 0, prev = rdtsc(), last_tick = prev;
	uint32_t seen = first;

	while ((uint64_t)(handled - first) < iterations) {
		uint64_t now = rdtsc();

		if (now - prev > BENCH_GAP_TSC)
			lost += now - prev;
		prev = now;
		if (handled != seen) {
			seen = handled;
			last_tick = now;
		} else if (now - last_tick > BENCH_WAIT_TSC) {
			return BENCH_UNAVAILABLE;
		}
	}
	return lost;
}

uint64_t bench_lapic_periodic(uint64_t iterations)
{
	uint64_t lost;

	if (!bench_lapic_open())
		return BENCH_UNAVAILABLE;
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, BENCH_VECTOR | LVT_TIMER_PERIODIC);
	irq_enable();
	lapic_write(LAPIC_TIMER_INITIAL, BENCH_PERIOD_COUNT);
	lost = periodic_loop(iterations);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	irq_disable();
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	idt_set_vector_handler(BENCH_VECTOR, NULL);
	return lost == BENCH_UNAVAILABLE ? lost : lost / iterations;
}

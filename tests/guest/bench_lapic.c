/*
 * Local APIC latency benchmarks (issue 9), in the mode the guest boots in
 * (xAPIC):
 *   lapic_ipi    TSC ticks from just before the ICR write of a fixed
 *                self-IPI (shorthand self) to the first instruction of its
 *                handler, IF=1 throughout
 *   lapic_timer  TSC ticks from a TSC-deadline timer's deadline to the
 *                first instruction of its handler (deadline BENCH_LEAD
 *                ticks after arming it, so the arming is not counted)
 * "Handler" is the guest's C handler, behind the IDT stub and the
 * dispatcher (tests/guest/isr.S, idt.c): the same path bare and under the
 * hypervisor, so the difference is what the hypervisor adds.  In Bochs
 * (`clock: sync=none`) a TSC tick is one instruction.  Both print
 * BENCH_UNAVAILABLE without a local APIC (or, for the timer, without the
 * TSC-deadline mode) or when an interrupt never comes; the LAPIC is left
 * as found but for its timer LVT entry (masked).
 */
#include "arch/x86/cpu.h"
#include "tests/guest/bench.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"

#define BENCH_VECTOR      0x70
#define BENCH_LEAD        2000u          /* deadline after arming, ticks */
#define BENCH_WAIT_TSC    10000000u      /* give up on a lost interrupt */

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

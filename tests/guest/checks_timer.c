/*
 * hlt_timer_wakeup: PIT channel 0 at TIMER_HZ through the remapped 8259
 * (IRQ0 -> vector IRQ_VECTOR_BASE) must interrupt the guest, and HLT with
 * IF=1 must return once the next tick arrives.
 *
 * First a bounded busy-wait with IF=1 proves that ticks arrive at all, so
 * that a hypervisor that never delivers them gives a FAIL instead of a HLT
 * that never returns.  The HLT part can still hang if the hypervisor's HLT
 * handling never resumes the guest; the boot test's timeout catches that.
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/idt.h"
#include "tests/guest/pic.h"

#define TIMER_HZ          1000
#define FIRST_TICK_SPINS  5000000
#define HLT_ROUNDS        3

static volatile uint64_t ticks;

static void count_tick(unsigned int irq)
{
	(void)irq;
	ticks++;
}

static void timer_start(void)
{
	ticks = 0;
	idt_set_irq_handler(PIT_IRQ, count_tick);
	pit_start_periodic(TIMER_HZ);
	pic_set_mask(PIT_IRQ, false);
	irq_enable();
}

static void timer_stop(void)
{
	irq_disable();
	pic_set_mask(PIT_IRQ, true);
	idt_set_irq_handler(PIT_IRQ, NULL);
}

static bool first_tick_arrives(void)
{
	for (uint32_t spin = 0; spin < FIRST_TICK_SPINS && !ticks; spin++)
		cpu_relax();
	return ticks != 0;
}

/* HLT with IF=1 returns after an interrupt; each round must see a new tick. */
static int hlt_rounds_woken(void)
{
	int woken = 0;

	for (int i = 0; i < HLT_ROUNDS; i++) {
		uint64_t before = ticks;
		cpu_halt();
		if (ticks != before)
			woken++;
	}
	return woken;
}

enum verdict check_hlt_timer_wakeup(struct check_result *r)
{
	timer_start();
	if (!first_tick_arrives()) {
		timer_stop();
		return fail(r, "no IRQ0 (vector 0x%x) within %u polls with IF=1 "
			    "(PIC IRR 0x%x)", IRQ_VECTOR_BASE, FIRST_TICK_SPINS,
			    pic_read_irr());
	}
	int woken = hlt_rounds_woken();
	timer_stop();
	if (woken != HLT_ROUNDS)
		return fail(r, "only %d of %d HLTs returned with a new tick", woken,
			    HLT_ROUNDS);
	return VERDICT_PASS;
}

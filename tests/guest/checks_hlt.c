/*
 * HLT that always wakes (issue 10), in every mode the guest runs in, each
 * as rounds of `cli ... sti; hlt` (HLT in the STI shadow) and of `cli ...
 * sti; nop; hlt` (past it), woken by PIT channel 0 through the 8259:
 *
 * hlt_sti_realmode: the rounds realmode.S ran in real mode (unrestricted
 *   guest under the hypervisor), IVT entry 8 for IRQ 0.
 * hlt_sti_protected: the rounds hlt_modes.S ran in 32-bit protected mode
 *   before long mode.
 * hlt_sti_long: the same rounds in long mode, the tick arriving while the
 *   CPU halts.
 * hlt_sti_pending: long mode with the tick already pending when STI runs
 *   (IF = 0 across two PIT periods): HLT must still return at once.
 *
 * Masked interrupts (IF = 0, nothing that could wake the CPU) are the
 * boot test's: the `halt-disabled` guest word (tests/boot/56-...).
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"
#include "tests/guest/pic.h"

#define TIMER_HZ          1000
#define FIRST_TICK_SPINS  5000000
#define PIT_RELOADS_SPINS 5000000
#define PENDING_RELOADS   2          /* PIT periods waited with IF = 0 */

extern volatile uint32_t hlt_pm_woken;   /* hlt_modes.S */

static volatile uint64_t ticks;

/* IRQ 0 handler: one more tick. */
static void count_tick(unsigned int irq)
{
	(void)irq;
	ticks++;
}

/* The rounds of a mode (HLT_TEST_ROUNDS with the STI shadow, as many
 * without), from its counter. */
static enum verdict rounds_verdict(struct check_result *r, const char *mode,
				   uint32_t woken)
{
	if (woken != 2 * HLT_TEST_ROUNDS)
		return fail(r, "%s: %u of %u `sti; hlt` / `sti; nop; hlt` rounds "
			    "ended with a new PIT tick", mode, woken,
			    2 * HLT_TEST_ROUNDS);
	return VERDICT_PASS;
}

/* realmode.S's count, from the real-mode report. */
enum verdict check_hlt_sti_realmode(struct check_result *r)
{
	const volatile uint16_t *woken = (const volatile uint16_t *)(uintptr_t)
		(REALMODE_REPORT + RMR_HLT_WOKEN);

	return rounds_verdict(r, "real mode", *woken);
}

/* hlt_modes.S's count. */
enum verdict check_hlt_sti_protected(struct check_result *r)
{
	return rounds_verdict(r, "protected mode", hlt_pm_woken);
}

/* PIT at TIMER_HZ on IRQ 0 with count_tick; IF stays 0. */
static void timer_start(void)
{
	ticks = 0;
	idt_set_irq_handler(PIT_IRQ, count_tick);
	pit_start_periodic(TIMER_HZ);
	pic_set_mask(PIT_IRQ, false);
}

/* IF = 0, IRQ 0 masked, the default handler back. */
static void timer_stop(void)
{
	irq_disable();
	pic_set_mask(PIT_IRQ, true);
	idt_set_irq_handler(PIT_IRQ, NULL);
}

/* A first tick with IF = 1 (bounded), so that a timer that never ticks is
 * a FAIL and not a HLT that never returns. */
static bool ticks_arrive(void)
{
	irq_enable();
	for (uint32_t spin = 0; spin < FIRST_TICK_SPINS && !ticks; spin++)
		cpu_relax();
	irq_disable();
	return ticks != 0;
}

/* One `sti; hlt` (in_shadow) or `sti; nop; hlt` with IF = 0 before; true
 * when a new tick ended it. */
static bool sti_hlt_woken(bool in_shadow)
{
	uint64_t before = ticks;

	if (in_shadow)
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	else
		__asm__ volatile("sti; nop; hlt; cli" ::: "memory");
	return ticks != before;
}

/* The rounds in long mode, each tick arriving while the CPU halts. */
enum verdict check_hlt_sti_long(struct check_result *r)
{
	uint32_t woken = 0;

	timer_start();
	if (!ticks_arrive()) {
		timer_stop();
		return fail(r, "no IRQ 0 within %u polls with IF=1", FIRST_TICK_SPINS);
	}
	for (int i = 0; i < 2 * HLT_TEST_ROUNDS; i++)
		woken += sti_hlt_woken(i < HLT_TEST_ROUNDS);
	timer_stop();
	return rounds_verdict(r, "long mode", woken);
}

/* Wait with IF = 0 until PIT channel 0 reloaded `reloads` times (its
 * count goes up); false when it never does. */
static bool pit_periods_pass(int reloads)
{
	uint16_t last = pit_read_count();

	for (uint32_t spin = 0; spin < PIT_RELOADS_SPINS && reloads; spin++) {
		uint16_t now = pit_read_count();

		if (now > last)
			reloads--;
		last = now;
	}
	return reloads == 0;
}

/* The rounds with the tick already pending at STI. */
enum verdict check_hlt_sti_pending(struct check_result *r)
{
	uint32_t woken = 0;

	timer_start();
	if (!ticks_arrive()) {
		timer_stop();
		return fail(r, "no IRQ 0 within %u polls with IF=1", FIRST_TICK_SPINS);
	}
	for (int i = 0; i < 2 * HLT_TEST_ROUNDS; i++) {
		if (!pit_periods_pass(PENDING_RELOADS)) {
			timer_stop();
			return fail(r, "PIT channel 0 did not reload within %u "
				    "reads", PIT_RELOADS_SPINS);
		}
		woken += sti_hlt_woken(i < HLT_TEST_ROUNDS);
	}
	timer_stop();
	return rounds_verdict(r, "long mode, tick pending", woken);
}

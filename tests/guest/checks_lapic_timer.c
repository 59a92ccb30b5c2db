/*
 * Local APIC timer checks (issue 9), each in xAPIC and x2APIC mode:
 *   lapic_timer_oneshot_*   one interrupt, current count 0 after it, none
 *                           after that
 *   lapic_timer_periodic_*  the intervals between ticks agree (each within
 *                           PERIOD_TOLERANCE_PCT of the mean), the mean is
 *                           the initial count at the rate the current count
 *                           runs (within PERIOD_RATE_TOLERANCE_PCT), and
 *                           the ticks counted in a TSC window match the
 *                           window / period; stopping (initial count 0)
 *                           stops them
 *   lapic_timer_deadline_*  TSC-deadline mode: one interrupt, at or after
 *                           the deadline, and no second; IA32_TSC_DEADLINE
 *                           reads 0 (or, as in Bochs, the deadline) after
 *                           it; writing 0 disarms; a past deadline fires
 *                           at once
 *   lapic_timer_current_*   the current count decreases, stays below the
 *                           initial count, and reads 0 once stopped
 *   lapic_timer_divide_*    each divide value slows the count by its
 *                           divisor (within DIVIDE_TOLERANCE_PCT of the
 *                           divide-by-1 rate)
 *   lapic_lvt_masked_*      a masked LVT timer entry (one-shot and
 *                           periodic) runs the count but delivers nothing
 *                           and leaves no IRR bit
 * The ratio of the TSC to the timer's clock is not assumed: every check
 * compares the timer with itself (or with the TSC it measured).
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/lapic_checks.h"
#include "tests/guest/probe.h"

#define ONESHOT_COUNT         50000u
#define PERIODIC_COUNT        20000u
#define PERIODIC_TICKS        12
#define PERIOD_TOLERANCE_PCT  25
#define PERIOD_RATE_TOLERANCE_PCT 10
#define WINDOW_PERIODS        8
#define DEADLINE_DELTA        200000u
#define FIRE_BUDGET_TSC       50000000u   /* the longest wait for one event */
#define QUIET_TSC             2000000u    /* "nothing more happens" window */
#define CURRENT_READS         4
#define CURRENT_SPIN_TSC      20000u
#define DIVIDE_WINDOW_TSC     400000u
#define DIVIDE_TOLERANCE_PCT  10
#define MASKED_COUNT          1000u
#define PCT                   100u
#define COUNT_MAX             0xffffffffu

/* Divide configuration values (SDM "Divide Configuration Register") and
 * their divisors. */
static const struct {
	uint32_t config;
	uint32_t divisor;
} divides[] = {
	{ 0xb, 1 }, { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 },
	{ 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 },
};
#define DIVIDES (sizeof(divides) / sizeof(divides[0]))

/* Busy-wait ticks TSC ticks (IF as it is). */
static void spin_tsc(uint64_t ticks)
{
	uint64_t start = rdtsc();

	while (rdtsc() - start < ticks)
		cpu_relax();
}

/* Wait with IF=1 until lapic_log.total leaves before. */
static bool wait_irq(uint32_t before, uint64_t budget)
{
	irq_enable();
	bool ok = lapic_wait_change(&lapic_log.total, before, budget);
	irq_disable();
	return ok;
}

/* Stop the timer: initial count 0, LVT entry masked. */
static void timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
}

/* Counts elapsed in DIVIDE_WINDOW_TSC TSC ticks with divide config cfg. */
static uint64_t counts_in_window(uint32_t cfg)
{
	lapic_write(LAPIC_TIMER_DIVIDE, cfg);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT);
	lapic_write(LAPIC_TIMER_INITIAL, COUNT_MAX);
	spin_tsc(DIVIDE_WINDOW_TSC);
	uint32_t now = lapic_read(LAPIC_TIMER_CURRENT);
	timer_stop();
	return COUNT_MAX - now;
}

/* ---- lapic_timer_oneshot ------------------------------------------------ */

static enum verdict timer_oneshot(struct check_result *r)
{
	uint8_t vec = LAPIC_TEST_VECTOR_TIMER;

	lapic_log_route(vec);
	lapic_write(LAPIC_LVT_TIMER, vec | LVT_TIMER_ONESHOT);
	uint64_t start = rdtsc();
	lapic_write(LAPIC_TIMER_INITIAL, ONESHOT_COUNT);
	bool fired = wait_irq(0, FIRE_BUDGET_TSC);
	uint64_t took = fired ? lapic_log.last_tsc - start : 0;
	uint32_t current = lapic_read(LAPIC_TIMER_CURRENT);
	spin_tsc(3 * took);
	irq_enable();
	spin_tsc(QUIET_TSC);
	irq_disable();
	timer_stop();
	if (!fired)
		return fail(r, "no interrupt within %u TSC ticks (count %u)",
			    FIRE_BUDGET_TSC, ONESHOT_COUNT);
	if (lapic_log.count[vec] != 1)
		return fail(r, "%u interrupts, want 1", lapic_log.count[vec]);
	if (current)
		return fail(r, "current count %u after the interrupt", current);
	if (!lapic_log.last_in_isr || lapic_log.last_in_irr)
		return fail(r, "in the handler: ISR bit %u, IRR bit %u",
			    lapic_log.last_in_isr, lapic_log.last_in_irr);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(timer_oneshot)

/* ---- lapic_timer_periodic ----------------------------------------------- */

static volatile uint32_t ticks;
static volatile uint64_t tick_tsc[PERIODIC_TICKS];

/* Periodic tick: record its TSC (the first PERIODIC_TICKS), EOI. */
static void tick_handler(unsigned int vector)
{
	(void)vector;
	if (ticks < PERIODIC_TICKS)
		tick_tsc[ticks] = rdtsc();
	ticks++;
	lapic_eoi();
}

/* Each interval between ticks 1.. within the tolerance of their mean. */
static enum verdict intervals_agree(struct check_result *r, uint64_t *mean)
{
	uint64_t first = tick_tsc[1], last = tick_tsc[PERIODIC_TICKS - 1];

	*mean = (last - first) / (PERIODIC_TICKS - 2);
	for (int i = 2; i < PERIODIC_TICKS; i++) {
		uint64_t d = tick_tsc[i] - tick_tsc[i - 1];
		uint64_t dev = d > *mean ? d - *mean : *mean - d;
		if (dev * PCT > *mean * PERIOD_TOLERANCE_PCT)
			return fail(r, "interval %d: %lu TSC ticks, mean %lu", i,
				    d, *mean);
	}
	return VERDICT_PASS;
}

/* The mean interval matches the period the count rate predicts:
 * PERIODIC_COUNT counts at the rate measured on the current count. */
static enum verdict period_matches_rate(struct check_result *r, uint64_t mean,
					uint64_t counts_per_window)
{
	uint64_t want = (uint64_t)PERIODIC_COUNT * DIVIDE_WINDOW_TSC /
			counts_per_window;
	uint64_t dev = mean > want ? mean - want : want - mean;

	if (dev * PCT > want * PERIOD_RATE_TOLERANCE_PCT)
		return fail(r, "mean period %lu TSC ticks, the count rate (%lu "
			    "counts in %u TSC ticks) predicts %lu", mean,
			    counts_per_window, DIVIDE_WINDOW_TSC, want);
	return VERDICT_PASS;
}

/* Ticks in a window of WINDOW_PERIODS periods, counted on the TSC. */
static enum verdict window_count(struct check_result *r, uint64_t period)
{
	uint32_t before = ticks;

	irq_enable();
	spin_tsc(WINDOW_PERIODS * period);
	irq_disable();
	uint32_t n = ticks - before;
	if (n + 1 < WINDOW_PERIODS || n > WINDOW_PERIODS + 1)
		return fail(r, "%u ticks in %u periods of %lu TSC ticks", n,
			    WINDOW_PERIODS, period);
	return VERDICT_PASS;
}

/* lapic_timer_periodic_*: collect PERIODIC_TICKS ticks, judge them, stop. */
static enum verdict timer_periodic(struct check_result *r)
{
	uint64_t mean, rate = counts_in_window(DIVIDE_BY_1);
	enum verdict v;

	if (!rate)
		return fail(r, "the current count did not move in %u TSC ticks",
			    DIVIDE_WINDOW_TSC);
	ticks = 0;
	idt_set_vector_handler(LAPIC_TEST_VECTOR_TIMER, tick_handler);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER |
				     LVT_TIMER_PERIODIC);
	lapic_write(LAPIC_TIMER_INITIAL, PERIODIC_COUNT);
	irq_enable();
	for (uint32_t n = 0; n < PERIODIC_TICKS; n++)
		if (!lapic_wait_change(&ticks, n, FIRE_BUDGET_TSC))
			break;
	irq_disable();
	if (ticks < PERIODIC_TICKS) {
		timer_stop();
		return fail(r, "%u of %u ticks arrived", ticks, PERIODIC_TICKS);
	}
	uint32_t current = lapic_read(LAPIC_TIMER_CURRENT);
	if ((v = intervals_agree(r, &mean)) == VERDICT_PASS &&
	    (v = period_matches_rate(r, mean, rate)) == VERDICT_PASS)
		v = window_count(r, mean);
	timer_stop();
	uint32_t stopped = ticks;
	irq_enable();
	spin_tsc(2 * mean + QUIET_TSC);
	irq_disable();
	if (v != VERDICT_PASS)
		return v;
	if (!current || current > PERIODIC_COUNT)
		return fail(r, "current count %u between ticks (initial %u)",
			    current, PERIODIC_COUNT);
	if (ticks != stopped)
		return fail(r, "%u ticks after the initial count was set to 0",
			    ticks - stopped);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(timer_periodic)

/* ---- lapic_timer_deadline ----------------------------------------------- */

/* One interrupt at or after the deadline, and no second one.  The SDM
 * clears IA32_TSC_DEADLINE when the timer fires; Bochs keeps the value
 * written (a deviation), so either reads right. */
static enum verdict deadline_fires(struct check_result *r)
{
	uint64_t deadline = rdtsc() + DEADLINE_DELTA, after;

	wrmsr(IA32_TSC_DEADLINE_MSR, deadline);
	if (!wait_irq(0, FIRE_BUDGET_TSC))
		return fail(r, "no interrupt within %u TSC ticks of the deadline",
			    FIRE_BUDGET_TSC);
	if (lapic_log.last_tsc < deadline)
		return fail(r, "interrupt %lu TSC ticks before the deadline",
			    deadline - lapic_log.last_tsc);
	after = rdmsr(IA32_TSC_DEADLINE_MSR);
	if (after && after != deadline)
		return fail(r, "IA32_TSC_DEADLINE reads 0x%lx after firing "
			    "(written 0x%lx)", after, deadline);
	if (wait_irq(1, 2 * DEADLINE_DELTA + QUIET_TSC))
		return fail(r, "a second interrupt from one deadline");
	return VERDICT_PASS;
}

/* Writing 0 disarms an armed deadline; a past deadline fires at once. */
static enum verdict deadline_disarms(struct check_result *r)
{
	uint32_t before = lapic_log.total;

	wrmsr(IA32_TSC_DEADLINE_MSR, rdtsc() + DEADLINE_DELTA);
	wrmsr(IA32_TSC_DEADLINE_MSR, 0);
	if (wait_irq(before, 2 * DEADLINE_DELTA + QUIET_TSC))
		return fail(r, "interrupt after IA32_TSC_DEADLINE was set to 0");
	wrmsr(IA32_TSC_DEADLINE_MSR, rdtsc() - 1);       /* in the past */
	if (!wait_irq(before, QUIET_TSC))
		return fail(r, "a deadline in the past did not fire within %u "
			    "TSC ticks", QUIET_TSC);
	return VERDICT_PASS;
}

/* lapic_timer_deadline_*: TSC-deadline mode on LAPIC_TEST_VECTOR_TIMER. */
static enum verdict timer_deadline(struct check_result *r)
{
	enum verdict v;

	if (!lapic_has_tsc_deadline())
		return skip(r, "no TSC-deadline timer (CPUID.1:ECX[24] clear)");
	lapic_log_route(LAPIC_TEST_VECTOR_TIMER);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER |
				     LVT_TIMER_DEADLINE);
	v = deadline_fires(r);
	if (v == VERDICT_PASS)
		v = deadline_disarms(r);
	wrmsr(IA32_TSC_DEADLINE_MSR, 0);
	timer_stop();
	return v;
}
LAPIC_CHECK_BOTH_MODES(timer_deadline)

/* ---- lapic_timer_current ------------------------------------------------ */

static enum verdict timer_current(struct check_result *r)
{
	uint32_t prev = COUNT_MAX, now;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT);
	lapic_write(LAPIC_TIMER_INITIAL, COUNT_MAX);
	for (int i = 0; i < CURRENT_READS; i++) {
		spin_tsc(CURRENT_SPIN_TSC);
		now = lapic_read(LAPIC_TIMER_CURRENT);
		if (now >= prev) {
			timer_stop();
			return fail(r, "read %d: current count %u, before %u", i,
				    now, prev);
		}
		prev = now;
	}
	timer_stop();
	if ((now = lapic_read(LAPIC_TIMER_CURRENT)))
		return fail(r, "current count %u after the initial count was "
			    "set to 0", now);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(timer_current)

/* ---- lapic_timer_divide -------------------------------------------------- */

/* lapic_timer_divide_*: every divide value against divide by 1. */
static enum verdict timer_divide(struct check_result *r)
{
	uint64_t base = counts_in_window(divides[0].config);

	for (unsigned int i = 0; i < DIVIDES; i++) {
		uint32_t got_cfg;
		uint64_t n = counts_in_window(divides[i].config);
		uint64_t want = base / divides[i].divisor;
		uint64_t dev = n > want ? n - want : want - n;
		lapic_write(LAPIC_TIMER_DIVIDE, divides[i].config);
		got_cfg = lapic_read(LAPIC_TIMER_DIVIDE);
		if (got_cfg != divides[i].config)
			return fail(r, "divide configuration 0x%x reads 0x%x",
				    divides[i].config, got_cfg);
		if (!n || dev * PCT > want * DIVIDE_TOLERANCE_PCT)
			return fail(r, "divide by %u: %lu counts, want %lu "
				    "(divide by 1: %lu)", divides[i].divisor, n,
				    want, base);
	}
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(timer_divide)

/* ---- lapic_lvt_masked ---------------------------------------------------- */

static enum verdict masked_mode(struct check_result *r, uint32_t timer_mode,
				const char *name)
{
	uint8_t vec = LAPIC_TEST_VECTOR_TIMER;

	lapic_log_route(vec);
	lapic_write(LAPIC_LVT_TIMER, vec | LVT_MASKED | timer_mode);
	lapic_write(LAPIC_TIMER_INITIAL, MASKED_COUNT);
	irq_enable();
	spin_tsc(QUIET_TSC);
	irq_disable();
	uint32_t current = lapic_read(LAPIC_TIMER_CURRENT);
	bool pending = lapic_vector_bit(LAPIC_IRR0, vec);
	timer_stop();
	if (lapic_log.total)
		return fail(r, "masked %s timer: %u interrupt(s)", name,
			    lapic_log.total);
	if (pending)
		return fail(r, "masked %s timer: IRR bit 0x%x set", name, vec);
	if (timer_mode == LVT_TIMER_ONESHOT && current)
		return fail(r, "masked one-shot timer: current count %u, want 0",
			    current);
	return VERDICT_PASS;
}

/* lapic_lvt_masked_*: one-shot, then periodic. */
static enum verdict lvt_masked(struct check_result *r)
{
	enum verdict v = masked_mode(r, LVT_TIMER_ONESHOT, "one-shot");

	return v == VERDICT_PASS ? masked_mode(r, LVT_TIMER_PERIODIC,
					       "periodic") : v;
}
LAPIC_CHECK_BOTH_MODES(lvt_masked)

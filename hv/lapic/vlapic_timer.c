/*
 * The virtual LAPIC timer as arithmetic on the TSC (Intel SDM Vol. 3,
 * "APIC Timer"): one-shot, periodic and TSC-deadline modes, the divide
 * configuration, masked LVT.  The count runs at TSC / VLAPIC_TSC_PER_TICK
 * / divide; nothing ticks in between: the current count is computed at
 * each read and the expiry is a TSC deadline the hypervisor waits for
 * (the VMX-preemption timer, hv/lapic/lapic_timer.c).
 */
#include "hv/lapic/vlapic.h"

/* Timer mode field of an LVT timer value. */
static uint32_t timer_mode(uint32_t lvt)
{
	return (lvt & LAPIC_LVT_TIMER_MODE_MASK) >> LAPIC_LVT_TIMER_MODE_SHIFT;
}

static bool in_deadline_mode(const struct vlapic *l)
{
	return timer_mode(l->lvt[VLAPIC_LVT_TIMER]) == LAPIC_TIMER_TSC_DEADLINE;
}

/* DCR bits 3, 1, 0 form n; the divider is 2^(n+1), and n = 7 means 1. */
uint32_t vlapic_timer_divide(uint32_t dcr)
{
	uint32_t n = ((dcr & LAPIC_DCR_HIGH_BIT) >> 1) | (dcr & LAPIC_DCR_LOW_BITS);

	return n == LAPIC_DCR_BY_1 ? 1 : 2u << n;
}

/* TSC ticks per count at the current divide value. */
static uint64_t tsc_per_count(const struct vlapic *l)
{
	return (uint64_t)vlapic_timer_divide(l->timer.dcr) * VLAPIC_TSC_PER_TICK;
}

/* TSC ticks from a count start to zero. */
static uint64_t period(const struct vlapic *l)
{
	return (uint64_t)l->timer.initial * tsc_per_count(l);
}

uint64_t vlapic_timer_deadline(const struct vlapic *l)
{
	return l->timer.deadline;
}

/* Counting (one-shot or periodic, initial count non-zero) from start. */
static void arm_count(struct vlapic *l, uint64_t start)
{
	l->timer.start = start;
	l->timer.deadline = l->timer.initial ? start + period(l) : VLAPIC_NO_DEADLINE;
}

uint32_t vlapic_timer_current(const struct vlapic *l, uint64_t tsc)
{
	uint64_t elapsed;

	if (in_deadline_mode(l) || l->timer.deadline == VLAPIC_NO_DEADLINE ||
	    !l->timer.initial)
		return 0;
	elapsed = tsc > l->timer.start ? tsc - l->timer.start : 0;
	if (timer_mode(l->lvt[VLAPIC_LVT_TIMER]) == LAPIC_TIMER_PERIODIC)
		elapsed %= period(l);
	else if (elapsed >= period(l))
		return 0;
	return l->timer.initial - (uint32_t)(elapsed / tsc_per_count(l));
}

/* Writing the initial count restarts the count (0 stops it); ignored in
 * TSC-deadline mode. */
void vlapic_timer_set_initial(struct vlapic *l, uint32_t count, uint64_t tsc)
{
	if (in_deadline_mode(l))
		return;
	l->timer.initial = count;
	arm_count(l, tsc);
}

/* A new divider while counting: the count goes on from where it is, at
 * the new rate. */
void vlapic_timer_set_dcr(struct vlapic *l, uint32_t dcr, uint64_t tsc)
{
	uint32_t current = vlapic_timer_current(l, tsc);
	bool counting = !in_deadline_mode(l) && l->timer.deadline != VLAPIC_NO_DEADLINE;

	l->timer.dcr = dcr;
	if (!counting)
		return;
	arm_count(l, tsc - (uint64_t)(l->timer.initial - current) * tsc_per_count(l));
}

/* The LVT timer entry; a switch into or out of TSC-deadline mode disarms
 * the timer (SDM "TSC-Deadline Mode").  Mode 3 is reserved: taken as
 * one-shot. */
void vlapic_timer_set_lvt(struct vlapic *l, uint32_t lvt, uint64_t tsc)
{
	bool was_deadline = in_deadline_mode(l);

	(void)tsc;
	if (timer_mode(lvt) > LAPIC_TIMER_TSC_DEADLINE)
		lvt &= ~LAPIC_LVT_TIMER_MODE_MASK;
	l->lvt[VLAPIC_LVT_TIMER] = lvt;
	if (was_deadline != in_deadline_mode(l)) {
		l->timer.deadline = VLAPIC_NO_DEADLINE;
		l->timer.tsc_deadline = 0;
		l->timer.initial = 0;
	}
}

uint64_t vlapic_tsc_deadline_read(const struct vlapic *l)
{
	return in_deadline_mode(l) ? l->timer.tsc_deadline : 0;
}

/* Outside TSC-deadline mode the write is ignored (SDM: "writes ... are
 * ignored" there). */
void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t value,
			       struct vlapic_effect *fx)
{
	if (!in_deadline_mode(l))
		return;
	l->timer.tsc_deadline = value;
	l->timer.deadline = value ? value : VLAPIC_NO_DEADLINE;
	fx->flags |= VLAPIC_FX_TIMER;
}

/* The LVT timer's interrupt: its vector unless masked (an illegal vector
 * is an error, as for any received one). */
static void timer_interrupt(struct vlapic *l)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_TIMER];

	if (!(lvt & LAPIC_LVT_MASKED))
		vlapic_accept(l, (uint8_t)(lvt & LAPIC_LVT_VECTOR_MASK), false);
}

/* After an expiry at or before tsc: periodic re-arms at the first period
 * boundary after tsc; one-shot and TSC-deadline stop (the latter clears
 * IA32_TSC_DEADLINE). */
static void rearm_after_expiry(struct vlapic *l, uint64_t tsc)
{
	uint32_t mode = timer_mode(l->lvt[VLAPIC_LVT_TIMER]);
	uint64_t p = period(l);

	if (mode == LAPIC_TIMER_PERIODIC && p) {
		uint64_t periods = (tsc - l->timer.start) / p + 1;

		l->timer.deadline = l->timer.start + periods * p;
		return;
	}
	if (mode == LAPIC_TIMER_TSC_DEADLINE)
		l->timer.tsc_deadline = 0;
	l->timer.deadline = VLAPIC_NO_DEADLINE;
}

bool vlapic_timer_expire(struct vlapic *l, uint64_t tsc)
{
	if (l->timer.deadline == VLAPIC_NO_DEADLINE || tsc < l->timer.deadline)
		return false;
	l->counts.timer_fires++;
	timer_interrupt(l);
	rearm_after_expiry(l, tsc);
	return true;
}

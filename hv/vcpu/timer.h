/*
 * The hypervisor's own timer: the VMX-preemption timer (SDM Vol. 3,
 * "VMX-Preemption Timer"), which counts down in VMX non-root operation,
 * also while the guest is halted, and makes a VM exit at zero.  Every user
 * (the console's drain and input poll, the virtual LAPIC's timer)
 * asks for an exit no later than some TSC value; the requests merge into
 * one deadline, the earliest, which stays until it passes; users that can
 * wait for an exit the guest makes anyway also ask for a soft one (polled
 * at the first exit after it, no exit made for it).  The run loop
 * compares it with the TSC once per exit: when it has passed (or a user
 * asked with a value already passed, 0 included: "look at me before the
 * next entry") it is forgotten and the users are polled
 * (vcpu_timer_expired() in hv/vcpu/vcpu.c), each asking again for its next
 * one.  Asking again at every exit, as before, also works.  Before each
 * entry the timer is loaded with the time left to the deadline (the value
 * is reloaded at every entry: the "save VMX-preemption timer value" exit
 * control is not used, so root-mode time never makes an exit late).
 * Without the timer (a CPU that lacks it) the deadlines are only met by
 * the guest's own exits.
 */
#ifndef HV_VCPU_TIMER_H
#define HV_VCPU_TIMER_H

#include <stdint.h>

#include "hv/vcpu/vcpu.h"

/* No deadline asked for. */
#define VCPU_NO_DEADLINE UINT64_MAX

/* Ask for a VM exit no later than TSC value `tsc` (and the run loop's poll
 * of the timer's users at the first exit at or after it). */
static inline void vcpu_timer_at(struct vcpu *v, uint64_t tsc)
{
	if (tsc < v->timer_deadline)
		v->timer_deadline = tsc;
	if (tsc < v->timer_poll)
		v->timer_poll = tsc;
}

/* Ask for the poll of the timer's users at the first exit at or after TSC
 * value `tsc`, without an exit made for it (a soft deadline: a user that
 * may wait for an exit the guest makes anyway, up to its own hard one). */
static inline void vcpu_timer_poll_at(struct vcpu *v, uint64_t tsc)
{
	if (tsc < v->timer_poll)
		v->timer_poll = tsc;
}

/* Whether a deadline, hard or soft, has passed at TSC now (one compare
 * per exit). */
static inline bool vcpu_timer_due(const struct vcpu *v, uint64_t now)
{
	return now >= v->timer_poll;
}

/* The TSC offset the guest's TSC reads with (its TSC = the host's + this;
 * 0 while TSC offsetting is off).  Deadlines the guest sets are in its
 * TSC; vcpu_timer_at() takes the host's. */
uint64_t vcpu_tsc_offset(const struct vcpu *v);

/* Write the TSC offset (the VMCS field and v's copy of it, which
 * vcpu_tsc_offset() reads).  Expects v's VMCS current. */
void vcpu_set_tsc_offset(struct vcpu *v, uint64_t offset);

/* Before the VM entry, at TSC now: load the preemption timer with the time
 * left to the deadline (the largest count when there is none). */
void vcpu_timer_program(struct vcpu *v, uint64_t now);

#endif

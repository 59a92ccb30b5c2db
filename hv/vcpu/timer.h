/*
 * The hypervisor's own timer: the VMX-preemption timer (SDM Vol. 3,
 * "VMX-Preemption Timer"), which counts down in VMX non-root operation,
 * also while the guest is halted, and makes a VM exit at zero.  Every user
 * (the console's drain and input poll, the virtual LAPIC's timer)
 * asks for an exit no later than some TSC value during an exit; the run
 * loop programs the earliest of them just before the VM entry and forgets
 * them (ask again at the next exit).  Without the timer (a CPU that lacks
 * it) the deadlines are only met by the guest's own exits.
 */
#ifndef HV_VCPU_TIMER_H
#define HV_VCPU_TIMER_H

#include <stdint.h>

struct vcpu;

/* Ask for a VM exit no later than TSC value `tsc`. */
void vcpu_timer_at(struct vcpu *v, uint64_t tsc);

/* The TSC offset the guest's TSC reads with (its TSC = the host's + this;
 * 0 while TSC offsetting is off).  Deadlines the guest sets are in its
 * TSC; vcpu_timer_at() takes the host's. */
uint64_t vcpu_tsc_offset(const struct vcpu *v);

/* Before the VM entry: load the preemption timer with the earliest
 * deadline asked for (the largest count when none), then forget them. */
void vcpu_timer_program(struct vcpu *v);

#endif

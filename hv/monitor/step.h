/*
 * The monitor's single steps (hv/monitor/step.c).
 */
#ifndef HV_MONITOR_STEP_H
#define HV_MONITOR_STEP_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* A #DB exit with exit qualification `qualification`: true when it is the
 * monitor's single step (then handled: the next step, or the monitor);
 * false for a #DB of the guest's own, which goes to the guest. */
bool monitor_step_trap(struct vcpu *v, uint64_t qualification);

#endif

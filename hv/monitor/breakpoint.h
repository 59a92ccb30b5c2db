/*
 * The monitor's execute breakpoint (hv/monitor/breakpoint.c).
 */
#ifndef HV_MONITOR_BREAKPOINT_H
#define HV_MONITOR_BREAKPOINT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* A #DB exit with exit qualification `qualification`: true when it is the
 * monitor's breakpoint (then reported and the monitor run), false for a
 * #DB of the guest's own. */
bool monitor_break_trap(struct vcpu *v, uint64_t qualification);

#endif

/*
 * The hypervisor's monitor on the console line (docs/console.md): entered
 * with the escape sequence (hv/monitor/escape.h) typed on the line, it
 * pauses the guest and reads commands until `c` or the escape sequence
 * again.  The guest's time does not jump: the pause is taken out of the
 * guest's TSC (TSC offsetting) when it resumes.
 */
#ifndef HV_MONITOR_MONITOR_H
#define HV_MONITOR_MONITOR_H

#include <stdint.h>

struct vcpu;

/* Run the monitor until the user lets the guest go on.  Called from the
 * run loop, between a VM exit and the next entry; v's VMCS is current. */
void monitor_run(struct vcpu *v, uint8_t escape_key);

/* Take paused_tsc TSC ticks the guest spent waiting for the monitor out
 * of its time (TSC offsetting). */
void monitor_hide_pause(struct vcpu *v, uint64_t paused_tsc);

/* Show the registers (regs), then run the monitor: for a breakpoint hit. */
void monitor_run_with_regs(struct vcpu *v);

/* The escape key the monitor was entered with (for steps that come back). */
uint8_t mon_escape_key(void);

/* Printing for the commands: formatted, straight to the line. */
void mon_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

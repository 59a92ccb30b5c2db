/*
 * What the guest cannot touch directly: the MSR bitmap and the two I/O
 * bitmaps (Intel SDM Vol. 3, "I/O-Bitmap Addresses", "MSR-Bitmap
 * Address").  Ports: the one list of intercepted ports (in
 * hv/view/intercept.c); every other port passes through.  MSRs:
 * default-deny, only the allow-list of hv/view/msr_policy.c passes through.
 */
#ifndef HV_INTERCEPT_H
#define HV_INTERCEPT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Allocate the bitmaps of v (MSRs: the allow-list; ports: all but the
 * list), and point the current VMCS at them. */
void intercept_init(struct vcpu *v);

/* Make IN/OUT (and INS/OUTS) of port exit. */
void intercept_io(struct vcpu *v, uint16_t port);
/* Make accesses to port exit (on) or pass through (off) from the next VM
 * entry on: for intercepts that follow the guest's own state. */
void intercept_io_set(struct vcpu *v, uint16_t port, bool on);

#endif

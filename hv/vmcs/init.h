/*
 * The three parts of a vCPU's VMCS set-up, called in this order by
 * vcpu_init() with the vCPU's VMCS current.
 */
#ifndef HV_VMCS_INIT_H
#define HV_VMCS_INIT_H

#include <stdbool.h>

#include "guest/guest.h"
#include "hv/vmx/caps.h"

struct vcpu;

/* Control fields (hv/vmcs/ctls.c): control words, bitmaps, exception
 * bitmap, CR0/CR4 guest/host masks, VPID, EPT pointer.  Fills v->ctls and
 * v->cr.  False, with the reason logged, when the CPU refuses. */
bool vmcs_ctrl_init(struct vcpu *v, const struct vmx_caps *caps);

/* Point v's (current) VMCS at v->eptp and invalidate what the CPU cached
 * under it (INVEPT single-context, else all-context): a new or rebuilt EPT
 * takes effect at the next VM entry.  False (logged) when INVEPT fails. */
bool vmcs_set_eptp(struct vcpu *v, const struct vmx_caps *caps);

/* Host-state fields (hv/vmcs/host.c): the state of this CPU now, and
 * HOST_RIP = vmx_exit_stub. */
void vmcs_host_init(const struct vcpu *v);

/* Guest-state fields (hv/vmcs/guest.c) from the loader's description,
 * plus the CR read shadows and "IA-32e mode guest".  False, with the
 * reason logged, for a description this CPU cannot run. */
bool vmcs_guest_init(struct vcpu *v, const struct guest_entry *entry);

#endif

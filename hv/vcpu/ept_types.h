/*
 * The guest's EPT memory types follow the guest's MTRRs (docs/vmx.md,
 * "EPT"): after a guest WRMSR that changes what its MTRRs say, the EPT is
 * rebuilt with the guest's types over hardware-WB memory (mm/ept.h:
 * ept_memtype_combine()), the VMCS switched to it and INVEPT run; the old
 * tables go back to the pool.
 */
#ifndef HV_VCPU_EPT_TYPES_H
#define HV_VCPU_EPT_TYPES_H

#include <stdint.h>

struct vcpu;

/* Rebuild v's EPT from v->mtrr, just changed by a guest WRMSR of msr, and
 * log one line (and, for a variable range, the EPT's type at its base).
 * Expects v's VMCS current.  When the new EPT would need too many tables,
 * or the CPU has no INVEPT, the old EPT stays (logged once). */
void ept_types_follow_guest(struct vcpu *v, uint32_t msr);

/* Rebuild v's EPT as it is (the guest's MTRR types when it changed them)
 * so that a new guest_mem_set_window() lands, switch to it and flush.  A
 * failure stops the guest: the window would be unmapped. */
void ept_rebuild_for_window(struct vcpu *v);

#endif

/*
 * VMX detection: CPU identity, CPUID.1:ECX.VMX, IA32_FEATURE_CONTROL, and a
 * summary of the VMX capability MSRs, one line per fact in the log.  When
 * VMX cannot be used, one sentence says why and what to do.
 */
#ifndef HV_VMX_DETECT_H
#define HV_VMX_DETECT_H

#include <stdbool.h>

#include "hv/vmx/caps.h"

/* True when VMX is usable by this hypervisor; caps is filled either way as
 * far as the CPU allowed. Enables and locks IA32_FEATURE_CONTROL when the
 * firmware left it unlocked. */
bool vmx_detect(struct vmx_caps *caps);

/* Enter VMX root mode (VMXON) and leave it again (VMXOFF); logs each step.
 * The foundation's proof that VMX works before the VMX core exists. */
bool vmx_smoke_test(const struct vmx_caps *caps);

#endif

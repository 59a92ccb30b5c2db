/*
 * VMX operation for the run: VMXON once per CPU, kept on while guests run,
 * and VMXOFF when the hypervisor gives the CPU up.  Intel SDM Vol. 3,
 * "Enabling and Entering VMX Operation", "Restrictions on VMX Operation".
 */
#ifndef HV_VMX_ON_H
#define HV_VMX_ON_H

#include <stdbool.h>

#include "hv/vmx/caps.h"

/* Enter VMX root operation on this CPU (nothing to do when it already is):
 * CR0/CR4 fixed bits and CR4.VMXE applied, a VMXON region allocated.
 * Keeps a copy of caps for the rest of the VMX core.  False, with the
 * reason logged, when VMXON fails. */
bool vmx_enable(const struct vmx_caps *caps);

/* Leave VMX operation on this CPU (VMXOFF, CR4.VMXE cleared). */
void vmx_disable(void);

/* The capabilities given to vmx_enable() on this CPU (NULL before). */
const struct vmx_caps *vmx_caps_get(void);

#endif

/*
 * The VMCS region itself: allocation, VMCLEAR, VMPTRLD (Intel SDM Vol. 3,
 * "Format of the VMCS Region", "VMX Instructions"), and the dump of its
 * contents for failure reports (hv/vmcs/dump.c).
 */
#ifndef HV_VMCS_H
#define HV_VMCS_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vmx/insn.h"
#include "hv/vmx/caps.h"

/* A zeroed VMCS region with the revision identifier, cleared (launch
 * state "clear") and made current.  Returns its physical address, 0 (with
 * the reason logged) when VMCLEAR or VMPTRLD fails. */
uint64_t vmcs_create(const struct vmx_caps *caps);

/* Log a failed VMX instruction: VMfailInvalid, or VMfailValid with the
 * VM-instruction error number and its SDM name. */
void vmx_log_failure(const char *insn, enum vmx_result r);

/* The SDM-style name of a VMCS field ("GUEST_CS_ACCESS_RIGHTS"), or NULL
 * for fields the dump does not list. */
const char *vmcs_field_name(uint64_t field);

/* Log the guest-state, host-state and control fields of the current VMCS
 * and the VM-exit information, at error level. */
void vmcs_dump(void);

/* A field of the dump by its name without VMCS_ ("GUEST_RIP"); false when
 * the dump does not know it. */
bool vmcs_field_by_name(const char *name, uint32_t *field);

#endif

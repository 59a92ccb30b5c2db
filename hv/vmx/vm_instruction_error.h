/*
 * VM-instruction error numbers (Intel SDM Vol. 3, "VM Instruction Error
 * Numbers"): read from VMCS_VM_INSTRUCTION_ERROR after a VMX instruction
 * fails with VMfailValid (RFLAGS.ZF = 1).  14, 21 and 27 are unused.
 */
#ifndef HV_VM_INSTRUCTION_ERROR_H
#define HV_VM_INSTRUCTION_ERROR_H

#define VMXERR_VMCALL_IN_VMX_ROOT               1
#define VMXERR_VMCLEAR_INVALID_ADDR             2
#define VMXERR_VMCLEAR_VMXON_POINTER            3
#define VMXERR_VMLAUNCH_NONCLEAR_VMCS           4
#define VMXERR_VMRESUME_NONLAUNCHED_VMCS        5
#define VMXERR_VMRESUME_AFTER_VMXOFF            6
#define VMXERR_ENTRY_INVALID_CONTROL_FIELD      7
#define VMXERR_ENTRY_INVALID_HOST_STATE_FIELD   8
#define VMXERR_VMPTRLD_INVALID_ADDR             9
#define VMXERR_VMPTRLD_VMXON_POINTER            10
#define VMXERR_VMPTRLD_BAD_REVISION_ID          11
#define VMXERR_UNSUPPORTED_VMCS_COMPONENT       12
#define VMXERR_VMWRITE_READ_ONLY_COMPONENT      13
#define VMXERR_VMXON_IN_VMX_ROOT                15
#define VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS     16
#define VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS 17
#define VMXERR_ENTRY_EXECUTIVE_VMCS_NOT_VMXON   18
#define VMXERR_VMCALL_NONCLEAR_VMCS             19
#define VMXERR_VMCALL_INVALID_EXIT_CONTROLS     20
#define VMXERR_VMCALL_BAD_MSEG_REVISION_ID      22
#define VMXERR_VMXOFF_DUAL_MONITOR              23
#define VMXERR_VMCALL_INVALID_SMM_MONITOR       24
#define VMXERR_ENTRY_INVALID_EXECUTIVE_CONTROLS 25
#define VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS   26
#define VMXERR_INVALID_INVEPT_INVVPID_OPERAND   28
#define VMXERR_MAX                              28

#ifndef __ASSEMBLY__
#include <stdint.h>

/* The SDM's description ("VM entry with invalid control field(s)"), or
 * "unknown VM-instruction error" for unused numbers. */
const char *vm_instruction_error_name(uint32_t err);
#endif

#endif

/*
 * IA32_FEATURE_CONTROL (Intel SDM Vol. 3, "Enabling and Entering VMX
 * Operation"): what its value means for VMXON.  The firmware normally
 * locks it; while bit 0 (lock) is clear, VMXON faults, and once it is set
 * the register cannot change until reset.  Pure decision logic, so host
 * unit tests cover every combination; hv/vmx/detect.c reads and writes
 * the MSR.
 */
#ifndef HV_FEATURE_CONTROL_H
#define HV_FEATURE_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

enum feature_control_action {
	/* Locked with VMX enabled where we need it: VMXON may be used. */
	FEATURE_CONTROL_USABLE,
	/* Unlocked: write *write_value (enables VMX and sets the lock, other
	 * bits kept), then VMXON may be used. */
	FEATURE_CONTROL_ENABLE_AND_LOCK,
	/* Locked with VMX disabled where we need it: only the firmware setup
	 * can change that. */
	FEATURE_CONTROL_LOCKED_OFF,
};

/*
 * Decide from the MSR's value and whether the hypervisor runs inside SMX
 * (after GETSEC[SENTER]; this one never does).  *write_value is set only
 * for FEATURE_CONTROL_ENABLE_AND_LOCK.
 */
enum feature_control_action feature_control_decide(uint64_t value,
						   bool in_smx,
						   uint64_t *write_value);

#endif

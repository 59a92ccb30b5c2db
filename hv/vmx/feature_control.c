/*
 * IA32_FEATURE_CONTROL decision (see hv/vmx/feature_control.h).
 */
#include "arch/x86/msr.h"
#include "hv/vmx/feature_control.h"

/* The enable bit VMXON checks: inside SMX it is bit 1, outside bit 2. */
static uint64_t vmx_enable_bit(bool in_smx)
{
	return in_smx ? FEATURE_CONTROL_VMX_INSIDE_SMX
		      : FEATURE_CONTROL_VMX_OUTSIDE_SMX;
}

/* What to do about IA32_FEATURE_CONTROL value: usable when locked with VMX
 * enabled, locked off when locked without it, else enable VMX and lock (into
 * *write_value), keeping the firmware's other bits.  Pure. */
enum feature_control_action feature_control_decide(uint64_t value,
						   bool in_smx,
						   uint64_t *write_value)
{
	uint64_t enable = vmx_enable_bit(in_smx);

	if (value & FEATURE_CONTROL_LOCK)
		return value & enable ? FEATURE_CONTROL_USABLE
				      : FEATURE_CONTROL_LOCKED_OFF;
	/* Keep whatever else the firmware set (SENTER, SGX, LMCE, ...):
	 * locking freezes the register until reset. */
	*write_value = value | enable | FEATURE_CONTROL_LOCK;
	return FEATURE_CONTROL_ENABLE_AND_LOCK;
}

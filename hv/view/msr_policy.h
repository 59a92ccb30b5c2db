/*
 * Where a guest RDMSR/WRMSR that exited goes (pure, unit-tested).
 *
 *  - IA32_FEATURE_CONTROL: reads "locked, VMX off in and outside SMX"
 *    (LOCK only), as firmware that disabled VMX leaves it; writes #GP (a
 *    locked register).  Linux reads it on Intel without a fault handler.
 *  - IA32_VMX_BASIC .. IA32_VMX_PROCBASED_CTLS3 (0x480-0x492): #GP, as on a
 *    CPU without VMX (CPUID hides VMX).
 *  - MSRs the VMCS holds for the guest (SYSENTER_*, DEBUGCTL, FS/GS base,
 *    EFER, PAT when the PAT controls are on): the VMCS field, because the
 *    CPU reloads the MSR from the VMCS at entry and the host's at exit.
 *  - MSRs outside the two ranges the MSR bitmaps cover (0-0x1fff and
 *    0xc0000000-0xc0001fff, where the SDM puts every MSR): #GP without
 *    asking the hardware, so the guest's answer does not depend on how
 *    lenient an emulator is about unknown MSRs.
 *  - Everything else: the real MSR, read or written in root mode with
 *    fault recovery; a #GP there becomes the guest's #GP.
 */
#ifndef HV_MSR_POLICY_H
#define HV_MSR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/msr.h"

/* The two MSR ranges the VMX MSR bitmaps cover (SDM Vol. 3,
 * "VM-Execution Control Fields", "MSR-Bitmap Address"). */
#define MSR_LOW_FIRST           0x00000000u
#define MSR_LOW_LAST            0x00001fffu
#define MSR_HIGH_FIRST          0xc0000000u
#define MSR_HIGH_LAST           0xc0001fffu
#define IA32_VMX_FIRST          IA32_VMX_BASIC
#define IA32_VMX_LAST           IA32_VMX_PROCBASED_CTLS3
#define FEATURE_CONTROL_GUEST   FEATURE_CONTROL_LOCK
#define EFER_GUEST_WRITABLE     (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define CANONICAL_BITS_4LEVEL   48
#define CANONICAL_BITS_5LEVEL   57

enum msr_route {
	MSR_ROUTE_HARDWARE,          /* the real MSR, with fault recovery */
	MSR_ROUTE_FEATURE_CONTROL,
	MSR_ROUTE_VMX_GP,            /* #GP */
	MSR_ROUTE_NONEXISTENT,       /* #GP: outside every MSR range */
	MSR_ROUTE_VMCS,              /* a guest-state field */
	MSR_ROUTE_EFER,              /* guest-state field with LMA rules */
};

static inline enum msr_route msr_route_of(uint32_t msr, bool pat_in_vmcs)
{
	switch (msr) {
	case IA32_FEATURE_CONTROL:
		return MSR_ROUTE_FEATURE_CONTROL;
	case IA32_EFER:
		return MSR_ROUTE_EFER;
	case IA32_SYSENTER_CS: case IA32_SYSENTER_ESP: case IA32_SYSENTER_EIP:
	case IA32_DEBUGCTL: case IA32_FS_BASE: case IA32_GS_BASE:
		return MSR_ROUTE_VMCS;
	case IA32_PAT:
		return pat_in_vmcs ? MSR_ROUTE_VMCS : MSR_ROUTE_HARDWARE;
	default:
		if (msr >= IA32_VMX_FIRST && msr <= IA32_VMX_LAST)
			return MSR_ROUTE_VMX_GP;
		if (msr > MSR_LOW_LAST &&
		    (msr < MSR_HIGH_FIRST || msr > MSR_HIGH_LAST))
			return MSR_ROUTE_NONEXISTENT;
		return MSR_ROUTE_HARDWARE;
	}
}

/*
 * A WRMSR to IA32_EFER: false (#GP) for reserved bits or an LME change
 * while paging is on (SDM "IA32_EFER MSR"); else *out is the new value
 * with LMA kept as it is (WRMSR ignores the written LMA: the CPU sets it
 * when paging turns on).
 */
static inline bool efer_write(uint64_t old, uint64_t value, bool cr0_pg,
			      uint64_t *out)
{
	if (value & ~EFER_GUEST_WRITABLE)
		return false;
	if (cr0_pg && ((old ^ value) & EFER_LME))
		return false;
	*out = (value & ~EFER_LMA) | (old & EFER_LMA);
	return true;
}

static inline bool canonical(uint64_t addr, unsigned bits)
{
	int64_t shifted = (int64_t)(addr << (64 - bits)) >> (64 - bits);

	return (uint64_t)shifted == addr;
}

#endif

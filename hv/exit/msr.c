/*
 * RDMSR / WRMSR exits: the MSR bitmaps (hv/view/intercept.c) let most MSRs
 * through; what exits is routed by hv/view/msr_policy.h.  RDMSR/WRMSR use ECX
 * as the index and EDX:EAX as the value; RDMSR clears bits 63:32 of RAX
 * and RDX.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/msr.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/inject.h"
#include "hv/view/msr_policy.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"

#define LOW32 0xffffffffull

/* The guest's value of an MSR the VMCS holds (SYSENTER, DEBUGCTL, FS/GS
 * base, PAT, EFER).  The caller routed msr here through msr_route_of();
 * anything else reads as EFER. */
static uint64_t vmcs_msr_read(uint32_t msr)
{
	switch (msr) {
	case IA32_SYSENTER_CS:  return vmcs_read32(VMCS_GUEST_IA32_SYSENTER_CS);
	case IA32_SYSENTER_ESP: return vmcs_readnat(VMCS_GUEST_IA32_SYSENTER_ESP);
	case IA32_SYSENTER_EIP: return vmcs_readnat(VMCS_GUEST_IA32_SYSENTER_EIP);
	case IA32_DEBUGCTL:     return vmcs_read64(VMCS_GUEST_IA32_DEBUGCTL);
	case IA32_FS_BASE:      return vmcs_readnat(VMCS_GUEST_FS_BASE);
	case IA32_GS_BASE:      return vmcs_readnat(VMCS_GUEST_GS_BASE);
	case IA32_PAT:          return vmcs_read64(VMCS_GUEST_IA32_PAT);
	default:                return vmcs_read64(VMCS_GUEST_IA32_EFER);
	}
}

/* The CPU accepts a DEBUGCTL value iff WRMSR does: try it in root mode
 * (where the VM exit already cleared DEBUGCTL) and clear it again. */
static bool debugctl_valid(uint64_t value)
{
	bool ok = wrmsr_safe(IA32_DEBUGCTL, value);

	wrmsr_safe(IA32_DEBUGCTL, 0);
	return ok;
}

/* Whether addr is canonical for the guest's paging: 57-bit with CR4.LA57,
 * else 48-bit.  WRMSR of a non-canonical base #GPs. */
static bool address_valid(uint64_t addr)
{
	return canonical(addr, (guest_cr4_view() & CR4_LA57) ?
			 CANONICAL_BITS_5LEVEL : CANONICAL_BITS_4LEVEL);
}

/* False when the guest's WRMSR must #GP, as it would on the CPU. */
static bool vmcs_msr_write(uint32_t msr, uint64_t value)
{
	switch (msr) {
	case IA32_SYSENTER_CS:
		vmcs_write32(VMCS_GUEST_IA32_SYSENTER_CS, value);
		return true;
	case IA32_SYSENTER_ESP:
	case IA32_SYSENTER_EIP:
	case IA32_FS_BASE:
	case IA32_GS_BASE:
		if (!address_valid(value))
			return false;
		if (msr == IA32_SYSENTER_ESP)
			vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_ESP, value);
		else if (msr == IA32_SYSENTER_EIP)
			vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_EIP, value);
		else if (msr == IA32_FS_BASE)
			vmcs_writenat(VMCS_GUEST_FS_BASE, value);
		else
			vmcs_writenat(VMCS_GUEST_GS_BASE, value);
		return true;
	case IA32_DEBUGCTL:
		if (!debugctl_valid(value))
			return false;
		vmcs_write64(VMCS_GUEST_IA32_DEBUGCTL, value);
		return true;
	default:                                /* IA32_PAT */
		if (!pat_valid(value))
			return false;
		vmcs_write64(VMCS_GUEST_IA32_PAT, value);
		return true;
	}
}

/* The guest writes IA32_EFER: the architectural checks and LMA rule are
 * efer_write's (hv/view/msr_policy.h), judged against the guest's own
 * CR0.PG.  False when WRMSR must #GP. */
static bool efer_msr_write(uint64_t value)
{
	uint64_t old = vmcs_read64(VMCS_GUEST_IA32_EFER), next;

	if (!efer_write(old, value, (guest_cr0_view() & CR0_PG) != 0, &next))
		return false;
	vmcs_write64(VMCS_GUEST_IA32_EFER, next);
	return true;
}

/* False: #GP. */
static bool msr_read(const struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr_route_of(msr, v->ctls.pat)) {
	case MSR_ROUTE_FEATURE_CONTROL:
		*value = FEATURE_CONTROL_GUEST;
		return true;
	case MSR_ROUTE_VMX_GP:
	case MSR_ROUTE_NONEXISTENT:
		return false;
	case MSR_ROUTE_VMCS:
	case MSR_ROUTE_EFER:
		*value = vmcs_msr_read(msr);
		return true;
	default:
		return rdmsr_safe(msr, value);
	}
}

/* Carry out the guest's WRMSR of value to msr by its route: VMX and
 * feature-control MSRs and MSRs the CPU lacks refuse, VMCS-held ones go to
 * the VMCS, the rest to the CPU (where a #GP is caught).  False: the guest
 * gets #GP. */
static bool msr_write(const struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr_route_of(msr, v->ctls.pat)) {
	case MSR_ROUTE_FEATURE_CONTROL:
	case MSR_ROUTE_VMX_GP:
	case MSR_ROUTE_NONEXISTENT:
		return false;
	case MSR_ROUTE_VMCS:
		return vmcs_msr_write(msr, value);
	case MSR_ROUTE_EFER:
		return efer_msr_write(value);
	default:
		return wrmsr_safe(msr, value);
	}
}

/* RDMSR exit: read the MSR ECX names by its route into EDX:EAX, or inject
 * #GP (without skipping the instruction) when the CPU would raise it. */
enum exit_action handle_rdmsr(struct vcpu *v, const struct vmexit *e)
{
	uint64_t value;

	(void)e;
	if (!msr_read(v, (uint32_t)v->regs.rcx, &value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	v->regs.rax = value & LOW32;
	v->regs.rdx = value >> 32;
	return EXIT_SKIP_INSTRUCTION;
}

/* WRMSR exit: write EDX:EAX to the MSR ECX names by its route, or inject #GP
 * (without skipping the instruction) when the CPU would raise it. */
enum exit_action handle_wrmsr(struct vcpu *v, const struct vmexit *e)
{
	uint64_t value = (v->regs.rax & LOW32) | (v->regs.rdx << 32);

	(void)e;
	if (!msr_write(v, (uint32_t)v->regs.rcx, value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	return EXIT_SKIP_INSTRUCTION;
}

/*
 * RDMSR / WRMSR exits: the MSR bitmap (hv/view/msr_policy.c) lets only the
 * allow-list through; what exits is routed by hv/view/msr_policy.h.
 * RDMSR/WRMSR use ECX as the index and EDX:EAX as the value; RDMSR clears
 * bits 63:32 of RAX and RDX.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/msr.h"
#include "hv/exit/handlers.h"
#include "hv/lapic/lapic.h"
#include "hv/vcpu/ept_types.h"
#include "hv/vcpu/inject.h"
#include "hv/view/msr_policy.h"
#include "hv/view/xsave_policy.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "lib/bits.h"
#include "lib/format.h"
#include "lib/log.h"


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
		if ((value & DEBUGCTL_GUEST_DENIED) || !debugctl_valid(value))
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

#define MSR_DENIED_LINE_MAX 512

/* The refusals below share one log budget per vCPU (MSR_DENY_LOG_LIMIT
 * lines), so a guest cannot flood the hypervisor's console.  The last
 * line says so. */
static const char *silence_note(const struct vcpu *v)
{
	return v->msr_denials_logged == MSR_DENY_LOG_LIMIT ?
	       " (further MSR refusals not logged)" : "";
}

/* Default-deny: the guest gets #GP; the MSR is recorded for the summary
 * the vCPU prints when it stops (msr_denied_log()), and named at debug
 * level right away. */
static bool deny(struct vcpu *v, uint32_t msr, bool write)
{
	msr_denied_record(&v->msr_denied, msr, write);
	log_debug("guest %s 0x%x: not on the MSR allow-lists, #GP",
		  write ? "WRMSR" : "RDMSR", msr);
	return false;
}

/* One line (or none) naming the MSRs default-deny refused, and how. */
void msr_denied_log(const struct vcpu *v)
{
	const struct msr_denied *d = &v->msr_denied;
	char line[MSR_DENIED_LINE_MAX];
	size_t n = 0;

	if (!d->total)
		return;
	line[0] = '\0';
	for (uint32_t i = 0; i < d->kept && n < sizeof(line); i++)
		n += format(line + n, sizeof(line) - n, "%s0x%x (%s%s%s)",
			    i ? ", " : "", d->msr[i].msr,
			    d->msr[i].read ? "read" : "",
			    d->msr[i].read && d->msr[i].write ? "/" : "",
			    d->msr[i].write ? "write" : "");
	log_info("vcpu%u: %u MSR access(es) refused with #GP (not on the "
		 "allow-lists): %s%s", v->id, d->total, line,
		 d->others ? " and more" : "");
}

/* No microcode loads from a guest: the write is dropped. */
static bool bios_updt_trig_write(struct vcpu *v, uint64_t value)
{
	if (msr_deny_log_take(&v->msr_denials_logged))
		log_warn("guest WRMSR IA32_BIOS_UPDT_TRIG 0x%llx: microcode "
			 "update dropped%s", (unsigned long long)value,
			 silence_note(v));
	return true;
}

/* v's MTRR view, captured from the hardware on first use. */
static struct mtrr_view *mtrr_of(struct vcpu *v)
{
	if (!v->mtrr.ready)
		mtrr_view_capture(&v->mtrr);
	return &v->mtrr;
}

/* WRMSR of an MTRR: into the guest's view (false: #GP); a change of what
 * the guest's MTRRs say rebuilds the EPT's memory types. */
static bool mtrr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	struct mtrr_view *m = mtrr_of(v);
	struct mtrr_view before = *m;

	if (!mtrr_view_write(m, msr, value))
		return false;
	if (mtrr_view_types_changed(&before, m))
		ept_types_follow_guest(v, msr);
	return true;
}

/* The hardware value with "BTS and PEBS unavailable": DS is hidden. */
static bool misc_enable_read(uint64_t *value)
{
	if (!rdmsr_safe(IA32_MISC_ENABLE, value))
		return false;
	*value |= MISC_ENABLE_GUEST_SET;
	return true;
}

/* Only the limits firmware may set and Linux lifts can be cleared, and
 * only automatic thermal control set; any other change (BTS/PEBS
 * availability, fast strings, ...) would reach the host or contradict
 * CPUID: #GP. */
static bool misc_enable_write(uint64_t value)
{
	uint64_t view, clear, set, hw;

	if (!misc_enable_read(&view) ||
	    !misc_enable_write_allowed(view, value, &clear, &set))
		return false;
	if (!clear && !set)
		return true;
	return rdmsr_safe(IA32_MISC_ENABLE, &hw) &&
	       wrmsr_safe(IA32_MISC_ENABLE, (hw & ~clear) | set);
}

/* False: #GP. */
static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr_route_of(msr, false, v->ctls.pat)) {
	case MSR_ROUTE_FEATURE_CONTROL:
		*value = FEATURE_CONTROL_GUEST;
		return true;
	case MSR_ROUTE_VMX_GP:
	case MSR_ROUTE_NONEXISTENT:
	case MSR_ROUTE_BIOS_UPDT_TRIG:
		return false;
	case MSR_ROUTE_DENY:
		return deny(v, msr, false);
	case MSR_ROUTE_VMCS:
	case MSR_ROUTE_EFER:
		*value = vmcs_msr_read(msr);
		return true;
	case MSR_ROUTE_MTRR:
		return mtrr_view_read(mtrr_of(v), msr, value);
	case MSR_ROUTE_MACHINE_CHECK:
		return machine_check_read(msr, value);
	case MSR_ROUTE_MISC_ENABLE:
		return misc_enable_read(value);
	case MSR_ROUTE_VLAPIC:
		return lapic_msr_read(v, msr, value);
	default:                /* HARDWARE */
		return rdmsr_safe(msr, value);
	}
}

/* Carry out the guest's WRMSR of value to msr by its route: VMX and
 * feature-control MSRs and MSRs the CPU lacks refuse, VMCS-held ones go to
 * the VMCS, the rest to the CPU (where a #GP is caught).  False: the guest
 * gets #GP. */
static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr_route_of(msr, true, v->ctls.pat)) {
	case MSR_ROUTE_FEATURE_CONTROL:
	case MSR_ROUTE_VMX_GP:
	case MSR_ROUTE_NONEXISTENT:
		return false;
	case MSR_ROUTE_DENY:
		return deny(v, msr, true);
	case MSR_ROUTE_VMCS:
		return vmcs_msr_write(msr, value);
	case MSR_ROUTE_EFER:
		return efer_msr_write(value);
	case MSR_ROUTE_VLAPIC:
		return lapic_msr_write(v, msr, value);
	case MSR_ROUTE_MTRR:
		return mtrr_write(v, msr, value);
	case MSR_ROUTE_BIOS_UPDT_TRIG:
		return bios_updt_trig_write(v, value);
	case MSR_ROUTE_MACHINE_CHECK:
		return machine_check_write(msr, value);
	case MSR_ROUTE_MISC_ENABLE:
		return misc_enable_write(value);
	case MSR_ROUTE_XSS:
		return !(value & ~xsave_policy()->xss) && wrmsr_safe(msr, value);
	default:                /* HARDWARE */
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
	v->regs.rax = LOW32(value);
	v->regs.rdx = value >> 32;
	return EXIT_SKIP_INSTRUCTION;
}

/* WRMSR exit: write EDX:EAX to the MSR ECX names by its route, or inject #GP
 * (without skipping the instruction) when the CPU would raise it. */
enum exit_action handle_wrmsr(struct vcpu *v, const struct vmexit *e)
{
	uint64_t value = LOW32(v->regs.rax) | (v->regs.rdx << 32);

	(void)e;
	if (!msr_write(v, (uint32_t)v->regs.rcx, value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	return EXIT_SKIP_INSTRUCTION;
}

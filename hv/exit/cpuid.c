/*
 * CPUID exits (unconditional in VMX non-root operation).  The policy is
 * hv/view/cpuid.h: the host's values, VMX hidden, the hypervisor's leaves
 * added, features hidden whose VMX control is off.
 */
#include "arch/x86/cpu.h"
#include "hv/view/cpuid.h"
#include "hv/view/xsave_policy.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/vcpu.h"

/* Only leaves 1 (OSXSAVE) and 7 (OSPKE) mirror guest CR4 bits (see
 * hv/view/cpuid.c): the other leaves skip the three VMREADs of the view. */
static bool leaf_mirrors_cr4(uint32_t leaf)
{
	return leaf == CPUID_LEAF_FEATURES || leaf == CPUID_LEAF_EXT_FEATURES;
}

/* What the CPUID view needs to know of this vCPU: the controls that decide
 * whether RDTSCP, INVPCID and XSAVES exist for the guest, the XSAVE
 * components it may use, and for leaves 1 and 7 the guest's own
 * CR4.OSXSAVE and CR4.PKE.  Reads the current VMCS
 * only for those two leaves. */
static struct cpuid_guest_cfg guest_cfg(const struct vcpu *v, uint32_t leaf)
{
	uint64_t cr4 = leaf_mirrors_cr4(leaf) ? guest_cr4_view() : 0;

	return (struct cpuid_guest_cfg){
		.rdtscp = v->ctls.rdtscp,
		.invpcid = v->ctls.invpcid,
		.xsaves = v->ctls.xsaves,
		.cr4_osxsave = (cr4 & CR4_OSXSAVE) != 0,
		.cr4_pke = (cr4 & CR4_PKE) != 0,
		.apic_disabled = vlapic_mode(&v->lapic.model) == VLAPIC_DISABLED,
		.xcr0_allowed = xsave_policy()->xcr0,
		.xss_allowed = xsave_policy()->xss,
		.xsave_size = xsave_policy()->size,
	};
}

/* The results zero-extend into RAX..RDX. */
static enum exit_action return_regs(struct vcpu *v, struct cpuid_regs r)
{
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	return EXIT_SKIP_INSTRUCTION;
}

/* EAX = leaf, ECX = subleaf. */
static uint32_t leaf_of(const struct vcpu *v)
{
	return (uint32_t)v->regs.rax;
}

/* The subleaf (ECX) of the CPUID that exited; leaves without subleaves
 * ignore it. */
static uint32_t subleaf_of(const struct vcpu *v)
{
	return (uint32_t)v->regs.rcx;
}

/* A leaf the view adjusts (out of line: the common path stays small). */
static __attribute__((noinline)) enum exit_action cpuid_adjusted(struct vcpu *v)
{
	struct cpuid_guest_cfg cfg = guest_cfg(v, leaf_of(v));
	struct cpuid_regs r = cpuid(leaf_of(v), subleaf_of(v));

	cpuid_guest_view(&cfg, leaf_of(v), subleaf_of(v), &r);
	return return_regs(v, r);
}

/* Most leaves (leaf 0 among them) are the host's as they are: no view,
 * no guest-state reads. */
enum exit_action handle_cpuid(struct vcpu *v, const struct vmexit *e)
{
	(void)e;
	if (!cpuid_leaf_is_host(leaf_of(v)))
		return cpuid_adjusted(v);
	return return_regs(v, cpuid(leaf_of(v), subleaf_of(v)));
}

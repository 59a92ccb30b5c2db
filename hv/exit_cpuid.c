/*
 * CPUID exits (unconditional in VMX non-root operation).  The policy is
 * hv/cpuid_view.h: the host's values, VMX hidden, the hypervisor's leaves
 * added, features hidden whose VMX control is off.
 */
#include "arch/x86/cpu.h"
#include "hv/cpuid_view.h"
#include "hv/exit_handlers.h"
#include "hv/vcpu.h"

/* Only leaves 1 (OSXSAVE) and 7 (OSPKE) mirror guest CR4 bits (see
 * hv/cpuid_view.c): the other leaves skip the three VMREADs of the view. */
static bool leaf_mirrors_cr4(uint32_t leaf)
{
	return leaf == CPUID_LEAF_FEATURES || leaf == CPUID_LEAF_EXT_FEATURES;
}

static struct cpuid_guest_cfg guest_cfg(const struct vcpu *v, uint32_t leaf)
{
	uint64_t cr4 = leaf_mirrors_cr4(leaf) ? guest_cr4_view() : 0;

	return (struct cpuid_guest_cfg){
		.rdtscp = v->ctls.rdtscp,
		.invpcid = v->ctls.invpcid,
		.xsaves = v->ctls.xsaves,
		.cr4_osxsave = (cr4 & CR4_OSXSAVE) != 0,
		.cr4_pke = (cr4 & CR4_PKE) != 0,
	};
}

/* EAX = leaf, ECX = subleaf; results zero-extend into RAX..RDX. */
enum exit_action handle_cpuid(struct vcpu *v, const struct vmexit *e)
{
	uint32_t leaf = (uint32_t)v->regs.rax, subleaf = (uint32_t)v->regs.rcx;
	struct cpuid_guest_cfg cfg = guest_cfg(v, leaf);
	struct cpuid_regs r = cpuid(leaf, subleaf);

	(void)e;
	cpuid_guest_view(&cfg, leaf, subleaf, &r);
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	return EXIT_SKIP_INSTRUCTION;
}

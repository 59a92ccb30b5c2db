/*
 * Guest-linear memory (guest_linear.h): the VMCS glue around the pure walk
 * of hv/vcpu/page_walk.c.  The paging registers come from the current
 * VMCS (the vCPU's own, loaded while it handles an exit); guest-physical
 * memory is reached through copy_from_guest()/copy_to_guest() only.
 */
#include "hv/vcpu/guest_linear.h"

#include "arch/x86/cpu.h"
#include "hv/vcpu/page_walk.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmx/insn.h"
#include "mm/guest_copy.h"

#define CPL_USER    3

/* copy_from_guest() in the shape of guest_phys_mem.read. */
static bool phys_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	(void)ctx;
	return copy_from_guest(dst, gpa, len);
}

/* copy_to_guest() in the shape of guest_phys_mem.write. */
static bool phys_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	return copy_to_guest(gpa, src, len);
}

static const struct guest_phys_mem guest_ram = { NULL, phys_read, phys_write };

/* Whether the CPU maps 1-GiB pages: the hardware decides, not the guest's
 * CPUID view. */
static bool cpu_gbpages(void)
{
	if (cpuid(CPUID_EXT_MAX_LEAF, 0).eax < CPUID_EXT_FEATURES)
		return false;
	return cpuid(CPUID_EXT_FEATURES, 0).edx & CPUID_80000001_EDX_PDPE1GB;
}

/* The guest's paging registers from the current VMCS.  GUEST_CR0/CR4 are
 * the values the CPU translates with (not the read shadows); the PDPTE
 * fields hold the guest's PDPTE registers under EPT.  PKRU stays 0 (no
 * key refuses): root mode runs without CR4.PKE and cannot read the
 * guest's PKRU, so protection keys are not checked here. */
void guest_paging_regs(struct paging_regs *r)
{
	*r = (struct paging_regs){
		.cr0 = vmcs_read(VMCS_GUEST_CR0),
		.cr3 = vmcs_read(VMCS_GUEST_CR3),
		.cr4 = vmcs_read(VMCS_GUEST_CR4),
		.efer = vmcs_read64(VMCS_GUEST_IA32_EFER),
		.rflags = vmcs_read(VMCS_GUEST_RFLAGS),
		.maxphyaddr = (uint8_t)cpu_maxphyaddr(),
		.gbpages = cpu_gbpages(),
	};
	if ((r->cr0 & CR0_PG) && (r->cr4 & CR4_PAE) && !(r->efer & EFER_LMA)) {
		r->pdpte[0] = vmcs_read64(VMCS_GUEST_PDPTE0);
		r->pdpte[1] = vmcs_read64(VMCS_GUEST_PDPTE1);
		r->pdpte[2] = vmcs_read64(VMCS_GUEST_PDPTE2);
		r->pdpte[3] = vmcs_read64(VMCS_GUEST_PDPTE3);
	}
}

uint32_t guest_linear_cpl_flags(struct vcpu *v)
{
	uint32_t ss_ar = vmcs_read32(VMCS_GUEST_SS_ACCESS_RIGHTS);

	(void)v;
	return AR_DPL(ss_ar) == CPL_USER ? GLA_USER : GLA_EXPLICIT;
}

enum gla_result guest_linear_translate(struct vcpu *v, uint64_t gla,
				       enum gla_access access, uint32_t flags,
				       uint64_t *gpa, struct gla_fault *fault)
{
	struct paging_regs r;

	(void)v;
	guest_paging_regs(&r);
	return page_walk(&r, &guest_ram, gla, access, flags, false, gpa, fault);
}

enum gla_result guest_linear_read(struct vcpu *v, uint64_t gla, void *dst,
				  size_t len, enum gla_access access,
				  uint32_t flags, struct gla_fault *fault)
{
	struct paging_regs r;

	(void)v;
	guest_paging_regs(&r);
	return page_walk_read(&r, &guest_ram, gla, dst, len, access, flags, fault);
}

enum gla_result guest_linear_write(struct vcpu *v, uint64_t gla,
				   const void *src, size_t len, uint32_t flags,
				   struct gla_fault *fault)
{
	struct paging_regs r;

	(void)v;
	guest_paging_regs(&r);
	return page_walk_write(&r, &guest_ram, gla, src, len, flags, fault);
}

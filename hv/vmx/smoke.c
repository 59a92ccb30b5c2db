/*
 * VMXON/VMXOFF smoke test (see hv/vmx/detect.h): enter VMX root operation
 * once and leave it again, the proof that VMX works before the VMX core
 * exists.  Intel SDM Vol. 3, "Enabling and Entering VMX Operation",
 * "Restrictions on VMX Operation" (the CR0/CR4 fixed bits).
 */
#include "arch/x86/cpu.h"
#include "hv/vmx/vm_instruction_error.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/detect.h"
#include "hv/vmcs/vmcs.h"
#include "lib/log.h"
#include "mm/pmm.h"

/* VMX operation needs every bit FIXED0 has set and no bit FIXED1 has
 * clear (Appendix A.7, A.8). */
static uint64_t apply_fixed_bits(uint64_t cr, uint64_t fixed0, uint64_t fixed1)
{
	return (cr | fixed0) & fixed1;
}

/* Pages for a VMXON region, which is as large as a VMCS region
 * (IA32_VMX_BASIC); at least one. */
static uint64_t vmxon_region_pages(const struct vmx_caps *caps)
{
	uint64_t pages = (caps->vmcs_size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	return pages ? pages : 1;
}

/* How far the smoke test got; what may be undone depends on it. */
enum smoke_outcome {
	SMOKE_OK,               /* in and out again */
	SMOKE_NOT_ENTERED,      /* VMXON failed invalid: never entered */
	SMOKE_STUCK_IN_VMX,     /* VMXON failed valid (already in VMX
				   operation) or VMXOFF failed */
};

/* VMXON and VMXOFF with CR0/CR4 already prepared. */
static enum smoke_outcome vmxon_vmxoff(uint64_t region, uint32_t revision_id)
{
	enum vmx_result r = vmxon(region);

	if (r != VMX_SUCCEED) {
		vmx_log_failure("VMXON", r);
		return r == VMX_FAIL_INVALID ? SMOKE_NOT_ENTERED
					     : SMOKE_STUCK_IN_VMX;
	}
	log_info("VMXON: ok (VMCS revision id %#x)", revision_id);
	r = vmxoff();
	if (r != VMX_SUCCEED) {
		vmx_log_failure("VMXOFF", r);
		return SMOKE_STUCK_IN_VMX;
	}
	log_info("VMXOFF: ok");
	return SMOKE_OK;
}

/* Prove VMX operation works when there is no guest: prepare CR0/CR4, VMXON,
 * VMXOFF, and undo what can be undone.  Expects VMX detected usable and not
 * yet entered on this CPU; false with the failing step logged. */
bool vmx_smoke_test(const struct vmx_caps *caps)
{
	const struct vmx_msrs *m = &caps->msr;
	uint64_t pages = vmxon_region_pages(caps);
	/* Write-back RAM below 2^MAXPHYADDR, 4 KiB aligned; on Intel 64
	 * IA32_VMX_BASIC[48] is 0, so any address will do. */
	uint64_t region = pmm_alloc_pages(pages);
	uint64_t cr4 = read_cr4();

	/* The region starts with the VMCS revision identifier, bit 31 clear. */
	*(volatile uint32_t *)(uintptr_t)region = caps->vmcs_revision_id;
	write_cr0(apply_fixed_bits(read_cr0(), m->cr0_fixed0, m->cr0_fixed1));
	write_cr4(apply_fixed_bits(cr4 | CR4_VMXE, m->cr4_fixed0,
				   m->cr4_fixed1));

	enum smoke_outcome outcome = vmxon_vmxoff(region, caps->vmcs_revision_id);

	/* Inside VMX operation clearing CR4.VMXE is #GP and the region still
	 * belongs to the CPU: leave both; the caller stops anyway. */
	if (outcome == SMOKE_STUCK_IN_VMX)
		return false;
	write_cr4((read_cr4() & ~CR4_VMXE) | (cr4 & CR4_VMXE));
	pmm_free(region, pages);
	return outcome == SMOKE_OK;
}

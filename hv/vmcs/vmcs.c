/*
 * VMCS allocation and loading (see hv/vmcs/vmcs.h), and the report for a failed
 * VMREAD/VMWRITE (hv/vmx/insn.h): both are broken hypervisor invariants.
 */
#include "arch/x86/panic.h"
#include "hv/vmx/vm_instruction_error.h"
#include "hv/vmcs/vmcs.h"
#include "lib/log.h"
#include "mm/pmm.h"

/* Log that VMX instruction insn failed with r, naming the VM-instruction
 * error when VMfailValid left one in the current VMCS.  Logs only; the
 * caller decides what the failure means. */
void vmx_log_failure(const char *insn, enum vmx_result r)
{
	uint64_t err = 0;

	if (r == VMX_FAIL_VALID &&
	    vmread_raw(VMCS_VM_INSTRUCTION_ERROR, &err) == VMX_SUCCEED)
		log_error("%s failed: VM-instruction error %llu (%s)", insn,
			  (unsigned long long)err,
			  vm_instruction_error_name((uint32_t)err));
	else if (r == VMX_FAIL_VALID)
		log_error("%s failed: VMfailValid", insn);
	else
		log_error("%s failed: VMfailInvalid (no current VMCS or bad "
			  "pointer)", insn);
}

/* A VMREAD or VMWRITE of field failed: log the VMX failure, then panic
 * naming the field.  A field access can only fail through a hypervisor bug
 * (wrong field or no current VMCS). */
void vmcs_access_failed(const char *what, uint64_t field, enum vmx_result r)
{
	const char *name = vmcs_field_name(field);

	vmx_log_failure(what, r);
	panic("vmcs_access_failed: %s of field %#llx (%s) failed", what,
	      (unsigned long long)field, name ? name : "unnamed field");
}

/* Allocate a VMCS region for this CPU's VMX (size and revision from caps),
 * clear it and make it current.  Expects VMX operation on this CPU.  Returns
 * its physical address, or 0 with the reason logged (the pages are not freed
 * then). */
uint64_t vmcs_create(const struct vmx_caps *caps)
{
	uint64_t pages = (caps->vmcs_size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t vmcs = pmm_alloc_pages(pages ? pages : 1);
	enum vmx_result r;

	/* Bit 31 clear: an ordinary VMCS, not a shadow VMCS. */
	*(volatile uint32_t *)(uintptr_t)vmcs = caps->vmcs_revision_id;
	r = vmclear(vmcs);
	if (r != VMX_SUCCEED) {
		vmx_log_failure("VMCLEAR", r);
		return 0;
	}
	r = vmptrld(vmcs);
	if (r != VMX_SUCCEED) {
		vmx_log_failure("VMPTRLD", r);
		return 0;
	}
	return vmcs;
}

/*
 * VMXON/VMXOFF for the run (see hv/vmx/vmxon.h).  One VMXON region per CPU,
 * indexed by the dense CPU id; the region belongs to the CPU until VMXOFF
 * and is never touched by software in between (SDM Vol. 3, "VMXON Region").
 */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "hv/vmx/vm_instruction_error.h"
#include "hv/vmx/insn.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/vmxon.h"
#include "lib/log.h"
#include "mm/pmm.h"

static struct vmx_caps caps_copy;
static bool caps_valid;
static uint64_t vmxon_region[MAX_CPUS];     /* 0: not in VMX operation */

/* VMX operation needs every bit FIXED0 has set and no bit FIXED1 has
 * clear (Appendix A.7, A.8). */
static uint64_t apply_fixed(uint64_t cr, uint64_t fixed0, uint64_t fixed1)
{
	return (cr | fixed0) & fixed1;
}

/* Pages for a VMXON region (the VMCS size IA32_VMX_BASIC reports), at least
 * one. */
static uint64_t region_pages(const struct vmx_caps *caps)
{
	uint64_t pages = (caps->vmcs_size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	return pages ? pages : 1;
}

/* Force the CR0/CR4 bits VMX operation fixes and set CR4.VMXE on this CPU,
 * as VMXON requires. */
static void prepare_control_registers(const struct vmx_msrs *m)
{
	write_cr0(apply_fixed(read_cr0(), m->cr0_fixed0, m->cr0_fixed1));
	write_cr4(apply_fixed(read_cr4() | CR4_VMXE, m->cr4_fixed0,
			      m->cr4_fixed1));
}

/* Enter VMX root operation on this CPU with a fresh VMXON region, and keep
 * caps for vmx_caps_get().  Nothing to do when this CPU already is in VMX
 * operation.  Expects vmx_detect() to have said yes; false, logged, when
 * VMXON fails (the region is freed then). */
bool vmx_enable(const struct vmx_caps *caps)
{
	uint32_t cpu = this_cpu_id();

	caps_copy = *caps;
	caps_valid = true;
	if (vmxon_region[cpu])
		return true;

	uint64_t pages = region_pages(caps);
	uint64_t region = pmm_alloc_pages(pages);

	/* The region starts with the VMCS revision identifier, bit 31 clear. */
	*(volatile uint32_t *)(uintptr_t)region = caps->vmcs_revision_id;
	prepare_control_registers(&caps->msr);
	enum vmx_result r = vmxon(region);
	if (r != VMX_SUCCEED) {
		vmx_log_failure("vmx_enable: VMXON", r);
		pmm_free(region, pages);
		return false;
	}
	vmxon_region[cpu] = region;
	log_info("vmx: cpu%u in VMX root operation (VMXON region %#llx)", cpu,
		 (unsigned long long)region);
	return true;
}

/* Leave VMX operation on this CPU (VMXOFF, clear CR4.VMXE) and free its
 * VMXON region; nothing to do when it is not in VMX operation.  Before a
 * machine reset, which INIT-based paths would not get through in VMX
 * operation. */
void vmx_disable(void)
{
	uint32_t cpu = this_cpu_id();

	if (!vmxon_region[cpu])
		return;
	if (vmxoff() != VMX_SUCCEED) {
		log_error("vmx_disable: VMXOFF failed on cpu%u", cpu);
		return;
	}
	write_cr4(read_cr4() & ~CR4_VMXE);
	pmm_free(vmxon_region[cpu], region_pages(&caps_copy));
	vmxon_region[cpu] = 0;
}

/* The capabilities vmx_enable() was given, or NULL before any vmx_enable().
 */
const struct vmx_caps *vmx_caps_get(void)
{
	return caps_valid ? &caps_copy : NULL;
}

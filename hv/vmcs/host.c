/*
 * Host-state area (Intel SDM Vol. 3, "Host-State Area", "Checks on Host
 * Control Registers and MSRs", "Checks on Host Segment and Descriptor-
 * Table Registers"): what the CPU loads on every VM exit.  It is this
 * CPU's state as it is now (per-CPU GDT, TSS and %gs base), so it must be
 * written on the CPU that runs the vCPU.  HOST_RSP is written by
 * hv/vcpu/vmx_run.S before each entry.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "hv/vcpu/regs.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/init.h"
#include "hv/vmx/insn.h"

/* The landing point of every VM exit (hv/vcpu/vmx_run.S). */
void vmx_exit_stub(void);

/* The base of the IDT this CPU uses now (SIDT), for HOST_IDTR_BASE. */
static uint64_t read_idtr_base(void)
{
	struct desc_ptr idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	return idtr.base;
}

/* Selectors are the hypervisor's own GDT's; FS and GS are null (their
 * bases come from the MSRs), which is allowed for them. */
static void write_host_selectors(void)
{
	vmcs_write16(VMCS_HOST_CS_SELECTOR, SEL_CODE);
	vmcs_write16(VMCS_HOST_SS_SELECTOR, SEL_DATA);
	vmcs_write16(VMCS_HOST_DS_SELECTOR, SEL_DATA);
	vmcs_write16(VMCS_HOST_ES_SELECTOR, SEL_DATA);
	vmcs_write16(VMCS_HOST_FS_SELECTOR, 0);
	vmcs_write16(VMCS_HOST_GS_SELECTOR, 0);
	vmcs_write16(VMCS_HOST_TR_SELECTOR, SEL_TSS);
}

/* FS, GS, TR, GDTR and IDTR bases of this CPU; cpu must be this CPU's
 * per-CPU block. */
static void write_host_bases(const struct percpu *cpu)
{
	vmcs_writenat(VMCS_HOST_FS_BASE, rdmsr(IA32_FS_BASE));
	/* %gs base is the percpu pointer: this_cpu() works after an exit. */
	vmcs_writenat(VMCS_HOST_GS_BASE, (uint64_t)(uintptr_t)cpu);
	vmcs_writenat(VMCS_HOST_TR_BASE, (uint64_t)(uintptr_t)&cpu->tss);
	vmcs_writenat(VMCS_HOST_GDTR_BASE, (uint64_t)(uintptr_t)cpu->gdt);
	vmcs_writenat(VMCS_HOST_IDTR_BASE, read_idtr_base());
}

/* The host MSR fields from this CPU's current values; PAT only when the exit
 * control loads it. */
static void write_host_msrs(const struct vcpu *v)
{
	vmcs_write32(VMCS_HOST_IA32_SYSENTER_CS, (uint32_t)rdmsr(IA32_SYSENTER_CS));
	vmcs_writenat(VMCS_HOST_IA32_SYSENTER_ESP, rdmsr(IA32_SYSENTER_ESP));
	vmcs_writenat(VMCS_HOST_IA32_SYSENTER_EIP, rdmsr(IA32_SYSENTER_EIP));
	vmcs_write64(VMCS_HOST_IA32_EFER, rdmsr(IA32_EFER));
	if (v->ctls.pat)
		vmcs_write64(VMCS_HOST_IA32_PAT, rdmsr(IA32_PAT));
}

/* Write the host-state area from this CPU's current state, so that every VM
 * exit lands in vmx_exit_stub with this CPU's CRs, GDT, TSS and per-CPU %gs.
 * Expects v's VMCS current on the CPU that will run it. */
void vmcs_host_init(const struct vcpu *v)
{
	const struct percpu *cpu = this_cpu();

	vmcs_writenat(VMCS_HOST_CR0, read_cr0());
	vmcs_writenat(VMCS_HOST_CR3, read_cr3());
	vmcs_writenat(VMCS_HOST_CR4, read_cr4());
	write_host_selectors();
	write_host_bases(cpu);
	write_host_msrs(v);
	vmcs_writenat(VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_stub);
}

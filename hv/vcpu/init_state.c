/*
 * The INIT state of a vCPU (see hv/vcpu/init_state.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/vcpu/init_state.h"

#ifndef HOST_UNIT_TEST
#include "hv/exit/handlers.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/view/cr.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/insn.h"
#endif


/* The INIT column of the SDM table (see init_state.h). */
struct init_state init_state_of(uint64_t old_cr0, uint32_t signature, bool bsp)
{
	struct init_state s = {
		.cr0 = (old_cr0 & (CR0_CD | CR0_NW)) | CR0_ET,
		.rflags = RFLAGS_FIXED,
		.rip = INIT_RIP,
		.rdx = signature,
		.cs = { INIT_CS_SELECTOR, INIT_CS_BASE, INIT_SEG_LIMIT,
			INIT_AR_CODE },
		.data = { 0, 0, INIT_SEG_LIMIT, INIT_AR_DATA },
		.ldtr = { 0, 0, INIT_SEG_LIMIT, INIT_AR_LDTR },
		.tr = { 0, 0, INIT_SEG_LIMIT, INIT_AR_TR },
		.gdtr_limit = INIT_SEG_LIMIT,
		.idtr_limit = INIT_SEG_LIMIT,
		.wait_for_sipi = !bsp,
	};

	return s;
}

#ifndef HOST_UNIT_TEST
static const enum guest_seg data_segs[] = {
	GUEST_SEG_DS, GUEST_SEG_ES, GUEST_SEG_FS, GUEST_SEG_GS, GUEST_SEG_SS,
};

/* Write one segment register from the INIT table. */
static void write_seg(enum guest_seg seg, const struct init_segment *s)
{
	vmcs_write_guest_seg(seg, s->selector, s->base, s->limit, s->ar);
}

/* Segments, descriptor tables, RIP/RFLAGS and the activity state. */
static void load_registers(const struct init_state *s)
{
	write_seg(GUEST_SEG_CS, &s->cs);
	for (unsigned i = 0; i < sizeof(data_segs) / sizeof(data_segs[0]); i++)
		write_seg(data_segs[i], &s->data);
	write_seg(GUEST_SEG_LDTR, &s->ldtr);
	write_seg(GUEST_SEG_TR, &s->tr);
	vmcs_writenat(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write32(VMCS_GUEST_GDTR_LIMIT, s->gdtr_limit);
	vmcs_writenat(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write32(VMCS_GUEST_IDTR_LIMIT, s->idtr_limit);
	vmcs_writenat(VMCS_GUEST_RIP, s->rip);
	vmcs_writenat(VMCS_GUEST_RSP, 0);
	vmcs_writenat(VMCS_GUEST_RFLAGS, s->rflags);
	vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE, 0);
	vmcs_writenat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
	vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, s->wait_for_sipi ?
		     GUEST_ACTIVITY_WAIT_SIPI : GUEST_ACTIVITY_ACTIVE);
}

/* CR0 (real value with the VMX fixed bits, the guest's view in the read
 * shadow), CR3, CR4 and EFER as INIT leaves them; IA-32e mode off. */
static void load_control_registers(struct vcpu *v, const struct init_state *s)
{
	vmcs_writenat(VMCS_GUEST_CR0, guest_cr0_real(&v->cr, s->cr0));
	vmcs_writenat(VMCS_CR0_READ_SHADOW, guest_cr0_shadow(s->cr0));
	vmcs_writenat(VMCS_GUEST_CR4, guest_cr4_real(&v->cr, 0));
	vmcs_writenat(VMCS_CR4_READ_SHADOW, guest_cr4_shadow(0));
	vmcs_writenat(VMCS_GUEST_CR3, 0);
	vmcs_write64(VMCS_GUEST_IA32_EFER, 0);
	v->ctls.word[ENTRY_CTLS] &= ~ENTRY_CTLS_IA32E_MODE;
	vmcs_write32(VMCS_ENTRY_CTLS, v->ctls.word[ENTRY_CTLS]);
}

/* DR0-DR3 and DR6 are not in the VMCS: the guest's are the CPU's own. */
static void load_debug_registers(void)
{
	write_dr0(0);
	write_dr1(0);
	write_dr2(0);
	write_dr3(0);
	write_dr6(INIT_DR6);
	vmcs_writenat(VMCS_GUEST_DR7, INIT_DR7);
	vmcs_write64(VMCS_GUEST_IA32_DEBUGCTL, 0);
}

/* Load the INIT state into v's VMCS (see init_state.h); the BSP flag comes
 * from the CPU the vCPU runs on. */
void init_state_load(struct vcpu *v)
{
	bool bsp = (rdmsr(IA32_APIC_BASE) & APIC_BASE_BSP) != 0;
	struct init_state s = init_state_of(guest_cr0_view(),
					    cpuid(CPUID_LEAF_FEATURES, 0).eax,
					    bsp);

	load_registers(&s);
	load_control_registers(v, &s);
	load_debug_registers();
	vmcs_write32(VMCS_GUEST_IA32_SYSENTER_CS, 0);
	vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_ESP, 0);
	vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_EIP, 0);
	v->regs = (struct guest_regs){ .rdx = s.rdx };
	inject_discard(v);
}
#endif

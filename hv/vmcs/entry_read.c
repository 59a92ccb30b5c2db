/*
 * Filling struct vmentry_state (hv/vmcs/entry_check.h) from the current VMCS,
 * and the logging front end of the check.
 */
#include "arch/x86/cpu.h"
#include "hv/vmcs/entry_check.h"
#include "hv/vmcs/fields.h"
#include "hv/vmx/insn.h"
#include "lib/log.h"

/* A field the CPU may not have (e.g. VPID without the secondary controls)
 * reads as 0 instead of stopping the hypervisor. */
static uint64_t read_or_zero(uint64_t field)
{
	uint64_t v;

	return vmread_raw(field, &v) == VMX_SUCCEED ? v : 0;
}

/* The control fields the rules look at, from the current VMCS. */
static void read_controls(struct vmentry_state *s)
{
	s->pin = (uint32_t)read_or_zero(VMCS_PINBASED_CTLS);
	s->proc = (uint32_t)read_or_zero(VMCS_PROCBASED_CTLS);
	s->proc2 = (uint32_t)read_or_zero(VMCS_PROCBASED_CTLS2);
	s->exit = (uint32_t)read_or_zero(VMCS_EXIT_CTLS);
	s->entry = (uint32_t)read_or_zero(VMCS_ENTRY_CTLS);
	s->cr3_target_count = (uint32_t)read_or_zero(VMCS_CR3_TARGET_COUNT);
	s->io_bitmap_a = read_or_zero(VMCS_IO_BITMAP_A_ADDR);
	s->io_bitmap_b = read_or_zero(VMCS_IO_BITMAP_B_ADDR);
	s->msr_bitmap = read_or_zero(VMCS_MSR_BITMAP_ADDR);
	s->eptp = read_or_zero(VMCS_EPT_POINTER);
	s->vpid = (uint16_t)read_or_zero(VMCS_VPID);
	s->entry_intr_info = (uint32_t)read_or_zero(VMCS_ENTRY_INTR_INFO);
}

/* The host-state fields the rules look at, from the current VMCS (LDTR has
 * no host selector). */
static void read_host(struct vmentry_state *s)
{
	s->host_cr0 = read_or_zero(VMCS_HOST_CR0);
	s->host_cr3 = read_or_zero(VMCS_HOST_CR3);
	s->host_cr4 = read_or_zero(VMCS_HOST_CR4);
	s->host_sel[VMENTRY_SEG_ES] = (uint16_t)read_or_zero(VMCS_HOST_ES_SELECTOR);
	s->host_sel[VMENTRY_SEG_CS] = (uint16_t)read_or_zero(VMCS_HOST_CS_SELECTOR);
	s->host_sel[VMENTRY_SEG_SS] = (uint16_t)read_or_zero(VMCS_HOST_SS_SELECTOR);
	s->host_sel[VMENTRY_SEG_DS] = (uint16_t)read_or_zero(VMCS_HOST_DS_SELECTOR);
	s->host_sel[VMENTRY_SEG_FS] = (uint16_t)read_or_zero(VMCS_HOST_FS_SELECTOR);
	s->host_sel[VMENTRY_SEG_GS] = (uint16_t)read_or_zero(VMCS_HOST_GS_SELECTOR);
	s->host_sel[VMENTRY_SEG_TR] = (uint16_t)read_or_zero(VMCS_HOST_TR_SELECTOR);
	s->host_fs_base = read_or_zero(VMCS_HOST_FS_BASE);
	s->host_gs_base = read_or_zero(VMCS_HOST_GS_BASE);
	s->host_tr_base = read_or_zero(VMCS_HOST_TR_BASE);
	s->host_gdtr_base = read_or_zero(VMCS_HOST_GDTR_BASE);
	s->host_idtr_base = read_or_zero(VMCS_HOST_IDTR_BASE);
	s->host_sysenter_esp = read_or_zero(VMCS_HOST_IA32_SYSENTER_ESP);
	s->host_sysenter_eip = read_or_zero(VMCS_HOST_IA32_SYSENTER_EIP);
	s->host_efer = read_or_zero(VMCS_HOST_IA32_EFER);
	s->host_pat = read_or_zero(VMCS_HOST_IA32_PAT);
	s->host_rip = read_or_zero(VMCS_HOST_RIP);
}

/* Per segment: selector, base, limit, access rights, in enum
 * vmentry_seg order. */
static const uint32_t seg_fields[VMENTRY_SEGS][4] = {
	VMCS_GUEST_SEG_FIELDS(ES), VMCS_GUEST_SEG_FIELDS(CS),
	VMCS_GUEST_SEG_FIELDS(SS), VMCS_GUEST_SEG_FIELDS(DS),
	VMCS_GUEST_SEG_FIELDS(FS), VMCS_GUEST_SEG_FIELDS(GS),
	VMCS_GUEST_SEG_FIELDS(LDTR), VMCS_GUEST_SEG_FIELDS(TR),
};

/* The eight guest segment registers and GDTR/IDTR, from the current VMCS. */
static void read_guest_segments(struct vmentry_state *s)
{
	for (int i = 0; i < VMENTRY_SEGS; i++) {
		s->seg[i].sel = (uint16_t)read_or_zero(seg_fields[i][0]);
		s->seg[i].base = read_or_zero(seg_fields[i][1]);
		s->seg[i].limit = (uint32_t)read_or_zero(seg_fields[i][2]);
		s->seg[i].ar = (uint32_t)read_or_zero(seg_fields[i][3]);
	}
	s->gdtr_base = read_or_zero(VMCS_GUEST_GDTR_BASE);
	s->idtr_base = read_or_zero(VMCS_GUEST_IDTR_BASE);
	s->gdtr_limit = (uint32_t)read_or_zero(VMCS_GUEST_GDTR_LIMIT);
	s->idtr_limit = (uint32_t)read_or_zero(VMCS_GUEST_IDTR_LIMIT);
}

/* The guest-state fields the rules look at, from the current VMCS. */
static void read_guest(struct vmentry_state *s)
{
	s->guest_cr0 = read_or_zero(VMCS_GUEST_CR0);
	s->guest_cr3 = read_or_zero(VMCS_GUEST_CR3);
	s->guest_cr4 = read_or_zero(VMCS_GUEST_CR4);
	s->guest_dr7 = read_or_zero(VMCS_GUEST_DR7);
	s->guest_debugctl = read_or_zero(VMCS_GUEST_IA32_DEBUGCTL);
	s->guest_efer = read_or_zero(VMCS_GUEST_IA32_EFER);
	s->guest_pat = read_or_zero(VMCS_GUEST_IA32_PAT);
	s->guest_sysenter_esp = read_or_zero(VMCS_GUEST_IA32_SYSENTER_ESP);
	s->guest_sysenter_eip = read_or_zero(VMCS_GUEST_IA32_SYSENTER_EIP);
	read_guest_segments(s);
	s->rip = read_or_zero(VMCS_GUEST_RIP);
	s->rflags = read_or_zero(VMCS_GUEST_RFLAGS);
	s->activity = (uint32_t)read_or_zero(VMCS_GUEST_ACTIVITY_STATE);
	s->interruptibility =
		(uint32_t)read_or_zero(VMCS_GUEST_INTERRUPTIBILITY_STATE);
	s->pending_dbg = read_or_zero(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS);
	s->link_pointer = read_or_zero(VMCS_LINK_POINTER);
}

/* Fill s from the current VMCS, this CPU's address width and the capability
 * MSRs in caps.  Fields the CPU lacks read as 0; never stops, since it runs
 * while a failure is being reported. */
void vmentry_state_read(struct vmentry_state *s, const struct vmx_caps *caps)
{
	*s = (struct vmentry_state){ .msr = caps->msr };
	s->maxphyaddr = cpu_maxphyaddr();
	read_controls(s);
	read_host(s);
	read_guest(s);
}

/* The check's report callback: one error line per broken rule, with the
 * field and its value. */
static void log_rule(void *ctx, const char *rule, const char *field,
		     uint64_t value)
{
	(void)ctx;
	log_error("VM-entry check: %s (%s=%#llx)", rule, field,
		  (unsigned long long)value);
}

/* Check the current VMCS on this CPU and log each broken rule; returns how
 * many there are (nothing is logged for 0).  Not reentrant: the state lives
 * in a static buffer, too large for the stack. */
unsigned vmentry_check_current(const struct vmx_caps *caps)
{
	static struct vmentry_state s;      /* large: not on the stack */
	unsigned broken;

	vmentry_state_read(&s, caps);
	broken = vmentry_check(&s, log_rule, NULL);
	return broken;
}

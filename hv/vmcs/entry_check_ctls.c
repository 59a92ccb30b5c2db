/*
 * The VM-entry rules of Intel SDM Vol. 3, "Checks on VMX Controls and
 * Host-State Area" (see hv/vmcs/entry_check.h), each worded after the SDM.
 */
#include "hv/vmcs/entry_check_rules.h"

/* ---- VM-execution, VM-exit and VM-entry control fields ------------------ */

/* One control word against its capability MSR: every must-be-one bit (low
 * half) set, no bit set that the high half does not allow. */
static void check_word(struct checker *c, uint32_t value, uint64_t msr,
		       const char *text, const char *field)
{
	uint32_t must1 = (uint32_t)msr, may1 = (uint32_t)(msr >> 32);

	rule(c, (value & must1) == must1 && (value & ~may1) == 0, text, field,
	     value);
}

/* The five control words against their capability MSRs, the TRUE_* ones when
 * IA32_VMX_BASIC says they exist; the secondary word only when the primary
 * activates it. */
static void check_control_words(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	const struct vmx_msrs *m = &s->msr;
	bool t = (m->basic & VMX_BASIC_TRUE_CTLS) != 0;

	check_word(c, s->pin, t ? m->true_pinbased_ctls : m->pinbased_ctls,
		   "reserved bits in the pin-based VM-execution controls must "
		   "be set properly (allowed 0- and 1-settings)",
		   "PINBASED_CTLS");
	check_word(c, s->proc, t ? m->true_procbased_ctls : m->procbased_ctls,
		   "reserved bits in the primary processor-based VM-execution "
		   "controls must be set properly", "PROCBASED_CTLS");
	if (s->proc & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS)
		check_word(c, s->proc2, m->procbased_ctls2,
			   "reserved bits in the secondary processor-based "
			   "VM-execution controls must be set properly",
			   "PROCBASED_CTLS2");
	check_word(c, s->exit, t ? m->true_exit_ctls : m->exit_ctls,
		   "reserved bits in the primary VM-exit controls must be set "
		   "properly", "EXIT_CTLS");
	check_word(c, s->entry, t ? m->true_entry_ctls : m->entry_ctls,
		   "reserved bits in the VM-entry controls must be set "
		   "properly", "ENTRY_CTLS");
}

/* The CR3-target count, and the I/O and MSR bitmap addresses when their
 * controls are on: page-aligned and within the physical-address width. */
static void check_bitmaps(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, s->cr3_target_count <= CR3_TARGETS_MAX,
	     "the CR3-target count must not be greater than 4",
	     "CR3_TARGET_COUNT", s->cr3_target_count);
	if (s->proc & PROCBASED_CTLS_USE_IO_BITMAPS) {
		rule(c, !(s->io_bitmap_a & PAGE_OFFSET_MASK) &&
			within_phys(s, s->io_bitmap_a),
		     "each I/O-bitmap address must be 4-KByte aligned and "
		     "within the physical-address width", "IO_BITMAP_A_ADDR",
		     s->io_bitmap_a);
		rule(c, !(s->io_bitmap_b & PAGE_OFFSET_MASK) &&
			within_phys(s, s->io_bitmap_b),
		     "each I/O-bitmap address must be 4-KByte aligned and "
		     "within the physical-address width", "IO_BITMAP_B_ADDR",
		     s->io_bitmap_b);
	}
	if (s->proc & PROCBASED_CTLS_USE_MSR_BITMAPS)
		rule(c, !(s->msr_bitmap & PAGE_OFFSET_MASK) &&
			within_phys(s, s->msr_bitmap),
		     "the MSR-bitmap address must be 4-KByte aligned and "
		     "within the physical-address width", "MSR_BITMAP_ADDR",
		     s->msr_bitmap);
}

/* The pin-based dependencies: virtual NMIs need NMI exiting, NMI-window
 * exiting needs virtual NMIs, saving the preemption timer needs the timer. */
static void check_nmi_controls(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, (s->pin & PINBASED_CTLS_NMI_EXITING) ||
		!(s->pin & PINBASED_CTLS_VIRTUAL_NMIS),
	     "if the \"NMI exiting\" control is 0, the \"virtual NMIs\" "
	     "control must be 0", "PINBASED_CTLS", s->pin);
	rule(c, (s->pin & PINBASED_CTLS_VIRTUAL_NMIS) ||
		!(s->proc & PROCBASED_CTLS_NMI_WINDOW_EXITING),
	     "if the \"virtual NMIs\" control is 0, the \"NMI-window "
	     "exiting\" control must be 0", "PROCBASED_CTLS", s->proc);
	rule(c, (s->pin & PINBASED_CTLS_PREEMPTION_TIMER) ||
		!(s->exit & EXIT_CTLS_SAVE_PREEMPTION_TIMER),
	     "if \"activate VMX-preemption timer\" is 0, \"save "
	     "VMX-preemption timer value\" must be 0", "EXIT_CTLS", s->exit);
}

/* The EPT pointer: a memory type the CPU supports (UC or WB), a 4-level
 * walk, accessed/dirty flags only when supported, no reserved or
 * out-of-range bits. */
static void check_eptp(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	uint64_t cap = s->msr.ept_vpid_cap, e = s->eptp;
	uint64_t type = e & EPTP_MEMTYPE_MASK;

	rule(c, (type == EPTP_MEMTYPE_UC && (cap & VMX_EPT_MEMTYPE_UC)) ||
		(type == EPTP_MEMTYPE_WB && (cap & VMX_EPT_MEMTYPE_WB)),
	     "EPT pointer: the memory type (bits 2:0) must be UC or WB and "
	     "supported by IA32_VMX_EPT_VPID_CAP", "EPT_POINTER", e);
	rule(c, ((e >> EPTP_WALK_SHIFT) & EPTP_WALK_MASK) == EPTP_WALK_4_LEVELS,
	     "EPT pointer: bits 5:3 (page-walk length minus 1) must be 3",
	     "EPT_POINTER", e);
	rule(c, !(e & EPTP_AD_ENABLE) || (cap & VMX_EPT_AD_BITS),
	     "EPT pointer: bit 6 (accessed and dirty flags) must be 0 when "
	     "the CPU does not support them", "EPT_POINTER", e);
	rule(c, !(e & EPTP_RESERVED_11_7) && within_phys(s, e),
	     "EPT pointer: reserved bits 11:7 and bits beyond the "
	     "physical-address width must be 0", "EPT_POINTER", e);
}

/* The secondary controls' rules this hypervisor can break: a non-zero VPID,
 * unrestricted guest only with EPT, and the EPT pointer when EPT is on. */
static void check_secondary_features(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	if (!(s->proc & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS))
		return;
	rule(c, !(s->proc2 & PROCBASED_CTLS2_ENABLE_VPID) || s->vpid != 0,
	     "if the \"enable VPID\" control is 1, the VPID must not be "
	     "0000H", "VPID", s->vpid);
	rule(c, !(s->proc2 & PROCBASED_CTLS2_UNRESTRICTED_GUEST) ||
		(s->proc2 & PROCBASED_CTLS2_ENABLE_EPT),
	     "if the \"unrestricted guest\" control is 1, the \"enable EPT\" "
	     "control must be 1", "PROCBASED_CTLS2", s->proc2);
	if (s->proc2 & PROCBASED_CTLS2_ENABLE_EPT)
		check_eptp(c);
}

/* The VM-entry interruption information, when valid: no reserved bits or
 * type, vector 2 for an NMI, at most 31 for a hardware exception. */
static void check_event_injection(struct checker *c)
{
	uint32_t info = c->s->entry_intr_info;
	uint32_t type = (info >> INTR_INFO_TYPE_SHIFT) & INTR_INFO_TYPE_MASK;
	uint32_t vector = info & INTR_INFO_VECTOR_MASK;

	if (!(info & INTR_INFO_VALID))
		return;
	rule(c, !(info & INTR_INFO_RESERVED),
	     "VM-entry interruption information: reserved bits 30:12 must "
	     "be 0", "ENTRY_INTR_INFO", info);
	rule(c, type != INTR_TYPE_RESERVED,
	     "VM-entry interruption information: the interruption type must "
	     "not be 1 (reserved)", "ENTRY_INTR_INFO", info);
	rule(c, type != INTR_TYPE_NMI || vector == NMI_VECTOR,
	     "VM-entry interruption information: an NMI must have vector 2",
	     "ENTRY_INTR_INFO", info);
	rule(c, type != INTR_TYPE_HW_EXCEPTION || vector <= EXCEPTION_VECTOR_MAX,
	     "VM-entry interruption information: a hardware exception must "
	     "have a vector of at most 31", "ENTRY_INTR_INFO", info);
}

/* ---- Host-state area ----------------------------------------------------- */

/* The host CR0/CR4 against the VMX fixed bits, CR3 within the
 * physical-address width, and the rules of a 64-bit host (this hypervisor
 * always is one). */
static void check_host_cr(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool host64 = (s->exit & EXIT_CTLS_HOST_ADDR_SPACE_SIZE) != 0;

	rule(c, fixed_ok(s->host_cr0, s->msr.cr0_fixed0, s->msr.cr0_fixed1),
	     "the host CR0 field must not set any bit to a value not "
	     "supported in VMX operation (IA32_VMX_CR0_FIXED0/1)",
	     "HOST_CR0", s->host_cr0);
	rule(c, fixed_ok(s->host_cr4, s->msr.cr4_fixed0, s->msr.cr4_fixed1),
	     "the host CR4 field must not set any bit to a value not "
	     "supported in VMX operation (IA32_VMX_CR4_FIXED0/1)",
	     "HOST_CR4", s->host_cr4);
	rule(c, within_phys(s, s->host_cr3),
	     "the host CR3 field: bits beyond the physical-address width "
	     "must be 0", "HOST_CR3", s->host_cr3);
	/* The hypervisor itself always runs in 64-bit mode. */
	rule(c, host64,
	     "on a processor in IA-32e mode the \"host address-space size\" "
	     "VM-exit control must be 1", "EXIT_CTLS", s->exit);
	rule(c, !host64 || (s->host_cr4 & CR4_PAE),
	     "if \"host address-space size\" is 1, host CR4.PAE must be 1",
	     "HOST_CR4", s->host_cr4);
	rule(c, !host64 || canonical(s->host_rip),
	     "if \"host address-space size\" is 1, the host RIP must be "
	     "canonical", "HOST_RIP", s->host_rip);
	rule(c, host64 || !ia32e_guest(s),
	     "if \"host address-space size\" is 0, \"IA-32e mode guest\" "
	     "must be 0", "ENTRY_CTLS", s->entry);
}

/* Host SYSENTER addresses canonical; with the load controls, a valid host
 * PAT and an EFER without reserved bits whose LMA and LME match the host's
 * address-space size. */
static void check_host_msrs(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool host64 = (s->exit & EXIT_CTLS_HOST_ADDR_SPACE_SIZE) != 0;

	rule(c, canonical(s->host_sysenter_esp),
	     "the host IA32_SYSENTER_ESP field must be canonical",
	     "HOST_IA32_SYSENTER_ESP", s->host_sysenter_esp);
	rule(c, canonical(s->host_sysenter_eip),
	     "the host IA32_SYSENTER_EIP field must be canonical",
	     "HOST_IA32_SYSENTER_EIP", s->host_sysenter_eip);
	if (s->exit & EXIT_CTLS_LOAD_PAT)
		rule(c, pat_valid(s->host_pat),
		     "with \"load IA32_PAT\", each host PAT entry must be a "
		     "valid memory type (0, 1, 4, 5, 6 or 7)", "HOST_IA32_PAT",
		     s->host_pat);
	if (!(s->exit & EXIT_CTLS_LOAD_EFER))
		return;
	rule(c, !(s->host_efer & ~EFER_ALLOWED),
	     "with \"load IA32_EFER\", reserved bits of the host IA32_EFER "
	     "must be 0", "HOST_IA32_EFER", s->host_efer);
	rule(c, !!(s->host_efer & EFER_LMA) == host64 &&
		!!(s->host_efer & EFER_LME) == host64,
	     "with \"load IA32_EFER\", host IA32_EFER.LMA and LME must equal "
	     "\"host address-space size\"", "HOST_IA32_EFER", s->host_efer);
}

static const char *const host_sel_field[VMENTRY_SEGS] = {
	[VMENTRY_SEG_ES] = "HOST_ES_SELECTOR", [VMENTRY_SEG_CS] = "HOST_CS_SELECTOR",
	[VMENTRY_SEG_SS] = "HOST_SS_SELECTOR", [VMENTRY_SEG_DS] = "HOST_DS_SELECTOR",
	[VMENTRY_SEG_FS] = "HOST_FS_SELECTOR", [VMENTRY_SEG_GS] = "HOST_GS_SELECTOR",
	[VMENTRY_SEG_TR] = "HOST_TR_SELECTOR",
};

#define SEL_RPL_TI_MASK 0x7u

/* Host selectors with RPL and TI 0, CS and TR not null, and every host base
 * address canonical. */
static void check_host_segments(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	for (int i = 0; i < VMENTRY_SEGS; i++) {
		if (i == VMENTRY_SEG_LDTR)
			continue;
		rule(c, !(s->host_sel[i] & SEL_RPL_TI_MASK),
		     "in the host selector fields, the RPL (bits 1:0) and the "
		     "TI flag (bit 2) must be 0", host_sel_field[i],
		     s->host_sel[i]);
	}
	rule(c, s->host_sel[VMENTRY_SEG_CS] != 0,
	     "the host CS selector must not be 0000H", "HOST_CS_SELECTOR", 0);
	rule(c, s->host_sel[VMENTRY_SEG_TR] != 0,
	     "the host TR selector must not be 0000H", "HOST_TR_SELECTOR", 0);
	rule(c, canonical(s->host_fs_base), "the host FS base must be canonical",
	     "HOST_FS_BASE", s->host_fs_base);
	rule(c, canonical(s->host_gs_base), "the host GS base must be canonical",
	     "HOST_GS_BASE", s->host_gs_base);
	rule(c, canonical(s->host_tr_base), "the host TR base must be canonical",
	     "HOST_TR_BASE", s->host_tr_base);
	rule(c, canonical(s->host_gdtr_base),
	     "the host GDTR base must be canonical", "HOST_GDTR_BASE",
	     s->host_gdtr_base);
	rule(c, canonical(s->host_idtr_base),
	     "the host IDTR base must be canonical", "HOST_IDTR_BASE",
	     s->host_idtr_base);
}

/* The control-field and host-state rules, in the SDM's order. */
void vmentry_check_ctls_host(struct checker *c)
{
	check_control_words(c);
	check_bitmaps(c);
	check_nmi_controls(c);
	check_secondary_features(c);
	check_event_injection(c);
	check_host_cr(c);
	check_host_msrs(c);
	check_host_segments(c);
}

/*
 * The VM-entry rules of Intel SDM Vol. 3, "Checks on VMX Controls and
 * Host-State Area" and "Checks on the Guest State Area", as a pure
 * function over struct vmentry_state (see hv/vmcs/entry_check.h).  Each rule
 * is worded after the SDM.  Not covered: virtual-8086 guests (the segment
 * rules below assume RFLAGS.VM = 0), APIC virtualisation, posted
 * interrupts, PML, VM functions, SMM and the MSR load/store areas (this
 * hypervisor uses none of them), and PDPTEs of PAE guests.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/entry_check.h"
#include "hv/vmx/ctls_bits.h"

#define LINEAR_ADDR_BITS        48
#define HIGH32(x)               ((uint64_t)(x) >> 32)
#define PAGE_OFFSET_MASK        0xfffull
#define CR3_TARGETS_MAX         4
#define EFER_ALLOWED            (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define PAT_ENTRIES             8
#define PAT_ENTRY_BITS          8
#define RFLAGS_RESERVED_ZERO    (~0x3fffffull | (1ull << 15) | (1ull << 5) | \
				 (1ull << 3))
#define DEBUGCTL_RESERVED       (0x3cull | ~0xffffull)
#define DR7_RESERVED_HIGH       (~0xffffffffull)
#define PENDING_DBG_RESERVED    (0xff0ull | (1ull << 13) | (1ull << 15) | \
				 ~0x1ffffull)
#define INTR_STATE_RESERVED     (~0x1full)
#define INTR_INFO_RESERVED      0x7ffff000u
#define INTR_TYPE_RESERVED      1
#define NMI_VECTOR              2
#define EXCEPTION_VECTOR_MAX    31
#define SEG_LIMIT_LOW_BITS      0xfffu
#define SEG_LIMIT_HIGH_BITS     0xfff00000u
#define EPTP_MEMTYPE_MASK       0x7ull
#define EPTP_MEMTYPE_UC         0ull
#define EPTP_MEMTYPE_WB         6ull
#define EPTP_WALK_SHIFT         3
#define EPTP_WALK_MASK          0x7ull
#define EPTP_WALK_4_LEVELS      3ull
#define EPTP_AD_BIT             (1ull << 6)
#define EPTP_RESERVED_11_7      0xf80ull
#define LINK_POINTER_NONE       0xffffffffffffffffull

struct checker {
	const struct vmentry_state *s;
	vmentry_report_fn report;
	void *ctx;
	unsigned broken;
};

static void rule(struct checker *c, bool ok, const char *text,
		 const char *field, uint64_t value)
{
	if (ok)
		return;
	c->broken++;
	if (c->report)
		c->report(c->ctx, text, field, value);
}

static bool canonical(uint64_t a)
{
	const unsigned shift = 64 - LINEAR_ADDR_BITS;

	return (uint64_t)((int64_t)(a << shift) >> shift) == a;
}

static bool within_phys(const struct vmentry_state *s, uint64_t a)
{
	return s->maxphyaddr >= 64 || (a >> s->maxphyaddr) == 0;
}

static bool fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	return (v & fixed0) == fixed0 && (v & ~fixed1) == 0;
}

static bool pat_ok(uint64_t pat)
{
	for (int i = 0; i < PAT_ENTRIES; i++) {
		uint8_t t = (uint8_t)(pat >> (i * PAT_ENTRY_BITS));
		if (t == 2 || t == 3 || t > 7)     /* reserved encodings */
			return false;
	}
	return true;
}

static bool ia32e_guest(const struct vmentry_state *s)
{
	return (s->entry & VM_ENTRY_IA32E_MODE) != 0;
}

static bool unrestricted(const struct vmentry_state *s)
{
	return (s->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	       (s->proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST);
}

/* ---- VM-execution, VM-exit and VM-entry control fields ------------------ */

static void check_word(struct checker *c, uint32_t value, uint64_t msr,
		       const char *text, const char *field)
{
	uint32_t must1 = (uint32_t)msr, may1 = (uint32_t)(msr >> 32);

	rule(c, (value & must1) == must1 && (value & ~may1) == 0, text, field,
	     value);
}

static void check_control_words(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	const struct vmx_msrs *m = &s->msr;
	bool t = (m->basic & VMX_BASIC_TRUE_CTLS) != 0;

	check_word(c, s->pin, t ? m->true_pinbased_ctls : m->pinbased_ctls,
		   "reserved bits in the pin-based VM-execution controls must "
		   "be set properly (allowed 0- and 1-settings)",
		   "CTRL_PIN_BASED");
	check_word(c, s->proc, t ? m->true_procbased_ctls : m->procbased_ctls,
		   "reserved bits in the primary processor-based VM-execution "
		   "controls must be set properly", "CTRL_PROC_BASED");
	if (s->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
		check_word(c, s->proc2, m->procbased_ctls2,
			   "reserved bits in the secondary processor-based "
			   "VM-execution controls must be set properly",
			   "CTRL_PROC_BASED2");
	check_word(c, s->exit, t ? m->true_exit_ctls : m->exit_ctls,
		   "reserved bits in the primary VM-exit controls must be set "
		   "properly", "CTRL_EXIT");
	check_word(c, s->entry, t ? m->true_entry_ctls : m->entry_ctls,
		   "reserved bits in the VM-entry controls must be set "
		   "properly", "CTRL_ENTRY");
}

static void check_bitmaps(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, s->cr3_target_count <= CR3_TARGETS_MAX,
	     "the CR3-target count must not be greater than 4",
	     "CR3_TARGET_COUNT", s->cr3_target_count);
	if (s->proc & CPU_BASED_USE_IO_BITMAPS) {
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
	if (s->proc & CPU_BASED_USE_MSR_BITMAPS)
		rule(c, !(s->msr_bitmap & PAGE_OFFSET_MASK) &&
			within_phys(s, s->msr_bitmap),
		     "the MSR-bitmap address must be 4-KByte aligned and "
		     "within the physical-address width", "MSR_BITMAP_ADDR",
		     s->msr_bitmap);
}

static void check_nmi_controls(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, (s->pin & PIN_BASED_NMI_EXITING) ||
		!(s->pin & PIN_BASED_VIRTUAL_NMIS),
	     "if the \"NMI exiting\" control is 0, the \"virtual NMIs\" "
	     "control must be 0", "CTRL_PIN_BASED", s->pin);
	rule(c, (s->pin & PIN_BASED_VIRTUAL_NMIS) ||
		!(s->proc & CPU_BASED_NMI_WINDOW_EXITING),
	     "if the \"virtual NMIs\" control is 0, the \"NMI-window "
	     "exiting\" control must be 0", "CTRL_PROC_BASED", s->proc);
	rule(c, (s->pin & PIN_BASED_PREEMPTION_TIMER) ||
		!(s->exit & VM_EXIT_SAVE_PREEMPTION_TIMER),
	     "if \"activate VMX-preemption timer\" is 0, \"save "
	     "VMX-preemption timer value\" must be 0", "CTRL_EXIT", s->exit);
}

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
	rule(c, !(e & EPTP_AD_BIT) || (cap & VMX_EPT_AD_BITS),
	     "EPT pointer: bit 6 (accessed and dirty flags) must be 0 when "
	     "the CPU does not support them", "EPT_POINTER", e);
	rule(c, !(e & EPTP_RESERVED_11_7) && within_phys(s, e),
	     "EPT pointer: reserved bits 11:7 and bits beyond the "
	     "physical-address width must be 0", "EPT_POINTER", e);
}

static void check_secondary_features(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	if (!(s->proc & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		return;
	rule(c, !(s->proc2 & SECONDARY_EXEC_ENABLE_VPID) || s->vpid != 0,
	     "if the \"enable VPID\" control is 1, the VPID must not be "
	     "0000H", "VPID", s->vpid);
	rule(c, !(s->proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST) ||
		(s->proc2 & SECONDARY_EXEC_ENABLE_EPT),
	     "if the \"unrestricted guest\" control is 1, the \"enable EPT\" "
	     "control must be 1", "CTRL_PROC_BASED2", s->proc2);
	if (s->proc2 & SECONDARY_EXEC_ENABLE_EPT)
		check_eptp(c);
}

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

static void check_host_cr(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool host64 = (s->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE) != 0;

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
	     "VM-exit control must be 1", "CTRL_EXIT", s->exit);
	rule(c, !host64 || (s->host_cr4 & CR4_PAE),
	     "if \"host address-space size\" is 1, host CR4.PAE must be 1",
	     "HOST_CR4", s->host_cr4);
	rule(c, !host64 || canonical(s->host_rip),
	     "if \"host address-space size\" is 1, the host RIP must be "
	     "canonical", "HOST_RIP", s->host_rip);
	rule(c, host64 || !ia32e_guest(s),
	     "if \"host address-space size\" is 0, \"IA-32e mode guest\" "
	     "must be 0", "CTRL_ENTRY", s->entry);
}

static void check_host_msrs(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool host64 = (s->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE) != 0;

	rule(c, canonical(s->host_sysenter_esp),
	     "the host IA32_SYSENTER_ESP field must be canonical",
	     "HOST_IA32_SYSENTER_ESP", s->host_sysenter_esp);
	rule(c, canonical(s->host_sysenter_eip),
	     "the host IA32_SYSENTER_EIP field must be canonical",
	     "HOST_IA32_SYSENTER_EIP", s->host_sysenter_eip);
	if (s->exit & VM_EXIT_LOAD_PAT)
		rule(c, pat_ok(s->host_pat),
		     "with \"load IA32_PAT\", each host PAT entry must be a "
		     "valid memory type (0, 1, 4, 5, 6 or 7)", "HOST_IA32_PAT",
		     s->host_pat);
	if (!(s->exit & VM_EXIT_LOAD_EFER))
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
#define SEL_TI          0x4u
#define SEL_RPL_MASK    0x3u

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

/* ---- Guest control registers, debug registers and MSRs ------------------ */

static void check_guest_cr(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	uint64_t exempt = unrestricted(s) ? (CR0_PE | CR0_PG) : 0;

	rule(c, fixed_ok(s->guest_cr0 | exempt, s->msr.cr0_fixed0 & ~exempt,
			 s->msr.cr0_fixed1 | exempt),
	     "the guest CR0 field must not set any bit to a value not "
	     "supported in VMX operation (PE and PG exempt with unrestricted "
	     "guest)", "GUEST_CR0", s->guest_cr0);
	rule(c, !(s->guest_cr0 & CR0_PG) || (s->guest_cr0 & CR0_PE),
	     "if guest CR0.PG (bit 31) is 1, CR0.PE (bit 0) must also be 1",
	     "GUEST_CR0", s->guest_cr0);
	rule(c, fixed_ok(s->guest_cr4, s->msr.cr4_fixed0, s->msr.cr4_fixed1),
	     "the guest CR4 field must not set any bit to a value not "
	     "supported in VMX operation (IA32_VMX_CR4_FIXED0/1)",
	     "GUEST_CR4", s->guest_cr4);
	rule(c, !ia32e_guest(s) || (s->guest_cr0 & CR0_PG),
	     "if \"IA-32e mode guest\" is 1, guest CR0.PG must be 1",
	     "GUEST_CR0", s->guest_cr0);
	rule(c, !ia32e_guest(s) || (s->guest_cr4 & CR4_PAE),
	     "if \"IA-32e mode guest\" is 1, guest CR4.PAE must be 1",
	     "GUEST_CR4", s->guest_cr4);
	rule(c, ia32e_guest(s) || !(s->guest_cr4 & CR4_PCIDE),
	     "if \"IA-32e mode guest\" is 0, guest CR4.PCIDE must be 0",
	     "GUEST_CR4", s->guest_cr4);
	rule(c, within_phys(s, s->guest_cr3),
	     "the guest CR3 field: bits beyond the physical-address width "
	     "must be 0", "GUEST_CR3", s->guest_cr3);
}

static void check_guest_msrs(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool lma = (s->guest_efer & EFER_LMA) != 0;
	bool lme = (s->guest_efer & EFER_LME) != 0;

	if (s->entry & VM_ENTRY_LOAD_DEBUG_CONTROLS) {
		rule(c, !(s->guest_dr7 & DR7_RESERVED_HIGH),
		     "with \"load debug controls\", guest DR7 bits 63:32 must "
		     "be 0", "GUEST_DR7", s->guest_dr7);
		rule(c, !(s->guest_debugctl & DEBUGCTL_RESERVED),
		     "with \"load debug controls\", reserved bits of guest "
		     "IA32_DEBUGCTL (5:2, 63:16) must be 0",
		     "GUEST_IA32_DEBUGCTL", s->guest_debugctl);
	}
	rule(c, canonical(s->guest_sysenter_esp) && canonical(s->guest_sysenter_eip),
	     "the guest IA32_SYSENTER_ESP and IA32_SYSENTER_EIP fields must "
	     "be canonical", "GUEST_IA32_SYSENTER_EIP", s->guest_sysenter_eip);
	if (s->entry & VM_ENTRY_LOAD_PAT)
		rule(c, pat_ok(s->guest_pat),
		     "with \"load IA32_PAT\", each guest PAT entry must be a "
		     "valid memory type (0, 1, 4, 5, 6 or 7)", "GUEST_IA32_PAT",
		     s->guest_pat);
	if (!(s->entry & VM_ENTRY_LOAD_EFER))
		return;
	rule(c, !(s->guest_efer & ~EFER_ALLOWED),
	     "with \"load IA32_EFER\", reserved bits of the guest IA32_EFER "
	     "must be 0", "GUEST_IA32_EFER", s->guest_efer);
	rule(c, lma == ia32e_guest(s),
	     "with \"load IA32_EFER\", guest IA32_EFER.LMA must equal "
	     "\"IA-32e mode guest\"", "GUEST_IA32_EFER", s->guest_efer);
	rule(c, !(s->guest_cr0 & CR0_PG) || lme == ia32e_guest(s),
	     "with \"load IA32_EFER\" and guest CR0.PG = 1, guest "
	     "IA32_EFER.LME must equal \"IA-32e mode guest\"",
	     "GUEST_IA32_EFER", s->guest_efer);
}

/* ---- Guest segment registers --------------------------------------------- */

static const char *const seg_ar_field[VMENTRY_SEGS] = {
	"GUEST_ES_ACCESS_RIGHTS", "GUEST_CS_ACCESS_RIGHTS",
	"GUEST_SS_ACCESS_RIGHTS", "GUEST_DS_ACCESS_RIGHTS",
	"GUEST_FS_ACCESS_RIGHTS", "GUEST_GS_ACCESS_RIGHTS",
	"GUEST_LDTR_ACCESS_RIGHTS", "GUEST_TR_ACCESS_RIGHTS",
};
static const char *const seg_base_field[VMENTRY_SEGS] = {
	"GUEST_ES_BASE", "GUEST_CS_BASE", "GUEST_SS_BASE", "GUEST_DS_BASE",
	"GUEST_FS_BASE", "GUEST_GS_BASE", "GUEST_LDTR_BASE", "GUEST_TR_BASE",
};

static bool usable(const struct vmentry_seg_state *g)
{
	return !(g->ar & AR_UNUSABLE);
}

/* The rules every usable segment's access rights share: reserved bits,
 * present, and granularity matching the limit. */
static void check_ar_common(struct checker *c, int i)
{
	const struct vmentry_seg_state *g = &c->s->seg[i];
	bool g_ok = ((g->limit & SEG_LIMIT_LOW_BITS) == SEG_LIMIT_LOW_BITS ||
		     !(g->ar & AR_G)) &&
		    (!(g->limit & SEG_LIMIT_HIGH_BITS) || (g->ar & AR_G));

	rule(c, g->ar & AR_P, "guest segment access rights: P (bit 7) must "
	     "be 1 for a usable segment", seg_ar_field[i], g->ar);
	rule(c, !(g->ar & (AR_RESERVED_11_8 | AR_RESERVED_31_17)),
	     "guest segment access rights: reserved bits 11:8 and 31:17 must "
	     "be 0", seg_ar_field[i], g->ar);
	rule(c, g_ok, "guest segment access rights: if any bit of the limit "
	     "in 11:0 is 0, G must be 0; if any bit in 31:20 is 1, G must be 1",
	     seg_ar_field[i], g->ar);
}

static void check_cs(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	const struct vmentry_seg_state *cs = &s->seg[VMENTRY_SEG_CS];
	const struct vmentry_seg_state *ss = &s->seg[VMENTRY_SEG_SS];
	/* The SDM states these rules with the Type numbers themselves:
	 * 9/11 execute(-read) accessed, 13/15 the conforming ones, 3 a
	 * read/write accessed data segment (real-mode-like CS). */
	uint32_t type = cs->ar & AR_TYPE_MASK;
	bool type_ok = type == 9 || type == 11 || type == 13 || type == 15 ||
		       (type == 3 && unrestricted(s));

	rule(c, type_ok, "guest CS access rights: the Type must be 9, 11, 13 "
	     "or 15 (accessed code), or 3 with unrestricted guest",
	     "GUEST_CS_ACCESS_RIGHTS", cs->ar);
	rule(c, cs->ar & AR_S, "guest CS access rights: S (bit 4) must be 1",
	     "GUEST_CS_ACCESS_RIGHTS", cs->ar);
	if (type == 3)
		rule(c, AR_DPL(cs->ar) == 0, "guest CS access rights: the DPL "
		     "must be 0 if the Type is 3", "GUEST_CS_ACCESS_RIGHTS", cs->ar);
	if (type == 9 || type == 11)
		rule(c, AR_DPL(cs->ar) == AR_DPL(ss->ar), "guest CS access "
		     "rights: for non-conforming code the DPL must equal the "
		     "DPL of SS", "GUEST_CS_ACCESS_RIGHTS", cs->ar);
	if (type == 13 || type == 15)
		rule(c, AR_DPL(cs->ar) <= AR_DPL(ss->ar), "guest CS access "
		     "rights: for conforming code the DPL must not exceed the "
		     "DPL of SS", "GUEST_CS_ACCESS_RIGHTS", cs->ar);
	rule(c, !(ia32e_guest(s) && (cs->ar & AR_L) && (cs->ar & AR_DB)),
	     "guest CS access rights: with \"IA-32e mode guest\" and L "
	     "(bit 13) = 1, D/B (bit 14) must be 0", "GUEST_CS_ACCESS_RIGHTS",
	     cs->ar);
	rule(c, !HIGH32(cs->base), "the guest CS base: bits 63:32 must be 0",
	     "GUEST_CS_BASE", cs->base);
	check_ar_common(c, VMENTRY_SEG_CS);
}

static void check_ss(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	const struct vmentry_seg_state *ss = &s->seg[VMENTRY_SEG_SS];
	const struct vmentry_seg_state *cs = &s->seg[VMENTRY_SEG_CS];
	uint32_t type = ss->ar & AR_TYPE_MASK;

	if (!unrestricted(s))
		rule(c, (ss->sel & SEL_RPL_MASK) == (cs->sel & SEL_RPL_MASK),
		     "the guest SS selector's RPL must equal the CS selector's "
		     "RPL (without unrestricted guest)", "GUEST_SS_SELECTOR",
		     ss->sel);
	if ((cs->ar & AR_TYPE_MASK) == 3 || !(s->guest_cr0 & CR0_PE))
		rule(c, AR_DPL(ss->ar) == 0, "guest SS access rights: the DPL "
		     "must be 0 if the CS Type is 3 or CR0.PE is 0",
		     "GUEST_SS_ACCESS_RIGHTS", ss->ar);
	if (!usable(ss))
		return;
	rule(c, type == 3 || type == 7, "guest SS access rights: the Type "
	     "must be 3 or 7 (read/write data)", "GUEST_SS_ACCESS_RIGHTS", ss->ar);
	rule(c, ss->ar & AR_S, "guest SS access rights: S (bit 4) must be 1",
	     "GUEST_SS_ACCESS_RIGHTS", ss->ar);
	if (!unrestricted(s))
		rule(c, AR_DPL(ss->ar) == (ss->sel & SEL_RPL_MASK),
		     "guest SS access rights: the DPL must equal the RPL of "
		     "the SS selector (without unrestricted guest)",
		     "GUEST_SS_ACCESS_RIGHTS", ss->ar);
	rule(c, !HIGH32(ss->base), "the guest SS base: bits 63:32 must be 0",
	     "GUEST_SS_BASE", ss->base);
	check_ar_common(c, VMENTRY_SEG_SS);
}

static void check_data_seg(struct checker *c, int i)
{
	const struct vmentry_seg_state *g = &c->s->seg[i];
	uint32_t type = g->ar & AR_TYPE_MASK;

	if (i == VMENTRY_SEG_FS || i == VMENTRY_SEG_GS)
		rule(c, canonical(g->base), "the guest FS and GS bases must be "
		     "canonical", seg_base_field[i], g->base);
	if (!usable(g))
		return;
	if (i == VMENTRY_SEG_DS || i == VMENTRY_SEG_ES)
		rule(c, !HIGH32(g->base), "the guest DS and ES bases: bits "
		     "63:32 must be 0", seg_base_field[i], g->base);
	rule(c, type & AR_TYPE_ACCESSED, "guest DS, ES, FS, GS access rights: "
	     "Type bit 0 (accessed) must be 1", seg_ar_field[i], g->ar);
	rule(c, !(type & AR_TYPE_CODE) || (type & AR_TYPE_RW), "guest DS, ES, "
	     "FS, GS access rights: a code segment must be readable (Type "
	     "bit 1)", seg_ar_field[i], g->ar);
	rule(c, g->ar & AR_S, "guest DS, ES, FS, GS access rights: S (bit 4) "
	     "must be 1", seg_ar_field[i], g->ar);
	if (!unrestricted(c->s) && type <= 11)
		rule(c, AR_DPL(g->ar) >= (g->sel & SEL_RPL_MASK), "guest DS, "
		     "ES, FS, GS access rights: the DPL must not be less than "
		     "the selector's RPL", seg_ar_field[i], g->ar);
	check_ar_common(c, i);
}

static void check_tr_ldtr(struct checker *c)
{
	const struct vmentry_seg_state *tr = &c->s->seg[VMENTRY_SEG_TR];
	const struct vmentry_seg_state *ldtr = &c->s->seg[VMENTRY_SEG_LDTR];
	uint32_t type = tr->ar & AR_TYPE_MASK;

	rule(c, !(tr->sel & SEL_TI), "the guest TR selector: the TI flag "
	     "(bit 2) must be 0", "GUEST_TR_SELECTOR", tr->sel);
	rule(c, canonical(tr->base), "the guest TR base must be canonical",
	     "GUEST_TR_BASE", tr->base);
	rule(c, type == AR_TYPE_TSS_BUSY ||
		(type == AR_TYPE_TSS16_BUSY && !ia32e_guest(c->s)),
	     "guest TR access rights: the Type must be 11 (busy TSS), or 3 "
	     "(busy 16-bit TSS) outside IA-32e mode", "GUEST_TR_ACCESS_RIGHTS",
	     tr->ar);
	rule(c, !(tr->ar & AR_S), "guest TR access rights: S (bit 4) must be 0",
	     "GUEST_TR_ACCESS_RIGHTS", tr->ar);
	rule(c, usable(tr), "guest TR access rights: the segment must be "
	     "usable (bit 16 = 0)", "GUEST_TR_ACCESS_RIGHTS", tr->ar);
	check_ar_common(c, VMENTRY_SEG_TR);
	if (!usable(ldtr))
		return;
	rule(c, !(ldtr->sel & SEL_TI), "the guest LDTR selector: the TI flag "
	     "(bit 2) must be 0", "GUEST_LDTR_SELECTOR", ldtr->sel);
	rule(c, canonical(ldtr->base), "the guest LDTR base must be canonical",
	     "GUEST_LDTR_BASE", ldtr->base);
	rule(c, (ldtr->ar & AR_TYPE_MASK) == AR_TYPE_LDT && !(ldtr->ar & AR_S),
	     "guest LDTR access rights: the Type must be 2 (LDT) and S must "
	     "be 0", "GUEST_LDTR_ACCESS_RIGHTS", ldtr->ar);
	check_ar_common(c, VMENTRY_SEG_LDTR);
}

static void check_guest_segments(struct checker *c)
{
	if (c->s->rflags & RFLAGS_VM)
		return;                 /* virtual-8086 rules not covered */
	check_cs(c);
	check_ss(c);
	check_data_seg(c, VMENTRY_SEG_DS);
	check_data_seg(c, VMENTRY_SEG_ES);
	check_data_seg(c, VMENTRY_SEG_FS);
	check_data_seg(c, VMENTRY_SEG_GS);
	check_tr_ldtr(c);
}

static void check_descriptor_tables(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, canonical(s->gdtr_base), "the guest GDTR base must be "
	     "canonical", "GUEST_GDTR_BASE", s->gdtr_base);
	rule(c, canonical(s->idtr_base), "the guest IDTR base must be "
	     "canonical", "GUEST_IDTR_BASE", s->idtr_base);
	rule(c, !(s->gdtr_limit >> 16), "the guest GDTR limit: bits 31:16 "
	     "must be 0", "GUEST_GDTR_LIMIT", s->gdtr_limit);
	rule(c, !(s->idtr_limit >> 16), "the guest IDTR limit: bits 31:16 "
	     "must be 0", "GUEST_IDTR_LIMIT", s->idtr_limit);
}

/* ---- Guest RIP, RFLAGS and non-register state ---------------------------- */

static void check_rip_rflags(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool long64 = ia32e_guest(s) && (s->seg[VMENTRY_SEG_CS].ar & AR_L);
	uint32_t type = (s->entry_intr_info >> INTR_INFO_TYPE_SHIFT) &
			INTR_INFO_TYPE_MASK;
	bool ext_intr = (s->entry_intr_info & INTR_INFO_VALID) &&
			type == INTR_TYPE_EXT_INTR;

	rule(c, long64 || !HIGH32(s->rip), "the guest RIP: bits 63:32 must be "
	     "0 outside 64-bit mode (IA-32e mode guest 0 or CS.L 0)",
	     "GUEST_RIP", s->rip);
	rule(c, !long64 || canonical(s->rip), "the guest RIP must be "
	     "canonical in 64-bit mode", "GUEST_RIP", s->rip);
	rule(c, !(s->rflags & RFLAGS_RESERVED_ZERO) && (s->rflags & RFLAGS_FIXED),
	     "guest RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0 and "
	     "bit 1 must be 1", "GUEST_RFLAGS", s->rflags);
	rule(c, !(s->rflags & RFLAGS_VM) ||
		(!ia32e_guest(s) && (s->guest_cr0 & CR0_PE)),
	     "guest RFLAGS.VM must be 0 if \"IA-32e mode guest\" is 1 or "
	     "CR0.PE is 0", "GUEST_RFLAGS", s->rflags);
	rule(c, !ext_intr || (s->rflags & RFLAGS_IF),
	     "guest RFLAGS.IF must be 1 when an external interrupt is "
	     "injected", "GUEST_RFLAGS", s->rflags);
}

static void check_activity(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	static const uint64_t misc_bit[] = {
		[GUEST_ACTIVITY_HLT] = VMX_MISC_ACTIVITY_HLT,
		[GUEST_ACTIVITY_SHUTDOWN] = VMX_MISC_ACTIVITY_SHUTDOWN,
		[GUEST_ACTIVITY_WAIT_SIPI] = VMX_MISC_ACTIVITY_WAIT_SIPI,
	};
	bool ok = s->activity == GUEST_ACTIVITY_ACTIVE ||
		  (s->activity <= GUEST_ACTIVITY_WAIT_SIPI &&
		   (s->msr.misc & misc_bit[s->activity]));

	rule(c, ok, "the guest activity state must be 0-3 and supported by "
	     "IA32_VMX_MISC", "GUEST_ACTIVITY_STATE", s->activity);
	rule(c, s->activity != GUEST_ACTIVITY_HLT ||
		AR_DPL(s->seg[VMENTRY_SEG_SS].ar) == 0,
	     "the guest activity state must not be HLT if the SS DPL is not "
	     "0", "GUEST_ACTIVITY_STATE", s->activity);
}

static void check_interruptibility(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	uint32_t st = s->interruptibility;
	uint32_t info = s->entry_intr_info;
	uint32_t type = (info >> INTR_INFO_TYPE_SHIFT) & INTR_INFO_TYPE_MASK;
	bool valid = (info & INTR_INFO_VALID) != 0;
	const uint32_t sti_movss = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;

	rule(c, !(st & INTR_STATE_RESERVED), "guest interruptibility state: "
	     "reserved bits 31:5 must be 0", "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, (st & sti_movss) != sti_movss, "guest interruptibility state: "
	     "blocking by STI and blocking by MOV SS must not both be 1",
	     "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, !(st & GUEST_INTR_STATE_STI) || (s->rflags & RFLAGS_IF),
	     "guest interruptibility state: blocking by STI must be 0 if "
	     "RFLAGS.IF is 0", "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, !(st & GUEST_INTR_STATE_SMI), "guest interruptibility state: "
	     "blocking by SMI must be 0 outside SMM",
	     "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, !(valid && type == INTR_TYPE_EXT_INTR && (st & sti_movss)),
	     "guest interruptibility state: blocking by STI and by MOV SS "
	     "must be 0 when an external interrupt is injected",
	     "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, !(valid && type == INTR_TYPE_NMI && (st & GUEST_INTR_STATE_MOV_SS)),
	     "guest interruptibility state: blocking by MOV SS must be 0 when "
	     "an NMI is injected", "GUEST_INTERRUPTIBILITY_STATE", st);
	rule(c, !(valid && type == INTR_TYPE_NMI &&
		  (s->pin & PIN_BASED_VIRTUAL_NMIS) && (st & GUEST_INTR_STATE_NMI)),
	     "guest interruptibility state: blocking by NMI must be 0 when "
	     "a virtual NMI is injected", "GUEST_INTERRUPTIBILITY_STATE", st);
}

static void check_guest_misc(struct checker *c)
{
	const struct vmentry_state *s = c->s;

	rule(c, !(s->pending_dbg & PENDING_DBG_RESERVED), "guest pending debug "
	     "exceptions: reserved bits 11:4, 13, 15 and 63:17 must be 0",
	     "GUEST_PENDING_DEBUG_EXCEPTIONS", s->pending_dbg);
	rule(c, s->link_pointer == LINK_POINTER_NONE, "the VMCS link pointer "
	     "must be FFFFFFFF_FFFFFFFFH (no VMCS shadowing in use)",
	     "LINK_POINTER", s->link_pointer);
}

unsigned vmentry_check(const struct vmentry_state *s, vmentry_report_fn report,
		       void *ctx)
{
	struct checker c = { s, report, ctx, 0 };

	check_control_words(&c);
	check_bitmaps(&c);
	check_nmi_controls(&c);
	check_secondary_features(&c);
	check_event_injection(&c);
	check_host_cr(&c);
	check_host_msrs(&c);
	check_host_segments(&c);
	check_guest_cr(&c);
	check_guest_msrs(&c);
	check_guest_segments(&c);
	check_descriptor_tables(&c);
	check_rip_rflags(&c);
	check_activity(&c);
	check_interruptibility(&c);
	check_guest_misc(&c);
	return c.broken;
}

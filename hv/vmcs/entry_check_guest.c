/*
 * The VM-entry rules of Intel SDM Vol. 3, "Checks on the Guest State Area"
 * (see hv/vmcs/entry_check.h), each worded after the SDM.  Not covered:
 * virtual-8086 guests (the segment rules assume RFLAGS.VM = 0) and PDPTEs
 * of PAE guests.
 */
#include "hv/vmcs/entry_check_rules.h"

/* ---- Guest control registers, debug registers and MSRs ------------------ */

/* Guest CR0/CR4 against the VMX fixed bits (PE and PG free under
 * unrestricted guest), PG only with PE, the IA-32e-mode guest's PG and PAE,
 * PCIDE only in IA-32e mode, CR3 within the physical-address width. */
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

/* The guest DR7 and DEBUGCTL when the entry loads them, canonical SYSENTER
 * addresses, a valid PAT when loaded, and an EFER whose LMA (and LME under
 * paging) agrees with the IA-32e-mode control. */
static void check_guest_msrs(struct checker *c)
{
	const struct vmentry_state *s = c->s;
	bool lma = (s->guest_efer & EFER_LMA) != 0;
	bool lme = (s->guest_efer & EFER_LME) != 0;

	if (s->entry & ENTRY_CTLS_LOAD_DEBUG_CONTROLS) {
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
	if (s->entry & ENTRY_CTLS_LOAD_PAT)
		rule(c, pat_valid(s->guest_pat),
		     "with \"load IA32_PAT\", each guest PAT entry must be a "
		     "valid memory type (0, 1, 4, 5, 6 or 7)", "GUEST_IA32_PAT",
		     s->guest_pat);
	if (!(s->entry & ENTRY_CTLS_LOAD_EFER))
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

/* Whether a guest segment is usable (access-rights bit 16 clear); most rules
 * skip unusable ones. */
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

/* Guest CS: an accessed code Type (or 3 under unrestricted guest), S set,
 * DPL against SS's by Type, not both L and D/B in IA-32e mode, a 32-bit
 * base.  CS is always usable. */
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

/* Guest SS: DPL 0 for a real-mode-like guest; when usable a read/write
 * data Type, S set, a 32-bit base.  Without unrestricted guest also RPL
 * equal to CS's and DPL equal to RPL. */
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

/* One of DS, ES, FS, GS (i): canonical FS/GS bases even when unusable; when
 * usable, an accessed and readable Type, S set, DPL not below RPL, 32-bit
 * DS/ES bases. */
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

/* Guest TR (always usable: a busy TSS, TI clear, system segment, canonical
 * base) and, when usable, LDTR (an LDT with TI clear and a canonical base).
 */
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

/* The segment-register rules, unless the guest is in virtual-8086 mode,
 * whose rules the check does not cover. */
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

/* Guest GDTR and IDTR: canonical bases, limits of 16 bits. */
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

/* Guest RIP (32 bits outside 64-bit mode, canonical in it) and RFLAGS
 * (reserved bits, VM only in protected mode outside IA-32e mode, IF set when
 * an external interrupt is injected). */
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

/* The activity state: one of the four, supported by IA32_VMX_MISC, and not
 * HLT unless SS.DPL is 0. */
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

/* The interruptibility state: no reserved bits, STI and MOV-SS blocking not
 * both and not against RFLAGS.IF, no SMI blocking outside SMM, and the
 * blocking an injected interrupt or NMI forbids. */
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
		  (s->pin & PINBASED_CTLS_VIRTUAL_NMIS) &&
		  (st & GUEST_INTR_STATE_NMI)),
	     "guest interruptibility state: blocking by NMI must be 0 when "
	     "a virtual NMI is injected", "GUEST_INTERRUPTIBILITY_STATE", st);
}

/* The pending debug exceptions' reserved bits, and the VMCS link pointer,
 * which must be all ones (no shadow VMCS). */
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

/* The guest-state rules, in the SDM's order. */
void vmentry_check_guest(struct checker *c)
{
	check_guest_cr(c);
	check_guest_msrs(c);
	check_guest_segments(c);
	check_descriptor_tables(c);
	check_rip_rflags(c);
	check_activity(c);
	check_interruptibility(c);
	check_guest_misc(c);
}

/*
 * Decoding of the VMX capability MSRs (Intel SDM Vol. 3, Appendix A) into
 * one flag per feature, and the decision whether this hypervisor can run
 * on them.  Pure: no MSR is read here (hv/vmx/detect.c does that), so the
 * host unit tests feed recorded values of real and emulated CPUs.
 *
 * Each control MSR reports allowed-0 settings in bits 31:0 (a 1 there means
 * the control must be 1) and allowed-1 settings in bits 63:32 (a 0 there
 * means the control must be 0).
 */
#include "hv/vmx/caps.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/str.h"

/* The allowed-1 half (bits 63:32) of a control capability MSR: the controls
 * that may be 1. */
static uint32_t may_be_one(uint64_t ctl_msr)
{
	return (uint32_t)(ctl_msr >> 32);
}

/* The TRUE_* MSRs, when present, can clear "default1" bits the plain MSRs
 * report as must-be-one; for the allowed-1 half both agree, but the TRUE
 * values are the authoritative ones when IA32_VMX_BASIC[55] is set. */
static uint64_t ctl_msr(const struct vmx_msrs *m, uint64_t plain, uint64_t truem)
{
	return (m->basic & VMX_BASIC_TRUE_CTLS) ? truem : plain;
}

/* From IA32_VMX_BASIC: the VMCS revision identifier and region size, whether
 * the TRUE_* MSRs exist, and whether the VMCS may be write-back memory. */
static void decode_basic(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint64_t memtype = (m->basic >> VMX_BASIC_MEMTYPE_SHIFT) &
			   VMX_BASIC_MEMTYPE_MASK;

	c->vmcs_revision_id = (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK);
	c->vmcs_size = (uint32_t)((m->basic >> VMX_BASIC_VMCS_SIZE_SHIFT) &
				  VMX_BASIC_VMCS_SIZE_MASK);
	c->true_ctls = (m->basic & VMX_BASIC_TRUE_CTLS) != 0;
	c->vmcs_wb = memtype == VMX_BASIC_MEMTYPE_WB;
}

/* The pin-based and primary processor-based features this hypervisor cares
 * about, from the allowed-1 halves (TRUE_* MSRs when present). */
static void decode_pin_proc(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint32_t pin = may_be_one(ctl_msr(m, m->pinbased_ctls,
					  m->true_pinbased_ctls));
	uint32_t proc = may_be_one(ctl_msr(m, m->procbased_ctls,
					   m->true_procbased_ctls));

	c->posted_interrupts = (pin & PINBASED_CTLS_POSTED_INTR) != 0;
	c->preemption_timer = (pin & PINBASED_CTLS_PREEMPTION_TIMER) != 0;
	c->preemption_timer_rate = c->preemption_timer ?
		(uint8_t)(m->misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK) : 0;
	c->tpr_shadow = (proc & PROCBASED_CTLS_USE_TPR_SHADOW) != 0;
	c->msr_bitmaps = (proc & PROCBASED_CTLS_USE_MSR_BITMAPS) != 0;
	c->io_bitmaps = (proc & PROCBASED_CTLS_USE_IO_BITMAPS) != 0;
	c->secondary_ctls = (proc & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS) != 0;
}

/* Secondary controls exist only when the primary word can activate them;
 * a stale IA32_VMX_PROCBASED_CTLS2 value is ignored otherwise. */
static void decode_secondary(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint32_t p2 = c->secondary_ctls ? may_be_one(m->procbased_ctls2) : 0;

	c->ept = (p2 & PROCBASED_CTLS2_ENABLE_EPT) != 0;
	c->vpid = (p2 & PROCBASED_CTLS2_ENABLE_VPID) != 0;
	c->unrestricted_guest = (p2 & PROCBASED_CTLS2_UNRESTRICTED_GUEST) != 0;
	c->apic_register_virt =
		(p2 & PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES) &&
		(p2 & PROCBASED_CTLS2_APIC_REGISTER_VIRT);
	c->virtual_intr_delivery =
		(p2 & PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY) != 0;
	c->x2apic_virt = (p2 & PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE) != 0;
	c->rdtscp = (p2 & PROCBASED_CTLS2_ENABLE_RDTSCP) != 0;
	c->invpcid = (p2 & PROCBASED_CTLS2_ENABLE_INVPCID) != 0;
	c->xsaves = (p2 & PROCBASED_CTLS2_ENABLE_XSAVES) != 0;
}

/* IA32_VMX_EPT_VPID_CAP exists only when EPT or VPID may be enabled; its
 * EPT half means nothing without EPT, its VPID half nothing without VPID. */
static void decode_ept_vpid(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint64_t ept = c->ept ? m->ept_vpid_cap : 0;
	uint64_t vpid = c->vpid ? m->ept_vpid_cap : 0;

	c->ept_4level = (ept & VMX_EPT_PAGE_WALK_4) != 0;
	c->ept_wb = (ept & VMX_EPT_MEMTYPE_WB) != 0;
	c->ept_2m_pages = (ept & VMX_EPT_2MB_PAGE) != 0;
	c->ept_1g_pages = (ept & VMX_EPT_1GB_PAGE) != 0;
	c->ept_ad_bits = (ept & VMX_EPT_AD_BITS) != 0;
	c->invept_single = (ept & VMX_EPT_INVEPT) &&
			   (ept & VMX_EPT_INVEPT_SINGLE_CONTEXT);
	c->invept_all = (ept & VMX_EPT_INVEPT) &&
			(ept & VMX_EPT_INVEPT_ALL_CONTEXT);
	c->invvpid_single = (vpid & VMX_VPID_INVVPID) &&
			    (vpid & VMX_VPID_INVVPID_SINGLE_CONTEXT);
	c->invvpid_all = (vpid & VMX_VPID_INVVPID) &&
			 (vpid & VMX_VPID_INVVPID_ALL_CONTEXT);
}

/* load_efer: the guest's EFER can be loaded on VM entry and the host's on
 * VM exit; save_efer: the guest's EFER is saved on VM exit. */
static void decode_exit_entry(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint32_t exit = may_be_one(ctl_msr(m, m->exit_ctls, m->true_exit_ctls));
	uint32_t entry = may_be_one(ctl_msr(m, m->entry_ctls,
					    m->true_entry_ctls));

	c->load_efer = (entry & ENTRY_CTLS_LOAD_EFER) &&
		       (exit & EXIT_CTLS_LOAD_EFER);
	c->save_efer = (exit & EXIT_CTLS_SAVE_EFER) != 0;
}

/* m may point to c->msr (decoding in place), hence the copy first. */
void vmx_caps_decode(const struct vmx_msrs *m, struct vmx_caps *c)
{
	const struct vmx_msrs raw = *m;

	*c = (struct vmx_caps){ .msr = raw };
	decode_basic(&raw, c);
	decode_pin_proc(&raw, c);
	decode_secondary(&raw, c);
	decode_ept_vpid(&raw, c);
	decode_exit_entry(&raw, c);
}

/*
 * Requirements, each with its reason:
 * - secondary controls: EPT and unrestricted guest live there.
 * - EPT, 4-level walk, WB paging structures: guest memory is isolated by
 *   EPT alone (no shadow paging); mm/ builds 4-level tables in WB memory.
 * - unrestricted guest: the guest starts in real mode / without paging
 *   (firmware, boot loaders); without it real mode would need emulation.
 * - EFER load on entry and exit, EFER save on exit: the guest switches to
 *   long mode by itself (EFER.LME, then CR0.PG sets EFER.LMA) with no exit,
 *   so the VMCS copy must follow it, and the host needs its own EFER (NXE,
 *   LME) back on every exit.  Every CPU with EPT has them.
 * Everything else (VPID, APICv, preemption timer, ...) is optional and
 * decided per control in hv/vmx/ctls.c.
 */
bool vmx_caps_usable(const struct vmx_caps *c, char *missing, size_t size)
{
	if (size)
		missing[0] = '\0';
	if (!c->secondary_ctls)
		str_list_add(missing, "secondary controls", size);
	if (!c->ept)
		str_list_add(missing, "EPT", size);
	else if (!c->ept_4level)
		str_list_add(missing, "EPT 4-level page walk", size);
	if (c->ept && !c->ept_wb)
		str_list_add(missing, "EPT write-back paging structures", size);
	if (!c->unrestricted_guest)
		str_list_add(missing, "unrestricted guest", size);
	if (!c->load_efer)
		str_list_add(missing, "EFER load on VM entry/exit", size);
	if (!c->save_efer)
		str_list_add(missing, "EFER save on VM exit", size);
	return c->secondary_ctls && c->ept && c->ept_4level && c->ept_wb &&
	       c->unrestricted_guest && c->load_efer && c->save_efer;
}

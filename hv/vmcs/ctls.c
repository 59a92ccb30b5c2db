/*
 * The VM-execution, VM-exit and VM-entry control fields of a vCPU's VMCS
 * (Intel SDM Vol. 3, "VM-Execution Control Fields", "VM-Exit Control
 * Fields", "VM-Entry Control Fields").  The control words themselves come
 * from vmx_ctls_compute() (hv/vmx/ctls.c: every bit's reason is there);
 * this file writes them and the fields they need: bitmaps, CR masks, VPID,
 * EPT pointer.
 */
#include "boot/config.h"
#include "hv/lapic/lapic.h"
#include "hv/view/cpu_features.h"
#include "hv/view/cr.h"
#include "hv/view/intercept.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmcs/init.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/log.h"

#define CTLS_ERROR_MAX 256
/* No guest exception exits: the guest handles its own faults.  The exit
 * handlers may set bits later (e.g. #MC, #DB for debugging). */
#define EXCEPTION_BITMAP_NONE 0
/* The preemption timer (when the CPU has it) only bounds how long the
 * guest runs without an exit; the longest period is a safe default until
 * a scheduler wants shorter slices. */
#define PREEMPTION_TIMER_MAX 0xffffffffu

static uint16_t next_vpid = 1;              /* VPID 0 is the host's */

/* Log the five control words once per boot: every vCPU computes the same
 * ones, and the boot tests read them from the first. */
static void log_controls_once(const struct vmx_controls *c)
{
	static bool logged;

	if (logged)
		return;
	logged = true;
	log_info("VMX controls: pin %#x proc %#x proc2 %#x exit %#x entry %#x",
		 c->word[PINBASED_CTLS], c->word[PROCBASED_CTLS],
		 c->word[PROCBASED_CTLS2], c->word[EXIT_CTLS],
		 c->word[ENTRY_CTLS]);
}

/* Compute v's control words from this CPU's capability MSRs into v->ctls
 * (without APIC virtualisation).  False, with the reason logged, when a
 * required control is missing. */
static bool compute_controls(struct vcpu *v, const struct vmx_caps *caps)
{
	/* The virtual LAPIC (hv/lapic/): its xAPIC window exits as APIC
	 * accesses; APICv comes with its own back end. */
	struct vmx_ctls_request req = { .apicv = lapic_wants_apicv(),
					.apic_access = true,
					/* =stop acts at the HLT itself */
					.halt_in_guest = !hv_config.halt_disabled_stop };
	char err[CTLS_ERROR_MAX];

	if (!vmx_ctls_compute(caps, &req, &v->ctls, err, sizeof(err))) {
		log_error("vcpu_init: %s", err);
		return false;
	}
	log_controls_once(&v->ctls);
	return true;
}

/* Write v's control words into the current VMCS; the secondary controls only
 * when the primary word activates them (the field may not exist otherwise).
 */
static void write_control_words(const struct vcpu *v)
{
	const uint32_t *w = v->ctls.word;

	vmcs_write32(VMCS_PINBASED_CTLS, w[PINBASED_CTLS]);
	vmcs_write32(VMCS_PROCBASED_CTLS, w[PROCBASED_CTLS]);
	if (w[PROCBASED_CTLS] & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS)
		vmcs_write32(VMCS_PROCBASED_CTLS2, w[PROCBASED_CTLS2]);
	vmcs_write32(VMCS_EXIT_CTLS, w[EXIT_CTLS]);
	vmcs_write32(VMCS_ENTRY_CTLS, w[ENTRY_CTLS]);
}

/* Fields that must hold a defined value even though nothing uses them. */
static void write_unused_controls(const struct vcpu *v)
{
	vmcs_write32(VMCS_EXCEPTION_BITMAP, EXCEPTION_BITMAP_NONE);
	vmcs_write32(VMCS_PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(VMCS_PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write32(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, 0);
	vmcs_write64(VMCS_TSC_OFFSET, 0);  /* v->tsc_offset: 0 (v zeroed) */
	if (v->ctls.preemption_timer)
		vmcs_write32(VMCS_PREEMPTION_TIMER_VALUE, PREEMPTION_TIMER_MAX);
}

/* Decide which CR0/CR4 bits the hypervisor owns (those VMX fixes, the CR4
 * bits of hidden features (hv/view/cpu_features.h), and CR4.VMXE) into
 * v->cr and write the guest/host masks.  The read shadows are the guest
 * state's (vmcs_guest_init()). */
static void write_cr_masks(struct vcpu *v, const struct vmx_caps *caps)
{
	const struct vmx_msrs *m = &caps->msr;

	v->cr = guest_cr_policy_make(m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0,
				     m->cr4_fixed1 & ~cpu_features_cr4_refused(),
				     v->ctls.unrestricted_guest);
	vmcs_writenat(VMCS_CR0_GUEST_HOST_MASK, v->cr.cr0_mask);
	vmcs_writenat(VMCS_CR4_GUEST_HOST_MASK, v->cr.cr4_mask);
}

/* A VPID of its own keeps the guest's TLB entries apart from the host's
 * (which use VPID 0); flush whatever a previous user of the VPID left. */
static void setup_vpid(struct vcpu *v, const struct vmx_caps *caps)
{
	if (!v->ctls.vpid) {
		static bool logged;

		if (!logged)
			log_info("VPID: not supported; TLB flushed on every VM "
				 "entry");
		logged = true;
		v->vpid = 0;
		return;
	}
	v->vpid = next_vpid++;
	vmcs_write16(VMCS_VPID, v->vpid);
	enum vmx_result r = VMX_SUCCEED;
	if (caps->invvpid_single)
		r = invvpid(INVVPID_SINGLE_CONTEXT, v->vpid, 0);
	else if (caps->invvpid_all)
		r = invvpid(INVVPID_ALL_CONTEXT, 0, 0);
	if (r != VMX_SUCCEED)
		vmx_log_failure("INVVPID", r);
}

/* Guest-physical mappings cached under this EPTP by an earlier user are
 * stale now. */
static bool setup_ept(struct vcpu *v, const struct vmx_caps *caps)
{
	if (!v->eptp) {
		log_error("vcpu_init: no EPT pointer (the caller must build the "
			  "guest's EPT first)");
		return false;
	}
	return vmcs_set_eptp(v, caps);
}

/* Write v->eptp to the VMCS and invalidate what the CPU cached for it
 * (INVEPT); false, logged, when INVEPT fails. */
bool vmcs_set_eptp(struct vcpu *v, const struct vmx_caps *caps)
{
	enum vmx_result r = VMX_SUCCEED;

	vmcs_write64(VMCS_EPT_POINTER, v->eptp);
	if (caps->invept_single)
		r = invept(INVEPT_SINGLE_CONTEXT, v->eptp);
	else if (caps->invept_all)
		r = invept(INVEPT_ALL_CONTEXT, 0);
	if (r != VMX_SUCCEED) {
		vmx_log_failure("INVEPT", r);
		return false;
	}
	return true;
}

/* Fill the control fields of v's VMCS: control words, defined values for
 * unused fields, CR masks, MSR/I/O bitmaps, VPID and EPT pointer.  Expects
 * v's VMCS current and v->eptp set; false (logged) when the controls cannot
 * be met or the EPTP is missing or cannot be flushed. */
bool vmcs_ctrl_init(struct vcpu *v, const struct vmx_caps *caps)
{
	if (!compute_controls(v, caps))
		return false;
	write_control_words(v);
	write_unused_controls(v);
	write_cr_masks(v, caps);
	intercept_init(v);
	setup_vpid(v, caps);
	return setup_ept(v, caps);
}

/*
 * VMX detection (see hv/vmx/detect.h): who the CPU is, whether it has VMX,
 * whether the firmware lets us use it (IA32_FEATURE_CONTROL), and what the
 * VMX capability MSRs offer.  Intel SDM Vol. 3, "Discovering Support for
 * VMX", "Enabling and Entering VMX Operation", Appendix A "VMX Capability
 * Reporting Facility".
 */
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/vmx/feature_control.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/detect.h"
#include "lib/log.h"
#include "lib/str.h"


/* CPUID.1:EAX version information */
#define VERSION_STEPPING(eax)   ((eax) & 0xf)
#define VERSION_MODEL(eax)      (((eax) >> 4) & 0xf)
#define VERSION_FAMILY(eax)     (((eax) >> 8) & 0xf)
#define VERSION_EXT_MODEL(eax)  (((eax) >> 16) & 0xf)
#define VERSION_EXT_FAMILY(eax) (((eax) >> 20) & 0xff)
#define FAMILY_P6               0x6
#define FAMILY_EXTENDED         0xf   /* add the extended family */

#define VENDOR_LEN              12
#define BRAND_LEN               48
#define MISSING_LIST_MAX        160

static const char intel_vendor[] = "GenuineIntel";

struct cpu_identity {
	char vendor[VENDOR_LEN + 1];
	char brand[BRAND_LEN + 1];
	uint32_t family, model, stepping;
};

/* ---- CPU identity --------------------------------------------------------- */

/* The 12-character CPUID vendor string ("GenuineIntel") into vendor, which
 * must hold VENDOR_LEN + 1 bytes. */
static void read_vendor(char *vendor)
{
	struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR, 0);

	/* The vendor string is EBX, EDX, ECX in that order. */
	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[VENDOR_LEN] = '\0';
}

/* The processor brand string, leading blanks dropped; "" when absent. */
static void read_brand(char *brand)
{
	brand[0] = '\0';
	if (cpuid(CPUID_EXT_MAX_LEAF, 0).eax < CPUID_EXT_BRAND_LAST)
		return;
	for (uint32_t leaf = CPUID_EXT_BRAND_FIRST; leaf <= CPUID_EXT_BRAND_LAST; leaf++) {
		struct cpuid_regs r = cpuid(leaf, 0);
		memcpy(brand + (leaf - CPUID_EXT_BRAND_FIRST) * sizeof(r), &r,
		       sizeof(r));
	}
	brand[BRAND_LEN] = '\0';

	size_t skip = 0;
	while (brand[skip] == ' ')
		skip++;
	memmove(brand, brand + skip, BRAND_LEN + 1 - skip);
}

/* Display family and model as the SDM defines them (CPUID, "Version
 * Information"). */
static void read_version(struct cpu_identity *id)
{
	uint32_t eax = cpuid(CPUID_LEAF_FEATURES, 0).eax;

	id->family = VERSION_FAMILY(eax);
	id->model = VERSION_MODEL(eax);
	id->stepping = VERSION_STEPPING(eax);
	if (id->family == FAMILY_P6 || id->family == FAMILY_EXTENDED)
		id->model |= VERSION_EXT_MODEL(eax) << 4;
	if (id->family == FAMILY_EXTENDED)
		id->family += VERSION_EXT_FAMILY(eax);
}

/* Read and log who this CPU is (vendor, family, model, stepping, brand), so
 * that every boot log says what it ran on. */
static void cpu_identify(struct cpu_identity *id)
{
	read_vendor(id->vendor);
	read_brand(id->brand);
	read_version(id);
	if (id->brand[0])
		log_info("cpu: %s family 0x%x model 0x%x stepping %u (%s)",
			 id->vendor, id->family, id->model, id->stepping,
			 id->brand);
	else
		log_info("cpu: %s family 0x%x model 0x%x stepping %u",
			 id->vendor, id->family, id->model, id->stepping);
}

/* ---- VMX present and enabled ---------------------------------------------- */

/* Whether CPUID says the CPU has VMX, logged either way, with an error a
 * user can act on when it has not. */
static bool vmx_present(void)
{
	bool vmx = cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_VMX;

	log_info("VMX: %s (CPUID.1:ECX.VMX=%d)", vmx ? "present" : "absent",
		 vmx);
	if (!vmx)
		log_error("this CPU does not support Intel VT-x (VMX); the "
			  "hypervisor cannot run here.");
	return vmx;
}

/* Log an IA32_FEATURE_CONTROL value (what says read or written): lock and
 * VMX-outside-SMX bits. */
static void log_feature_control(const char *what, uint64_t value)
{
	log_info("IA32_FEATURE_CONTROL: %s0x%llx (%s, VMX outside SMX %s)", what,
		 (unsigned long long)value,
		 value & FEATURE_CONTROL_LOCK ? "locked" : "unlocked",
		 value & FEATURE_CONTROL_VMX_OUTSIDE_SMX ? "enabled"
							 : "disabled");
}

/* The firmware left the register unlocked: enable VMX and lock it, which
 * VMXON requires.  The write cannot be undone until reset. */
static bool feature_control_enable(uint64_t value)
{
	wrmsr(IA32_FEATURE_CONTROL, value);
	uint64_t now = rdmsr(IA32_FEATURE_CONTROL);
	log_feature_control("was unlocked; enabled VMX and locked it: ", now);
	if (now != value) {
		log_error("IA32_FEATURE_CONTROL: wrote 0x%llx but read back "
			  "0x%llx; VMX cannot be enabled.",
			  (unsigned long long)value, (unsigned long long)now);
		return false;
	}
	return true;
}

/* This hypervisor never enters SMX (GETSEC[SENTER]). */
static bool feature_control_ready(void)
{
	uint64_t value = rdmsr(IA32_FEATURE_CONTROL);
	uint64_t write = 0;

	log_feature_control("", value);
	switch (feature_control_decide(value, false, &write)) {
	case FEATURE_CONTROL_USABLE:
		return true;
	case FEATURE_CONTROL_ENABLE_AND_LOCK:
		return feature_control_enable(write);
	case FEATURE_CONTROL_LOCKED_OFF:
		break;
	}
	log_error("VMX is disabled and locked by the firmware "
		  "(IA32_FEATURE_CONTROL=0x%llx); enable Intel VT-x in the "
		  "firmware setup and boot again.", (unsigned long long)value);
	return false;
}

/* ---- Capability MSRs ---------------------------------------------------- */

/* When an MSR exists (Appendix A); reading a missing one is #GP. */
enum msr_presence {
	MSR_ALWAYS,             /* every CPU with VMX */
	MSR_IF_SECONDARY,       /* primary allowed-1 "activate secondary controls" */
	MSR_IF_EPT_OR_VPID,     /* secondary allowed-1 "enable EPT" or "enable VPID" */
	MSR_IF_TRUE_CTLS,       /* IA32_VMX_BASIC[55] */
	MSR_IF_VMFUNC,          /* secondary allowed-1 "enable VM functions" */
};

struct vmx_msr_row {
	uint32_t index;
	const char *name;
	size_t offset;          /* in struct vmx_msrs */
	enum msr_presence presence;
};

#define VMX_MSR(msr, field, when) \
	{ msr, #msr, offsetof(struct vmx_msrs, field), when }

/* In MSR order, which is also dependency order: each presence condition
 * only looks at MSRs listed before it. */
static const struct vmx_msr_row vmx_msr_rows[] = {
	VMX_MSR(IA32_VMX_BASIC, basic, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_PINBASED_CTLS, pinbased_ctls, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_PROCBASED_CTLS, procbased_ctls, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_EXIT_CTLS, exit_ctls, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_ENTRY_CTLS, entry_ctls, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_MISC, misc, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_CR0_FIXED0, cr0_fixed0, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_CR0_FIXED1, cr0_fixed1, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_CR4_FIXED0, cr4_fixed0, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_CR4_FIXED1, cr4_fixed1, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_VMCS_ENUM, vmcs_enum, MSR_ALWAYS),
	VMX_MSR(IA32_VMX_PROCBASED_CTLS2, procbased_ctls2, MSR_IF_SECONDARY),
	VMX_MSR(IA32_VMX_EPT_VPID_CAP, ept_vpid_cap, MSR_IF_EPT_OR_VPID),
	VMX_MSR(IA32_VMX_TRUE_PINBASED_CTLS, true_pinbased_ctls, MSR_IF_TRUE_CTLS),
	VMX_MSR(IA32_VMX_TRUE_PROCBASED_CTLS, true_procbased_ctls, MSR_IF_TRUE_CTLS),
	VMX_MSR(IA32_VMX_TRUE_EXIT_CTLS, true_exit_ctls, MSR_IF_TRUE_CTLS),
	VMX_MSR(IA32_VMX_TRUE_ENTRY_CTLS, true_entry_ctls, MSR_IF_TRUE_CTLS),
	VMX_MSR(IA32_VMX_VMFUNC, vmfunc, MSR_IF_VMFUNC),
};

/* The allowed-1 half (bits 63:32) of a control capability MSR. */
static uint32_t may_be_one(uint64_t ctl_msr)
{
	return (uint32_t)(ctl_msr >> 32);
}

/* Whether a capability MSR exists, by its row's presence rule, judged from
 * the MSRs read before it (the table lists those first).  Reading one that
 * does not exist would #GP. */
static bool msr_exists(enum msr_presence when, const struct vmx_msrs *m)
{
	/* procbased_ctls2 is still 0 when it does not exist. */
	uint32_t secondary = may_be_one(m->procbased_ctls2);

	switch (when) {
	case MSR_ALWAYS:
		return true;
	case MSR_IF_SECONDARY:
		return may_be_one(m->procbased_ctls) &
		       PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS;
	case MSR_IF_EPT_OR_VPID:
		return secondary & (PROCBASED_CTLS2_ENABLE_EPT |
				    PROCBASED_CTLS2_ENABLE_VPID);
	case MSR_IF_TRUE_CTLS:
		return m->basic & VMX_BASIC_TRUE_CTLS;
	case MSR_IF_VMFUNC:
		return secondary & PROCBASED_CTLS2_ENABLE_VMFUNC;
	}
	return false;
}

/* Read every capability MSR this CPU has; the others stay 0.  Logs the raw
 * values at debug level. */
static void read_vmx_msrs(struct vmx_msrs *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(vmx_msr_rows) / sizeof(vmx_msr_rows[0]); i++) {
		const struct vmx_msr_row *row = &vmx_msr_rows[i];
		uint64_t *field = (uint64_t *)((char *)m + row->offset);

		if (!msr_exists(row->presence, m)) {
			log_debug("VMX MSR %#x %s: not present", row->index,
				  row->name);
			continue;
		}
		*field = rdmsr(row->index);
		log_debug("VMX MSR %#x %s = %#018llx", row->index, row->name,
			  (unsigned long long)*field);
	}
}

/* "yes" or "no", for the summary line. */
static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* Log the decoded capabilities: the VMCS facts at debug level, the features
 * that matter for the guest at info level. */
static void log_vmx_summary(const struct vmx_caps *c)
{
	log_debug("VMX: VMCS revision id %#x, %u bytes, %s memory, "
		  "TRUE controls %s", c->vmcs_revision_id, c->vmcs_size,
		  c->vmcs_wb ? "write-back" : "uncacheable",
		  yes_no(c->true_ctls));
	log_info("VMX capabilities: EPT %s, VPID %s, unrestricted guest %s, "
		 "APIC-register virtualization %s, virtual-interrupt delivery "
		 "%s, posted interrupts %s, preemption timer %s (rate %u)",
		 yes_no(c->ept), yes_no(c->vpid),
		 yes_no(c->unrestricted_guest), yes_no(c->apic_register_virt),
		 yes_no(c->virtual_intr_delivery), yes_no(c->posted_interrupts),
		 yes_no(c->preemption_timer), c->preemption_timer_rate);
}

/* ---- Verdict -------------------------------------------------------------- */

/* Decide whether this hypervisor can use VMX on this CPU: Intel, VMX
 * present, IA32_FEATURE_CONTROL allowing VMXON (enabled and locked here when
 * the firmware left it open), and the required features.  Fills caps as far
 * as it got; false with a reason logged.  Before any VMXON. */
bool vmx_detect(struct vmx_caps *caps)
{
	struct cpu_identity id;

	memset(caps, 0, sizeof(*caps));
	cpu_identify(&id);
	if (strcmp(id.vendor, intel_vendor) != 0) {
		log_error("this is not an Intel CPU (vendor %s); this "
			  "hypervisor needs Intel VT-x (VMX).", id.vendor);
		return false;
	}
	if (!vmx_present() || !feature_control_ready())
		return false;

	read_vmx_msrs(&caps->msr);
	vmx_caps_decode(&caps->msr, caps);
	log_vmx_summary(caps);

	char missing[MISSING_LIST_MAX];
	if (!vmx_caps_usable(caps, missing, sizeof(missing))) {
		log_error("VMX lacks required features: %s; this hypervisor "
			  "needs an Intel CPU with EPT and unrestricted guest "
			  "(Westmere or newer).", missing);
		return false;
	}
	log_info("VMX: usable");
	return true;
}

/*
 * VMX capability MSRs (Intel SDM Vol. 3, Appendix A, "VMX Capability
 * Reporting Facility") and what they say.  Decoding is pure so that host
 * unit tests can feed recorded values of real and emulated CPUs; reading
 * the MSRs is hv/vmx/detect.c's job.
 */
#ifndef HV_VMX_CAPS_H
#define HV_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Raw values, as read.  MSRs the CPU does not have (for example the
 * secondary controls when the primary controls cannot activate them, or
 * the TRUE_* set when IA32_VMX_BASIC bit 55 is clear) are left 0. */
struct vmx_msrs {
	uint64_t basic;
	uint64_t pinbased_ctls;
	uint64_t procbased_ctls;
	uint64_t exit_ctls;
	uint64_t entry_ctls;
	uint64_t misc;
	uint64_t cr0_fixed0, cr0_fixed1;
	uint64_t cr4_fixed0, cr4_fixed1;
	uint64_t vmcs_enum;
	uint64_t procbased_ctls2;
	uint64_t ept_vpid_cap;
	uint64_t true_pinbased_ctls;
	uint64_t true_procbased_ctls;
	uint64_t true_exit_ctls;
	uint64_t true_entry_ctls;
	uint64_t vmfunc;
};

/* What the MSRs say, one flag per feature this hypervisor cares about. */
struct vmx_caps {
	struct vmx_msrs msr;
	uint32_t vmcs_revision_id;     /* IA32_VMX_BASIC[30:0] */
	uint32_t vmcs_size;            /* IA32_VMX_BASIC[44:32], bytes */
	bool true_ctls;                /* IA32_VMX_BASIC[55] */
	bool vmcs_wb;                  /* VMCS memory type is write-back */
	bool secondary_ctls;           /* primary "activate secondary controls" may be 1 */
	bool ept;
	bool vpid;
	bool unrestricted_guest;
	bool tpr_shadow;
	bool apic_register_virt;       /* "virtualize APIC accesses" + "APIC-register virtualization" */
	bool virtual_intr_delivery;
	bool posted_interrupts;
	bool preemption_timer;
	uint8_t preemption_timer_rate; /* IA32_VMX_MISC[4:0]: TSC >> rate */
	bool msr_bitmaps;
	bool io_bitmaps;
	bool x2apic_virt;
	bool rdtscp;
	bool invpcid;
	bool xsaves;
	bool ept_4level;               /* page-walk length 4 */
	bool ept_wb;                   /* EPT paging structures may be WB */
	bool ept_2m_pages;
	bool ept_1g_pages;
	bool ept_ad_bits;
	bool invept_single, invept_all;
	bool invvpid_single, invvpid_all;
	bool load_efer, save_efer;     /* VM-entry/VM-exit EFER controls */
};

void vmx_caps_decode(const struct vmx_msrs *m, struct vmx_caps *c);

/*
 * True when this hypervisor can run on these capabilities (EPT with 4-level
 * walks and WB paging structures, unrestricted guest, ...).  Otherwise
 * writes the missing features as a comma-separated list into `missing`.
 */
bool vmx_caps_usable(const struct vmx_caps *c, char *missing, size_t size);

#endif

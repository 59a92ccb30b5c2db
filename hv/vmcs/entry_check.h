/*
 * A software check of the main VM-entry rules (Intel SDM Vol. 3, "Checks
 * on VMX Controls and Host-State Area", "Checks on the Guest State Area"),
 * run when the CPU refuses a VM entry, to name the rule broken: the CPU
 * itself only says "invalid control field", "invalid host-state field" or
 * "invalid guest state".
 *
 * Pure: the check reads a plain struct of values.  vmentry_state_read()
 * (hv/vmcs/entry_read.c) fills it from the current VMCS and the capability
 * MSRs; host unit tests fill it by hand.
 */
#ifndef HV_VMENTRY_CHECK_H
#define HV_VMENTRY_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vmx/caps.h"

enum vmentry_seg {
	VMENTRY_SEG_ES, VMENTRY_SEG_CS, VMENTRY_SEG_SS, VMENTRY_SEG_DS,
	VMENTRY_SEG_FS, VMENTRY_SEG_GS, VMENTRY_SEG_LDTR, VMENTRY_SEG_TR,
	VMENTRY_SEGS
};

struct vmentry_seg_state {
	uint16_t sel;
	uint64_t base;
	uint32_t limit;
	uint32_t ar;
};

struct vmentry_state {
	/* What the CPU allows (capability MSRs) and is. */
	struct vmx_msrs msr;
	unsigned maxphyaddr;            /* CPUID.80000008H:EAX[7:0] */

	/* Controls. */
	uint32_t pin, proc, proc2, exit, entry;
	uint32_t cr3_target_count;
	uint64_t io_bitmap_a, io_bitmap_b, msr_bitmap;
	uint64_t eptp;
	uint16_t vpid;
	uint32_t entry_intr_info;

	/* Host state. */
	uint64_t host_cr0, host_cr3, host_cr4;
	uint16_t host_sel[VMENTRY_SEGS];    /* ES..GS, TR; LDTR unused */
	uint64_t host_fs_base, host_gs_base, host_tr_base;
	uint64_t host_gdtr_base, host_idtr_base;
	uint64_t host_sysenter_esp, host_sysenter_eip;
	uint64_t host_efer, host_pat;
	uint64_t host_rip;

	/* Guest state. */
	uint64_t guest_cr0, guest_cr3, guest_cr4, guest_dr7;
	uint64_t guest_debugctl, guest_efer, guest_pat;
	uint64_t guest_sysenter_esp, guest_sysenter_eip;
	struct vmentry_seg_state seg[VMENTRY_SEGS];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint64_t rip, rflags;
	uint32_t activity, interruptibility;
	uint64_t pending_dbg;
	uint64_t link_pointer;
};

/* Called once per broken rule: the rule in SDM words, the field, and its
 * value. */
typedef void (*vmentry_report_fn)(void *ctx, const char *rule,
				  const char *field, uint64_t value);

/* Check every rule; returns how many are broken. */
unsigned vmentry_check(const struct vmentry_state *s, vmentry_report_fn report,
		       void *ctx);

/* Fill s from the current VMCS and the capability MSRs in caps. */
void vmentry_state_read(struct vmentry_state *s, const struct vmx_caps *caps);

/* Read the current VMCS, check, and log each broken rule as an error
 * "VM-entry check: <rule> (<field>=0x...)"; returns the count (nothing is
 * logged when it is 0). */
unsigned vmentry_check_current(const struct vmx_caps *caps);

#endif

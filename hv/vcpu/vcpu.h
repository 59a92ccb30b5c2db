/*
 * A virtual CPU: its VMCS, the guest registers the VMCS does not hold, the
 * bitmaps that decide what exits, pending events, and exit statistics.
 * One per physical CPU (today: the BSP runs the one guest).
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/guest.h"
#include "hv/exit/stats.h"
#include "hv/lapic/lapic.h"
#include "hv/view/cr.h"
#include "hv/view/mtrr_view.h"
#include "hv/vcpu/regs.h"
#include "hv/vcpu/requests.h"
#include "hv/view/msr_policy.h"
#include "hv/vmx/ctls.h"

struct percpu;

struct vcpu {
	struct guest_regs regs;     /* first: saved/loaded by hv/vcpu/vmx_run.S */
	bool launched;              /* VMLAUNCH done: next entry is VMRESUME */
	uint32_t id;
	uint16_t vpid;              /* 0 when the CPU has no VPID */
	struct percpu *cpu;

	uint64_t vmcs_phys;
	uint64_t msr_bitmap_phys;   /* 4 KiB: read/write x low/high MSRs */
	uint64_t io_bitmap_a_phys;  /* ports 0x0000-0x7fff */
	uint64_t io_bitmap_b_phys;  /* ports 0x8000-0xffff */
	uint64_t eptp;

	struct vmx_controls ctls;   /* the control words in this VMCS */
	struct guest_cr_policy cr;  /* CR0/CR4 ownership (hv/view/cr.h) */
	struct mtrr_view mtrr;      /* the guest's MTRRs (captured on first use) */
	uint32_t ept_type_changes;  /* EPT rebuilds for the guest's MTRRs */
	bool ept_types_refused;     /* a rebuild was refused (logged once) */
	uint32_t msr_denials_logged; /* rate limit of the MSR refusal log */
	struct msr_denied msr_denied; /* default-deny refusals, for the summary */

	/* Why the guest was stopped (NULL while it runs). */
	const char *stop_reason;
	bool stop_success;

	/* Speculation hygiene (hv/vcpu/mitigations.h). */
	uint32_t enter_flags;       /* VMX_ENTER_* for vmx_enter() */
	bool l1d_flush;             /* IA32_FLUSH_CMD before each entry */
	uint64_t spec_ctrl_host;    /* IA32_SPEC_CTRL in root mode; 0: the MSR
	                               is the guest's alone, never switched */
	uint64_t spec_ctrl_guest;   /* the guest's, read at its last exit */

	uint32_t precheck_broken;   /* rules the check before VMLAUNCH named */
	uint64_t exit_tsc;          /* TSC at the current VM exit */
	struct lapic_vcpu lapic;    /* the guest's local APIC (hv/lapic/) */
	uint64_t timer_deadline;    /* earliest exit asked for (hv/vcpu/timer.h) */
	uint64_t timer_poll;        /* earliest poll asked for, soft or hard */
	uint64_t tsc_offset;        /* the VMCS TSC offset (vcpu_set_tsc_offset()) */
	uint8_t timer_rate;         /* preemption timer: TSC ticks >> rate */
	uint32_t requests;          /* VCPU_REQ_* work before the next entry
	                               (hv/vcpu/requests.h) */
	struct exit_stats stats;
};

/* Allocate and initialise the VMCS and bitmaps for the guest described by
 * `entry`; false (with the reason logged) when VMX refuses.
 * Before: vmx_enable() on this CPU (hv/vmx/vmxon.h), v zeroed except v->eptp,
 * which the caller sets to the guest's EPT pointer (guest_ept_init()). */
bool vcpu_init(struct vcpu *v, const struct guest_entry *entry);

/* Run the guest until it stops; returns when v->stop_reason is set. */
void vcpu_run(struct vcpu *v);

/* Stop the guest: the run loop ends after the current exit. */
void vcpu_stop(struct vcpu *v, bool success, const char *reason);

#endif

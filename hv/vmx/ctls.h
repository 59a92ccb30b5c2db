/*
 * The static VMX control words this hypervisor runs its guest with,
 * computed once from the capability MSRs (Intel SDM Vol. 3, Appendix A.2-
 * A.5 "...Controls", and "VM-Execution Control Fields" for what each bit
 * does).  Pure, so host unit tests feed recorded CPUs; the choices and the
 * reason for every bit are in hv/vmx/ctls.c.
 */
#ifndef HV_VMX_CTLS_H
#define HV_VMX_CTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/vmx/caps.h"

/* Each control word is 32 bits wide. */
#define VMX_CTLS_WORD_BITS 32

enum vmx_ctl_word {
	PINBASED_CTLS,
	PROCBASED_CTLS,
	PROCBASED_CTLS2,
	EXIT_CTLS,
	ENTRY_CTLS,
	VMX_CTLS_WORDS
};

/* What the caller wants beyond the fixed set. */
struct vmx_ctls_request {
	/* APIC virtualisation: use TPR shadow, virtualize APIC accesses,
	 * APIC-register virtualization, virtual-interrupt delivery, and
	 * posted interrupts where possible.  Needs a virtual-APIC page and an
	 * APIC-access page from the VMX core.  When false (or not available)
	 * none of them is set. */
	bool apicv;
	/* Without APICv: "virtualize APIC accesses" alone, so that the
	 * guest's xAPIC window exits as APIC accesses (the software back end
	 * of the virtual LAPIC).  Ignored when apicv is granted. */
	bool apic_access;
	/* With the VMX-preemption timer granted: HLT does not exit
	 * (resolve_halt() in hv/vmx/ctls.c says why that is safe). */
	bool halt_in_guest;
};

struct vmx_controls {
	/* Values for VMCS_PINBASED_CTLS, _PROC_BASED, _PROC_BASED2,
	 * VMCS_EXIT_CTLS, VMCS_ENTRY_CTLS.  The entry word never has "IA-32e
	 * mode guest": that one is per guest state, set by the VMX core. */
	uint32_t word[VMX_CTLS_WORDS];
	/* Allowed-1 settings, for controls the VMX core toggles at run time
	 * (interrupt-/NMI-window exiting, IA-32e mode guest, monitor trap
	 * flag): a bit may be set only where this has a 1. */
	uint32_t may_be_one[VMX_CTLS_WORDS];

	/* Features actually enabled by the words above. */
	bool ept, vpid, unrestricted_guest;
	bool preemption_timer;      /* VMCS_PREEMPTION_TIMER_VALUE is live */
	bool tpr_shadow;            /* needs VMCS_VIRTUAL_APIC_PAGE_ADDR */
	bool cr8_exiting;           /* MOV CR8 exits (no TPR shadow) */
	bool apicv;                 /* the four APICv controls are on */
	bool apicv_available;       /* ... and the CPU could turn them on */
	bool apic_access;           /* "virtualize APIC accesses" is on */
	bool posted_interrupts;     /* needs VMCS_POSTED_INTR_* fields */
	bool rdtscp, invpcid, xsaves; /* else the guest gets #UD: hide in CPUID */
	bool pat;                   /* guest/host IA32_PAT swapped by the CPU */
	bool cr3_exiting;           /* forced on (CPU without TRUE_* MSRs) */
	bool hlt_exiting;           /* HLT exits (else the guest halts in VMX non-root operation) */
};

/*
 * Compute the control words.  Returns false when a REQUIRED control is not
 * allowed by the CPU, with a message naming each MSR and the missing
 * controls ("IA32_VMX_PROCBASED_CTLS2 does not allow required control(s):
 * enable EPT, unrestricted guest") in err; out is then not usable.
 */
bool vmx_ctls_compute(const struct vmx_caps *caps,
		      const struct vmx_ctls_request *req,
		      struct vmx_controls *out, char *err, size_t size);

/* The SDM name of one control bit ("HLT exiting"), or NULL when the bit is
 * reserved.  For the boot log and error messages. */
const char *vmx_ctl_bit_name(enum vmx_ctl_word word, unsigned bit);

/* "pin-based VM-execution controls", ... */
const char *vmx_ctl_word_name(enum vmx_ctl_word word);

#endif

/*
 * Computing the VMX control words (Intel SDM Vol. 3, Appendix A.3-A.5,
 * "VM-Execution/VM-Exit/VM-Entry Control Fields").
 *
 * Per word a REQUIRED mask (the hypervisor cannot run without it: a bit the
 * CPU does not allow is an error naming the MSR and the bit) and an
 * OPTIONAL mask (used where the CPU allows it).  The CPU's limits come from
 * the TRUE_* MSRs when IA32_VMX_BASIC[55] is set, else from the plain ones:
 *
 *     value = ((REQUIRED | OPTIONAL) & allowed-1) | allowed-0
 *
 * after dropping features whose partners are missing (resolve_*()).
 */
#include "hv/vmx/ctls.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/str.h"


/* ---- Pin-based ---------------------------------------------------------- */
#define PINBASED_CTLS_REQUIRED ( \
	PINBASED_CTLS_EXT_INTR_EXITING | /* host owns the physical interrupts; the guest gets injected ones */ \
	PINBASED_CTLS_NMI_EXITING |      /* an NMI may be the host's (panic, watchdog): it decides */ \
	PINBASED_CTLS_VIRTUAL_NMIS)      /* guest NMI blocking tracked by the CPU: NMI-window exiting works */
#define PINBASED_CTLS_OPTIONAL ( \
	PINBASED_CTLS_PREEMPTION_TIMER | /* bounded guest run time without a host timer interrupt */ \
	PINBASED_CTLS_POSTED_INTR)       /* APICv only: interrupts delivered without VM exits */

/* ---- Primary processor-based --------------------------------------------
 * Not set, on purpose: INVLPG exiting and CR3-load/-store exiting (EPT
 * makes guest paging the guest's business; allowed-0 still forces CR3
 * exiting on CPUs without TRUE_* MSRs, reported as cr3_exiting); RDTSC
 * exiting (the guest reads the TSC directly; TSC offsetting, optional
 * below, keeps the offset 0 until the monitor pauses the guest); MOV-DR exiting
 * (DR7 and IA32_DEBUGCTL are switched by the debug-controls pair, the host
 * uses no other debug register); unconditional I/O exiting (the I/O
 * bitmaps decide per port); PAUSE exiting (one guest, nobody to yield to);
 * interrupt-window and NMI-window exiting (turned on and off at run time
 * by hv/vcpu/inject.c, see may_be_one); the monitor trap flag (turned on
 * for one guest instruction by the MMIO write watch, hv/view/mmio_watch.c). */
#define PROCBASED_CTLS_REQUIRED ( \
	PROCBASED_CTLS_HLT_EXITING |                /* an idle guest gives the CPU back to the host (not with the preemption timer: resolve_halt()) */ \
	PROCBASED_CTLS_MWAIT_EXITING |              /* no guest-chosen C-states on a CPU the host owns */ \
	PROCBASED_CTLS_MONITOR_EXITING |            /* pairs with MWAIT exiting */ \
	PROCBASED_CTLS_RDPMC_EXITING |              /* no virtual PMU: the host's counters stay private */ \
	PROCBASED_CTLS_USE_IO_BITMAPS |             /* per-port choice between pass-through and emulation */ \
	PROCBASED_CTLS_USE_MSR_BITMAPS |            /* per-MSR choice; without them every RDMSR/WRMSR exits */ \
	PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS) /* EPT and unrestricted guest live there */
#define PROCBASED_CTLS_OPTIONAL ( \
	PROCBASED_CTLS_USE_TSC_OFFSETTING | /* the monitor's pause taken out of the guest's time */ \
	PROCBASED_CTLS_USE_TPR_SHADOW |   /* APICv only: guest TPR in the virtual-APIC page */ \
	PROCBASED_CTLS_CR8_LOAD_EXITING | /* without TPR shadow: the guest must not set the */ \
	PROCBASED_CTLS_CR8_STORE_EXITING) /* physical TPR, which gates the host's interrupts */

/* ---- Secondary processor-based ------------------------------------------
 * Not set, on purpose: RDRAND and RDSEED exiting (the guest may use the
 * hardware random number generator directly; an exit per instruction buys
 * nothing); descriptor-table exiting, PML, VMCS shadowing, VM functions,
 * TSC scaling and the rest (no use for them). */
#define PROCBASED_CTLS2_REQUIRED ( \
	PROCBASED_CTLS2_ENABLE_EPT |         /* guest memory isolated by EPT, no shadow paging */ \
	PROCBASED_CTLS2_UNRESTRICTED_GUEST | /* real-mode and non-paged guest code runs natively */ \
	PROCBASED_CTLS2_WBINVD_EXITING)      /* WBINVD stalls the CPU for milliseconds, uninterruptibly */
#define PROCBASED_CTLS2_OPTIONAL ( \
	PROCBASED_CTLS2_ENABLE_VPID |              /* guest TLB entries survive VM exits */ \
	PROCBASED_CTLS2_ENABLE_RDTSCP |            /* else RDTSCP is #UD: CPUID must hide it */ \
	PROCBASED_CTLS2_ENABLE_INVPCID |           /* else INVPCID is #UD: CPUID must hide it */ \
	PROCBASED_CTLS2_ENABLE_XSAVES |            /* else XSAVES/XRSTORS are #UD: CPUID must hide them */ \
	PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES | /* APICv only (request) */ \
	PROCBASED_CTLS2_APIC_REGISTER_VIRT |       /* APICv only: APIC reads without exits */ \
	PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY)     /* APICv only: interrupt injection without exits */

/* ---- VM-exit ------------------------------------------------------------ */
#define EXIT_CTLS_REQUIRED ( \
	EXIT_CTLS_HOST_ADDR_SPACE_SIZE | /* the host runs in 64-bit mode */ \
	EXIT_CTLS_SAVE_EFER |            /* guest EFER changes (LME, LMA) without exits */ \
	EXIT_CTLS_LOAD_EFER |            /* host gets its own EFER (NXE, SCE) back */ \
	EXIT_CTLS_ACK_INTR_ON_EXIT |     /* the vector arrives in the exit information */ \
	EXIT_CTLS_SAVE_DEBUG_CONTROLS)   /* guest DR7/DEBUGCTL kept in the VMCS */
#define EXIT_CTLS_OPTIONAL ( \
	EXIT_CTLS_SAVE_PAT | /* guest PAT kept in the VMCS ... */ \
	EXIT_CTLS_LOAD_PAT)  /* ... host PAT restored: both memory-type views intact */

/* ---- VM-entry -----------------------------------------------------------
 * "IA-32e mode guest" is guest state, set per guest by the VMX core. */
#define ENTRY_CTLS_REQUIRED ( \
	ENTRY_CTLS_LOAD_EFER |          /* pairs with save/load EFER on exit */ \
	ENTRY_CTLS_LOAD_DEBUG_CONTROLS) /* pairs with save debug controls on exit */
#define ENTRY_CTLS_OPTIONAL ( \
	ENTRY_CTLS_LOAD_PAT) /* pairs with save/load PAT on exit */

struct ctl_spec {
	uint32_t required, optional;
};

static const struct ctl_spec specs[VMX_CTLS_WORDS] = {
	[PINBASED_CTLS] = { PINBASED_CTLS_REQUIRED, PINBASED_CTLS_OPTIONAL },
	[PROCBASED_CTLS] = { PROCBASED_CTLS_REQUIRED, PROCBASED_CTLS_OPTIONAL },
	[PROCBASED_CTLS2] = { PROCBASED_CTLS2_REQUIRED, PROCBASED_CTLS2_OPTIONAL },
	[EXIT_CTLS] = { EXIT_CTLS_REQUIRED, EXIT_CTLS_OPTIONAL },
	[ENTRY_CTLS] = { ENTRY_CTLS_REQUIRED, ENTRY_CTLS_OPTIONAL },
};

/* The CPU's limits for one word: bits that must be 1, bits that may be 1,
 * and the MSR they were read from (for messages). */
struct ctl_limits {
	uint32_t must_be_one, may_be_one;
	const char *msr;
};

/* The limits of a control word from its capability MSR value: must-be-one is
 * the low half, may-be-one the high half.  name is kept for messages. */
static struct ctl_limits limits_from(uint64_t msr, const char *name)
{
	return (struct ctl_limits){ (uint32_t)msr, (uint32_t)(msr >> 32), name };
}

/* The secondary word has no TRUE_* MSR and exists only when the primary
 * word may activate it. */
static struct ctl_limits word_limits(const struct vmx_caps *c,
				     enum vmx_ctl_word w)
{
	const struct vmx_msrs *m = &c->msr;
	bool t = c->true_ctls;

	switch (w) {
	case PINBASED_CTLS:
		return t ? limits_from(m->true_pinbased_ctls, "IA32_VMX_TRUE_PINBASED_CTLS")
			 : limits_from(m->pinbased_ctls, "IA32_VMX_PINBASED_CTLS");
	case PROCBASED_CTLS:
		return t ? limits_from(m->true_procbased_ctls, "IA32_VMX_TRUE_PROCBASED_CTLS")
			 : limits_from(m->procbased_ctls, "IA32_VMX_PROCBASED_CTLS");
	case PROCBASED_CTLS2:
		return limits_from(c->secondary_ctls ? m->procbased_ctls2 : 0,
				   "IA32_VMX_PROCBASED_CTLS2");
	case EXIT_CTLS:
		return t ? limits_from(m->true_exit_ctls, "IA32_VMX_TRUE_EXIT_CTLS")
			 : limits_from(m->exit_ctls, "IA32_VMX_EXIT_CTLS");
	default:
		return t ? limits_from(m->true_entry_ctls, "IA32_VMX_TRUE_ENTRY_CTLS")
			 : limits_from(m->entry_ctls, "IA32_VMX_ENTRY_CTLS");
	}
}

/* Append "<what> <msr>: name, name" to err, for each bit set in bits. */
static void report_bits(char *err, size_t size, const char *msr,
			const char *what, enum vmx_ctl_word w, uint32_t bits)
{
	char list[256] = "";

	for (unsigned b = 0; b < VMX_CTLS_WORD_BITS; b++) {
		if (!(bits & (1u << b)))
			continue;
		const char *name = vmx_ctl_bit_name(w, b);
		str_list_add(list, name ? name : "reserved bit", sizeof(list));
	}
	if (size && err[0])
		str_append(err, "; ", size);
	str_append(err, msr, size);
	str_append(err, what, size);
	str_append(err, list, size);
}

/* First pass: the wanted bits the CPU allows; false when a required one is
 * not allowed or the MSR contradicts itself (must be 1 but may not be 1). */
static bool pick_word(const struct vmx_caps *c, enum vmx_ctl_word w,
		      uint32_t *wanted, char *err, size_t size)
{
	struct ctl_limits lim = word_limits(c, w);
	uint32_t missing = specs[w].required & ~lim.may_be_one;
	uint32_t broken = lim.must_be_one & ~lim.may_be_one;

	*wanted = (specs[w].required | specs[w].optional) & lim.may_be_one;
	if (missing)
		report_bits(err, size, lim.msr,
			    " does not allow required control(s): ", w, missing);
	if (broken)
		report_bits(err, size, lim.msr,
			    " is inconsistent (must be 1 but may not be 1): ",
			    w, broken);
	return !missing && !broken;
}

/* APICv is all or nothing: TPR shadow, virtualize APIC accesses, APIC-
 * register virtualization and virtual-interrupt delivery, which also needs
 * external-interrupt exiting (SDM "Checks on VMX Controls").  Turned on
 * only when asked for. */
#define APICV_PROC2 (PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES | \
		     PROCBASED_CTLS2_APIC_REGISTER_VIRT | \
		     PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY)

/* Whether the words as picked so far have every control APIC virtualisation
 * needs. */
static bool apicv_possible(const uint32_t *w)
{
	return (w[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TPR_SHADOW) &&
	       (w[PROCBASED_CTLS] & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS) &&
	       (w[PROCBASED_CTLS2] & APICV_PROC2) == APICV_PROC2 &&
	       (w[PINBASED_CTLS] & PINBASED_CTLS_EXT_INTR_EXITING);
}

/* Keep the APICv controls only when all are possible and the request asks
 * for them (req may be NULL: no), else drop them together; with a TPR shadow
 * the CR8 exits go, without it they stay.  Records the outcome in out. */
static void resolve_apicv(uint32_t *w, const struct vmx_ctls_request *req,
			  struct vmx_controls *out)
{
	out->apicv_available = apicv_possible(w);
	out->apicv = out->apicv_available && req && req->apicv;
	if (!out->apicv) {
		w[PROCBASED_CTLS] &= ~PROCBASED_CTLS_USE_TPR_SHADOW;
		w[PROCBASED_CTLS2] &= ~(req && req->apic_access ?
					APICV_PROC2 & ~PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES :
					APICV_PROC2);
	}
	/* With TPR shadow, MOV CR8 reaches the virtual-APIC page; without,
	 * it must exit so that the physical TPR stays the host's. */
	if (w[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TPR_SHADOW)
		w[PROCBASED_CTLS] &= ~(PROCBASED_CTLS_CR8_LOAD_EXITING |
				     PROCBASED_CTLS_CR8_STORE_EXITING);
}

/* Posted interrupts need virtual-interrupt delivery and "acknowledge
 * interrupt on exit" (SDM "Checks on VMX Controls"). */
static void resolve_posted(uint32_t *w)
{
	if (!(w[PROCBASED_CTLS2] & PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY) ||
	    !(w[EXIT_CTLS] & EXIT_CTLS_ACK_INTR_ON_EXIT))
		w[PINBASED_CTLS] &= ~PINBASED_CTLS_POSTED_INTR;
}

/* HLT need not exit when every wake-up of a halted guest comes through a
 * VM exit anyway: its interrupts are physical ones (external-interrupt
 * exiting), NMIs (NMI exiting), or come from the virtual LAPIC, whose
 * timer runs on the VMX-preemption timer, which counts down in the HLT
 * state too and exits (SDM Vol. 3, "VMX-Preemption Timer"); root mode
 * then injects (software back end) or lets the CPU deliver (APICv) and
 * makes the guest active.  An interrupt held back while the guest halts
 * turns HLT exiting on again until it is taken (hv/vcpu/inject.c).
 * Without the preemption timer, HLT exits. */
static void resolve_halt(uint32_t *w, const struct vmx_ctls_request *req)
{
	if (req && req->halt_in_guest &&
	    (w[PINBASED_CTLS] & PINBASED_CTLS_PREEMPTION_TIMER))
		w[PROCBASED_CTLS] &= ~PROCBASED_CTLS_HLT_EXITING;
}

/* Entry/exit pairs that must agree: PAT is saved and loaded on exit and
 * loaded on entry, or not touched at all.  (EFER and the debug controls
 * are REQUIRED on both sides, so they cannot be half-present.) */
static void resolve_pairs(uint32_t *w)
{
	const uint32_t exit_pat = EXIT_CTLS_SAVE_PAT | EXIT_CTLS_LOAD_PAT;

	if ((w[EXIT_CTLS] & exit_pat) != exit_pat ||
	    !(w[ENTRY_CTLS] & ENTRY_CTLS_LOAD_PAT)) {
		w[EXIT_CTLS] &= ~exit_pat;
		w[ENTRY_CTLS] &= ~ENTRY_CTLS_LOAD_PAT;
	}
}

/* Without the secondary word no secondary feature exists; unrestricted
 * guest needs EPT; virtual NMIs need NMI exiting. */
static void resolve_basics(uint32_t *w)
{
	if (!(w[PROCBASED_CTLS] & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS))
		w[PROCBASED_CTLS2] = 0;
	if (!(w[PROCBASED_CTLS2] & PROCBASED_CTLS2_ENABLE_EPT))
		w[PROCBASED_CTLS2] &= ~PROCBASED_CTLS2_UNRESTRICTED_GUEST;
	if (!(w[PINBASED_CTLS] & PINBASED_CTLS_NMI_EXITING))
		w[PINBASED_CTLS] &= ~PINBASED_CTLS_VIRTUAL_NMIS;
}

/* The one-bool-per-feature summary of the final control words, for code that
 * asks "is X on" without knowing the bit. */
static void set_flags(struct vmx_controls *o)
{
	uint32_t pin = o->word[PINBASED_CTLS], proc = o->word[PROCBASED_CTLS];
	uint32_t p2 = o->word[PROCBASED_CTLS2], exit = o->word[EXIT_CTLS];

	o->ept = (p2 & PROCBASED_CTLS2_ENABLE_EPT) != 0;
	o->vpid = (p2 & PROCBASED_CTLS2_ENABLE_VPID) != 0;
	o->unrestricted_guest = (p2 & PROCBASED_CTLS2_UNRESTRICTED_GUEST) != 0;
	o->preemption_timer = (pin & PINBASED_CTLS_PREEMPTION_TIMER) != 0;
	o->posted_interrupts = (pin & PINBASED_CTLS_POSTED_INTR) != 0;
	o->tpr_shadow = (proc & PROCBASED_CTLS_USE_TPR_SHADOW) != 0;
	o->apic_access = (p2 & PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES) != 0;
	o->cr8_exiting = (proc & PROCBASED_CTLS_CR8_LOAD_EXITING) != 0;
	o->rdtscp = (p2 & PROCBASED_CTLS2_ENABLE_RDTSCP) != 0;
	o->invpcid = (p2 & PROCBASED_CTLS2_ENABLE_INVPCID) != 0;
	o->xsaves = (p2 & PROCBASED_CTLS2_ENABLE_XSAVES) != 0;
	o->pat = (exit & EXIT_CTLS_LOAD_PAT) != 0;
	o->hlt_exiting = (proc & PROCBASED_CTLS_HLT_EXITING) != 0;
	o->cr3_exiting = (proc & (PROCBASED_CTLS_CR3_LOAD_EXITING |
				  PROCBASED_CTLS_CR3_STORE_EXITING)) != 0;
}

/* Compute the five control words from the CPU's capabilities: required bits
 * must be allowed, optional ones are taken when allowed, dependent features
 * are dropped together, then the CPU's must-be-one bits are added.  Pure
 * (unit-tested on recorded MSRs).  False with err naming the MSR and the
 * missing bits when a required control is not allowed. */
bool vmx_ctls_compute(const struct vmx_caps *caps,
		      const struct vmx_ctls_request *req,
		      struct vmx_controls *out, char *err, size_t size)
{
	uint32_t w[VMX_CTLS_WORDS];
	bool ok = true;

	*out = (struct vmx_controls){ 0 };
	if (size)
		err[0] = '\0';
	for (int i = 0; i < VMX_CTLS_WORDS; i++)
		ok &= pick_word(caps, (enum vmx_ctl_word)i, &w[i], err, size);
	if (!ok)
		return false;

	resolve_basics(w);
	resolve_apicv(w, req, out);
	resolve_halt(w, req);
	resolve_posted(w);
	resolve_pairs(w);
	for (int i = 0; i < VMX_CTLS_WORDS; i++) {
		struct ctl_limits lim = word_limits(caps, (enum vmx_ctl_word)i);
		out->word[i] = w[i] | lim.must_be_one;
		out->may_be_one[i] = lim.may_be_one;
	}
	set_flags(out);
	return true;
}

/*
 * A virtual CPU's life (see hv/vcpu/vcpu.h): VMCS set-up, then the run loop
 * that enters the guest, takes each VM exit back and hands it to the exit
 * dispatcher (hv/exit/dispatch.h) until the guest is stopped.  Failed VM entries are
 * reported here, by name, with a VMCS dump and the software VM-entry check
 * (hv/vmcs/entry_check.h) naming the rules broken.
 */
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "boot/config.h"
#include "hv/exit/dispatch.h"
#include "hv/exit/handlers.h"
#include "hv/exit/reason.h"
#include "hv/lapic/lapic.h"
#include "hv/iommu.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/mitigations.h"
#include "hv/vcpu/timer.h"
#include "hv/view/mmio_watch.h"
#include "hv/view/vuart_io.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/vm_instruction_error.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/init.h"
#include "hv/vmcs/entry_check.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/vmxon.h"
#include "lib/log.h"

#define NO_EXIT_YET 0xffffffffu
/* debug-bad-guest-state: CS becomes a read-only data segment (Type 1),
 * which no CPU accepts in CS. */
#define BAD_CS_TYPE AR_TYPE_ACCESSED

/* The assembly stub's offsets must match struct guest_regs. */
#define CHECK_GREG(field, off) \
	_Static_assert(offsetof(struct guest_regs, field) == (off), \
		       "guest_regs." #field " differs from " #off)
CHECK_GREG(rax, GREG_RAX); CHECK_GREG(rcx, GREG_RCX); CHECK_GREG(rdx, GREG_RDX);
CHECK_GREG(rbx, GREG_RBX); CHECK_GREG(rbp, GREG_RBP); CHECK_GREG(rsi, GREG_RSI);
CHECK_GREG(rdi, GREG_RDI); CHECK_GREG(r8, GREG_R8); CHECK_GREG(r9, GREG_R9);
CHECK_GREG(r10, GREG_R10); CHECK_GREG(r11, GREG_R11); CHECK_GREG(r12, GREG_R12);
CHECK_GREG(r13, GREG_R13); CHECK_GREG(r14, GREG_R14); CHECK_GREG(r15, GREG_R15);
CHECK_GREG(cr2, GREG_CR2);
_Static_assert(sizeof(struct guest_regs) == GUEST_REGS_SIZE, "guest_regs size");
_Static_assert(offsetof(struct vcpu, regs) == 0, "vmx_enter takes &v->regs");

/* ---- Set-up ---------------------------------------------------------------- */

/* A boot test proves that a bad guest state is named and stopped cleanly. */
static void corrupt_guest_state(void)
{
	uint32_t ar = vmcs_read32(VMCS_GUEST_CS_ACCESS_RIGHTS);

	ar = (ar & ~AR_TYPE_MASK) | BAD_CS_TYPE;
	vmcs_write32(VMCS_GUEST_CS_ACCESS_RIGHTS, ar);
	log_warn("debug-bad-guest-state: guest CS access rights set to %#x "
		 "(Type %u)", ar, BAD_CS_TYPE);
}

/* Give v an id and a VMCS on this CPU, current and filled in (controls, host
 * state, guest state for entry).  Expects VMX on here (vmx_enable()) and v
 * zeroed but for v->eptp.  False, with the reason logged, when the VMCS
 * cannot be set up; v's VMCS is left current either way. */
bool vcpu_init(struct vcpu *v, const struct guest_entry *entry)
{
	static uint32_t next_id;
	const struct vmx_caps *caps = vmx_caps_get();

	if (!caps) {
		log_error("vcpu_init: VMX is not on (call vmx_enable() first)");
		return false;
	}
	v->id = next_id++;
	v->cpu = this_cpu();
	v->timer_rate = caps->preemption_timer_rate;
	v->timer_deadline = 0;          /* poll the timer's users at once */
	v->timer_poll = 0;
	v->requests = VCPU_REQ_ALL;     /* the first entry decides everything */
	v->vmcs_phys = vmcs_create(caps);
	if (!v->vmcs_phys || !vmcs_ctrl_init(v, caps))
		return false;
	vmcs_host_init(v);
	if (!vmcs_guest_init(v, entry) || !lapic_vcpu_init(v))
		return false;
	v->cpu->vcpu = v;
	if (hv_config.debug_bad_guest_state)
		corrupt_guest_state();
	return true;
}

/* Ask the run loop to end after this exit, with the verdict it reports.
 * Only the first call counts: later ones are consequences of the first. */
void vcpu_stop(struct vcpu *v, bool success, const char *reason)
{
	if (v->stop_reason)
		return;                 /* the first reason is the real one */
	v->stop_success = success;
	v->stop_reason = reason ? reason : "no reason given";
}

/* ---- Failed VM entries ----------------------------------------------------- */

/*
 * Before the first VMLAUNCH the software check names any broken rule.
 * The entry is tried anyway: the CPU's own verdict is the authority (a
 * false alarm of the check must not keep a good guest from running), and
 * a failed entry is architecturally clean.
 */
static void check_before_launch(struct vcpu *v)
{
	v->precheck_broken = vmentry_check_current(vmx_caps_get());
	if (v->precheck_broken)
		log_error("vcpu%u: the software VM-entry check found %u broken "
			  "rule(s); launching anyway for the CPU's verdict",
			  v->id, v->precheck_broken);
}

/* After a failed entry: the rules, unless the check already named them
 * before the launch. */
static void name_broken_rules(struct vcpu *v)
{
	if (!v->launched && v->precheck_broken)
		return;
	if (!vmentry_check_current(vmx_caps_get()))
		log_error("VM-entry check: no rule known to the software check "
			  "is broken");
}

/* VMLAUNCH/VMRESUME did not even try: a control or host-state field is
 * wrong (VMfailValid), or there is no current VMCS (VMfailInvalid). */
static void entry_instruction_failed(struct vcpu *v, int r)
{
	if (r == VMX_ENTER_FAIL_INVALID) {
		log_error("vcpu%u: %s failed: VMfailInvalid (no current VMCS)",
			  v->id, v->launched ? "VMRESUME" : "VMLAUNCH");
		vcpu_stop(v, false, "VM entry failed: no current VMCS");
		return;
	}
	uint32_t err = vmcs_read32(VMCS_VM_INSTRUCTION_ERROR);
	const char *name = vm_instruction_error_name(err);

	log_error("vcpu%u: %s failed: VM-instruction error %u (%s)", v->id,
		  v->launched ? "VMRESUME" : "VMLAUNCH", err, name);
	vmcs_dump();
	name_broken_rules(v);
	vcpu_stop(v, false, name);
}

/* The stop reason for a VM entry that failed with exit reason basic (bit 31
 * set), in the words the boot tests look for. */
static const char *entry_failure_text(uint32_t basic)
{
	switch (basic) {
	case EXIT_REASON_INVALID_GUEST_STATE:
		return "VM entry failed: invalid guest state";
	case EXIT_REASON_MSR_LOADING:
		return "VM entry failed: MSR loading";
	case EXIT_REASON_MACHINE_CHECK:
		return "VM entry failed: machine-check event";
	default:
		return "VM entry failed";
	}
}

/* The entry was tried and failed while loading guest state or MSRs, or
 * by a machine check (SDM Vol. 3, "VM-Entry Failures During or After
 * Loading Guest State"); the guest never ran. */
static void entry_failure_exit(struct vcpu *v, uint32_t basic)
{
	uint64_t qual = vmcs_readnat(VMCS_EXIT_QUALIFICATION);

	log_error("vcpu%u: VM entry failed: %s (exit reason %u, exit "
		  "qualification %#llx)", v->id, exit_reason_name(basic), basic,
		  (unsigned long long)qual);
	vmcs_dump();
	if (basic == EXIT_REASON_INVALID_GUEST_STATE)
		name_broken_rules(v);
	vcpu_stop(v, false, entry_failure_text(basic));
}

/* ---- The run loop ------------------------------------------------------------ */

/* The mode the guest will start in, for the launch line: from CR0, the
 * IA-32e-mode entry control and CS.L in the current VMCS. */
static const char *guest_mode_text(void)
{
	uint64_t cr0 = vmcs_readnat(VMCS_GUEST_CR0);
	uint32_t entry = vmcs_read32(VMCS_ENTRY_CTLS);
	uint32_t cs_ar = vmcs_read32(VMCS_GUEST_CS_ACCESS_RIGHTS);

	if (!(cr0 & CR0_PE))
		return "real mode";
	if (entry & ENTRY_CTLS_IA32E_MODE)
		return cs_ar & AR_L ? "64-bit mode" : "compatibility mode";
	return cr0 & CR0_PG ? "protected mode, paging on"
			    : "protected mode, paging off";
}

/* Log where and in which mode the guest starts. */
static void log_launch(const struct vcpu *v)
{
	log_info("vcpu%u: launching guest at rip %#llx (%s)", v->id,
		 (unsigned long long)vmcs_readnat(VMCS_GUEST_RIP),
		 guest_mode_text());
}

/* Choose the speculation hygiene of v's entries and exits (logged once). */
static void mitigations_apply(struct vcpu *v)
{
	struct mitigations m = mitigations_init();

	v->enter_flags = (m.verw ? VMX_ENTER_VERW : 0) |
			 (m.fill_rsb ? VMX_ENTER_FILL_RSB : 0);
	v->l1d_flush = m.l1d_flush;
	v->spec_ctrl_host = m.host_spec_ctrl;
	v->spec_ctrl_guest = 0;         /* the MSR's reset value */
	/* A CPU (or emulator) that reports enhanced IBRS and refuses the
	 * write has none: no switch, and the RSB fill that enhanced IBRS
	 * made unnecessary comes back. */
	if (v->spec_ctrl_host && !wrmsr_safe(IA32_SPEC_CTRL, v->spec_ctrl_host)) {
		log_warn("speculation: IA32_SPEC_CTRL refuses IBRS: not switched, RSB fill on");
		v->spec_ctrl_host = 0;
		v->enter_flags |= VMX_ENTER_FILL_RSB;
	}
}

/* After a VM exit, with enhanced IBRS (mitigations.h): keep the guest's
 * IA32_SPEC_CTRL and put the host's back, before root mode does more than
 * return here.  Cheap when they agree: one RDMSR. */
static inline void spec_ctrl_to_host(struct vcpu *v)
{
	if (!v->spec_ctrl_host)
		return;
	v->spec_ctrl_guest = rdmsr(IA32_SPEC_CTRL);
	if (v->spec_ctrl_guest != v->spec_ctrl_host)
		wrmsr(IA32_SPEC_CTRL, v->spec_ctrl_host);
}

/* Before a VM entry: the guest's IA32_SPEC_CTRL, when it differs. */
static inline void spec_ctrl_to_guest(const struct vcpu *v)
{
	if (v->spec_ctrl_host && v->spec_ctrl_guest != v->spec_ctrl_host)
		wrmsr(IA32_SPEC_CTRL, v->spec_ctrl_guest);
}

/* The timer's deadline passed (hv/vcpu/timer.h): forget it and poll its
 * users, each of which asks again for its next exit. */
static void vcpu_timer_expired(struct vcpu *v, uint64_t now)
{
	v->timer_deadline = VCPU_NO_DEADLINE;
	v->timer_poll = VCPU_NO_DEADLINE;
	/* The console: guest output and log to the wire, input and the
	 * UART's interrupt to the guest (before the injection). */
	vuart_io_poll(v, now);
}

/* Whether lapic_before_entry() has work: its request, or the model's
 * timer running (its expiry comes with time, not from a writer; and it
 * asks the shared timer again before every entry). */
static inline bool lapic_stage_wanted(const struct vcpu *v)
{
	return (v->requests & VCPU_REQ_LAPIC) ||
	       v->lapic.model.timer.deadline != VLAPIC_NO_DEADLINE;
}

/* Run v until it stops: before each entry poll the timer's users when its
 * deadline passed, run the before-entry stages whose work was requested
 * (hv/vcpu/requests.h) and deliver pending events, record the previous exit's
 * root-mode time and load the timer, then enter, report failed entries and
 * dispatch exits.  Expects vcpu_init() done on this CPU with v's VMCS
 * current; returns with v->stop_reason set, after logging the exit
 * statistics. */
void vcpu_run(struct vcpu *v)
{
	uint32_t last_reason = NO_EXIT_YET;

	log_launch(v);
	mitigations_apply(v);
	if (!v->launched)
		check_before_launch(v);
	while (!v->stop_reason) {
		/* One compare per exit: the TSC of the exit is close enough
		 * (a deadline passed since then loads the timer with 0). */
		if (vcpu_timer_due(v, v->exit_tsc))
			vcpu_timer_expired(v, rdtsc());
		if (lapic_stage_wanted(v))
			lapic_before_entry(v);
		/* After the LAPIC stage, which may request this one.  Also
		 * turns NMIs the host took in root mode into guest NMIs (the
		 * guest owns the platform they came from). */
		if (inject_wanted(v))
			inject_pending(v);
		/* After the injection decision: a let-through MMIO write's
		 * single step stays open only while its write has not run. */
		mmio_watch_before_entry(v, last_reason);
		/* Root-mode time of the previous exit: from its VM exit to
		 * this VM entry. */
		uint64_t now = rdtsc();

		if (last_reason != NO_EXIT_YET)
			exit_stats_record(&v->stats, last_reason,
					  now - v->exit_tsc);
		if (v->l1d_flush)
			wrmsr(IA32_FLUSH_CMD, FLUSH_CMD_L1D);
		vcpu_timer_program(v, now);
		spec_ctrl_to_guest(v);
		int r = vmx_enter(&v->regs, v->launched, v->enter_flags);
		spec_ctrl_to_host(v);
		v->exit_tsc = rdtsc();
		last_reason = NO_EXIT_YET;
		if (r != VMX_ENTER_EXITED) {
			entry_instruction_failed(v, r);
			break;
		}
		struct exit_reason why =
			exit_reason_decode(vmcs_read32(VMCS_EXIT_REASON));
		if (why.entry_failure) {
			entry_failure_exit(v, why.basic);
			break;
		}
		v->launched = true;
		last_reason = why.basic;
		lapic_after_exit(v);
		exit_dispatch(v, &why);
		/* DMA faults are polled, not interrupt-driven: cheap unless
		 * one is due (hv/iommu.h). */
		iommu_poll_periodic();
	}
	if (last_reason != NO_EXIT_YET)
		exit_stats_record(&v->stats, last_reason, rdtsc() - v->exit_tsc);
	vuart_io_poll(v, rdtsc());      /* the guest's last bytes */
	log_info("vcpu%u: guest stopped: %s", v->id, v->stop_reason);
	log_info("vcpu%u: exit statistics (TSC cycles in root mode):", v->id);
	exit_stats_log(&v->stats);
	lapic_log_stats(v);
	msr_denied_log(v);
}

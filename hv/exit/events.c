/*
 * Exits about events and the guest's activity state: exceptions and NMIs,
 * external interrupts, the interrupt/NMI windows, HLT, INIT, SIPI and
 * triple fault (Intel SDM Vol. 3, "VM Exits", "Guest Non-Register State").
 * Task switches have their own file, hv/exit/task_switch.c.
 *
 * The guest owns the 8259 and the IOAPIC (passed through); the physical
 * LAPIC is the hypervisor's and the guest has a virtual one (hv/lapic/).
 * "Acknowledge interrupt on exit" hands the vector over in the exit
 * information; it goes to the virtual LAPIC (docs/apic.md), which the
 * guest EOIs.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "boot/config.h"
#include "drivers/reset.h"
#include "drivers/stop.h"
#include "hv/exit/handlers.h"
#include "hv/lapic/lapic.h"
#include "hv/vcpu/init_state.h"
#include "hv/monitor/breakpoint.h"
#include "hv/monitor/step.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/vmxon.h"
#include "lib/log.h"

#define SIPI_VECTOR_MASK        0xff
#define SIPI_CS_SELECTOR_SHIFT  8        /* CS = vector << 8 */
#define SIPI_CS_BASE_SHIFT      12       /* base = vector << 12 */
#define DR6_BITS_FROM_QUAL      0x600full /* B0-B3, BD, BS (exit qualification) */


/* ---- Exceptions and NMIs ------------------------------------------------- */

/* An IRET that faulted had already unblocked NMIs; the exception's
 * delivery restarts the IRET, so blocking must be restored (SDM "Information
 * for VM Exits Due to Vectored Events", NMI unblocking due to IRET). */
static void reblock_nmi_after_iret(const struct intr_info *ii)
{
	if (!ii->nmi_unblocking || ii->vector == EXC_DF)
		return;
	vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE,
		     vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE) |
		     GUEST_INTR_STATE_NMI);
}

/* #DB reports its DR6 bits in the qualification instead of writing DR6;
 * the guest's DR6 is live in the CPU (not switched on exit). */
static void deliver_db_status(uint64_t qualification)
{
	uint64_t dr6;

	__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
	dr6 |= qualification & DR6_BITS_FROM_QUAL;
	__asm__ volatile("mov %0, %%dr6" : : "r"(dr6));
}

/* Exceptions reach the hypervisor only through the exception bitmap (the
 * VMX core chooses it); this hypervisor owns no guest exception, so each
 * one is reflected unchanged: same vector, same error code, CR2 / DR6 as
 * the CPU would have set them.  INT3/INTO/INT1 are replayed as software
 * exceptions with their instruction length.  An NMI that arrived while the
 * guest ran (NMI exiting is on: it may be the host's, but the host has no
 * NMI source, so it is the platform's or the guest's own self-NMI) is
 * queued for the guest, and an IRET unblocks NMIs in root mode, which the
 * exit left blocked, so that the next one is not held back. */
enum exit_action handle_exception_nmi(struct vcpu *v, const struct vmexit *e)
{
	struct intr_info ii = intr_info_decode(e->intr_info);
	uint32_t code = 0;

	if (ii.type == INTR_TYPE_NMI) {
		iret_to_self();
		inject_nmi(v);
		return EXIT_RESUME;
	}
	/* The monitor's single step and breakpoint (hv/monitor/) are not the
	 * guest's. */
	if (ii.vector == EXC_DB && ii.type == INTR_TYPE_HW_EXCEPTION &&
	    (monitor_step_trap(v, e->qualification) ||
	     monitor_break_trap(v, e->qualification)))
		return EXIT_RESUME;
	reblock_nmi_after_iret(&ii);
	if (ii.error_code_valid)
		code = vmcs_read32(VMCS_EXIT_INTR_ERROR_CODE);
	if (ii.vector == EXC_PF)
		v->regs.cr2 = e->qualification;
	if (ii.vector == EXC_DB && ii.type == INTR_TYPE_HW_EXCEPTION)
		deliver_db_status(e->qualification);
	if (ii.type == INTR_TYPE_SW_EXCEPTION || ii.type == INTR_TYPE_PRIV_SW_EXCEPTION) {
		inject_event(v, &(struct event){ .type = ii.type, .vector = ii.vector,
						 .instruction_len = e->instruction_len });
		return EXIT_RESUME;
	}
	if (ii.vector == EXC_MC)
		log_warn("machine check while the guest ran: reflected to the guest");
	inject_exception(v, ii.vector, code);
	return EXIT_RESUME;
}

/* ---- External interrupts and windows -------------------------------------- */

/* The vector goes to the virtual LAPIC (IRR, or ExtINT from the 8259);
 * inject_pending() delivers it before the entry if the guest can take it
 * now, else opens the interrupt window. */
enum exit_action handle_external_interrupt(struct vcpu *v, const struct vmexit *e)
{
	struct intr_info ii = intr_info_decode(e->intr_info);

	if (!ii.valid)
		return exit_fail(v, e, "external-interrupt exit without a vector "
				 "(is \"acknowledge interrupt on exit\" off?)");
	lapic_external_interrupt(v, ii.vector);
	return EXIT_RESUME;
}

/* Interrupt window / NMI window: the guest can now take what was queued;
 * inject_pending() injects it and closes the window it no longer needs. */
enum exit_action handle_event_window(struct vcpu *v, const struct vmexit *e)
{
	(void)v;
	(void)e;
	return EXIT_RESUME;
}

/* ---- Activity state ---------------------------------------------------------- */

/* Whether IA32_VMX_MISC reports the activity state misc_bit stands for; the
 * MSR is read once and cached (the same on every CPU). */
static bool activity_supported(uint64_t misc_bit)
{
	static uint64_t misc;
	static bool read;

	if (!read) {
		misc = rdmsr(IA32_VMX_MISC);
		read = true;
	}
	return (misc & misc_bit) != 0;
}

/* HLT: the guest enters the HLT activity state past the instruction, so
 * the CPU itself waits in VMX non-root operation and the next interrupt
 * exits to us (external-interrupt exiting), which injects it and makes the
 * guest active again.  No host loop polls.  A CPU without the HLT activity
 * state (IA32_VMX_MISC bit 6) gets HLT as a NOP: the guest re-checks its
 * condition, as after a spurious wake-up.  With IF = 0 no interrupt will
 * wake it: hv/exit/halt.c reports that and applies on-halt-disabled. */
enum exit_action handle_hlt(struct vcpu *v, const struct vmexit *e)
{
	if (!(vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
	    halt_with_interrupts_disabled(v, e) == EXIT_STOP_GUEST)
		return EXIT_STOP_GUEST;
	if (activity_supported(VMX_MISC_ACTIVITY_HLT)) {
		vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
		/* The activity state is an input of the injection decision
		 * and of the APICv wake check: both run before the entry. */
		inject_recheck(v);
	}
	return EXIT_SKIP_INSTRUCTION;
}

/* The VMX-preemption timer expired: the run loop polls the timer's users
 * before the next entry.  When HLT does not exit (resolve_halt() in
 * hv/vmx/ctls.c) a guest halted with IF = 0 is found
 * here, at the first timer exit after its HLT (with rip past the HLT),
 * and reported as handle_hlt() would (hv/exit/halt.c; on-halt-disabled=
 * stop keeps HLT exiting, so this only reports). */
enum exit_action handle_preemption_timer(struct vcpu *v, const struct vmexit *e)
{
	if (v->ctls.hlt_exiting ||
	    vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) != GUEST_ACTIVITY_HLT ||
	    (vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_IF))
		return EXIT_RESUME;
	return halt_with_interrupts_disabled(v, e);
}

/* Whether the guest sits at the reset vector in the INIT state's CS, i.e.
 * has not executed an instruction since an INIT started it there (the
 * first instruction, the BIOS's far jump, changes the CS base). */
static bool at_reset_vector(const struct vmexit *e)
{
	return e->guest_rip == INIT_RIP &&
	       vmcs_readnat(VMCS_GUEST_CS_BASE) == INIT_CS_BASE &&
	       vmcs_read16(VMCS_GUEST_CS_SELECTOR) == INIT_CS_SELECTOR;
}

/* INIT: the vCPU takes the SDM's INIT state (hv/vcpu/init_state.h) and,
 * being the bootstrap processor, starts at the reset vector; an AP would
 * wait for a SIPI.  The wait-for-SIPI activity state must exist for that.
 * An INIT exit before the vCPU ran a single instruction at the reset vector
 * is the last INIT again: a CPU that does not consume the INIT it exits
 * for (Bochs 2.7 keeps it pending and exits again on every entry) would
 * loop here for ever, so the guest stops, its state (the INIT state) in
 * the report. */
enum exit_action handle_init_signal(struct vcpu *v, const struct vmexit *e)
{
	if (at_reset_vector(e))
		return exit_fail(v, e, "INIT again at the reset vector before "
				 "the first instruction");
	init_state_load(v);
	if (vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_WAIT_SIPI &&
	    !activity_supported(VMX_MISC_ACTIVITY_WAIT_SIPI))
		return exit_fail(v, e, "INIT: the CPU has no wait-for-SIPI activity state");
	log_info("vcpu%u: INIT: registers reset to the INIT state, %s", v->id,
		 vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_WAIT_SIPI ?
		 "waiting for a SIPI" : "starting at the reset vector");
	inject_recheck(v);
	return EXIT_RESUME;
}

/* SIPI (only in wait-for-SIPI): real-mode start at vector:0000, i.e.
 * CS selector vector << 8, base vector << 12, RIP 0, then active. */
enum exit_action handle_sipi(struct vcpu *v, const struct vmexit *e)
{
	uint64_t vector = e->qualification & SIPI_VECTOR_MASK;

	(void)v;
	vmcs_write16(VMCS_GUEST_CS_SELECTOR, vector << SIPI_CS_SELECTOR_SHIFT);
	vmcs_writenat(VMCS_GUEST_CS_BASE, vector << SIPI_CS_BASE_SHIFT);
	vmcs_writenat(VMCS_GUEST_RIP, 0);
	vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	return EXIT_RESUME;
}

/* ---- Fatal guest events ------------------------------------------------------- */

/* Triple fault: on real hardware the machine would shut down.  Default
 * (on-triple-fault=stop): report it with the guest state and stop the
 * guest.  on-triple-fault=reset resets the machine instead, as the guest
 * asked for (Linux reboots with a triple fault, reboot=t). */
enum exit_action handle_triple_fault(struct vcpu *v, const struct vmexit *e)
{
	if (!hv_config.triple_fault_reset)
		return exit_fail(v, e, "guest triple fault");
	log_warn("guest triple fault at rip 0x%llx: resetting the machine "
		 "(on-triple-fault=reset)", (unsigned long long)e->guest_rip);
	exit_dump_guest(v, e);
	/* INIT (what a keyboard-controller reset may become) is blocked in
	 * VMX root operation: leave VMX first. */
	vmx_disable();
	machine_reset();
	hv_stop(false, "guest triple fault: machine reset through 0xcf9 and "
		"the keyboard controller failed");
}

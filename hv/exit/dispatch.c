/*
 * The VM-exit dispatcher and the toolkit the handlers share.
 *
 * exit_dispatch() reads the exit once into struct vmexit, routes VM-entry
 * failures (exit reason bit 31; the run loop in hv/vcpu/vcpu.c reports those
 * before dispatching, this is the second line of defence) to their report, bounds-checks the basic
 * reason against the exit table, calls the row's handler and applies the
 * action it returns.  Two short paths beside the table take the same
 * reads and actions for the commonest rows: dispatch_io() for the I/O
 * exit, dispatch_simple() for the simple instruction exits.  Exit
 * statistics are recorded by the run loop (hv/vcpu/vcpu.c), not here.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/exit/dispatch.h"
#include "hv/exit/handlers.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/exit/reason.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/format.h"
#include "lib/log.h"

#define STOP_REASON_MAX     96
#define PENDING_DBG_BS      (1ull << 14) /* single step pending */
#define DEBUGCTL_BTF        (1ull << 1)
#define RIP_MASK_32         0xffffffffull

/* ---- Guest registers ----------------------------------------------------- */

/* Where v->regs keeps the register the qualification numbers; NULL for RSP,
 * which the CPU saves in the VMCS instead.  Only the low 4 bits of r count.
 */
static uint64_t *gpr_slot(struct vcpu *v, enum vmx_gpr r)
{
	struct guest_regs *g = &v->regs;
	uint64_t *slots[] = {
		[VMX_GPR_RAX] = &g->rax, [VMX_GPR_RCX] = &g->rcx,
		[VMX_GPR_RDX] = &g->rdx, [VMX_GPR_RBX] = &g->rbx,
		[VMX_GPR_RSP] = NULL,    [VMX_GPR_RBP] = &g->rbp,
		[VMX_GPR_RSI] = &g->rsi, [VMX_GPR_RDI] = &g->rdi,
		[VMX_GPR_R8] = &g->r8,   [VMX_GPR_R9] = &g->r9,
		[VMX_GPR_R10] = &g->r10, [VMX_GPR_R11] = &g->r11,
		[VMX_GPR_R12] = &g->r12, [VMX_GPR_R13] = &g->r13,
		[VMX_GPR_R14] = &g->r14, [VMX_GPR_R15] = &g->r15,
	};

	return slots[r & 0xf];
}

/* Read a guest register by its qualification number: from v->regs, or RSP
 * from the current VMCS. */
uint64_t guest_gpr_read(struct vcpu *v, enum vmx_gpr r)
{
	uint64_t *slot = gpr_slot(v, r);

	return slot ? *slot : vmcs_readnat(VMCS_GUEST_RSP);
}

/* Write a guest register by its qualification number: into v->regs, or RSP
 * into the current VMCS; the run loop loads v->regs at the next entry. */
void guest_gpr_write(struct vcpu *v, enum vmx_gpr r, uint64_t value)
{
	uint64_t *slot = gpr_slot(v, r);

	if (slot)
		*slot = value;
	else
		vmcs_writenat(VMCS_GUEST_RSP, value);
}

/* ---- Guest state views ------------------------------------------------------ */

/* CR0 as the guest reads it: the real register's guest-owned bits and the
 * read shadow's hypervisor-owned ones.  Reads the current VMCS. */
uint64_t guest_cr0_view(void)
{
	uint64_t mask = vmcs_readnat(VMCS_CR0_GUEST_HOST_MASK);

	return (vmcs_readnat(VMCS_GUEST_CR0) & ~mask) |
	       (vmcs_readnat(VMCS_CR0_READ_SHADOW) & mask);
}

/* CR4 as the guest reads it, merged from the real register and the read
 * shadow under the guest/host mask as for CR0.  Reads the current VMCS. */
uint64_t guest_cr4_view(void)
{
	uint64_t mask = vmcs_readnat(VMCS_CR4_GUEST_HOST_MASK);

	return (vmcs_readnat(VMCS_GUEST_CR4) & ~mask) |
	       (vmcs_readnat(VMCS_CR4_READ_SHADOW) & mask);
}

/* The guest's CPL, taken from SS.DPL in the current VMCS (always equal to
 * the CPL, where CS.DPL is not for conforming code). */
uint32_t guest_cpl(void)
{
	return AR_DPL(vmcs_read32(VMCS_GUEST_SS_ACCESS_RIGHTS));
}

/* Whether the guest runs 64-bit code: IA-32e mode active and CS.L set.
 * Compatibility mode (LMA without CS.L) counts as not 64-bit. */
bool guest_in_64bit_mode(void)
{
	return (vmcs_read64(VMCS_GUEST_IA32_EFER) & EFER_LMA) &&
	       (vmcs_read32(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_L);
}

/* ---- Reports --------------------------------------------------------------- */

/* One guest segment register as a line of the error report. */
static void dump_segment(const char *name, enum guest_seg seg)
{
	struct guest_seg_state g = vmcs_read_guest_seg(seg);

	log_error("  %s sel 0x%04llx base 0x%016llx limit 0x%08llx ar 0x%05llx",
		  name, (unsigned long long)g.sel, (unsigned long long)g.base,
		  (unsigned long long)g.limit, (unsigned long long)g.ar);
}

/* Log the guest's state from the current VMCS and v->regs (RIP, general
 * registers, CRs with shadows, EFER, CS/SS/DS/TR, descriptor tables, event
 * fields) at error level, for a report that stops the guest. */
void exit_dump_guest(const struct vcpu *v, const struct vmexit *e)
{
	const struct guest_regs *g = &v->regs;

	log_error("  rip 0x%016llx rsp 0x%016llx rflags 0x%llx",
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_RIP),
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_RSP),
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_RFLAGS));
	log_error("  rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx rsi 0x%llx rdi 0x%llx",
		  (unsigned long long)g->rax, (unsigned long long)g->rbx,
		  (unsigned long long)g->rcx, (unsigned long long)g->rdx,
		  (unsigned long long)g->rsi, (unsigned long long)g->rdi);
	log_error("  cr0 0x%llx (shadow 0x%llx) cr3 0x%llx cr4 0x%llx (shadow 0x%llx) efer 0x%llx",
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_CR0),
		  (unsigned long long)vmcs_readnat(VMCS_CR0_READ_SHADOW),
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_CR3),
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_CR4),
		  (unsigned long long)vmcs_readnat(VMCS_CR4_READ_SHADOW),
		  (unsigned long long)vmcs_read64(VMCS_GUEST_IA32_EFER));
	dump_segment("cs", GUEST_SEG_CS);
	dump_segment("ss", GUEST_SEG_SS);
	dump_segment("ds", GUEST_SEG_DS);
	dump_segment("tr", GUEST_SEG_TR);
	log_error("  gdtr 0x%llx/0x%x idtr 0x%llx/0x%x",
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_GDTR_BASE),
		  vmcs_read32(VMCS_GUEST_GDTR_LIMIT),
		  (unsigned long long)vmcs_readnat(VMCS_GUEST_IDTR_BASE),
		  vmcs_read32(VMCS_GUEST_IDTR_LIMIT));
	log_error("  interruptibility 0x%x activity %u exit intr info 0x%x idt vectoring 0x%x",
		  vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE),
		  vmcs_read32(VMCS_GUEST_ACTIVITY_STATE), e->intr_info,
		  e->idt_vectoring_info);
}

/* Stop the vCPU with a failure whose reason names what went wrong and the
 * exit.  The reason lives in a static buffer: there is one vCPU and it stops
 * once. */
static void stop_with(struct vcpu *v, const char *what, const struct vmexit *e)
{
	static char reason[STOP_REASON_MAX];

	format(reason, sizeof(reason), "%s (exit reason %u, %s)", what,
	       e->reason, exit_reason_name(e->reason));
	vcpu_stop(v, false, reason);
}

/* The common end of a handler that cannot go on: log what and the exit, dump
 * the guest state and stop the guest with a failure.  Returns
 * EXIT_STOP_GUEST for the handler to return. */
enum exit_action exit_fail(struct vcpu *v, const struct vmexit *e,
			   const char *what)
{
	log_error("%s: exit reason %u (%s), qualification 0x%llx, guest rip 0x%llx",
		  what, e->reason, exit_reason_name(e->reason),
		  (unsigned long long)e->qualification,
		  (unsigned long long)e->guest_rip);
	exit_dump_guest(v, e);
	stop_with(v, what, e);
	return EXIT_STOP_GUEST;
}

/* Reasons whose controls are off, SMIs, APIC virtualisation before APICv:
 * a control word is not what the code believes.  Never guess: stop. */
enum exit_action exit_unexpected(struct vcpu *v, const struct vmexit *e)
{
	vmcs_dump();
	return exit_fail(v, e, "unexpected VM exit");
}

/* The guest never ran: the qualification says which check failed (SDM
 * "VM-Entry Failures During or After Loading Guest State": 2 = PDPTE
 * loading, 3 = NMI injection, 4 = VMCS link pointer; for MSR loading the
 * failing entry's index + 1).  Bochs logs the exact check. */
enum exit_action exit_entry_failure(struct vcpu *v, const struct vmexit *e)
{
	vmcs_dump();
	log_error("VM entry failed: %s (exit reason field 0x%08x, qualification 0x%llx)",
		  exit_reason_name(e->reason), e->raw_reason,
		  (unsigned long long)e->qualification);
	exit_dump_guest(v, e);
	stop_with(v, "VM entry failed", e);
	return EXIT_STOP_GUEST;
}

/* ---- Dispatch ---------------------------------------------------------------- */

/*
 * The simple instruction exits: their handlers emulate one instruction
 * from the guest's general registers (and MSRs, XCR0, the TSC).  Three
 * facts let their exits skip work (checked against the SDM, "Basic VM-Exit
 * Information", "Information for VM Exits Due to Vectored Events" and
 * "... During Event Delivery", and against each handler):
 *  - The exit qualification is not defined for them and the VM-exit
 *    interruption information is valid only for vectored events; none of
 *    their handlers reads either, so exit_read() leaves both zero.
 *  - The CPU was executing the instruction, not delivering an event
 *    through the IDT, so the IDT-vectoring information is invalid: there
 *    is no interrupted event to deliver again, and it is not read.
 *  - None of their handlers writes the guest's RFLAGS.IF, interruptibility
 *    or activity state, so they keep the last injection decision
 *    (hv/vcpu/inject.c); events they queue or raise unsettle it there (an
 *    exception they raise ends a shadow and sets RF through
 *    entry_event_set(), which drops the decision itself).
 * Their rows in the exit table (hv/exit/table.c) are marked simple:
 * CPUID, RDMSR, WRMSR, VMCALL, XSETBV, RDTSC, RDTSCP, RDPMC, INVD, WBINVD.
 *
 * The instruction exits are the simple ones and the I/O instruction exit
 * (ROW_INSN), for which the last two facts hold as well: IN, OUT, INS and
 * OUTS exit when they execute, never during event delivery, and the
 * I/O-exit handler (hv/exit/io.c, hv/view/power.c, hv/view/pci_guard.c)
 * carries out, drops or completes the access, changes the I/O bitmaps or
 * stops the guest; it never writes RFLAGS.IF, interruptibility or
 * activity state.  Only its qualification is read.  Skipping the
 * instruction ends an STI or MOV-SS shadow, and skip_instruction() then
 * drops the decision itself, for every exit.
 */

/* Every exit but an instruction exit may have interrupted the delivery of
 * an event: its interruption and IDT-vectoring information are read.
 * Every exit but a simple one has its qualification read. */
static struct vmexit exit_read(const struct exit_reason *why, bool simple,
			       bool instruction)
{
	struct vmexit e = {
		.reason = why->basic,
		.raw_reason = why->raw,
		.instruction_len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN),
		.guest_rip = vmcs_readnat(VMCS_GUEST_RIP),
	};

	if (!simple)
		e.qualification = vmcs_readnat(VMCS_EXIT_QUALIFICATION);
	if (!instruction) {
		e.intr_info = vmcs_read32(VMCS_EXIT_INTR_INFO);
		e.idt_vectoring_info = vmcs_read32(VMCS_IDT_VECTORING_INFO);
	}
	return e;
}

/* After an emulated instruction with RFLAGS.TF or RF set (rflags): the
 * CPU clears RF when an instruction completes (SDM Vol. 3, "Resume Flag
 * (RF)"; a REP string instruction re-executed in chunks has it set), and
 * with TF the guest is still owed its single-step trap (SDM "Debug
 * Exceptions" in the guest state), unless DEBUGCTL.BTF makes TF trap on
 * branches only.  Out of line: the common path keeps just the test. */
static __attribute__((noinline)) void flags_after_instruction(uint64_t rflags)
{
	if (rflags & RFLAGS_RF)
		vmcs_writenat(VMCS_GUEST_RFLAGS, rflags & ~RFLAGS_RF);
	if (!(rflags & RFLAGS_TF) ||
	    (vmcs_read64(VMCS_GUEST_IA32_DEBUGCTL) & DEBUGCTL_BTF))
		return;
	vmcs_writenat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS,
		      vmcs_readnat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS) |
		      PENDING_DBG_BS);
}

/* Past the instruction: RIP wraps at 32 bits outside 64-bit mode (the
 * mode's two VMREADs only when the sum leaves the low 4 GiB), and the
 * STI / MOV-SS shadow ends with the instruction that had it (the guest
 * may take interrupts again: the injection decision must look).  Inlined
 * into each dispatcher: a call and a frame of its own cost the short
 * paths a tenth of their instructions. */
static inline __attribute__((always_inline))
void skip_instruction(struct vcpu *v, const struct vmexit *e)
{
	uint64_t rip = e->guest_rip + e->instruction_len;
	uint32_t intr = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE);

	if (rip > RIP_MASK_32 && !guest_in_64bit_mode())
		rip &= RIP_MASK_32;
	vmcs_writenat(VMCS_GUEST_RIP, rip);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) {
		vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE,
			     intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
		inject_recheck(v);
	}
	uint64_t rflags = vmcs_readnat(VMCS_GUEST_RFLAGS);

	if (rflags & (RFLAGS_TF | RFLAGS_RF))
		flags_after_instruction(rflags);
}

/* The same for handlers that emulate an instruction whose exit reports no
 * length (handlers.h); the dispatchers have their own inlined copies. */
void guest_skip_instruction(struct vcpu *v, uint64_t guest_rip, uint32_t len)
{
	struct vmexit e = { .guest_rip = guest_rip, .instruction_len = len };

	skip_instruction(v, &e);
}

/* Call the table's handler for the exit (row: the reason's row, NULL for
 * an entry failure or an unknown reason), or the entry-failure report
 * when bit 31 is set.  A reason the table does not know stops the guest
 * instead of being guessed at. */
static enum exit_action exit_handle(struct vcpu *v, const struct vmexit *e,
				    const struct exit_reason *why,
				    const struct exit_row *row)
{
	if (why->entry_failure)
		return exit_entry_failure(v, e);
	if (!row) {
		log_error("exit_dispatch: exit reason %u is not in SDM Table C-1",
			  e->reason);
		return exit_fail(v, e, "unknown VM exit reason");
	}
	return row->handler(v, e);
}

/* The monitor's trace REASON on|off: exits of a traced reason are logged
 * one line each, before their handler runs. */
static bool traced[EXIT_REASON_MAX + 1];

bool exit_trace_set(uint32_t reason, bool on)
{
	if (reason > EXIT_REASON_MAX || !exit_row_of(reason))
		return false;
	traced[reason] = on;
	return true;
}

static void exit_trace_log(const struct vmexit *e)
{
	log_info("trace: %s (%u) at rip 0x%llx, qualification 0x%llx",
		 exit_reason_name(e->reason), e->reason,
		 (unsigned long long)e->guest_rip,
		 (unsigned long long)e->qualification);
}

/* Any exit through the exit table: read the exit as its row says, call
 * the row's handler and apply the action (skip the instruction, re-decide
 * injection, re-deliver an event the exit interrupted).  Not inlined: its
 * frame would burden the I/O and simple exits' short paths. */
__attribute__((noinline))
static void dispatch_by_table(struct vcpu *v, const struct exit_reason *why)
{
	const struct exit_row *row =
		why->entry_failure ? NULL : exit_row_of(why->basic);
	bool simple = row && row->simple;
	bool instruction = row && row->instruction;
	struct vmexit e = exit_read(why, simple, instruction);
	enum exit_action action;

	if (row && traced[why->basic])
		exit_trace_log(&e);
	action = exit_handle(v, &e, why, row);

	if (action == EXIT_STOP_GUEST || v->stop_reason)
		return;
	if (action == EXIT_SKIP_INSTRUCTION)
		skip_instruction(v, &e);
	if (!instruction) {
		inject_recheck(v);
		if (action != EXIT_EVENT_DELIVERED)
			inject_redeliver(v, e.idt_vectoring_info);
	}
}

/*
 * The I/O instruction exit, the commonest (the guest's PCI configuration,
 * power and console ports), without the table's general path: the same
 * reads and actions as dispatch_by_table() takes for its row, which is
 * an instruction exit (see above: the qualification, the length and RIP
 * are read, no event fields, the injection decision stands).  Called
 * directly, it is also spared the indirect call's retpoline, as KVM
 * does for its common exits; the table still names the handler.
 */
static void dispatch_io(struct vcpu *v, const struct exit_reason *why)
{
	struct vmexit e = {
		.reason = EXIT_REASON_IO_INSTRUCTION,
		.raw_reason = why->raw,
		.qualification = vmcs_readnat(VMCS_EXIT_QUALIFICATION),
		.instruction_len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN),
		.guest_rip = vmcs_readnat(VMCS_GUEST_RIP),
	};

	if (handle_io(v, &e) == EXIT_SKIP_INSTRUCTION && !v->stop_reason)
		skip_instruction(v, &e);
}

/*
 * A simple instruction exit (the row's simple column: CPUID, RDMSR, WRMSR,
 * VMCALL, ...) without the table's general path: the same reads and
 * actions as dispatch_by_table() takes for such a row (see above: the
 * length and RIP are read, no qualification and no event fields, the
 * injection decision stands), in a frame that holds nothing else.  The
 * CPUID handler, the commonest here, is called directly, sparing it the
 * indirect call's retpoline as dispatch_io() does for its handler; the
 * others go through the row's handler.  Called from one place and
 * inlined there, where the table's path is a tail call before its frame.
 */
static void dispatch_simple(struct vcpu *v, uint32_t reason,
			    exit_handler_fn handler)
{
	struct vmexit e = {
		.reason = reason,
		.raw_reason = reason,
		.instruction_len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN),
		.guest_rip = vmcs_readnat(VMCS_GUEST_RIP),
	};
	enum exit_action action = handler == handle_cpuid ?
		handle_cpuid(v, &e) : handler(v, &e);

	if (action == EXIT_SKIP_INSTRUCTION && !v->stop_reason)
		skip_instruction(v, &e);
}

/* Every exit but an untraced I/O exit: a simple one with no flag bit and
 * not traced by its own path, the rest by the table's.  The whole field
 * is compared, so a flag bit (entry failure, pending MTF exit) takes the
 * table's path; only rows the table has are marked simple.  Not inlined,
 * so that exit_dispatch() keeps the I/O exit's test to itself. */
__attribute__((noinline))
static void dispatch_not_io(struct vcpu *v, const struct exit_reason *why)
{
	uint32_t raw = why->raw;

	if (raw <= EXIT_REASON_MAX && exit_table[raw].simple && !traced[raw])
		dispatch_simple(v, raw, exit_table[raw].handler);
	else
		dispatch_by_table(v, why);
}

/* Handle one VM exit of v, given its decoded exit reason.  Expects v's
 * VMCS current on this CPU, right after the exit; returns with
 * v->stop_reason set when the guest must not run again. */
void exit_dispatch(struct vcpu *v, const struct exit_reason *why)
{
	/* The whole field: an I/O exit with no flag bit (no entry failure,
	 * no pending MTF exit) */
	if (why->raw == EXIT_REASON_IO_INSTRUCTION &&
	    !traced[EXIT_REASON_IO_INSTRUCTION])
		dispatch_io(v, why);
	else
		dispatch_not_io(v, why);
}

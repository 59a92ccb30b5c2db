/*
 * Event injection into the guest (see hv/vcpu/inject.h for the interface and
 * hv/vcpu/event_queue.h for the delivery rules).
 *
 * Every event ends up in one place: the VM-entry interruption-information
 * field (VMCS_ENTRY_INTR_INFO), whose valid bit the CPU clears on every VM
 * exit.  So "the field is valid" before an entry means "this exit already
 * chose an event": a reflected or re-delivered one, which must win over
 * anything queued.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/panic.h"
#include "arch/x86/percpu.h"
#include "hv/exit/qual.h"
#include "hv/lapic/lapic.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"

/* Per vCPU, indexed by v->id (struct vcpu has no room for the 256-bit
 * set yet): the pending events, and whether the last injection decision
 * still stands (see inject_pending()). */
struct inject_state {
	struct event_queue queue;
	bool settled;
};

static struct inject_state states[MAX_CPUS];

/* The injection state of v, by its id.  An id beyond MAX_CPUS is a broken
 * hypervisor invariant: panic. */
static struct inject_state *state_of(const struct vcpu *v)
{
	if (v->id >= MAX_CPUS)
		panic("inject: vCPU id %u out of range", v->id);
	return &states[v->id];
}

/* v's event queue for a caller that may change it; handing it out unsettles
 * the last injection decision, since the caller may queue or clear events. */
static struct event_queue *queue_of(const struct vcpu *v)
{
	struct inject_state *st = state_of(v);

	st->settled = false;            /* the caller may change the queue */
	return &st->queue;
}

/* v's pending-event queue, for code outside this file; the last injection
 * decision is dropped, as after any queue change. */
struct event_queue *vcpu_events(const struct vcpu *v)
{
	return queue_of(v);
}

/* Drop the last injection decision: the next inject_pending() decides
 * afresh.  For root-mode code that changed RFLAGS.IF, interruptibility or
 * activity state. */
void inject_recheck(struct vcpu *v)
{
	state_of(v)->settled = false;
}

/* Exceptions that push an error code (SDM Vol. 3, "Exception and
 * Interrupt Reference"): #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
static bool exception_has_error_code(uint8_t vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21:
		return true;
	default:
		return false;
	}
}

/* Fill the VM-entry event fields of the current VMCS: error code (only when
 * info says it is valid), instruction length, and the interruption
 * information last, which arms the injection. */
static void entry_event_write(uint32_t info, uint32_t error_code,
			      uint32_t instruction_len)
{
	if (info & INTR_INFO_ERROR_CODE_VALID)
		vmcs_write32(VMCS_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	vmcs_write32(VMCS_ENTRY_INSTRUCTION_LEN, instruction_len);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, info);
}

/* Whether this VM entry already delivers an event (the entry field's valid
 * bit, which the CPU clears on every exit). */
static bool entry_event_pending(void)
{
	return vmcs_read32(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
}

/* Real-mode guests get no error code: VM entry refuses one when
 * CR0.PE = 0 (unrestricted guest). */
void inject_exception(struct vcpu *v, uint8_t vector, uint32_t error_code)
{
	bool with_code = exception_has_error_code(vector) &&
			 (vmcs_readnat(VMCS_GUEST_CR0) & CR0_PE);

	inject_recheck(v);
	entry_event_write(intr_info_encode(vector, INTR_TYPE_HW_EXCEPTION,
					   with_code), error_code, 0);
}

/* Queue one NMI for the guest; inject_pending() delivers it when NMIs are
 * unblocked. */
void inject_nmi(struct vcpu *v)
{
	queue_of(v)->nmis++;
}

/* Queue external-interrupt vector for the guest; inject_pending() delivers
 * it when the guest can take it and the TPR lets it through. */
void inject_external(struct vcpu *v, uint8_t vector)
{
	event_queue_set(queue_of(v), vector);
}

/* The guest's virtual TPR, as MOV from CR8 reads it (4-bit priority
 * class): the virtual LAPIC's. */
uint8_t inject_get_tpr(const struct vcpu *v)
{
	return lapic_cr8_read((struct vcpu *)v);
}

/* Set the guest's virtual TPR from MOV to CR8 (low 4 bits), in the
 * virtual LAPIC, which unsettles the decision. */
void inject_set_tpr(struct vcpu *v, uint8_t tpr)
{
	lapic_cr8_write(v, tpr);
}

/* NMIs the host took in root mode (arch/x86/trap.c counts them) and any
 * the VMX core queued in struct vcpu become guest NMIs. */
static void fold_outside_events(struct vcpu *v, struct event_queue *q)
{
	struct percpu *cpu = v->cpu ? v->cpu : this_cpu();

	q->nmis += (uint32_t)__atomic_exchange_n(&cpu->nmi_count, 0,
						 __ATOMIC_RELAXED);
	q->nmis += v->pending_nmis;
	v->pending_nmis = 0;
	if (v->ext_intr_pending) {
		event_queue_set(q, v->ext_intr_vector);
		v->ext_intr_pending = false;
	}
}

/* What decides whether the guest can take an event now: RFLAGS.IF,
 * interruptibility and activity state, read from the current VMCS. */
static struct event_guest_state guest_event_state(void)
{
	return (struct event_guest_state){
		.rflags_if = (vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_IF) != 0,
		.interruptibility = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE),
		.activity = vmcs_read32(VMCS_GUEST_ACTIVITY_STATE),
	};
}

/* Turn the window controls on or off; a window the CPU cannot open (NMI
 * window without virtual NMIs) stays closed and the NMI waits for the
 * next exit.  True when every window asked for is open. */
static bool set_windows(struct vcpu *v, bool intr_window, bool nmi_window)
{
	uint32_t proc = v->ctls.word[PROCBASED_CTLS];    /* = the VMCS field */
	uint32_t asked = (intr_window ? PROCBASED_CTLS_INTR_WINDOW_EXITING : 0) |
			 (nmi_window ? PROCBASED_CTLS_NMI_WINDOW_EXITING : 0);
	uint32_t want = proc & ~(PROCBASED_CTLS_INTR_WINDOW_EXITING |
				 PROCBASED_CTLS_NMI_WINDOW_EXITING);

	want = (want | asked) & (v->ctls.may_be_one[PROCBASED_CTLS] | proc);
	if (want != proc) {
		vmcs_write32(VMCS_PROCBASED_CTLS, want);
		v->ctls.word[PROCBASED_CTLS] = want;
	}
	return (want & asked) == asked;
}

/* An injected event wakes a halted guest (SDM "Event Injection"). */
static void wake_if_halted(const struct event_guest_state *s)
{
	if (s->activity == GUEST_ACTIVITY_HLT)
		vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* Nothing queued, no window open.  The full decision would change nothing
 * then, so the guest-state VMREADs and the queue scan are skipped.  (The
 * VMCS's primary controls are written only through v->ctls: set_windows()
 * and the initial control words.) */
static bool nothing_pending(const struct vcpu *v, const struct event_queue *q)
{
	uint64_t queued = 0;

	for (int w = 0; w < EVENT_WORDS; w++)
		queued |= q->ext[w];
	return !queued && !q->nmis &&
	       !(v->ctls.word[PROCBASED_CTLS] &
		 (PROCBASED_CTLS_INTR_WINDOW_EXITING |
		  PROCBASED_CTLS_NMI_WINDOW_EXITING));
}

/* NMIs and interrupts from outside the queue: the host's root-mode NMIs
 * and what the VMX core left in struct vcpu (folded in by the decision). */
static bool outside_events(const struct vcpu *v)
{
	const struct percpu *cpu = v->cpu ? v->cpu : this_cpu();

	return v->pending_nmis || v->ext_intr_pending ||
	       __atomic_load_n(&cpu->nmi_count, __ATOMIC_RELAXED);
}

/* The queue the choice looks at: the vectors waiting for re-delivery
 * (already acknowledged) and the one the virtual LAPIC would deliver now,
 * which has passed its priority rules (so no TPR filter here). */
static struct event_queue with_lapic(const struct event_queue *q, int lapic_vector)
{
	struct event_queue w = *q;

	w.tpr = 0;
	if (lapic_vector != EVENT_NO_VECTOR)
		event_queue_set(&w, (uint8_t)lapic_vector);
	return w;
}

/* Inject external vector c->vector: a re-delivery leaves the queue, a
 * vector of the virtual LAPIC is acknowledged there (IRR -> ISR), which
 * may leave another one deliverable (after an ExtINT): its window opens. */
static void inject_vector(struct vcpu *v, struct event_queue *q,
			  struct event_choice *c, const struct event_guest_state *s)
{
	uint64_t word = q->ext[c->vector / EVENT_WORD_BITS];

	if (word & (1ull << (c->vector % EVENT_WORD_BITS))) {
		event_queue_clear(q, c->vector);
	} else {
		lapic_intr_ack(v, c->vector);
		c->intr_window |= lapic_intr_pending(v) != EVENT_NO_VECTOR;
	}
	entry_event_write(intr_info_encode(c->vector, INTR_TYPE_EXT_INTR, false), 0, 0);
	wake_if_halted(s);
}

/* The decision; true when it injected nothing and every window it asked
 * for is open, so that it stands until one of its inputs changes.  The
 * virtual LAPIC answers which interrupt is pending and takes the
 * acknowledgement; the queue holds only NMIs and re-deliveries. */
static bool decide(struct vcpu *v, struct event_queue *q)
{
	struct event_guest_state s;
	struct event_choice c;
	struct event_queue w;
	int lapic_vector;

	fold_outside_events(v, q);
	lapic_vector = lapic_intr_pending(v);
	if (lapic_vector == EVENT_NO_VECTOR && nothing_pending(v, q))
		return true;
	w = with_lapic(q, lapic_vector);
	s = guest_event_state();
	if (entry_event_pending()) {
		/* This entry delivers an event already: queued ones wait for
		 * the windows. */
		set_windows(v, event_queue_eligible(&w) != EVENT_NO_VECTOR,
			    q->nmis != 0);
		return false;
	}
	c = event_choose(&w, &s);
	if (c.kind == EVENT_INJECT_NMI) {
		q->nmis--;
		entry_event_write(intr_info_encode(EXC_NMI, INTR_TYPE_NMI, false), 0, 0);
		wake_if_halted(&s);
	} else if (c.kind == EVENT_INJECT_EXTERNAL) {
		inject_vector(v, q, &c, &s);
	}
	return set_windows(v, c.intr_window, c.nmi_window) &&
	       c.kind == EVENT_NONE;
}

/* Out of line: inject_pending()'s common path then needs no register
 * saves. */
static __attribute__((noinline)) void redecide(struct vcpu *v)
{
	struct inject_state *st = state_of(v);

	st->settled = decide(v, &st->queue);
}

/*
 * The last decision stands (st->settled) while none of its inputs changed:
 *  - the queue, its NMI count and the TPR: every change goes through this
 *    file (queue_of(), which also serves vcpu_events()) and unsettles;
 *  - events from outside the queue: looked at before every entry;
 *  - the entry-interruption field: inject_exception() and
 *    inject_redeliver() unsettle; an injection by the decision itself
 *    never settles;
 *  - the guest's RFLAGS.IF, interruptibility and activity state.  Root
 *    mode changes them only in the handlers of exits that call
 *    inject_recheck() (every exit but the instruction exits of
 *    hv/exit/dispatch.c: the simple ones and I/O; and the end of an
 *    STI/MOV-SS shadow there, for every exit).  The guest
 *    changes them by running; but for everything the settled decision left
 *    pending its window is open, so the CPU exits (interrupt or NMI window,
 *    not an instruction exit) at the first instruction boundary at which the
 *    guest can take the event, and an event the TPR masks has no window
 *    because only a CR8 write (inject_set_tpr()) can unmask it.
 * So after an instruction exit the decision would come out the same: skip
 * it.
 * In the common case (nothing pending) that saves the queue scan; with an
 * interrupt queued while the guest runs with IF = 0 it saves the three
 * guest-state VMREADs and the whole choice on every exit.
 */
void inject_pending(struct vcpu *v)
{
	if (!state_of(v)->settled || outside_events(v))
		redecide(v);
}

/* ---- Re-delivery of an interrupted event --------------------------------- */

enum exception_class { EXC_BENIGN, EXC_CONTRIBUTORY, EXC_PAGE_FAULT, EXC_DOUBLE };

/* SDM Vol. 3, "Interrupt 8—Double Fault Exception (#DF)", table of
 * benign, contributory and page-fault classes. */
static enum exception_class exception_class_of(uint8_t vector)
{
	switch (vector) {
	case EXC_DE: case 10: case 11: case 12: case EXC_GP:
		return EXC_CONTRIBUTORY;
	case EXC_PF:
		return EXC_PAGE_FAULT;
	case EXC_DF:
		return EXC_DOUBLE;
	default:
		return EXC_BENIGN;
	}
}

/* The first event was being delivered when the handler raised `second`.
 * Interrupts and NMIs go back to the queue (never lost); exceptions
 * follow the double-fault rules. */
static void combine(struct vcpu *v, struct intr_info first, uint8_t second)
{
	enum exception_class c1, c2;

	if (first.type == INTR_TYPE_EXT_INTR) {
		inject_external(v, first.vector);
		return;
	}
	if (first.type == INTR_TYPE_NMI) {
		inject_nmi(v);
		return;
	}
	if (first.type != INTR_TYPE_HW_EXCEPTION)
		return;                 /* INT n, INT3, INTO re-execute */
	c1 = exception_class_of(first.vector);
	c2 = exception_class_of(second);
	if (c1 == EXC_DOUBLE) {
		vcpu_stop(v, false, "guest triple fault: exception while delivering #DF");
		return;
	}
	if ((c1 == EXC_CONTRIBUTORY && c2 == EXC_CONTRIBUTORY) ||
	    (c1 == EXC_PAGE_FAULT && c2 != EXC_BENIGN))
		inject_exception(v, EXC_DF, 0);
}

/* Software interrupts and exceptions need the instruction length again:
 * the CPU re-executes nothing, the injection replays the INT n. */
static bool event_needs_length(uint8_t type)
{
	return type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	       type == INTR_TYPE_SW_EXCEPTION;
}

/* Deliver again the event the exit interrupted (the IDT-vectoring
 * information), with its error code and instruction length, unless the
 * handler already raised an exception: then the two combine under the
 * double-fault rules.  Nothing to do when idt_vectoring_info is not valid. */
void inject_redeliver(struct vcpu *v, uint32_t idt_vectoring_info)
{
	struct intr_info first = intr_info_decode(idt_vectoring_info);
	uint32_t info, error_code = 0, len = 0;

	if (!first.valid)
		return;
	inject_recheck(v);
	if (entry_event_pending()) {
		uint32_t second = vmcs_read32(VMCS_ENTRY_INTR_INFO);
		combine(v, first, (uint8_t)(second & INTR_INFO_VECTOR_MASK));
		return;
	}
	info = intr_info_encode(first.vector, first.type, first.error_code_valid);
	if (first.error_code_valid)
		error_code = vmcs_read32(VMCS_IDT_VECTORING_ERROR_CODE);
	if (event_needs_length(first.type))
		len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN);
	entry_event_write(info, error_code, len);
}

/* INIT discards what was waiting: queued interrupts and NMIs, the host's
 * NMI count for this CPU, and an event already in the VM-entry field. */
void inject_discard(struct vcpu *v)
{
	struct percpu *cpu = v->cpu ? v->cpu : this_cpu();

	*queue_of(v) = (struct event_queue){ 0 };
	v->pending_nmis = 0;
	v->ext_intr_pending = false;
	__atomic_store_n(&cpu->nmi_count, 0, __ATOMIC_RELAXED);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, 0);
}

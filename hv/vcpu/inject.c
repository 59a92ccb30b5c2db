/*
 * Event injection into the guest (see hv/vcpu/inject.h for the interface,
 * hv/vcpu/event_queue.h for when a queued event is delivered and
 * hv/vcpu/event_rules.h for how any event is written).
 *
 * Every event ends up in one place: the VM-entry interruption-information
 * field (VMCS_ENTRY_INTR_INFO), whose valid bit the CPU clears on every VM
 * exit, written only by entry_event_set().  So "the field is valid" before
 * an entry means "this exit already chose an event": a reflected or
 * re-delivered one, which must win over anything queued.
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
#include "lib/log.h"

/* Per vCPU, indexed by v->id (struct vcpu has no room for the 256-bit
 * set yet): the pending events.  Whether the last injection decision
 * still stands is VCPU_REQ_INJECT clear in v->requests (see
 * inject_pending()). */
struct inject_state {
	struct event_queue queue;
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
static struct event_queue *queue_of(struct vcpu *v)
{
	v->requests |= VCPU_REQ_INJECT; /* the caller may change the queue */
	return &state_of(v)->queue;
}

/* v's pending-event queue, for code outside this file; the last injection
 * decision is dropped, as after any queue change. */
struct event_queue *vcpu_events(struct vcpu *v)
{
	return queue_of(v);
}

/* Drop the last injection decision: the next inject_pending() decides
 * afresh.  For root-mode code that changed RFLAGS.IF, interruptibility or
 * activity state, which the APICv wake check reads too (a halted guest
 * with a deliverable virtual interrupt): the LAPIC stage runs as well. */
void inject_recheck(struct vcpu *v)
{
	v->requests |= VCPU_REQ_INJECT | VCPU_REQ_LAPIC;
}

/*
 * The one place that arms an event for the next VM entry (SDM Vol. 3,
 * "Event Injection"; the rules in hv/vcpu/event_rules.h):
 *  - error code only when e says so (never in real mode: see
 *    event_hw_exception()), instruction length for software events;
 *  - a fault-class exception pushes RFLAGS with RF = 1, as the CPU's own
 *    delivery does: RF is set in the guest RFLAGS, which the delivery
 *    pushes and then clears;
 *  - the delivery ends an STI or MOV-SS shadow ("the inhibition ends after
 *    delivery of another event"), and VM entry refuses an external
 *    interrupt with either: both are cleared;
 *  - an NMI is delivered with NMI blocking clear (VM entry refuses it set
 *    with virtual NMIs; after an exit during an NMI's delivery the field
 *    may hold it: "Information for VM Exits During Event Delivery"); the
 *    delivery sets it again;
 *  - a halted guest becomes active: the delivery wakes it (and VM entry
 *    refuses most events with the HLT activity state);
 *  - the interruption information last, which arms the injection.
 */
static void entry_event_set(struct vcpu *v, const struct event *e)
{
	uint32_t intr = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE);
	uint32_t ended = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS |
			 (e->type == INTR_TYPE_NMI ? GUEST_INTR_STATE_NMI : 0);

	if (intr & ended)
		vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE, intr & ~ended);
	if (event_sets_rf(e))
		vmcs_writenat(VMCS_GUEST_RFLAGS,
			      vmcs_readnat(VMCS_GUEST_RFLAGS) | RFLAGS_RF);
	if (vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_HLT)
		vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	if (e->has_error_code)
		vmcs_write32(VMCS_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	vmcs_write32(VMCS_ENTRY_INSTRUCTION_LEN,
		     event_needs_length(e->type) ? e->instruction_len : 0);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, event_entry_info(e));
	inject_recheck(v);
}

/* Whether this VM entry already delivers an event (the entry field's valid
 * bit, which the CPU clears on every exit). */
static bool entry_event_pending(void)
{
	return vmcs_read32(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
}

/* A handler's event, as it came (e.g. a reflected software exception). */
void inject_event(struct vcpu *v, const struct event *e)
{
	entry_event_set(v, e);
}

/* Real-mode guests get no error code: VM entry refuses one when
 * CR0.PE = 0 (unrestricted guest). */
void inject_exception(struct vcpu *v, uint8_t vector, uint32_t error_code)
{
	struct event e = event_hw_exception(vector, error_code,
					    vmcs_readnat(VMCS_GUEST_CR0) & CR0_PE);

	entry_event_set(v, &e);
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

/* NMIs the host took in root mode (arch/x86/trap.c counts them) become
 * guest NMIs. */
static void fold_outside_events(struct vcpu *v, struct event_queue *q)
{
	struct percpu *cpu = v->cpu ? v->cpu : this_cpu();

	q->nmis += (uint32_t)__atomic_exchange_n(&cpu->nmi_count, 0,
						 __ATOMIC_RELAXED);
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

/* Where HLT stays in the guest (resolve_halt() in hv/vmx/ctls.c): while
 * an interrupt waits for the guest (a virtual one the CPU is to deliver
 * on APICv, or one behind an interrupt or NMI window), HLT exits after
 * all.  The SDM has both wake a halted processor; Bochs's HLT wakes for
 * neither, and the HLT exit lets root mode wake the guest (handle_hlt()
 * and the activity-state rules here and in hv/lapic/apicv.c). */
static void halt_exits_while_waiting(struct vcpu *v)
{
	uint32_t proc = v->ctls.word[PROCBASED_CTLS];    /* = the VMCS field */
	bool waiting = v->lapic.virtual_waiting ||
		       (proc & (PROCBASED_CTLS_INTR_WINDOW_EXITING |
				PROCBASED_CTLS_NMI_WINDOW_EXITING));
	uint32_t want = waiting ? proc | PROCBASED_CTLS_HLT_EXITING
				: proc & ~PROCBASED_CTLS_HLT_EXITING;

	if (v->ctls.hlt_exiting || want == proc)
		return;
	vmcs_write32(VMCS_PROCBASED_CTLS, want);
	v->ctls.word[PROCBASED_CTLS] = want;
}

/* Nothing queued, no window open.  The full decision would change nothing
 * then, so the guest-state VMREADs and the queue scan are skipped.  (The
 * VMCS's primary controls are written only through v->ctls: set_windows(),
 * halt_exits_while_waiting() and the initial control words.) */
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

/* Whether vector is waiting in the queue (a re-delivery), not in the
 * virtual LAPIC. */
static bool queued(const struct event_queue *q, uint8_t vector)
{
	return (q->ext[vector / EVENT_WORD_BITS] >> (vector % EVENT_WORD_BITS)) & 1;
}

/* Inject external vector c->vector: a re-delivery leaves the queue, a
 * vector of the virtual LAPIC is acknowledged there (IRR -> ISR), which
 * may leave another one deliverable (after an ExtINT): its window opens. */
static void inject_vector(struct vcpu *v, struct event_queue *q,
			  struct event_choice *c)
{
	if (queued(q, c->vector)) {
		event_queue_clear(q, c->vector);
	} else {
		lapic_intr_ack(v, c->vector);
		c->intr_window |= lapic_intr_pending(v) != EVENT_NO_VECTOR;
	}
	entry_event_set(v, &(struct event){ .type = INTR_TYPE_EXT_INTR,
					    .vector = c->vector });
}

/* Whether chosen vector is a leftover of the BIOS's 8259 mapping that the
 * guest, now in protected mode, never meant to take
 * (event_ext_vector_leftover()): an 8259 vector (ExtINT, acknowledged at
 * the exit) or a re-delivery; logged once.  Vectors from the virtual
 * LAPIC's IRR are 16 or more and the guest's own. */
static bool leftover_vector(const struct vcpu *v, const struct event_queue *q,
			    uint8_t vector)
{
	static bool logged;
	bool from_8259 = v->lapic.model.extint_pending &&
			 v->lapic.model.extint_vector == vector;

	if (!(from_8259 || queued(q, vector)) ||
	    !event_ext_vector_leftover(vector, vmcs_readnat(VMCS_GUEST_CR0) & CR0_PE))
		return false;
	if (!logged)
		log_info("vcpu%u: external-interrupt vector %u in protected mode "
			 "(an 8259 acknowledge from the BIOS's mapping): not "
			 "forwarded (logged once)", v->id, vector);
	logged = true;
	return true;
}

/* Take leftover vector out of the queue or the virtual LAPIC's ExtINT. */
static void drop_vector(struct vcpu *v, struct event_queue *q, uint8_t vector)
{
	if (queued(q, vector))
		event_queue_clear(q, vector);
	else
		lapic_intr_ack(v, vector);
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
	while (c.kind == EVENT_INJECT_EXTERNAL && leftover_vector(v, q, c.vector)) {
		drop_vector(v, q, c.vector);
		w = with_lapic(q, lapic_intr_pending(v));
		c = event_choose(&w, &s);
	}
	if (c.kind == EVENT_INJECT_NMI) {
		q->nmis--;
		entry_event_set(v, &(struct event){ .type = INTR_TYPE_NMI,
						    .vector = EXC_NMI });
	} else if (c.kind == EVENT_INJECT_EXTERNAL) {
		inject_vector(v, q, &c);
	}
	return set_windows(v, c.intr_window, c.nmi_window) &&
	       c.kind == EVENT_NONE;
}

/* Out of line: inject_pending()'s common path then needs no register
 * saves. */
static __attribute__((noinline)) void redecide(struct vcpu *v)
{
	v->requests &= ~VCPU_REQ_INJECT;
	if (!decide(v, &state_of(v)->queue))
		v->requests |= VCPU_REQ_INJECT;
}

/*
 * The last decision stands (VCPU_REQ_INJECT clear) while none of its
 * inputs changed:
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
 *    STI/MOV-SS shadow there, for every exit) and in entry_event_set(),
 *    which unsettles too.  The guest
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
 * The run loop calls this only when inject_wanted(): the HLT-exiting
 * choice here changes only with the windows (set by the decision) and
 * with virtual_waiting, whose change requests this stage (hv/lapic/apicv.c).
 */
void inject_pending(struct vcpu *v)
{
	if (inject_wanted(v))
		redecide(v);
	halt_exits_while_waiting(v);
}

/* ---- Re-delivery of an interrupted event --------------------------------- */

/* The event whose delivery the exit interrupted, from the IDT-vectoring
 * information field and its error code; a software event's instruction
 * length is the exit's ("Information for VM Exits During Event
 * Delivery"). */
static struct event interrupted_event(const struct intr_info *ii)
{
	struct event e = {
		.type = ii->type, .vector = ii->vector,
		.has_error_code = ii->error_code_valid,
	};

	if (e.has_error_code)
		e.error_code = vmcs_read32(VMCS_IDT_VECTORING_ERROR_CODE);
	if (event_needs_length(e.type))
		e.instruction_len = vmcs_read32(VMCS_EXIT_INSTRUCTION_LEN);
	return e;
}

/* The handler raised exception `second` while `first` was being
 * delivered: the double-fault table decides (event_combine()).  Serially,
 * the second stays armed, and an interrupt or NMI first goes back to the
 * queue, never lost; a #DF replaces the second; beyond that the guest
 * shuts down, which stops it as a triple fault does. */
static void combine(struct vcpu *v, const struct event *first, uint8_t second)
{
	switch (event_combine(first, second)) {
	case EVENT_DOUBLE_FAULT:
		inject_exception(v, EXC_DF, 0);
		return;
	case EVENT_TRIPLE_FAULT:
		vcpu_stop(v, false, "guest triple fault: exception while "
			  "delivering #DF");
		return;
	case EVENT_SECOND_SERIAL:
		if (first->type == INTR_TYPE_EXT_INTR)
			inject_external(v, first->vector);
		else if (first->type == INTR_TYPE_NMI)
			inject_nmi(v);
		return;
	}
}

/* Deliver again the event the exit interrupted (the IDT-vectoring
 * information), with its error code and instruction length, unless the
 * handler already raised an exception: then the two combine under the
 * double-fault rules.  Nothing to do when idt_vectoring_info is not valid. */
void inject_redeliver(struct vcpu *v, uint32_t idt_vectoring_info)
{
	struct intr_info ii = intr_info_decode(idt_vectoring_info);
	struct event first;

	if (!ii.valid)
		return;
	inject_recheck(v);
	first = interrupted_event(&ii);
	if (entry_event_pending()) {
		uint32_t second = vmcs_read32(VMCS_ENTRY_INTR_INFO);

		combine(v, &first, (uint8_t)(second & INTR_INFO_VECTOR_MASK));
		return;
	}
	entry_event_set(v, &first);
}

/* INIT discards what was waiting: queued interrupts and NMIs, the host's
 * NMI count for this CPU, and an event already in the VM-entry field. */
void inject_discard(struct vcpu *v)
{
	struct percpu *cpu = v->cpu ? v->cpu : this_cpu();

	*queue_of(v) = (struct event_queue){ 0 };
	__atomic_store_n(&cpu->nmi_count, 0, __ATOMIC_RELAXED);
	vmcs_write32(VMCS_ENTRY_INTR_INFO, 0);
}

/*
 * The events waiting for a guest (external-interrupt vectors as a 256-bit
 * set, NMIs as a count) and the pure decision of what to do with them
 * before a VM entry.  Header-only and free of VMCS access, so the host
 * unit tests check the rules (tests/unit/test_exit_policy.c).
 *
 * Rules (SDM Vol. 3, "Event Injection", "Checks on Guest Non-Register
 * State", "Interruptibility State"):
 *  - An NMI can be injected unless blocking by STI, MOV SS or NMI is set.
 *  - An external interrupt needs RFLAGS.IF = 1 and no STI/MOV-SS blocking.
 *  - NMIs go first; among vectors the highest goes first (APIC priority).
 *  - Vectors whose priority class (vector >> 4) is not above the virtual
 *    TPR stay queued without a window: the guest must lower its TPR first.
 *    Not vectors 0-15 (class 0): the local APIC never delivers them
 *    ("illegal vector"), only the 8259 does (the BIOS maps IRQ 0-7 to
 *    vectors 8-15 in real mode), as ExtINT, which the TPR does not hold
 *    back ("Interrupt, Task, and Processor Priority").  Holding them "at
 *    class 0 <= TPR 0" kept a real-mode timer tick queued for ever while
 *    the 8259 waited for its EOI: `sti; hlt` never woke.
 *  - In wait-for-SIPI or shutdown nothing is delivered.
 */
#ifndef HV_EVENT_QUEUE_H
#define HV_EVENT_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vmx/ctls_bits.h"

#define EVENT_VECTORS        256
#define EVENT_WORD_BITS      64
#define EVENT_WORDS          (EVENT_VECTORS / EVENT_WORD_BITS)
#define EVENT_PRIORITY_SHIFT 4        /* APIC priority class: vector[7:4] */
#define EVENT_NO_VECTOR      (-1)
#define EVENT_APIC_MIN_VECTOR 16      /* below: the 8259's only (class 0) */

struct event_queue {
	uint64_t ext[EVENT_WORDS];   /* external-interrupt vectors waiting */
	uint32_t nmis;               /* NMIs waiting */
	uint8_t tpr;                 /* virtual TPR (CR8), 0-15 */
};

static inline void event_queue_set(struct event_queue *q, uint8_t vector)
{
	q->ext[vector / EVENT_WORD_BITS] |= 1ull << (vector % EVENT_WORD_BITS);
}

static inline void event_queue_clear(struct event_queue *q, uint8_t vector)
{
	q->ext[vector / EVENT_WORD_BITS] &= ~(1ull << (vector % EVENT_WORD_BITS));
}

/* The highest queued vector, EVENT_NO_VECTOR when none. */
static inline int event_queue_highest(const struct event_queue *q)
{
	for (int w = EVENT_WORDS - 1; w >= 0; w--)
		if (q->ext[w])
			return w * EVENT_WORD_BITS + 63 - __builtin_clzll(q->ext[w]);
	return EVENT_NO_VECTOR;
}

/* The guest state the decision depends on. */
struct event_guest_state {
	bool rflags_if;
	uint32_t interruptibility;   /* GUEST_INTR_STATE_* */
	uint32_t activity;           /* GUEST_ACTIVITY_* */
};

enum event_choice_kind {
	EVENT_NONE,                  /* nothing to inject */
	EVENT_INJECT_NMI,
	EVENT_INJECT_EXTERNAL,       /* choice.vector */
};

struct event_choice {
	enum event_choice_kind kind;
	uint8_t vector;
	bool nmi_window;             /* set NMI-window exiting */
	bool intr_window;            /* set interrupt-window exiting */
};

static inline bool event_nmi_deliverable(const struct event_guest_state *s)
{
	return !(s->interruptibility & (GUEST_INTR_STATE_STI |
					GUEST_INTR_STATE_MOV_SS |
					GUEST_INTR_STATE_NMI));
}

static inline bool event_intr_deliverable(const struct event_guest_state *s)
{
	return s->rflags_if &&
	       !(s->interruptibility & (GUEST_INTR_STATE_STI |
					GUEST_INTR_STATE_MOV_SS));
}

static inline bool event_asleep(const struct event_guest_state *s)
{
	return s->activity == GUEST_ACTIVITY_WAIT_SIPI ||
	       s->activity == GUEST_ACTIVITY_SHUTDOWN;
}

/* The highest queued vector above the TPR, EVENT_NO_VECTOR when none. */
static inline int event_queue_eligible(const struct event_queue *q)
{
	int vector = event_queue_highest(q);

	if (vector == EVENT_NO_VECTOR ||
	    (vector >= EVENT_APIC_MIN_VECTOR &&
	     (vector >> EVENT_PRIORITY_SHIFT) <= q->tpr))
		return EVENT_NO_VECTOR;
	return vector;
}

/* What to inject now and which windows to open.  Only one event can be
 * injected per entry; whatever remains gets its window. */
static inline struct event_choice event_choose(const struct event_queue *q,
					       const struct event_guest_state *s)
{
	struct event_choice c = { EVENT_NONE, 0, false, false };
	int vector = event_queue_eligible(q);
	bool nmi_taken = false;

	if (event_asleep(s))
		return c;
	if (q->nmis) {
		if (event_nmi_deliverable(s)) {
			c.kind = EVENT_INJECT_NMI;
			nmi_taken = true;
		}
		c.nmi_window = !nmi_taken || q->nmis > 1;
	}
	if (vector == EVENT_NO_VECTOR)
		return c;
	if (!nmi_taken && event_intr_deliverable(s)) {
		struct event_queue rest = *q;

		c.kind = EVENT_INJECT_EXTERNAL;
		c.vector = (uint8_t)vector;
		event_queue_clear(&rest, c.vector);
		c.intr_window = event_queue_eligible(&rest) != EVENT_NO_VECTOR;
	} else {
		c.intr_window = true;
	}
	return c;
}

#endif

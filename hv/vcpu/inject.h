/*
 * Event injection (Intel SDM Vol. 3, "Event Injection" in "VM Entries",
 * and "Interruption-Information Fields").
 *
 * Exceptions from handlers are written to the VM-entry interruption-
 * information field at once (they belong to the exiting instruction).
 * External interrupts and NMIs are queued and delivered by
 * inject_pending(), which the run loop calls before every VM entry: it
 * injects when the guest can take the event, else opens the interrupt or
 * NMI window so that the CPU exits as soon as it can.
 */
#ifndef HV_INJECT_H
#define HV_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/percpu.h"
#include "hv/vcpu/event_queue.h"
#include "hv/vcpu/event_rules.h"
#include "hv/vcpu/vcpu.h"

struct vcpu;

/* Raise hardware exception `vector` in the guest at its current RIP (the
 * handler must then return EXIT_RESUME, not skip).  The error code is
 * delivered only for vectors that have one, and only in protected mode
 * (SDM "Checks on VM-Entry Control Fields"); a fault pushes RF = 1. */
void inject_exception(struct vcpu *v, uint8_t vector, uint32_t error_code);

/* Deliver event e at the next VM entry, through the one place that writes
 * the VM-entry event fields (hv/vcpu/inject.c, entry_event_set(); the
 * rules are hv/vcpu/event_rules.h's).  For events a handler replays as
 * they came (software exceptions with their instruction length). */
void inject_event(struct vcpu *v, const struct event *e);

/* Queue one NMI / one external-interrupt vector for the guest. */
void inject_nmi(struct vcpu *v);
void inject_external(struct vcpu *v, uint8_t vector);

/* Before each VM entry: fold NMIs the host took in root mode into the
 * guest's queue, then inject the highest-priority deliverable event or open
 * the matching window.  Leaves an event already in the entry field (a
 * re-injected or reflected one) alone. */
void inject_pending(struct vcpu *v);

/* Root mode may have changed what the guest can take (RFLAGS.IF,
 * interruptibility, activity state): the next inject_pending() decides
 * afresh instead of keeping its last decision (hv/vcpu/inject.c says when that
 * stands).  The exit dispatcher calls it for every exit but the
 * instruction exits (the simple ones and I/O), and when skipping an
 * instruction ends an STI or MOV-SS shadow. */
void inject_recheck(struct vcpu *v);

/* Drop every pending and queued event of v (INIT discards them). */
void inject_discard(struct vcpu *v);

/* After a handler ran: an event whose delivery the exit interrupted
 * (IDT-vectoring information) is delivered again, or combined with an
 * exception the handler raised meanwhile (double-fault rules). */
void inject_redeliver(struct vcpu *v, uint32_t idt_vectoring_info);

/* The virtual TPR (CR8 without TPR shadow, hv/exit/cr.c): external
 * interrupts of priority class <= TPR stay queued. */
uint8_t inject_get_tpr(const struct vcpu *v);
void inject_set_tpr(struct vcpu *v, uint8_t tpr);

/* Exposed for the pending-event state of a vCPU (hv/vcpu/inject.c). */
struct event_queue *vcpu_events(struct vcpu *v);

/* NMIs from outside the queue: the host's root-mode NMIs, counted by the
 * NMI handler, which cannot set a request (folded in by the decision).
 * Expects vcpu_init() done (v->cpu set). */
static inline bool inject_outside_events(const struct vcpu *v)
{
	return __atomic_load_n(&v->cpu->nmi_count, __ATOMIC_RELAXED) != 0;
}

/* Whether inject_pending() has work: its request (the last decision does
 * not stand) or an event from outside the queue.  Read inline by the run
 * loop before every entry. */
static inline bool inject_wanted(const struct vcpu *v)
{
	return (v->requests & VCPU_REQ_INJECT) || inject_outside_events(v);
}

#endif

/*
 * Requests for the run loop's work before a VM entry (hv/vcpu/vcpu.c), in
 * the manner of KVM's vcpu->requests: whoever creates work for a stage
 * sets its bit in v->requests, and the run loop calls the stage only when
 * its bit is set (or one cheap condition that no writer can announce
 * says so: the model's LAPIC timer running, an NMI the host took in root
 * mode).  An exit that changes nothing then pays a load and a test for
 * the stages instead of their calls.
 *
 * Correctness rule: every path that gives a stage something to do sets
 * its bit; when in doubt, set it (a stage with nothing to do is only
 * slower).  A stage clears its bit only when its work stands done.
 */
#ifndef HV_VCPU_REQUESTS_H
#define HV_VCPU_REQUESTS_H

#include <stdint.h>

/* lapic_before_entry() (hv/lapic/lapic.c): a self-INIT, NMIs the model
 * took, on APICv the push of a changed model and the wake check of a
 * halted guest with a deliverable virtual interrupt.  Set by
 * lapic_apply(), every model change (changed() there), apicv_pull() when
 * the CPU left something in VIRR/VISR (or a vector was waiting), and
 * inject_recheck() (RFLAGS.IF, interruptibility or activity state, which
 * the wake check reads). */
#define VCPU_REQ_LAPIC   (1u << 0)
/* inject_pending() (hv/vcpu/inject.c): the injection decision and the
 * HLT-exiting choice.  Set while the last decision does not stand: every
 * queue change, inject_recheck(), an injection, a window that could not
 * open; and by the wake check when whether a virtual interrupt waits
 * changed (the HLT-exiting choice reads it). */
#define VCPU_REQ_INJECT  (1u << 1)
/* Every stage: a vCPU's first entry, and anything unsure. */
#define VCPU_REQ_ALL     (VCPU_REQ_LAPIC | VCPU_REQ_INJECT)

#endif

/*
 * The guest's local APIC: the model (hv/lapic/vlapic.h) behind the guest,
 * on one of two back ends (docs/apic.md):
 *
 *  - software: the xAPIC window is the APIC-access page ("virtualize APIC
 *    accesses"), every access exits and is decoded and emulated; x2APIC
 *    MSRs, IA32_APIC_BASE and IA32_TSC_DEADLINE exit to the model;
 *    interrupts are injected (hv/vcpu/inject.c asks lapic_intr_pending()
 *    and acknowledges with lapic_intr_ack()); MOV CR8 exits.
 *  - APICv: the same model; the CPU virtualizes register reads, TPR, EOI
 *    of edge vectors and self-IPIs (hv/lapic/apicv.c).
 *
 * The hypervisor owns the physical LAPIC (hv/lapic/phys.h): every external
 * interrupt exits ("acknowledge interrupt on exit") and is forwarded here;
 * the guest's LAPIC timer runs on the VMX-preemption timer.
 */
#ifndef HV_LAPIC_LAPIC_H
#define HV_LAPIC_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/lapic/vlapic.h"

#include "hv/exit/dispatch.h"

struct vcpu;

enum lapic_backend {
	LAPIC_BACKEND_SOFTWARE,
	LAPIC_BACKEND_APICV,
};

/* Counts for the statistics (docs/apic.md). */
struct lapic_stats {
	uint64_t forwarded[LAPIC_VECTORS];  /* external interrupts, per vector */
	uint64_t extint;                    /* ... of them through the 8259 */
	uint64_t spurious;                  /* physical spurious vectors */
	uint64_t level_deferred;            /* level ones: physical EOI waited */
	uint64_t mmio_reads, mmio_writes;   /* emulated xAPIC accesses */
	uint64_t msr_reads, msr_writes;     /* emulated x2APIC accesses */
};

struct lapic_vcpu {
	struct vlapic model;
	enum lapic_backend backend;
	const char *why;                    /* reason for the back end */
	uint64_t access_page;               /* APIC-access page, 0: none */
	uint64_t vapic_page;                /* virtual-APIC page (APICv) */
	uint32_t phys_level[LAPIC_VECTOR_REGS]; /* level vectors, EOI deferred */
	uint64_t eoi_exit[4];               /* EOI-exit bitmaps as written */
	uint32_t preempt_shift;             /* VMX-preemption timer rate */
	bool preempt;                       /* the timer runs on it */
	bool init_pending;                  /* an INIT to self, at the next entry */
	bool image_stale;                   /* APICv: the page lags the model */
	bool virtual_waiting;               /* APICv: a deliverable vector at the last entry */
	struct lapic_stats stats;
};

/* Take the physical LAPIC, give v its virtual one (the firmware's state:
 * ID, base, SVR, LINT0/LINT1), pick the back end and fill the VMCS fields
 * it needs.  Expects v's VMCS current and its controls computed; false
 * (logged) on failure. */
bool lapic_vcpu_init(struct vcpu *v);

/* The controls v's back end asks for (before vmx_ctls_compute()). */
bool lapic_wants_apicv(void);

/* An external interrupt exit acknowledged vector: forwarded. */
void lapic_external_interrupt(struct vcpu *v, uint8_t vector);

/* An interrupt the hypervisor emulates for an ISA line (the virtual
 * UART's, hv/view/guest_irq.h): vector as the guest routed it, through
 * the I/O APIC (edge, into the IRR) or the 8259A (ExtINT). */
void lapic_isa_interrupt(struct vcpu *v, uint8_t vector, bool via_8259);

/* Injection (hv/vcpu/inject.c): the vector to deliver now or
 * VLAPIC_NO_VECTOR; the CPU took it. */
int lapic_intr_pending(struct vcpu *v);
void lapic_intr_ack(struct vcpu *v, uint8_t vector);

/* MOV from/to CR8 (TPR[7:4]) when it exits. */
uint8_t lapic_cr8_read(struct vcpu *v);
void lapic_cr8_write(struct vcpu *v, uint8_t cr8);

/* Before a VM entry, when VCPU_REQ_LAPIC (hv/vcpu/requests.h) is set or
 * the model's timer runs: a self-INIT, fire an expired timer, hand NMIs
 * to the injection code, arm the VMX-preemption timer for the next
 * deadline; on APICv the push and the wake check. */
void lapic_before_entry(struct vcpu *v);

/* IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC MSRs: false means #GP. */
bool lapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
bool lapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);

/* An emulated xAPIC access at offset (software back end). */
uint32_t lapic_mmio_read(struct vcpu *v, uint32_t offset);
void lapic_mmio_write(struct vcpu *v, uint32_t offset, uint32_t value);

/* An EPT violation at gpa: when it is the xAPIC window (a CPU without
 * "virtualize APIC accesses"), emulated like an APIC access, *action
 * set, true. */
bool lapic_ept_access(struct vcpu *v, const struct vmexit *e, uint64_t gpa,
		      bool write, enum exit_action *action);

/* Apply what a model operation set in motion (physical EOI, window move,
 * a fresh injection decision). */
void lapic_apply(struct vcpu *v, const struct vlapic_effect *fx);

/* After every VM exit (APICv: the CPU's work into the model). */
void lapic_after_exit(struct vcpu *v);

/* The guest EOIed a level vector whose physical EOI waited for it. */
void lapic_level_eoi(struct vcpu *v, uint8_t vector);

/* One block of log lines when the guest stops. */
void lapic_log_stats(const struct vcpu *v);

#endif

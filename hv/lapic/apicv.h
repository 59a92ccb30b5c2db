/*
 * The APICv back end of the virtual LAPIC (Intel SDM Vol. 3, "APIC
 * Virtualization and Virtual Interrupts"): the virtual-APIC page mirrors
 * the model's registers, the CPU virtualizes reads, TPR writes, EOIs of
 * edge vectors and self-IPIs, and delivers the model's IRR through RVI.
 */
#ifndef HV_LAPIC_APICV_H
#define HV_LAPIC_APICV_H

#include <stdbool.h>

struct vcpu;

/* The virtual-APIC page, guest interrupt status, EOI-exit bitmap, TPR
 * threshold and the x2APIC MSR bitmap; false (logged) on failure. */
bool apicv_init(struct vcpu *v);

/* The model changed in root mode (the push before the entry carries it). */
void apicv_sync(struct vcpu *v);

/* After a VM exit: the CPU's virtual deliveries, EOIs, TPR writes and
 * self-IPIs into the model. */
void apicv_pull(struct vcpu *v);

/* The model into the virtual-APIC page, RVI/SVI and the EOI-exit bitmap. */
void apicv_push(struct vcpu *v);

/* Before a VM entry: apicv_push() when root mode changed the model; a
 * halted guest with a deliverable vector wakes. */
void apicv_before_entry(struct vcpu *v);

/* xAPIC <-> x2APIC <-> disabled: "virtualize x2APIC mode" and the MSR
 * bitmap follow. */
void apicv_mode_changed(struct vcpu *v);

#endif

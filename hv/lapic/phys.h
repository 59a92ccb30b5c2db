/*
 * The physical local APIC, the hypervisor's own (docs/apic.md): read in
 * root mode through its xAPIC window (identity-mapped, UC) or its x2APIC
 * MSRs, whichever mode the firmware left it in.  The hypervisor needs no
 * vector of its own: it reads which vector is in service and whether it is
 * level-triggered, and writes EOI.
 */
#ifndef HV_LAPIC_PHYS_H
#define HV_LAPIC_PHYS_H

#include <stdbool.h>
#include <stdint.h>

/* Find the physical LAPIC (IA32_APIC_BASE: window or x2APIC mode); before
 * any other call. */
void phys_lapic_locate(void);

/* Take the physical LAPIC over: software-enabled with its spurious vector
 * PHYS_SPURIOUS_VECTOR, TPR 0, and (xAPIC) a flat logical destination
 * that every logical destination matches, since the IOAPIC entries the
 * guest programs name its virtual LDR.  LINT0/LINT1 stay as the firmware
 * left them (ExtINT, NMI). */
void phys_lapic_take(void);

/* The physical LAPIC's MMIO page (where IA32_APIC_BASE put it). */
uint64_t phys_lapic_page(void);

/* A register (xAPIC offset) of the physical LAPIC. */
uint32_t phys_lapic_read(uint32_t offset);

/* Whether vector is in the physical ISR / TMR. */
bool phys_lapic_in_service(uint8_t vector);
bool phys_lapic_level(uint8_t vector);

/* EOI of the highest in-service vector. */
void phys_lapic_eoi(void);

/* The physical APIC's spurious vector (never forwarded). */
#define PHYS_SPURIOUS_VECTOR 0xff

#endif

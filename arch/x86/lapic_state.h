/*
 * What this CPU's local APIC says about one vector, and its EOI (Intel SDM
 * Vol. 3, "Spurious-Interrupt Vector Register", "Interrupt Request
 * Register (IRR), In-Service Register (ISR), and Trigger Mode Register
 * (TMR)", "End-of-Interrupt (EOI)"): for telling a spurious acknowledge
 * from an interrupt and taking an acknowledged vector out of service.
 * xAPIC registers in the MMIO page IA32_APIC_BASE names (identity-mapped),
 * or the x2APIC MSRs.
 */
#ifndef ARCH_X86_LAPIC_STATE_H
#define ARCH_X86_LAPIC_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_NO_VECTOR (-1)

struct lapic_vector_state {
	bool enabled;                /* IA32_APIC_BASE global enable */
	uint8_t spurious_vector;     /* SVR bits 7:0 */
	bool in_service;             /* the vector's ISR bit */
	bool level;                  /* the vector's TMR bit (level-triggered) */
	int highest_in_service;      /* LAPIC_NO_VECTOR when the ISR is empty */
};

/* Read the APIC's state for vector (all zero when the APIC is globally
 * disabled). */
struct lapic_vector_state lapic_vector_state(uint8_t vector);

/* The vector the APIC is signalling or about to signal: the highest IRR
 * bit whose priority class is above the PPR's; LAPIC_NO_VECTOR when none
 * (or the APIC is globally or software-disabled). */
int lapic_deliverable_vector(void);

/* End of interrupt: the APIC clears the highest in-service bit. */
void lapic_eoi(void);

#endif

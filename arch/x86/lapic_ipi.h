/*
 * Sending INIT and start-up IPIs through this CPU's local APIC (Intel SDM
 * Vol. 3, "Interrupt Command Register (ICR)", "MP Initialization"): xAPIC
 * registers in the MMIO page named by IA32_APIC_BASE (identity-mapped; the
 * MTRRs make it UC), or the x2APIC ICR MSR when x2APIC mode is on.
 */
#ifndef ARCH_X86_LAPIC_IPI_H
#define ARCH_X86_LAPIC_IPI_H

#include <stdbool.h>
#include <stdint.h>

/* Read IA32_APIC_BASE; false (with the reason logged) when the APIC is
 * globally disabled and no IPI can be sent. */
bool lapic_ipi_init(void);

/* This CPU's APIC ID (xAPIC: bits 31:24 of the ID register). */
uint32_t lapic_ipi_self_id(void);

/* Largest APIC ID a destination can name in the current mode. */
uint32_t lapic_ipi_max_id(void);

/* Destination meaning "every CPU but this one" (the ICR's all-excluding-
 * self shorthand), for CPUs whose APIC IDs are not known. */
#define LAPIC_ALL_BUT_SELF 0xffffffffu

/* INIT assert then de-assert (the de-assert matters only to old APICs). */
void lapic_send_init(uint32_t apic_id);
/* Start-up IPI: the target starts in real mode at vector << 12. */
void lapic_send_sipi(uint32_t apic_id, uint8_t vector);

#endif

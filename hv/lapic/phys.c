/*
 * The physical local APIC in root mode (see hv/lapic/phys.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/lapic/phys.h"
#include "hv/lapic/regs.h"

#define VECTOR_BITS_PER_REG 32
#define PHYS_LDR_ALL        0xff000000u  /* flat: every logical dest matches */
#define PHYS_DFR_FLAT       0xffffffffu

static bool x2apic;
static uintptr_t window;             /* xAPIC: the MMIO page (identity map) */

uint64_t phys_lapic_page(void)
{
	return window;
}

uint32_t phys_lapic_read(uint32_t offset)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR(offset));
	return *(volatile uint32_t *)(window + offset);
}

/* x2APIC: EOI and the rest are MSRs; xAPIC: a 32-bit store. */
static void phys_write(uint32_t offset, uint32_t value)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(offset), value);
	else
		*(volatile uint32_t *)(window + offset) = value;
}

void phys_lapic_locate(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	x2apic = (base & APIC_BASE_X2APIC_ENABLE) != 0;
	window = (uintptr_t)(base & APIC_BASE_PAGE_MASK);
}

void phys_lapic_take(void)
{
	phys_write(LAPIC_TPR, 0);
	if (!x2apic) {
		phys_write(LAPIC_DFR, PHYS_DFR_FLAT);
		phys_write(LAPIC_LDR, PHYS_LDR_ALL);
	}
	phys_write(LAPIC_SVR, LAPIC_SVR_ENABLE | PHYS_SPURIOUS_VECTOR);
}

/* Bit vector of one of the 256-bit register sets at first. */
static bool vector_bit(uint32_t first, uint8_t vector)
{
	uint32_t reg = phys_lapic_read(first + (vector / VECTOR_BITS_PER_REG) *
				       (1u << LAPIC_REG_SHIFT));

	return (reg >> (vector % VECTOR_BITS_PER_REG)) & 1;
}

bool phys_lapic_in_service(uint8_t vector)
{
	return vector_bit(LAPIC_ISR0, vector);
}

bool phys_lapic_level(uint8_t vector)
{
	return vector_bit(LAPIC_TMR0, vector);
}

void phys_lapic_eoi(void)
{
	phys_write(LAPIC_EOI, 0);
}

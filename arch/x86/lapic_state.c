/* Reading the local APIC's SVR, ISR and TMR, and its EOI (see
 * arch/x86/lapic_state.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/lapic_state.h"
#include "arch/x86/msr.h"

#define XAPIC_PPR               0x0a0
#define XAPIC_EOI               0x0b0
#define XAPIC_SVR               0x0f0
#define XAPIC_ISR_BASE          0x100   /* bits 32n..32n+31 at base + 0x10 n */
#define XAPIC_TMR_BASE          0x180
#define XAPIC_IRR_BASE          0x200
#define XAPIC_REG_STRIDE        0x10
#define X2APIC_PPR_MSR          0x80a
#define X2APIC_EOI_MSR          0x80b
#define X2APIC_SVR_MSR          0x80f
#define X2APIC_ISR_BASE_MSR     0x810   /* bits 32n.. in MSR base + n */
#define X2APIC_TMR_BASE_MSR     0x818
#define X2APIC_IRR_BASE_MSR     0x820
#define APIC_CLASS_SHIFT        4       /* priority class: vector bits 7:4 */
#define APIC_VECTORS_PER_REG    32
#define APIC_VECTOR_REGS        8
#define SVR_VECTOR_MASK         0xffu
#define SVR_APIC_SW_ENABLE      (1u << 8)

/* One 32-bit APIC register: xAPIC offset `mmio` or x2APIC MSR `msr`. */
static uint32_t apic_read(uint64_t base, uint32_t mmio, uint32_t msr)
{
	if (base & APIC_BASE_X2APIC_ENABLE)
		return (uint32_t)rdmsr(msr);
	return *(volatile uint32_t *)(uintptr_t)((base & APIC_BASE_PAGE_MASK) + mmio);
}

/* Bit `vector` of a 256-bit register set (ISR, TMR) starting at mmio/msr. */
static bool apic_vector_bit(uint64_t base, uint32_t mmio, uint32_t msr,
			    uint8_t vector)
{
	uint32_t reg = vector / APIC_VECTORS_PER_REG;

	return (apic_read(base, mmio + reg * XAPIC_REG_STRIDE, msr + reg) >>
		(vector % APIC_VECTORS_PER_REG)) & 1;
}

/* The highest vector set in a 256-bit register set (ISR, IRR) starting
 * at mmio/msr, LAPIC_NO_VECTOR when none. */
static int highest_set(uint64_t base, uint32_t mmio, uint32_t msr)
{
	for (int reg = APIC_VECTOR_REGS - 1; reg >= 0; reg--) {
		uint32_t bits = apic_read(base, mmio + (uint32_t)reg *
					  XAPIC_REG_STRIDE, msr + (uint32_t)reg);
		if (bits)
			return reg * APIC_VECTORS_PER_REG + 31 - __builtin_clz(bits);
	}
	return LAPIC_NO_VECTOR;
}

/* SVR vector, ISR and TMR bits of vector; nothing when the APIC is off. */
struct lapic_vector_state lapic_vector_state(uint8_t vector)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		return (struct lapic_vector_state){
			.highest_in_service = LAPIC_NO_VECTOR };
	return (struct lapic_vector_state){
		.enabled = true,
		.spurious_vector = (uint8_t)(apic_read(base, XAPIC_SVR,
						       X2APIC_SVR_MSR) &
					     SVR_VECTOR_MASK),
		.in_service = apic_vector_bit(base, XAPIC_ISR_BASE,
					      X2APIC_ISR_BASE_MSR, vector),
		.level = apic_vector_bit(base, XAPIC_TMR_BASE,
					 X2APIC_TMR_BASE_MSR, vector),
		.highest_in_service = highest_set(base, XAPIC_ISR_BASE,
						  X2APIC_ISR_BASE_MSR),
	};
}

/* The highest requested vector of a class above the processor priority;
 * none while the APIC is globally or software-disabled. */
int lapic_deliverable_vector(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);
	int irr;
	uint32_t ppr;

	if (!(base & APIC_BASE_ENABLE) ||
	    !(apic_read(base, XAPIC_SVR, X2APIC_SVR_MSR) & SVR_APIC_SW_ENABLE))
		return LAPIC_NO_VECTOR;          /* signals nothing */
	irr = highest_set(base, XAPIC_IRR_BASE, X2APIC_IRR_BASE_MSR);
	ppr = apic_read(base, XAPIC_PPR, X2APIC_PPR_MSR);
	if (irr == LAPIC_NO_VECTOR ||
	    ((uint32_t)irr >> APIC_CLASS_SHIFT) <= (ppr >> APIC_CLASS_SHIFT))
		return LAPIC_NO_VECTOR;
	return irr;
}

/* Writing 0 to the EOI register (xAPIC) or MSR (x2APIC). */
void lapic_eoi(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	if (base & APIC_BASE_X2APIC_ENABLE)
		wrmsr(X2APIC_EOI_MSR, 0);
	else
		*(volatile uint32_t *)(uintptr_t)((base & APIC_BASE_PAGE_MASK) +
						  XAPIC_EOI) = 0;
}

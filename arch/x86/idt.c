/*
 * The IDT, shared by every CPU: the 32 exception vectors go to the stubs
 * in isr.S; NMI, #DF and #MC run on their own IST stacks, since they can
 * arrive with a broken or exhausted stack.  Vectors 32-255 stay not
 * present until something needs external interrupts: a stray one then
 * raises #NP and is reported like any other exception.
 */
#include "arch/x86/desc.h"
#include "arch/x86/trap.h"
#include "arch/x86/trap_frame.h"

/* isr.S: IDT_EXCEPTIONS stubs of ISR_STUB_SIZE bytes each. */
extern const char isr_stubs[];

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static uint8_t exception_ist(uint32_t vector)
{
	switch (vector) {
	case VECTOR_NMI: return IST_NMI;
	case VECTOR_DF: return IST_DF;
	case VECTOR_MC: return IST_MC;
	default: return 0;
	}
}

static void idt_set_gate(uint32_t vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = (uint16_t)handler,
		.selector = SEL_CODE,
		.ist = ist,
		.type_attr = IDT_GATE_INTERRUPT,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_high = (uint32_t)(handler >> 32),
	};
}

void idt_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)isr_stubs;

	for (uint32_t v = 0; v < IDT_EXCEPTIONS; v++)
		idt_set_gate(v, base + (uint64_t)v * ISR_STUB_SIZE,
			     exception_ist(v));
}

void idt_load(void)
{
	struct desc_ptr ptr = {
		.limit = sizeof(idt) - 1,
		.base = (uint64_t)(uintptr_t)idt,
	};

	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}

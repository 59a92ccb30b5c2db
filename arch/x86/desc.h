/*
 * Segment and gate descriptors, the 64-bit TSS, and the hypervisor's GDT
 * layout (Intel SDM Vol. 3, "Segment Descriptors", "Task Management in
 * 64-bit Mode", "Interrupt and Exception Handling in 64-bit Mode").
 * The selectors and descriptor values are plain #defines so assembly can
 * use them (the multiboot2 entry's boot GDT has the same first entries).
 */
#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#include "lib/bits.h"

/* GDT layout: null, code, data, then the 16-byte TSS descriptor. */
#define GDT_NULL_INDEX   0
#define GDT_CODE_INDEX   1
#define GDT_DATA_INDEX   2
#define GDT_TSS_INDEX    3            /* occupies entries 3 and 4 */
#define GDT_ENTRIES      5

#define SEL_CODE         (GDT_CODE_INDEX * 8)
#define SEL_DATA         (GDT_DATA_INDEX * 8)
#define SEL_TSS          (GDT_TSS_INDEX * 8)

/* Interrupt stack table slots (1-based, as in the gate's IST field). */
#define IST_NMI          1
#define IST_DF           2
#define IST_MC           3
#define IST_COUNT        3
#define IST_STACK_SIZE   8192

/* Segment descriptor access byte and flags. */
#define DESC_ACCESSED        BIT_ULL(40)
#define DESC_RW              BIT_ULL(41)   /* data writable / code readable */
#define DESC_CODE            BIT_ULL(43)
#define DESC_S               BIT_ULL(44)   /* code or data, not system */
#define DESC_P               BIT_ULL(47)
#define DESC_L               BIT_ULL(53)   /* 64-bit code */
#define DESC_DB              BIT_ULL(54)
#define DESC_G               BIT_ULL(55)
#define DESC_LIMIT_MAX       (ULL_C(0xffff) | (ULL_C(0xf) << 48))
#define DESC_SYS_TYPE_SHIFT  40
#define DESC_TYPE_TSS64_AVAIL ULL_C(0x9)

#define GDT_DESC_CODE64 (DESC_P | DESC_S | DESC_CODE | DESC_RW | DESC_L | \
			 DESC_G | DESC_ACCESSED | DESC_LIMIT_MAX)
#define GDT_DESC_DATA   (DESC_P | DESC_S | DESC_RW | DESC_DB | DESC_G | \
			 DESC_ACCESSED | DESC_LIMIT_MAX)

#ifndef __ASSEMBLY__
#include <stdint.h>

#include "arch/x86/cpu.h"   /* struct desc_ptr */

/* The 64-bit task-state segment: only the stack pointers are used. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];                /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");

/* A 64-bit interrupt/trap gate. */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;                    /* bits 2:0 */
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

#define IDT_GATE_INTERRUPT 0x8e         /* present, DPL 0, 64-bit interrupt gate */
#define IDT_VECTORS        256
#define IDT_EXCEPTIONS     32

struct percpu;
/* arch/x86/gdt.c: build cpu's GDT and TSS (IST stacks from cpu->ist_top),
 * load them, reload every segment register and the task register. */
void gdt_init_and_load(struct percpu *cpu);
/* arch/x86/idt.c: fill the shared IDT once; load it on this CPU. */
void idt_init(void);
void idt_load(void);

#endif /* __ASSEMBLY__ */
#endif

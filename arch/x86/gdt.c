/*
 * The per-CPU GDT and TSS.  Long mode ignores most of a segment descriptor,
 * but a GDT of our own is still needed: the loader's may live in memory
 * that will be reused, and VMX host state names a TR selector that must
 * refer to a real TSS (Intel SDM Vol. 3, "Checks on Host Segment and
 * Descriptor-Table Registers").
 */
#include <stddef.h>

#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"

/* The low 8 bytes of the 16-byte system descriptor for a 64-bit TSS. */
static uint64_t tss_desc_low(uint64_t base, uint32_t limit)
{
	return (limit & 0xffffull) | ((base & 0xffffffull) << 16) |
	       (DESC_TYPE_TSS64_AVAIL << DESC_SYS_TYPE_SHIFT) | DESC_P |
	       (((uint64_t)limit >> 16 & 0xf) << 48) |
	       ((base >> 24 & 0xff) << 56);
}

static void tss_init(struct percpu *cpu)
{
	struct tss64 *tss = &cpu->tss;

	*tss = (struct tss64){ .iomap_base = sizeof(*tss) };  /* no I/O bitmap */
	for (int i = 0; i < IST_COUNT; i++)
		tss->ist[i] = cpu->ist_top[i];
}

static void gdt_fill(struct percpu *cpu)
{
	uint64_t tss = (uint64_t)(uintptr_t)&cpu->tss;

	cpu->gdt[GDT_NULL_INDEX] = 0;
	cpu->gdt[GDT_CODE_INDEX] = GDT_DESC_CODE64;
	cpu->gdt[GDT_DATA_INDEX] = GDT_DESC_DATA;
	cpu->gdt[GDT_TSS_INDEX] = tss_desc_low(tss, sizeof(cpu->tss) - 1);
	cpu->gdt[GDT_TSS_INDEX + 1] = tss >> 32;
}

/*
 * LGDT, then reload CS with a far return (the only way to change CS in
 * long mode) and the data segments; FS and GS get the null selector (their
 * bases are set through MSRs), then LTR.
 * Inputs: the descriptor-table pointer.  Clobbers: RAX, flags.
 */
static void gdt_load(const struct desc_ptr *ptr)
{
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %[code]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[data], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "movw %[tss], %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(*ptr), [code] "i"(SEL_CODE), [data] "i"(SEL_DATA),
			   [tss] "i"(SEL_TSS)
			 : "rax", "memory", "cc");
}

void gdt_init_and_load(struct percpu *cpu)
{
	struct desc_ptr ptr = {
		.limit = sizeof(cpu->gdt) - 1,
		.base = (uint64_t)(uintptr_t)cpu->gdt,
	};

	tss_init(cpu);
	gdt_fill(cpu);
	gdt_load(&ptr);
}

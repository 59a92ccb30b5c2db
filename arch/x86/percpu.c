/*
 * Per-CPU state and the BSP's set-up.  %gs base points at the CPU's struct
 * percpu, whose first word points at itself, so this_cpu() is one load.
 * Until percpu_init_bsp() has run only the BSP exists and %gs holds
 * whatever the loader left, so this_cpu() answers with the BSP's struct.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"


_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF,
	       "%gs:PERCPU_SELF must load the struct's own address");

static struct percpu bsp_percpu;
/* The BSP's IST stacks; APs get theirs from the allocator. */
static uint8_t bsp_ist_stacks[IST_COUNT][IST_STACK_SIZE]
	__attribute__((aligned(16)));
static bool gs_ready;
/* Every CPU set up so far, by dense id (the BSP's at 0). */
static struct percpu *cpus[MAX_CPUS] = { &bsp_percpu };

static uint32_t initial_apic_id(void)
{
	return cpuid(1, 0).ebx >> CPUID_1_EBX_APIC_ID_SHIFT;
}

void percpu_init_bsp(void)
{
	struct percpu *cpu = &bsp_percpu;

	cpu->self = cpu;
	cpu->cpu_id = 0;
	cpu->apic_id = initial_apic_id();
	for (int i = 0; i < IST_COUNT; i++)
		cpu->ist_top[i] =
			(uint64_t)(uintptr_t)&bsp_ist_stacks[i][IST_STACK_SIZE];
	gdt_init_and_load(cpu);
	idt_init();
	idt_load();
	/* After the segment reload: loading GS may change its base. */
	wrmsr(IA32_GS_BASE, (uint64_t)(uintptr_t)cpu);
	gs_ready = true;
}

bool percpu_prepare_ap(struct percpu *cpu, uint32_t cpu_id,
		       const uint64_t ist_top[IST_COUNT])
{
	if (cpu_id == 0 || cpu_id >= MAX_CPUS)
		return false;
	cpu->self = cpu;
	cpu->cpu_id = cpu_id;
	for (int i = 0; i < IST_COUNT; i++)
		cpu->ist_top[i] = ist_top[i];
	return true;
}

void percpu_init_ap(struct percpu *cpu)
{
	gdt_init_and_load(cpu);
	idt_load();
	/* After the segment reload, as on the BSP. */
	wrmsr(IA32_GS_BASE, (uint64_t)(uintptr_t)cpu);
	cpus[cpu->cpu_id] = cpu;
}

struct percpu *percpu_of(uint32_t cpu_id)
{
	return cpu_id < MAX_CPUS ? cpus[cpu_id] : NULL;
}

struct percpu *this_cpu(void)
{
	struct percpu *cpu;

	if (!gs_ready)
		return &bsp_percpu;
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(cpu) : "i"(PERCPU_SELF));
	return cpu;
}

uint32_t this_cpu_id(void)
{
	return this_cpu()->cpu_id;
}

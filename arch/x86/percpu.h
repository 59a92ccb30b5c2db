/*
 * Per-CPU state.  Every physical CPU gets one struct percpu with its own
 * GDT, TSS, IDT pointer, stacks and (later) its vCPU; %gs base points at it
 * in root mode, so this_cpu() is one load.  Only the BSP exists today; APs
 * will be brought up with INIT/SIPI and call percpu_init_ap().
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/desc.h"

#define MAX_CPUS 64

/* Offset of percpu.self: `mov %gs:PERCPU_SELF, reg` loads this_cpu(). */
#define PERCPU_SELF 0

struct percpu {
	struct percpu *self;        /* at PERCPU_SELF */
	uint32_t cpu_id;            /* 0 for the BSP, dense */
	uint32_t apic_id;           /* initial APIC ID (CPUID.1:EBX[31:24]) */
	uint64_t nmi_count;         /* NMIs taken in root mode (arch/x86/trap.c) */
	void *vcpu;                 /* the vCPU this CPU runs; NULL until then */
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	uint64_t ist_top[IST_COUNT];    /* top of the IST1..IST3 stacks */
};

/* Set up the BSP: GDT, TSS (with IST stacks for NMI, #DF and #MC), IDT with
 * handlers for all 32 exception vectors, %gs base.  Needs no allocator. */
void percpu_init_bsp(void);

/* On the BSP: fill the struct percpu for the AP that will be cpu_id, in
 * zeroed memory the caller allocated (arch/ has no allocator), with the
 * tops of its IST stacks.  False when cpu_id is 0 or not below MAX_CPUS. */
bool percpu_prepare_ap(struct percpu *cpu, uint32_t cpu_id,
		       const uint64_t ist_top[IST_COUNT]);

/* On the AP itself, first thing in long mode: load its GDT and TSS, the
 * shared IDT, point %gs at cpu and register it for percpu_of(). */
void percpu_init_ap(struct percpu *cpu);

/* The CPU with dense id cpu_id, NULL if none was set up. */
struct percpu *percpu_of(uint32_t cpu_id);

struct percpu *this_cpu(void);
uint32_t this_cpu_id(void);

#endif

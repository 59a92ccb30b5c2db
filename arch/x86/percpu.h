/*
 * Per-CPU state.  Every physical CPU gets one struct percpu with its own
 * GDT, TSS, IDT pointer, stacks and (later) its vCPU; %gs base points at it
 * in root mode, so this_cpu() is one load.  Only the BSP exists today; APs
 * will be brought up with INIT/SIPI and call percpu_init_ap().
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <stdint.h>

#define MAX_CPUS 64

struct percpu;

/* Set up the BSP: GDT, TSS (with IST stacks for NMI, #DF and #MC), IDT with
 * handlers for all 32 exception vectors, %gs base.  Needs no allocator. */
void percpu_init_bsp(void);

struct percpu *this_cpu(void);
uint32_t this_cpu_id(void);

#endif

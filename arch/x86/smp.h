/*
 * The mechanism to start an AP: the real-mode trampoline (arch/x86/ap_boot.S)
 * copied to a page below 1 MiB, its parameter block handed to one AP at a
 * time, and the INIT-SIPI-SIPI sequence.  Which CPUs to start, where the
 * page comes from and what an AP does once it runs C code (parking in VMX
 * root operation) are the hypervisor's: hv/ap_park.c.
 */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

#include <stdint.h>

#include "arch/x86/percpu.h"

/* A SIPI's vector is the page number of a real-mode start address. */
#define AP_TRAMPOLINE_LIMIT  0x100000ull
/* The trampoline loads CR3 in 32-bit protected mode. */
#define AP_CR3_LIMIT         0x100000000ull

/* The AP's C entry: runs on the stack it was given, never returns. */
typedef void (*ap_entry_fn)(struct percpu *cpu);

/* Copy the trampoline to the page and fill what is the same for every AP
 * (GDT, entry points, this CPU's CR0/CR3/CR4/EFER).  The parameter block
 * stays locked until ap_trampoline_offer(). */
void ap_trampoline_install(uint64_t page);

/* After bring-up: the page becomes a real-mode halt loop (cli; hlt; jmp
 * back) and nothing else, so an AP that takes a SIPI to it later halts and
 * no hypervisor value (CR3, stacks) stays there. */
void ap_trampoline_seal(uint64_t page);

/* Hand the parameter block to the next AP that takes the trampoline's
 * lock: it will run entry(cpu) on stack_top (16-byte aligned). */
void ap_trampoline_offer(uint64_t page, uint64_t stack_top,
			 ap_entry_fn entry, struct percpu *cpu);

/* How many APs have reached the trampoline since it was installed. */
uint32_t ap_trampoline_entered(uint64_t page);

/* INIT, SIPI, SIPI to one APIC ID, or to all but this CPU with
 * LAPIC_ALL_BUT_SELF, with the SDM's delays. */
void ap_send_startup(uint32_t dest, uint64_t page);

#endif

/*
 * The guest's IDT, its exception/IRQ dispatcher and the expected-fault
 * mechanism checks use to provoke #UD, #GP, #PF, #BP ... and continue.
 */
#ifndef GUEST_TESTS_IDT_H
#define GUEST_TESTS_IDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/guest/layout.h"

#define VEC_DE  0    /* divide error */
#define VEC_DB  1
#define VEC_NMI 2
#define VEC_BP  3    /* breakpoint (INT3), a trap: RIP points after it */
#define VEC_OF  4
#define VEC_BR  5
#define VEC_UD  6    /* invalid opcode */
#define VEC_NM  7
#define VEC_DF  8
#define VEC_TS  10
#define VEC_NP  11
#define VEC_SS  12
#define VEC_GP  13   /* general protection */
#define VEC_PF  14   /* page fault */
#define VEC_MF  16
#define VEC_AC  17
#define VEC_MC  18
#define VEC_XM  19

#define NO_FAULT (-1)   /* guest_try(): fn returned normally */

/* Pushed by isr.S: general registers, then vector and error code (0 when
 * the CPU pushes none), then the CPU's own frame. */
struct isr_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct isr_frame) == 22 * 8, "isr_frame layout");

/* The last fault caught by guest_try(). */
struct fault_record {
	int vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cr2;        /* meaningful for #PF only */
	uint64_t rflags;     /* RFLAGS as the CPU pushed it (RF: bit 16) */
	uint64_t cs;         /* the faulting code's CS (SEL_CODE32: compatibility mode) */
	uint64_t rcx, rsi, rdi;   /* at the fault (string instructions) */
};

typedef void (*irq_handler)(unsigned int irq);
typedef void (*nmi_handler)(void);
typedef void (*vector_handler)(unsigned int vector);
/* rip: where the interrupt will return to (the next instruction to run). */
typedef void (*interrupt_hook)(unsigned int vector, uint64_t rip);

void idt_init(void);

/* Route IRQ line irq (0-15, 8259 numbering, vector IRQ_VECTOR_BASE + irq)
 * to handler; NULL restores the default (count and ignore). */
void idt_set_irq_handler(unsigned int irq, irq_handler handler);

/* Route vector (FREE_VECTOR_FIRST .. IDT_VECTORS-1, the local APIC's) to
 * handler, which sends its own EOI; NULL restores the default, which counts
 * the vector as a stray and sends no EOI. */
void idt_set_vector_handler(unsigned int vector, vector_handler handler);

/* Interrupts on a free vector that had no handler so far, and the last one
 * (0 when none). */
uint64_t idt_stray_count(void);
unsigned int idt_stray_last(void);

/* Route NMIs (vector 2) to handler, ahead of any expected-fault frame;
 * NULL restores the default (an NMI is an unexpected exception). */
void idt_set_nmi_handler(nmi_handler handler);

/* Route every interrupt vector (32-255) to hook instead of the 8259 and
 * per-vector dispatch (no PIC EOI: the hook acknowledges its own source);
 * NULL restores the default. */
void idt_set_interrupt_hook(interrupt_hook hook);

/*
 * Run fn(arg); return NO_FAULT, or the vector of the exception it raised
 * (execution then resumes here, not after the faulting instruction, in
 * 64-bit mode with CS = SEL_CODE64 and SS = SEL_DATA even when fn had
 * switched to compatibility mode; DS and ES stay as fn left them).  The
 * details land in *fault when fault is not NULL.
 */
int try_call(void (*fn)(void *), void *arg, struct fault_record *fault);

/* Exception name ("#GP"), for messages. */
const char *vector_name(int vector);

#endif

/*
 * `sti; hlt` in 32-bit protected mode (issue 10), run once at boot between
 * the real-mode trip and long mode (entry.S).  The master 8259 is remapped
 * to IRQ_VECTOR_BASE (as pic_init() does later) with only IRQ 0 open, PIT
 * channel 0 runs at about 1 kHz, and a one-gate IDT sends vector
 * IRQ_VECTOR_BASE to pm_tick.  HLT_TEST_ROUNDS rounds of `cli ... sti;
 * hlt` (HLT in the STI shadow), then as many of `cli ... sti; nop; hlt`
 * (past it); hlt_pm_woken counts the rounds a new tick ended
 * (checks_hlt.c reads it).  A HLT that never wakes hangs here: the boot test's timeout
 * catches it.
 * In:  32-bit protected mode, flat segments, interrupts off.
 * Out: interrupts off, every 8259 line masked, IDTR pointing at pm_idt
 *      (long mode loads its own).  Preserves all general registers.
 */
#include "tests/guest/layout.h"

#define PM_IDT_GATES (IRQ_VECTOR_BASE + 1)

	.text
	.code32
	.globl hlt_sti_protected
hlt_sti_protected:
	pushal
	cli
	call pm_idt_fill
	lidt pm_idtr
	call pm_pic_remap
	mov $PIT_CH0_MODE2_LOHI, %al
	out %al, $PIT_COMMAND_PORT
	mov $(HLT_TEST_PIT_DIVISOR & 0xff), %al
	out %al, $PIT_CH0_PORT
	mov $(HLT_TEST_PIT_DIVISOR >> 8), %al
	out %al, $PIT_CH0_PORT
	movl $0, hlt_pm_woken
	mov $HLT_TEST_ROUNDS, %ecx
1:	mov pm_ticks, %ebx
	sti
	hlt                            /* in the STI shadow */
	cli
	cmp pm_ticks, %ebx
	je 2f
	incl hlt_pm_woken
2:	loop 1b
	mov $HLT_TEST_ROUNDS, %ecx
3:	mov pm_ticks, %ebx
	sti
	nop
	hlt                            /* past the STI shadow */
	cli
	cmp pm_ticks, %ebx
	je 4f
	incl hlt_pm_woken
4:	loop 3b
	mov $PIC_ALL_MASKED_BYTE, %al
	out %al, $PIC_MASTER_DATA
	popal
	ret

/* The gate for IRQ_VECTOR_BASE: pm_tick through the flat 32-bit code
 * selector (built here: the assembler cannot split a relocated address).
 * The other gates stay not present. */
pm_idt_fill:
	mov $pm_tick, %eax
	mov %eax, %edx
	and $0xffff, %eax
	or $(SEL_CODE32 << 16), %eax
	and $0xffff0000, %edx
	or $IDT32_INTERRUPT_GATE, %edx
	mov %eax, pm_idt + IRQ_VECTOR_BASE * IDT32_GATE_SIZE
	mov %edx, pm_idt + IRQ_VECTOR_BASE * IDT32_GATE_SIZE + 4
	ret

/* ICW1-ICW4 for both 8259s: master at IRQ_VECTOR_BASE, slave above it;
 * then only IRQ 0 open. */
pm_pic_remap:
	mov $PIC_ICW1_INIT_ICW4, %al
	out %al, $PIC_MASTER_COMMAND
	out %al, $PIC_SLAVE_COMMAND
	mov $IRQ_VECTOR_BASE, %al
	out %al, $PIC_MASTER_DATA
	mov $(IRQ_VECTOR_BASE + 8), %al
	out %al, $PIC_SLAVE_DATA
	mov $PIC_ICW3_MASTER, %al
	out %al, $PIC_MASTER_DATA
	mov $PIC_ICW3_SLAVE, %al
	out %al, $PIC_SLAVE_DATA
	mov $PIC_ICW4_8086, %al
	out %al, $PIC_MASTER_DATA
	out %al, $PIC_SLAVE_DATA
	mov $PIC_ALL_MASKED_BYTE, %al
	out %al, $PIC_SLAVE_DATA
	mov $(PIC_ALL_MASKED_BYTE & ~PIC_IRQ0_BIT), %al
	out %al, $PIC_MASTER_DATA
	ret

/* IRQ 0 in protected mode: count, EOI the master 8259. */
pm_tick:
	incl pm_ticks
	push %eax
	mov $PIC_OCW2_EOI, %al
	out %al, $PIC_MASTER_COMMAND
	pop %eax
	iret

	.data
	.balign 8
pm_idt:
	.skip PM_IDT_GATES * IDT32_GATE_SIZE
	.balign 4
	.word 0                        /* aligns the base below */
pm_idtr:
	.word PM_IDT_GATES * IDT32_GATE_SIZE - 1
	.long pm_idt
pm_ticks:
	.long 0
	.globl hlt_pm_woken
hlt_pm_woken:
	.long 0

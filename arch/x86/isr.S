/*
 * Exception entry stubs, one per vector 0-31, each ISR_STUB_SIZE bytes so
 * arch/x86/idt.c finds stub N at isr_stubs + N * ISR_STUB_SIZE.  Each stub
 * makes the frame uniform (pushes 0 where the CPU pushes no error code,
 * then the vector) and jumps to isr_common, which saves the registers as a
 * struct trap_frame (arch/x86/panic.h, offsets in trap_frame.h) and calls
 * trap_dispatch(frame).
 */
#include "arch/x86/trap_frame.h"

	.section .text
	.code64

/* Vectors where the CPU pushes no error code: push 0 in its place. */
	.macro isr_stub vector
	.org isr_stubs + \vector * ISR_STUB_SIZE
	pushq $0
	pushq $\vector
	jmp isr_common
	.endm

/* Vectors with an error code (SDM Vol. 3, "Exception and Interrupt
 * Reference"): #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
	.macro isr_stub_err vector
	.org isr_stubs + \vector * ISR_STUB_SIZE
	pushq $\vector
	jmp isr_common
	.endm

	.p2align 4
	.globl isr_stubs
	.hidden isr_stubs
isr_stubs:
	isr_stub 0
	isr_stub 1
	isr_stub 2
	isr_stub 3
	isr_stub 4
	isr_stub 5
	isr_stub 6
	isr_stub 7
	isr_stub_err 8
	isr_stub 9
	isr_stub_err 10
	isr_stub_err 11
	isr_stub_err 12
	isr_stub_err 13
	isr_stub_err 14
	isr_stub 15
	isr_stub 16
	isr_stub_err 17
	isr_stub 18
	isr_stub 19
	isr_stub 20
	isr_stub_err 21
	isr_stub 22
	isr_stub 23
	isr_stub 24
	isr_stub 25
	isr_stub 26
	isr_stub 27
	isr_stub 28
	isr_stub_err 29
	isr_stub_err 30
	isr_stub 31
	/* .org fails the build if a stub outgrew ISR_STUB_SIZE. */
	.org isr_stubs + 32 * ISR_STUB_SIZE

/*
 * isr_common
 * In:  stack = [vector, error code, CPU frame (rip cs rflags rsp ss)].
 * Out: returns to the interrupted code with iretq (only NMI gets here
 *      back; every other exception ends in hv_stop).
 * Clobbers: nothing visible to the interrupted code.
 */
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld                         /* the C ABI expects DF clear */
	movq %rsp, %rdi             /* struct trap_frame * */
	movq %rsp, %rbx             /* callee-saved: the frame, for the return */
	andq $-16, %rsp             /* the C ABI's stack alignment */
	call trap_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $TF_STUB_PUSHED, %rsp  /* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits

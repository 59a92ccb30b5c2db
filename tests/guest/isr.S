/*
 * Interrupt entry stubs (vectors 0 .. IDT_VECTORS-1) and guest_try(), the
 * "expected fault" frame that the exception handler can unwind to.
 */
#include "tests/guest/layout.h"

/* Vectors where the CPU pushes an error code (Intel SDM Vol. 3, "Exception
 * and Interrupt Reference"): #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14,
 * #AC 17, #CP 21, #VC 29, #SX 30.  The others push a 0 so every frame has
 * the same layout (struct isr_frame in idt.h).  .altmacro makes %vector
 * expand to the counter's value. */
	.altmacro
.macro stub vector
	.balign 16
isr_stub_\vector:
	.if (\vector == 8) || (\vector >= 10 && \vector <= 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
	.else
	pushq $0
	.endif
	pushq $\vector
	jmp isr_common
.endm

.macro stub_address vector
	.quad isr_stub_\vector
.endm

	.text
	.code64
vector = 0
.rept IDT_VECTORS
	stub %vector
	vector = vector + 1
.endr

/*
 * Save the general registers, call isr_dispatch(struct isr_frame *), restore
 * and return.  isr_dispatch may rewrite frame->rip and frame->rsp (fault
 * recovery).  The stack is 16-byte aligned at the call: the CPU aligns it
 * before pushing 5 qwords, then error code, vector and 15 registers.
 */
isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call isr_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp                  /* vector, error code */
	iretq

	.section .rodata
	.balign 8
	.globl isr_stub_table
isr_stub_table:
vector = 0
.rept IDT_VECTORS
	stub_address %vector
	vector = vector + 1
.endr

/*
 * int guest_try(void (*fn)(void *), void *arg)
 * Calls fn(arg) with try_ctx armed.  Returns -1 when fn returns normally;
 * when fn raises an exception, isr_dispatch records it and resumes at
 * guest_try_resume with the stack as at entry here, which returns the
 * vector.  Like setjmp: callee-saved registers are restored from try_ctx.
 * Clobbers the caller-saved registers.  Not reentrant.
 */
	.text
	.globl guest_try, guest_try_resume
guest_try:
	mov %rbx, try_ctx + TRY_RBX(%rip)
	mov %rbp, try_ctx + TRY_RBP(%rip)
	mov %r12, try_ctx + TRY_R12(%rip)
	mov %r13, try_ctx + TRY_R13(%rip)
	mov %r14, try_ctx + TRY_R14(%rip)
	mov %r15, try_ctx + TRY_R15(%rip)
	mov %rsp, try_ctx + TRY_RSP(%rip)
	movl $1, try_ctx + TRY_ARMED(%rip)
	mov %rdi, %rax
	mov %rsi, %rdi
	sub $8, %rsp                   /* 16-byte alignment for the call */
	call *%rax
	add $8, %rsp
	movl $0, try_ctx + TRY_ARMED(%rip)
	mov $-1, %eax
	ret

guest_try_resume:
	mov try_ctx + TRY_RBX(%rip), %rbx
	mov try_ctx + TRY_RBP(%rip), %rbp
	mov try_ctx + TRY_R12(%rip), %r12
	mov try_ctx + TRY_R13(%rip), %r13
	mov try_ctx + TRY_R14(%rip), %r14
	mov try_ctx + TRY_R15(%rip), %r15
	mov try_ctx + TRY_VECTOR(%rip), %eax
	ret

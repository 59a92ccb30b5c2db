/*
 * efi_switch_stack(stack_top, entry, bi): call entry(bi) on a new stack,
 * for good.  The firmware's stack is in boot-services memory, which the
 * core reclaims, so the core must not run on it.
 *
 * In:       %rdi = top of the new stack (16-byte aligned)
 *           %rsi = entry (never returns)
 *           %rdx = bi, passed to entry in %rdi
 * Out:      does not return; should entry return, the CPU halts.
 * Clobbers: %rsp, %rbp, %rdi; the old stack is abandoned.
 */
	.text
	.globl	efi_switch_stack
	.hidden	efi_switch_stack
	.type	efi_switch_stack, @function
efi_switch_stack:
	movq	%rdi, %rsp
	xorl	%ebp, %ebp		/* ends frame-pointer stack traces */
	movq	%rdx, %rdi
	callq	*%rsi
1:	cli
	hlt
	jmp	1b
	.size	efi_switch_stack, . - efi_switch_stack

	.section .note.GNU-stack, "", @progbits

/*
 * boot_switch_stack(stack_top, entry, bi): call entry(bi) on a new stack,
 * for good: the core's entry from either boot path (boot/image_move.c),
 * on the stack of the image where it now lives.  The firmware's stack is
 * in boot-services memory, which the core reclaims, and the loader's copy
 * of the image is the guest's once the image has moved.
 *
 * In:       %rdi = top of the new stack (16-byte aligned)
 *           %rsi = entry (never returns)
 *           %rdx = bi, passed to entry in %rdi
 * Out:      does not return; should entry return, the CPU halts.
 * Clobbers: %rsp, %rbp, %rdi; the old stack is abandoned.
 */
	.text
	.globl	boot_switch_stack
	.hidden	boot_switch_stack
	.type	boot_switch_stack, @function
boot_switch_stack:
	movq	%rdi, %rsp
	xorl	%ebp, %ebp		/* ends frame-pointer stack traces */
	movq	%rdx, %rdi
	callq	*%rsi
1:	cli
	hlt
	jmp	1b
	.size	boot_switch_stack, . - boot_switch_stack

	.section .note.GNU-stack, "", @progbits

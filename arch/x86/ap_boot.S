/*
 * AP start-up trampoline (see arch/x86/ap_boot.h).  Copied to a page below
 * 1 MiB; a SIPI with that page's number starts the AP here in real mode
 * with CS = page << 8 and IP = 0, so every address inside the blob is an
 * offset from ap_boot_start (label differences: no relocations).
 *
 * In:  the parameter block at the end of the copy, filled by the BSP.
 * Out: long mode on the hypervisor's CR3 with CR0/CR4/EFER as the BSP has
 *      them, interrupts off, RSP = params.stack, RDI = params.arg, jumping
 *      to params.entry (which never returns).
 * Clobbers: everything; the AP has no state worth keeping.
 */
#include "arch/x86/ap_boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

#define OFF(label)      ((label) - ap_boot_start)
#define PARAM(field)    (OFF(ap_boot_param_block) + (field))

	.section .rodata, "a"
	.balign 16
	.globl ap_boot_start
	.hidden ap_boot_start
ap_boot_start:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	/* EBX = the blob's linear base, for the 32- and 64-bit parts. */
	movzwl %ax, %ebx
	shll $REAL_MODE_SEG_SHIFT, %ebx
	lock incl PARAM(APB_ENTERED)
	/* One AP at a time owns the parameter block (see ap_boot.h). */
1:	lock btsl $0, PARAM(APB_LOCK)
	jnc 2f
	pause
	jmp 1b
2:
	lgdtl PARAM(APB_GDTR)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *PARAM(APB_FAR32)

	.code32
ap_boot_pm32:
	movl $APB_SEL_DATA32, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	/* PAE first: CR4 bits such as PCIDE may only be set in long mode. */
	movl $CR4_PAE, %eax
	movl %eax, %cr4
	movl PARAM(APB_CR3)(%ebx), %eax
	movl %eax, %cr3
	movl $IA32_EFER, %ecx
	movl PARAM(APB_EFER)(%ebx), %eax
	movl PARAM(APB_EFER) + 4(%ebx), %edx
	wrmsr
	/* Paging on with EFER.LME: IA-32e (compatibility) mode. */
	movl PARAM(APB_CR0)(%ebx), %eax
	movl %eax, %cr0
	ljmpl *PARAM(APB_FAR64)(%ebx)

	.code64
ap_boot_lm64:
	movl %ebx, %ebx                 /* upper half undefined after the switch */
	movq PARAM(APB_CR4)(%rbx), %rax
	movq %rax, %cr4
	movq PARAM(APB_STACK)(%rbx), %rsp
	movq PARAM(APB_ARG)(%rbx), %rdi
	movq PARAM(APB_ENTRY)(%rbx), %rax
	xorl %ebp, %ebp
	pushq $0                        /* no return address: entry never returns */
	jmpq *%rax

	.balign 16
ap_boot_param_block:
	.skip APB_SIZE
	.globl ap_boot_end
	.hidden ap_boot_end
ap_boot_end:

	.balign 4
	.globl ap_boot_params_offset, ap_boot_pm32_offset, ap_boot_lm64_offset
	.hidden ap_boot_params_offset, ap_boot_pm32_offset, ap_boot_lm64_offset
ap_boot_params_offset:
	.long OFF(ap_boot_param_block)
ap_boot_pm32_offset:
	.long OFF(ap_boot_pm32)
ap_boot_lm64_offset:
	.long OFF(ap_boot_lm64)

	.section .note.GNU-stack, "", @progbits

/*
 * The VM-entry/VM-exit stub.
 *
 * int vmx_enter(struct guest_regs *regs [rdi], int launched [esi],
 *               uint32_t flags [edx])
 *   Saves the host's callee-saved registers, the flags and the regs
 *   pointer on the stack, points VMCS HOST_RSP at that frame, loads the
 *   guest registers and executes VMLAUNCH or VMRESUME, right after a VERW
 *   when flags has VMX_ENTER_VERW (it clears the CPU buffers after the
 *   last hypervisor memory access; hv/vcpu/mitigations.h).
 *   - If the instruction fails, execution falls through: returns
 *     VMX_ENTER_FAIL_INVALID (CF) or VMX_ENTER_FAIL_VALID (ZF).
 *   - Otherwise the guest runs; the next VM exit lands at vmx_exit_stub
 *     (VMCS HOST_RIP) with RSP = HOST_RSP, which saves the guest registers
 *     into *regs, fills the return stack buffer when flags has
 *     VMX_ENTER_FILL_RSB (before the first RET after the exit), and
 *     returns VMX_ENTER_EXITED from vmx_enter.
 *   Clobbers: the caller-saved registers; RFLAGS is 0x2 after an exit.
 */
#include "arch/x86/desc.h"
#include "hv/vcpu/mitigations.h"
#include "hv/vcpu/regs.h"
#include "hv/vmcs/fields.h"

/* RSB entries to overwrite: at least the deepest RSB (32 on the CPUs that
 * have one), two per loop round. */
#define RSB_FILL_ROUNDS 16
#define RSB_FILL_BYTES  16      /* two return addresses per round */

/*
 * GUEST_ENTER verw: load the guest registers from *rdi and VMLAUNCH, or
 * VMRESUME when CF is set (the caller's BT of `launched`).  MOVs keep the
 * flags; VERW changes only ZF.  Falls through to .Lfail when the
 * instruction fails.
 */
.macro GUEST_ENTER verw
	mov	GREG_RAX(%rdi), %rax
	mov	GREG_RCX(%rdi), %rcx
	mov	GREG_RDX(%rdi), %rdx
	mov	GREG_RBX(%rdi), %rbx
	mov	GREG_RBP(%rdi), %rbp
	mov	GREG_RSI(%rdi), %rsi
	mov	GREG_R8(%rdi), %r8
	mov	GREG_R9(%rdi), %r9
	mov	GREG_R10(%rdi), %r10
	mov	GREG_R11(%rdi), %r11
	mov	GREG_R12(%rdi), %r12
	mov	GREG_R13(%rdi), %r13
	mov	GREG_R14(%rdi), %r14
	mov	GREG_R15(%rdi), %r15
	mov	GREG_RDI(%rdi), %rdi
	.if \verw
	verw	verw_selector(%rip)
	.endif
	jc	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
	jmp	.Lfail
.endm

	.section .rodata
	.align 2
verw_selector:
	.word	SEL_DATA                /* a writable data segment */

	.text
	.globl vmx_enter
	.hidden vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdx                    /* flags: [HOST_RSP + 8] */
	push	%rdi                    /* regs pointer: [HOST_RSP] */

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail                  /* CF or ZF: no usable VMCS */

	mov	GREG_CR2(%rdi), %rax
	mov	%rax, %cr2
	test	$VMX_ENTER_VERW, %edx
	jnz	.Lenter_verw
	bt	$0, %esi                /* CF = launched */
	GUEST_ENTER 0
.Lenter_verw:
	bt	$0, %esi
	GUEST_ENTER 1
.Lfail:
	/* VMfailInvalid sets CF, VMfailValid sets ZF. */
	mov	$VMX_ENTER_FAIL_INVALID, %eax
	mov	$VMX_ENTER_FAIL_VALID, %ecx
	cmovz	%ecx, %eax
	pop	%rdi
	pop	%rdx
	jmp	.Lreturn
	.size vmx_enter, . - vmx_enter

	.globl vmx_exit_stub
	.hidden vmx_exit_stub
	.type vmx_exit_stub, @function
vmx_exit_stub:
	xchg	%rdi, (%rsp)            /* rdi = regs, [rsp] = guest rdi */
	mov	%rax, GREG_RAX(%rdi)
	mov	%rcx, GREG_RCX(%rdi)
	mov	%rdx, GREG_RDX(%rdi)
	mov	%rbx, GREG_RBX(%rdi)
	mov	%rbp, GREG_RBP(%rdi)
	mov	%rsi, GREG_RSI(%rdi)
	mov	%r8, GREG_R8(%rdi)
	mov	%r9, GREG_R9(%rdi)
	mov	%r10, GREG_R10(%rdi)
	mov	%r11, GREG_R11(%rdi)
	mov	%r12, GREG_R12(%rdi)
	mov	%r13, GREG_R13(%rdi)
	mov	%r14, GREG_R14(%rdi)
	mov	%r15, GREG_R15(%rdi)
	pop	%rax
	mov	%rax, GREG_RDI(%rdi)
	mov	%cr2, %rax
	mov	%rax, GREG_CR2(%rdi)
	pop	%rdx                    /* flags */
	test	$VMX_ENTER_FILL_RSB, %edx
	jz	2f
	/* Each round pushes two return addresses whose speculative target
	 * is a trap, then drops them again: the RSB ends up full of them. */
	mov	$RSB_FILL_ROUNDS, %ecx
3:	call	4f
	int3
4:	call	5f
	int3
5:	add	$RSB_FILL_BYTES, %rsp
	dec	%ecx
	jnz	3b
	lfence
2:	xor	%eax, %eax              /* VMX_ENTER_EXITED */
	/* RSP is back at the saved r15; RBP still holds the guest's value. */
.Lreturn:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size vmx_exit_stub, . - vmx_exit_stub

	.section .note.GNU-stack, "", @progbits

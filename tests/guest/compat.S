/*
 * compat_vmcall: a VMCALL made from 32-bit compatibility mode (IA-32e mode
 * with CS.L = 0, CS.D = 1: the GDT's SEL_CODE32), for the attacks on the
 * hypercall ABI's 32-bit truncation (tests/guest/checks_attacks.c).
 *
 * uint64_t compat_vmcall(uint64_t rax, uint64_t rbx, uint64_t rcx)
 * In: RDI, RSI, RDX = the 64-bit values for RAX, RBX, RCX, loaded in 64-bit
 * mode before the switch, so their upper halves are whatever the caller
 * chose.  Out: RAX as the hypervisor left it, all 64 bits (compatibility
 * mode never writes RAX after the VMCALL).  The SDM calls the upper halves
 * undefined across a mode switch; Bochs and real CPUs keep them, and a
 * hypervisor must not rely on either.  Clobbers RCX, RDX, RSI, RDI, R8-R11;
 * interrupts stay as they were (the caller disables them).  Not reentrant
 * (the stack pointer is kept in compat_saved_rsp).
 */
#include "tests/guest/layout.h"

	.text
	.code64
	.globl compat_vmcall
compat_vmcall:
	push %rbx
	push %rbp
	mov %rsp, compat_saved_rsp(%rip)
	mov %rdi, %rax
	mov %rsi, %rbx
	mov %rdx, %rcx
	/* LRETQ pops RIP, then CS: into compatibility mode at compat_entry
	 * (below 4 GiB: the image is linked at 1 MiB). */
	pushq $SEL_CODE32
	pushq $compat_entry
	lretq

	.code32
compat_entry:
	vmcall
	ljmp $SEL_CODE64, $compat_return

	.code64
compat_return:
	mov compat_saved_rsp(%rip), %rsp
	pop %rbp
	pop %rbx
	ret

	.bss
	.balign 8
	.globl compat_saved_rsp        /* the fuzz check leaves it out */
compat_saved_rsp:
	.skip 8

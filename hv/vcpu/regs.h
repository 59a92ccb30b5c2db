/*
 * The guest's general-purpose registers as hv/vcpu/vmx_run.S saves them on a
 * VM exit and loads them before VM entry (RSP and RIP live in the VMCS).
 * CR2 is not part of the VMCS guest state, so it travels here too.
 * Offsets are shared with the assembly and checked in hv/vcpu/vcpu.c.
 */
#ifndef HV_GUEST_REGS_H
#define HV_GUEST_REGS_H

#define GREG_RAX   0
#define GREG_RCX   8
#define GREG_RDX   16
#define GREG_RBX   24
#define GREG_RBP   32
#define GREG_RSI   40
#define GREG_RDI   48
#define GREG_R8    56
#define GREG_R9    64
#define GREG_R10   72
#define GREG_R11   80
#define GREG_R12   88
#define GREG_R13   96
#define GREG_R14   104
#define GREG_R15   112
#define GREG_CR2   120
#define GUEST_REGS_SIZE 128

/* vmx_enter() results */
#define VMX_ENTER_EXITED        0   /* the guest ran and a VM exit came back */
#define VMX_ENTER_FAIL_INVALID  1   /* VMLAUNCH/VMRESUME: VMfailInvalid */
#define VMX_ENTER_FAIL_VALID    2   /* VMLAUNCH/VMRESUME: VMfailValid */

#ifndef __ASSEMBLY__
#include <stdint.h>

struct guest_regs {
	uint64_t rax, rcx, rdx, rbx, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t cr2;
};

/*
 * Enter the guest with VMLAUNCH (launched == 0) or VMRESUME, and come back
 * after the next VM exit with the guest's registers saved in *regs.
 * flags: VMX_ENTER_VERW and VMX_ENTER_FILL_RSB (hv/vcpu/mitigations.h).
 * Returns VMX_ENTER_* .  Interrupts must be off.
 */
int vmx_enter(struct guest_regs *regs, int launched, uint32_t flags);
#endif

#endif

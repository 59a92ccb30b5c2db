/*
 * Instruction exits with short answers: the VMX and SMX instructions
 * (#UD), cache and TLB maintenance, time-stamp and performance counters,
 * the random-number instructions, PAUSE/MONITOR/MWAIT and XSETBV.
 * Several only exit when a control the VMX core leaves off is on
 * (hv/vmx/ctls.c); they still get a correct handler, so turning the
 * control on needs no change here.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/msr.h"
#include "hv/view/cpuid.h"
#include "hv/exit/handlers.h"
#include "hv/exit/reason.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "hv/view/xcr0.h"
#include "hv/view/xsave_policy.h"
#include "lib/bits.h"
#include "lib/log.h"

#define INSN_INFO_RDRAND_REG_SHIFT  3       /* bits 6:3: destination */
#define INSN_INFO_RDRAND_REG_MASK   0xf
#define INSN_INFO_RDRAND_SIZE_SHIFT 11      /* bits 12:11: 0=16, 1=32, 2=64 */
#define INSN_INFO_RDRAND_SIZE_MASK  0x3
#define OPERAND_SIZE_16             0
#define OPERAND_SIZE_32             1
#define RFLAGS_ARITH                0x8d5ull  /* CF PF AF ZF SF OF */

/* VMCLEAR ... VMXON, INVEPT, INVVPID, VMFUNC, GETSEC, SEAMCALL, TDCALL:
 * the guest sees a CPU without VMX, SMX and TDX, where they are #UD. */
enum exit_action inject_ud(struct vcpu *v, const struct vmexit *e)
{
	(void)e;
	inject_exception(v, EXC_UD, 0);
	return EXIT_RESUME;
}

/* WBINVD (WBNOINVD) is executed for the guest: the caches are shared
 * with the host, and a guest that asks for write-back must get it.  INVD
 * comes here too: discarding the cache would also discard the host's
 * dirty lines, so the guest gets the stronger WBINVD, which is
 * indistinguishable for it. */
enum exit_action handle_wbinvd(struct vcpu *v, const struct vmexit *e)
{
	(void)v;
	(void)e;
	__asm__ volatile("wbinvd" ::: "memory");
	return EXIT_SKIP_INSTRUCTION;
}

/* Only with INVLPG exiting (off): invalidate that linear address in the
 * guest's VPID; without VPID every VM entry flushes anyway. */
enum exit_action handle_invlpg(struct vcpu *v, const struct vmexit *e)
{
	if (v->ctls.vpid &&
	    invvpid(INVVPID_INDIVIDUAL_ADDRESS, v->vpid, e->qualification) != VMX_SUCCEED)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid, 0);
	return EXIT_SKIP_INSTRUCTION;
}

/* Only with INVLPG exiting and "enable INVPCID" (INVLPG exiting is off).
 * Executing INVPCID in root mode would hit the host's VPID, not the
 * guest's; flushing the guest's whole VPID is a superset of every INVPCID
 * type, so the descriptor need not be decoded. */
enum exit_action handle_invpcid(struct vcpu *v, const struct vmexit *e)
{
	(void)e;
	if (v->ctls.vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->vpid, 0);
	return EXIT_SKIP_INSTRUCTION;
}

/* RDPMC exiting is on: there is no virtual PMU (CPUID leaf 0xA is zero),
 * so the guest gets the #GP of an invalid counter. */
enum exit_action handle_rdpmc(struct vcpu *v, const struct vmexit *e)
{
	(void)e;
	inject_exception(v, EXC_GP, 0);
	return EXIT_RESUME;
}

/* The TSC the guest would have read: the real one plus the TSC offset
 * when offsetting is on. */
static uint64_t guest_tsc(const struct vcpu *v)
{
	return rdtsc() + vcpu_tsc_offset(v);
}

/* Return the guest's TSC in EDX:EAX, as RDTSC does (the high halves of RAX
 * and RDX cleared). */
static void return_tsc(struct vcpu *v)
{
	uint64_t tsc = guest_tsc(v);

	v->regs.rax = LOW32(tsc);
	v->regs.rdx = tsc >> 32;
}

/* Only with RDTSC exiting (off). */
enum exit_action handle_rdtsc(struct vcpu *v, const struct vmexit *e)
{
	(void)e;
	return_tsc(v);
	return EXIT_SKIP_INSTRUCTION;
}

/* Only with RDTSC exiting (off).  IA32_TSC_AUX is the guest's in the CPU
 * (the host never uses it). */
enum exit_action handle_rdtscp(struct vcpu *v, const struct vmexit *e)
{
	uint64_t aux = 0;

	(void)e;
	return_tsc(v);
	rdmsr_safe(IA32_TSC_AUX, &aux);
	v->regs.rcx = LOW32(aux);
	return EXIT_SKIP_INSTRUCTION;
}

/* One RDRAND or RDSEED in root mode; CF says whether the value is valid. */
static bool random_value(bool seed, uint64_t *value)
{
	uint8_t ok;

	if (seed)
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*value), "=qm"(ok) : : "cc");
	else
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*value), "=qm"(ok) : : "cc");
	return ok;
}

/* Only with RDRAND/RDSEED exiting (off): executed in root mode; the
 * destination comes from the instruction information, with the operand
 * size's merge rules; CF as the instruction sets it, the other
 * arithmetic flags cleared. */
enum exit_action handle_rdrand_rdseed(struct vcpu *v, const struct vmexit *e)
{
	uint32_t info = vmcs_read32(VMCS_EXIT_INSTRUCTION_INFO);
	enum vmx_gpr reg = (enum vmx_gpr)((info >> INSN_INFO_RDRAND_REG_SHIFT) &
					  INSN_INFO_RDRAND_REG_MASK);
	uint32_t size = (info >> INSN_INFO_RDRAND_SIZE_SHIFT) & INSN_INFO_RDRAND_SIZE_MASK;
	uint64_t value, old = guest_gpr_read(v, reg);
	bool ok = random_value(e->reason == EXIT_REASON_RDSEED, &value);
	uint64_t rflags = vmcs_readnat(VMCS_GUEST_RFLAGS) & ~RFLAGS_ARITH;

	if (size == OPERAND_SIZE_16)
		value = (old & ~0xffffull) | (value & 0xffff);
	else if (size == OPERAND_SIZE_32)
		value = LOW32(value);
	guest_gpr_write(v, reg, value);
	vmcs_writenat(VMCS_GUEST_RFLAGS, rflags | (ok ? RFLAGS_CF : 0));
	return EXIT_SKIP_INSTRUCTION;
}

/* PAUSE (only with PAUSE exiting, off: one guest, nobody to yield to),
 * MONITOR and MWAIT (MONITOR is hidden from CPUID; MWAIT may return at any
 * time architecturally, so a NOP is a correct MWAIT that never sleeps;
 * HLT is the guest's idle instruction). */
enum exit_action handle_skip(struct vcpu *v, const struct vmexit *e)
{
	(void)v;
	(void)e;
	return EXIT_SKIP_INSTRUCTION;
}

/* VMX-preemption timer: the exit only returns control to the run loop,
 * which decides about the timer. */
enum exit_action handle_resume(struct vcpu *v, const struct vmexit *e)
{
	(void)v;
	(void)e;
	return EXIT_RESUME;
}

/* XSETBV with root-mode CR4.OSXSAVE (set for the moment when the host
 * state lacks it: XCR0 is shared and the host never uses XSAVE). */
static bool xsetbv_root(uint32_t xcr, uint64_t value)
{
	uint64_t cr4 = read_cr4();
	bool ok;

	if (!(cr4 & CR4_OSXSAVE))
		write_cr4(cr4 | CR4_OSXSAVE);
	ok = xsetbv_safe(xcr, value);
	if (!(cr4 & CR4_OSXSAVE))
		write_cr4(cr4);
	return ok;
}

/* XSETBV exits unconditionally (CPL and CR4.OSXSAVE are checked by the CPU
 * before the exit).  The value is checked against the SDM rules and the
 * XCR0 bits the guest's CPUID reports (hv/view/xcr0.h, xsave_policy.h):
 * #GP, else it is loaded in root mode (XCR0 is not switched on VM
 * entry/exit, so this is the guest's XCR0); a #GP from the CPU itself is
 * reflected too. */
enum exit_action handle_xsetbv(struct vcpu *v, const struct vmexit *e)
{
	uint64_t supported = xsave_policy()->xcr0;
	uint32_t xcr = (uint32_t)v->regs.rcx;
	uint64_t value = LOW32(v->regs.rax) | (v->regs.rdx << 32);

	(void)e;
	if (!xsetbv_valid(xcr, value, supported) || !xsetbv_root(xcr, value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	return EXIT_SKIP_INSTRUCTION;
}

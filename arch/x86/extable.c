/*
 * Fault recovery for the guarded instructions of arch/x86/extable.h.
 *
 * Each site is a pair of hidden global labels inside one noinline,
 * noclone function, so the label exists exactly once: `<name>_insn` on the
 * instruction, `<name>_fixup` on the recovery code, which sets the result
 * to "faulted".  The dispatcher compares the faulting RIP with the label
 * addresses (taken RIP-relative in code, so no relocation is needed in
 * either image) instead of walking a linker-built table.
 */
#include "arch/x86/extable.h"

/*
 * GUARDED(name, insn): the instruction at label name_insn; on success it
 * falls through to 2:, skipping the fixup; the fixup at name_fixup sets
 * %[faulted] to 1.  Inputs/outputs are given by the caller's operands.
 */
#define GUARDED(name, insn)                                \
	".globl " #name "_insn\n\t"                        \
	".hidden " #name "_insn\n\t"                       \
	".globl " #name "_fixup\n\t"                       \
	".hidden " #name "_fixup\n"                        \
	#name "_insn:\n\t"                                 \
	insn "\n\t"                                        \
	"jmp 2f\n"                                         \
	#name "_fixup:\n\t"                                \
	"movl $1, %[faulted]\n"                            \
	"2:"

#define HIDDEN __attribute__((visibility("hidden")))
extern const char extable_rdmsr_insn[] HIDDEN, extable_rdmsr_fixup[] HIDDEN;
extern const char extable_wrmsr_insn[] HIDDEN, extable_wrmsr_fixup[] HIDDEN;
extern const char extable_xsetbv_insn[] HIDDEN, extable_xsetbv_fixup[] HIDDEN;
extern const char extable_copy_insn[] HIDDEN, extable_copy_fixup[] HIDDEN;

/* Inputs: ECX = MSR.  Outputs: EDX:EAX, faulted. */
__attribute__((noinline, noclone)) bool rdmsr_safe(uint32_t msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0, faulted = 0;

	__asm__ volatile(GUARDED(extable_rdmsr, "rdmsr")
			 : "+a"(lo), "+d"(hi), [faulted] "+r"(faulted)
			 : "c"(msr)
			 : "memory");
	*value = faulted ? 0 : ((uint64_t)hi << 32) | lo;
	return !faulted;
}

/* Inputs: ECX = MSR, EDX:EAX = value.  Output: faulted. */
__attribute__((noinline, noclone)) bool wrmsr_safe(uint32_t msr, uint64_t value)
{
	uint32_t faulted = 0;

	__asm__ volatile(GUARDED(extable_wrmsr, "wrmsr")
			 : [faulted] "+r"(faulted)
			 : "c"(msr), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32))
			 : "memory");
	return !faulted;
}

/* Inputs: ECX = XCR number, EDX:EAX = value.  Output: faulted.
 * Needs CR4.OSXSAVE in root mode, else #UD (also recovered). */
__attribute__((noinline, noclone)) bool xsetbv_safe(uint32_t xcr, uint64_t value)
{
	uint32_t faulted = 0;

	__asm__ volatile(GUARDED(extable_xsetbv, "xsetbv")
			 : [faulted] "+r"(faulted)
			 : "c"(xcr), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32))
			 : "memory");
	return !faulted;
}

/* Inputs: RDI = dst, RSI = src, RCX = len.  Output: faulted.  A fault
 * (#PF on an unmapped page, #GP on a non-canonical address) stops the copy
 * part-way: dst may hold some of the bytes. */
__attribute__((noinline, noclone)) bool memcpy_safe(void *dst, const void *src,
						    size_t len)
{
	uint32_t faulted = 0;

	__asm__ volatile(GUARDED(extable_copy, "rep movsb")
			 : [faulted] "+r"(faulted), "+D"(dst), "+S"(src),
			   "+c"(len)
			 :
			 : "memory");
	return !faulted;
}

static bool fixup_site(struct trap_frame *tf, const char *insn,
		       const char *fixup)
{
	if (tf->rip != (uint64_t)(uintptr_t)insn)
		return false;
	tf->rip = (uint64_t)(uintptr_t)fixup;
	return true;
}

bool extable_fixup(struct trap_frame *tf)
{
	return fixup_site(tf, extable_rdmsr_insn, extable_rdmsr_fixup) ||
	       fixup_site(tf, extable_wrmsr_insn, extable_wrmsr_fixup) ||
	       fixup_site(tf, extable_xsetbv_insn, extable_xsetbv_fixup) ||
	       fixup_site(tf, extable_copy_insn, extable_copy_fixup);
}

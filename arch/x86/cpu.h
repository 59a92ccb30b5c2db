/*
 * One-instruction wrappers around the x86 instructions the hypervisor uses,
 * and the architectural register bits (Intel SDM Vol. 3, "Control
 * Registers").  Nothing here keeps state.
 */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include "arch/x86/cpuid.h"
#include "lib/bits.h"

/* CR0 */
#define CR0_PE  BIT_ULL(0)
#define CR0_MP  BIT_ULL(1)
#define CR0_EM  BIT_ULL(2)
#define CR0_TS  BIT_ULL(3)
#define CR0_ET  BIT_ULL(4)
#define CR0_NE  BIT_ULL(5)
#define CR0_WP  BIT_ULL(16)
#define CR0_AM  BIT_ULL(18)
#define CR0_NW  BIT_ULL(29)
#define CR0_CD  BIT_ULL(30)
#define CR0_PG  BIT_ULL(31)

/* CR4 */
#define CR4_VME        BIT_ULL(0)
#define CR4_PVI        BIT_ULL(1)
#define CR4_TSD        BIT_ULL(2)
#define CR4_DE         BIT_ULL(3)
#define CR4_PSE        BIT_ULL(4)
#define CR4_PAE        BIT_ULL(5)
#define CR4_MCE        BIT_ULL(6)
#define CR4_PGE        BIT_ULL(7)
#define CR4_PCE        BIT_ULL(8)
#define CR4_OSFXSR     BIT_ULL(9)
#define CR4_OSXMMEXCPT BIT_ULL(10)
#define CR4_UMIP       BIT_ULL(11)
#define CR4_LA57       BIT_ULL(12)
#define CR4_VMXE       BIT_ULL(13)
#define CR4_SMXE       BIT_ULL(14)
#define CR4_FSGSBASE   BIT_ULL(16)
#define CR4_PCIDE      BIT_ULL(17)
#define CR4_OSXSAVE    BIT_ULL(18)
#define CR4_SMEP       BIT_ULL(20)
#define CR4_SMAP       BIT_ULL(21)
#define CR4_PKE        BIT_ULL(22)
#define CR4_KL         BIT_ULL(19)    /* Key Locker */
#define CR4_CET        BIT_ULL(23)    /* control-flow enforcement */
#define CR4_PKS        BIT_ULL(24)    /* protection keys, supervisor */
#define CR4_UINTR      BIT_ULL(25)    /* user interrupts */
#define CR4_LAM_SUP    BIT_ULL(28)    /* linear-address masking, supervisor */

/* RFLAGS */
#define RFLAGS_CF      BIT_ULL(0)
#define RFLAGS_FIXED   BIT_ULL(1)    /* reserved, always 1 */
#define RFLAGS_ZF      BIT_ULL(6)
#define RFLAGS_TF      BIT_ULL(8)
#define RFLAGS_IF      BIT_ULL(9)
#define RFLAGS_DF      BIT_ULL(10)
#define RFLAGS_RF      BIT_ULL(16)   /* resume: no instruction breakpoint */
#define RFLAGS_VM      BIT_ULL(17)
#define RFLAGS_AC      BIT_ULL(18)   /* alignment check; SMAP override */
#define RFLAGS_ID      BIT_ULL(21)   /* writable iff CPUID exists */

/* Real-address mode: linear address = segment << 4 + offset (SDM Vol. 3,
 * "Real-Address Mode Operation"). */
#define REAL_MODE_SEG_SHIFT 4

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Operand of LGDT/LIDT/SGDT/SIDT in 64-bit mode: a 16-bit limit, then
 * the 64-bit base with no padding (SDM Vol. 3, "Global Descriptor Table
 * Register (GDTR)"). */
struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_ptr) == 10, "desc_ptr: 10 bytes");
_Static_assert(__builtin_offsetof(struct desc_ptr, base) == 2,
	       "desc_ptr: base right after the limit");

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

/* The physical-address width (MAXPHYADDR): CPUID.80000008H:EAX[7:0], or
 * the architectural default on a CPU without that leaf. */
static inline unsigned cpu_maxphyaddr(void)
{
	if (cpuid(CPUID_EXT_MAX_LEAF, 0).eax < CPUID_EXT_ADDR_SIZES)
		return CPUID_DEFAULT_MAXPHYADDR;
	return cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & CPUID_ADDR_PHYS_MASK;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32))
			 : "memory");
}

#define DEFINE_CR_ACCESSORS(n)                                              \
	static inline uint64_t read_cr##n(void)                             \
	{                                                                   \
		uint64_t v;                                                 \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));           \
		return v;                                                   \
	}                                                                   \
	static inline void write_cr##n(uint64_t v)                          \
	{                                                                   \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");  \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* Stop this CPU for good: interrupts off, halt in a loop (an NMI or SMI
 * may wake it, so loop). */
static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

/* Write the cache line holding p back to memory and invalidate it: for
 * tables a device reads without snooping the caches (VT-d units without
 * page-walk coherency). */
static inline void clflush(const volatile void *p)
{
	__asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
}

/* Order every earlier load and store (and clflush) before later ones. */
static inline void mfence(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* Debug registers DR0-DR3 and DR6: not part of the VMCS guest state, so
 * the guest's values are the CPU's own while it runs. */
#define DEFINE_WRITE_DR(n)                                                  \
	static inline void write_dr##n(uint64_t v)                          \
	{                                                                   \
		__asm__ volatile("mov %0, %%dr" #n : : "r"(v));             \
	}
DEFINE_WRITE_DR(0)
DEFINE_WRITE_DR(1)
DEFINE_WRITE_DR(2)
DEFINE_WRITE_DR(3)
DEFINE_WRITE_DR(6)
#undef DEFINE_WRITE_DR

/*
 * IRET to the next instruction, on the same stack and privilege level.
 * A VM exit caused by an NMI leaves NMIs blocked in root mode until the
 * next IRET (Intel SDM Vol. 3, "Blocking by NMI" in "VM Exits"); without
 * one, every later NMI stays latched and the guest sees only the first.
 * Needs -mno-red-zone (the frame is pushed below RSP).
 */
static inline void iret_to_self(void)
{
	uint64_t scratch;

	__asm__ volatile("mov %%ss, %k0\n\t"
			 "pushq %0\n\t"
			 "pushq %%rsp\n\t"
			 "addq $8, (%%rsp)\n\t"
			 "pushfq\n\t"
			 "mov %%cs, %k0\n\t"
			 "pushq %0\n\t"
			 "lea 1f(%%rip), %0\n\t"
			 "pushq %0\n\t"
			 "iretq\n"
			 "1:"
			 : "=&r"(scratch) : : "memory");
}

#endif /* !__ASSEMBLY__ */
#endif

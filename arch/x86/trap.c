/*
 * Exception dispatch.  Every vector 0-31 arrives here from isr.S with a
 * struct trap_frame.  NMI is counted and returns; everything else is a
 * hypervisor bug (the hypervisor itself never expects a fault), printed
 * with a full register dump before a clean stop, except at the guarded
 * instructions of arch/x86/extable.h, which resume at their recovery code.
 */
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/mce.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "arch/x86/trap_frame.h"
#include "lib/format.h"
#include "lib/log.h"

#define TRAP_REASON_MAX 64

/* The assembly offsets (trap_frame.h) must match the C layout. */
#define CHECK_TF(field, off) \
	_Static_assert(offsetof(struct trap_frame, field) == (off), \
		       "trap_frame." #field " differs from " #off)
CHECK_TF(r15, TF_R15); CHECK_TF(r14, TF_R14); CHECK_TF(r13, TF_R13);
CHECK_TF(r12, TF_R12); CHECK_TF(r11, TF_R11); CHECK_TF(r10, TF_R10);
CHECK_TF(r9, TF_R9); CHECK_TF(r8, TF_R8); CHECK_TF(rbp, TF_RBP);
CHECK_TF(rdi, TF_RDI); CHECK_TF(rsi, TF_RSI); CHECK_TF(rdx, TF_RDX);
CHECK_TF(rcx, TF_RCX); CHECK_TF(rbx, TF_RBX); CHECK_TF(rax, TF_RAX);
CHECK_TF(vector, TF_VECTOR); CHECK_TF(error_code, TF_ERROR_CODE);
CHECK_TF(rip, TF_RIP); CHECK_TF(cs, TF_CS); CHECK_TF(rflags, TF_RFLAGS);
CHECK_TF(rsp, TF_RSP); CHECK_TF(ss, TF_SS);
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap_frame size");
/* The CPU aligns RSP to 16 before pushing; keep the frame a multiple. */
_Static_assert(TF_SIZE % 16 == 0, "trap_frame keeps the stack aligned");

/* SDM Vol. 3, "Exception and Interrupt Reference". */
static const struct {
	const char *mnemonic;
	const char *name;
} exceptions[IDT_EXCEPTIONS] = {
	[0] = { "DE", "divide error" },
	[1] = { "DB", "debug" },
	[2] = { "NMI", "non-maskable interrupt" },
	[3] = { "BP", "breakpoint" },
	[4] = { "OF", "overflow" },
	[5] = { "BR", "bound range exceeded" },
	[6] = { "UD", "invalid opcode" },
	[7] = { "NM", "device not available" },
	[8] = { "DF", "double fault" },
	[9] = { "CSO", "coprocessor segment overrun" },
	[10] = { "TS", "invalid TSS" },
	[11] = { "NP", "segment not present" },
	[12] = { "SS", "stack-segment fault" },
	[13] = { "GP", "general protection" },
	[14] = { "PF", "page fault" },
	[16] = { "MF", "x87 floating-point error" },
	[17] = { "AC", "alignment check" },
	[18] = { "MC", "machine check" },
	[19] = { "XM", "SIMD floating-point" },
	[20] = { "VE", "virtualization exception" },
	[21] = { "CP", "control protection" },
	[28] = { "HV", "hypervisor injection" },
	[29] = { "VC", "VMM communication" },
	[30] = { "SX", "security exception" },
};

const char *trap_mnemonic(uint64_t vector)
{
	if (vector < IDT_EXCEPTIONS && exceptions[vector].mnemonic)
		return exceptions[vector].mnemonic;
	return "??";
}

const char *trap_name(uint64_t vector)
{
	if (vector < IDT_EXCEPTIONS && exceptions[vector].name)
		return exceptions[vector].name;
	return "reserved vector";
}

/*
 * An NMI in root mode is not an error: it may be the platform's (watchdog,
 * performance counters, another CPU) and is really meant for the guest,
 * which owns the platform.  The CPU delivers it once and never repeats
 * it, so it must not be lost: count it here, and the VMX code injects one
 * NMI into the guest per count at its next VM entry (through NMI-window
 * exiting when the guest is blocking NMIs).  Returning with iretq unblocks
 * further NMIs.
 */
static void nmi_root_mode(void)
{
	__atomic_fetch_add(&this_cpu()->nmi_count, 1, __ATOMIC_RELAXED);
}

static __attribute__((noreturn)) void trap_fatal(const struct trap_frame *tf)
{
	static char reason[TRAP_REASON_MAX];

	if (!panic_begin())
		panic_stop("exception while panicking");
	log_write(LOG_PANIC, "exception #%s (%s, vector %llu), error code 0x%llx",
		  trap_mnemonic(tf->vector), trap_name(tf->vector),
		  (unsigned long long)tf->vector,
		  (unsigned long long)tf->error_code);
	if (tf->vector == VECTOR_PF)
		log_write(LOG_PANIC, "page-fault address (cr2) 0x%016llx",
			  (unsigned long long)read_cr2());
	panic_dump_frame(tf);
	format(reason, sizeof(reason), "exception #%s at 0x%llx",
	       trap_mnemonic(tf->vector), (unsigned long long)tf->rip);
	panic_stop(reason);
}

void trap_dispatch(struct trap_frame *tf)
{
	if (tf->vector == VECTOR_NMI) {
		nmi_root_mode();
		return;
	}
	/* A machine check is never a guarded instruction's #GP: report the
	 * banks and stop, even if it hit an RDMSR run for the guest. */
	if (tf->vector == VECTOR_MC) {
		mce_report();
		trap_fatal(tf);
	}
	/* RDMSR/WRMSR/XSETBV run for the guest may fault: recover there. */
	if (extable_fixup(tf))
		return;
	trap_fatal(tf);
}

/* ---- raising an exception on purpose ------------------------------------ */

/* Top of the lower canonical half: beyond any identity map of RAM or MMIO
 * the loaders build (they map physical address space, at most 2^46 here). */
#define RAISE_UNMAPPED_ADDR    0x00007ffffffff000ull
/* Bit 63 set, bits 62:47 clear: not canonical, so the access raises #GP. */
#define RAISE_NONCANONICAL_ADDR 0x8000000000000000ull

static void fault_read(uint64_t addr)
{
	(void)*(volatile const uint64_t *)(uintptr_t)addr;
}

/* DIV with a zero divisor: C's division by zero is undefined behaviour
 * the compiler may remove.  Clobbers RAX, RDX, RCX. */
static void fault_divide(void)
{
	__asm__ volatile("xorl %%ecx, %%ecx\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "movl $1, %%eax\n\t"
			 "divq %%rcx"
			 ::: "rax", "rcx", "rdx", "cc");
}

bool trap_raise(uint8_t vector)
{
	switch (vector) {
	case VECTOR_UD: __asm__ volatile("ud2"); return true;
	case VECTOR_PF: fault_read(RAISE_UNMAPPED_ADDR); return true;
	case VECTOR_GP: fault_read(RAISE_NONCANONICAL_ADDR); return true;
	case VECTOR_DE: fault_divide(); return true;
	/* The handler's path only: no bank holds an error. */
	case VECTOR_MC: __asm__ volatile("int $18"); return true;
	}
	return false;
}

/*
 * panic(): the end of the road for a broken hypervisor invariant.  Prints
 * the message, the registers as the C code can see them, the control
 * registers, EFER, RFLAGS and a frame-pointer stack trace (the core is
 * built with -fno-omit-frame-pointer), then stops through the stop hook
 * that hv/ installs (hv_stop).
 * Addresses are printed raw: resolve them with
 * `addr2line -e build/hv.elf.debug` (the loaded hv.elf has no debug info).
 */
#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/panic.h"
#include "arch/x86/trap_frame.h"
#include "lib/format.h"
#include "lib/log.h"

#define STACK_TRACE_MAX_FRAMES 16
/* A caller's frame lies above its callee's, and not absurdly far. */
#define STACK_TRACE_MAX_STEP   (1ull << 20)
#define CANONICAL_SHIFT        16           /* 48-bit virtual addresses */

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static uint32_t panic_depth;
static panic_stop_fn stop_hook;
static panic_begin_fn begin_hook;

void panic_set_begin_hook(panic_begin_fn begin)
{
	begin_hook = begin;
}

void panic_set_stop_hook(panic_stop_fn stop)
{
	stop_hook = stop;
}

void panic_stop(const char *reason)
{
	if (stop_hook)
		stop_hook(false, reason);
	cpu_halt_forever();
}

bool panic_begin(void)
{
	irq_disable();
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_ACQ_REL) != 0)
		return false;
	if (begin_hook)
		begin_hook();
	return true;
}

static bool is_canonical(uint64_t addr)
{
	return (uint64_t)((int64_t)(addr << CANONICAL_SHIFT) >>
			  CANONICAL_SHIFT) == addr;
}

/* A frame pointer worth following: non-zero, aligned, canonical, and
 * above the previous one. */
static bool frame_ok(uint64_t rbp, uint64_t prev)
{
	return rbp != 0 && (rbp & 7) == 0 && is_canonical(rbp) &&
	       is_canonical(rbp + 16) && rbp > prev &&
	       (prev == 0 || rbp - prev < STACK_TRACE_MAX_STEP);
}

/* Each frame: [rbp] = caller's rbp, [rbp + 8] = return address. */
static void dump_stack_trace(uint64_t rip, uint64_t rbp)
{
	uint64_t prev = 0;

	log_write(LOG_PANIC, "stack trace:");
	log_write(LOG_PANIC, "  #0  0x%016llx", (unsigned long long)rip);
	for (int i = 1; i < STACK_TRACE_MAX_FRAMES && frame_ok(rbp, prev); i++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t ret = frame[1];

		if (ret == 0)
			break;
		log_write(LOG_PANIC, "  #%-2d 0x%016llx", i,
			  (unsigned long long)ret);
		prev = rbp;
		rbp = frame[0];
	}
}

static void dump_control_registers(void)
{
	log_write(LOG_PANIC, "cr0 0x%016llx cr2 0x%016llx",
		  (unsigned long long)read_cr0(), (unsigned long long)read_cr2());
	log_write(LOG_PANIC, "cr3 0x%016llx cr4 0x%016llx",
		  (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	log_write(LOG_PANIC, "efer 0x%016llx",
		  (unsigned long long)rdmsr(IA32_EFER));
}

#define REG(x) ((unsigned long long)(x))

void panic_dump_frame(const struct trap_frame *tf)
{
	log_write(LOG_PANIC, "rip 0x%016llx cs 0x%04llx rflags 0x%016llx",
		  REG(tf->rip), REG(tf->cs), REG(tf->rflags));
	log_write(LOG_PANIC, "rsp 0x%016llx ss 0x%04llx rbp 0x%016llx",
		  REG(tf->rsp), REG(tf->ss), REG(tf->rbp));
	log_write(LOG_PANIC, "rax 0x%016llx rbx 0x%016llx rcx 0x%016llx",
		  REG(tf->rax), REG(tf->rbx), REG(tf->rcx));
	log_write(LOG_PANIC, "rdx 0x%016llx rsi 0x%016llx rdi 0x%016llx",
		  REG(tf->rdx), REG(tf->rsi), REG(tf->rdi));
	log_write(LOG_PANIC, "r8  0x%016llx r9  0x%016llx r10 0x%016llx",
		  REG(tf->r8), REG(tf->r9), REG(tf->r10));
	log_write(LOG_PANIC, "r11 0x%016llx r12 0x%016llx r13 0x%016llx",
		  REG(tf->r11), REG(tf->r12), REG(tf->r13));
	log_write(LOG_PANIC, "r14 0x%016llx r15 0x%016llx",
		  REG(tf->r14), REG(tf->r15));
	dump_control_registers();
	dump_stack_trace(tf->rip, tf->rbp);
}

/*
 * Snapshot the registers into a trap_frame, as far as C allows: their
 * values here, in panic(), not in the caller.
 * In: %rdi-like "r" operand = frame.  Clobbers: RAX (used for RIP, CS,
 * SS, RFLAGS after RAX itself was saved), memory.
 */
#define SAVE(reg, off) "movq %%" #reg ", " STRINGIFY(off) "(%0)\n\t"
static inline __attribute__((always_inline))
void capture_registers(struct trap_frame *tf)
{
	__asm__ volatile(SAVE(rax, TF_RAX) SAVE(rbx, TF_RBX) SAVE(rcx, TF_RCX)
			 SAVE(rdx, TF_RDX) SAVE(rsi, TF_RSI) SAVE(rdi, TF_RDI)
			 SAVE(rbp, TF_RBP) SAVE(rsp, TF_RSP) SAVE(r8, TF_R8)
			 SAVE(r9, TF_R9) SAVE(r10, TF_R10) SAVE(r11, TF_R11)
			 SAVE(r12, TF_R12) SAVE(r13, TF_R13) SAVE(r14, TF_R14)
			 SAVE(r15, TF_R15)
			 "leaq 1f(%%rip), %%rax\n"
			 "1:\n\t"
			 SAVE(rax, TF_RIP)
			 "movq %%cs, %%rax\n\t"
			 SAVE(rax, TF_CS)
			 "movq %%ss, %%rax\n\t"
			 SAVE(rax, TF_SS)
			 "pushfq\n\t"
			 "popq %%rax\n\t"
			 SAVE(rax, TF_RFLAGS)
			 :
			 : "r"(tf)
			 : "rax", "memory");
	tf->vector = 0;
	tf->error_code = 0;
}
#undef SAVE

void panic(const char *fmt, ...)
{
	char message[LOG_LINE_MAX];
	struct trap_frame tf;
	va_list ap;

	if (!panic_begin())
		panic_stop("panic while panicking");
	capture_registers(&tf);
	va_start(ap, fmt);
	vformat(message, sizeof(message), fmt, ap);
	va_end(ap);
	log_write(LOG_PANIC, "%s", message);
	panic_dump_frame(&tf);
	panic_stop("panic");
}

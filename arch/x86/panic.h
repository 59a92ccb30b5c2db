/*
 * panic(): a broken hypervisor invariant.  Prints "PANIC: <message>", the
 * registers, CR0/CR2/CR3/CR4 and a frame-pointer stack trace, then stops
 * through the stop hook (hv_stop(false, ...), which hv/ installs).
 * Messages are written "function: reason".
 */
#ifndef ARCH_X86_PANIC_H
#define ARCH_X86_PANIC_H

#include <stdbool.h>
#include <stdint.h>

/* Register state as the exception stubs save it (arch/x86/isr.S). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* Dump a saved register frame the same way panic() does; used by the
 * exception handlers. */
void panic_dump_frame(const struct trap_frame *tf);

/*
 * The recursion guard shared by panic() and fatal exceptions: disables
 * interrupts; true for the first caller, false when a panic is already in
 * progress (then the caller must skip its dump and stop at once).
 */
bool panic_begin(void);

/*
 * Called once, first thing, by the first panic or fatal exception (before
 * anything is printed), so the layer above can take the screen back from
 * the guest (drivers/fbcon.h).  Must not lock, allocate or log.
 */
typedef void (*panic_begin_fn)(void);
void panic_set_begin_hook(panic_begin_fn begin);

/*
 * How panic() and fatal exceptions end the machine.  The stop belongs to
 * the hypervisor (verdict line, emulator exit), which sits above arch/:
 * hv/ installs it first thing at start.  The hook must not return.
 */
typedef void (*panic_stop_fn)(bool success, const char *reason);
void panic_set_stop_hook(panic_stop_fn stop);

/* Stop through the hook with FAIL and `reason`; without a hook (a panic
 * before the hypervisor's start) halt this CPU with interrupts off. */
__attribute__((noreturn)) void panic_stop(const char *reason);

#endif

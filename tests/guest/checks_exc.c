/*
 * exceptions: the guest's own IDT sees the right vector, error code, RIP
 * (and CR2 for #PF).  Under the hypervisor none of these may be intercepted
 * for good: either not in the exception bitmap or reflected unchanged.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "drivers/emu_exit.h"
#include "tests/guest/check.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"

/* Unmapped: entry.S maps only the first IDENTITY_MAP_GIB GiB. */
#define UNMAPPED_ADDRESS   ((uint64_t)IDENTITY_MAP_GIB << 30)
#define NONCANONICAL_ADDRESS 0x8000000000000000ull
#define PF_ERR_WRITE       (1u << 1)

/* Each probe stores the address the fault must report before raising it
 * (faults report the instruction, traps the next one). */
struct probe {
	uint64_t expected_rip;
	uint64_t address;
};

static void raise_ud(void *arg)
{
	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; 1: ud2"
			 : "=m"(((struct probe *)arg)->expected_rip) : : "rax");
}

static void raise_de(void *arg)
{
	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; xor %%ecx, %%ecx;"
			 "xor %%edx, %%edx; 1: div %%ecx"
			 : "=m"(((struct probe *)arg)->expected_rip) : : "rax", "rcx", "rdx");
}

static void raise_bp(void *arg)
{
	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; int3; 1:"
			 : "=m"(((struct probe *)arg)->expected_rip) : : "rax");
}

static void read_address(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; 1: mov (%1), %%rax"
			 : "=m"(p->expected_rip) : "r"(p->address) : "rax", "memory");
}

static void write_address(void *arg)
{
	struct probe *p = arg;

	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; 1: mov %%rax, (%1)"
			 : "=m"(p->expected_rip) : "r"(p->address) : "rax", "memory");
}

struct exc_case {
	const char *what;
	void (*fn)(void *);
	uint64_t address;
	int vector;
	uint64_t error_code;
	bool check_cr2;
};

static const struct exc_case cases[] = {
	{ "ud2", raise_ud, 0, VEC_UD, 0, false },
	{ "div by 0", raise_de, 0, VEC_DE, 0, false },
	{ "int3", raise_bp, 0, VEC_BP, 0, false },
	{ "non-canonical read", read_address, NONCANONICAL_ADDRESS, VEC_GP, 0, false },
	{ "unmapped read", read_address, UNMAPPED_ADDRESS, VEC_PF, 0, true },
	{ "unmapped write", write_address, UNMAPPED_ADDRESS, VEC_PF, PF_ERR_WRITE, true },
};

static enum verdict run_case(struct check_result *r, const struct exc_case *c)
{
	struct probe p = { 0, c->address };
	struct fault_record f;
	int v = try_call(c->fn, &p, &f);

	if (v != c->vector)
		return fail(r, "%s: expected %s, got %s", c->what,
			    vector_name(c->vector), vector_name(v));
	if (f.error_code != c->error_code)
		return fail(r, "%s: error code 0x%lx, expected 0x%lx", c->what,
			    f.error_code, c->error_code);
	if (f.rip != p.expected_rip)
		return fail(r, "%s: RIP 0x%lx, expected 0x%lx", c->what, f.rip,
			    p.expected_rip);
	if (c->check_cr2 && f.cr2 != c->address)
		return fail(r, "%s: CR2 0x%lx, expected 0x%lx", c->what, f.cr2,
			    c->address);
	return VERDICT_PASS;
}

enum verdict check_exceptions(struct check_result *r)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (run_case(r, &cases[i]) != VERDICT_PASS)
			return VERDICT_FAIL;
	return VERDICT_PASS;
}

/*
 * single_step_exits: RFLAGS.TF over an instruction the hypervisor
 * emulates still traps right after it, as on the bare CPU (SDM "Debug
 * Exceptions": the emulator owes the single-step trap).  POPF sets TF,
 * so the next instruction is the first to trap.  CPUID exits always (a
 * simple instruction exit); a read of QEMU's debug-exit port is an I/O
 * exit under the hypervisor in every configuration (tests/guest/bench.c)
 * and does nothing bare.  A lost trap comes one instruction late, after
 * the NOP.
 */
static void step_cpuid(void *arg)
{
	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; pushfq;"
			 "orq %1, (%%rsp); xor %%eax, %%eax; xor %%ecx, %%ecx;"
			 "popfq; cpuid; 1: nop"
			 : "=m"(((struct probe *)arg)->expected_rip)
			 : "i"(RFLAGS_TF)
			 : "rax", "rbx", "rcx", "rdx", "cc", "memory");
}

static void step_in(void *arg)
{
	__asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, %0; pushfq;"
			 "orq %1, (%%rsp); mov %2, %%edx; popfq; inb %%dx, %%al;"
			 "1: nop"
			 : "=m"(((struct probe *)arg)->expected_rip)
			 : "i"(RFLAGS_TF), "i"(QEMU_DEBUG_EXIT_PORT)
			 : "rax", "rdx", "cc", "memory");
}

static const struct exc_case step_cases[] = {
	{ "single-stepped cpuid", step_cpuid, 0, VEC_DB, 0, false },
	{ "single-stepped in", step_in, 0, VEC_DB, 0, false },
};

enum verdict check_single_step_exits(struct check_result *r)
{
	for (size_t i = 0; i < sizeof(step_cases) / sizeof(step_cases[0]); i++)
		if (run_case(r, &step_cases[i]) != VERDICT_PASS)
			return VERDICT_FAIL;
	return VERDICT_PASS;
}

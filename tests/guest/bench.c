/*
 * Micro-benchmark loops.  Each body is one instruction that, under the
 * hypervisor, causes a VM exit; the "baseline" row measures the loop
 * itself.  Bare, VMCALL would #UD, so it is skipped; every body is first run
 * once under try_call() so an instruction that faults here is reported as
 * SKIP instead of ending the run.
 *
 * BENCH_IO_PORT: a port the hypervisor intercepts (the list in
 * hv/view/intercept.c), read only.  COM1 is shared with the guest and passes
 * through, so an access there is no exit.  QEMU's isa-debug-exit port is
 * intercepted in every configuration (a guest must not end a test run
 * behind the hypervisor's back); a READ of it has no effect on any
 * platform (QEMU's device and Bochs ignore reads; on a PC it is the old
 * x87 range), while a write would end QEMU bare.  The hypervisor answers
 * the read with all ones (hv/exit/io.c): the plain I/O-exit path.
 * tests/bench.sh notes it when the hypervisor counted no I/O exit.
 * BENCH_MSR: IA32_FEATURE_CONTROL, which the hypervisor virtualises (see
 * msr_feature_control) and so must intercept in its MSR bitmap.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "drivers/emu_exit.h"
#include "tests/guest/bench.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"
#include "hv/exit/hypercall.h"

#define BENCH_IO_PORT  QEMU_DEBUG_EXIT_PORT
#define BENCH_MSR      IA32_FEATURE_CONTROL

static void body_baseline(void)
{
	__asm__ volatile("" ::: "memory");
}

static void body_cpuid(void)
{
	(void)cpuid(0, 0);
}

static void body_vmcall(void)
{
	(void)hypercall(HC_GET_VERSION, 0, 0, 0);
}

static void body_io(void)
{
	(void)inb(BENCH_IO_PORT);
}

static void body_rdmsr(void)
{
	(void)rdmsr(BENCH_MSR);
}

const struct bench bench_table[] = {
	{ "baseline", false, body_baseline },
	{ "cpuid", false, body_cpuid },
	{ "vmcall", true, body_vmcall },
	{ "io_in", false, body_io },
	{ "rdmsr", false, body_rdmsr },
};
const size_t bench_count = sizeof(bench_table) / sizeof(bench_table[0]);

static void body_trampoline(void *arg)
{
	((const struct bench *)arg)->body();
}

bool bench_run(const struct bench *b, uint64_t iterations)
{
	if (b->needs_hv && !guest_env.under_hv) {
		say("SKIP bench %s: not under the hypervisor", b->name);
		return false;
	}
	int vector = try_call(body_trampoline, (void *)b, NULL);
	if (vector != NO_FAULT) {
		say("SKIP bench %s: raises %s here", b->name, vector_name(vector));
		return false;
	}
	uint64_t start = rdtsc();
	for (uint64_t i = 0; i < iterations; i++)
		b->body();
	uint64_t ticks = rdtsc() - start;
	say("bench %s: %lu", b->name, ticks / iterations);
	return true;
}

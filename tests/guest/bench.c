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
 *
 * The exits the power and PCI guards add (hv/view/power.c, pci_guard.c),
 * each an access that changes nothing:
 *  - pci_addr: OUT of the same dword to PCI CONFIG_ADDRESS (0xCF8),
 *    selecting the host bridge 00:00.0 register 0.  CONFIG_ADDRESS exits
 *    whenever the hypervisor guards a register in configuration space.
 *  - pci_data: IN of the dword at CONFIG_DATA (0xCFC) with the host bridge
 *    selected: no exit (the data ports exit only while a guarded function
 *    is selected), the control.
 *  - pci_data_pm: the same with 00:01.3 selected, the PIIX4 power-
 *    management function of Bochs's i440FX (and QEMU's pc machine), whose
 *    PM base register the hypervisor guards: the data port exits.
 *  - pm1_in: IN of the word PM1a_CNT, which passes through.  The port is
 *    Bochs's fixed one (its BIOS puts the PIIX4 PM block at 0xb000,
 *    PM1a_CNT at +4), not looked up in the FADT: the benchmark runs only
 *    in Bochs, and tests/bench.sh checks the hypervisor's "power:" line
 *    for the same port.
 * Reading a PCI register or PM1a_CNT has no side effect, bare or not.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "drivers/emu_exit.h"
#include "hv/exit/reason.h"
#include "tests/guest/bench.h"
#include "tests/guest/console.h"
#include "tests/guest/exit_count.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"
#include "hv/exit/hypercall.h"

#define BENCH_IO_PORT  QEMU_DEBUG_EXIT_PORT
#define BENCH_MSR      IA32_FEATURE_CONTROL
#define BENCH_PM1A_CNT 0xb004           /* Bochs: PIIX4 PM base 0xb000 + 4 */
/* PCI configuration mechanism #1 (the guest's own names, as in
 * checks_io.c): CONFIG_ADDRESS = enable | bus << 16 | device << 11 |
 * function << 8 | register. */
#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_CONFIG_ENABLE  0x80000000u
#define PCI_DEVICE_SHIFT   11
#define PCI_FUNCTION_SHIFT 8
#define HOST_BRIDGE        PCI_CONFIG_ENABLE    /* 00:00.0, register 0 */
#define PIIX4_PM           (PCI_CONFIG_ENABLE | 1u << PCI_DEVICE_SHIFT | \
			    3u << PCI_FUNCTION_SHIFT)  /* 00:01.3, register 0 */

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

/* pci_addr's body and pci_data's set-up: the same value every time. */
static void select_host_bridge(void)
{
	outl(PCI_CONFIG_ADDRESS, HOST_BRIDGE);
}

static void select_piix4_pm(void)
{
	outl(PCI_CONFIG_ADDRESS, PIIX4_PM);
}

static void body_pci_data(void)
{
	(void)inl(PCI_CONFIG_DATA);
}

/* The same instruction as body_pci_data, in a function of its own so that
 * tests/bench/trace-exit.sh can break after it (no_icf: GCC must not fold
 * the two). */
static __attribute__((no_icf)) void body_pci_data_pm(void)
{
	(void)inl(PCI_CONFIG_DATA);
}

static void body_pm1_in(void)
{
	(void)inw(BENCH_PM1A_CNT);
}

const struct bench bench_table[] = {
	{ "baseline", false, NULL, body_baseline, BENCH_NO_EXIT_FIGURE, NULL },
	/* Before any benchmark reads the statistics (a VMCALL each):
	 * tests/bench.sh takes its figure from the first table the
	 * hypervisor logs after it. */
	{ "vmcall", true, NULL, body_vmcall, BENCH_NO_EXIT_FIGURE, NULL },
	{ "cpuid", false, NULL, body_cpuid, EXIT_REASON_CPUID, NULL },
	{ "io_in", false, NULL, body_io, EXIT_REASON_IO_INSTRUCTION, NULL },
	{ "rdmsr", false, NULL, body_rdmsr, EXIT_REASON_RDMSR, NULL },
	{ "pci_addr", false, NULL, select_host_bridge, EXIT_REASON_IO_INSTRUCTION, NULL },
	{ "pci_data", false, select_host_bridge, body_pci_data,
	  EXIT_REASON_IO_INSTRUCTION, NULL },
	{ "pci_data_pm", false, select_piix4_pm, body_pci_data_pm,
	  EXIT_REASON_IO_INSTRUCTION, NULL },
	{ "pm1_in", false, NULL, body_pm1_in, EXIT_REASON_IO_INSTRUCTION, NULL },
	/* Issue 9: interrupt delivery through the local APIC; every exit
	 * counts (the virtual LAPIC's back ends exit for different reasons). */
	{ "lapic_ipi", false, NULL, NULL, BENCH_ALL_EXITS, bench_lapic_self_ipi },
	{ "lapic_timer", false, NULL, NULL, BENCH_ALL_EXITS, bench_lapic_timer },
	{ "lapic_periodic", false, NULL, NULL, BENCH_ALL_EXITS, bench_lapic_periodic },
};
const size_t bench_count = sizeof(bench_table) / sizeof(bench_table[0]);

static void body_trampoline(void *arg)
{
	((const struct bench *)arg)->body();
}

/* Every exit but the VMCALLs (the readings' own) in the table last
 * fetched. */
static bool all_but_vmcall(uint64_t *count, uint64_t *cycles)
{
	uint64_t vmcalls, vmcall_cycles;

	if (!exit_stats_total(count, cycles) ||
	    !exit_stats_row(EXIT_REASON_VMCALL, &vmcalls, &vmcall_cycles))
		return false;
	*count -= vmcalls;
	*cycles -= vmcall_cycles;
	return true;
}

/* One reading of b's exit row: false when there is none to take (bare,
 * no figure for b, the hypercall failed). */
static bool read_row(const struct bench *b, uint64_t *count, uint64_t *cycles)
{
	if (b->exit_reason == BENCH_NO_EXIT_FIGURE || !exit_stats_fetch())
		return false;
	if (b->exit_reason == BENCH_ALL_EXITS)
		return all_but_vmcall(count, cycles);
	return exit_stats_row((uint32_t)b->exit_reason, count, cycles);
}

/* The exits of b's reason between two readings and their mean root-mode
 * cost. */
static void say_exit_figure(const struct bench *b, uint64_t count0,
			    uint64_t cycles0, uint64_t count1, uint64_t cycles1)
{
	uint64_t n = count1 - count0;


	if (n)
		say("bench %s exits: %lu, root/exit: %lu", b->name, n,
		    (cycles1 - cycles0) / n);
	else
		say("bench %s exits: 0, root/exit: -", b->name);
}

/* A benchmark with its own measure function: its figure, or SKIP. */
static bool bench_measured(const struct bench *b, uint64_t iterations)
{
	uint64_t count0, cycles0, count1, cycles1;
	bool figure = read_row(b, &count0, &cycles0);
	uint64_t ticks = b->measure(iterations);

	if (ticks == BENCH_UNAVAILABLE) {
		say("SKIP bench %s: not available here", b->name);
		return false;
	}
	say("bench %s: %lu", b->name, ticks);
	if (figure && read_row(b, &count1, &cycles1))
		say_exit_figure(b, count0, cycles0, count1, cycles1);
	return true;
}

bool bench_run(const struct bench *b, uint64_t iterations)
{
	uint64_t count0, cycles0, count1, cycles1;
	bool figure;

	if (b->measure)
		return bench_measured(b, iterations);

	if (b->needs_hv && !guest_env.under_hv) {
		say("SKIP bench %s: not under the hypervisor", b->name);
		return false;
	}
	if (b->setup)
		b->setup();
	int vector = try_call(body_trampoline, (void *)b, NULL);
	if (vector != NO_FAULT) {
		say("SKIP bench %s: raises %s here", b->name, vector_name(vector));
		return false;
	}
	figure = read_row(b, &count0, &cycles0);
	uint64_t start = rdtsc();
	for (uint64_t i = 0; i < iterations; i++)
		b->body();
	uint64_t ticks = rdtsc() - start;
	say("bench %s: %lu", b->name, ticks / iterations);
	if (figure && read_row(b, &count1, &cycles1))
		say_exit_figure(b, count0, cycles0, count1, cycles1);
	return true;
}

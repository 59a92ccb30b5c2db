/*
 * The test guest's C entry: console, IDT, environment, then either the
 * check table or the benchmarks, a summary line, and the end of the run.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/emu_exit.h"
#include "tests/guest/bench.h"
#include "tests/guest/check.h"
#include "tests/guest/console.h"
#include "tests/guest/forge.h"
#include "tests/guest/spin.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/init_self.h"
#include "tests/guest/multiboot.h"
#include "tests/guest/pic.h"
#include "tests/guest/reset_attack.h"
#include "tests/guest/ecam_probe.h"
#include "hv/exit/hypercall.h"

struct tally {
	unsigned int passed, failed, skipped;
};

static struct tally tally;

void guest_main(void);

static void say_summary(void)
{
	say("summary: %u passed, %u failed, %u skipped", tally.passed,
	    tally.failed, tally.skipped);
}

static void emulator_exit(bool success)
{
	outb(QEMU_DEBUG_EXIT_PORT, success ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	for (const char *s = BOCHS_SHUTDOWN_STRING; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
}

void guest_exit(bool success)
{
	irq_disable();
	if (guest_env.under_hv)
		hypercall(HC_TEST_EXIT, success ? 0 : 1, 0, 0);
	emulator_exit(success);
	say("exit: no hypervisor or emulator ended the run; halting");
	cpu_halt_forever();
}

void guest_abort(const char *why)
{
	tally.failed++;
	say("aborting: %s", why);
	say_summary();
	guest_exit(false);
}

static void run_check(const struct check *c)
{
	struct check_result r = { .reason = "" };

	switch (c->fn(&r)) {
	case VERDICT_PASS:
		tally.passed++;
		say("PASS %s", c->name);
		break;
	case VERDICT_SKIP:
		tally.skipped++;
		say("SKIP %s: %s", c->name, r.reason);
		break;
	default:
		tally.failed++;
		say("FAIL %s: %s", c->name, r.reason[0] ? r.reason : "(no reason)");
		break;
	}
}

static void run_checks(void)
{
	for (size_t i = 0; i < check_count; i++)
		run_check(&check_table[i]);
}

static void run_benchmarks(void)
{
	for (size_t i = 0; i < bench_count; i++) {
		if (bench_run(&bench_table[i], guest_env.bench_iterations))
			tally.passed++;
		else
			tally.skipped++;
	}
}

static void say_banner(void)
{
	say("test guest starting (multiboot magic %s, cmdline \"%s\")",
	    mb_magic == MB1_BOOTLOADER_MAGIC ? "ok" : "MISSING", mb_cmdline);
	if (guest_env.under_hv)
		say("running under VTxMicroHV (max leaf 0x%x, features 0x%x)",
		    guest_env.hv_max_leaf, guest_env.hv_features);
	else
		say("running bare (CPUID hypervisor bit %u, signature \"%s\")",
		    guest_env.cpuid_hv_bit, guest_env.hv_signature);
}

/* An empty IDT makes any exception a double and then a triple fault: the
 * hypervisor must report it with the guest state and stop the guest. */
static __attribute__((noreturn)) void triple_fault(void)
{
	static const struct { uint16_t limit; uint64_t base; }
		__attribute__((packed)) empty_idt = { 0, 0 };

	say("triple-fault: loading an empty IDT and raising #BP");
	__asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* HLT with interrupts disabled and nothing that will wake it (no NMI
 * source is set up): bare the CPU halts for ever; the hypervisor reports it
 * and, with on-halt-disabled=stop, stops the guest. */
static __attribute__((noreturn)) void halt_disabled(void)
{
	say("halt-disabled: cli; hlt");
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_main(void)
{
	console_init();
	idt_init();
	pic_init();
	guest_env_init();
	say_banner();
	if (guest_env.unexpected_fault)
		__asm__ volatile("ud2");   /* idt.c reports it and ends the run */
	if (guest_env.triple_fault)
		triple_fault();
	if (guest_env.halt_disabled)
		halt_disabled();
	if (guest_env.forge_verdict)
		forge_verdict();
	if (guest_env.spin_console)
		spin_console();
	if (guest_env.halt_console)
		halt_console();
	if (guest_env.quiet_console)
		quiet_console();
	if (guest_env.init_self)
		init_self();
	if (guest_env.ecam_hidden)
		ecam_probe();
	if (guest_env.reset_attack != RESET_ATTACK_NONE)
		reset_attack((enum reset_attack)guest_env.reset_attack);
	if (guest_env.bench)
		run_benchmarks();
	else
		run_checks();
	say_summary();
	guest_exit(tally.failed == 0);
}

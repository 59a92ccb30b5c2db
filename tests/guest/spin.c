/*
 * spin-console (a command-line word): the guest the console boot test
 * (tests/boot/65-bochs-console.sh) stops in the hypervisor's monitor.  It
 * spins with interrupts off (no exit of its own: only the hypervisor's
 * timer gets the CPU back), reading the TSC, for SPIN_TICKS of its own
 * time.  The monitor's pause is taken out of the guest's TSC, so the
 * longest step between two reads stays small; without that it would be
 * the whole pause.
 *
 * halt-console: the guest halts with interrupts off for good (nothing but
 * an NMI could wake it); the console boot test stops it in the monitor,
 * whose poweroff ends the run.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/spin.h"

/* About 10 s of guest time in Bochs (ips 50 M, TSC = instructions). */
#define SPIN_TICKS       500000000ull
/* A VM exit and the hypervisor's handling of it (the timer, the console)
 * take far less; a visible pause in the monitor takes far more. */
#define SPIN_STEP_LIMIT  2000000ull

/* The loop: returns the longest TSC step seen. */
static __attribute__((noinline)) uint64_t spin_loop(void)
{
	uint64_t start = rdtsc(), last = start, longest = 0, now;

	while ((now = rdtsc()) - start < SPIN_TICKS) {
		if (now - last > longest)
			longest = now - last;
		last = now;
	}
	return longest;
}

void spin_console(void)
{
	uint64_t longest;

	say("spin-console: spinning with interrupts off");
	__asm__ volatile("cli");
	longest = spin_loop();
	say("spin-console: done, longest TSC step %lu ticks (limit %lu)",
	    (unsigned long)longest, (unsigned long)SPIN_STEP_LIMIT);
	guest_exit(longest < SPIN_STEP_LIMIT);
}

void halt_console(void)
{
	say("halt-console: halting with interrupts off");
	for (;;)
		__asm__ volatile("cli; hlt");
}

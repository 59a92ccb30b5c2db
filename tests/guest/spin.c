/*
 * spin-console (a command-line word): the guest the console boot test
 * (tests/boot/65-bochs-console.sh) stops in the hypervisor's monitor.  It
 * spins with interrupts off (no exit of its own: only the hypervisor's
 * timer gets the CPU back), reading the TSC, for SPIN_TICKS of its own
 * time.  The monitor's pause is taken out of the guest's TSC, so the
 * longest step between two reads stays small; without that it would be
 * the whole pause.
 *
 * Before it spins it leaves its LAPIC in a state the monitor's lapic
 * command must show (65- compares): software-enabled, TPR SPIN_TPR, a self-IPI of
 * SPIN_IPI_VECTOR that the TPR keeps in IRR, and a masked periodic timer
 * counting from SPIN_TIMER_INITIAL at divide 16, which does not reach zero
 * in the spin.  The run ends right after the spin, so nothing is put back.
 *
 * quiet-console: the same spin (without the LAPIC state) at entry, before
 * the guest touched the UART or any other port (tests/guest/quiet.S): the
 * escape must work then too.
 *
 * halt-console: the guest halts with interrupts off for good (nothing but
 * an NMI could wake it); the console boot test stops it in the monitor,
 * whose poweroff ends the run.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/lapic.h"
#include "tests/guest/spin.h"


/* The LAPIC state the monitor shows (see above). */
#define SPIN_TPR            0x60u
#define SPIN_IPI_VECTOR     0x50u   /* priority class 5, below the TPR's 6 */
#define SPIN_TIMER_VECTOR   0x40u
#define SPIN_TIMER_INITIAL  0x40000000u
#define SPIN_TIMER_DIVIDE   0x3u    /* DCR bits 3, 1:0 = 0, 11: divide by 16 */

/* The loop: returns the longest TSC step seen. */
static __attribute__((noinline)) uint64_t spin_loop(void)
{
	uint64_t start = rdtsc(), last = start, longest = 0, now;

	while ((now = rdtsc()) - start < (uint64_t)SPIN_TICKS) {
		if (now - last > longest)
			longest = now - last;
		last = now;
	}
	return longest;
}

/* Leave the LAPIC in the state described above; expects IF = 0. */
static void spin_lapic_state(void)
{
	lapic_open();
	lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, SPIN_TPR);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | LVT_MASKED |
				     SPIN_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_DIVIDE, SPIN_TIMER_DIVIDE);
	lapic_write(LAPIC_TIMER_INITIAL, SPIN_TIMER_INITIAL);
	lapic_self_ipi(SPIN_IPI_VECTOR);
}

void spin_console(void)
{
	uint64_t longest;

	__asm__ volatile("cli");
	spin_lapic_state();
	say("spin-console: spinning with interrupts off");
	longest = spin_loop();
	say("spin-console: done, longest TSC step %lu ticks (limit %lu)",
	    (unsigned long)longest, (unsigned long)SPIN_STEP_LIMIT);
	guest_exit(longest < SPIN_STEP_LIMIT);
}

/* What quiet.S's spin left. */
extern uint64_t quiet_longest;
extern uint32_t quiet_ran;

void quiet_console(void)
{
	if (!quiet_ran) {
		say("quiet-console: the spin at entry did not run");
		guest_exit(false);
	}
	say("quiet-console: done, longest TSC step %lu ticks (limit %lu)",
	    (unsigned long)quiet_longest, (unsigned long)SPIN_STEP_LIMIT);
	guest_exit(quiet_longest < SPIN_STEP_LIMIT);
}

void halt_console(void)
{
	say("halt-console: halting with interrupts off");
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * hv_stop: the one way the hypervisor ends.  Prints the verdict line the
 * tests look for, ends the emulator when test-exit asked for it, and halts.
 *
 * Re-entrancy: a fault or panic while stopping calls hv_stop again on the
 * same CPU.  That nested call prints nothing more (the verdict may be what
 * failed) and goes straight to the exit ports and the halt.  A second CPU
 * arriving while one is stopping just halts.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "drivers/console.h"
#include "drivers/emu_exit.h"
#include "drivers/fbcon.h"
#include "drivers/stop.h"
#include "lib/log.h"

#define STOP_NO_OWNER 0xffffffffu

static bool test_exit;
static uint32_t stop_owner = STOP_NO_OWNER;

/* Whether stopping ends the emulator through its exit ports (test-exit on
 * the command line) or just halts. */
void hv_stop_set_test_exit(bool enabled)
{
	test_exit = enabled;
}

/* Last step of every stop: drain the UART, end the emulator when test-exit
 * asked for it, else halt this CPU for good. */
static __attribute__((noreturn)) void stop_final(bool success)
{
	/* An emulator that ends now must not cut the verdict line short:
	 * the log ring and the guest's output go out first, waiting. */
	console_flush();
	if (test_exit)
		emu_exit(success);
	cpu_halt_forever();
}

/* Print the verdict once and stop, from any CPU, any context, with or
 * without interrupts.  The first CPU to get here owns the stop; a nested
 * call on that CPU (a fault while stopping) skips the verdict and fails, and
 * any other CPU just halts. */
void hv_stop(bool success, const char *reason)
{
	uint32_t me = this_cpu_id();
	uint32_t none = STOP_NO_OWNER;

	irq_disable();
	if (!__atomic_compare_exchange_n(&stop_owner, &none, me, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (none == me)
			stop_final(false);      /* nested: failed while stopping */
		cpu_halt_forever();             /* another CPU is stopping */
	}
	fbcon_reclaim();                /* the verdict is for the screen too */
	log_write(LOG_ALWAYS, "verdict: %s (%s)", success ? "PASS" : "FAIL",
		  reason ? reason : "no reason given");
	stop_final(success);
}

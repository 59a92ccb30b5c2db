/*
 * HLT with interrupts disabled (issue 10).  A CPU halted with RFLAGS.IF = 0
 * wakes only for an NMI (unless NMIs are blocked), INIT, SMI or a machine
 * check (Intel SDM Vol. 2, HLT; Vol. 3, "Interruptibility State").  The
 * hypervisor cannot know whether one will come: NMIs come from the
 * platform (LINT1, a watchdog) and from the guest's own virtual LAPIC
 * (self and performance-counter NMIs).  What it can say honestly is that no interrupt will wake the
 * guest, and whether an NMI still could.  So the first such HLT is
 * reported, and the command line decides (boot/config.h):
 * on-halt-disabled=wait (default) halts as the CPU would, =stop stops the
 * guest with a FAIL verdict instead of idling for ever.
 */
#include "arch/x86/cpu.h"
#include "boot/config.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/insn.h"
#include "lib/log.h"

#define HALT_DISABLED_STOP "guest halted with interrupts disabled " \
			   "(on-halt-disabled=stop)"

/* What could still wake a guest halted with IF = 0. */
static const char *wakers(void)
{
	if (vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE) & GUEST_INTR_STATE_NMI)
		return "NMIs blocked too: only INIT or SMI can wake it";
	return "only an NMI, INIT or SMI can wake it";
}

/* The guest executes HLT with RFLAGS.IF = 0 (e: the HLT exit).  The first
 * time per run it is reported; then EXIT_STOP_GUEST with the report and
 * the guest state when on-halt-disabled=stop, else EXIT_RESUME (the
 * caller halts the guest as usual). */
enum exit_action halt_with_interrupts_disabled(struct vcpu *v,
					       const struct vmexit *e)
{
	static bool reported;

	if (!reported)
		log_warn("vcpu%u: guest halted with interrupts disabled at rip "
			 "%#llx (%s; on-halt-disabled=%s)", v->id,
			 (unsigned long long)e->guest_rip, wakers(),
			 hv_config.halt_disabled_stop ? "stop" : "wait");
	reported = true;
	if (hv_config.halt_disabled_stop)
		return exit_fail(v, e, HALT_DISABLED_STOP);
	return EXIT_RESUME;
}

/*
 * The VM-entry rules of Intel SDM Vol. 3, "Checks on VMX Controls and
 * Host-State Area" and "Checks on the Guest State Area", as a pure
 * function over struct vmentry_state (see hv/vmcs/entry_check.h).  Each rule
 * is worded after the SDM.  Not covered: virtual-8086 guests (the segment
 * rules below assume RFLAGS.VM = 0), APIC virtualisation, posted
 * interrupts, PML, VM functions, SMM and the MSR load/store areas (this
 * hypervisor uses none of them), and PDPTEs of PAE guests.
 */
#include "hv/vmcs/entry_check_rules.h"

/* Check s against every rule the software check knows, control and host
 * rules first, then the guest's, calling report (when not NULL) once per
 * broken rule.  Pure: s may come from a VMCS or a unit test.  Returns the
 * number of broken rules. */
unsigned vmentry_check(const struct vmentry_state *s, vmentry_report_fn report,
		       void *ctx)
{
	struct checker c = { s, report, ctx, 0 };

	vmentry_check_ctls_host(&c);
	vmentry_check_guest(&c);
	return c.broken;
}

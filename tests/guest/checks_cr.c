/*
 * Control registers: bits the guest owns read back as written, and CPUID's
 * OSXSAVE mirrors CR4.OSXSAVE; CR4.VMXE cannot be set while VMX is hidden.
 *
 * Policy under the hypervisor: setting CR4.VMXE raises #GP (VMX is absent
 * from CPUID, so the bit is reserved), never a silent read-back of 0.
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

/* Write cr0 or cr4 (which = 0 or 4) with bit set/cleared and read back. */
static enum verdict toggle(struct check_result *r, int which, uint64_t bit,
			   const char *name)
{
	uint64_t saved = which ? read_cr4() : read_cr0();

	for (int pass = 0; pass < 2; pass++) {
		uint64_t want = (pass == 0) ? (saved ^ bit) : saved;
		int v = which ? probe_write_cr4(want) : probe_write_cr0(want);
		uint64_t got = which ? read_cr4() : read_cr0();
		if (v != NO_FAULT)
			return fail(r, "writing CR%d 0x%lx (%s %s) raised %s", which, want,
				    (want & bit) ? "set" : "clear", name, vector_name(v));
		if ((got & bit) != (want & bit))
			return fail(r, "CR%d.%s wrote %u, read back %u", which, name,
				    !!(want & bit), !!(got & bit));
	}
	return VERDICT_PASS;
}

static bool cpuid_osxsave(void)
{
	return cpuid(1, 0).ecx & CPUID_1_ECX_OSXSAVE;
}

/* With XSAVE: setting CR4.OSXSAVE shows in CPUID.1:ECX.OSXSAVE.  Without
 * XSAVE the bit is reserved, but the #GP is not tested: QEMU 7.2 TCG spins
 * for ever on that MOV to CR4. */
static enum verdict osxsave(struct check_result *r)
{
	uint64_t saved = read_cr4();

	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE))
		return VERDICT_PASS;
	int v = probe_write_cr4(saved | CR4_OSXSAVE);
	bool shown = cpuid_osxsave();
	write_cr4(saved & ~CR4_OSXSAVE);
	bool hidden = !cpuid_osxsave();
	write_cr4(saved);
	if (v != NO_FAULT)
		return fail(r, "setting CR4.OSXSAVE raised %s", vector_name(v));
	if (!shown || !hidden)
		return fail(r, "CPUID.1:ECX.OSXSAVE does not follow CR4.OSXSAVE "
			    "(set: %u, clear: %u)", shown, !hidden);
	return VERDICT_PASS;
}

enum verdict check_cr0_cr4(struct check_result *r)
{
	if (toggle(r, 0, CR0_WP, "WP") != VERDICT_PASS)
		return VERDICT_FAIL;
	if ((cpuid(1, 0).edx & CPUID_1_EDX_PGE) &&
	    toggle(r, 4, CR4_PGE, "PGE") != VERDICT_PASS)
		return VERDICT_FAIL;
	return osxsave(r);
}

enum verdict check_cr4_vmxe(struct check_result *r)
{
	bool vmx = cpuid(1, 0).ecx & CPUID_1_ECX_VMX;

	/* Bare without VMX the #GP is architectural, but QEMU 7.2 TCG spins
	 * for ever on a MOV to CR4 setting a bit it does not support. */
	if (!vmx && !guest_env.under_hv)
		return skip(r, "bare CPU without VMX: the reserved-bit #GP is "
			    "only exercised under the hypervisor");
	uint64_t saved = read_cr4();
	int v = probe_write_cr4(saved | CR4_VMXE);
	bool stuck = read_cr4() & CR4_VMXE;

	write_cr4(saved);
	if (vmx && !guest_env.under_hv)    /* bare VMX CPU: an ordinary bit */
		return v == NO_FAULT && stuck ? VERDICT_PASS :
			fail(r, "bare VMX CPU: setting CR4.VMXE gave %s, reads %u",
			     vector_name(v), stuck);
	if (v == VEC_GP)
		return VERDICT_PASS;
	return fail(r, "setting CR4.VMXE with VMX hidden gave %s (reads back %u), "
		    "expected #GP", vector_name(v), stuck);
}

/*
 * IA32_APIC_BASE checks (issue 9):
 *   lapic_xapic_relocate    the xAPIC window moved to RELOCATED_BASE: the
 *                           registers answer there (ID, version, a TPR
 *                           write) and no longer at the old base
 *   lapic_mode_transitions  the state changes of the SDM's "x2APIC State
 *                           Transitions" (EN = bit 11, EXTD = bit 10), in
 *                           the order xAPIC -> x2APIC -> disabled -> xAPIC:
 *                           those legal take effect; x2APIC -> xAPIC,
 *                           disabled -> x2APIC and EN=0/EXTD=1 from every
 *                           state raise #GP and leave the MSR as it was; so
 *                           do reserved bits (bit 9, a base above
 *                           MAXPHYADDR); x2APIC MSRs raise #GP outside
 *                           x2APIC mode; disabled clears CPUID.1:EDX.APIC;
 *                           leaving x2APIC through the disabled state
 *                           resets the APIC (SVR reads software-disabled).
 *                           Without x2APIC: EXTD=1 raises #GP, the rest is
 *                           not tried.
 * Bochs ignores every IA32_APIC_BASE write while the APIC is globally
 * disabled (no #GP, no effect: the P6's "only a reset re-enables it", which
 * the SDM's x2APIC state table replaced), so bare the steps out of the
 * disabled state are not judged and the run ends with the APIC disabled:
 * lapic_mode_transitions is the table's last LAPIC check, and nothing after
 * it uses the APIC.  Under the hypervisor (the virtual LAPIC) they are, and
 * the LAPIC is restored.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/lapic_checks.h"
#include "tests/guest/probe.h"

/* Above the LAPIC's and the MSI range (0xfee00000-0xfeefffff), below the
 * BIOS; nothing else claims it on Bochs's i440FX. */
#define RELOCATED_BASE      0xfef00000u
#define RELOCATED_TPR       0x3c
#define APIC_BASE_RESERVED_BIT9 (1ull << 9)

#define EN   APIC_BASE_ENABLE
#define EXTD APIC_BASE_X2APIC_ENABLE

/* ---- lapic_xapic_relocate -------------------------------------------------- */

static enum verdict relocate(struct check_result *r)
{
	volatile uint32_t *old = lapic_window();
	uint32_t id = lapic_read(LAPIC_ID), ver = lapic_read(LAPIC_VERSION);
	uint64_t base = rdmsr(IA32_APIC_BASE);
	uint64_t moved = (base & ~APIC_BASE_PAGE_MASK) | RELOCATED_BASE;
	int v;

	if ((v = probe_wrmsr(IA32_APIC_BASE, moved)) != NO_FAULT)
		return fail(r, "WRMSR IA32_APIC_BASE 0x%lx raised %s", moved,
			    vector_name(v));
	lapic_open();
	if ((uintptr_t)lapic_window() != RELOCATED_BASE)
		return fail(r, "IA32_APIC_BASE reads 0x%lx after the move",
			    rdmsr(IA32_APIC_BASE));
	if (lapic_read(LAPIC_ID) != id || lapic_read(LAPIC_VERSION) != ver)
		return fail(r, "at 0x%x: ID 0x%x version 0x%x, want 0x%x 0x%x",
			    RELOCATED_BASE, lapic_read(LAPIC_ID),
			    lapic_read(LAPIC_VERSION), id, ver);
	lapic_write(LAPIC_TPR, RELOCATED_TPR);
	uint32_t tpr = lapic_read(LAPIC_TPR);
	uint32_t old_tpr = old[LAPIC_TPR / sizeof(uint32_t)];
	lapic_write(LAPIC_TPR, 0);
	if (tpr != RELOCATED_TPR)
		return fail(r, "at 0x%x: TPR written 0x%x reads 0x%x",
			    RELOCATED_BASE, RELOCATED_TPR, tpr);
	if (old_tpr == RELOCATED_TPR)
		return fail(r, "the old base still shows the APIC's TPR");
	return VERDICT_PASS;
}
LAPIC_CHECK_IN_MODE(relocate, xapic, LAPIC_MODE_XAPIC)

/* ---- lapic_mode_transitions ------------------------------------------------- */

/* One WRMSR IA32_APIC_BASE: legal ones take effect, illegal ones raise #GP
 * and change nothing. */
static enum verdict step(struct check_result *r, uint64_t value, bool legal,
			 const char *what)
{
	uint64_t before = rdmsr(IA32_APIC_BASE), after;
	int v = probe_wrmsr(IA32_APIC_BASE, value);

	after = rdmsr(IA32_APIC_BASE);
	lapic_open();
	if (legal && (v != NO_FAULT || after != value))
		return fail(r, "%s (0x%lx -> 0x%lx): %s, reads 0x%lx", what,
			    before, value, vector_name(v), after);
	if (!legal && (v != VEC_GP || after != before))
		return fail(r, "%s (0x%lx -> 0x%lx): %s, reads 0x%lx; want #GP",
			    what, before, value, vector_name(v), after);
	return VERDICT_PASS;
}

/* An x2APIC register MSR raises #GP (outside x2APIC mode). */
static enum verdict x2apic_msr_gp(struct check_result *r, const char *state)
{
	uint64_t value;
	int v = lapic_probe_rdmsr(LAPIC_VERSION, &value);

	if (v != VEC_GP)
		return fail(r, "%s: RDMSR of the x2APIC version register: %s, "
			    "want #GP", state, vector_name(v));
	return VERDICT_PASS;
}

#define STEP(value, legal, what)                                              \
	do {                                                                  \
		if ((v = step(r, value, legal, what)) != VERDICT_PASS)        \
			return v;                                             \
	} while (0)

/* In xAPIC mode: the illegal writes, then xAPIC -> x2APIC (legal with
 * x2APIC, #GP without). */
static enum verdict from_xapic(struct check_result *r, uint64_t b, bool x2)
{
	enum verdict v;

	STEP(b | EXTD, false, "xAPIC -> EN=0 EXTD=1 (invalid)");
	STEP(b | APIC_BASE_RESERVED_BIT9 | EN, false, "reserved bit 9");
	STEP(b | EN | 1ull << cpu_maxphyaddr(), false,
	     "a base above MAXPHYADDR");
	if ((v = x2apic_msr_gp(r, "xAPIC mode")) != VERDICT_PASS)
		return v;
	STEP(b | EN | EXTD, x2, x2 ? "xAPIC -> x2APIC" :
				     "xAPIC -> x2APIC without x2APIC");
	return VERDICT_PASS;
}

/* In x2APIC mode: the illegal writes, then x2APIC -> disabled. */
static enum verdict from_x2apic(struct check_result *r, uint64_t b)
{
	enum verdict v;

	STEP(b | EN, false, "x2APIC -> xAPIC");
	STEP(b | EXTD, false, "x2APIC -> EN=0 EXTD=1 (invalid)");
	STEP(b | APIC_BASE_RESERVED_BIT9 | EN | EXTD, false, "reserved bit 9");
	STEP(b, true, "x2APIC -> disabled");
	if (cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC)
		return fail(r, "disabled: CPUID.1:EDX.APIC still set");
	return x2apic_msr_gp(r, "disabled");
}

/* In the disabled state (under the hypervisor only: see the file
 * comment): back to xAPIC, which resets the APIC. */
static enum verdict from_disabled(struct check_result *r, uint64_t b)
{
	enum verdict v;
	uint32_t svr;

	STEP(b | EN | EXTD, false, "disabled -> x2APIC");
	STEP(b | EXTD, false, "disabled -> EN=0 EXTD=1 (invalid)");
	STEP(b | EN, true, "disabled -> xAPIC");
	if ((svr = lapic_read(LAPIC_SVR)) & SVR_APIC_ENABLE)
		return fail(r, "after x2APIC -> disabled -> xAPIC SVR reads 0x%x "
			    "(software-enabled, not the reset state)", svr);
	return VERDICT_PASS;
}

/* xAPIC -> x2APIC -> disabled (-> xAPIC under the hypervisor), each
 * state's illegal writes on the way. */
static enum verdict mode_transitions(struct check_result *r)
{
	uint64_t b = rdmsr(IA32_APIC_BASE) & ~(EN | EXTD);
	bool x2 = lapic_has_x2apic();
	enum verdict v;

	lapic_open();
	if (lapic_mode() == LAPIC_MODE_XAPIC &&
	    (v = from_xapic(r, b, x2)) != VERDICT_PASS)
		return v;
	if (!x2)
		return VERDICT_PASS;
	if ((v = from_x2apic(r, b)) != VERDICT_PASS)
		return v;
	return guest_env.under_hv ? from_disabled(r, b) : VERDICT_PASS;
}

/* Not through lapic_run_in_mode: it starts in whichever mode the checks
 * before it left, and bare it ends with the APIC disabled. */
enum verdict check_lapic_mode_transitions(struct check_result *r)
{
	enum verdict v;

	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC))
		return skip(r, "no local APIC (CPUID.1:EDX.APIC clear)");
	lapic_save();
	v = mode_transitions(r);
	if (guest_env.under_hv)
		lapic_restore();
	return v;
}

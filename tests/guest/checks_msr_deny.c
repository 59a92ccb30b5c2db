/*
 * MSRs the hypervisor denies or virtualises (docs/vmx.md, "Intercepts"):
 *  - WRMSR IA32_APIC_BASE with a new base moves the virtual LAPIC's xAPIC
 *    window there, and back;
 *  - the PMU, PEBS, DS and Intel PT MSRs raise #GP, and CPUID hides them;
 *  - the MTRRs round-trip through the guest's own copy, and an invalid
 *    memory type raises #GP; a WT range over a page of the guest's RAM
 *    leaves the page working (the hypervisor logs the EPT's new type there,
 *    which tests/boot/55-bochs-guest.sh checks);
 *  - machine check shows no banks;
 *  - IA32_DEBUGCTL refuses the BTS bits.
 * Bare, the emulator's own MSRs answer: those parts are skipped.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/cpuid.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

#define APIC_BASE_MOVE       0x100000ull    /* 1 MiB away from the window */
#define XAPIC_ID_OFFSET      0x20
#define MTRR_SAMPLE_BASE     0x12340000ull  /* in the first 4 GiB */
#define MTRR_INVALID_TYPE    2              /* reserved memory type */
#define MCG_CAP_COUNT_MASK   0xffull
#define PAGE_BYTES           4096u
#define WT_PATTERN           0x5aa5c33cf00f9669ull

/* The page msr_mtrr_wt_range makes write-through. */
static volatile uint64_t wt_page[PAGE_BYTES / sizeof(uint64_t)]
	__attribute__((aligned(PAGE_BYTES)));

/* The xAPIC ID register in the window at base. */
static uint32_t window_id(uint64_t base)
{
	return *(volatile uint32_t *)(uintptr_t)((base & APIC_BASE_PAGE_MASK) +
						 XAPIC_ID_OFFSET);
}

/* Under the hypervisor (the virtual LAPIC owns IA32_APIC_BASE): the window
 * moves 1 MiB up, answers there with the same ID, and moves back. */
enum verdict check_msr_apic_base_move(struct check_result *r)
{
	uint64_t before, after;
	uint32_t id;
	int v;

	if (!guest_env.under_hv)
		return skip_bare(r);  /* the LAPIC checks relocate it bare */
	if ((v = probe_rdmsr(IA32_APIC_BASE, &before)) != NO_FAULT)
		return fail(r, "rdmsr IA32_APIC_BASE raised %s", vector_name(v));
	if (!(before & APIC_BASE_ENABLE) || (before & APIC_BASE_X2APIC_ENABLE))
		return skip(r, "not in xAPIC mode (IA32_APIC_BASE 0x%lx)", before);
	id = window_id(before);
	uint64_t moved = before + APIC_BASE_MOVE;
	if ((v = probe_wrmsr(IA32_APIC_BASE, moved)) != NO_FAULT)
		return fail(r, "wrmsr of a new base 0x%lx raised %s", moved,
			    vector_name(v));
	probe_rdmsr(IA32_APIC_BASE, &after);
	uint32_t moved_id = window_id(moved);
	v = probe_wrmsr(IA32_APIC_BASE, before);
	if (after != moved)
		return fail(r, "base reads 0x%lx after writing 0x%lx", after, moved);
	if (moved_id != id)
		return fail(r, "ID at the new window 0x%x, want 0x%x", moved_id, id);
	if (v != NO_FAULT || window_id(before) != id)
		return fail(r, "moving back raised %s or lost the ID", vector_name(v));
	return VERDICT_PASS;
}

static const struct {
	uint32_t msr;
	const char *name;
} trace_msrs[] = {
	{ IA32_PERF_GLOBAL_CTRL, "IA32_PERF_GLOBAL_CTRL" },
	{ IA32_RTIT_CTL, "IA32_RTIT_CTL" },
	{ IA32_RTIT_OUTPUT_BASE, "IA32_RTIT_OUTPUT_BASE" },
	{ IA32_DS_AREA, "IA32_DS_AREA" },
	{ IA32_PEBS_ENABLE, "IA32_PEBS_ENABLE" },
	{ IA32_PERFEVTSEL0, "IA32_PERFEVTSEL0" },
	{ IA32_PMC0, "IA32_PMC0" },
};

/* CPUID must not offer what the MSRs below refuse. */
static enum verdict cpuid_hides_trace(struct check_result *r)
{
	struct cpuid_regs l1 = cpuid(CPUID_LEAF_FEATURES, 0);
	uint32_t max = cpuid(0, 0).eax;

	if (l1.edx & CPUID_1_EDX_DS)
		return fail(r, "CPUID.1:EDX shows DS");
	if (l1.ecx & (CPUID_1_ECX_DTES64 | CPUID_1_ECX_DS_CPL | CPUID_1_ECX_PDCM))
		return fail(r, "CPUID.1:ECX shows DTES64, DS-CPL or PDCM (0x%x)", l1.ecx);
	if (max >= CPUID_LEAF_PERFMON && cpuid(CPUID_LEAF_PERFMON, 0).eax)
		return fail(r, "CPUID.0xA shows a PMU");
	if (max >= CPUID_LEAF_EXT_FEATURES &&
	    (cpuid(CPUID_LEAF_EXT_FEATURES, 0).ebx & CPUID_7_EBX_INTEL_PT))
		return fail(r, "CPUID.7:EBX shows Intel PT");
	return VERDICT_PASS;
}

enum verdict check_msr_trace_pmu_gp(struct check_result *r)
{
	const size_t n = sizeof(trace_msrs) / sizeof(trace_msrs[0]);
	uint64_t value;

	if (!guest_env.under_hv)
		return skip_bare(r);  /* the emulator may have them */
	if (cpuid_hides_trace(r) != VERDICT_PASS)
		return VERDICT_FAIL;
	for (size_t i = 0; i < n; i++) {
		int v = probe_rdmsr(trace_msrs[i].msr, &value);
		if (v != VEC_GP)
			return fail(r, "rdmsr %s: expected #GP, got %s", trace_msrs[i].name,
				    vector_name(v));
		v = probe_wrmsr(trace_msrs[i].msr, 0);
		if (v != VEC_GP)
			return fail(r, "wrmsr %s: expected #GP, got %s", trace_msrs[i].name,
				    vector_name(v));
	}
	return VERDICT_PASS;
}

/* Round trip through the last variable range, kept disabled (mask V
 * clear) so bare hardware memory types do not change either. */
enum verdict check_msr_mtrr_roundtrip(struct check_result *r)
{
	uint64_t cap, saved, got;
	int v;

	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_MTRR))
		return skip(r, "no MTRRs in CPUID");
	if ((v = probe_rdmsr(IA32_MTRRCAP, &cap)) != NO_FAULT)
		return fail(r, "rdmsr IA32_MTRRCAP raised %s", vector_name(v));
	if ((cap & MTRRCAP_VCNT_MASK) == 0)
		return skip(r, "MTRRCAP reports no variable ranges");
	uint32_t base = IA32_MTRR_PHYSBASE0 + 2 * (uint32_t)((cap & MTRRCAP_VCNT_MASK) - 1);
	uint64_t want = MTRR_SAMPLE_BASE | MEMTYPE_WT;
	probe_rdmsr(base, &saved);
	if ((v = probe_wrmsr(base, want)) != NO_FAULT)
		return fail(r, "wrmsr PHYSBASE 0x%x raised %s", base, vector_name(v));
	probe_rdmsr(base, &got);
	v = probe_wrmsr(base, MTRR_SAMPLE_BASE | MTRR_INVALID_TYPE);
	probe_wrmsr(base, saved);
	if (got != want)
		return fail(r, "PHYSBASE 0x%x: wrote 0x%lx, read 0x%lx", base, want, got);
	if (v != VEC_GP)
		return fail(r, "PHYSBASE 0x%x with type 2: expected #GP, got %s", base,
			    vector_name(v));
	if ((v = probe_wrmsr(IA32_MTRRCAP, cap)) != VEC_GP)
		return fail(r, "wrmsr IA32_MTRRCAP: expected #GP, got %s", vector_name(v));
	return VERDICT_PASS;
}

/* The last variable range, if unused, made WT over wt_page (4 KiB) while
 * the MTRRs are on, then restored: the page keeps its contents and takes
 * writes.  Under the hypervisor the EPT gives the page WT meanwhile (its
 * log line); bare, the emulator's MTRRs change for the same moment. */
enum verdict check_msr_mtrr_wt_range(struct check_result *r)
{
	uint64_t cap, def, base_saved, mask_saved, page = (uintptr_t)wt_page;
	uint64_t addr_mask = (1ull << cpu_maxphyaddr()) - 1;
	int v;

	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_MTRR))
		return skip(r, "no MTRRs in CPUID");
	if ((v = probe_rdmsr(IA32_MTRRCAP, &cap)) != NO_FAULT ||
	    (v = probe_rdmsr(IA32_MTRR_DEF_TYPE, &def)) != NO_FAULT)
		return fail(r, "rdmsr MTRRCAP/DEF_TYPE raised %s", vector_name(v));
	if ((cap & MTRRCAP_VCNT_MASK) == 0 || !(def & MTRR_DEF_TYPE_E))
		return skip(r, "no variable ranges, or MTRRs off");
	uint32_t base = IA32_MTRR_PHYSBASE0 + 2 * (uint32_t)((cap & MTRRCAP_VCNT_MASK) - 1);
	probe_rdmsr(base, &base_saved);
	probe_rdmsr(base + 1, &mask_saved);
	if (mask_saved & MTRR_PHYSMASK_VALID)
		return skip(r, "the last variable range is in use");
	wt_page[0] = WT_PATTERN;
	if ((v = probe_wrmsr(base, page | MEMTYPE_WT)) != NO_FAULT ||
	    (v = probe_wrmsr(base + 1, (~(uint64_t)(PAGE_BYTES - 1) & addr_mask) |
					  MTRR_PHYSMASK_VALID)) != NO_FAULT) {
		probe_wrmsr(base, base_saved);
		return fail(r, "wrmsr of a WT range at 0x%lx raised %s", page,
			    vector_name(v));
	}
	uint64_t kept = wt_page[0];
	wt_page[1] = ~WT_PATTERN;
	uint64_t written = wt_page[1];
	probe_wrmsr(base + 1, mask_saved);
	probe_wrmsr(base, base_saved);
	if (kept != WT_PATTERN || written != ~WT_PATTERN)
		return fail(r, "page 0x%lx under WT: read 0x%lx and 0x%lx", page,
			    kept, written);
	return VERDICT_PASS;
}

enum verdict check_msr_machine_check(struct check_result *r)
{
	uint64_t cap, value;
	int v;

	if (!guest_env.under_hv)
		return skip_bare(r);
	if ((v = probe_rdmsr(IA32_MCG_CAP, &cap)) != NO_FAULT)
		return fail(r, "rdmsr IA32_MCG_CAP raised %s", vector_name(v));
	if (cap & MCG_CAP_COUNT_MASK)
		return fail(r, "IA32_MCG_CAP 0x%lx reports banks", cap);
	if ((v = probe_rdmsr(IA32_MC0_STATUS, &value)) != VEC_GP)
		return fail(r, "rdmsr IA32_MC0_STATUS: expected #GP, got %s", vector_name(v));
	if ((v = probe_wrmsr(IA32_MC0_CTL, 0)) != VEC_GP)
		return fail(r, "wrmsr IA32_MC0_CTL: expected #GP, got %s", vector_name(v));
	if ((v = probe_wrmsr(IA32_MCG_STATUS, 0)) != NO_FAULT)
		return fail(r, "wrmsr IA32_MCG_STATUS 0 raised %s", vector_name(v));
	return VERDICT_PASS;
}

enum verdict check_msr_debugctl_bts_gp(struct check_result *r)
{
	uint64_t value;
	int v;

	if (!guest_env.under_hv)
		return skip_bare(r);
	v = probe_wrmsr(IA32_DEBUGCTL, DEBUGCTL_TR | DEBUGCTL_BTS);
	probe_rdmsr(IA32_DEBUGCTL, &value);
	if (v != VEC_GP)
		return fail(r, "wrmsr IA32_DEBUGCTL TR|BTS: expected #GP, got %s",
			    vector_name(v));
	if (value & (DEBUGCTL_TR | DEBUGCTL_BTS))
		return fail(r, "IA32_DEBUGCTL reads 0x%lx after the refusal", value);
	return VERDICT_PASS;
}

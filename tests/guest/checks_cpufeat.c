/*
 * CPU features a real machine may have and the hypervisor hides
 * (docs/cpu-features.md, hv/view/cpu_features.c): the guest's CPUID does
 * not report them, and what they would turn on behaves as on a CPU
 * without them: their CR4 bits and MSRs raise #GP, IA32_XSS refuses their
 * XSAVE components.  The CR4 and MSR parts judge only features CPUID does
 * not report, so they run bare on the emulator too.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/xsave.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

#define XSAVE_LEGACY_HEADER 576u    /* legacy region and XSAVE header */
#define XSAVE_LAST_COMPONENT 62u

enum reg { EAX, EBX, ECX, EDX };

/* One CPUID feature bit. */
struct feature_bit {
	uint32_t leaf, subleaf;
	enum reg reg;
	uint32_t bit;
	const char *name;
};

#define F7(reg, bit, name)   { CPUID_LEAF_EXT_FEATURES, 0, reg, bit, name }
#define F7_1(reg, bit, name) { CPUID_LEAF_EXT_FEATURES, 1, reg, bit, name }

/* Features the hypervisor hides (the FEATURE_HIDE rows). */
static const struct feature_bit hidden[] = {
	F7(ECX, CPUID_7_ECX_CET_SS, "CET_SS"), F7(EDX, CPUID_7_EDX_CET_IBT, "CET_IBT"),
	F7(ECX, CPUID_7_ECX_PKS, "PKS"), F7(EBX, CPUID_7_EBX_MPX, "MPX"),
	F7(EDX, CPUID_7_EDX_AMX_TILE, "AMX-TILE"), F7(EDX, CPUID_7_EDX_AMX_INT8, "AMX-INT8"),
	F7(EDX, CPUID_7_EDX_AMX_BF16, "AMX-BF16"), F7(EBX, CPUID_7_EBX_INTEL_PT, "PT"),
	F7(EDX, CPUID_7_EDX_ARCH_LBR, "ARCH_LBR"), F7(EDX, CPUID_7_EDX_TSX_FORCE_ABORT,
						       "TSX_FORCE_ABORT"),
	F7(EBX, CPUID_7_EBX_SGX, "SGX"), F7(ECX, CPUID_7_ECX_KL, "KL"),
	F7(ECX, CPUID_7_ECX_TME_EN, "TME"), F7(ECX, CPUID_7_ECX_ENQCMD, "ENQCMD"),
	F7(EDX, CPUID_7_EDX_UINTR, "UINTR"), F7(EBX, CPUID_7_EBX_RDT_M, "RDT-M"),
	F7(EBX, CPUID_7_EBX_RDT_A, "RDT-A"),
	F7(EDX, CPUID_7_EDX_CORE_CAPABILITIES, "CORE_CAPABILITIES"),
	F7_1(EAX, CPUID_7_1_EAX_FRED, "FRED"), F7_1(EAX, CPUID_7_1_EAX_LAM, "LAM"),
	F7_1(EAX, CPUID_7_1_EAX_HRESET, "HRESET"),
	F7_1(EAX, CPUID_7_1_EAX_AMX_FP16, "AMX-FP16"),
	{ CPUID_LEAF_XSAVE, 1, EAX, CPUID_D1_EAX_XFD, "XFD" },
};

static const struct feature_bit cet_ss = F7(ECX, CPUID_7_ECX_CET_SS, "CET_SS");
static const struct feature_bit cet_ibt = F7(EDX, CPUID_7_EDX_CET_IBT, "CET_IBT");
static const struct feature_bit pks = F7(ECX, CPUID_7_ECX_PKS, "PKS");
static const struct feature_bit kl = F7(ECX, CPUID_7_ECX_KL, "KL");
static const struct feature_bit uintr = F7(EDX, CPUID_7_EDX_UINTR, "UINTR");
static const struct feature_bit lam = F7_1(EAX, CPUID_7_1_EAX_LAM, "LAM");
static const struct feature_bit mpx = F7(EBX, CPUID_7_EBX_MPX, "MPX");
static const struct feature_bit xfd = { CPUID_LEAF_XSAVE, 1, EAX, CPUID_D1_EAX_XFD, "XFD" };
static const struct feature_bit enqcmd = F7(ECX, CPUID_7_ECX_ENQCMD, "ENQCMD");
static const struct feature_bit tfa = F7(EDX, CPUID_7_EDX_TSX_FORCE_ABORT, "TSX_FORCE_ABORT");
static const struct feature_bit core_caps = F7(EDX, CPUID_7_EDX_CORE_CAPABILITIES,
					       "CORE_CAPABILITIES");

/* The register of a CPUID result. */
static uint32_t reg_value(struct cpuid_regs r, enum reg reg)
{
	switch (reg) {
	case EAX: return r.eax;
	case EBX: return r.ebx;
	case ECX: return r.ecx;
	default:  return r.edx;
	}
}

/* True when CPUID reports f (its leaf must exist). */
static bool has(const struct feature_bit *f)
{
	if (cpuid(CPUID_LEAF_VENDOR, 0).eax < f->leaf)
		return false;
	if (f->leaf == CPUID_LEAF_EXT_FEATURES &&
	    cpuid(CPUID_LEAF_EXT_FEATURES, 0).eax < f->subleaf)
		return false;
	return reg_value(cpuid(f->leaf, f->subleaf), f->reg) & f->bit;
}

static bool has_xsave(void)
{
	return cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_XSAVE;
}

/* Sub-leaves of the components leaf 0xD does not report are zeros, and
 * ECX is the size the reported user components need. */
static enum verdict xsave_leaf_consistent(struct check_result *r)
{
	struct cpuid_regs d0 = cpuid(CPUID_LEAF_XSAVE, 0);
	struct cpuid_regs d1 = cpuid(CPUID_LEAF_XSAVE, 1);
	uint64_t xcr0 = ((uint64_t)d0.edx << 32) | d0.eax;
	uint64_t xss = ((uint64_t)d1.edx << 32) | d1.ecx;
	uint32_t size = XSAVE_LEGACY_HEADER;

	if (xcr0 & (XCR0_MPX | XCR0_AMX))
		return fail(r, "CPUID.(0DH,0) reports MPX or AMX components (0x%llx)",
			    (unsigned long long)xcr0);
	if (xss)
		return fail(r, "CPUID.(0DH,1):EDX:ECX reports supervisor components 0x%llx",
			    (unsigned long long)xss);
	for (uint32_t i = 2; i <= XSAVE_LAST_COMPONENT; i++) {
		struct cpuid_regs c = cpuid(CPUID_LEAF_XSAVE, i);

		if (!(xcr0 & (1ull << i))) {
			if (c.eax | c.ebx | c.ecx | c.edx)
				return fail(r, "CPUID.(0DH,%u) of an unreported component "
					    "is not zero", i);
		} else if (c.ebx + c.eax > size) {
			size = c.ebx + c.eax;
		}
	}
	if (d0.ecx != size)
		return fail(r, "CPUID.(0DH,0):ECX %u, the reported components need %u",
			    d0.ecx, size);
	return VERDICT_PASS;
}

/* Under the hypervisor: no hidden feature shows, and leaf 0xD agrees
 * with what is allowed.  Bare, the emulator has some (MPX). */
enum verdict check_cpuid_hidden_features(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (has(&hidden[i]))
			return fail(r, "CPUID reports %s", hidden[i].name);
	if (!has_xsave())
		return VERDICT_PASS;
	return xsave_leaf_consistent(r);
}

/* One CR4 bit and the features that would make it legal. */
struct cr4_case {
	uint64_t bit;
	const char *name;
	const struct feature_bit *a, *b;
};

/* CR4.bit when CPUID reports neither feature: #GP and not set.  1 when
 * judged, 0 when the CPU has the feature, -1 (with r filled) on failure. */
static int cr4_bit_refused(struct check_result *r, const struct cr4_case *c)
{
	if (has(c->a) || (c->b && has(c->b)))
		return 0;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	write_cr0(cr0 | CR0_WP);        /* CET's other precondition */
	int v = probe_write_cr4(cr4 | c->bit);
	bool stuck = read_cr4() & c->bit;

	write_cr4(cr4);
	write_cr0(cr0);
	if (v == VEC_GP && !stuck)
		return 1;
	fail(r, "setting CR4.%s without it in CPUID gave %s (reads back %u), "
	     "expected #GP", c->name, vector_name(v), stuck);
	return -1;
}

/* The CR4 bits of hidden features #GP.  Bare only on a VMX CPU (the
 * emulator): QEMU 7.2 TCG spins on a MOV to CR4 with a bit it lacks. */
enum verdict check_cr4_hidden_features_gp(struct check_result *r)
{
	const struct cr4_case cases[] = {
		{ CR4_CET, "CET", &cet_ss, &cet_ibt }, { CR4_PKS, "PKS", &pks, NULL },
		{ CR4_KL, "KL", &kl, NULL }, { CR4_UINTR, "UINTR", &uintr, NULL },
		{ CR4_LAM_SUP, "LAM_SUP", &lam, NULL },
	};
	int judged = 0;

	if (!guest_env.under_hv && !(cpuid(1, 0).ecx & CPUID_1_ECX_VMX))
		return skip(r, "bare CPU without VMX: MOV to CR4 with a reserved "
			    "bit is only exercised on the emulator");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = cr4_bit_refused(r, &cases[i]);

		if (got < 0)
			return VERDICT_FAIL;
		judged += got;
	}
	return judged ? VERDICT_PASS : skip(r, "the CPU has every feature");
}

/* One MSR and the feature that would make it exist. */
struct msr_case {
	uint32_t msr;
	const char *name;
	const struct feature_bit *a, *b;
};

/* RDMSR and WRMSR 0 of an MSR whose feature CPUID does not report: #GP.
 * 1 when judged, 0 when the CPU has the feature, -1 on failure. */
static int msr_refused(struct check_result *r, const struct msr_case *c)
{
	uint64_t value;

	if (has(c->a) || (c->b && has(c->b)))
		return 0;
	int v = probe_rdmsr(c->msr, &value);
	if (v != VEC_GP) {
		fail(r, "rdmsr %s (feature hidden): %s, expected #GP", c->name,
		     vector_name(v));
		return -1;
	}
	v = probe_wrmsr(c->msr, 0);
	if (v != VEC_GP) {
		fail(r, "wrmsr %s (feature hidden): %s, expected #GP", c->name,
		     vector_name(v));
		return -1;
	}
	return 1;
}

/* WRMSR IA32_XSS of each supervisor component CPUID.(0DH,1) does not
 * report: #GP, and IA32_XSS keeps its value (SDM, WRMSR to IA32_XSS).
 * Needs XSAVES (IA32_XSS).  Under the hypervisor only: bare Bochs 2.7
 * (corei7_skylake_x) takes CET_U although its CPUID does not report it
 * (measured), unlike the SDM's rule. */
static int xss_refused(struct check_result *r)
{
	const uint64_t bits[] = { XSS_PT, XSS_PASID, XSS_CET_U, XSS_CET_S,
				  XSS_HDC, XSS_UINTR, XSS_LBR, XSS_HWP };
	uint64_t saved, now;

	if (!guest_env.under_hv || !has_xsave() ||
	    !(cpuid(CPUID_LEAF_XSAVE, 1).eax & CPUID_D1_EAX_XSAVES) ||
	    probe_rdmsr(IA32_XSS, &saved) != NO_FAULT)
		return 0;
	uint64_t reported = ((uint64_t)cpuid(CPUID_LEAF_XSAVE, 1).edx << 32) |
			    cpuid(CPUID_LEAF_XSAVE, 1).ecx;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (reported & bits[i])
			continue;
		int v = probe_wrmsr(IA32_XSS, saved | bits[i]);
		probe_rdmsr(IA32_XSS, &now);
		if (v != VEC_GP || now != saved) {
			probe_wrmsr(IA32_XSS, saved);
			fail(r, "wrmsr IA32_XSS |= 0x%llx (unreported): %s, now 0x%llx",
			     (unsigned long long)bits[i], vector_name(v),
			     (unsigned long long)now);
			return -1;
		}
	}
	return 1;
}

/* The MSRs of hidden features #GP, and IA32_XSS refuses their components. */
enum verdict check_msr_hidden_features_gp(struct check_result *r)
{
	const struct msr_case cases[] = {
		{ IA32_U_CET, "IA32_U_CET", &cet_ss, &cet_ibt },
		{ IA32_S_CET, "IA32_S_CET", &cet_ss, &cet_ibt },
		{ IA32_PL0_SSP, "IA32_PL0_SSP", &cet_ss, NULL },
		{ IA32_INTERRUPT_SSP_TABLE_ADDR, "IA32_INTERRUPT_SSP_TABLE_ADDR",
		  &cet_ss, NULL },
		{ IA32_PKRS, "IA32_PKRS", &pks, NULL },
		{ IA32_XFD, "IA32_XFD", &xfd, NULL },
		{ IA32_BNDCFGS, "IA32_BNDCFGS", &mpx, NULL },
		{ IA32_PASID, "IA32_PASID", &enqcmd, NULL },
		{ MSR_TSX_FORCE_ABORT, "MSR_TSX_FORCE_ABORT", &tfa, NULL },
		{ IA32_CORE_CAPABILITIES, "IA32_CORE_CAPABILITIES", &core_caps, NULL },
	};
	int judged = 0, got;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = msr_refused(r, &cases[i]);
		if (got < 0)
			return VERDICT_FAIL;
		judged += got;
	}
	got = xss_refused(r);
	if (got < 0)
		return VERDICT_FAIL;
	return judged + got ? VERDICT_PASS : skip(r, "the CPU has every feature");
}

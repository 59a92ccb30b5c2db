/*
 * The decision for each CPU feature the guest might find on real hardware
 * (rules in hv/view/cpu_features.h; docs/cpu-features.md repeats the
 * reasons).
 */
#include "arch/x86/cpu.h"
#include "hv/view/cpu_features.h"
#include "hv/view/xcr0.h"
#include "lib/bits.h"

#define L1      CPUID_LEAF_FEATURES, 0
#define L7      CPUID_LEAF_EXT_FEATURES, 0
#define L7_1    CPUID_LEAF_EXT_FEATURES, 1
#define LD_1    CPUID_LEAF_XSAVE, 1
#define LX1     CPUID_EXT_FEATURES, 0

/* A row: name, leaf and subleaf, register, bits, rule, CR4 bits, XCR0
 * and XSS components, reason. */
#define ROW(name, leaf, reg, bits, rule, cr4, xcr0, xss, why) \
	{ name, leaf, reg, bits, rule, cr4, xcr0, xss, why }

const struct cpu_feature cpu_features[] = {
	/* ---- virtualized: the guest uses them directly ------------------ */
	ROW("AVX", L1, CPUID_ECX, CPUID_1_ECX_AVX, FEATURE_PASS, 0, XCR0_AVX, 0,
	    "register state only; XCR0 is the guest's (not switched, never used by the host)"),
	ROW("AVX-512", L7, CPUID_EBX, CPUID_7_EBX_AVX512F, FEATURE_PASS, 0,
	    XCR0_AVX512, 0,
	    "opmask and ZMM registers: guest state the host never touches"),
	ROW("PKU", L7, CPUID_ECX, CPUID_7_ECX_PKU, FEATURE_PASS, CR4_PKE,
	    XCR0_PKRU, 0,
	    "PKRU is XSAVE state; the host runs with CR4.PKE clear, so the guest's PKRU never applies to it"),
	ROW("TSX (HLE)", L7, CPUID_EBX, CPUID_7_EBX_HLE, FEATURE_PASS, 0, 0, 0,
	    "no state outside a transaction; TAA is covered by VERW before VM entry"),
	ROW("TSX (RTM)", L7, CPUID_EBX, CPUID_7_EBX_RTM, FEATURE_PASS, 0, 0, 0,
	    "as HLE; IA32_TSX_CTRL goes to the hardware and its CPUID-clear bit shows in the live CPUID"),
	ROW("IBRS/IBPB", L7, CPUID_EDX, CPUID_7_EDX_IBRS_IBPB, FEATURE_PASS, 0, 0, 0,
	    "IA32_SPEC_CTRL and IA32_PRED_CMD pass through"),
	ROW("STIBP", L7, CPUID_EDX, CPUID_7_EDX_STIBP, FEATURE_PASS, 0, 0, 0,
	    "a bit of IA32_SPEC_CTRL (passed through)"),
	ROW("L1D_FLUSH", L7, CPUID_EDX, CPUID_7_EDX_L1D_FLUSH, FEATURE_PASS, 0, 0, 0,
	    "IA32_FLUSH_CMD passes through (write-only command)"),
	ROW("ARCH_CAPABILITIES", L7, CPUID_EDX, CPUID_7_EDX_ARCH_CAPABILITIES,
	    FEATURE_PASS, 0, 0, 0,
	    "read-only MSR read from the hardware: the guest learns the real issues"),
	ROW("SSBD", L7, CPUID_EDX, CPUID_7_EDX_SSBD, FEATURE_PASS, 0, 0, 0,
	    "a bit of IA32_SPEC_CTRL (passed through)"),
	ROW("MD_CLEAR", L7, CPUID_EDX, CPUID_7_EDX_MD_CLEAR, FEATURE_PASS, 0, 0, 0,
	    "VERW clears buffers in the guest as on hardware"),

	/* ---- shown while their VMX control is on ------------------------ */
	ROW("RDTSCP", LX1, CPUID_EDX, CPUID_80000001_EDX_RDTSCP, FEATURE_IF_RDTSCP,
	    0, 0, 0, "#UD in the guest without \"enable RDTSCP\"; IA32_TSC_AUX passes through"),
	ROW("RDPID", L7, CPUID_ECX, CPUID_7_ECX_RDPID, FEATURE_IF_RDTSCP, 0, 0, 0,
	    "\"enable RDTSCP\" governs RDPID as well (#UD without it)"),
	ROW("INVPCID", L7, CPUID_EBX, CPUID_7_EBX_INVPCID, FEATURE_IF_INVPCID,
	    0, 0, 0, "#UD in the guest without \"enable INVPCID\""),
	ROW("XSAVES", LD_1, CPUID_EAX, CPUID_D1_EAX_XSAVES, FEATURE_IF_XSAVES,
	    0, 0, 0, "#UD in the guest without \"enable XSAVES/XRSTORS\""),

	/* ---- hidden: the guest finds a CPU without them ------------------ */
	ROW("CET shadow stacks", L7, CPUID_ECX, CPUID_7_ECX_CET_SS, FEATURE_HIDE,
	    CR4_CET, 0, XSS_CET_U | XSS_CET_S,
	    "IA32_U_CET/S_CET/PLn_SSP/INTERRUPT_SSP_TABLE_ADDR are denied and the VMCS does not load CET state"),
	ROW("CET IBT", L7, CPUID_EDX, CPUID_7_EDX_CET_IBT, FEATURE_HIDE, CR4_CET,
	    0, XSS_CET_U | XSS_CET_S, "as CET shadow stacks"),
	ROW("PKS", L7, CPUID_ECX, CPUID_7_ECX_PKS, FEATURE_HIDE, CR4_PKS, 0, 0,
	    "IA32_PKRS is denied and the VMCS does not load it"),
	ROW("MPX", L7, CPUID_EBX, CPUID_7_EBX_MPX, FEATURE_HIDE, 0, XCR0_MPX, 0,
	    "IA32_BNDCFGS is denied and not switched; Linux removed MPX"),
	ROW("AMX-TILE", L7, CPUID_EDX, CPUID_7_EDX_AMX_TILE, FEATURE_HIDE, 0,
	    XCR0_AMX, 0,
	    "8 KiB of state that Linux enables only with XFD, whose MSRs are denied"),
	ROW("AMX-INT8", L7, CPUID_EDX, CPUID_7_EDX_AMX_INT8, FEATURE_HIDE, 0,
	    XCR0_AMX, 0, "as AMX-TILE"),
	ROW("AMX-BF16", L7, CPUID_EDX, CPUID_7_EDX_AMX_BF16, FEATURE_HIDE, 0,
	    XCR0_AMX, 0, "as AMX-TILE"),
	ROW("AMX-FP16", L7_1, CPUID_EAX, CPUID_7_1_EAX_AMX_FP16, FEATURE_HIDE, 0,
	    XCR0_AMX, 0, "as AMX-TILE"),
	ROW("XFD", LD_1, CPUID_EAX, CPUID_D1_EAX_XFD, FEATURE_HIDE, 0, 0, 0,
	    "IA32_XFD and IA32_XFD_ERR are denied (only AMX uses them)"),
	ROW("Intel PT", L7, CPUID_EBX, CPUID_7_EBX_INTEL_PT, FEATURE_HIDE, 0, 0,
	    XSS_PT, "the RTIT MSRs are denied (trace output goes to physical addresses)"),
	ROW("Arch LBR", L7, CPUID_EDX, CPUID_7_EDX_ARCH_LBR, FEATURE_HIDE, 0, 0,
	    XSS_LBR, "the LBR MSRs are denied; there is no virtual PMU"),
	ROW("TSX_FORCE_ABORT", L7, CPUID_EDX, CPUID_7_EDX_TSX_FORCE_ABORT,
	    FEATURE_HIDE, 0, 0, 0,
	    "the MSR trades RTM against PMU counter 3; no virtual PMU, MSR denied"),
	ROW("SGX", L7, CPUID_EBX, CPUID_7_EBX_SGX, FEATURE_HIDE, 0, 0, 0,
	    "ENCLS exiting would be needed; leaf 0x12 reads zeros"),
	ROW("SGX_LC", L7, CPUID_ECX, CPUID_7_ECX_SGX_LC, FEATURE_HIDE, 0, 0, 0,
	    "as SGX"),
	ROW("WAITPKG", L7, CPUID_ECX, CPUID_7_ECX_WAITPKG, FEATURE_HIDE, 0, 0, 0,
	    "\"enable user wait and pause\" is off: UMWAIT/TPAUSE would #UD"),
	ROW("PCONFIG", L7, CPUID_EDX, CPUID_7_EDX_PCONFIG, FEATURE_HIDE, 0, 0, 0,
	    "platform key programming belongs to the host"),
	ROW("TME", L7, CPUID_ECX, CPUID_7_ECX_TME_EN, FEATURE_HIDE, 0, 0, 0,
	    "IA32_TME_* are denied (Linux reads them when this bit is set)"),
	ROW("Key Locker", L7, CPUID_ECX, CPUID_7_ECX_KL, FEATURE_HIDE, CR4_KL, 0, 0,
	    "LOADIWKEY exiting and the IWKey backup MSRs are not handled"),
	ROW("ENQCMD", L7, CPUID_ECX, CPUID_7_ECX_ENQCMD, FEATURE_HIDE, 0, 0,
	    XSS_PASID, "IA32_PASID is denied; no shared virtual memory for devices"),
	ROW("UINTR", L7, CPUID_EDX, CPUID_7_EDX_UINTR, FEATURE_HIDE, CR4_UINTR, 0,
	    XSS_UINTR, "the user-interrupt MSRs are denied"),
	ROW("RDT monitoring", L7, CPUID_EBX, CPUID_7_EBX_RDT_M, FEATURE_HIDE, 0, 0,
	    0, "IA32_PQR_ASSOC and IA32_QM_* are denied; leaf 0xF reads zeros"),
	ROW("RDT allocation", L7, CPUID_EBX, CPUID_7_EBX_RDT_A, FEATURE_HIDE, 0, 0,
	    0, "the cache/bandwidth masks are denied; leaf 0x10 reads zeros"),
	ROW("CORE_CAPABILITIES", L7, CPUID_EDX, CPUID_7_EDX_CORE_CAPABILITIES,
	    FEATURE_HIDE, 0, 0, 0,
	    "the MSR is denied; split-lock detection would change the host's IA32_TEST_CTRL"),
	ROW("HRESET", L7_1, CPUID_EAX, CPUID_7_1_EAX_HRESET, FEATURE_HIDE, 0, 0, 0,
	    "IA32_HRESET_ENABLE is denied; leaf 0x20 reads zeros"),
	ROW("LAM", L7_1, CPUID_EAX, CPUID_7_1_EAX_LAM, FEATURE_HIDE, CR4_LAM_SUP,
	    0, 0, "linear-address masking changes what the hypervisor's guest page walks see"),
	ROW("FRED", L7_1, CPUID_EAX, CPUID_7_1_EAX_FRED, FEATURE_HIDE, 0, 0, 0,
	    "the FRED MSRs are denied and the VMCS does not switch them"),
};
const size_t cpu_features_count = ARRAY_SIZE(cpu_features);

/* Register reg of r. */
static uint32_t *reg_of(struct cpuid_regs *r, enum cpuid_reg reg)
{
	switch (reg) {
	case CPUID_EAX: return &r->eax;
	case CPUID_EBX: return &r->ebx;
	case CPUID_ECX: return &r->ecx;
	default:        return &r->edx;
	}
}

/* Whether the guest with controls cfg sees f (see cpu_features.h). */
bool cpu_feature_shown(const struct cpu_feature *f,
		       const struct cpuid_guest_cfg *cfg)
{
	switch (f->rule) {
	case FEATURE_PASS:       return true;
	case FEATURE_IF_RDTSCP:  return cfg->rdtscp;
	case FEATURE_IF_INVPCID: return cfg->invpcid;
	case FEATURE_IF_XSAVES:  return cfg->xsaves;
	default:                 return false;
	}
}

/* Clear the bits of the rows for (leaf, subleaf) the guest does not see. */
void cpu_features_apply(const struct cpuid_guest_cfg *cfg, uint32_t leaf,
			uint32_t subleaf, struct cpuid_regs *r)
{
	for (size_t i = 0; i < cpu_features_count; i++) {
		const struct cpu_feature *f = &cpu_features[i];

		if (f->leaf == leaf && f->subleaf == subleaf &&
		    !cpu_feature_shown(f, cfg))
			*reg_of(r, f->reg) &= ~f->bits;
	}
}

/* CR4 bits of the hidden rows. */
uint64_t cpu_features_cr4_refused(void)
{
	uint64_t bits = 0;

	for (size_t i = 0; i < cpu_features_count; i++)
		if (cpu_features[i].rule == FEATURE_HIDE)
			bits |= cpu_features[i].cr4;
	return bits;
}

/* XCR0 and XSS components of the virtualized rows, but none that a hidden
 * row also names (AMX has several CPUID bits over one component pair). */
static void passed_components(uint64_t *xcr0, uint64_t *xss)
{
	uint64_t hidden_xcr0 = 0, hidden_xss = 0;

	*xcr0 = *xss = 0;
	for (size_t i = 0; i < cpu_features_count; i++) {
		const struct cpu_feature *f = &cpu_features[i];
		bool pass = f->rule == FEATURE_PASS;

		*(pass ? xcr0 : &hidden_xcr0) |= f->xcr0;
		*(pass ? xss : &hidden_xss) |= f->xss;
	}
	*xcr0 &= ~hidden_xcr0;
	*xss &= ~hidden_xss;
}

/* The legacy area and the virtualized rows' components, of those the
 * host has. */
uint64_t cpu_features_xcr0_allowed(uint64_t host)
{
	uint64_t xcr0, xss;

	passed_components(&xcr0, &xss);
	return host & (XCR0_LEGACY | xcr0);
}

/* The virtualized rows' supervisor components, of those the host has. */
uint64_t cpu_features_xss_allowed(uint64_t host)
{
	uint64_t xcr0, xss;

	passed_components(&xcr0, &xss);
	return host & xss;
}

/* The end of the last component of mask (components 0 and 1 live in the
 * legacy region). */
uint32_t xsave_standard_size(uint64_t mask, const struct xsave_component *layout,
			     uint32_t n)
{
	uint32_t size = XSAVE_LEGACY_HEADER_SIZE;

	for (uint32_t i = 2; i < n && i < XSAVE_COMPONENTS; i++) {
		uint32_t end = layout[i].offset + layout[i].size;

		if ((mask & BIT_ULL(i)) && end > size)
			size = end;
	}
	return size;
}

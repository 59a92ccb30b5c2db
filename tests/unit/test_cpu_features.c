/*
 * Tests of the CPU-feature decisions (hv/view/cpu_features.c) and of the
 * CPUID, CR4, XSAVE and MSR views that follow them, against recorded
 * CPUID leaves of real CPUs (cpuid_samples.h).
 */
#include "arch/x86/mce.h"
#include "arch/x86/msr.h"
#include "hv/view/cpu_features.h"
#include "hv/view/cpuid.h"
#include "hv/view/cr.h"
#include "hv/view/msr_policy.h"
#include "hv/view/xcr0.h"
#include "hv/vmx/ctls.h"
#include "hv/vmx/ctls_bits.h"
#include "tests/unit/cpuid_samples.h"
#include "tests/unit/test.h"
#include "tests/unit/vmx_msr_samples.h"

#define SAMPLE_LEN(s) (sizeof(s) / sizeof((s)[0]))

/* Every VMX control on, as on a CPU that allows them all. */
static const struct cpuid_guest_cfg controls_on = {
	.rdtscp = true, .invpcid = true, .xsaves = true,
};

/* The recorded result of (leaf, subleaf); zeros when not recorded. */
static struct cpuid_regs sample_of(const struct cpuid_sample *s, size_t n,
				   uint32_t leaf, uint32_t subleaf)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].leaf == leaf && s[i].subleaf == subleaf)
			return s[i].r;
	return (struct cpuid_regs){ 0 };
}

/* The guest's view of a recorded leaf, with the XSAVE policy the
 * hypervisor would compute from the same record (hv/view/xsave_policy.c). */
static struct cpuid_regs guest_of(const struct cpuid_sample *s, size_t n,
				  uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs d0 = sample_of(s, n, CPUID_LEAF_XSAVE, 0);
	struct cpuid_regs d1 = sample_of(s, n, CPUID_LEAF_XSAVE, 1);
	struct xsave_component layout[XSAVE_COMPONENTS] = { { 0, 0 } };
	struct cpuid_guest_cfg cfg = controls_on;
	struct cpuid_regs r = sample_of(s, n, leaf, subleaf);

	cfg.xcr0_allowed = cpu_features_xcr0_allowed(((uint64_t)d0.edx << 32) | d0.eax);
	cfg.xss_allowed = cpu_features_xss_allowed(((uint64_t)d1.edx << 32) | d1.ecx);
	for (uint32_t i = 2; i < XSAVE_COMPONENTS; i++) {
		struct cpuid_regs c = sample_of(s, n, CPUID_LEAF_XSAVE, i);

		layout[i] = (struct xsave_component){ c.eax, c.ebx };
	}
	cfg.xsave_size = xsave_standard_size(cfg.xcr0_allowed, layout,
					     XSAVE_COMPONENTS);
	cpuid_guest_view(&cfg, leaf, subleaf, &r);
	return r;
}

TEST(cpu_features_rows_are_decided_and_applied)
{
	for (size_t i = 0; i < cpu_features_count; i++) {
		const struct cpu_feature *f = &cpu_features[i];

		CHECK(f->name && f->name[0] && f->why && f->why[0]);
		CHECK(f->bits != 0);
		/* The view must run for the row's leaf, or the row is dead. */
		CHECK(!cpuid_leaf_is_host(f->leaf));
		CHECK(f->rule <= FEATURE_IF_XSAVES);
		if (f->rule == FEATURE_HIDE) {
			CHECK((f->cr4 & cpu_features_cr4_refused()) == f->cr4);
			CHECK((f->xcr0 & cpu_features_xcr0_allowed(~0ull)) == 0);
			CHECK((f->xss & cpu_features_xss_allowed(~0ull)) == 0);
		} else {
			CHECK((f->cr4 & cpu_features_cr4_refused()) == 0);
		}
	}
}

TEST(cpu_features_cr4_and_xsave_sets)
{
	CHECK_EQ(cpu_features_cr4_refused(),
		 CR4_CET | CR4_PKS | CR4_KL | CR4_UINTR | CR4_LAM_SUP);
	/* Legacy, AVX, AVX-512 and PKRU; never MPX, AMX or an unknown bit. */
	CHECK_EQ(cpu_features_xcr0_allowed(~0ull),
		 XCR0_LEGACY | XCR0_AVX | XCR0_AVX512 | XCR0_PKRU);
	/* No supervisor component is virtualized (PT, CET, LBR, ...). */
	CHECK_EQ(cpu_features_xss_allowed(~0ull), 0);
}

TEST(cpu_features_tigerlake_leaf7)
{
	const struct cpuid_sample *s = tigerlake_i5_1135g7;
	size_t n = SAMPLE_LEN(tigerlake_i5_1135g7);
	struct cpuid_regs r = guest_of(s, n, CPUID_LEAF_EXT_FEATURES, 0);

	/* EBX: Intel PT (25) and RDT allocation (15) go; AVX-512 stays. */
	CHECK_EQ(r.ebx, 0xf1bf27eb);
	/* ECX: CET shadow stacks (7) and Key Locker (23) go; PKU and RDPID stay. */
	CHECK_EQ(r.ecx, 0x18405f4e);
	/* EDX: CET IBT (20) and CORE_CAPABILITIES (30) go; the speculation
	 * controls stay. */
	CHECK_EQ(r.edx, 0xbc000510);
	r = guest_of(s, n, CPUID_LEAF_KEY_LOCKER, 0);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

TEST(cpu_features_tigerlake_xsave_leaf)
{
	const struct cpuid_sample *s = tigerlake_i5_1135g7;
	size_t n = SAMPLE_LEN(tigerlake_i5_1135g7);
	struct cpuid_regs r = guest_of(s, n, CPUID_LEAF_XSAVE, 0);

	/* Every user component of this CPU is virtualized: the host's
	 * values, the size from the sub-leaves equal to the recorded one. */
	CHECK_EQ(r.eax, 0x2e7);
	CHECK_EQ(r.ecx, 0xa88);
	r = guest_of(s, n, CPUID_LEAF_XSAVE, 1);
	CHECK_EQ(r.eax, 0xf);           /* XSAVEOPT, XSAVEC, XGETBV1, XSAVES */
	CHECK_EQ(r.ecx, 0);             /* PT, CET_U, CET_S, HDC hidden */
	for (uint32_t i = 8; i <= 13; i++) {
		r = guest_of(s, n, CPUID_LEAF_XSAVE, i);
		if (i == 9)
			CHECK_EQ(r.eax, 8);     /* PKRU stays */
		else
			CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

TEST(cpu_features_skylake_tsx_kept_mpx_hidden)
{
	const struct cpuid_sample *s = skylake_506e3;
	size_t n = SAMPLE_LEN(skylake_506e3);
	struct cpuid_regs r = guest_of(s, n, CPUID_LEAF_EXT_FEATURES, 0);

	/* HLE (4) and RTM (11) stay; MPX (14) and Intel PT (25) go. */
	CHECK_EQ(r.ebx, 0x009c2fbb);
	r = guest_of(s, n, CPUID_LEAF_XSAVE, 0);
	CHECK_EQ(r.eax, 0x7);
	/* Without the MPX components the area ends with AVX: 0x240 + 0x100. */
	CHECK_EQ(r.ecx, 0x340);
	for (uint32_t i = 3; i <= 4; i++) {
		r = guest_of(s, n, CPUID_LEAF_XSAVE, i);
		CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	r = guest_of(s, n, CPUID_LEAF_XSAVE, 1);
	CHECK_EQ(r.ecx, 0);             /* XSS: PT hidden */
}

TEST(cpu_features_rdpid_follows_rdtscp_control)
{
	struct cpuid_guest_cfg off = { 0 };
	struct cpuid_regs r = sample_of(tigerlake_i5_1135g7,
					SAMPLE_LEN(tigerlake_i5_1135g7),
					CPUID_LEAF_EXT_FEATURES, 0);

	cpuid_guest_view(&off, CPUID_LEAF_EXT_FEATURES, 0, &r);
	CHECK_EQ(r.ecx & CPUID_7_ECX_RDPID, 0);
	CHECK_EQ(r.ebx & CPUID_7_EBX_INVPCID, 0);
	r = sample_of(tigerlake_i5_1135g7, SAMPLE_LEN(tigerlake_i5_1135g7),
		      CPUID_EXT_FEATURES, 0);
	cpuid_guest_view(&off, CPUID_EXT_FEATURES, 0, &r);
	CHECK_EQ(r.edx & CPUID_80000001_EDX_RDTSCP, 0);
}

TEST(cpu_features_hidden_leaves_read_zero)
{
	const uint32_t leaves[] = {
		CPUID_LEAF_RDT_MONITOR, CPUID_LEAF_RDT_ALLOC, CPUID_LEAF_KEY_LOCKER,
		CPUID_LEAF_PCONFIG, CPUID_LEAF_ARCH_LBR, CPUID_LEAF_TILE,
		CPUID_LEAF_TMUL, CPUID_LEAF_HRESET,
	};

	for (size_t i = 0; i < SAMPLE_LEN(leaves); i++) {
		struct cpuid_regs r = { 1, 2, 3, 4 };

		CHECK(!cpuid_leaf_is_host(leaves[i]));
		cpuid_guest_view(&controls_on, leaves[i], 0, &r);
		CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
}

TEST(cpu_features_leaf7_subleaf1)
{
	struct cpuid_regs r = { CPUID_7_1_EAX_FRED | CPUID_7_1_EAX_LAM |
				CPUID_7_1_EAX_HRESET | CPUID_7_1_EAX_AMX_FP16 |
				(1u << 4) /* AVX-VNNI */, 0, 0, 0 };

	cpuid_guest_view(&controls_on, CPUID_LEAF_EXT_FEATURES, 1, &r);
	CHECK_EQ(r.eax, 1u << 4);
}

/* A CPU whose VMX allows PKE, Key Locker, CET and PKS in CR4 (the
 * i7-9750H's fixed bits with those added, as a Tiger Lake or Sapphire
 * Rapids part reports them): the guest may not set the hidden ones, they
 * become host-owned, and PKE stays the guest's. */
TEST(cpu_features_cr4_bits_refused)
{
	const struct vmx_msrs *m = &real_coffeelake_i7_9750h;
	uint64_t fixed1 = m->cr4_fixed1 | CR4_PKE | CR4_CET | CR4_PKS | CR4_KL;
	struct guest_cr_policy p = guest_cr_policy_make(
		m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0,
		fixed1 & ~cpu_features_cr4_refused(), true);

	CHECK((p.cr4_must_be_zero & (CR4_CET | CR4_PKS | CR4_KL)) ==
	      (CR4_CET | CR4_PKS | CR4_KL));
	CHECK((p.cr4_mask & (CR4_CET | CR4_PKS)) == (CR4_CET | CR4_PKS));
	CHECK_EQ(p.cr4_must_be_zero & CR4_PKE, 0);
	CHECK_EQ(p.cr4_mask & CR4_PKE, 0);
	CHECK_EQ(guest_cr4_real(&p, CR4_PAE | CR4_CET) & CR4_CET, 0);
}

/* CR4.FRED (bit 32) on a CPU that allows it in VMX operation: host-owned
 * and must-be-zero, like every bit above 31. */
TEST(cpu_features_cr4_high_bits_host_owned)
{
	const struct vmx_msrs *m = &real_coffeelake_i7_9750h;
	const uint64_t cr4_fred = 1ull << 32;
	struct guest_cr_policy p = guest_cr_policy_make(
		m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0,
		m->cr4_fixed1 | cr4_fred, true);

	CHECK(p.cr4_must_be_zero & cr4_fred);
	CHECK((p.cr4_mask >> 32) == 0xffffffffull);
	CHECK_EQ(guest_cr4_real(&p, CR4_PAE | cr4_fred), CR4_PAE | CR4_VMXE);
	CHECK_EQ(guest_cr4_shadow(CR4_PAE | cr4_fred), CR4_PAE);
}

/* Whatever a CPU allows, the VMCS never switches CET, PKRS or BNDCFGS:
 * their features are hidden, so the guest's values are the host's. */
TEST(cpu_features_vmcs_never_loads_hidden_state)
{
	struct vmx_msrs m = real_coffeelake_i7_9750h;
	struct vmx_caps c;
	struct vmx_controls out;
	char err[256];

	m.true_exit_ctls |= 0xffffffffull << 32;
	m.true_entry_ctls |= 0xffffffffull << 32;
	vmx_caps_decode(&m, &c);
	CHECK(vmx_ctls_compute(&c, &(struct vmx_ctls_request){ .apicv = false },
			       &out, err, sizeof(err)));
	CHECK_EQ(out.word[EXIT_CTLS] & (EXIT_CTLS_LOAD_CET_STATE |
					EXIT_CTLS_LOAD_PKRS), 0);
	CHECK_EQ(out.word[ENTRY_CTLS] & (ENTRY_CTLS_LOAD_CET_STATE |
					 ENTRY_CTLS_LOAD_PKRS |
					 ENTRY_CTLS_LOAD_BNDCFGS), 0);
}

/* The MSRs of hidden features are default-denied in both directions and
 * never pass through. */
TEST(cpu_features_hidden_msrs_denied)
{
	const uint32_t msrs[] = {
		IA32_U_CET, IA32_S_CET, IA32_PL0_SSP, IA32_PL3_SSP,
		IA32_INTERRUPT_SSP_TABLE_ADDR, IA32_PKRS, IA32_XFD, IA32_XFD_ERR,
		IA32_BNDCFGS, IA32_PASID, MSR_TSX_FORCE_ABORT,
		IA32_CORE_CAPABILITIES,
	};
	const struct msr_features all = { true, true, true, true };

	for (size_t i = 0; i < SAMPLE_LEN(msrs); i++) {
		for (int w = 0; w < 2; w++) {
			CHECK_EQ(msr_route_of(msrs[i], w, true), MSR_ROUTE_DENY);
			CHECK(!msr_passes_through(&all, msrs[i], w));
		}
	}
}

/* The MSRs of virtualized features go where the docs say. */
TEST(cpu_features_virtualized_msr_routes)
{
	const struct msr_features all = { true, true, true, true };

	CHECK_EQ(msr_route_of(IA32_XSS, true, true), MSR_ROUTE_XSS);
	CHECK_EQ(msr_route_of(IA32_TSX_CTRL, true, true), MSR_ROUTE_HARDWARE);
	CHECK_EQ(msr_route_of(IA32_BIOS_SIGN_ID, false, true), MSR_ROUTE_HARDWARE);
	CHECK_EQ(msr_route_of(IA32_BIOS_UPDT_TRIG, true, true),
		 MSR_ROUTE_BIOS_UPDT_TRIG);
	CHECK(msr_passes_through(&all, IA32_TSC_AUX, true));
	CHECK(msr_passes_through(&all, IA32_SPEC_CTRL, true));
	CHECK(msr_passes_through(&all, IA32_PRED_CMD, true));
	CHECK(msr_passes_through(&all, IA32_FLUSH_CMD, true));
	CHECK(!msr_passes_through(&all, IA32_ARCH_CAPABILITIES, false));
	CHECK_EQ(msr_route_of(IA32_ARCH_CAPABILITIES, false, true),
		 MSR_ROUTE_HARDWARE);
}

TEST(cpu_features_xsave_standard_size)
{
	const struct xsave_component layout[8] = {
		[2] = { 0x100, 0x240 }, [3] = { 0x40, 0x3c0 },
		[5] = { 0x40, 0x440 }, [7] = { 0x400, 0x680 },
	};

	CHECK_EQ(xsave_standard_size(XCR0_LEGACY, layout, 8), 576);
	CHECK_EQ(xsave_standard_size(XCR0_LEGACY | XCR0_AVX, layout, 8), 0x340);
	CHECK_EQ(xsave_standard_size(0xff, layout, 8), 0xa80);
	/* A component the mask leaves out does not count, wherever it is. */
	CHECK_EQ(xsave_standard_size(0x27, layout, 8), 0x480);
}

/* The flags a root-mode machine check's report names (arch/x86/mce.h). */
TEST(mce_status_flags_named)
{
	char out[40];

	mce_status_flags(MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_EN |
			 MCI_STATUS_ADDRV | MCI_STATUS_PCC | 0x0150, out,
			 sizeof(out));
	CHECK_STR(out, "VAL UC EN ADDRV PCC");
	mce_status_flags(0, out, sizeof(out));
	CHECK_STR(out, "");
	mce_status_flags(MCI_STATUS_VAL | MCI_STATUS_OVER, out, 6);
	CHECK_STR(out, "VAL O");
}

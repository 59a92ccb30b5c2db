/* Tests of the pure exit-handling policies: the guest's CPUID
 * (hv/view/cpuid.c), XSETBV checks (hv/view/xcr0.h), MSR routing
 * (hv/view/msr_policy.h) and event-injection choices (hv/vcpu/event_queue.h). */
#include "hv/view/cpuid.h"
#include "hv/vcpu/event_queue.h"
#include "hv/exit/hypercall.h"
#include "hv/view/msr_policy.h"
#include "hv/view/xcr0.h"
#include "tests/unit/test.h"

static const struct cpuid_guest_cfg all_on = {
	.rdtscp = true, .invpcid = true, .xsaves = true,
	.cr4_osxsave = false, .cr4_pke = false,
};

TEST(cpuid_leaf1_hides_vmx_sets_hypervisor)
{
	/* Skylake-X-like leaf 1 ECX: VMX, SMX, MONITOR, XSAVE, host OSXSAVE. */
	struct cpuid_regs r = { 0x50654, 0x100800, 0x7ffefbff, 0xbfebfbff };
	struct cpuid_guest_cfg cfg = all_on;

	cfg.cr4_osxsave = true;
	cpuid_guest_view(&cfg, 1, 0, &r);
	CHECK(r.ecx & CPUID_1_ECX_HYPERVISOR);
	CHECK(!(r.ecx & CPUID_1_ECX_VMX));
	CHECK(!(r.ecx & CPUID_1_ECX_SMX));
	CHECK(!(r.ecx & CPUID_1_ECX_MONITOR));
	CHECK(r.ecx & CPUID_1_ECX_OSXSAVE);
	CHECK(r.ecx & CPUID_1_ECX_XSAVE);
	CHECK_EQ(r.eax, 0x50654);
	CHECK_EQ(r.edx, 0xbfebfbff & ~CPUID_1_EDX_DS);   /* DS hidden */
	CHECK(!(r.ecx & (CPUID_1_ECX_DTES64 | CPUID_1_ECX_DS_CPL |
			 CPUID_1_ECX_PDCM)));

	r = (struct cpuid_regs){ 0x50654, 0, CPUID_1_ECX_OSXSAVE, 0 };
	cfg.cr4_osxsave = false;
	cpuid_guest_view(&cfg, 1, 0, &r);
	CHECK(!(r.ecx & CPUID_1_ECX_OSXSAVE));
}

TEST(cpuid_leaf1_apic_bit_follows_global_enable)
{
	struct cpuid_regs r = { 0x50654, 0, 0, CPUID_1_EDX_APIC };
	struct cpuid_guest_cfg cfg = all_on;

	cpuid_guest_view(&cfg, 1, 0, &r);
	CHECK(r.edx & CPUID_1_EDX_APIC);
	cfg.apic_disabled = true;
	cpuid_guest_view(&cfg, 1, 0, &r);
	CHECK(!(r.edx & CPUID_1_EDX_APIC));
}

TEST(cpuid_hypervisor_leaves)
{
	struct cpuid_regs r = { 1, 2, 3, 4 };
	char sig[13] = { 0 };

	cpuid_guest_view(&all_on, HV_CPUID_SIGNATURE_LEAF, 0, &r);
	CHECK_EQ(r.eax, HV_CPUID_MAX_LEAF);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	CHECK_STR(sig, HV_CPUID_SIGNATURE);

	r = (struct cpuid_regs){ 1, 2, 3, 4 };
	cpuid_guest_view(&all_on, HV_CPUID_FEATURES_LEAF, 0, &r);
	CHECK_EQ(r.eax, HV_FEATURE_HYPERCALLS | HV_FEATURE_EXIT_STATS | HV_FEATURE_TEST_EXIT);
	CHECK_EQ(r.ebx | r.ecx | r.edx, 0);

	r = (struct cpuid_regs){ 1, 2, 3, 4 };
	cpuid_guest_view(&all_on, 0x40000002, 0, &r);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = (struct cpuid_regs){ 1, 2, 3, 4 };
	cpuid_guest_view(&all_on, 0x4fffffff, 0, &r);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

TEST(cpuid_hides_disabled_features)
{
	struct cpuid_guest_cfg off = { 0 };
	struct cpuid_regs r = { 0, CPUID_7_EBX_INVPCID | CPUID_7_EBX_SGX | 1,
				CPUID_7_ECX_WAITPKG | CPUID_7_ECX_PKU | CPUID_7_ECX_OSPKE,
				CPUID_7_EDX_PCONFIG };

	cpuid_guest_view(&off, 7, 0, &r);
	CHECK_EQ(r.ebx, 1);
	CHECK_EQ(r.ecx, CPUID_7_ECX_PKU);
	CHECK_EQ(r.edx, 0);

	r = (struct cpuid_regs){ 0, CPUID_7_EBX_INVPCID, CPUID_7_ECX_PKU, 0 };
	struct cpuid_guest_cfg pke = all_on;
	pke.cr4_pke = true;
	cpuid_guest_view(&pke, 7, 0, &r);
	CHECK(r.ebx & CPUID_7_EBX_INVPCID);
	CHECK(r.ecx & CPUID_7_ECX_OSPKE);

	r = (struct cpuid_regs){ 0xf, 0, 0, 0 };
	cpuid_guest_view(&off, 0xd, 1, &r);
	CHECK_EQ(r.eax, 0xf & ~CPUID_D1_EAX_XSAVES);
	r = (struct cpuid_regs){ 0xf, 0, 0, 0 };
	cpuid_guest_view(&all_on, 0xd, 1, &r);
	CHECK_EQ(r.eax, 0xf);

	r = (struct cpuid_regs){ 0, 0, 0x121, 0x2c100800 };
	cpuid_guest_view(&off, CPUID_EXT_FEATURES, 0, &r);
	CHECK_EQ(r.edx, 0x2c100800 & ~CPUID_80000001_EDX_RDTSCP);
	CHECK_EQ(r.ecx, 0x121);

	r = (struct cpuid_regs){ 0x7300403, 1, 2, 3 };
	cpuid_guest_view(&all_on, CPUID_LEAF_PERFMON, 0, &r);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* Leaf 6 keeps only ARAT; CET is hidden with its MSRs denied. */
TEST(cpuid_hides_power_and_cet)
{
	struct cpuid_regs r = { 0x77 | CPUID_6_EAX_ARAT | (1u << 7), 2, 9, 4 };

	CHECK(!cpuid_leaf_is_host(CPUID_LEAF_THERMAL_POWER));
	cpuid_guest_view(&all_on, CPUID_LEAF_THERMAL_POWER, 0, &r);
	CHECK_EQ(r.eax, CPUID_6_EAX_ARAT);
	CHECK_EQ(r.ebx | r.ecx | r.edx, 0);
	r = (struct cpuid_regs){ 0, 0, CPUID_7_ECX_CET_SS | CPUID_7_ECX_PKU,
				 CPUID_7_EDX_CET_IBT | 1 };
	cpuid_guest_view(&all_on, 7, 0, &r);
	CHECK_EQ(r.ecx, CPUID_7_ECX_PKU);
	CHECK_EQ(r.edx, 1);
}

/* Intel PT: leaf 7 bit and leaf 0x14 gone; the trace MSRs #GP. */
TEST(cpuid_hides_intel_pt)
{
	struct cpuid_regs r = { 0, CPUID_7_EBX_INTEL_PT | 1, 0, 0 };

	CHECK(!cpuid_leaf_is_host(CPUID_LEAF_PT));
	cpuid_guest_view(&all_on, 7, 0, &r);
	CHECK_EQ(r.ebx, 1);
	r = (struct cpuid_regs){ 1, 0xf, 7, 0 };
	cpuid_guest_view(&all_on, CPUID_LEAF_PT, 0, &r);
	CHECK_EQ(r.eax | r.ebx | r.ecx | r.edx, 0);
}

TEST(xsetbv_rules)
{
	const uint64_t sup = XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512;

	CHECK(xsetbv_valid(0, XCR0_X87, sup));
	CHECK(xsetbv_valid(0, XCR0_X87 | XCR0_SSE, sup));
	CHECK(xsetbv_valid(0, XCR0_X87 | XCR0_SSE | XCR0_AVX, sup));
	CHECK(xsetbv_valid(0, sup, sup));
	CHECK(!xsetbv_valid(1, XCR0_X87, sup));             /* only XCR0 */
	CHECK(!xsetbv_valid(0, XCR0_SSE, sup));             /* x87 must be set */
	CHECK(!xsetbv_valid(0, 0, sup));
	CHECK(!xsetbv_valid(0, XCR0_X87 | XCR0_AVX, sup));  /* AVX needs SSE */
	CHECK(!xsetbv_valid(0, XCR0_X87 | XCR0_SSE | XCR0_MPX, sup)); /* unsupported */
	CHECK(!xsetbv_valid(0, XCR0_X87 | XCR0_SSE | XCR0_AVX | (1ull << 5), sup));
	CHECK(!xsetbv_valid(0, XCR0_X87 | XCR0_SSE | XCR0_AVX512, sup)); /* no AVX */
	CHECK(!xsetbv_valid(0, XCR0_X87 | (1ull << 3), XCR0_X87 | XCR0_MPX));
	CHECK(xsetbv_valid(0, XCR0_X87 | XCR0_MPX, XCR0_X87 | XCR0_MPX));
	CHECK(!xsetbv_valid(0, XCR0_X87 | (1ull << 40), sup)); /* not in CPUID */
}

TEST(msr_routes)
{
	for (int w = 0; w < 2; w++) {
		CHECK_EQ(msr_route_of(IA32_FEATURE_CONTROL, w, false), MSR_ROUTE_FEATURE_CONTROL);
		for (uint32_t m = 0x480; m <= 0x492; m++)
			CHECK_EQ(msr_route_of(m, w, false), MSR_ROUTE_VMX_GP);
		CHECK_EQ(msr_route_of(0x47f, w, false), MSR_ROUTE_MACHINE_CHECK);
		CHECK_EQ(msr_route_of(0x493, w, false), MSR_ROUTE_DENY);
		CHECK_EQ(msr_route_of(IA32_EFER, w, false), MSR_ROUTE_EFER);
		CHECK_EQ(msr_route_of(IA32_SYSENTER_EIP, w, false), MSR_ROUTE_VMCS);
		CHECK_EQ(msr_route_of(IA32_GS_BASE, w, false), MSR_ROUTE_VMCS);
		CHECK_EQ(msr_route_of(IA32_KERNEL_GS_BASE, w, false), MSR_ROUTE_HARDWARE);
		CHECK_EQ(msr_route_of(IA32_PAT, w, true), MSR_ROUTE_VMCS);
		CHECK_EQ(msr_route_of(IA32_PAT, w, false), MSR_ROUTE_HARDWARE);
		CHECK_EQ(msr_route_of(0x12345678, w, false), MSR_ROUTE_NONEXISTENT);
		CHECK_EQ(msr_route_of(0x2000, w, false), MSR_ROUTE_NONEXISTENT);
		CHECK_EQ(msr_route_of(0x1fff, w, false), MSR_ROUTE_DENY);
		CHECK_EQ(msr_route_of(0xc0001fff, w, false), MSR_ROUTE_DENY);
		CHECK_EQ(msr_route_of(0xc0002000, w, false), MSR_ROUTE_NONEXISTENT);
		CHECK_EQ(msr_route_of(0xbfffffff, w, false), MSR_ROUTE_NONEXISTENT);
	}
}

TEST(msr_efer_and_pat_rules)
{
	uint64_t out = 0;
	const uint64_t lm = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

	CHECK(efer_write(lm, EFER_LME | EFER_NXE, true, &out));
	CHECK_EQ(out, EFER_LME | EFER_LMA | EFER_NXE);      /* LMA kept */
	CHECK(!efer_write(lm, EFER_NXE, true, &out));       /* LME off with PG */
	CHECK(efer_write(0, EFER_LME | EFER_LMA, false, &out));
	CHECK_EQ(out, EFER_LME);                            /* LMA not settable */
	CHECK(!efer_write(0, 1ull << 2, false, &out));      /* reserved */
	CHECK(pat_valid(0x0007040600070406ull));
	CHECK(!pat_valid(0x0007040600070402ull));
	CHECK(!pat_valid(0x0807040600070406ull));
	CHECK(canonical(0xffff800000000000ull, 48));
	CHECK(canonical(0x00007fffffffffffull, 48));
	CHECK(!canonical(0x0000800000000000ull, 48));
	CHECK(canonical(0x0000800000000000ull, 57));
}

static const struct event_guest_state open_state = {
	.rflags_if = true, .interruptibility = 0, .activity = GUEST_ACTIVITY_ACTIVE,
};

TEST(event_queue_highest_first)
{
	struct event_queue q = { 0 };

	CHECK_EQ(event_queue_highest(&q), EVENT_NO_VECTOR);
	event_queue_set(&q, 0x20);
	event_queue_set(&q, 0xef);
	event_queue_set(&q, 0x41);
	CHECK_EQ(event_queue_highest(&q), 0xef);
	event_queue_clear(&q, 0xef);
	CHECK_EQ(event_queue_highest(&q), 0x41);
	event_queue_set(&q, 0xff);
	event_queue_set(&q, 0);
	CHECK_EQ(event_queue_highest(&q), 0xff);
}

TEST(event_choose_rules)
{
	struct event_queue q = { 0 };
	struct event_guest_state s = open_state;
	struct event_choice c = event_choose(&q, &s);

	CHECK_EQ(c.kind, EVENT_NONE);
	CHECK(!c.intr_window && !c.nmi_window);

	event_queue_set(&q, 0x20);
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
	CHECK_EQ(c.vector, 0x20);
	CHECK(!c.intr_window);

	event_queue_set(&q, 0x30);                 /* two: window for the second */
	c = event_choose(&q, &s);
	CHECK_EQ(c.vector, 0x30);
	CHECK(c.intr_window);

	s.rflags_if = false;                       /* IF=0: window only */
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_NONE);
	CHECK(c.intr_window);

	s = open_state;
	s.interruptibility = GUEST_INTR_STATE_STI;   /* STI shadow blocks */
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_NONE);
	CHECK(c.intr_window);

	s = open_state;
	q.nmis = 1;                                /* NMI first, then window */
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_INJECT_NMI);
	CHECK(c.intr_window && !c.nmi_window);

	s.interruptibility = GUEST_INTR_STATE_NMI;   /* NMI blocked, IF open */
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
	CHECK(c.nmi_window);

	s = open_state;
	s.activity = GUEST_ACTIVITY_WAIT_SIPI;      /* asleep: nothing */
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_NONE);
	CHECK(!c.intr_window && !c.nmi_window);

	s = open_state;
	s.activity = GUEST_ACTIVITY_HLT;           /* HLT: injection wakes */
	q.nmis = 0;
	c = event_choose(&q, &s);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
}

TEST(event_choose_tpr)
{
	struct event_queue q = { 0 };
	struct event_choice c;

	event_queue_set(&q, 0x35);
	q.tpr = 3;                                 /* class 3 <= TPR: held */
	c = event_choose(&q, &open_state);
	CHECK_EQ(c.kind, EVENT_NONE);
	CHECK(!c.intr_window);
	q.tpr = 2;
	c = event_choose(&q, &open_state);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
	CHECK_EQ(c.vector, 0x35);
}

/* The BIOS's real-mode timer vector (8259 IRQ 0 = vector 8, class 0) is
 * not held back by a TPR of 0: it used to stay queued for ever. */
TEST(event_choose_class0_vector)
{
	struct event_queue q = { 0 };
	struct event_choice c;

	event_queue_set(&q, 0x08);
	c = event_choose(&q, &open_state);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
	CHECK_EQ(c.vector, 0x08);
	q.tpr = 15;                                /* ExtINT ignores the TPR */
	c = event_choose(&q, &open_state);
	CHECK_EQ(c.kind, EVENT_INJECT_EXTERNAL);
	q.tpr = 1;                                 /* class 1 <= 1: held */
	event_queue_clear(&q, 0x08);
	event_queue_set(&q, 0x1f);
	c = event_choose(&q, &open_state);
	CHECK_EQ(c.kind, EVENT_NONE);
}

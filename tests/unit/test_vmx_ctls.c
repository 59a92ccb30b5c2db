/* Tests of hv/vmx/ctls.c against recorded CPUs (vmx_msr_samples.h). */
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/ctls.h"
#include "tests/unit/test.h"
#include "tests/unit/vmx_msr_samples.h"

static const struct vmx_ctls_request no_apicv = { .apicv = false };
static const struct vmx_ctls_request with_apicv = { .apicv = true };

static bool compute(const struct vmx_msrs *m, const struct vmx_ctls_request *r,
		    struct vmx_controls *out, char *err, size_t size)
{
	struct vmx_caps c;

	vmx_caps_decode(m, &c);
	return vmx_ctls_compute(&c, r, out, err, size);
}

/* The limits the SDM says apply, computed independently of hv/vmx/ctls.c. */
static void limits(const struct vmx_msrs *m, uint32_t *must, uint32_t *may)
{
	bool t = (m->basic & VMX_BASIC_TRUE_CTLS) != 0;
	bool sec = ((t ? m->true_procbased_ctls : m->procbased_ctls) >> 32) &
		   PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS;
	uint64_t msr[VMX_CTLS_WORDS] = {
		[PINBASED_CTLS] = t ? m->true_pinbased_ctls : m->pinbased_ctls,
		[PROCBASED_CTLS] = t ? m->true_procbased_ctls : m->procbased_ctls,
		[PROCBASED_CTLS2] = sec ? m->procbased_ctls2 : 0,
		[EXIT_CTLS] = t ? m->true_exit_ctls : m->exit_ctls,
		[ENTRY_CTLS] = t ? m->true_entry_ctls : m->entry_ctls,
	};

	for (int i = 0; i < VMX_CTLS_WORDS; i++) {
		must[i] = (uint32_t)msr[i];
		may[i] = (uint32_t)(msr[i] >> 32);
	}
}

/* Invariants every successful result must satisfy; returns a failure
 * number (0 = fine) so the caller can report which. */
static int invariants(const struct vmx_msrs *m, const struct vmx_controls *o)
{
	uint32_t must[VMX_CTLS_WORDS], may[VMX_CTLS_WORDS];
	const uint32_t *w = o->word;

	limits(m, must, may);
	for (int i = 0; i < VMX_CTLS_WORDS; i++) {
		if (w[i] & ~may[i])
			return 10 + i;          /* outside allowed-1 */
		if ((w[i] & must[i]) != must[i])
			return 20 + i;          /* allowed-0 bit missing */
		if (o->may_be_one[i] != may[i])
			return 30 + i;
	}
	if ((w[PINBASED_CTLS] & PINBASED_CTLS_POSTED_INTR) &&
	    (!(w[PROCBASED_CTLS2] & PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY) ||
	     !(w[EXIT_CTLS] & EXIT_CTLS_ACK_INTR_ON_EXIT)))
		return 1;
	if ((w[PROCBASED_CTLS2] & (PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY |
				 PROCBASED_CTLS2_APIC_REGISTER_VIRT)) &&
	    !(w[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TPR_SHADOW))
		return 2;
	if ((w[PROCBASED_CTLS2] & PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY) &&
	    !(w[PINBASED_CTLS] & PINBASED_CTLS_EXT_INTR_EXITING))
		return 3;
	if ((w[PROCBASED_CTLS2] & PROCBASED_CTLS2_UNRESTRICTED_GUEST) &&
	    !(w[PROCBASED_CTLS2] & PROCBASED_CTLS2_ENABLE_EPT))
		return 4;
	if (w[PROCBASED_CTLS2] &&
	    !(w[PROCBASED_CTLS] & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS))
		return 5;
	bool pat_exit = (w[EXIT_CTLS] & (EXIT_CTLS_SAVE_PAT | EXIT_CTLS_LOAD_PAT)) ==
			(EXIT_CTLS_SAVE_PAT | EXIT_CTLS_LOAD_PAT);
	if (pat_exit != !!(w[ENTRY_CTLS] & ENTRY_CTLS_LOAD_PAT))
		return 6;
	if (w[ENTRY_CTLS] & ENTRY_CTLS_IA32E_MODE)
		return 7;
	if ((w[PINBASED_CTLS] & PINBASED_CTLS_VIRTUAL_NMIS) &&
	    !(w[PINBASED_CTLS] & PINBASED_CTLS_NMI_EXITING))
		return 8;
	return 0;
}

TEST(vmx_ctls_usable_samples_succeed)
{
	char err[256];

	for (size_t i = 0; i < VMX_SAMPLE_COUNT; i++) {
		struct vmx_controls o;
		bool ok = compute(vmx_samples[i].msr, &no_apicv, &o, err,
				  sizeof(err));
		if (ok != vmx_samples[i].usable)
			printf("  %s: %s\n", vmx_samples[i].name, err);
		CHECK_EQ(ok, vmx_samples[i].usable);
		CHECK_EQ(ok, err[0] == '\0');
	}
}

TEST(vmx_ctls_expected_bits)
{
	char err[256];

	for (size_t i = 0; i < VMX_SAMPLE_COUNT; i++) {
		struct vmx_controls o;
		if (!vmx_samples[i].usable)
			continue;
		CHECK(compute(vmx_samples[i].msr, &no_apicv, &o, err, sizeof(err)));
		const uint32_t *w = o.word;
		uint32_t pin = PINBASED_CTLS_EXT_INTR_EXITING | PINBASED_CTLS_NMI_EXITING |
			       PINBASED_CTLS_VIRTUAL_NMIS | PINBASED_CTLS_PREEMPTION_TIMER;
		uint32_t proc = PROCBASED_CTLS_HLT_EXITING | PROCBASED_CTLS_MWAIT_EXITING |
				PROCBASED_CTLS_MONITOR_EXITING | PROCBASED_CTLS_RDPMC_EXITING |
				PROCBASED_CTLS_USE_IO_BITMAPS | PROCBASED_CTLS_USE_MSR_BITMAPS |
				PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS |
				PROCBASED_CTLS_CR8_LOAD_EXITING | PROCBASED_CTLS_CR8_STORE_EXITING;
		uint32_t proc2 = PROCBASED_CTLS2_ENABLE_EPT | PROCBASED_CTLS2_ENABLE_VPID |
				 PROCBASED_CTLS2_UNRESTRICTED_GUEST |
				 PROCBASED_CTLS2_WBINVD_EXITING | PROCBASED_CTLS2_ENABLE_RDTSCP;
		uint32_t exit = EXIT_CTLS_HOST_ADDR_SPACE_SIZE | EXIT_CTLS_SAVE_EFER |
				EXIT_CTLS_LOAD_EFER | EXIT_CTLS_ACK_INTR_ON_EXIT |
				EXIT_CTLS_SAVE_DEBUG_CONTROLS | EXIT_CTLS_SAVE_PAT |
				EXIT_CTLS_LOAD_PAT;
		uint32_t entry = ENTRY_CTLS_LOAD_EFER | ENTRY_CTLS_LOAD_DEBUG_CONTROLS |
				 ENTRY_CTLS_LOAD_PAT;
		CHECK_EQ(w[PINBASED_CTLS] & pin, pin);
		CHECK_EQ(w[PROCBASED_CTLS] & proc, proc);
		CHECK_EQ(w[PROCBASED_CTLS2] & proc2, proc2);
		CHECK_EQ(w[EXIT_CTLS] & exit, exit);
		CHECK_EQ(w[ENTRY_CTLS] & entry, entry);
		/* Off on purpose. */
		CHECK_EQ(w[PROCBASED_CTLS] & (PROCBASED_CTLS_CR3_LOAD_EXITING |
					    PROCBASED_CTLS_CR3_STORE_EXITING |
					    PROCBASED_CTLS_INVLPG_EXITING |
					    PROCBASED_CTLS_RDTSC_EXITING |
					    PROCBASED_CTLS_USE_TPR_SHADOW |
					    PROCBASED_CTLS_INTR_WINDOW_EXITING), 0);
		CHECK_EQ(w[PROCBASED_CTLS2] & (PROCBASED_CTLS2_RDRAND_EXITING |
					     PROCBASED_CTLS2_RDSEED_EXITING |
					     PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES), 0);
		CHECK_EQ(w[PINBASED_CTLS] & PINBASED_CTLS_POSTED_INTR, 0);
		CHECK(o.ept && o.vpid && o.unrestricted_guest && o.preemption_timer);
		CHECK(o.pat && o.cr8_exiting && !o.tpr_shadow && !o.apicv);
		CHECK(!o.cr3_exiting);
		CHECK_EQ(invariants(vmx_samples[i].msr, &o), 0);
	}
}

/* Exact words for one recorded CPU, so that any change of policy shows. */
TEST(vmx_ctls_exact_skylake_x)
{
	struct vmx_controls o;
	char err[256];

	CHECK(compute(&bochs_corei7_skylake_x, &no_apicv, &o, err, sizeof(err)));
	CHECK_EQ(o.word[PINBASED_CTLS], 0x0000007f);
	CHECK_EQ(o.word[PROCBASED_CTLS], 0xb6186dfa);     /* with TSC offsetting (bit 3) */
	CHECK_EQ(o.word[PROCBASED_CTLS2], 0x001010ea);
	CHECK_EQ(o.word[EXIT_CTLS], 0x003fefff);
	CHECK_EQ(o.word[ENTRY_CTLS], 0x0000d1ff);
}

TEST(vmx_ctls_apicv_on_request)
{
	struct vmx_controls o;
	char err[256];

	CHECK(compute(&bochs_corei7_skylake_x, &with_apicv, &o, err, sizeof(err)));
	CHECK(o.apicv && o.apicv_available && o.tpr_shadow && !o.cr8_exiting);
	CHECK(!o.posted_interrupts);    /* not offered by this model */
	CHECK_EQ(o.word[PROCBASED_CTLS2] & (PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES |
					  PROCBASED_CTLS2_APIC_REGISTER_VIRT |
					  PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY),
		 PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES |
		 PROCBASED_CTLS2_APIC_REGISTER_VIRT |
		 PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY);
	CHECK_EQ(invariants(&bochs_corei7_skylake_x, &o), 0);

	CHECK(compute(&bochs_corei7_skylake_x, &no_apicv, &o, err, sizeof(err)));
	CHECK(!o.apicv && o.apicv_available);

	CHECK(compute(&bochs_corei7_skylake_x, NULL, &o, err, sizeof(err)));
	CHECK(!o.apicv);
}

/* No APIC-register virtualization / virtual-interrupt delivery: nothing
 * of APICv is turned on, not even TPR shadow. */
TEST(vmx_ctls_apicv_unavailable)
{
	struct vmx_controls o;
	char err[256];

	CHECK(compute(&bochs_corei3_cnl, &with_apicv, &o, err, sizeof(err)));
	CHECK(!o.apicv && !o.apicv_available && !o.tpr_shadow && o.cr8_exiting);
	CHECK_EQ(o.word[PROCBASED_CTLS2] & PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES, 0);

	CHECK(compute(&real_coffeelake_i7_9750h, &with_apicv, &o, err, sizeof(err)));
	CHECK(!o.apicv && !o.apicv_available);
}

/* Posted interrupts follow virtual-interrupt delivery. */
TEST(vmx_ctls_posted_interrupts)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_controls o;
	char err[256];

	m.true_pinbased_ctls |= (uint64_t)PINBASED_CTLS_POSTED_INTR << 32;
	CHECK(compute(&m, &with_apicv, &o, err, sizeof(err)));
	CHECK(o.posted_interrupts && o.apicv);
	CHECK_EQ(invariants(&m, &o), 0);
	CHECK(compute(&m, &no_apicv, &o, err, sizeof(err)));
	CHECK(!o.posted_interrupts);

	m = bochs_corei3_cnl;
	m.true_pinbased_ctls |= (uint64_t)PINBASED_CTLS_POSTED_INTR << 32;
	CHECK(compute(&m, &with_apicv, &o, err, sizeof(err)));
	CHECK(!o.posted_interrupts);
}

/* PAT is switched on both sides or on neither. */
TEST(vmx_ctls_pat_pair)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_controls o;
	char err[256];

	m.true_entry_ctls &= ~((uint64_t)ENTRY_CTLS_LOAD_PAT << 32);
	CHECK(compute(&m, &no_apicv, &o, err, sizeof(err)));
	CHECK(!o.pat);
	CHECK_EQ(o.word[EXIT_CTLS] & (EXIT_CTLS_SAVE_PAT | EXIT_CTLS_LOAD_PAT), 0);
	CHECK_EQ(invariants(&m, &o), 0);
}

/* Without TRUE_* MSRs the default1 bits stay: CR3 exiting is forced on. */
TEST(vmx_ctls_plain_msrs_force_default1)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_controls o;
	char err[256];

	m.basic &= ~VMX_BASIC_TRUE_CTLS;
	CHECK(compute(&m, &no_apicv, &o, err, sizeof(err)));
	CHECK(o.cr3_exiting);
	CHECK_EQ(o.word[PROCBASED_CTLS] & PROCBASED_CTLS_DEFAULT1, PROCBASED_CTLS_DEFAULT1);
	CHECK_EQ(o.word[EXIT_CTLS] & EXIT_CTLS_DEFAULT1, EXIT_CTLS_DEFAULT1);
	CHECK_EQ(invariants(&m, &o), 0);
}

TEST(vmx_ctls_penryn_fails_naming_controls)
{
	struct vmx_controls o;
	char err[512];

	CHECK(!compute(&bochs_core2_penryn_t9600, &no_apicv, &o, err, sizeof(err)));
	CHECK_STR(err, "IA32_VMX_PROCBASED_CTLS2 does not allow required "
		       "control(s): enable EPT, unrestricted guest; "
		       "IA32_VMX_TRUE_EXIT_CTLS does not allow required "
		       "control(s): save IA32_EFER, load IA32_EFER; "
		       "IA32_VMX_TRUE_ENTRY_CTLS does not allow required "
		       "control(s): load IA32_EFER");
}

TEST(vmx_ctls_lynnfield_fails_naming_unrestricted_guest)
{
	struct vmx_controls o;
	char err[256];

	CHECK(!compute(&bochs_corei5_lynnfield_750, &no_apicv, &o, err, sizeof(err)));
	CHECK_STR(err, "IA32_VMX_PROCBASED_CTLS2 does not allow required "
		       "control(s): unrestricted guest");
}

TEST(vmx_ctls_missing_pin_and_secondary_activation)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_controls o;
	char err[512];

	m.true_pinbased_ctls &= ~((uint64_t)PINBASED_CTLS_VIRTUAL_NMIS << 32);
	m.true_procbased_ctls &= ~((uint64_t)PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS << 32);
	CHECK(!compute(&m, &no_apicv, &o, err, sizeof(err)));
	CHECK(strstr(err, "IA32_VMX_TRUE_PINBASED_CTLS does not allow required "
			  "control(s): virtual NMIs"));
	CHECK(strstr(err, "IA32_VMX_TRUE_PROCBASED_CTLS does not allow required "
			  "control(s): activate secondary controls"));
	CHECK(strstr(err, "IA32_VMX_PROCBASED_CTLS2 does not allow required "
			  "control(s): enable EPT, WBINVD exiting, unrestricted guest"));
}

TEST(vmx_ctls_inconsistent_msr)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_controls o;
	char err[256];

	m.true_pinbased_ctls |= PINBASED_CTLS_POSTED_INTR;   /* must be 1, may not */
	CHECK(!compute(&m, &no_apicv, &o, err, sizeof(err)));
	CHECK_STR(err, "IA32_VMX_TRUE_PINBASED_CTLS is inconsistent (must be 1 "
		       "but may not be 1): process posted interrupts");
}

/* Property check: random cuts into the allowed-1 halves of every sample.
 * Whenever the computation succeeds, no bit outside allowed-1 is set,
 * every allowed-0 bit is set, and the dependency rules hold; when it
 * fails, the message is not empty. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 16;
}

static uint64_t cut(uint64_t msr, uint64_t *seed)
{
	uint32_t keep = (uint32_t)lcg(seed) | (uint32_t)lcg(seed) | (uint32_t)msr;
	return msr & (((uint64_t)keep << 32) | 0xffffffffull);
}

TEST(vmx_ctls_property_random_cuts)
{
	uint64_t seed = 1;
	char err[512];
	int ok_count = 0, fail_count = 0;

	for (size_t i = 0; i < VMX_SAMPLE_COUNT; i++) {
		for (int n = 0; n < 500; n++) {
			struct vmx_msrs m = *vmx_samples[i].msr;
			struct vmx_controls o;
			m.pinbased_ctls = cut(m.pinbased_ctls, &seed);
			m.true_pinbased_ctls = cut(m.true_pinbased_ctls, &seed);
			m.true_procbased_ctls = cut(m.true_procbased_ctls, &seed);
			m.procbased_ctls2 = cut(m.procbased_ctls2, &seed);
			m.true_exit_ctls = cut(m.true_exit_ctls, &seed);
			m.true_entry_ctls = cut(m.true_entry_ctls, &seed);
			if (lcg(&seed) & 1)
				m.basic &= ~VMX_BASIC_TRUE_CTLS;
			const struct vmx_ctls_request *r =
				(lcg(&seed) & 1) ? &with_apicv : &no_apicv;
			if (compute(&m, r, &o, err, sizeof(err))) {
				ok_count++;
				CHECK_EQ(invariants(&m, &o), 0);
				CHECK_EQ(err[0], 0);
			} else {
				fail_count++;
				CHECK(err[0] != 0);
			}
		}
	}
	CHECK(ok_count > 100);
	CHECK(fail_count > 100);
}

TEST(vmx_ctls_names)
{
	CHECK_STR(vmx_ctl_bit_name(PROCBASED_CTLS, 7), "HLT exiting");
	CHECK_STR(vmx_ctl_bit_name(PROCBASED_CTLS2, 1), "enable EPT");
	CHECK_STR(vmx_ctl_bit_name(ENTRY_CTLS, 9), "IA-32e mode guest");
	CHECK(vmx_ctl_bit_name(PINBASED_CTLS, 1) == NULL);
	CHECK(vmx_ctl_bit_name(PINBASED_CTLS, 32) == NULL);
	CHECK(vmx_ctl_bit_name(VMX_CTLS_WORDS, 0) == NULL);
	CHECK_STR(vmx_ctl_word_name(EXIT_CTLS), "VM-exit controls");
	/* Every bit a control word defines in hv/vmx/ctls_bits.h has a name. */
	CHECK(vmx_ctl_bit_name(PROCBASED_CTLS2, 31) && vmx_ctl_bit_name(EXIT_CTLS, 31));
}

/* HLT stays in the guest only with the preemption timer granted and the
 * request asking for it (hv/vmx/ctls.c, resolve_halt()), with either
 * LAPIC back end. */
TEST(vmx_ctls_halt_in_guest_on_request)
{
	static const struct vmx_ctls_request apicv_halt = { .apicv = true,
							    .halt_in_guest = true };
	static const struct vmx_ctls_request soft_halt = { .apicv = false,
							   .apic_access = true,
							   .halt_in_guest = true };
	struct vmx_controls o;
	char err[256];

	CHECK(compute(&bochs_corei7_skylake_x, &apicv_halt, &o, err, sizeof(err)));
	CHECK(o.apicv && o.preemption_timer && !o.hlt_exiting);
	CHECK_EQ(o.word[PROCBASED_CTLS] & PROCBASED_CTLS_HLT_EXITING, 0);
	CHECK_EQ(invariants(&bochs_corei7_skylake_x, &o), 0);

	CHECK(compute(&bochs_corei7_skylake_x, &with_apicv, &o, err, sizeof(err)));
	CHECK(o.apicv && o.hlt_exiting);

	CHECK(compute(&bochs_corei7_skylake_x, &soft_halt, &o, err, sizeof(err)));
	CHECK(!o.apicv && o.preemption_timer && !o.hlt_exiting);
	CHECK_EQ(invariants(&bochs_corei7_skylake_x, &o), 0);
}

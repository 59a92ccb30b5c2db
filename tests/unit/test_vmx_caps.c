/* Tests of hv/vmx/caps.c against recorded CPUs (vmx_msr_samples.h). */
#include "hv/vmx/caps.h"
#include "hv/vmx/ctls_bits.h"
#include "tests/unit/test.h"
#include "tests/unit/vmx_msr_samples.h"

static int check_sample(const struct vmx_sample *s)
{
	struct vmx_caps c;

	vmx_caps_decode(s->msr, &c);
	int bad = (c.ept != s->ept) | (c.vpid != s->vpid) << 1 |
		  (c.unrestricted_guest != s->unrestricted_guest) << 2 |
		  (c.apic_register_virt != s->apic_register_virt) << 3 |
		  (c.virtual_intr_delivery != s->virtual_intr_delivery) << 4 |
		  (c.posted_interrupts != s->posted_interrupts) << 5 |
		  (c.ept_1g_pages != s->ept_1g_and_ad) << 6 |
		  (c.ept_ad_bits != s->ept_1g_and_ad) << 7 |
		  (c.preemption_timer != s->preemption_timer) << 8 |
		  (c.preemption_timer_rate != s->preemption_timer_rate) << 9;
	if (bad)
		printf("  %s: mismatch mask %#x\n", s->name, bad);
	return bad;
}

TEST(vmx_caps_feature_table)
{
	for (size_t i = 0; i < VMX_SAMPLE_COUNT; i++)
		CHECK_EQ(check_sample(&vmx_samples[i]), 0);
}

TEST(vmx_caps_usable_matches_table)
{
	char missing[128];

	for (size_t i = 0; i < VMX_SAMPLE_COUNT; i++) {
		struct vmx_caps c;
		vmx_caps_decode(vmx_samples[i].msr, &c);
		bool ok = vmx_caps_usable(&c, missing, sizeof(missing));
		CHECK_EQ(ok, vmx_samples[i].usable);
		CHECK_EQ(ok, missing[0] == '\0');
	}
}

TEST(vmx_caps_basic_fields)
{
	struct vmx_caps c;

	vmx_caps_decode(&real_coffeelake_i7_9750h, &c);
	CHECK_EQ(c.vmcs_revision_id, 4);
	CHECK_EQ(c.vmcs_size, 1024);
	CHECK(c.vmcs_wb);
	CHECK(c.true_ctls);
	CHECK(c.secondary_ctls && c.tpr_shadow && c.msr_bitmaps && c.io_bitmaps);
	CHECK(c.rdtscp && c.invpcid && c.xsaves && c.x2apic_virt);
	CHECK(c.ept_4level && c.ept_wb && c.ept_2m_pages);
	CHECK(c.invept_single && c.invept_all && c.invvpid_single && c.invvpid_all);
	CHECK(c.load_efer && c.save_efer);

	vmx_caps_decode(&bochs_corei7_skylake_x, &c);
	CHECK_EQ(c.vmcs_revision_id, 0x2b);
	CHECK_EQ(c.vmcs_size, 0x1000);

	vmx_caps_decode(&real_ivybridge_306a9, &c);
	CHECK(!c.invpcid && !c.xsaves && c.rdtscp);
}

TEST(vmx_caps_missing_lynnfield)
{
	struct vmx_caps c;
	char missing[128];

	vmx_caps_decode(&bochs_corei5_lynnfield_750, &c);
	CHECK(!vmx_caps_usable(&c, missing, sizeof(missing)));
	CHECK_STR(missing, "unrestricted guest");
}

TEST(vmx_caps_missing_penryn)
{
	struct vmx_caps c;
	char missing[160];

	vmx_caps_decode(&bochs_core2_penryn_t9600, &c);
	CHECK(!vmx_caps_usable(&c, missing, sizeof(missing)));
	CHECK_STR(missing, "EPT, unrestricted guest, EFER load on VM entry/exit, "
			   "EFER save on VM exit");
	CHECK(c.secondary_ctls);
	CHECK(!c.preemption_timer);
	CHECK(!c.invept_all && !c.ept_4level);
}

/* The secondary MSR means nothing when the primary word cannot activate it;
 * EPT/VPID capabilities mean nothing without EPT/VPID. */
TEST(vmx_caps_secondary_gating)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_caps c;
	char missing[160];

	m.true_procbased_ctls &= ~((uint64_t)PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS << 32);
	vmx_caps_decode(&m, &c);
	CHECK(!c.secondary_ctls && !c.ept && !c.vpid && !c.unrestricted_guest);
	CHECK(!c.ept_4level && !c.ept_1g_pages && !c.invvpid_all);
	CHECK(!vmx_caps_usable(&c, missing, sizeof(missing)));
	CHECK_STR(missing, "secondary controls, EPT, unrestricted guest");

	m = bochs_corei7_skylake_x;
	m.ept_vpid_cap &= ~VMX_EPT_MEMTYPE_WB;
	vmx_caps_decode(&m, &c);
	CHECK(!vmx_caps_usable(&c, missing, sizeof(missing)));
	CHECK_STR(missing, "EPT write-back paging structures");
}

/* The plain MSRs are used when IA32_VMX_BASIC[55] is clear, even if stale
 * TRUE_* values are present. */
TEST(vmx_caps_plain_msrs)
{
	struct vmx_msrs m = bochs_corei7_skylake_x;
	struct vmx_caps c;

	m.basic &= ~VMX_BASIC_TRUE_CTLS;
	m.true_entry_ctls = 0;
	vmx_caps_decode(&m, &c);
	CHECK(!c.true_ctls);
	CHECK(c.load_efer);
}

TEST(vmx_caps_missing_truncates)
{
	struct vmx_caps c;
	char small[8];

	vmx_caps_decode(&bochs_core2_penryn_t9600, &c);
	CHECK(!vmx_caps_usable(&c, small, sizeof(small)));
	CHECK_STR(small, "EPT, un");
	CHECK(!vmx_caps_usable(&c, NULL, 0));
}

/* hv/vmx/detect.c fills caps->msr and decodes in place. */
TEST(vmx_caps_decode_in_place)
{
	struct vmx_caps c = { .msr = bochs_corei7_skylake_x };

	vmx_caps_decode(&c.msr, &c);
	CHECK(c.ept && c.unrestricted_guest && c.apic_register_virt);
	CHECK_EQ(c.msr.procbased_ctls2, bochs_corei7_skylake_x.procbased_ctls2);
	CHECK_EQ(c.vmcs_revision_id, 0x2b);
}

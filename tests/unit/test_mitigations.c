/*
 * hv/vcpu/mitigations.h: which speculation hygiene a CPU needs, from its
 * CPUID.7.EDX and IA32_ARCH_CAPABILITIES.
 */
#include "hv/vcpu/mitigations.h"
#include "tests/unit/test.h"

/* No leaf-7 report, no IA32_ARCH_CAPABILITIES: affected by everything,
 * with nothing to clear or flush with (Bochs's models). */
TEST(mitigations_old_cpu_without_reports)
{
	struct mitigations m = mitigations_choose(0, 0);

	CHECK(!m.verw && !m.l1d_flush);
	CHECK(m.fill_rsb);
	CHECK(m.l1tf_unmitigated && m.mds_unmitigated);
}

/* A Skylake-era client CPU with updated microcode: MD_CLEAR and
 * L1D_FLUSH, no ARCH_CAPABILITIES. */
TEST(mitigations_skylake_with_microcode)
{
	struct mitigations m = mitigations_choose(CPUID_7_EDX_MD_CLEAR |
						  CPUID_7_EDX_L1D_FLUSH, 0);

	CHECK(m.verw && m.l1d_flush && m.fill_rsb);
	CHECK(!m.l1tf_unmitigated && !m.mds_unmitigated);
}

/* Cascade Lake-like: RDCL_NO and MDS_NO, but TAA (TSX) still affected. */
TEST(mitigations_rdcl_no_mds_no_taa_affected)
{
	uint64_t caps = ARCH_CAP_RDCL_NO | ARCH_CAP_IBRS_ALL |
			ARCH_CAP_SKIP_L1DFL_VMENTRY | ARCH_CAP_MDS_NO;
	struct mitigations m = mitigations_choose(CPUID_7_EDX_MD_CLEAR |
						  CPUID_7_EDX_L1D_FLUSH |
						  CPUID_7_EDX_ARCH_CAPABILITIES,
						  caps);

	CHECK(m.verw);
	CHECK(!m.l1d_flush);
	CHECK(m.fill_rsb);              /* eIBRS without PBRSB_NO */
}

/* A recent CPU that reports itself unaffected by all of them. */
TEST(mitigations_unaffected_cpu)
{
	uint64_t caps = ARCH_CAP_RDCL_NO | ARCH_CAP_IBRS_ALL |
			ARCH_CAP_SKIP_L1DFL_VMENTRY | ARCH_CAP_MDS_NO |
			ARCH_CAP_TAA_NO | ARCH_CAP_SBDR_SSDP_NO |
			ARCH_CAP_FBSDP_NO | ARCH_CAP_PSDP_NO | ARCH_CAP_PBRSB_NO;
	struct mitigations m = mitigations_choose(CPUID_7_EDX_MD_CLEAR |
						  CPUID_7_EDX_IBRS_IBPB |
						  CPUID_7_EDX_ARCH_CAPABILITIES,
						  caps);

	CHECK(!m.verw && !m.l1d_flush && !m.fill_rsb);
	CHECK(!m.l1tf_unmitigated && !m.mds_unmitigated);
	CHECK(m.host_spec_ctrl == SPEC_CTRL_IBRS);
}

/* Enhanced IBRS is the host's only with IA32_SPEC_CTRL to set it in: a
 * report of IBRS_ALL without CPUID's IBRS bit keeps the RSB fill and
 * switches nothing. */
TEST(mitigations_eibrs_needs_spec_ctrl)
{
	uint64_t caps = ARCH_CAP_IBRS_ALL | ARCH_CAP_PBRSB_NO;
	struct mitigations m = mitigations_choose(CPUID_7_EDX_ARCH_CAPABILITIES,
						  caps);

	CHECK(m.fill_rsb);
	CHECK(m.host_spec_ctrl == 0);
}

/* Without enhanced IBRS the host uses no SPEC_CTRL bit (retpolines, RSB
 * fill): the guest's value is left to it, never switched. */
TEST(mitigations_no_eibrs_no_switch)
{
	struct mitigations m = mitigations_choose(CPUID_7_EDX_IBRS_IBPB |
						  CPUID_7_EDX_STIBP |
						  CPUID_7_EDX_MD_CLEAR, 0);

	CHECK(m.host_spec_ctrl == 0);
	CHECK(m.fill_rsb);
}

/* FB_CLEAR alone (MMIO stale data microcode) also makes VERW clear. */
TEST(mitigations_fb_clear_enables_verw)
{
	struct mitigations m = mitigations_choose(CPUID_7_EDX_ARCH_CAPABILITIES,
						  ARCH_CAP_MDS_NO | ARCH_CAP_TAA_NO |
						  ARCH_CAP_FB_CLEAR);

	CHECK(m.verw && !m.mds_unmitigated);
}

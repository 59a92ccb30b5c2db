/*
 * CPUID as the guest sees it: the hypervisor leaves, VMX hidden, and the
 * ordinary leaves still sane.
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/probe.h"
#include "hv/exit/hypercall.h"

#define CPUID_1_EAX_FAMILY(eax)     (((eax) >> 8) & 0xf)
#define HV_REQUIRED_FEATURES        (HV_FEATURE_HYPERCALLS | HV_FEATURE_TEST_EXIT)

enum verdict check_cpuid_hypervisor_bit(struct check_result *r)
{
	if (guest_env.under_hv)
		return guest_env.cpuid_hv_bit ? VERDICT_PASS :
			fail(r, "signature leaf answers but CPUID.1:ECX[31] is clear");
	if (guest_env.cpuid_hv_bit)
		return skip(r, "bare: hypervisor bit set by another hypervisor/emulator (\"%s\")",
			    guest_env.hv_signature);
	return skip(r, "bare: hypervisor bit clear");
}

enum verdict check_cpuid_signature_leaf(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	if (guest_env.hv_max_leaf < HV_CPUID_FEATURES_LEAF)
		return fail(r, "leaf 0x%x EAX (max leaf) 0x%x < 0x%x",
			    HV_CPUID_SIGNATURE_LEAF, guest_env.hv_max_leaf,
			    HV_CPUID_FEATURES_LEAF);
	if ((guest_env.hv_features & HV_REQUIRED_FEATURES) != HV_REQUIRED_FEATURES)
		return fail(r, "leaf 0x%x EAX 0x%x lacks HYPERCALLS|TEST_EXIT (0x%x)",
			    HV_CPUID_FEATURES_LEAF, guest_env.hv_features,
			    HV_REQUIRED_FEATURES);
	return VERDICT_PASS;
}

enum verdict check_cpuid_vmx_hidden(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	uint32_t ecx = cpuid(1, 0).ecx;
	if (ecx & CPUID_1_ECX_VMX)
		return fail(r, "CPUID.1:ECX.VMX[5] is set (ECX 0x%x)", ecx);
	if (ecx & CPUID_1_ECX_SMX)
		return fail(r, "CPUID.1:ECX.SMX[6] is set (ECX 0x%x)", ecx);
	return VERDICT_PASS;
}

static bool vendor_printable(const struct cpuid_regs *l0)
{
	const uint32_t words[3] = { l0->ebx, l0->edx, l0->ecx };
	const char *c = (const char *)words;

	for (int i = 0; i < 12; i++)
		if (c[i] < ' ' || c[i] > '~')
			return false;
	return true;
}

enum verdict check_cpuid_leaves_sane(struct check_result *r)
{
	struct cpuid_regs l0 = cpuid(0, 0);
	if (l0.eax < 1)
		return fail(r, "leaf 0 max basic leaf %u < 1", l0.eax);
	if (!vendor_printable(&l0))
		return fail(r, "leaf 0 vendor string not printable");
	uint32_t eax1 = cpuid(1, 0).eax;
	if (CPUID_1_EAX_FAMILY(eax1) == 0)
		return fail(r, "leaf 1 family is 0 (EAX 0x%x)", eax1);
	uint32_t ext_max = cpuid(CPUID_EXT_MAX_LEAF, 0).eax;
	if (ext_max < CPUID_EXT_MAX_LEAF + 1 || ext_max > CPUID_EXT_MAX_LEAF + 0xff)
		return fail(r, "leaf 0x80000000 max extended leaf 0x%x", ext_max);
	if (!(cpuid(CPUID_EXT_MAX_LEAF + 1, 0).edx & CPUID_80000001_EDX_LM))
		return fail(r, "CPUID.80000001H:EDX.LM clear while in long mode");
	return VERDICT_PASS;
}

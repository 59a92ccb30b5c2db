/*
 * The guest's XSAVE components from the host's CPUID (see
 * hv/view/xsave_policy.h).
 */
#include "arch/x86/cpu.h"
#include "hv/view/cpu_features.h"
#include "hv/view/xsave_policy.h"
#include "lib/bits.h"

static struct xsave_policy policy;
static bool policy_ready;

/* EDX:EAX of a CPUID result as one 64-bit mask. */
static uint64_t edx_eax(struct cpuid_regs r)
{
	return ((uint64_t)r.edx << 32) | r.eax;
}

/* EDX:ECX of a CPUID result as one 64-bit mask. */
static uint64_t edx_ecx(struct cpuid_regs r)
{
	return ((uint64_t)r.edx << 32) | r.ecx;
}

/* Read leaf 0xD (no XSAVE: nothing allowed beyond what XSETBV would
 * #UD on anyway) and decide. */
static void policy_read(struct xsave_policy *p)
{
	struct xsave_component layout[XSAVE_COMPONENTS];
	bool xsave = (cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_XSAVE) &&
		     cpuid(CPUID_LEAF_VENDOR, 0).eax >= CPUID_LEAF_XSAVE;

	*p = (struct xsave_policy){ .size = XSAVE_LEGACY_HEADER_SIZE };
	if (!xsave)
		return;
	p->xcr0 = cpu_features_xcr0_allowed(edx_eax(cpuid(CPUID_LEAF_XSAVE, 0)));
	p->xss = cpu_features_xss_allowed(edx_ecx(cpuid(CPUID_LEAF_XSAVE, 1)));
	for (uint32_t i = 2; i < XSAVE_COMPONENTS; i++) {
		struct cpuid_regs r = p->xcr0 & BIT_ULL(i) ?
				      cpuid(CPUID_LEAF_XSAVE, i) :
				      (struct cpuid_regs){ 0 };

		layout[i] = (struct xsave_component){ r.eax, r.ebx };
	}
	p->size = xsave_standard_size(p->xcr0, layout, XSAVE_COMPONENTS);
}

/* Read once: the same on every CPU, so a second reader racing the first
 * computes and stores the same values. */
const struct xsave_policy *xsave_policy(void)
{
	if (!__atomic_load_n(&policy_ready, __ATOMIC_ACQUIRE)) {
		struct xsave_policy p;

		policy_read(&p);
		policy = p;
		__atomic_store_n(&policy_ready, true, __ATOMIC_RELEASE);
	}
	return &policy;
}

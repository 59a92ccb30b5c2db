/*
 * The guest's CPUID, computed from the host's (policy in hv/view/cpuid.h).
 */
#include "hv/view/cpuid.h"
#include "hv/view/cpu_features.h"
#include "hv/exit/hypercall.h"
#include "lib/bits.h"
#include "lib/str.h"

#define HV_FEATURES (HV_FEATURE_HYPERCALLS | HV_FEATURE_EXIT_STATS | \
		     HV_FEATURE_TEST_EXIT)

/* Set bit in *reg when on, clear it otherwise. */
static void set_bit_if(uint32_t *reg, uint32_t bit, bool on)
{
	*reg = on ? (*reg | bit) : (*reg & ~bit);
}

/* EBX, ECX, EDX spell the signature, as with KVM ("KVMKVMKVM"). */
static void hv_leaf(uint32_t leaf, struct cpuid_regs *r)
{
	const char sig[] = HV_CPUID_SIGNATURE;

	*r = (struct cpuid_regs){ 0 };
	if (leaf == HV_CPUID_SIGNATURE_LEAF) {
		r->eax = HV_CPUID_MAX_LEAF;
		memcpy(&r->ebx, sig, sizeof(r->ebx));
		memcpy(&r->ecx, sig + 4, sizeof(r->ecx));
		memcpy(&r->edx, sig + 8, sizeof(r->edx));
	} else if (leaf == HV_CPUID_FEATURES_LEAF) {
		r->eax = HV_FEATURES;
	}
}

/* Leaf 1: announce a hypervisor, hide VMX, SMX and MONITOR (see
 * hv/view/cpuid.h), and let OSXSAVE mirror the guest's CR4 rather than the
 * host's. */
static void leaf_1(const struct cpuid_guest_cfg *cfg, struct cpuid_regs *r)
{
	r->ecx |= CPUID_1_ECX_HYPERVISOR;
	r->ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX | CPUID_1_ECX_MONITOR);
	r->ecx &= ~(CPUID_1_ECX_DTES64 | CPUID_1_ECX_DS_CPL | CPUID_1_ECX_PDCM);
	r->edx &= ~CPUID_1_EDX_DS;
	set_bit_if(&r->ecx, CPUID_1_ECX_OSXSAVE, cfg->cr4_osxsave);
	/* A globally disabled APIC leaves CPUID.1:EDX.APIC clear (SDM
	 * "Local APIC Status and Location"); the guest's APIC is virtual. */
	if (cfg->apic_disabled)
		r->edx &= ~CPUID_1_EDX_APIC;
}

/* Leaf 7: the feature table decides (hv/view/cpu_features.c); like
 * OSXSAVE, OSPKE mirrors the guest's CR4, not the host's. */
static void leaf_7(const struct cpuid_guest_cfg *cfg, uint32_t subleaf,
		   struct cpuid_regs *r)
{
	if (subleaf != 0)
		return;
	set_bit_if(&r->ecx, CPUID_7_ECX_OSPKE,
		   cfg->cr4_pke && (r->ecx & CPUID_7_ECX_PKU));
}

/* Leaf 0xD as a CPU with only the allowed components reports it: subleaf
 * 0 lists the allowed XCR0 bits and the standard-format size they need;
 * subleaf 1 the allowed IA32_XSS bits; the subleaves of other components
 * read zeros.  EBX of subleaves 0 and 1 (the size for what is enabled now)
 * stays the hardware's: XCR0 and IA32_XSS hold the guest's values. */
static void leaf_d(const struct cpuid_guest_cfg *cfg, uint32_t subleaf,
		   struct cpuid_regs *r)
{
	if (subleaf == 0) {
		r->eax &= LOW32(cfg->xcr0_allowed);
		r->edx &= HIGH32(cfg->xcr0_allowed);
		r->ecx = cfg->xsave_size;
	} else if (subleaf == 1) {
		r->ecx &= LOW32(cfg->xss_allowed);
		r->edx &= HIGH32(cfg->xss_allowed);
	} else if (subleaf >= XSAVE_COMPONENTS ||
		   !((cfg->xcr0_allowed | cfg->xss_allowed) & BIT_ULL(subleaf))) {
		*r = (struct cpuid_regs){ 0 };
	}
}

/* Leaves of hidden features (hv/view/cpu_features.c): zeros. */
static bool cpuid_leaf_is_hidden(uint32_t leaf)
{
	switch (leaf) {
	case CPUID_LEAF_RDT_MONITOR:
	case CPUID_LEAF_RDT_ALLOC:
	case CPUID_LEAF_KEY_LOCKER:
	case CPUID_LEAF_PCONFIG:
	case CPUID_LEAF_ARCH_LBR:
	case CPUID_LEAF_TILE:
	case CPUID_LEAF_TMUL:
	case CPUID_LEAF_HRESET:
		return true;
	default:
		return false;
	}
}

/* The leaves below, the hidden ones and the hypervisor's range are the
 * ones the view changes; cpuid_guest_view() starts with this test, so the
 * list and the switch cannot disagree without the unit tests noticing. */
bool cpuid_leaf_is_host(uint32_t leaf)
{
	switch (leaf) {
	case CPUID_LEAF_FEATURES:
	case CPUID_LEAF_MWAIT:
	case CPUID_LEAF_THERMAL_POWER:
	case CPUID_LEAF_EXT_FEATURES:
	case CPUID_LEAF_PERFMON:
	case CPUID_LEAF_XSAVE:
	case CPUID_LEAF_SGX:
	case CPUID_LEAF_PT:
	case CPUID_EXT_FEATURES:
		return false;
	default:
		return !cpuid_leaf_is_hidden(leaf) &&
		       (leaf < CPUID_HV_RANGE_BASE || leaf > CPUID_HV_RANGE_LAST);
	}
}

/* Turn the host's CPUID result r for leaf/subleaf into what the guest sees,
 * in place, as the policy in hv/view/cpuid.h says.  Pure (cfg carries the
 * guest state it needs); leaves the view does not change are left alone. */
void cpuid_guest_view(const struct cpuid_guest_cfg *cfg, uint32_t leaf,
		      uint32_t subleaf, struct cpuid_regs *r)
{
	if (cpuid_leaf_is_host(leaf))
		return;
	if (leaf >= CPUID_HV_RANGE_BASE && leaf <= CPUID_HV_RANGE_LAST) {
		hv_leaf(leaf, r);
		return;
	}
	switch (leaf) {
	case CPUID_LEAF_FEATURES:
		leaf_1(cfg, r);
		break;
	case CPUID_LEAF_MWAIT:
	case CPUID_LEAF_PERFMON:
	case CPUID_LEAF_SGX:
	case CPUID_LEAF_PT:
		*r = (struct cpuid_regs){ 0 };
		break;
	case CPUID_LEAF_THERMAL_POWER:
		*r = (struct cpuid_regs){ .eax = r->eax & CPUID_6_EAX_ARAT };
		break;
	case CPUID_LEAF_EXT_FEATURES:
		leaf_7(cfg, subleaf, r);
		break;
	case CPUID_LEAF_XSAVE:
		leaf_d(cfg, subleaf, r);
		break;
	default:
		if (cpuid_leaf_is_hidden(leaf))
			*r = (struct cpuid_regs){ 0 };
		break;
	}
	cpu_features_apply(cfg, leaf, subleaf, r);
}

/*
 * The XSAVE components this CPU offers the guest, read once from the
 * host's CPUID leaf 0xD and cut down by hv/view/cpu_features.h: what
 * XSETBV and WRMSR IA32_XSS accept and what the guest's CPUID leaf 0xD
 * reports come from here, so the three cannot disagree.
 */
#ifndef HV_XSAVE_POLICY_H
#define HV_XSAVE_POLICY_H

#include <stdint.h>

struct xsave_policy {
	uint64_t xcr0;          /* XCR0 bits the guest may set */
	uint64_t xss;           /* IA32_XSS bits the guest may set */
	uint32_t size;          /* CPUID.(0DH,0):ECX for the xcr0 bits */
};

/* This CPU's policy (read on first use; every CPU gives the same). */
const struct xsave_policy *xsave_policy(void);

#endif

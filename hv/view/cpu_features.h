/*
 * CPU features a real machine may have and the guest either uses as they
 * are or never sees (pure, unit-tested; the table is hv/view/cpu_features.c
 * and docs/cpu-features.md explains each decision).
 *
 * One row per CPUID feature bit the hypervisor has decided about:
 *  - FEATURE_PASS: the guest sees the host's bit and uses the feature
 *    directly; whatever state it has is either switched by the VMCS or
 *    never used by the host.  XSAVE components of such rows may be
 *    enabled in XCR0 / IA32_XSS.
 *  - FEATURE_HIDE: the bit reads 0, and what the feature would enable is
 *    refused as on a CPU without it: its CR4 bits #GP (they become
 *    must-be-zero bits of the guest's CR4), its XSAVE components are
 *    neither reported in CPUID leaf 0xD nor accepted by XSETBV or
 *    WRMSR IA32_XSS, and its MSRs stay default-denied (hv/view/msr_policy.h).
 *  - FEATURE_IF_*: shown only while the VMX control that makes the
 *    instruction work in the guest is on (otherwise it would #UD).
 * A CPUID bit without a row is the host's (leaves 1, 7, 0xD and
 * 0x80000001 also have the fixed rules of hv/view/cpuid.c).  XSAVE
 * components are default-deny: only the legacy area and the components
 * of FEATURE_PASS rows are ever offered.
 */
#ifndef HV_CPU_FEATURES_H
#define HV_CPU_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/view/cpuid.h"

enum feature_rule {
	FEATURE_PASS,
	FEATURE_HIDE,
	FEATURE_IF_RDTSCP,      /* "enable RDTSCP" (also governs RDPID) */
	FEATURE_IF_INVPCID,     /* "enable INVPCID" */
	FEATURE_IF_XSAVES,      /* "enable XSAVES/XRSTORS" */
};

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

struct cpu_feature {
	const char *name;
	uint32_t leaf, subleaf;
	enum cpuid_reg reg;
	uint32_t bits;
	enum feature_rule rule;
	uint64_t cr4;           /* CR4 bits that turn it on */
	uint64_t xcr0, xss;     /* XSAVE components holding its state */
	const char *why;
};

extern const struct cpu_feature cpu_features[];
extern const size_t cpu_features_count;

/* True when the guest with controls cfg sees feature f. */
bool cpu_feature_shown(const struct cpu_feature *f,
		       const struct cpuid_guest_cfg *cfg);

/* Clear in r (the host's CPUID(leaf, subleaf)) the bits of every row the
 * guest does not see. */
void cpu_features_apply(const struct cpuid_guest_cfg *cfg, uint32_t leaf,
			uint32_t subleaf, struct cpuid_regs *r);

/* CR4 bits of hidden features: the guest may never set them. */
uint64_t cpu_features_cr4_refused(void);

/* Of the host's XCR0 bits (CPUID.(0DH,0):EDX:EAX) and IA32_XSS bits
 * (CPUID.(0DH,1):EDX:ECX), those the guest may enable. */
uint64_t cpu_features_xcr0_allowed(uint64_t host);
uint64_t cpu_features_xss_allowed(uint64_t host);

/* One XSAVE state component as CPUID.(0DH, i) describes it. */
struct xsave_component {
	uint32_t size;          /* EAX */
	uint32_t offset;        /* EBX: in the standard format (user components) */
};

/* The legacy region (512 bytes) and the XSAVE header (64). */
#define XSAVE_LEGACY_HEADER_SIZE 576u
/* XSAVE components are numbered 0-62; bit 63 of XCR0 is reserved. */
#define XSAVE_COMPONENTS        63u

/* The standard-format XSAVE area for the user components in mask, as
 * CPUID.(0DH,0):ECX reports it: the end of the component that ends last
 * (layout[i] for i < n), at least the legacy region and header. */
uint32_t xsave_standard_size(uint64_t mask, const struct xsave_component *layout,
			     uint32_t n);

#endif

/*
 * The CPUID the guest sees (pure: host unit tests feed it host values).
 *
 * The hypervisor executes CPUID itself and adjusts the result:
 *  - leaf 1: ECX.hypervisor set; VMX and SMX cleared (VMX is not offered
 *    to the guest, GETSEC is #UD); MONITOR cleared (MWAIT is a NOP under
 *    MWAIT exiting, so the guest should idle with HLT); OSXSAVE from the
 *    guest's CR4, not the host's.  DS, DTES64, DS-CPL and PDCM cleared:
 *    the DS save area, PEBS and IA32_PERF_CAPABILITIES are denied (the CPU
 *    would write BTS/PEBS records wherever IA32_DS_AREA points).
 *  - leaf 5 (MONITOR/MWAIT), leaf 0xA (architectural PMU: RDPMC exits
 *    and raises #GP, the PMU MSRs #GP, there is no virtual PMU), leaf 0x12
 *    (SGX) and leaf 0x14 (Intel PT: the RTIT MSRs #GP): zeros.
 *  - leaf 6 (thermal and power management): only ARAT; HWP, the energy
 *    bias hint and package thermal reporting are hidden (their MSRs are
 *    not on the MSR allow-lists).
 *  - leaves 1, 7, 0xD.1 and 0x80000001: each feature bit as the table of
 *    hv/view/cpu_features.c decides (shown, hidden, or shown while its VMX
 *    control is on: INVPCID, RDTSCP/RDPID, XSAVES); leaf 7.0 OSPKE from
 *    the guest's CR4.
 *  - leaf 0xD: only the XSAVE components the guest may enable
 *    (cpu_features_xcr0_allowed/xss_allowed): subleaf 0 EDX:EAX and ECX
 *    (the standard-format size they need), subleaf 1 EDX:ECX; the
 *    subleaves of other components read zeros.
 *  - leaves 0xF, 0x10 (RDT), 0x19 (Key Locker), 0x1B (PCONFIG), 0x1C
 *    (arch LBR), 0x1D, 0x1E (AMX) and 0x20 (HRESET): zeros, as their
 *    features are hidden.
 *  - 0x40000000-0x4fffffff: the hypervisor's leaves (hv/exit/hypercall.h);
 *    every other leaf of that range reads as zeros.
 * Live instead of cached: leaf 0xD depends on XCR0, which the guest sets
 * (XCR0 is not switched on VM exits, so the host's view is the guest's).
 */
#ifndef HV_CPUID_VIEW_H
#define HV_CPUID_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"

/* What the adjustment depends on. */
struct cpuid_guest_cfg {
	bool rdtscp, invpcid, xsaves;   /* the VMX controls are on */
	bool cr4_osxsave, cr4_pke;      /* the guest's CR4 */
	bool apic_disabled;             /* the guest's IA32_APIC_BASE.EN is 0 */
	uint64_t xcr0_allowed;          /* XCR0 bits the guest may set */
	uint64_t xss_allowed;           /* IA32_XSS bits the guest may set */
	uint32_t xsave_size;            /* standard-format size for xcr0_allowed */
};

/* True when the guest sees the host's CPUID(leaf, *) unchanged: the exit
 * handler then skips the view (and the guest-state reads it needs). */
bool cpuid_leaf_is_host(uint32_t leaf);

/* r holds the host's CPUID(leaf, subleaf) on entry (ignored for the
 * hypervisor range) and the guest's on return. */
void cpuid_guest_view(const struct cpuid_guest_cfg *cfg, uint32_t leaf,
		      uint32_t subleaf, struct cpuid_regs *r);

#endif

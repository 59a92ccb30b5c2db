/*
 * Speculation hygiene around VM entry and exit, chosen from what the CPU
 * reports (CPUID.(EAX=7,ECX=0):EDX and IA32_ARCH_CAPABILITIES; Intel's
 * "Affected Processors" guidance, and what KVM applies for each issue):
 *
 *  - MDS, TAA and MMIO stale data: VERW right before VM entry clears the
 *    CPU buffers that the guest could otherwise sample hypervisor data from
 *    (needs MD_CLEAR or FB_CLEAR; not needed when ARCH_CAPABILITIES says
 *    the CPU is not affected by any of them).
 *  - L1TF: an L1D flush (IA32_FLUSH_CMD) before VM entry, unless the CPU
 *    is not affected (RDCL_NO) or flushes itself (SKIP_L1DFL_VMENTRY).
 *  - Return stack buffer: after a VM exit the RSB holds guest-made
 *    entries; filling it with harmless ones keeps the hypervisor's returns
 *    from speculating into guest-chosen targets.  Not needed with enhanced
 *    IBRS on a CPU without post-barrier RSB predictions (PBRSB_NO).
 *  - Indirect branches in the hypervisor itself are compiled as retpolines
 *    (the Makefile), so the guest cannot steer them through the BTB.
 *  - Enhanced IBRS (ARCH_CAPABILITIES.IBRS_ALL with IA32_SPEC_CTRL): the
 *    host runs with SPEC_CTRL.IBRS set, as Intel advises for such CPUs
 *    (retpolines alone are not enough where RETs fall back to the BTB).
 *    The guest owns its own SPEC_CTRL (the MSR passes through), so the
 *    run loop switches it: the guest's value is read after every exit and
 *    the host's written when they differ, and the guest's written back
 *    before the entry (as KVM does).  Without enhanced IBRS the host uses
 *    no SPEC_CTRL bit: a guest value can only add restrictions, and the
 *    MSR is not switched.
 *
 * The choice is pure so that host unit tests cover it.
 */
#ifndef HV_VCPU_MITIGATIONS_H
#define HV_VCPU_MITIGATIONS_H

/* IA32_ARCH_CAPABILITIES bits */
#define ARCH_CAP_RDCL_NO                (1ull << 0)
#define ARCH_CAP_IBRS_ALL               (1ull << 1)
#define ARCH_CAP_SKIP_L1DFL_VMENTRY     (1ull << 3)
#define ARCH_CAP_MDS_NO                 (1ull << 5)
#define ARCH_CAP_TAA_NO                 (1ull << 8)
#define ARCH_CAP_SBDR_SSDP_NO           (1ull << 13)
#define ARCH_CAP_FBSDP_NO               (1ull << 14)
#define ARCH_CAP_PSDP_NO                (1ull << 15)
#define ARCH_CAP_FB_CLEAR               (1ull << 17)
#define ARCH_CAP_PBRSB_NO               (1ull << 24)

/* IA32_FLUSH_CMD */
#define FLUSH_CMD_L1D                   (1ull << 0)

/* The flags vmx_enter() takes (hv/vcpu/regs.h). */
#define VMX_ENTER_VERW                  (1u << 0)
#define VMX_ENTER_FILL_RSB              (1u << 1)

#ifndef __ASSEMBLY__
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"

#include <stdbool.h>
#include <stdint.h>

struct mitigations {
	bool verw;              /* VERW before every VM entry */
	bool l1d_flush;         /* IA32_FLUSH_CMD before every VM entry */
	bool fill_rsb;          /* 32 harmless RSB entries after every exit */
	uint64_t host_spec_ctrl; /* IA32_SPEC_CTRL in root mode (0: not switched) */
	bool l1tf_unmitigated;  /* affected by L1TF with no flush command */
	bool mds_unmitigated;   /* affected by MDS with no VERW clearing */
};

/* What to apply for a CPU with CPUID.7.EDX cpuid7_edx and, when that
 * reports the MSR, IA32_ARCH_CAPABILITIES arch_caps (0 otherwise: a CPU
 * without the MSR is taken as affected by everything). */
static inline struct mitigations mitigations_choose(uint32_t cpuid7_edx,
						    uint64_t arch_caps)
{
	const uint64_t mds_free = ARCH_CAP_MDS_NO | ARCH_CAP_TAA_NO |
				  ARCH_CAP_SBDR_SSDP_NO | ARCH_CAP_FBSDP_NO |
				  ARCH_CAP_PSDP_NO;
	bool clears = (cpuid7_edx & CPUID_7_EDX_MD_CLEAR) ||
		      (arch_caps & ARCH_CAP_FB_CLEAR);
	bool mds = (arch_caps & mds_free) != mds_free;
	bool l1tf = !(arch_caps & (ARCH_CAP_RDCL_NO | ARCH_CAP_SKIP_L1DFL_VMENTRY));
	bool flushes = (cpuid7_edx & CPUID_7_EDX_L1D_FLUSH) != 0;
	bool eibrs = (arch_caps & ARCH_CAP_IBRS_ALL) &&
		     (cpuid7_edx & CPUID_7_EDX_IBRS_IBPB);
	struct mitigations m = {
		.verw = mds && clears,
		.l1d_flush = l1tf && flushes,
		.fill_rsb = !(eibrs && (arch_caps & ARCH_CAP_PBRSB_NO)),
		.host_spec_ctrl = eibrs ? SPEC_CTRL_IBRS : 0,
		.l1tf_unmitigated = l1tf && !flushes,
		.mds_unmitigated = mds && !clears,
	};

	return m;
}

/* Read this CPU's reports, choose, and log one line of what is applied. */
struct mitigations mitigations_init(void);
#endif

#endif

/*
 * Reading what the CPU reports about speculation issues and saying what the
 * VM-entry path applies (see hv/vcpu/mitigations.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/msr.h"
#include "hv/vcpu/mitigations.h"
#include "lib/log.h"


/* CPUID.7.EDX, 0 when the CPU has no leaf 7. */
static uint32_t cpuid7_edx(void)
{
	if (cpuid(CPUID_LEAF_VENDOR, 0).eax < CPUID_LEAF_EXT_FEATURES)
		return 0;
	return cpuid(CPUID_LEAF_EXT_FEATURES, 0).edx;
}

/* Read CPUID.7 and, where reported, IA32_ARCH_CAPABILITIES (with fault
 * recovery: an emulator may report the MSR and lack it); log the choice. */
struct mitigations mitigations_init(void)
{
	uint32_t edx = cpuid7_edx();
	uint64_t caps = 0;
	struct mitigations m;

	if ((edx & CPUID_7_EDX_ARCH_CAPABILITIES) &&
	    !rdmsr_safe(IA32_ARCH_CAPABILITIES, &caps))
		caps = 0;
	m = mitigations_choose(edx, caps);
	log_write(m.l1tf_unmitigated || m.mds_unmitigated ? LOG_WARN : LOG_INFO,
		  "speculation: ARCH_CAPABILITIES %#llx%s; entry:%s%s%s; exit: %s; "
		  "retpolines%s%s%s%s", (unsigned long long)caps,
		  (edx & CPUID_7_EDX_ARCH_CAPABILITIES) ? "" : " (absent)",
		  m.verw ? " VERW" : "", m.l1d_flush ? " L1D flush" : "",
		  m.verw || m.l1d_flush ? "" : " -",
		  m.fill_rsb ? "RSB fill" : "-",
		  m.host_spec_ctrl ? ", host IBRS (enhanced; SPEC_CTRL switched)" : "",
		  m.l1tf_unmitigated || m.mds_unmitigated ? "; unmitigated:" : "",
		  m.l1tf_unmitigated ? " L1TF" : "",
		  m.mds_unmitigated ? " MDS" : "");
	return m;
}

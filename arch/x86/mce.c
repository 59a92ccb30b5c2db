/*
 * Machine checks in VMX root operation: CR4.MCE on, and the report the
 * #MC handler prints before its clean stop (see arch/x86/mce.h).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/extable.h"
#include "arch/x86/mce.h"
#include "arch/x86/msr.h"
#include "lib/log.h"

#define MCE_FLAGS_MAX 40

/* CR4.MCE, where the CPU has machine-check exceptions. */
void mce_enable(void)
{
	if (cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_MCE)
		write_cr4(read_cr4() | CR4_MCE);
}

/* One line for bank i when it holds an error. */
static void report_bank(uint32_t i)
{
	uint32_t msr = IA32_MC0_CTL + i * MCI_MSRS_PER_BANK;
	uint64_t status, addr = 0;
	char flags[MCE_FLAGS_MAX];

	if (!rdmsr_safe(msr + MCI_STATUS_OFFSET, &status) ||
	    !(status & MCI_STATUS_VAL))
		return;
	if (status & MCI_STATUS_ADDRV)
		rdmsr_safe(msr + MCI_ADDR_OFFSET, &addr);
	mce_status_flags(status, flags, sizeof(flags));
	log_write(LOG_PANIC, "machine check: bank %u status 0x%llx (%s), "
		  "MCA code 0x%llx, address 0x%llx", i,
		  (unsigned long long)status, flags,
		  (unsigned long long)(status & MCI_STATUS_MCA_CODE),
		  (unsigned long long)addr);
}

/* IA32_MCG_STATUS and the banks with a valid error; a CPU without the
 * machine-check architecture (or an INT 18 from software) has none. */
void mce_report(void)
{
	uint64_t cap = 0, status = 0;

	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_MCA) ||
	    !rdmsr_safe(IA32_MCG_CAP, &cap) ||
	    !rdmsr_safe(IA32_MCG_STATUS, &status)) {
		log_write(LOG_PANIC, "machine check in the hypervisor "
			  "(no machine-check architecture to read)");
		return;
	}
	log_write(LOG_PANIC, "machine check in the hypervisor: "
		  "IA32_MCG_STATUS 0x%llx (%s%s%s), %llu banks",
		  (unsigned long long)status,
		  status & MCG_STATUS_MCIP ? "MCIP" : "no MCIP",
		  status & MCG_STATUS_RIPV ? " RIPV" : "",
		  status & MCG_STATUS_EIPV ? " EIPV" : "",
		  (unsigned long long)(cap & MCG_CAP_COUNT_MASK));
	for (uint32_t i = 0; i < (cap & MCG_CAP_COUNT_MASK); i++)
		report_bank(i);
}

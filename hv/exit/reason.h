/*
 * VM-exit reasons (Intel SDM Vol. 3, Appendix C "VMX Basic Exit Reasons",
 * Table C-1, and "Basic VM-Exit Information" for the exit-reason field).
 * EXIT_REASON_* by the SDM's mnemonic or key noun; numbers the SDM leaves
 * unused (35, 38, 42, 71, 80-83) have no name.  Plain #defines for the
 * numbers, usable from assembly; the decoder below is C only.
 */
#ifndef HV_EXIT_REASON_H
#define HV_EXIT_REASON_H

#define EXIT_REASON_EXCEPTION_NMI               0
#define EXIT_REASON_EXTERNAL_INTERRUPT          1
#define EXIT_REASON_TRIPLE_FAULT                2
#define EXIT_REASON_INIT_SIGNAL                 3
#define EXIT_REASON_SIPI                        4
#define EXIT_REASON_IO_SMI                      5
#define EXIT_REASON_OTHER_SMI                   6
#define EXIT_REASON_INTERRUPT_WINDOW            7
#define EXIT_REASON_NMI_WINDOW                  8
#define EXIT_REASON_TASK_SWITCH                 9
#define EXIT_REASON_CPUID                       10
#define EXIT_REASON_GETSEC                      11
#define EXIT_REASON_HLT                         12
#define EXIT_REASON_INVD                        13
#define EXIT_REASON_INVLPG                      14
#define EXIT_REASON_RDPMC                       15
#define EXIT_REASON_RDTSC                       16
#define EXIT_REASON_RSM                         17
#define EXIT_REASON_VMCALL                      18
#define EXIT_REASON_VMCLEAR                     19
#define EXIT_REASON_VMLAUNCH                    20
#define EXIT_REASON_VMPTRLD                     21
#define EXIT_REASON_VMPTRST                     22
#define EXIT_REASON_VMREAD                      23
#define EXIT_REASON_VMRESUME                    24
#define EXIT_REASON_VMWRITE                     25
#define EXIT_REASON_VMXOFF                      26
#define EXIT_REASON_VMXON                       27
#define EXIT_REASON_CR_ACCESS                   28
#define EXIT_REASON_MOV_DR                      29
#define EXIT_REASON_IO_INSTRUCTION              30
#define EXIT_REASON_RDMSR                       31
#define EXIT_REASON_WRMSR                       32
#define EXIT_REASON_INVALID_GUEST_STATE         33  /* VM-entry failure */
#define EXIT_REASON_MSR_LOADING                 34  /* VM-entry failure */
#define EXIT_REASON_MWAIT                       36
#define EXIT_REASON_MONITOR_TRAP_FLAG           37
#define EXIT_REASON_MONITOR                     39
#define EXIT_REASON_PAUSE                       40
#define EXIT_REASON_MACHINE_CHECK               41  /* VM-entry failure */
#define EXIT_REASON_TPR_BELOW_THRESHOLD         43
#define EXIT_REASON_APIC_ACCESS                 44
#define EXIT_REASON_VIRTUALIZED_EOI             45
#define EXIT_REASON_GDTR_IDTR_ACCESS            46
#define EXIT_REASON_LDTR_TR_ACCESS              47
#define EXIT_REASON_EPT_VIOLATION               48
#define EXIT_REASON_EPT_MISCONFIG               49
#define EXIT_REASON_INVEPT                      50
#define EXIT_REASON_RDTSCP                      51
#define EXIT_REASON_PREEMPTION_TIMER            52
#define EXIT_REASON_INVVPID                     53
#define EXIT_REASON_WBINVD                      54  /* WBINVD or WBNOINVD */
#define EXIT_REASON_XSETBV                      55
#define EXIT_REASON_APIC_WRITE                  56
#define EXIT_REASON_RDRAND                      57
#define EXIT_REASON_INVPCID                     58
#define EXIT_REASON_VMFUNC                      59
#define EXIT_REASON_ENCLS                       60
#define EXIT_REASON_RDSEED                      61
#define EXIT_REASON_PML_FULL                    62
#define EXIT_REASON_XSAVES                      63
#define EXIT_REASON_XRSTORS                     64
#define EXIT_REASON_PCONFIG                     65
#define EXIT_REASON_SPP_EVENT                   66
#define EXIT_REASON_UMWAIT                      67
#define EXIT_REASON_TPAUSE                      68
#define EXIT_REASON_LOADIWKEY                   69
#define EXIT_REASON_ENCLV                       70
#define EXIT_REASON_ENQCMD_PASID_FAILURE        72
#define EXIT_REASON_ENQCMDS_PASID_FAILURE       73
#define EXIT_REASON_BUS_LOCK                    74
#define EXIT_REASON_INSTRUCTION_TIMEOUT         75
#define EXIT_REASON_SEAMCALL                    76
#define EXIT_REASON_TDCALL                      77
#define EXIT_REASON_RDMSRLIST                   78
#define EXIT_REASON_WRMSRLIST                   79
#define EXIT_REASON_RDMSR_IMM                   84  /* RDMSR with immediate */
#define EXIT_REASON_WRMSRNS_IMM                 85  /* WRMSRNS with immediate */

/* Highest number named here: tables indexed by basic reason have
 * EXIT_REASON_MAX + 1 rows and bounds-check against it. */
#define EXIT_REASON_MAX                         85

/* Exit-reason field layout ("Basic VM-Exit Information"). */
#define EXIT_REASON_BASIC_MASK                  0xffff
#define EXIT_REASON_BUS_LOCK_DETECTED           0x04000000
#define EXIT_REASON_ENCLAVE_MODE                0x08000000
#define EXIT_REASON_PENDING_MTF                 0x10000000
#define EXIT_REASON_FROM_VMX_ROOT               0x20000000
#define EXIT_REASON_ENTRY_FAILURE               0x80000000

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* The exit-reason field decoded once, at the top of the exit handler:
 * what every exit needs.  The rare flags (bits 29-26: from VMX root,
 * pending MTF, enclave mode, bus lock) are read from raw when needed
 * (exit_reason_flag()), not decoded on every exit. */
struct exit_reason {
	uint32_t raw;            /* the whole field, as read from the VMCS */
	uint16_t basic;
	bool entry_failure;      /* bit 31: VM entry failed, guest never ran */
};

/* One of the EXIT_REASON_* flag bits of the field. */
static inline bool exit_reason_flag(const struct exit_reason *r, uint32_t bit)
{
	return (r->raw & bit) != 0;
}

static inline struct exit_reason exit_reason_decode(uint32_t field)
{
	return (struct exit_reason){
		.raw = field,
		.basic = (uint16_t)(field & EXIT_REASON_BASIC_MASK),
		.entry_failure = (field & EXIT_REASON_ENTRY_FAILURE) != 0,
	};
}

/* SDM name of a basic exit reason ("EPT violation"), "unknown" for numbers
 * the SDM does not use (hv/exit/table.c). */
const char *exit_reason_name(uint32_t basic);

/* True when the SDM defines this basic reason. */
bool exit_reason_known(uint32_t basic);
#endif

#endif

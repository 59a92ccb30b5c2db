/*
 * The exit table: one row per basic exit reason of Intel SDM Vol. 3,
 * Appendix C, Table C-1 (and the later editions' 76-79, 84, 85), with the
 * SDM's name and the handler.  Numbers the SDM leaves unused have no row.
 * The comment on each row is the policy in one line; the handler's own
 * comment has the reasons.
 *
 * Reasons that need a control this hypervisor never sets (hv/vmx/ctls.c)
 * go to exit_unexpected: if one arrives, a control word is not what the
 * code believes, and the guest is stopped with the state printed.
 */
#include <stddef.h>

#include "hv/exit/dispatch.h"
#include "hv/exit/handlers.h"
#include "hv/exit/reason.h"

#define ROW(reason, text, fn) [reason] = { text, fn, false, false }
/* A simple instruction exit: see hv/exit/dispatch.c for what that lets
 * the dispatcher skip and why these handlers qualify. */
#define ROW_SIMPLE(reason, text, fn) [reason] = { text, fn, true, true }
/* An instruction exit with a qualification (hv/exit/dispatch.c). */
#define ROW_INSN(reason, text, fn) [reason] = { text, fn, false, true }

const struct exit_row exit_table[EXIT_REASON_MAX + 1] = {
	/* NMI: queued for the guest; exceptions in the bitmap: reflected. */
	ROW(EXIT_REASON_EXCEPTION_NMI, "exception or NMI", handle_exception_nmi),
	/* Vector queued (acknowledged on exit), injected when the guest can take it. */
	ROW(EXIT_REASON_EXTERNAL_INTERRUPT, "external interrupt", handle_external_interrupt),
	/* Reported with the guest state; stop (or reset: on-triple-fault=reset). */
	ROW(EXIT_REASON_TRIPLE_FAULT, "triple fault", handle_triple_fault),
	/* Guest enters wait-for-SIPI. */
	ROW(EXIT_REASON_INIT_SIGNAL, "INIT signal", handle_init_signal),
	/* CS = vector << 8, RIP = 0, active. */
	ROW(EXIT_REASON_SIPI, "start-up IPI (SIPI)", handle_sipi),
	/* No SMM support (no dual-monitor treatment). */
	ROW(EXIT_REASON_IO_SMI, "I/O system-management interrupt (SMI)", exit_unexpected),
	ROW(EXIT_REASON_OTHER_SMI, "other SMI", exit_unexpected),
	/* Pending events are injected before the next entry (hv/vcpu/inject.c). */
	ROW(EXIT_REASON_INTERRUPT_WINDOW, "interrupt window", handle_event_window),
	ROW(EXIT_REASON_NMI_WINDOW, "NMI window", handle_event_window),
	/* Hardware task switches emulated: CALL, JMP, IRET, IDT task gates. */
	ROW(EXIT_REASON_TASK_SWITCH, "task switch", handle_task_switch),
	/* Real values with VMX hidden and the hypervisor leaves added. */
	ROW_SIMPLE(EXIT_REASON_CPUID, "CPUID", handle_cpuid),
	/* No SMX for the guest: #UD. */
	ROW(EXIT_REASON_GETSEC, "GETSEC", inject_ud),
	/* Guest activity state HLT: the CPU waits in VMX non-root operation. */
	ROW(EXIT_REASON_HLT, "HLT", handle_hlt),
	/* Treated as WBINVD: the cache is never discarded under the host. */
	ROW_SIMPLE(EXIT_REASON_INVD, "INVD", handle_wbinvd),
	/* Only with INVLPG exiting (off): INVVPID of that address. */
	ROW(EXIT_REASON_INVLPG, "INVLPG", handle_invlpg),
	/* No virtual PMU: #GP. */
	ROW_SIMPLE(EXIT_REASON_RDPMC, "RDPMC", handle_rdpmc),
	/* Only with RDTSC exiting (off): the real TSC plus the TSC offset. */
	ROW_SIMPLE(EXIT_REASON_RDTSC, "RDTSC", handle_rdtsc),
	/* RSM exits only from SMM under dual-monitor treatment. */
	ROW(EXIT_REASON_RSM, "RSM", exit_unexpected),
	/* The hypercall ABI of hv/exit/hypercall.h. */
	ROW_SIMPLE(EXIT_REASON_VMCALL, "VMCALL", handle_vmcall),
	/* VMX is hidden from the guest: every VMX instruction is #UD. */
	ROW(EXIT_REASON_VMCLEAR, "VMCLEAR", inject_ud),
	ROW(EXIT_REASON_VMLAUNCH, "VMLAUNCH", inject_ud),
	ROW(EXIT_REASON_VMPTRLD, "VMPTRLD", inject_ud),
	ROW(EXIT_REASON_VMPTRST, "VMPTRST", inject_ud),
	ROW(EXIT_REASON_VMREAD, "VMREAD", inject_ud),
	ROW(EXIT_REASON_VMRESUME, "VMRESUME", inject_ud),
	ROW(EXIT_REASON_VMWRITE, "VMWRITE", inject_ud),
	ROW(EXIT_REASON_VMXOFF, "VMXOFF", inject_ud),
	ROW(EXIT_REASON_VMXON, "VMXON", inject_ud),
	/* Masked CR0/CR4 bits via the read shadows; CR4.VMXE: #GP; CR3/CR8 if exiting. */
	ROW(EXIT_REASON_CR_ACCESS, "control-register access", handle_cr_access),
	/* MOV-DR exiting is off: DR7 is in the VMCS, DR0-DR6 are the guest's. */
	ROW(EXIT_REASON_MOV_DR, "MOV DR", exit_unexpected),
	/* Guest power ports (hv/view/power.c), then the hypervisor-owned ports:
	 * writes dropped, reads all ones. */
	ROW_INSN(EXIT_REASON_IO_INSTRUCTION, "I/O instruction", handle_io),
	/* VMX MSRs #GP, FEATURE_CONTROL locked/VMX off, VMCS-held MSRs, else safe pass-through. */
	ROW_SIMPLE(EXIT_REASON_RDMSR, "RDMSR", handle_rdmsr),
	ROW_SIMPLE(EXIT_REASON_WRMSR, "WRMSR", handle_wrmsr),
	/* VM-entry failures (bit 31): reported with the guest state, guest stopped. */
	ROW(EXIT_REASON_INVALID_GUEST_STATE, "VM-entry failure due to invalid guest state", exit_entry_failure),
	ROW(EXIT_REASON_MSR_LOADING, "VM-entry failure due to MSR loading", exit_entry_failure),
	/* MONITOR hidden in CPUID; MWAIT is a NOP (architecturally it may wake at any time). */
	ROW(EXIT_REASON_MWAIT, "MWAIT", handle_skip),
	/* Set only by the MMIO write watch's single step: protect the page again. */
	ROW(EXIT_REASON_MONITOR_TRAP_FLAG, "monitor trap flag", handle_monitor_trap),
	ROW(EXIT_REASON_MONITOR, "MONITOR", handle_skip),
	/* Only with PAUSE exiting (off): nobody to yield to, skip. */
	ROW(EXIT_REASON_PAUSE, "PAUSE", handle_skip),
	ROW(EXIT_REASON_MACHINE_CHECK, "VM-entry failure due to machine-check event", exit_entry_failure),
	/* APIC virtualisation, descriptor-table exiting: not enabled. */
	ROW(EXIT_REASON_TPR_BELOW_THRESHOLD, "TPR below threshold", exit_unexpected),
	ROW(EXIT_REASON_APIC_ACCESS, "APIC access", handle_apic_access),
	ROW(EXIT_REASON_VIRTUALIZED_EOI, "virtualized EOI", handle_virtualized_eoi),
	ROW(EXIT_REASON_GDTR_IDTR_ACCESS, "access to GDTR or IDTR", exit_unexpected),
	ROW(EXIT_REASON_LDTR_TR_ACCESS, "access to LDTR or TR", exit_unexpected),
	/* Guest touched a hypervisor-owned range: reported, guest stopped. */
	ROW(EXIT_REASON_EPT_VIOLATION, "EPT violation", handle_ept_violation),
	/* A broken EPT entry (hypervisor bug): walk printed, guest stopped. */
	ROW(EXIT_REASON_EPT_MISCONFIG, "EPT misconfiguration", handle_ept_misconfig),
	ROW(EXIT_REASON_INVEPT, "INVEPT", inject_ud),
	/* Only with RDTSC exiting (off): TSC plus offset, ECX = IA32_TSC_AUX. */
	ROW_SIMPLE(EXIT_REASON_RDTSCP, "RDTSCP", handle_rdtscp),
	/* The run loop decides about the timer; the exit gives control back
	 * (and reports a guest halted with IF = 0 when HLT does not exit). */
	ROW(EXIT_REASON_PREEMPTION_TIMER, "VMX-preemption timer expired", handle_preemption_timer),
	ROW(EXIT_REASON_INVVPID, "INVVPID", inject_ud),
	/* Executed in root mode, then skipped. */
	ROW_SIMPLE(EXIT_REASON_WBINVD, "WBINVD or WBNOINVD", handle_wbinvd),
	/* Checked against CPUID.(EAX=0DH,ECX=0); #GP or executed in root mode. */
	ROW_SIMPLE(EXIT_REASON_XSETBV, "XSETBV", handle_xsetbv),
	ROW(EXIT_REASON_APIC_WRITE, "APIC write", handle_apic_write),
	/* Only with RDRAND/RDSEED exiting (off): executed in root mode. */
	ROW(EXIT_REASON_RDRAND, "RDRAND", handle_rdrand_rdseed),
	/* Only with INVLPG exiting (off): the guest's whole VPID context flushed. */
	ROW(EXIT_REASON_INVPCID, "INVPCID", handle_invpcid),
	/* VM functions are off: #UD. */
	ROW(EXIT_REASON_VMFUNC, "VMFUNC", inject_ud),
	/* SGX hidden; ENCLS/ENCLV exiting off. */
	ROW(EXIT_REASON_ENCLS, "ENCLS", exit_unexpected),
	ROW(EXIT_REASON_RDSEED, "RDSEED", handle_rdrand_rdseed),
	/* PML, XSS-exiting bitmap, PCONFIG, SPP: not enabled. */
	ROW(EXIT_REASON_PML_FULL, "page-modification log full", exit_unexpected),
	ROW(EXIT_REASON_XSAVES, "XSAVES", exit_unexpected),
	ROW(EXIT_REASON_XRSTORS, "XRSTORS", exit_unexpected),
	ROW(EXIT_REASON_PCONFIG, "PCONFIG", exit_unexpected),
	ROW(EXIT_REASON_SPP_EVENT, "SPP-related event", exit_unexpected),
	/* "Enable user wait and pause" is off: the CPU raises #UD itself. */
	ROW(EXIT_REASON_UMWAIT, "UMWAIT", exit_unexpected),
	ROW(EXIT_REASON_TPAUSE, "TPAUSE", exit_unexpected),
	ROW(EXIT_REASON_LOADIWKEY, "LOADIWKEY", exit_unexpected),
	ROW(EXIT_REASON_ENCLV, "ENCLV", exit_unexpected),
	ROW(EXIT_REASON_ENQCMD_PASID_FAILURE, "ENQCMD PASID translation failure", exit_unexpected),
	ROW(EXIT_REASON_ENQCMDS_PASID_FAILURE, "ENQCMDS PASID translation failure", exit_unexpected),
	ROW(EXIT_REASON_BUS_LOCK, "bus lock", exit_unexpected),
	ROW(EXIT_REASON_INSTRUCTION_TIMEOUT, "instruction timeout", exit_unexpected),
	/* No TDX: #UD, as on a CPU without it. */
	ROW(EXIT_REASON_SEAMCALL, "SEAMCALL", inject_ud),
	ROW(EXIT_REASON_TDCALL, "TDCALL", inject_ud),
	/* MSR lists and immediate-form MSR instructions are not enabled. */
	ROW(EXIT_REASON_RDMSRLIST, "RDMSRLIST", exit_unexpected),
	ROW(EXIT_REASON_WRMSRLIST, "WRMSRLIST", exit_unexpected),
	ROW(EXIT_REASON_RDMSR_IMM, "RDMSR with immediate operand", exit_unexpected),
	ROW(EXIT_REASON_WRMSRNS_IMM, "WRMSRNS with immediate operand", exit_unexpected),
};

/* Whether the exit of this reason needs no qualification or event fields
 * (the table's simple column). */
bool exit_reason_simple(uint32_t reason)
{
	const struct exit_row *row = exit_row_of(reason);

	return row && row->simple;
}

/* Whether the exit of this reason reads no event fields and keeps the
 * injection decision (the table's instruction column). */
bool exit_reason_instruction(uint32_t reason)
{
	const struct exit_row *row = exit_row_of(reason);

	return row && row->instruction;
}

/* Whether the SDM defines basic exit reason basic (the table has its row). */
bool exit_reason_known(uint32_t basic)
{
	return exit_row_of(basic) != NULL;
}

/* The SDM name of a basic exit reason, "unknown" when the table has no row;
 * never NULL, so it can go straight into a log line. */
const char *exit_reason_name(uint32_t reason)
{
	const struct exit_row *row = exit_row_of(reason);

	return row ? row->name : "unknown";
}

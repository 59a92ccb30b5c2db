/*
 * The check table: the single list of in-guest checks, in run order.  The
 * hypervisor-memory touch stays last: under the hypervisor it may stop the
 * guest (EPT violation) and end the run.
 */
#include <stdarg.h>

#include "tests/guest/check.h"
#include "tests/guest/console.h"

const struct check check_table[] = {
	{ "realmode", check_realmode_report },
	{ "task_call_iret", check_task_call_iret },
	{ "task_jmp", check_task_jmp },
	{ "task_tss16", check_task_tss16 },
	{ "task_fault_before_commit", check_task_fault_before_commit },
	{ "task_fault_after_commit", check_task_fault_after_commit },
	{ "task_trap_bit", check_task_trap_bit },
	{ "task_gate_df", check_task_gate_df },
	{ "task_gate_int", check_task_gate_int },
	{ "task_old_tss_limit", check_task_old_tss_limit },
	{ "task_paging", check_task_paging },
	{ "task_gate_gp", check_task_gate_gp },
	{ "cpuid_hypervisor_bit", check_cpuid_hypervisor_bit },
	{ "cpuid_signature_leaf", check_cpuid_signature_leaf },
	{ "cpuid_vmx_hidden", check_cpuid_vmx_hidden },
	{ "cpuid_leaves_sane", check_cpuid_leaves_sane },
	{ "msr_roundtrip", check_msr_roundtrip },
	{ "msr_vmx_gp", check_msr_vmx_gp },
	{ "msr_feature_control", check_msr_feature_control },
	{ "msr_nonexistent_gp", check_msr_nonexistent_gp },
	{ "cr0_cr4", check_cr0_cr4 },
	{ "cr4_vmxe", check_cr4_vmxe },
	{ "port_io", check_port_io },
	{ "string_io_segment", check_string_io_segment },
	{ "vmx_instructions_ud", check_vmx_instructions_ud },
	{ "exceptions", check_exceptions },
	{ "single_step_exits", check_single_step_exits },
	{ "xsetbv", check_xsetbv },
	{ "invd_wbinvd", check_invd_wbinvd },
	{ "port_hv_owned", check_port_hv_owned },
	{ "port_power", check_port_power },
	{ "rdtsc_monotonic", check_rdtsc_monotonic },
	{ "rdtscp", check_rdtscp },
	{ "hlt_timer_wakeup", check_hlt_timer_wakeup },
	/* HLT that always wakes, events delivered as the CPU delivers them
	 * (issue 10: checks_hlt.c, checks_events.c). */
	{ "hlt_sti_realmode", check_hlt_sti_realmode },
	{ "hlt_sti_protected", check_hlt_sti_protected },
	{ "hlt_sti_long", check_hlt_sti_long },
	{ "hlt_sti_pending", check_hlt_sti_pending },
	{ "event_rf_frame", check_event_rf_frame },
	{ "event_self_ipi_pair", check_event_self_ipi_pair },
	{ "event_irq_behind_fault", check_event_irq_behind_fault },
	{ "hypercall_version", check_hypercall_version },
	{ "hypercall_console_write", check_hypercall_console_write },
	{ "hypercall_bad_args", check_hypercall_bad_args },
	{ "hypercall_exit_stats", check_hypercall_exit_stats },
	{ "hypercall_unknown", check_hypercall_unknown },
	/* The "attacks" group (issue 8): a hostile guest tries the holes the
	 * hardening closed; the hypervisor must contain each and keep going. */
	{ "attack_hc_buffers", check_attack_hc_buffers },
	{ "attack_hc_32bit", check_attack_hc_32bit },
	{ "attack_nmi_burst", check_attack_nmi_burst },
	{ "attack_pm_base_move", check_attack_pm_base_move },
	{ "attack_hc_fuzz", check_attack_hc_fuzz },
	{ "smp_init_sipi_blocked", check_smp_init_sipi_blocked },
	{ "hv_memory_map", check_hv_memory_map },
	{ "hv_memory_protected", check_hv_memory_protected },
	{ "msr_apic_base_move", check_msr_apic_base_move },
	{ "msr_trace_pmu_gp", check_msr_trace_pmu_gp },
	{ "msr_mtrr_roundtrip", check_msr_mtrr_roundtrip },
	{ "msr_machine_check", check_msr_machine_check },
	{ "msr_debugctl_bts_gp", check_msr_debugctl_bts_gp },
	{ "msr_mtrr_wt_range", check_msr_mtrr_wt_range },
	/* CPU features hidden from the guest (issue 13 item 5). */
	{ "cpuid_hidden_features", check_cpuid_hidden_features },
	{ "cr4_hidden_features_gp", check_cr4_hidden_features_gp },
	{ "msr_hidden_features_gp", check_msr_hidden_features_gp },
	/* The local APIC group (issue 9): tests/guest/checks_lapic*.c; each
	 * leaves the LAPIC's registers as it found them.  x2APIC mode stays
	 * once entered (tests/guest/lapic.c), so the xAPIC checks come first;
	 * lapic_mode_transitions disables the APIC (bare for good) and comes
	 * last. */
	{ "lapic_id_version_xapic", check_lapic_id_version_xapic },
	{ "lapic_tpr_ppr_xapic", check_lapic_tpr_ppr_xapic },
	{ "lapic_svr_xapic", check_lapic_svr_xapic },
	{ "lapic_timer_oneshot_xapic", check_lapic_timer_oneshot_xapic },
	{ "lapic_timer_periodic_xapic", check_lapic_timer_periodic_xapic },
	{ "lapic_timer_deadline_xapic", check_lapic_timer_deadline_xapic },
	{ "lapic_timer_current_xapic", check_lapic_timer_current_xapic },
	{ "lapic_timer_divide_xapic", check_lapic_timer_divide_xapic },
	{ "lapic_self_ipi_xapic", check_lapic_self_ipi_xapic },
	{ "lapic_eoi_isr_xapic", check_lapic_eoi_isr_xapic },
	{ "lapic_nested_xapic", check_lapic_nested_xapic },
	{ "lapic_esr_illegal_xapic", check_lapic_esr_illegal_xapic },
	{ "lapic_lvt_masked_xapic", check_lapic_lvt_masked_xapic },
	{ "lapic_nmi_icr_xapic", check_lapic_nmi_icr_xapic },
	{ "lapic_delivery_exits_xapic", check_lapic_delivery_exits_xapic },
	{ "lapic_pit_extint", check_lapic_pit_extint_xapic },
	{ "lapic_pit_ioapic_xapic", check_lapic_pit_ioapic_xapic },
	{ "lapic_pit_level_xapic", check_lapic_pit_level_xapic },
	{ "lapic_bad_input_xapic", check_lapic_bad_input_xapic },
	{ "lapic_xapic_relocate", check_lapic_relocate_xapic },
	{ "lapic_id_version_x2apic", check_lapic_id_version_x2apic },
	{ "lapic_tpr_ppr_x2apic", check_lapic_tpr_ppr_x2apic },
	{ "lapic_svr_x2apic", check_lapic_svr_x2apic },
	{ "lapic_timer_oneshot_x2apic", check_lapic_timer_oneshot_x2apic },
	{ "lapic_timer_periodic_x2apic", check_lapic_timer_periodic_x2apic },
	{ "lapic_timer_deadline_x2apic", check_lapic_timer_deadline_x2apic },
	{ "lapic_timer_current_x2apic", check_lapic_timer_current_x2apic },
	{ "lapic_timer_divide_x2apic", check_lapic_timer_divide_x2apic },
	{ "lapic_self_ipi_x2apic", check_lapic_self_ipi_x2apic },
	{ "lapic_self_ipi_msr_x2apic", check_lapic_self_ipi_msr_x2apic },
	{ "lapic_eoi_isr_x2apic", check_lapic_eoi_isr_x2apic },
	{ "lapic_nested_x2apic", check_lapic_nested_x2apic },
	{ "lapic_esr_illegal_x2apic", check_lapic_esr_illegal_x2apic },
	{ "lapic_lvt_masked_x2apic", check_lapic_lvt_masked_x2apic },
	{ "lapic_nmi_icr_x2apic", check_lapic_nmi_icr_x2apic },
	{ "lapic_pit_ioapic_x2apic", check_lapic_pit_ioapic_x2apic },
	{ "lapic_pit_level_x2apic", check_lapic_pit_level_x2apic },
	{ "lapic_bad_input_x2apic", check_lapic_bad_input_x2apic },
	{ "lapic_mode_transitions", check_lapic_mode_transitions },
	{ "hv_memory_touch", check_hv_memory_touch },
};
const size_t check_count = sizeof(check_table) / sizeof(check_table[0]);

static enum verdict verdict_with_reason(struct check_result *r, enum verdict v,
					const char *fmt, va_list ap)
{
	vformat(r->reason, sizeof(r->reason), fmt, ap);
	return v;
}

enum verdict fail(struct check_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	enum verdict v = verdict_with_reason(r, VERDICT_FAIL, fmt, ap);
	va_end(ap);
	return v;
}

enum verdict skip(struct check_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	enum verdict v = verdict_with_reason(r, VERDICT_SKIP, fmt, ap);
	va_end(ap);
	return v;
}

enum verdict skip_bare(struct check_result *r)
{
	return skip(r, "not under the hypervisor");
}

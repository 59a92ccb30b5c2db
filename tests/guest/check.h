/*
 * In-guest checks: a {name, fn} table (check_table.c), each fn returning a
 * verdict and, for FAIL and SKIP, a reason.  One line per check on COM1:
 *   [guest] PASS <name> | FAIL <name>: <why> | SKIP <name>: <why>
 */
#ifndef GUEST_TESTS_CHECK_H
#define GUEST_TESTS_CHECK_H

#include <stddef.h>

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

#define CHECK_REASON_MAX 160

struct check_result {
	char reason[CHECK_REASON_MAX];
};

typedef enum verdict (*check_fn)(struct check_result *r);

struct check {
	const char *name;
	check_fn fn;
};

extern const struct check check_table[];
extern const size_t check_count;

/* Record a reason and return the verdict: `return fail(r, "...", ...);` */
enum verdict fail(struct check_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum verdict skip(struct check_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* SKIP with the standard reason when not under the hypervisor. */
enum verdict skip_bare(struct check_result *r);

/* The checks, by family (one file each). */
enum verdict check_realmode_report(struct check_result *r);
enum verdict check_task_call_iret(struct check_result *r);
enum verdict check_task_jmp(struct check_result *r);
enum verdict check_task_tss16(struct check_result *r);
enum verdict check_task_fault_before_commit(struct check_result *r);
enum verdict check_task_fault_after_commit(struct check_result *r);
enum verdict check_task_trap_bit(struct check_result *r);
enum verdict check_task_gate_df(struct check_result *r);
enum verdict check_task_gate_int(struct check_result *r);
enum verdict check_task_old_tss_limit(struct check_result *r);
enum verdict check_task_paging(struct check_result *r);
enum verdict check_task_gate_gp(struct check_result *r);
enum verdict check_cpuid_hypervisor_bit(struct check_result *r);
enum verdict check_cpuid_signature_leaf(struct check_result *r);
enum verdict check_cpuid_vmx_hidden(struct check_result *r);
enum verdict check_cpuid_leaves_sane(struct check_result *r);
enum verdict check_msr_roundtrip(struct check_result *r);
enum verdict check_msr_vmx_gp(struct check_result *r);
enum verdict check_msr_feature_control(struct check_result *r);
enum verdict check_msr_nonexistent_gp(struct check_result *r);
enum verdict check_cr0_cr4(struct check_result *r);
enum verdict check_cr4_vmxe(struct check_result *r);
enum verdict check_port_io(struct check_result *r);
enum verdict check_string_io_segment(struct check_result *r);
enum verdict check_vmx_instructions_ud(struct check_result *r);
enum verdict check_exceptions(struct check_result *r);
enum verdict check_single_step_exits(struct check_result *r);
enum verdict check_xsetbv(struct check_result *r);
enum verdict check_invd_wbinvd(struct check_result *r);
enum verdict check_port_hv_owned(struct check_result *r);
enum verdict check_port_power(struct check_result *r);
enum verdict check_rdtsc_monotonic(struct check_result *r);
enum verdict check_rdtscp(struct check_result *r);
enum verdict check_hlt_timer_wakeup(struct check_result *r);
enum verdict check_hypercall_version(struct check_result *r);
enum verdict check_hypercall_console_write(struct check_result *r);
enum verdict check_hypercall_bad_args(struct check_result *r);
enum verdict check_hypercall_exit_stats(struct check_result *r);
enum verdict check_hypercall_unknown(struct check_result *r);
enum verdict check_attack_hc_buffers(struct check_result *r);
enum verdict check_attack_hc_32bit(struct check_result *r);
enum verdict check_attack_nmi_burst(struct check_result *r);
enum verdict check_attack_pm_base_move(struct check_result *r);
enum verdict check_attack_hc_fuzz(struct check_result *r);
enum verdict check_smp_init_sipi_blocked(struct check_result *r);
enum verdict check_hv_memory_map(struct check_result *r);
enum verdict check_hv_memory_protected(struct check_result *r);
enum verdict check_hv_memory_touch(struct check_result *r);
enum verdict check_msr_apic_base_move(struct check_result *r);
enum verdict check_msr_trace_pmu_gp(struct check_result *r);
enum verdict check_msr_mtrr_roundtrip(struct check_result *r);
enum verdict check_msr_mtrr_wt_range(struct check_result *r);
/* CPU features the hypervisor hides (checks_cpufeat.c). */
enum verdict check_cpuid_hidden_features(struct check_result *r);
enum verdict check_cr4_hidden_features_gp(struct check_result *r);
enum verdict check_msr_hidden_features_gp(struct check_result *r);
enum verdict check_msr_machine_check(struct check_result *r);
enum verdict check_msr_debugctl_bts_gp(struct check_result *r);
enum verdict check_hlt_sti_realmode(struct check_result *r);
enum verdict check_hlt_sti_protected(struct check_result *r);
enum verdict check_hlt_sti_long(struct check_result *r);
enum verdict check_hlt_sti_pending(struct check_result *r);
enum verdict check_event_rf_frame(struct check_result *r);
enum verdict check_event_self_ipi_pair(struct check_result *r);
enum verdict check_event_irq_behind_fault(struct check_result *r);

/* The local APIC group (issue 9). */
enum verdict check_lapic_id_version_xapic(struct check_result *r);
enum verdict check_lapic_id_version_x2apic(struct check_result *r);
enum verdict check_lapic_tpr_ppr_xapic(struct check_result *r);
enum verdict check_lapic_tpr_ppr_x2apic(struct check_result *r);
enum verdict check_lapic_svr_xapic(struct check_result *r);
enum verdict check_lapic_svr_x2apic(struct check_result *r);
enum verdict check_lapic_timer_oneshot_xapic(struct check_result *r);
enum verdict check_lapic_timer_oneshot_x2apic(struct check_result *r);
enum verdict check_lapic_timer_periodic_xapic(struct check_result *r);
enum verdict check_lapic_timer_periodic_x2apic(struct check_result *r);
enum verdict check_lapic_timer_deadline_xapic(struct check_result *r);
enum verdict check_lapic_timer_deadline_x2apic(struct check_result *r);
enum verdict check_lapic_timer_current_xapic(struct check_result *r);
enum verdict check_lapic_timer_current_x2apic(struct check_result *r);
enum verdict check_lapic_timer_divide_xapic(struct check_result *r);
enum verdict check_lapic_timer_divide_x2apic(struct check_result *r);
enum verdict check_lapic_self_ipi_xapic(struct check_result *r);
enum verdict check_lapic_self_ipi_x2apic(struct check_result *r);
enum verdict check_lapic_self_ipi_msr_x2apic(struct check_result *r);
enum verdict check_lapic_eoi_isr_xapic(struct check_result *r);
enum verdict check_lapic_eoi_isr_x2apic(struct check_result *r);
enum verdict check_lapic_nested_xapic(struct check_result *r);
enum verdict check_lapic_nested_x2apic(struct check_result *r);
enum verdict check_lapic_esr_illegal_xapic(struct check_result *r);
enum verdict check_lapic_esr_illegal_x2apic(struct check_result *r);
enum verdict check_lapic_lvt_masked_xapic(struct check_result *r);
enum verdict check_lapic_lvt_masked_x2apic(struct check_result *r);
enum verdict check_lapic_nmi_icr_xapic(struct check_result *r);
enum verdict check_lapic_nmi_icr_x2apic(struct check_result *r);
enum verdict check_lapic_pit_extint_xapic(struct check_result *r);
enum verdict check_lapic_pit_ioapic_xapic(struct check_result *r);
enum verdict check_lapic_pit_ioapic_x2apic(struct check_result *r);
enum verdict check_lapic_pit_level_xapic(struct check_result *r);
enum verdict check_lapic_delivery_exits_xapic(struct check_result *r);
enum verdict check_lapic_pit_level_x2apic(struct check_result *r);
enum verdict check_lapic_bad_input_xapic(struct check_result *r);
enum verdict check_lapic_bad_input_x2apic(struct check_result *r);
enum verdict check_lapic_relocate_xapic(struct check_result *r);
enum verdict check_lapic_mode_transitions(struct check_result *r);

#endif

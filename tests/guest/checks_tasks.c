/*
 * tasks: what the hardware task-switch trip (tests/guest/tasks.S) saw in
 * legacy 32-bit protected mode before long mode, judged against Intel SDM
 * Vol. 3, "Task Management": busy flags, NT and the previous-task link per
 * source, the state loaded from 32- and 16-bit TSSs, CR0.TS, the faults
 * before and after the commit point, the T bit, and #DF through an IDT
 * task gate with its error code on the new task's stack.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/tasks.h"

#define EFLAGS_NT        0x4000u
#define EFLAGS_RF        0x10000u
#define BAD_SELECTOR     0xfff8u     /* tasks.S loads it into DS: #GP(it) */
#define ALL              0xffffffffu
#define TYPE_TSS32_AVAIL 0x89u        /* access byte: P, 32-bit TSS available */
#define TYPE_TSS32_BUSY  0x8bu
#define TYPE_TSS16_AVAIL 0x81u
#define DR6_BT           0x8000u      /* debug trap by the T bit */
#define VEC_DB 1
#define VEC_TS 10
#define VEC_NP 11
#define VEC_PF 14
#define PF_ERR_READ_NOT_PRESENT 0  /* supervisor read of a not-present page */

extern volatile uint32_t task_report[TASK_REPORT_WORDS];
extern char task_call_ret[], task16_code[], task16_end[], task_t[],
	task_df_fault[], stack_df[], task_int_ret[], stack_s[], tss_a[],
	trip_pd0[], trip_pd1[], task_gp_fault[];

/* One report word, masked, and what it must be. */
struct expect {
	uint8_t word;
	uint32_t mask, want;
	const char *what;
};

/* The address of a trip label as the 32-bit code saw it. */
static uint32_t addr32(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/* PASS when the trip finished and every expectation holds; else FAIL
 * naming the first that does not. */
static enum verdict judge(struct check_result *r, const struct expect *e, size_t n)
{
	if (task_report[TRW_MAGIC] != TASK_REPORT_MAGIC)
		return fail(r, "no report from the task trip (magic 0x%x)",
			    task_report[TRW_MAGIC]);
	for (size_t i = 0; i < n; i++) {
		uint32_t got = task_report[e[i].word] & e[i].mask;

		if (got != e[i].want)
			return fail(r, "%s: got 0x%x, want 0x%x", e[i].what,
				    got, e[i].want);
	}
	return VERDICT_PASS;
}

#define JUDGE(r, e) judge(r, e, sizeof(e) / sizeof((e)[0]))

/* CALL to a TSS sets the new busy flag, the link and NT and keeps the old
 * task busy; IRET with NT returns, clearing the callee's busy flag. */
enum verdict check_task_call_iret(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_A_RAN, ALL, 1, "task A ran" },
		{ TRW_A_TR, ALL, TSEL_A, "TR in task A" },
		{ TRW_A_EFLAGS, EFLAGS_NT, EFLAGS_NT, "NT in task A" },
		{ TRW_A_ESI, ALL, TASK_MARKER, "ESI loaded from TSS A" },
		{ TRW_A_LINK, ALL, TSEL_MAIN, "TSS A previous-task link" },
		{ TRW_A_TYPE, ALL, TYPE_TSS32_BUSY, "TSS A descriptor in A" },
		{ TRW_A_MAIN_TYPE, ALL, TYPE_TSS32_BUSY, "caller's TSS descriptor in A" },
		{ TRW_A_CR0, (uint32_t)CR0_TS, (uint32_t)CR0_TS, "CR0.TS in task A" },
		{ TRW_CALL_BACK, ALL, 1, "caller resumed with its EBX" },
		{ TRW_CALL_TR, ALL, TSEL_MAIN, "TR after IRET" },
		{ TRW_CALL_A_TYPE, ALL, TYPE_TSS32_AVAIL, "TSS A descriptor after IRET" },
		{ TRW_CALL_EFLAGS, EFLAGS_NT, 0, "caller's NT after IRET" },
		{ TRW_CALL_SAVED_EIP, ALL, addr32(task_call_ret), "EIP saved by CALL" },
	};
	return JUDGE(r, e);
}

/* JMP to a TSS clears the old busy flag and neither links nor sets NT. */
enum verdict check_task_jmp(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_J_RAN, ALL, 1, "task J ran" },
		{ TRW_J_TR, ALL, TSEL_J, "TR in task J" },
		{ TRW_J_EFLAGS, EFLAGS_NT, 0, "NT in task J" },
		{ TRW_J_MAIN_TYPE, ALL, TYPE_TSS32_AVAIL, "old TSS descriptor in J" },
		{ TRW_J_TYPE, ALL, TYPE_TSS32_BUSY, "TSS J descriptor in J" },
		{ TRW_J_LINK, ALL, 0, "TSS J link (untouched)" },
		{ TRW_JMP_BACK, ALL, 1, "JMP back resumed the first task" },
		{ TRW_JMP_J_TYPE, ALL, TYPE_TSS32_AVAIL, "TSS J descriptor after" },
		{ TRW_JMP_MAIN_TYPE, ALL, TYPE_TSS32_BUSY, "first TSS descriptor after" },
	};
	return JUDGE(r, e);
}

/* A 16-bit TSS: AX and the link from its 44-byte layout, IP saved back
 * into it by the IRET. */
enum verdict check_task_tss16(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_16_RAN, ALL, 1, "16-bit task ran" },
		{ TRW_16_AX, ALL, TASK16_AX, "AX loaded from the 16-bit TSS" },
		{ TRW_16_TR, ALL, TSEL_16, "TR in the 16-bit task" },
		{ TRW_16_LINK, ALL, TSEL_MAIN, "16-bit TSS link" },
		{ TRW_16_BACK, ALL, 1, "IRET back from the 16-bit task" },
		{ TRW_16_TYPE, ALL, TYPE_TSS16_AVAIL, "16-bit TSS descriptor after" },
		{ TRW_16_SAVED_IP, ALL, addr32(task16_end) - addr32(task16_code),
		  "IP saved into the 16-bit TSS" },
	};
	return JUDGE(r, e);
}

/* A not-present TSS (#NP) and one below 67H (#TS) fault in the old task,
 * with the TSS selector as error code. */
enum verdict check_task_fault_before_commit(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_NP_VEC, ALL, VEC_NP, "not-present TSS: vector" },
		{ TRW_NP_ERR, ALL, TSEL_NP, "not-present TSS: error code" },
		{ TRW_NP_TR, ALL, TSEL_MAIN, "not-present TSS: TR in the handler" },
		{ TRW_TS_VEC, ALL, VEC_TS, "TSS limit 60H: vector" },
		{ TRW_TS_ERR, ALL, TSEL_SMALL, "TSS limit 60H: error code" },
		{ TRW_TS_TR, ALL, TSEL_MAIN, "TSS limit 60H: TR in the handler" },
	};
	return JUDGE(r, e);
}

/* A not-present DS in the new TSS: #NP(DS selector) in the new task,
 * which goes on once the handler fixed DS. */
enum verdict check_task_fault_after_commit(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_C_VEC, ALL, VEC_NP, "vector" },
		{ TRW_C_ERR, ALL, SEL_DATA_NP, "error code" },
		{ TRW_C_TR, ALL, TSEL_C, "TR in the handler (the new task)" },
		{ TRW_C_RAN, ALL, 1, "task C went on after the handler" },
		{ TRW_C_BACK, ALL, 1, "IRET back from task C" },
	};
	return JUDGE(r, e);
}

/* The T bit of the new TSS: #DB with DR6.BT before its first instruction. */
enum verdict check_task_trap_bit(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_T_DR6, DR6_BT, DR6_BT, "DR6.BT in the #DB handler" },
		{ TRW_T_EIP, ALL, addr32(task_t), "EIP of the #DB frame" },
		{ TRW_T_TR, ALL, TSEL_T, "TR in the #DB handler" },
		{ TRW_T_RAN, ALL, 1, "task T ran after #DB" },
		{ TRW_T_BACK, ALL, 1, "IRET back from task T" },
	};
	return JUDGE(r, e);
}

/* #DF through a task gate: the switch links and sets NT, the error code 0
 * is pushed on the #DF task's stack, the old task saved the faulting EIP. */
enum verdict check_task_gate_df(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_DF_RAN, ALL, 1, "#DF task ran" },
		{ TRW_DF_ERR, ALL, 0, "error code on the #DF task's stack" },
		{ TRW_DF_ESP, ALL, addr32(stack_df) + TASK_STACK_SIZE - 4,
		  "ESP in the #DF task (one push)" },
		{ TRW_DF_LINK, ALL, TSEL_MAIN, "#DF TSS link" },
		{ TRW_DF_EFLAGS, EFLAGS_NT, EFLAGS_NT, "NT in the #DF task" },
		{ TRW_DF_OLD_EIP, ALL, addr32(task_df_fault), "EIP saved: the faulting load" },
		{ TRW_DF_TR, ALL, TSEL_DF, "TR in the #DF task" },
		{ TRW_DF_BACK, ALL, 1, "IRET back from the #DF task" },
	};
	return JUDGE(r, e);
}

/* INT n through a task gate: a software interrupt pushes no error code;
 * the old task resumes past the INT instruction. */
enum verdict check_task_gate_int(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_INT_RAN, ALL, 1, "INT task ran" },
		{ TRW_INT_ESP, ALL, addr32(stack_s) + TASK_STACK_SIZE,
		  "ESP in the INT task (nothing pushed)" },
		{ TRW_INT_LINK, ALL, TSEL_MAIN, "INT TSS link" },
		{ TRW_INT_EFLAGS, EFLAGS_NT, EFLAGS_NT, "NT in the INT task" },
		{ TRW_INT_OLD_EIP, ALL, addr32(task_int_ret), "EIP saved: past the INT" },
		{ TRW_INT_BACK, ALL, 1, "IRET back from the INT task" },
	};
	return JUDGE(r, e);
}

/* The current TSS below 5FH cannot take the old state: #TS(TR) before
 * the commit point, the new TSS stays available. */
enum verdict check_task_old_tss_limit(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_OT_VEC, ALL, VEC_TS, "vector" },
		{ TRW_OT_ERR, ALL, TSEL_OLDSMALL, "error code (the current TSS)" },
		{ TRW_OT_TR, ALL, TSEL_OLDSMALL, "TR in the handler" },
		{ TRW_OT_A_TYPE, ALL, TYPE_TSS32_AVAIL, "the target TSS descriptor" },
	};
	return JUDGE(r, e);
}

/* With 32-bit paging: CR3 comes from the new TSS and goes back with the
 * IRET; a new TSS on a not-present page gives #PF in the old task. */
enum verdict check_task_paging(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_P_RAN, ALL, 1, "paging task ran" },
		{ TRW_P_CR3, ALL, addr32(trip_pd1), "CR3 in the task (its TSS's)" },
		{ TRW_P_MARK, ALL, TASK_MARKER, "marker through the task's own mapping" },
		{ TRW_P_BACK, ALL, 1, "IRET back from the paging task" },
		{ TRW_P_BACK_CR3, ALL, addr32(trip_pd0), "CR3 after the IRET" },
		{ TRW_PF_VEC, ALL, VEC_PF, "unmapped TSS: vector" },
		{ TRW_PF_ERR, ALL, PF_ERR_READ_NOT_PRESENT, "unmapped TSS: error code" },
		{ TRW_PF_CR2, ALL, ALIAS_BASE + addr32(tss_a), "unmapped TSS: CR2" },
		{ TRW_PF_TR, ALL, TSEL_MAIN, "unmapped TSS: TR in the handler" },
	};
	return JUDGE(r, e);
}

/* #GP through a task gate: its error code on the new stack, the old task
 * saved the faulting EIP with RF set (a fault, SDM "EFLAGS.RF"). */
enum verdict check_task_gate_gp(struct check_result *r)
{
	const struct expect e[] = {
		{ TRW_GP_RAN, ALL, 1, "#GP task ran" },
		{ TRW_GP_ERR, ALL, BAD_SELECTOR, "error code on the #GP task's stack" },
		{ TRW_GP_OLD_EIP, ALL, addr32(task_gp_fault), "EIP saved: the faulting load" },
		{ TRW_GP_OLD_EFLAGS, EFLAGS_RF, EFLAGS_RF, "RF in the saved EFLAGS" },
		{ TRW_GP_BACK, ALL, 1, "IRET back from the #GP task" },
	};
	return JUDGE(r, e);
}

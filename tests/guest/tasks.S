/*
 * Hardware task switches (Intel SDM Vol. 3, "Task Management"), tried once
 * in legacy 32-bit protected mode before long mode: there are none in
 * IA-32e mode.  entry.S calls task_trip after the real-mode trip; what it
 * sees goes into task_report (tests/guest/tasks.h), which checks_tasks.c
 * judges once the checks run.  Bare, the CPU switches; under the
 * hypervisor every switch is a VM exit (reason 9) that it emulates.
 *
 * The trip has its own GDT (entry.S's six entries, then the TSS and test
 * descriptors), its own IDT (exceptions and VEC_TASK_INT) and its own
 * task, TSEL_MAIN; its last test turns 32-bit paging on and off again.  Each
 * test saves what it sees in the report, never branches on it: a wrong
 * switch shows as a wrong word, not as a hang (a broken switch may still
 * end the run, which the boot test sees as missing check lines).
 */
#include "tests/guest/layout.h"
#include "tests/guest/tasks.h"

#define REP(w)            (task_report + 4 * (w))
#define DESC_ACCESS       5           /* access byte of a descriptor */
#define TSS_LINK          0x00
#define TSS_EIP           0x20
#define TSS_EFLAGS        0x24
#define TSS16_IP          0x0e
#define IDT_TASK_GATE     0x8500      /* P, DPL 0, task gate */
#define IDT_INTR_GATE32   0x8e00      /* P, DPL 0, 32-bit interrupt gate */
#define TRIP_IDT_ENTRIES  (VEC_TASK_INT + 1)
#define TSS_CR3           0x1c
#define DESC_TSS_BUSY     0x02        /* in the access byte */
#define X86_CR4_PSE       0x00000010
#define PDE_4M            0x083       /* P, W, PS: a 4 MiB page */
#define PDE_SHIFT         22
#define IDENTITY_PDES     2           /* 8 MiB: the image and low memory */
#define BAD_SELECTOR      0xfff8      /* beyond the GDT limit: #GP */
#define NO_VECTOR         0xff
#define CALLER_MARK       0x0badcafe  /* EBX across the CALL/IRET trip */
#define EFLAGS_RESET      0x2
#define VEC_DB            1
#define VEC_DF            8
#define VEC_TS            10
#define VEC_NP            11
#define VEC_SS            12
#define VEC_GP            13
#define VEC_PF            14

/* Store the low 16 bits of TR, zero-extended, in report word w.  Clobbers EAX. */
.macro SAVE_TR w
	str %ax
	movzwl %ax, %eax
	mov %eax, REP(\w)
.endm

/* Store EFLAGS in report word w.  Clobbers EAX; one push. */
.macro SAVE_EFLAGS w
	pushf
	pop %eax
	mov %eax, REP(\w)
.endm

/* Store the access byte of descriptor sel in report word w.  Clobbers EAX. */
.macro SAVE_TYPE sel, w
	movzbl trip_gdt + \sel + DESC_ACCESS, %eax
	mov %eax, REP(\w)
.endm

/* Copy what the last fault handler recorded into report words. */
.macro SAVE_FAULT wvec, werr, wtr
	mov fault_vec, %eax
	mov %eax, REP(\wvec)
	mov fault_err, %eax
	mov %eax, REP(\werr)
	mov fault_tr, %eax
	mov %eax, REP(\wtr)
.endm

	.text
	.code32
	.globl task_trip
	.globl task_call_ret, task16_code, task16_end, task_t, task_df_fault
	.globl task_int_ret, trip_pd0, trip_pd1, task_gp_fault
/*
 * In:  32-bit protected mode, paging off, interrupts off, flat SEL_CODE32
 *      and SEL_DATA loaded.
 * Out: task_report filled; the caller's GDT back (segment registers
 *      reloaded); TR = TSEL_MAIN, IDTR = the trip's IDT, CR0.TS set (long
 *      mode sets its own CR0 and IDT; TR is not used at CPL 0 there).
 * Preserves the general registers.
 */
task_trip:
	pushal
	sgdt caller_gdtr
	call trip_setup
	call trip_call_iret
	call trip_jmp
	call trip_tss16
	call trip_faults
	call trip_post_commit
	call trip_trap_bit
	call trip_double_fault
	call trip_gate_int
	call trip_old_tss_limit
	call trip_paging
	call trip_gate_gp
	movl $TASK_REPORT_MAGIC, REP(TRW_MAGIC)
	lgdt caller_gdtr
	ljmp $SEL_CODE32, $1f
1:	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	popal
	ret

/* Descriptor bases, the IDT, GDTR/IDTR and TR.  Clobbers EAX, ECX, EDX. */
trip_setup:
	mov $tss_main, %eax
	mov $(trip_gdt + TSEL_MAIN), %ecx
	call set_desc_base
	mov $tss_a, %eax
	mov $(trip_gdt + TSEL_A), %ecx
	call set_desc_base
	mov $tss_j, %eax
	mov $(trip_gdt + TSEL_J), %ecx
	call set_desc_base
	mov $tss_df, %eax
	mov $(trip_gdt + TSEL_DF), %ecx
	call set_desc_base
	mov $tss_a, %eax               /* never read: the limit check fails first */
	mov $(trip_gdt + TSEL_SMALL), %ecx
	call set_desc_base
	mov $tss_a, %eax               /* never read: not present */
	mov $(trip_gdt + TSEL_NP), %ecx
	call set_desc_base
	mov $tss_16, %eax
	mov $(trip_gdt + TSEL_16), %ecx
	call set_desc_base
	mov $tss_c, %eax
	mov $(trip_gdt + TSEL_C), %ecx
	call set_desc_base
	mov $tss_t, %eax
	mov $(trip_gdt + TSEL_T), %ecx
	call set_desc_base
	mov $task16_code, %eax
	mov $(trip_gdt + SEL_CODE_T16), %ecx
	call set_desc_base
	mov $tss_s, %eax
	mov $(trip_gdt + TSEL_S), %ecx
	call set_desc_base
	mov $tss_oldsmall, %eax
	mov $(trip_gdt + TSEL_OLDSMALL), %ecx
	call set_desc_base
	mov $tss_p, %eax
	mov $(trip_gdt + TSEL_P), %ecx
	call set_desc_base
	mov $(ALIAS_BASE + tss_a), %eax
	mov $(trip_gdt + TSEL_PF), %ecx
	call set_desc_base
	mov $tss_gp, %eax
	mov $(trip_gdt + TSEL_GP), %ecx
	call set_desc_base

	mov $VEC_DB, %eax
	mov $db_stub, %edx
	call set_intr_gate
	mov $VEC_TS, %eax
	mov $ts_stub, %edx
	call set_intr_gate
	mov $VEC_NP, %eax
	mov $np_stub, %edx
	call set_intr_gate
	mov $VEC_SS, %eax
	mov $ss_stub, %edx
	call set_intr_gate
	mov $VEC_GP, %eax
	mov $gp_stub, %edx
	call set_intr_gate
	mov $VEC_PF, %eax
	mov $pf_stub, %edx
	call set_intr_gate
	mov $VEC_DF, %eax
	mov $TSEL_DF, %edx
	call set_task_gate
	mov $VEC_TASK_INT, %eax
	mov $TSEL_S, %edx
	call set_task_gate

	lgdt trip_gdt_ptr              /* same code/data selectors: no reload */
	lidt trip_idt_ptr
	mov $TSEL_MAIN, %ax
	ltr %ax
	ret

/* Set the base of the descriptor at ECX to EAX.  Clobbers EAX. */
set_desc_base:
	mov %ax, 2(%ecx)
	shr $16, %eax
	mov %al, 4(%ecx)
	mov %ah, 7(%ecx)
	ret

/* IDT entry EAX: 32-bit interrupt gate to SEL_CODE32:EDX.  Clobbers ECX, EDX. */
set_intr_gate:
	lea trip_idt(,%eax,8), %ecx
	mov %dx, (%ecx)
	movw $SEL_CODE32, 2(%ecx)
	movw $IDT_INTR_GATE32, 4(%ecx)
	shr $16, %edx
	mov %dx, 6(%ecx)
	ret

/* IDT entry EAX: task gate to TSS selector DX.  Clobbers ECX. */
set_task_gate:
	lea trip_idt(,%eax,8), %ecx
	movw $0, (%ecx)
	mov %dx, 2(%ecx)
	movw $IDT_TASK_GATE, 4(%ecx)
	movw $0, 6(%ecx)
	ret

/* IDT entry EAX: not present.  Clobbers ECX. */
clear_gate:
	lea trip_idt(,%eax,8), %ecx
	movl $0, (%ecx)
	movl $0, 4(%ecx)
	ret

/* ---- CALL to a TSS, back by IRET with NT ----------------------------------- */

trip_call_iret:
	mov $CALLER_MARK, %ebx
	lcall $TSEL_A, $0
task_call_ret:
	cmp $CALLER_MARK, %ebx
	jne 1f
	movl $1, REP(TRW_CALL_BACK)
1:	SAVE_TR TRW_CALL_TR
	SAVE_TYPE TSEL_A, TRW_CALL_A_TYPE
	SAVE_EFLAGS TRW_CALL_EFLAGS
	mov tss_main + TSS_EIP, %eax
	mov %eax, REP(TRW_CALL_SAVED_EIP)
	ret

task_a:
	movl $1, REP(TRW_A_RAN)
	SAVE_TR TRW_A_TR
	SAVE_EFLAGS TRW_A_EFLAGS
	mov %esi, REP(TRW_A_ESI)
	movzwl tss_a + TSS_LINK, %eax
	mov %eax, REP(TRW_A_LINK)
	SAVE_TYPE TSEL_A, TRW_A_TYPE
	SAVE_TYPE TSEL_MAIN, TRW_A_MAIN_TYPE
	mov %cr0, %eax
	mov %eax, REP(TRW_A_CR0)
	iret

/* ---- JMP to a TSS and JMP back ---------------------------------------------- */

trip_jmp:
	ljmp $TSEL_J, $0
	movl $1, REP(TRW_JMP_BACK)
	SAVE_TYPE TSEL_J, TRW_JMP_J_TYPE
	SAVE_TYPE TSEL_MAIN, TRW_JMP_MAIN_TYPE
	ret

task_j:
	movl $1, REP(TRW_J_RAN)
	SAVE_TR TRW_J_TR
	SAVE_EFLAGS TRW_J_EFLAGS
	SAVE_TYPE TSEL_MAIN, TRW_J_MAIN_TYPE
	SAVE_TYPE TSEL_J, TRW_J_TYPE
	movzwl tss_j + TSS_LINK, %eax
	mov %eax, REP(TRW_J_LINK)
	ljmp $TSEL_MAIN, $0

/* ---- CALL to a 16-bit TSS, back by IRET ---------------------------------------- */

trip_tss16:
	lcall $TSEL_16, $0
	movl $1, REP(TRW_16_BACK)
	SAVE_TYPE TSEL_16, TRW_16_TYPE
	movzwl tss_16 + TSS16_IP, %eax
	mov %eax, REP(TRW_16_SAVED_IP)
	ret

/* Runs with CS = SEL_CODE_T16 (based here: IP 0 is this label) and
 * without a stack: a 16-bit TSS leaves the upper halves of ESP undefined. */
task16_code:
	movl $1, REP(TRW_16_RAN)
	movzwl %ax, %eax
	mov %eax, REP(TRW_16_AX)
	SAVE_TR TRW_16_TR
	movzwl tss_16 + TSS_LINK, %eax
	mov %eax, REP(TRW_16_LINK)
	iret
task16_end:

/* ---- Faults before the commit point: the old task takes them --------------- */

trip_faults:
	movl $NO_VECTOR, fault_vec
	movl $fault_np_resume, fault_resume
	lcall $TSEL_NP, $0             /* #NP(TSEL_NP) */
fault_np_resume:
	SAVE_FAULT TRW_NP_VEC, TRW_NP_ERR, TRW_NP_TR
	movl $NO_VECTOR, fault_vec
	movl $fault_ts_resume, fault_resume
	lcall $TSEL_SMALL, $0          /* #TS(TSEL_SMALL) */
fault_ts_resume:
	SAVE_FAULT TRW_TS_VEC, TRW_TS_ERR, TRW_TS_TR
	movl $0, fault_resume
	ret

/* ---- A fault after the commit point: the new task takes it ------------------- */

trip_post_commit:
	movl $NO_VECTOR, fault_vec
	lcall $TSEL_C, $0              /* #NP(SEL_DATA_NP) in task C */
	movl $1, REP(TRW_C_BACK)
	SAVE_FAULT TRW_C_VEC, TRW_C_ERR, TRW_C_TR
	ret

/* The #NP handler reloaded DS and returned here. */
task_c:
	movl $1, REP(TRW_C_RAN)
	iret

/* ---- The T bit: #DB before the new task's first instruction ------------------ */

trip_trap_bit:
	lcall $TSEL_T, $0
	movl $1, REP(TRW_T_BACK)
	ret

task_t:
	movl $1, REP(TRW_T_RAN)
	iret

/* ---- #DF through a task gate in the IDT ----------------------------------------- */

/* #GP with no #GP gate: #NP while delivering it, a double fault. */
trip_double_fault:
	mov $VEC_GP, %eax
	call clear_gate
	mov $BAD_SELECTOR, %ax
task_df_fault:
	mov %ax, %ds
	/* not reached: the #DF task sends the main task to task_df_resume */
	ud2
task_df_resume:
	movl $1, REP(TRW_DF_BACK)
	mov $VEC_GP, %eax
	mov $gp_stub, %edx
	call set_intr_gate
	ret

task_df:
	movl $1, REP(TRW_DF_RAN)
	mov (%esp), %eax
	mov %eax, REP(TRW_DF_ERR)
	mov %esp, REP(TRW_DF_ESP)
	movzwl tss_df + TSS_LINK, %eax
	mov %eax, REP(TRW_DF_LINK)
	SAVE_EFLAGS TRW_DF_EFLAGS
	mov tss_main + TSS_EIP, %eax
	mov %eax, REP(TRW_DF_OLD_EIP)
	SAVE_TR TRW_DF_TR
	movl $task_df_resume, tss_main + TSS_EIP
	iret

/* ---- INT n through a task gate: no error code, EIP past the INT ------------ */

trip_gate_int:
	int $VEC_TASK_INT
task_int_ret:
	movl $1, REP(TRW_INT_BACK)
	ret

task_s:
	movl $1, REP(TRW_INT_RAN)
	mov %esp, REP(TRW_INT_ESP)
	movzwl tss_s + TSS_LINK, %eax
	mov %eax, REP(TRW_INT_LINK)
	SAVE_EFLAGS TRW_INT_EFLAGS
	mov tss_main + TSS_EIP, %eax
	mov %eax, REP(TRW_INT_OLD_EIP)
	iret

/* ---- The old TSS too short for the state saved into it ---------------------- */

/* TR = a TSS with limit 5EH: a CALL to A faults #TS(TR) in the old task,
 * A stays available.  Then TR = TSEL_MAIN again (made available first:
 * LTR wants an available TSS). */
trip_old_tss_limit:
	mov $TSEL_OLDSMALL, %ax
	ltr %ax
	movl $NO_VECTOR, fault_vec
	movl $fault_ot_resume, fault_resume
	lcall $TSEL_A, $0
fault_ot_resume:
	SAVE_FAULT TRW_OT_VEC, TRW_OT_ERR, TRW_OT_TR
	SAVE_TYPE TSEL_A, TRW_OT_A_TYPE
	movl $0, fault_resume
	andb $~DESC_TSS_BUSY, trip_gdt + TSEL_MAIN + DESC_ACCESS
	mov $TSEL_MAIN, %ax
	ltr %ax
	ret

/* ---- Paging: CR3 from the new TSS, a #PF reading it --------------------------- */

/* Two page directories of 4 MiB pages mapping the low 8 MiB one to one;
 * trip_pd1 also maps ALIAS_BASE to 0.  Clobbers EAX, ECX. */
paging_tables:
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $PDE_SHIFT, %eax
	or $PDE_4M, %eax
	mov %eax, trip_pd0(,%ecx,4)
	mov %eax, trip_pd1(,%ecx,4)
	inc %ecx
	cmp $IDENTITY_PDES, %ecx
	jb 1b
	movl $PDE_4M, trip_pd1 + 4 * (ALIAS_BASE >> PDE_SHIFT)
	ret

/* 32-bit paging on with trip_pd0 (also the CR3 in TSS MAIN, which a switch
 * back loads); CALL to task P, whose TSS names trip_pd1; then a CALL to a
 * TSS only trip_pd1 maps: #PF.  Paging off again at the end. */
trip_paging:
	call paging_tables
	mov $trip_pd0, %eax
	mov %eax, %cr3
	mov %eax, tss_main + TSS_CR3
	mov %cr4, %eax
	or $X86_CR4_PSE, %eax
	mov %eax, %cr4
	mov %cr0, %eax
	or $X86_CR0_PG, %eax
	mov %eax, %cr0
	lcall $TSEL_P, $0
	movl $1, REP(TRW_P_BACK)
	mov %cr3, %eax
	mov %eax, REP(TRW_P_BACK_CR3)
	movl $NO_VECTOR, fault_vec
	movl $fault_pf_resume, fault_resume
	lcall $TSEL_PF, $0
fault_pf_resume:
	SAVE_FAULT TRW_PF_VEC, TRW_PF_ERR, TRW_PF_TR
	mov fault_cr2, %eax
	mov %eax, REP(TRW_PF_CR2)
	movl $0, fault_resume
	mov %cr0, %eax
	and $~X86_CR0_PG, %eax
	mov %eax, %cr0
	mov %cr4, %eax
	and $~X86_CR4_PSE, %eax
	mov %eax, %cr4
	ret

task_p:
	movl $1, REP(TRW_P_RAN)
	mov %cr3, %eax
	mov %eax, REP(TRW_P_CR3)
	mov ALIAS_BASE + p_marker, %eax
	mov %eax, REP(TRW_P_MARK)
	iret

/* ---- #GP (a fault) through a task gate: RF in the saved EFLAGS --------------- */

trip_gate_gp:
	mov $VEC_GP, %eax
	mov $TSEL_GP, %edx
	call set_task_gate
	mov $BAD_SELECTOR, %ax
task_gp_fault:
	mov %ax, %ds
	ud2                            /* not reached: the #GP task redirects */
task_gp_resume:
	movl $1, REP(TRW_GP_BACK)
	mov $VEC_GP, %eax
	mov $gp_stub, %edx
	call set_intr_gate
	ret

task_gp:
	movl $1, REP(TRW_GP_RAN)
	mov (%esp), %eax
	mov %eax, REP(TRW_GP_ERR)
	mov tss_main + TSS_EIP, %eax
	mov %eax, REP(TRW_GP_OLD_EIP)
	mov tss_main + TSS_EFLAGS, %eax
	mov %eax, REP(TRW_GP_OLD_EFLAGS)
	movl $task_gp_resume, tss_main + TSS_EIP
	iret

/* ---- Exception handlers (interrupt gates) ---------------------------------------- */

/* #DB: DR6, the frame's EIP and TR into the T-bit words; DR6 cleared. */
db_stub:
	push %eax
	mov %dr6, %eax
	mov %eax, REP(TRW_T_DR6)
	mov 4(%esp), %eax
	mov %eax, REP(TRW_T_EIP)
	SAVE_TR TRW_T_TR
	xor %eax, %eax
	mov %eax, %dr6
	pop %eax
	iret

ts_stub:
	push $VEC_TS
	jmp fault_common
np_stub:
	push $VEC_NP
	jmp fault_common
ss_stub:
	push $VEC_SS
	jmp fault_common
gp_stub:
	push $VEC_GP
	jmp fault_common
pf_stub:
	push $VEC_PF
	jmp fault_common

/* Stack: vector, error code, EIP, CS, EFLAGS.  Reloads the data segments
 * (a fault after the commit point may leave them unusable), records the
 * vector, error code, CR2 and TR, and returns to fault_resume when it is set,
 * else to the faulting instruction's frame. */
fault_common:
	push %eax
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov 4(%esp), %eax
	mov %eax, fault_vec
	mov 8(%esp), %eax
	mov %eax, fault_err
	mov %cr2, %eax
	mov %eax, fault_cr2
	str %ax
	movzwl %ax, %eax
	mov %eax, fault_tr
	mov fault_resume, %eax
	test %eax, %eax
	jz 1f
	mov %eax, 12(%esp)
1:	pop %eax
	add $8, %esp                   /* vector, error code */
	iret

/* ---- Tables ----------------------------------------------------------------- */

/* A 32-bit TSS image: entry EIP, stack top, DS, T bit, CR3 (used only
 * with paging on). */
.macro TSS32 eip, esp, ds=SEL_DATA, trap=0, cr3=0
	.long 0                        /* link */
	.long 0, 0, 0, 0, 0, 0         /* ESP0, SS0, ESP1, SS1, ESP2, SS2 */
	.long \cr3
	.long \eip
	.long EFLAGS_RESET
	.long 0, 0, 0, 0               /* EAX ECX EDX EBX */
	.long \esp
	.long 0                        /* EBP */
	.long TASK_MARKER              /* ESI */
	.long 0                        /* EDI */
	.long SEL_DATA, SEL_CODE32, SEL_DATA, \ds, SEL_DATA, SEL_DATA
	.long 0                        /* LDT */
	.word \trap
	.word 0x68                     /* I/O map base: past the limit */
.endm

	.data
	.balign 8
trip_gdt:
	.quad 0                        /* null */
	.quad 0x00af9a000000ffff       /* SEL_CODE64 */
	.quad 0x00cf9a000000ffff       /* SEL_CODE32 */
	.quad 0x00cf92000000ffff       /* SEL_DATA */
	.quad 0x00009a000000ffff       /* SEL_CODE16 */
	.quad 0x000092000000ffff       /* SEL_DATA16 */
	.quad 0x0000890000000067       /* TSEL_MAIN: 32-bit TSS, available */
	.quad 0x0000890000000067       /* TSEL_A */
	.quad 0x0000890000000067       /* TSEL_J */
	.quad 0x0000890000000067       /* TSEL_DF */
	.quad 0x0000890000000060       /* TSEL_SMALL: limit 60H < 67H */
	.quad 0x0000090000000067       /* TSEL_NP: P = 0 */
	.quad 0x000081000000002b       /* TSEL_16: 16-bit TSS, available */
	.quad 0x0000890000000067       /* TSEL_C */
	.quad 0x00cf12000000ffff       /* SEL_DATA_NP: P = 0 */
	.quad 0x00409a000000ffff       /* SEL_CODE_T16: 32-bit code, 64 KiB */
	.quad 0x0000890000000067       /* TSEL_T */
	.quad 0x0000890000000067       /* TSEL_S */
	.quad 0x000089000000005e       /* TSEL_OLDSMALL: limit 5EH < 5FH */
	.quad 0x0000890000000067       /* TSEL_P */
	.quad 0x0000890000000067       /* TSEL_PF */
	.quad 0x0000890000000067       /* TSEL_GP */
trip_gdt_end:
	.if (trip_gdt_end - trip_gdt) != TRIP_GDT_ENTRIES * 8
	.error "trip_gdt size"
	.endif
	.balign 4
	.word 0
trip_gdt_ptr:
	.word trip_gdt_end - trip_gdt - 1
	.long trip_gdt
	.word 0
trip_idt_ptr:
	.word TRIP_IDT_ENTRIES * 8 - 1
	.long trip_idt

	.balign 8
tss_a:	TSS32 task_a, stack_a + TASK_STACK_SIZE
tss_j:	TSS32 task_j, stack_j + TASK_STACK_SIZE
tss_df:	TSS32 task_df, stack_df + TASK_STACK_SIZE
tss_c:	TSS32 task_c, stack_c + TASK_STACK_SIZE, SEL_DATA_NP
tss_t:	TSS32 task_t, stack_t + TASK_STACK_SIZE, SEL_DATA, 1
tss_s:	TSS32 task_s, stack_s + TASK_STACK_SIZE
tss_p:	TSS32 task_p, stack_p + TASK_STACK_SIZE, SEL_DATA, 0, trip_pd1
tss_gp:	TSS32 task_gp, stack_gp + TASK_STACK_SIZE
p_marker:
	.long TASK_MARKER
tss_16:
	.word 0                        /* link */
	.word 0, 0, 0, 0, 0, 0         /* SP0, SS0, SP1, SS1, SP2, SS2 */
	.word 0                        /* IP: task16_code */
	.word EFLAGS_RESET
	.word TASK16_AX, 0, 0, 0       /* AX CX DX BX */
	.word 0, 0, 0, 0               /* SP BP SI DI */
	.word SEL_DATA, SEL_CODE_T16, SEL_DATA, SEL_DATA /* ES CS SS DS */
	.word 0                        /* LDT */

	.bss
	.balign 8
	.globl task_report, stack_df, stack_s, tss_a
task_report:	.skip 4 * TASK_REPORT_WORDS
caller_gdtr:	.skip 8
fault_vec:	.skip 4
fault_err:	.skip 4
fault_tr:	.skip 4
fault_resume:	.skip 4
fault_cr2:	.skip 4
	.balign 8
trip_idt:	.skip TRIP_IDT_ENTRIES * 8
tss_main:	.skip 104
tss_oldsmall:	.skip 104
	.balign 16
stack_a:	.skip TASK_STACK_SIZE
stack_j:	.skip TASK_STACK_SIZE
stack_df:	.skip TASK_STACK_SIZE
stack_c:	.skip TASK_STACK_SIZE
stack_t:	.skip TASK_STACK_SIZE
stack_s:	.skip TASK_STACK_SIZE
stack_p:	.skip TASK_STACK_SIZE
stack_gp:	.skip TASK_STACK_SIZE
	.balign PAGE_SIZE
trip_pd0:	.skip PAGE_SIZE
trip_pd1:	.skip PAGE_SIZE

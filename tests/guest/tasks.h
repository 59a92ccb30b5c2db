/*
 * The hardware task-switch trip (tests/guest/tasks.S): run once in 32-bit
 * protected mode before long mode, it switches tasks by CALL/IRET, JMP, a
 * 16-bit TSS, an IDT task gate for #DF, the TSS T bit, and faults before
 * and after the commit point, and writes what it saw into task_report;
 * checks_tasks.c judges it.  Plain #defines: included by the .S and C.
 */
#ifndef GUEST_TESTS_TASKS_H
#define GUEST_TESTS_TASKS_H

/* The trip's GDT: entries 0-5 as entry.S's (same selectors), then these. */
#define TSEL_MAIN       0x30    /* the trip's own task */
#define TSEL_A          0x38    /* CALL target, returns by IRET */
#define TSEL_J          0x40    /* JMP target, JMPs back */
#define TSEL_DF         0x48    /* #DF task (IDT task gate 8) */
#define TSEL_SMALL      0x50    /* 32-bit TSS with limit 60H: #TS */
#define TSEL_NP         0x58    /* TSS descriptor not present: #NP */
#define TSEL_16         0x60    /* 16-bit TSS */
#define TSEL_C          0x68    /* its DS names SEL_DATA_NP: #NP after commit */
#define SEL_DATA_NP     0x70    /* data descriptor, not present */
#define SEL_CODE_T16    0x78    /* code for the 16-bit task (base patched) */
#define TSEL_T          0x80    /* T bit set: #DB on entry */
#define TSEL_S          0x88    /* INT VEC_TASK_INT's task (IDT task gate) */
#define TSEL_OLDSMALL   0x90    /* limit 5EH: too short to save into */
#define TSEL_P          0x98    /* its CR3 maps ALIAS_BASE */
#define TSEL_PF         0xa0    /* TSS at ALIAS_BASE + tss_a: #PF under PD0 */
#define TSEL_GP         0xa8    /* #GP task (IDT task gate 13, last test) */
#define TRIP_GDT_ENTRIES 22

#define VEC_TASK_INT    0x30    /* INT n through a task gate */
#define ALIAS_BASE      0x40000000  /* 4 MiB page only the paging task maps, to 0 */

#define TASK_REPORT_MAGIC 0x4b4f5354   /* "TSOK", written last */
#define TASK_MARKER       0x5151a5a5   /* ESI in the new tasks' TSSs */
#define TASK16_AX         0x1616       /* AX in the 16-bit TSS */
#define TASK_STACK_SIZE   1024         /* each task's stack */

/* task_report word indexes (u32 each). */
#define TRW_MAGIC         0
/* CALL to TSEL_A, IRET back */
#define TRW_A_RAN         1
#define TRW_A_TR          2     /* STR in task A */
#define TRW_A_EFLAGS      3     /* NT expected */
#define TRW_A_ESI         4     /* TASK_MARKER, loaded from the TSS */
#define TRW_A_LINK        5     /* TSS A link field */
#define TRW_A_TYPE        6     /* access byte of A's descriptor, in A */
#define TRW_A_MAIN_TYPE   7     /* access byte of MAIN's, in A */
#define TRW_A_CR0         8     /* CR0 in A: TS set */
#define TRW_CALL_BACK     9     /* EBX survived the round trip: 1 */
#define TRW_CALL_TR       10    /* STR after the IRET */
#define TRW_CALL_A_TYPE   11    /* A's access byte after (available) */
#define TRW_CALL_EFLAGS   12    /* main's EFLAGS after (NT clear) */
#define TRW_CALL_SAVED_EIP 13   /* TSS MAIN's EIP as the CALL saved it */
/* JMP to TSEL_J, JMP back */
#define TRW_J_RAN         14
#define TRW_J_TR          15
#define TRW_J_EFLAGS      16    /* NT clear */
#define TRW_J_MAIN_TYPE   17    /* MAIN available (JMP clears busy) */
#define TRW_J_TYPE        18    /* J busy */
#define TRW_J_LINK        19    /* untouched: 0 */
#define TRW_JMP_BACK      20
#define TRW_JMP_J_TYPE    21    /* J available after the JMP back */
#define TRW_JMP_MAIN_TYPE 22    /* MAIN busy again */
/* CALL to the 16-bit TSS, IRET back */
#define TRW_16_RAN        23
#define TRW_16_AX         24
#define TRW_16_TR         25
#define TRW_16_LINK       26
#define TRW_16_BACK       27
#define TRW_16_TYPE       28    /* after: available 16-bit (1) */
#define TRW_16_SAVED_IP   29    /* the 16-bit TSS's IP after the IRET */
/* faults before the commit point */
#define TRW_NP_VEC        30
#define TRW_NP_ERR        31
#define TRW_NP_TR         32
#define TRW_TS_VEC        33
#define TRW_TS_ERR        34
#define TRW_TS_TR         35
/* fault after the commit point */
#define TRW_C_VEC         36
#define TRW_C_ERR         37
#define TRW_C_TR          38    /* TR when the #NP handler ran: C */
#define TRW_C_RAN         39    /* task C went on after the handler */
#define TRW_C_BACK        40
/* T bit */
#define TRW_T_DR6         41
#define TRW_T_EIP         42    /* EIP in the #DB frame: the task's entry */
#define TRW_T_TR          43
#define TRW_T_RAN         44
#define TRW_T_BACK        45
/* #DF through an IDT task gate */
#define TRW_DF_RAN        46
#define TRW_DF_ERR        47    /* error code on the #DF task's stack */
#define TRW_DF_ESP        48    /* ESP in the #DF task (one push) */
#define TRW_DF_LINK       49
#define TRW_DF_EFLAGS     50    /* NT set */
#define TRW_DF_OLD_EIP    51    /* MAIN's saved EIP: the faulting load */
#define TRW_DF_TR         52
#define TRW_DF_BACK       53
/* INT n through a task gate */
#define TRW_INT_RAN       54
#define TRW_INT_ESP       55    /* no error code pushed */
#define TRW_INT_LINK      56
#define TRW_INT_EFLAGS    57    /* NT set */
#define TRW_INT_OLD_EIP   58    /* past the INT instruction */
#define TRW_INT_BACK      59
/* the old TSS too short to save into: #TS(old TR) before the commit point */
#define TRW_OT_VEC        60
#define TRW_OT_ERR        61
#define TRW_OT_TR         62
#define TRW_OT_A_TYPE     63    /* the target stays available */
/* paging on: CR3 from the TSS, #PF on reading the new TSS */
#define TRW_P_RAN         64
#define TRW_P_CR3         65    /* CR3 in the task: its TSS's */
#define TRW_P_MARK        66    /* TASK_MARKER read through ALIAS_BASE */
#define TRW_P_BACK_CR3    67    /* CR3 after the IRET: the caller's TSS's */
#define TRW_P_BACK        68
#define TRW_PF_VEC        69
#define TRW_PF_ERR        70
#define TRW_PF_CR2        71
#define TRW_PF_TR         72
/* #GP (a fault) through an IDT task gate */
#define TRW_GP_RAN        73
#define TRW_GP_ERR        74    /* the #GP error code on the task's stack */
#define TRW_GP_OLD_EIP    75    /* the faulting instruction */
#define TRW_GP_OLD_EFLAGS 76    /* RF set in the saved image */
#define TRW_GP_BACK       77
#define TASK_REPORT_WORDS 78

#endif

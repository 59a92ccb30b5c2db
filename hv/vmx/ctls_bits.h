/*
 * Bits of the VMX control words and capability MSRs, named after the Intel
 * SDM Vol. 3 ("VM-Execution Control Fields", "VM-Exit Control Fields",
 * "VM-Entry Control Fields", Appendix A "VMX Capability Reporting
 * Facility") and prefixed by the control word they belong to:
 *
 *   PINBASED_CTLS_     pin-based VM-execution controls
 *   PROCBASED_CTLS_    primary processor-based VM-execution controls
 *   PROCBASED_CTLS2_   secondary processor-based VM-execution controls
 *   PROCBASED_CTLS3_   tertiary processor-based VM-execution controls
 *   EXIT_CTLS_         (primary) VM-exit controls
 *   ENTRY_CTLS_        VM-entry controls
 *   VMX_BASIC_, VMX_MISC_, VMX_EPT_, VMX_VPID_   capability MSR fields
 *   INTR_INFO_, INTR_TYPE_   interruption-information format
 *   GUEST_INTR_STATE_, GUEST_ACTIVITY_   guest non-register state
 *
 * Plain #defines: usable from C, assembly and host unit tests.
 */
#ifndef HV_VMX_CTLS_BITS_H
#define HV_VMX_CTLS_BITS_H

#include "lib/bits.h"

/* ---- Pin-based VM-execution controls (IA32_VMX_PINBASED_CTLS) ------- */
#define PINBASED_CTLS_EXT_INTR_EXITING          BIT(0)
#define PINBASED_CTLS_NMI_EXITING               BIT(3)
#define PINBASED_CTLS_VIRTUAL_NMIS              BIT(5)
#define PINBASED_CTLS_PREEMPTION_TIMER          BIT(6)
#define PINBASED_CTLS_POSTED_INTR               BIT(7)
/* "Default1" bits: reserved, must be 1 unless the TRUE MSR says otherwise
 * (SDM Vol. 3, Appendix A.2). */
#define PINBASED_CTLS_DEFAULT1                  0x00000016

/* ---- Primary processor-based VM-execution controls ------------------ */
#define PROCBASED_CTLS_INTR_WINDOW_EXITING      BIT(2)
#define PROCBASED_CTLS_USE_TSC_OFFSETTING       BIT(3)
#define PROCBASED_CTLS_HLT_EXITING              BIT(7)
#define PROCBASED_CTLS_INVLPG_EXITING           BIT(9)
#define PROCBASED_CTLS_MWAIT_EXITING            BIT(10)
#define PROCBASED_CTLS_RDPMC_EXITING            BIT(11)
#define PROCBASED_CTLS_RDTSC_EXITING            BIT(12)
#define PROCBASED_CTLS_CR3_LOAD_EXITING         BIT(15)
#define PROCBASED_CTLS_CR3_STORE_EXITING        BIT(16)
#define PROCBASED_CTLS_ACTIVATE_TERTIARY_CONTROLS BIT(17)
#define PROCBASED_CTLS_CR8_LOAD_EXITING         BIT(19)
#define PROCBASED_CTLS_CR8_STORE_EXITING        BIT(20)
#define PROCBASED_CTLS_USE_TPR_SHADOW           BIT(21)
#define PROCBASED_CTLS_NMI_WINDOW_EXITING       BIT(22)
#define PROCBASED_CTLS_MOV_DR_EXITING           BIT(23)
#define PROCBASED_CTLS_UNCOND_IO_EXITING        BIT(24)
#define PROCBASED_CTLS_USE_IO_BITMAPS           BIT(25)
#define PROCBASED_CTLS_MONITOR_TRAP_FLAG        BIT(27)
#define PROCBASED_CTLS_USE_MSR_BITMAPS          BIT(28)
#define PROCBASED_CTLS_MONITOR_EXITING          BIT(29)
#define PROCBASED_CTLS_PAUSE_EXITING            BIT(30)
#define PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS BIT(31)
#define PROCBASED_CTLS_DEFAULT1                 0x0401e172

/* ---- Secondary processor-based VM-execution controls ---------------- */
#define PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES BIT(0)
#define PROCBASED_CTLS2_ENABLE_EPT              BIT(1)
#define PROCBASED_CTLS2_DESC_TABLE_EXITING      BIT(2)
#define PROCBASED_CTLS2_ENABLE_RDTSCP           BIT(3)
#define PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE  BIT(4)
#define PROCBASED_CTLS2_ENABLE_VPID             BIT(5)
#define PROCBASED_CTLS2_WBINVD_EXITING          BIT(6)
#define PROCBASED_CTLS2_UNRESTRICTED_GUEST      BIT(7)
#define PROCBASED_CTLS2_APIC_REGISTER_VIRT      BIT(8)
#define PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY   BIT(9)
#define PROCBASED_CTLS2_PAUSE_LOOP_EXITING      BIT(10)
#define PROCBASED_CTLS2_RDRAND_EXITING          BIT(11)
#define PROCBASED_CTLS2_ENABLE_INVPCID          BIT(12)
#define PROCBASED_CTLS2_ENABLE_VMFUNC           BIT(13)
#define PROCBASED_CTLS2_VMCS_SHADOWING          BIT(14)
#define PROCBASED_CTLS2_ENCLS_EXITING           BIT(15)
#define PROCBASED_CTLS2_RDSEED_EXITING          BIT(16)
#define PROCBASED_CTLS2_ENABLE_PML              BIT(17)
#define PROCBASED_CTLS2_EPT_VIOLATION_VE        BIT(18)
#define PROCBASED_CTLS2_CONCEAL_VMX_FROM_PT     BIT(19)
#define PROCBASED_CTLS2_ENABLE_XSAVES           BIT(20)
#define PROCBASED_CTLS2_PASID_TRANSLATION       BIT(21)
#define PROCBASED_CTLS2_MODE_BASED_EPT_EXEC     BIT(22)
#define PROCBASED_CTLS2_EPT_SUBPAGE_WRITE       BIT(23)
#define PROCBASED_CTLS2_PT_USE_GPA              BIT(24)
#define PROCBASED_CTLS2_TSC_SCALING             BIT(25)
#define PROCBASED_CTLS2_ENABLE_USER_WAIT_PAUSE  BIT(26)
#define PROCBASED_CTLS2_ENABLE_PCONFIG          BIT(27)
#define PROCBASED_CTLS2_ENCLV_EXITING           BIT(28)
#define PROCBASED_CTLS2_BUS_LOCK_DETECTION      BIT(30)
#define PROCBASED_CTLS2_INSTRUCTION_TIMEOUT     BIT(31)

/* ---- Tertiary processor-based VM-execution controls (64-bit) -------- */
#define PROCBASED_CTLS3_LOADIWKEY_EXITING       BIT_ULL(0)
#define PROCBASED_CTLS3_ENABLE_HLAT             BIT_ULL(1)
#define PROCBASED_CTLS3_EPT_PAGING_WRITE_CONTROL BIT_ULL(2)
#define PROCBASED_CTLS3_GUEST_PAGING_VERIFICATION BIT_ULL(3)
#define PROCBASED_CTLS3_IPI_VIRT                BIT_ULL(4)
#define PROCBASED_CTLS3_VIRTUALIZE_SPEC_CTRL    BIT_ULL(7)

/* ---- Primary VM-exit controls --------------------------------------- */
#define EXIT_CTLS_SAVE_DEBUG_CONTROLS           BIT(2)
#define EXIT_CTLS_HOST_ADDR_SPACE_SIZE          BIT(9)
#define EXIT_CTLS_LOAD_PERF_GLOBAL_CTRL         BIT(12)
#define EXIT_CTLS_ACK_INTR_ON_EXIT              BIT(15)
#define EXIT_CTLS_SAVE_PAT                      BIT(18)
#define EXIT_CTLS_LOAD_PAT                      BIT(19)
#define EXIT_CTLS_SAVE_EFER                     BIT(20)
#define EXIT_CTLS_LOAD_EFER                     BIT(21)
#define EXIT_CTLS_SAVE_PREEMPTION_TIMER         BIT(22)
#define EXIT_CTLS_CLEAR_BNDCFGS                 BIT(23)
#define EXIT_CTLS_CONCEAL_VMX_FROM_PT           BIT(24)
#define EXIT_CTLS_CLEAR_RTIT_CTL                BIT(25)
#define EXIT_CTLS_CLEAR_LBR_CTL                 BIT(26)
#define EXIT_CTLS_CLEAR_UINV                    BIT(27)
#define EXIT_CTLS_LOAD_CET_STATE                BIT(28)
#define EXIT_CTLS_LOAD_PKRS                     BIT(29)
#define EXIT_CTLS_SAVE_PERF_GLOBAL_CTRL         BIT(30)
#define EXIT_CTLS_ACTIVATE_SECONDARY_CONTROLS   BIT(31)
#define EXIT_CTLS_DEFAULT1                      0x00036dff

/* ---- VM-entry controls ---------------------------------------------- */
#define ENTRY_CTLS_LOAD_DEBUG_CONTROLS          BIT(2)
#define ENTRY_CTLS_IA32E_MODE                   BIT(9)
#define ENTRY_CTLS_SMM                          BIT(10)
#define ENTRY_CTLS_DEACTIVATE_DUAL_MONITOR      BIT(11)
#define ENTRY_CTLS_LOAD_PERF_GLOBAL_CTRL        BIT(13)
#define ENTRY_CTLS_LOAD_PAT                     BIT(14)
#define ENTRY_CTLS_LOAD_EFER                    BIT(15)
#define ENTRY_CTLS_LOAD_BNDCFGS                 BIT(16)
#define ENTRY_CTLS_CONCEAL_VMX_FROM_PT          BIT(17)
#define ENTRY_CTLS_LOAD_RTIT_CTL                BIT(18)
#define ENTRY_CTLS_LOAD_UINV                    BIT(19)
#define ENTRY_CTLS_LOAD_CET_STATE               BIT(20)
#define ENTRY_CTLS_LOAD_LBR_CTL                 BIT(21)
#define ENTRY_CTLS_LOAD_PKRS                    BIT(22)
#define ENTRY_CTLS_DEFAULT1                     0x000011ff

/* ---- IA32_VMX_BASIC (Appendix A.1) ---------------------------------- */
#define VMX_BASIC_REVISION_MASK                 0x7fffffff
#define VMX_BASIC_VMCS_SIZE_SHIFT               32
#define VMX_BASIC_VMCS_SIZE_MASK                0x1fff
#define VMX_BASIC_PHYS_ADDR_32BIT               BIT_ULL(48)
#define VMX_BASIC_DUAL_MONITOR                  BIT_ULL(49)
#define VMX_BASIC_MEMTYPE_SHIFT                 50
#define VMX_BASIC_MEMTYPE_MASK                  0xf
#define VMX_BASIC_MEMTYPE_UC                    0
#define VMX_BASIC_MEMTYPE_WB                    6
#define VMX_BASIC_INS_OUTS_INFO                 BIT_ULL(54)
#define VMX_BASIC_TRUE_CTLS                     BIT_ULL(55)
#define VMX_BASIC_NO_ERROR_CODE_CHECK           BIT_ULL(56)

/* ---- IA32_VMX_MISC (Appendix A.6) ----------------------------------- */
#define VMX_MISC_PREEMPTION_TIMER_RATE_MASK     0x1f
#define VMX_MISC_SAVE_EFER_LMA                  BIT_ULL(5)
#define VMX_MISC_ACTIVITY_HLT                   BIT_ULL(6)
#define VMX_MISC_ACTIVITY_SHUTDOWN              BIT_ULL(7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI             BIT_ULL(8)
#define VMX_MISC_PT_IN_VMX                      BIT_ULL(14)
#define VMX_MISC_RDMSR_SMBASE_IN_SMM            BIT_ULL(15)
#define VMX_MISC_CR3_TARGETS_SHIFT              16
#define VMX_MISC_CR3_TARGETS_MASK               0x1ff
#define VMX_MISC_MAX_MSR_LIST_SHIFT             25  /* 512 * (N + 1) entries */
#define VMX_MISC_MAX_MSR_LIST_MASK              0x7
#define VMX_MISC_SMM_MONITOR_CTL_B2             BIT_ULL(28)
#define VMX_MISC_VMWRITE_ANY_FIELD              BIT_ULL(29)
#define VMX_MISC_ZERO_LENGTH_INJECTION          BIT_ULL(30)
#define VMX_MISC_MSEG_REVISION_SHIFT            32

/* ---- IA32_VMX_EPT_VPID_CAP (Appendix A.10) -------------------------- */
#define VMX_EPT_EXECUTE_ONLY                    BIT_ULL(0)
#define VMX_EPT_PAGE_WALK_4                     BIT_ULL(6)
#define VMX_EPT_PAGE_WALK_5                     BIT_ULL(7)
#define VMX_EPT_MEMTYPE_UC                      BIT_ULL(8)
#define VMX_EPT_MEMTYPE_WB                      BIT_ULL(14)
#define VMX_EPT_2MB_PAGE                        BIT_ULL(16)
#define VMX_EPT_1GB_PAGE                        BIT_ULL(17)
#define VMX_EPT_INVEPT                          BIT_ULL(20)
#define VMX_EPT_AD_BITS                         BIT_ULL(21)
#define VMX_EPT_ADVANCED_EXIT_INFO              BIT_ULL(22)
#define VMX_EPT_SUPERVISOR_SHADOW_STACK         BIT_ULL(23)
#define VMX_EPT_INVEPT_SINGLE_CONTEXT           BIT_ULL(25)
#define VMX_EPT_INVEPT_ALL_CONTEXT              BIT_ULL(26)
#define VMX_VPID_INVVPID                        BIT_ULL(32)
#define VMX_VPID_INVVPID_INDIVIDUAL_ADDR        BIT_ULL(40)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT         BIT_ULL(41)
#define VMX_VPID_INVVPID_ALL_CONTEXT            BIT_ULL(42)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT_GLOBALS BIT_ULL(43)

/* ---- IA32_VMX_VMFUNC (Appendix A.11) -------------------------------- */
#define VMX_VMFUNC_EPTP_SWITCHING               BIT_ULL(0)

/* ---- Interruption-information format (VM-entry interruption info,
 *      VM-exit interruption info, IDT-vectoring info) ------------------ */
#define INTR_INFO_VECTOR_MASK                   0xff
#define INTR_INFO_TYPE_SHIFT                    8
#define INTR_INFO_TYPE_MASK                     0x7
#define INTR_INFO_ERROR_CODE_VALID              BIT(11)
#define INTR_INFO_NMI_UNBLOCKING_IRET           BIT(12)     /* exit info only */
#define INTR_INFO_VALID                         BIT(31)

#define INTR_TYPE_EXT_INTR                      0
#define INTR_TYPE_NMI                           2
#define INTR_TYPE_HW_EXCEPTION                  3
#define INTR_TYPE_SW_INTR                       4
#define INTR_TYPE_PRIV_SW_EXCEPTION             5   /* INT1 (ICEBP) */
#define INTR_TYPE_SW_EXCEPTION                  6   /* INT3, INTO */
#define INTR_TYPE_OTHER_EVENT                   7   /* MTF on entry */

/* ---- Guest interruptibility state ------------------------------------ */
#define GUEST_INTR_STATE_STI                    BIT(0)
#define GUEST_INTR_STATE_MOV_SS                 BIT(1)
#define GUEST_INTR_STATE_SMI                    BIT(2)
#define GUEST_INTR_STATE_NMI                    BIT(3)
#define GUEST_INTR_STATE_ENCLAVE                BIT(4)

/* ---- Guest activity state --------------------------------------------- */
#define GUEST_ACTIVITY_ACTIVE                   0
#define GUEST_ACTIVITY_HLT                      1
#define GUEST_ACTIVITY_SHUTDOWN                 2
#define GUEST_ACTIVITY_WAIT_SIPI                3

#endif

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

#ifdef __ASSEMBLY__
#define VMX_BIT(n)   (1 << (n))
#define VMX_BIT64(n) (1 << (n))
#else
#define VMX_BIT(n)   (1u << (n))
#define VMX_BIT64(n) (1ull << (n))
#endif

/* ---- Pin-based VM-execution controls (IA32_VMX_PINBASED_CTLS) ------- */
#define PINBASED_CTLS_EXT_INTR_EXITING          VMX_BIT(0)
#define PINBASED_CTLS_NMI_EXITING               VMX_BIT(3)
#define PINBASED_CTLS_VIRTUAL_NMIS              VMX_BIT(5)
#define PINBASED_CTLS_PREEMPTION_TIMER          VMX_BIT(6)
#define PINBASED_CTLS_POSTED_INTR               VMX_BIT(7)
/* "Default1" bits: reserved, must be 1 unless the TRUE MSR says otherwise
 * (SDM Vol. 3, Appendix A.2). */
#define PINBASED_CTLS_DEFAULT1                  0x00000016

/* ---- Primary processor-based VM-execution controls ------------------ */
#define PROCBASED_CTLS_INTR_WINDOW_EXITING      VMX_BIT(2)
#define PROCBASED_CTLS_USE_TSC_OFFSETTING       VMX_BIT(3)
#define PROCBASED_CTLS_HLT_EXITING              VMX_BIT(7)
#define PROCBASED_CTLS_INVLPG_EXITING           VMX_BIT(9)
#define PROCBASED_CTLS_MWAIT_EXITING            VMX_BIT(10)
#define PROCBASED_CTLS_RDPMC_EXITING            VMX_BIT(11)
#define PROCBASED_CTLS_RDTSC_EXITING            VMX_BIT(12)
#define PROCBASED_CTLS_CR3_LOAD_EXITING         VMX_BIT(15)
#define PROCBASED_CTLS_CR3_STORE_EXITING        VMX_BIT(16)
#define PROCBASED_CTLS_ACTIVATE_TERTIARY_CONTROLS VMX_BIT(17)
#define PROCBASED_CTLS_CR8_LOAD_EXITING         VMX_BIT(19)
#define PROCBASED_CTLS_CR8_STORE_EXITING        VMX_BIT(20)
#define PROCBASED_CTLS_USE_TPR_SHADOW           VMX_BIT(21)
#define PROCBASED_CTLS_NMI_WINDOW_EXITING       VMX_BIT(22)
#define PROCBASED_CTLS_MOV_DR_EXITING           VMX_BIT(23)
#define PROCBASED_CTLS_UNCOND_IO_EXITING        VMX_BIT(24)
#define PROCBASED_CTLS_USE_IO_BITMAPS           VMX_BIT(25)
#define PROCBASED_CTLS_MONITOR_TRAP_FLAG        VMX_BIT(27)
#define PROCBASED_CTLS_USE_MSR_BITMAPS          VMX_BIT(28)
#define PROCBASED_CTLS_MONITOR_EXITING          VMX_BIT(29)
#define PROCBASED_CTLS_PAUSE_EXITING            VMX_BIT(30)
#define PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS VMX_BIT(31)
#define PROCBASED_CTLS_DEFAULT1                 0x0401e172

/* ---- Secondary processor-based VM-execution controls ---------------- */
#define PROCBASED_CTLS2_VIRTUALIZE_APIC_ACCESSES VMX_BIT(0)
#define PROCBASED_CTLS2_ENABLE_EPT              VMX_BIT(1)
#define PROCBASED_CTLS2_DESC_TABLE_EXITING      VMX_BIT(2)
#define PROCBASED_CTLS2_ENABLE_RDTSCP           VMX_BIT(3)
#define PROCBASED_CTLS2_VIRTUALIZE_X2APIC_MODE  VMX_BIT(4)
#define PROCBASED_CTLS2_ENABLE_VPID             VMX_BIT(5)
#define PROCBASED_CTLS2_WBINVD_EXITING          VMX_BIT(6)
#define PROCBASED_CTLS2_UNRESTRICTED_GUEST      VMX_BIT(7)
#define PROCBASED_CTLS2_APIC_REGISTER_VIRT      VMX_BIT(8)
#define PROCBASED_CTLS2_VIRTUAL_INTR_DELIVERY   VMX_BIT(9)
#define PROCBASED_CTLS2_PAUSE_LOOP_EXITING      VMX_BIT(10)
#define PROCBASED_CTLS2_RDRAND_EXITING          VMX_BIT(11)
#define PROCBASED_CTLS2_ENABLE_INVPCID          VMX_BIT(12)
#define PROCBASED_CTLS2_ENABLE_VMFUNC           VMX_BIT(13)
#define PROCBASED_CTLS2_VMCS_SHADOWING          VMX_BIT(14)
#define PROCBASED_CTLS2_ENCLS_EXITING           VMX_BIT(15)
#define PROCBASED_CTLS2_RDSEED_EXITING          VMX_BIT(16)
#define PROCBASED_CTLS2_ENABLE_PML              VMX_BIT(17)
#define PROCBASED_CTLS2_EPT_VIOLATION_VE        VMX_BIT(18)
#define PROCBASED_CTLS2_CONCEAL_VMX_FROM_PT     VMX_BIT(19)
#define PROCBASED_CTLS2_ENABLE_XSAVES           VMX_BIT(20)
#define PROCBASED_CTLS2_PASID_TRANSLATION       VMX_BIT(21)
#define PROCBASED_CTLS2_MODE_BASED_EPT_EXEC     VMX_BIT(22)
#define PROCBASED_CTLS2_EPT_SUBPAGE_WRITE       VMX_BIT(23)
#define PROCBASED_CTLS2_PT_USE_GPA              VMX_BIT(24)
#define PROCBASED_CTLS2_TSC_SCALING             VMX_BIT(25)
#define PROCBASED_CTLS2_ENABLE_USER_WAIT_PAUSE  VMX_BIT(26)
#define PROCBASED_CTLS2_ENABLE_PCONFIG          VMX_BIT(27)
#define PROCBASED_CTLS2_ENCLV_EXITING           VMX_BIT(28)
#define PROCBASED_CTLS2_BUS_LOCK_DETECTION      VMX_BIT(30)
#define PROCBASED_CTLS2_INSTRUCTION_TIMEOUT     VMX_BIT(31)

/* ---- Tertiary processor-based VM-execution controls (64-bit) -------- */
#define PROCBASED_CTLS3_LOADIWKEY_EXITING       VMX_BIT64(0)
#define PROCBASED_CTLS3_ENABLE_HLAT             VMX_BIT64(1)
#define PROCBASED_CTLS3_EPT_PAGING_WRITE_CONTROL VMX_BIT64(2)
#define PROCBASED_CTLS3_GUEST_PAGING_VERIFICATION VMX_BIT64(3)
#define PROCBASED_CTLS3_IPI_VIRT                VMX_BIT64(4)
#define PROCBASED_CTLS3_VIRTUALIZE_SPEC_CTRL    VMX_BIT64(7)

/* ---- Primary VM-exit controls --------------------------------------- */
#define EXIT_CTLS_SAVE_DEBUG_CONTROLS           VMX_BIT(2)
#define EXIT_CTLS_HOST_ADDR_SPACE_SIZE          VMX_BIT(9)
#define EXIT_CTLS_LOAD_PERF_GLOBAL_CTRL         VMX_BIT(12)
#define EXIT_CTLS_ACK_INTR_ON_EXIT              VMX_BIT(15)
#define EXIT_CTLS_SAVE_PAT                      VMX_BIT(18)
#define EXIT_CTLS_LOAD_PAT                      VMX_BIT(19)
#define EXIT_CTLS_SAVE_EFER                     VMX_BIT(20)
#define EXIT_CTLS_LOAD_EFER                     VMX_BIT(21)
#define EXIT_CTLS_SAVE_PREEMPTION_TIMER         VMX_BIT(22)
#define EXIT_CTLS_CLEAR_BNDCFGS                 VMX_BIT(23)
#define EXIT_CTLS_CONCEAL_VMX_FROM_PT           VMX_BIT(24)
#define EXIT_CTLS_CLEAR_RTIT_CTL                VMX_BIT(25)
#define EXIT_CTLS_CLEAR_LBR_CTL                 VMX_BIT(26)
#define EXIT_CTLS_CLEAR_UINV                    VMX_BIT(27)
#define EXIT_CTLS_LOAD_CET_STATE                VMX_BIT(28)
#define EXIT_CTLS_LOAD_PKRS                     VMX_BIT(29)
#define EXIT_CTLS_SAVE_PERF_GLOBAL_CTRL         VMX_BIT(30)
#define EXIT_CTLS_ACTIVATE_SECONDARY_CONTROLS   VMX_BIT(31)
#define EXIT_CTLS_DEFAULT1                      0x00036dff

/* ---- VM-entry controls ---------------------------------------------- */
#define ENTRY_CTLS_LOAD_DEBUG_CONTROLS          VMX_BIT(2)
#define ENTRY_CTLS_IA32E_MODE                   VMX_BIT(9)
#define ENTRY_CTLS_SMM                          VMX_BIT(10)
#define ENTRY_CTLS_DEACTIVATE_DUAL_MONITOR      VMX_BIT(11)
#define ENTRY_CTLS_LOAD_PERF_GLOBAL_CTRL        VMX_BIT(13)
#define ENTRY_CTLS_LOAD_PAT                     VMX_BIT(14)
#define ENTRY_CTLS_LOAD_EFER                    VMX_BIT(15)
#define ENTRY_CTLS_LOAD_BNDCFGS                 VMX_BIT(16)
#define ENTRY_CTLS_CONCEAL_VMX_FROM_PT          VMX_BIT(17)
#define ENTRY_CTLS_LOAD_RTIT_CTL                VMX_BIT(18)
#define ENTRY_CTLS_LOAD_UINV                    VMX_BIT(19)
#define ENTRY_CTLS_LOAD_CET_STATE               VMX_BIT(20)
#define ENTRY_CTLS_LOAD_LBR_CTL                 VMX_BIT(21)
#define ENTRY_CTLS_LOAD_PKRS                    VMX_BIT(22)
#define ENTRY_CTLS_DEFAULT1                     0x000011ff

/* ---- IA32_VMX_BASIC (Appendix A.1) ---------------------------------- */
#define VMX_BASIC_REVISION_MASK                 0x7fffffff
#define VMX_BASIC_VMCS_SIZE_SHIFT               32
#define VMX_BASIC_VMCS_SIZE_MASK                0x1fff
#define VMX_BASIC_PHYS_ADDR_32BIT               VMX_BIT64(48)
#define VMX_BASIC_DUAL_MONITOR                  VMX_BIT64(49)
#define VMX_BASIC_MEMTYPE_SHIFT                 50
#define VMX_BASIC_MEMTYPE_MASK                  0xf
#define VMX_BASIC_MEMTYPE_UC                    0
#define VMX_BASIC_MEMTYPE_WB                    6
#define VMX_BASIC_INS_OUTS_INFO                 VMX_BIT64(54)
#define VMX_BASIC_TRUE_CTLS                     VMX_BIT64(55)
#define VMX_BASIC_NO_ERROR_CODE_CHECK           VMX_BIT64(56)

/* ---- IA32_VMX_MISC (Appendix A.6) ----------------------------------- */
#define VMX_MISC_PREEMPTION_TIMER_RATE_MASK     0x1f
#define VMX_MISC_SAVE_EFER_LMA                  VMX_BIT64(5)
#define VMX_MISC_ACTIVITY_HLT                   VMX_BIT64(6)
#define VMX_MISC_ACTIVITY_SHUTDOWN              VMX_BIT64(7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI             VMX_BIT64(8)
#define VMX_MISC_PT_IN_VMX                      VMX_BIT64(14)
#define VMX_MISC_RDMSR_SMBASE_IN_SMM            VMX_BIT64(15)
#define VMX_MISC_CR3_TARGETS_SHIFT              16
#define VMX_MISC_CR3_TARGETS_MASK               0x1ff
#define VMX_MISC_MAX_MSR_LIST_SHIFT             25  /* 512 * (N + 1) entries */
#define VMX_MISC_MAX_MSR_LIST_MASK              0x7
#define VMX_MISC_SMM_MONITOR_CTL_B2             VMX_BIT64(28)
#define VMX_MISC_VMWRITE_ANY_FIELD              VMX_BIT64(29)
#define VMX_MISC_ZERO_LENGTH_INJECTION          VMX_BIT64(30)
#define VMX_MISC_MSEG_REVISION_SHIFT            32

/* ---- IA32_VMX_EPT_VPID_CAP (Appendix A.10) -------------------------- */
#define VMX_EPT_EXECUTE_ONLY                    VMX_BIT64(0)
#define VMX_EPT_PAGE_WALK_4                     VMX_BIT64(6)
#define VMX_EPT_PAGE_WALK_5                     VMX_BIT64(7)
#define VMX_EPT_MEMTYPE_UC                      VMX_BIT64(8)
#define VMX_EPT_MEMTYPE_WB                      VMX_BIT64(14)
#define VMX_EPT_2MB_PAGE                        VMX_BIT64(16)
#define VMX_EPT_1GB_PAGE                        VMX_BIT64(17)
#define VMX_EPT_INVEPT                          VMX_BIT64(20)
#define VMX_EPT_AD_BITS                         VMX_BIT64(21)
#define VMX_EPT_ADVANCED_EXIT_INFO              VMX_BIT64(22)
#define VMX_EPT_SUPERVISOR_SHADOW_STACK         VMX_BIT64(23)
#define VMX_EPT_INVEPT_SINGLE_CONTEXT           VMX_BIT64(25)
#define VMX_EPT_INVEPT_ALL_CONTEXT              VMX_BIT64(26)
#define VMX_VPID_INVVPID                        VMX_BIT64(32)
#define VMX_VPID_INVVPID_INDIVIDUAL_ADDR        VMX_BIT64(40)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT         VMX_BIT64(41)
#define VMX_VPID_INVVPID_ALL_CONTEXT            VMX_BIT64(42)
#define VMX_VPID_INVVPID_SINGLE_CONTEXT_GLOBALS VMX_BIT64(43)

/* ---- IA32_VMX_VMFUNC (Appendix A.11) -------------------------------- */
#define VMX_VMFUNC_EPTP_SWITCHING               VMX_BIT64(0)

/* ---- Interruption-information format (VM-entry interruption info,
 *      VM-exit interruption info, IDT-vectoring info) ------------------ */
#define INTR_INFO_VECTOR_MASK                   0xff
#define INTR_INFO_TYPE_SHIFT                    8
#define INTR_INFO_TYPE_MASK                     0x7
#define INTR_INFO_ERROR_CODE_VALID              VMX_BIT(11)
#define INTR_INFO_NMI_UNBLOCKING_IRET           VMX_BIT(12) /* exit info only */
#define INTR_INFO_VALID                         VMX_BIT(31)

#define INTR_TYPE_EXT_INTR                      0
#define INTR_TYPE_NMI                           2
#define INTR_TYPE_HW_EXCEPTION                  3
#define INTR_TYPE_SW_INTR                       4
#define INTR_TYPE_PRIV_SW_EXCEPTION             5   /* INT1 (ICEBP) */
#define INTR_TYPE_SW_EXCEPTION                  6   /* INT3, INTO */
#define INTR_TYPE_OTHER_EVENT                   7   /* MTF on entry */

/* ---- Guest interruptibility state ------------------------------------ */
#define GUEST_INTR_STATE_STI                    VMX_BIT(0)
#define GUEST_INTR_STATE_MOV_SS                 VMX_BIT(1)
#define GUEST_INTR_STATE_SMI                    VMX_BIT(2)
#define GUEST_INTR_STATE_NMI                    VMX_BIT(3)
#define GUEST_INTR_STATE_ENCLAVE                VMX_BIT(4)

/* ---- Guest activity state --------------------------------------------- */
#define GUEST_ACTIVITY_ACTIVE                   0
#define GUEST_ACTIVITY_HLT                      1
#define GUEST_ACTIVITY_SHUTDOWN                 2
#define GUEST_ACTIVITY_WAIT_SIPI                3

#endif

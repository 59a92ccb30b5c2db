/*
 * VMCS field encodings (Intel SDM Vol. 3, Appendix B, "Field Encoding in
 * VMCS"), grouped under the appendix's section titles and named after the
 * SDM's field names with a VMCS_ prefix.  Plain #defines: usable from C,
 * assembly and host unit tests.
 *
 * A 64-bit field has a second encoding (the "high" access, encoding | 1)
 * that reaches bits 63:32 only; this hypervisor runs in 64-bit mode and
 * always uses the full access, so only the full encodings are listed.
 * VMCS_HIGH() builds the other when it is needed.
 */
#ifndef HV_VMCS_FIELDS_H
#define HV_VMCS_FIELDS_H

/*
 * Structure of an encoding (SDM Vol. 3, "Structure of VMCS Component
 * Encoding"): bit 0 access type (full/high), bits 9:1 index, bits 11:10
 * type, bits 14:13 width.  Accessors use VMCS_FIELD_WIDTH() to check at
 * build time that a field is read or written with the right C type.
 */
#define VMCS_ENC_ACCESS_HIGH            0x0001
#define VMCS_ENC_INDEX_SHIFT            1
#define VMCS_ENC_INDEX_MASK             0x1ff
#define VMCS_ENC_TYPE_SHIFT             10
#define VMCS_ENC_TYPE_MASK              0x3
#define VMCS_ENC_WIDTH_SHIFT            13
#define VMCS_ENC_WIDTH_MASK             0x3

#define VMCS_TYPE_CONTROL               0
#define VMCS_TYPE_READ_ONLY             1   /* VM-exit information */
#define VMCS_TYPE_GUEST                 2
#define VMCS_TYPE_HOST                  3

#define VMCS_WIDTH_16                   0
#define VMCS_WIDTH_64                   1
#define VMCS_WIDTH_32                   2
#define VMCS_WIDTH_NATURAL              3

#define VMCS_FIELD_WIDTH(enc)  (((enc) >> VMCS_ENC_WIDTH_SHIFT) & VMCS_ENC_WIDTH_MASK)
#define VMCS_FIELD_TYPE(enc)   (((enc) >> VMCS_ENC_TYPE_SHIFT) & VMCS_ENC_TYPE_MASK)
#define VMCS_FIELD_INDEX(enc)  (((enc) >> VMCS_ENC_INDEX_SHIFT) & VMCS_ENC_INDEX_MASK)
#define VMCS_FIELD_IS_HIGH(enc) ((enc) & VMCS_ENC_ACCESS_HIGH)
#define VMCS_FIELD_READ_ONLY(enc) (VMCS_FIELD_TYPE(enc) == VMCS_TYPE_READ_ONLY)
#define VMCS_HIGH(enc)         ((enc) | VMCS_ENC_ACCESS_HIGH)

/* ---- B.1.1 16-Bit Control Fields ---------------------------------- */
#define VMCS_VPID                                   0x00000000
#define VMCS_POSTED_INTR_NOTIFICATION_VECTOR        0x00000002
#define VMCS_EPTP_INDEX                             0x00000004
#define VMCS_HLAT_PREFIX_SIZE                       0x00000006
#define VMCS_LAST_PID_POINTER_INDEX                 0x00000008

/* ---- B.1.2 16-Bit Guest-State Fields ------------------------------ */
#define VMCS_GUEST_ES_SELECTOR                      0x00000800
#define VMCS_GUEST_CS_SELECTOR                      0x00000802
#define VMCS_GUEST_SS_SELECTOR                      0x00000804
#define VMCS_GUEST_DS_SELECTOR                      0x00000806
#define VMCS_GUEST_FS_SELECTOR                      0x00000808
#define VMCS_GUEST_GS_SELECTOR                      0x0000080a
#define VMCS_GUEST_LDTR_SELECTOR                    0x0000080c
#define VMCS_GUEST_TR_SELECTOR                      0x0000080e
#define VMCS_GUEST_INTR_STATUS                      0x00000810
#define VMCS_PML_INDEX                              0x00000812
#define VMCS_GUEST_UINV                             0x00000814

/* ---- B.1.3 16-Bit Host-State Fields ------------------------------- */
#define VMCS_HOST_ES_SELECTOR                       0x00000c00
#define VMCS_HOST_CS_SELECTOR                       0x00000c02
#define VMCS_HOST_SS_SELECTOR                       0x00000c04
#define VMCS_HOST_DS_SELECTOR                       0x00000c06
#define VMCS_HOST_FS_SELECTOR                       0x00000c08
#define VMCS_HOST_GS_SELECTOR                       0x00000c0a
#define VMCS_HOST_TR_SELECTOR                       0x00000c0c

/* ---- B.2.1 64-Bit Control Fields ---------------------------------- */
#define VMCS_IO_BITMAP_A_ADDR                       0x00002000
#define VMCS_IO_BITMAP_B_ADDR                       0x00002002
#define VMCS_MSR_BITMAP_ADDR                        0x00002004
#define VMCS_EXIT_MSR_STORE_ADDR                    0x00002006
#define VMCS_EXIT_MSR_LOAD_ADDR                     0x00002008
#define VMCS_ENTRY_MSR_LOAD_ADDR                    0x0000200a
#define VMCS_EXECUTIVE_VMCS_POINTER                 0x0000200c
#define VMCS_PML_ADDR                               0x0000200e
#define VMCS_TSC_OFFSET                             0x00002010
#define VMCS_VIRTUAL_APIC_PAGE_ADDR                 0x00002012
#define VMCS_APIC_ACCESS_ADDR                       0x00002014
#define VMCS_POSTED_INTR_DESC_ADDR                  0x00002016
#define VMCS_VM_FUNCTION_CONTROLS                   0x00002018
#define VMCS_EPT_POINTER                            0x0000201a
#define VMCS_EOI_EXIT_BITMAP0                       0x0000201c
#define VMCS_EOI_EXIT_BITMAP1                       0x0000201e
#define VMCS_EOI_EXIT_BITMAP2                       0x00002020
#define VMCS_EOI_EXIT_BITMAP3                       0x00002022
#define VMCS_EPTP_LIST_ADDR                         0x00002024
#define VMCS_VMREAD_BITMAP_ADDR                     0x00002026
#define VMCS_VMWRITE_BITMAP_ADDR                    0x00002028
#define VMCS_VE_INFO_ADDR                           0x0000202a
#define VMCS_XSS_EXITING_BITMAP                     0x0000202c
#define VMCS_ENCLS_EXITING_BITMAP                   0x0000202e
#define VMCS_SPP_TABLE_POINTER                      0x00002030
#define VMCS_TSC_MULTIPLIER                         0x00002032
#define VMCS_PROCBASED_CTLS3                        0x00002034 /* tertiary */
#define VMCS_ENCLV_EXITING_BITMAP                   0x00002036
#define VMCS_LOW_PASID_DIRECTORY_ADDR               0x00002038
#define VMCS_HIGH_PASID_DIRECTORY_ADDR              0x0000203a
#define VMCS_SHARED_EPT_POINTER                     0x0000203c
#define VMCS_PCONFIG_EXITING_BITMAP                 0x0000203e
#define VMCS_HLATP                                  0x00002040
#define VMCS_PID_POINTER_TABLE_ADDR                 0x00002042
#define VMCS_EXIT_CTLS2                             0x00002044 /* secondary VM-exit controls */
#define VMCS_SPEC_CTRL_MASK                         0x0000204a
#define VMCS_SPEC_CTRL_SHADOW                       0x0000204c
#define VMCS_INJECTED_EVENT_DATA                    0x00002052

/* ---- B.2.2 64-Bit Read-Only Data Field ---------------------------- */
#define VMCS_GUEST_PHYSICAL_ADDR                    0x00002400
#define VMCS_ORIGINAL_EVENT_DATA                    0x00002404

/* ---- B.2.3 64-Bit Guest-State Fields ------------------------------ */
#define VMCS_LINK_POINTER                           0x00002800
#define VMCS_GUEST_IA32_DEBUGCTL                    0x00002802
#define VMCS_GUEST_IA32_PAT                         0x00002804
#define VMCS_GUEST_IA32_EFER                        0x00002806
#define VMCS_GUEST_IA32_PERF_GLOBAL_CTRL            0x00002808
#define VMCS_GUEST_PDPTE0                           0x0000280a
#define VMCS_GUEST_PDPTE1                           0x0000280c
#define VMCS_GUEST_PDPTE2                           0x0000280e
#define VMCS_GUEST_PDPTE3                           0x00002810
#define VMCS_GUEST_IA32_BNDCFGS                     0x00002812
#define VMCS_GUEST_IA32_RTIT_CTL                    0x00002814
#define VMCS_GUEST_IA32_LBR_CTL                     0x00002816
#define VMCS_GUEST_IA32_PKRS                        0x00002818

/* ---- B.2.4 64-Bit Host-State Fields ------------------------------- */
#define VMCS_HOST_IA32_PAT                          0x00002c00
#define VMCS_HOST_IA32_EFER                         0x00002c02
#define VMCS_HOST_IA32_PERF_GLOBAL_CTRL             0x00002c04
#define VMCS_HOST_IA32_PKRS                         0x00002c06

/* ---- B.3.1 32-Bit Control Fields ---------------------------------- */
#define VMCS_PINBASED_CTLS                          0x00004000
#define VMCS_PROCBASED_CTLS                         0x00004002 /* primary */
#define VMCS_EXCEPTION_BITMAP                       0x00004004
#define VMCS_PAGE_FAULT_ERROR_CODE_MASK             0x00004006
#define VMCS_PAGE_FAULT_ERROR_CODE_MATCH            0x00004008
#define VMCS_CR3_TARGET_COUNT                       0x0000400a
#define VMCS_EXIT_CTLS                              0x0000400c /* primary VM-exit controls */
#define VMCS_EXIT_MSR_STORE_COUNT                   0x0000400e
#define VMCS_EXIT_MSR_LOAD_COUNT                    0x00004010
#define VMCS_ENTRY_CTLS                             0x00004012
#define VMCS_ENTRY_MSR_LOAD_COUNT                   0x00004014
#define VMCS_ENTRY_INTR_INFO                        0x00004016
#define VMCS_ENTRY_EXCEPTION_ERROR_CODE             0x00004018
#define VMCS_ENTRY_INSTRUCTION_LEN                  0x0000401a
#define VMCS_TPR_THRESHOLD                          0x0000401c
#define VMCS_PROCBASED_CTLS2                        0x0000401e /* secondary */
#define VMCS_PLE_GAP                                0x00004020
#define VMCS_PLE_WINDOW                             0x00004022
#define VMCS_INSTRUCTION_TIMEOUT_CONTROL            0x00004024

/* ---- B.3.2 32-Bit Read-Only Data Fields --------------------------- */
#define VMCS_VM_INSTRUCTION_ERROR                   0x00004400
#define VMCS_EXIT_REASON                            0x00004402
#define VMCS_EXIT_INTR_INFO                         0x00004404
#define VMCS_EXIT_INTR_ERROR_CODE                   0x00004406
#define VMCS_IDT_VECTORING_INFO                     0x00004408
#define VMCS_IDT_VECTORING_ERROR_CODE               0x0000440a
#define VMCS_EXIT_INSTRUCTION_LEN                   0x0000440c
#define VMCS_EXIT_INSTRUCTION_INFO                  0x0000440e

/* ---- B.3.3 32-Bit Guest-State Fields ------------------------------ */
#define VMCS_GUEST_ES_LIMIT                         0x00004800
#define VMCS_GUEST_CS_LIMIT                         0x00004802
#define VMCS_GUEST_SS_LIMIT                         0x00004804
#define VMCS_GUEST_DS_LIMIT                         0x00004806
#define VMCS_GUEST_FS_LIMIT                         0x00004808
#define VMCS_GUEST_GS_LIMIT                         0x0000480a
#define VMCS_GUEST_LDTR_LIMIT                       0x0000480c
#define VMCS_GUEST_TR_LIMIT                         0x0000480e
#define VMCS_GUEST_GDTR_LIMIT                       0x00004810
#define VMCS_GUEST_IDTR_LIMIT                       0x00004812
#define VMCS_GUEST_ES_ACCESS_RIGHTS                 0x00004814
#define VMCS_GUEST_CS_ACCESS_RIGHTS                 0x00004816
#define VMCS_GUEST_SS_ACCESS_RIGHTS                 0x00004818
#define VMCS_GUEST_DS_ACCESS_RIGHTS                 0x0000481a
#define VMCS_GUEST_FS_ACCESS_RIGHTS                 0x0000481c
#define VMCS_GUEST_GS_ACCESS_RIGHTS                 0x0000481e
#define VMCS_GUEST_LDTR_ACCESS_RIGHTS               0x00004820
#define VMCS_GUEST_TR_ACCESS_RIGHTS                 0x00004822
#define VMCS_GUEST_INTERRUPTIBILITY_STATE           0x00004824
#define VMCS_GUEST_ACTIVITY_STATE                   0x00004826
#define VMCS_GUEST_SMBASE                           0x00004828
#define VMCS_GUEST_IA32_SYSENTER_CS                 0x0000482a
#define VMCS_PREEMPTION_TIMER_VALUE                 0x0000482e

/* ---- B.3.4 32-Bit Host-State Field -------------------------------- */
#define VMCS_HOST_IA32_SYSENTER_CS                  0x00004c00

/* ---- B.4.1 Natural-Width Control Fields --------------------------- */
#define VMCS_CR0_GUEST_HOST_MASK                    0x00006000
#define VMCS_CR4_GUEST_HOST_MASK                    0x00006002
#define VMCS_CR0_READ_SHADOW                        0x00006004
#define VMCS_CR4_READ_SHADOW                        0x00006006
#define VMCS_CR3_TARGET_VALUE0                      0x00006008
#define VMCS_CR3_TARGET_VALUE1                      0x0000600a
#define VMCS_CR3_TARGET_VALUE2                      0x0000600c
#define VMCS_CR3_TARGET_VALUE3                      0x0000600e

/* ---- B.4.2 Natural-Width Read-Only Data Fields -------------------- */
#define VMCS_EXIT_QUALIFICATION                     0x00006400
#define VMCS_IO_RCX                                 0x00006402
#define VMCS_IO_RSI                                 0x00006404
#define VMCS_IO_RDI                                 0x00006406
#define VMCS_IO_RIP                                 0x00006408
#define VMCS_GUEST_LINEAR_ADDR                      0x0000640a

/* ---- B.4.3 Natural-Width Guest-State Fields ----------------------- */
#define VMCS_GUEST_CR0                              0x00006800
#define VMCS_GUEST_CR3                              0x00006802
#define VMCS_GUEST_CR4                              0x00006804
#define VMCS_GUEST_ES_BASE                          0x00006806
#define VMCS_GUEST_CS_BASE                          0x00006808
#define VMCS_GUEST_SS_BASE                          0x0000680a
#define VMCS_GUEST_DS_BASE                          0x0000680c
#define VMCS_GUEST_FS_BASE                          0x0000680e
#define VMCS_GUEST_GS_BASE                          0x00006810
#define VMCS_GUEST_LDTR_BASE                        0x00006812
#define VMCS_GUEST_TR_BASE                          0x00006814
#define VMCS_GUEST_GDTR_BASE                        0x00006816
#define VMCS_GUEST_IDTR_BASE                        0x00006818
#define VMCS_GUEST_DR7                              0x0000681a
#define VMCS_GUEST_RSP                              0x0000681c
#define VMCS_GUEST_RIP                              0x0000681e
#define VMCS_GUEST_RFLAGS                           0x00006820
#define VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS         0x00006822
#define VMCS_GUEST_IA32_SYSENTER_ESP                0x00006824
#define VMCS_GUEST_IA32_SYSENTER_EIP                0x00006826
#define VMCS_GUEST_IA32_S_CET                       0x00006828
#define VMCS_GUEST_SSP                              0x0000682a
#define VMCS_GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR    0x0000682c

/* ---- B.4.4 Natural-Width Host-State Fields ------------------------ */
#define VMCS_HOST_CR0                               0x00006c00
#define VMCS_HOST_CR3                               0x00006c02
#define VMCS_HOST_CR4                               0x00006c04
#define VMCS_HOST_FS_BASE                           0x00006c06
#define VMCS_HOST_GS_BASE                           0x00006c08
#define VMCS_HOST_TR_BASE                           0x00006c0a
#define VMCS_HOST_GDTR_BASE                         0x00006c0c
#define VMCS_HOST_IDTR_BASE                         0x00006c0e
#define VMCS_HOST_IA32_SYSENTER_ESP                 0x00006c10
#define VMCS_HOST_IA32_SYSENTER_EIP                 0x00006c12
#define VMCS_HOST_RSP                               0x00006c14
#define VMCS_HOST_RIP                               0x00006c16
#define VMCS_HOST_IA32_S_CET                        0x00006c18
#define VMCS_HOST_SSP                               0x00006c1a
#define VMCS_HOST_IA32_INTERRUPT_SSP_TABLE_ADDR     0x00006c1c

/* The four fields of guest segment register n (ES, CS, SS, DS, FS, GS,
 * LDTR, TR) in the order selector, base, limit, access rights: an
 * initializer for a table indexed by segment. */
#define VMCS_GUEST_SEG_FIELDS(n) { \
	VMCS_GUEST_##n##_SELECTOR, VMCS_GUEST_##n##_BASE, \
	VMCS_GUEST_##n##_LIMIT, VMCS_GUEST_##n##_ACCESS_RIGHTS }

#endif

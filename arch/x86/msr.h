/*
 * Model-specific register numbers, named as in the Intel SDM Vol. 4
 * ("Model-Specific Registers"), and the bits this hypervisor uses.
 * Plain #defines: usable from C, assembly and host unit tests.
 */
#ifndef ARCH_X86_MSR_H
#define ARCH_X86_MSR_H

#include "lib/bits.h"

#define IA32_TIME_STAMP_COUNTER         0x00000010
#define IA32_PLATFORM_ID                0x00000017
#define IA32_APIC_BASE                  0x0000001b
#define IA32_FEATURE_CONTROL            0x0000003a
#define IA32_TSC_ADJUST                 0x0000003b
#define IA32_SPEC_CTRL                  0x00000048
#define SPEC_CTRL_IBRS                  (1ull << 0)   /* indirect branch restricted speculation */
#define IA32_PRED_CMD                   0x00000049
#define IA32_BIOS_UPDT_TRIG             0x00000079
#define IA32_BIOS_SIGN_ID               0x0000008b
#define IA32_PMC0                       0x000000c1  /* .. IA32_PMC7 0xc8 */
#define IA32_PMC7                       0x000000c8
#define IA32_MPERF                      0x000000e7
#define IA32_APERF                      0x000000e8
#define IA32_MTRRCAP                    0x000000fe
#define IA32_ARCH_CAPABILITIES          0x0000010a
#define IA32_FLUSH_CMD                  0x0000010b
#define IA32_TSX_CTRL                   0x00000122
#define IA32_MCU_OPT_CTRL               0x00000123
#define IA32_SYSENTER_CS                0x00000174
#define IA32_SYSENTER_ESP               0x00000175
#define IA32_SYSENTER_EIP               0x00000176
#define IA32_MCG_CAP                    0x00000179
#define IA32_MCG_STATUS                 0x0000017a
#define IA32_MCG_CTL                    0x0000017b
#define IA32_PERFEVTSEL0                0x00000186  /* .. IA32_PERFEVTSEL7 0x18d */
#define IA32_PERFEVTSEL7                0x0000018d
#define IA32_PERF_STATUS                0x00000198
#define IA32_PERF_CTL                   0x00000199
#define IA32_THERM_INTERRUPT            0x0000019b
#define IA32_THERM_STATUS               0x0000019c
#define IA32_MISC_ENABLE                0x000001a0
#define IA32_ENERGY_PERF_BIAS           0x000001b0
#define IA32_PACKAGE_THERM_STATUS       0x000001b1
#define IA32_PACKAGE_THERM_INTERRUPT    0x000001b2
#define IA32_DEBUGCTL                   0x000001d9
#define IA32_PAT                        0x00000277
#define IA32_MC0_CTL2                   0x00000280  /* .. IA32_MC31_CTL2 0x29f */
#define IA32_MC31_CTL2                  0x0000029f
#define IA32_MTRR_DEF_TYPE              0x000002ff
#define IA32_FIXED_CTR0                 0x00000309  /* .. IA32_FIXED_CTR3 0x30c */
#define IA32_FIXED_CTR3                 0x0000030c
#define IA32_PERF_CAPABILITIES          0x00000345
#define IA32_FIXED_CTR_CTRL             0x0000038d
#define IA32_PERF_GLOBAL_STATUS         0x0000038e
#define IA32_PERF_GLOBAL_CTRL           0x0000038f
#define IA32_PERF_GLOBAL_STATUS_RESET   0x00000390
#define IA32_PERF_GLOBAL_STATUS_SET     0x00000391
#define IA32_PERF_GLOBAL_INUSE          0x00000392
#define IA32_PEBS_ENABLE                0x000003f1
#define IA32_MC0_CTL                    0x00000400  /* 4 MSRs per bank: */
#define IA32_MC0_STATUS                 0x00000401  /* CTL, STATUS, ADDR, MISC */
#define IA32_MC31_MISC                  0x0000047f  /* the last of 32 banks */
#define IA32_A_PMC0                     0x000004c1  /* .. IA32_A_PMC7 0x4c8 */
#define IA32_A_PMC7                     0x000004c8
#define IA32_RTIT_OUTPUT_BASE           0x00000560
#define IA32_RTIT_OUTPUT_MASK_PTRS      0x00000561
#define IA32_RTIT_CTL                   0x00000570
#define IA32_RTIT_STATUS                0x00000571
#define IA32_RTIT_CR3_MATCH             0x00000572
#define IA32_RTIT_ADDR0_A               0x00000580  /* .. IA32_RTIT_ADDR3_B 0x587 */
#define IA32_RTIT_ADDR3_B               0x00000587
#define IA32_DS_AREA                    0x00000600
#define IA32_TSC_DEADLINE               0x000006e0
#define IA32_X2APIC_FIRST               0x00000800  /* x2APIC registers: */
#define IA32_X2APIC_LAST                0x000008ff  /* IA32_X2APIC_APICID .. */
#define IA32_XSS                        0x00000da0
/* MSRs of features the guest's CPUID hides (hv/view/cpu_features.c):
 * default-denied, named here for the tests and docs. */
#define IA32_CORE_CAPABILITIES          0x000000cf
#define MSR_TSX_FORCE_ABORT             0x0000010f
#define IA32_XFD                        0x000001c4
#define IA32_XFD_ERR                    0x000001c5
#define IA32_U_CET                      0x000006a0
#define IA32_S_CET                      0x000006a2
#define IA32_PL0_SSP                    0x000006a4  /* .. IA32_PL3_SSP 0x6a7 */
#define IA32_PL3_SSP                    0x000006a7
#define IA32_INTERRUPT_SSP_TABLE_ADDR   0x000006a8
#define IA32_PKRS                       0x000006e1
#define IA32_BNDCFGS                    0x00000d90
#define IA32_PASID                      0x00000d93

#define IA32_VMX_BASIC                  0x00000480
#define IA32_VMX_PINBASED_CTLS          0x00000481
#define IA32_VMX_PROCBASED_CTLS         0x00000482
#define IA32_VMX_EXIT_CTLS              0x00000483
#define IA32_VMX_ENTRY_CTLS             0x00000484
#define IA32_VMX_MISC                   0x00000485
#define IA32_VMX_CR0_FIXED0             0x00000486
#define IA32_VMX_CR0_FIXED1             0x00000487
#define IA32_VMX_CR4_FIXED0             0x00000488
#define IA32_VMX_CR4_FIXED1             0x00000489
#define IA32_VMX_VMCS_ENUM              0x0000048a
#define IA32_VMX_PROCBASED_CTLS2        0x0000048b
#define IA32_VMX_EPT_VPID_CAP           0x0000048c
#define IA32_VMX_TRUE_PINBASED_CTLS     0x0000048d
#define IA32_VMX_TRUE_PROCBASED_CTLS    0x0000048e
#define IA32_VMX_TRUE_EXIT_CTLS         0x0000048f
#define IA32_VMX_TRUE_ENTRY_CTLS        0x00000490
#define IA32_VMX_VMFUNC                 0x00000491
#define IA32_VMX_PROCBASED_CTLS3        0x00000492

#define IA32_EFER                       0xc0000080
#define IA32_STAR                       0xc0000081
#define IA32_LSTAR                      0xc0000082
#define IA32_CSTAR                      0xc0000083
#define IA32_FMASK                      0xc0000084
#define IA32_FS_BASE                    0xc0000100
#define IA32_GS_BASE                    0xc0000101
#define IA32_KERNEL_GS_BASE             0xc0000102
#define IA32_TSC_AUX                    0xc0000103

/* IA32_FEATURE_CONTROL bits */
#define FEATURE_CONTROL_LOCK            BIT_ULL(0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX  BIT_ULL(1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT_ULL(2)

/* IA32_EFER bits */
#define EFER_SCE                        BIT_ULL(0)
#define EFER_LME                        BIT_ULL(8)
#define EFER_LMA                        BIT_ULL(10)
#define EFER_NXE                        BIT_ULL(11)

/* IA32_APIC_BASE bits */
#define APIC_BASE_BSP                   BIT_ULL(8)
#define APIC_BASE_X2APIC_ENABLE         BIT_ULL(10)
#define APIC_BASE_ENABLE                BIT_ULL(11)
#define APIC_BASE_PAGE_MASK             ULL_C(0x000ffffffffff000) /* the APIC Base field, bits 51:12 */

/* IA32_DEBUGCTL bits that make the CPU store branch records through the
 * DS save area (BTS), which the guest does not get */
#define DEBUGCTL_TR                     BIT_ULL(6)
#define DEBUGCTL_BTS                    BIT_ULL(7)
#define DEBUGCTL_BTINT                  BIT_ULL(8)
#define DEBUGCTL_BTS_OFF_OS             BIT_ULL(9)
#define DEBUGCTL_BTS_OFF_USR            BIT_ULL(10)

/* IA32_MISC_ENABLE bits */
#define MISC_ENABLE_TM1                 BIT_ULL(3)
#define MISC_ENABLE_BTS_UNAVAILABLE     BIT_ULL(11)
#define MISC_ENABLE_PEBS_UNAVAILABLE    BIT_ULL(12)
#define MISC_ENABLE_LIMIT_CPUID_MAXVAL  BIT_ULL(22)
#define MISC_ENABLE_XD_DISABLE          BIT_ULL(34)

/* ---- MTRRs (SDM Vol. 3, "Memory Type Range Registers (MTRRs)") ---- */
/* Memory types, as encoded in MTRRs, PAT and EPT entries. */
#define MEMTYPE_UC 0
#define MEMTYPE_WC 1
#define MEMTYPE_WT 4
#define MEMTYPE_WP 5
#define MEMTYPE_WB 6
#define MEMTYPE_MIXED 0xff      /* not one type across the range */

/* IA32_MTRRCAP */
#define MTRRCAP_VCNT_MASK       ULL_C(0xff)
#define MTRRCAP_FIX             BIT_ULL(8)
#define MTRRCAP_WC              BIT_ULL(10)
/* IA32_MTRR_DEF_TYPE */
#define MTRR_DEF_TYPE_MASK      ULL_C(0xff)
#define MTRR_DEF_TYPE_FE        BIT_ULL(10)
#define MTRR_DEF_TYPE_E         BIT_ULL(11)
/* IA32_MTRR_PHYSBASEn / IA32_MTRR_PHYSMASKn */
#define IA32_MTRR_PHYSBASE0     0x200
#define IA32_MTRR_PHYSMASK0     0x201
#define MTRR_PHYSBASE_TYPE_MASK ULL_C(0xff)
#define MTRR_PHYSMASK_VALID     BIT_ULL(11)
#define MTRR_ADDR_MASK          (~ULL_C(0xfff))
/* Fixed-range MTRRs: 8 types per MSR. */
#define IA32_MTRR_FIX64K_00000  0x250
#define IA32_MTRR_FIX16K_80000  0x258
#define IA32_MTRR_FIX16K_A0000  0x259
#define IA32_MTRR_FIX4K_C0000   0x268
#define IA32_MTRR_FIX4K_F8000   0x26f
#define MTRR_FIXED_COUNT        88      /* 8 x 64K, 16 x 16K, 64 x 4K */
#define MTRR_FIXED_LIMIT        ULL_C(0x100000)
#define MTRR_VAR_MAX            32

/* IA32_PAT: eight one-byte memory-type entries */
#define PAT_ENTRIES                     8
#define PAT_ENTRY_BITS                  8

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* True when every IA32_PAT entry holds a memory type the CPU accepts:
 * 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB), 7 (UC-); WRMSR and VM entry
 * refuse the others (SDM Vol. 3, "IA32_PAT MSR"). */
static inline bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < PAT_ENTRIES; i++) {
		uint8_t type = (uint8_t)(pat >> (i * PAT_ENTRY_BITS));
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}
#endif

#endif

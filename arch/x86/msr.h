/*
 * Model-specific register numbers, named as in the Intel SDM Vol. 4
 * ("Model-Specific Registers"), and the bits this hypervisor uses.
 * Plain #defines: usable from C, assembly and host unit tests.
 */
#ifndef ARCH_X86_MSR_H
#define ARCH_X86_MSR_H

#define IA32_APIC_BASE                  0x0000001b
#define IA32_FEATURE_CONTROL            0x0000003a
#define IA32_TSC_ADJUST                 0x0000003b
#define IA32_ARCH_CAPABILITIES          0x0000010a
#define IA32_FLUSH_CMD                  0x0000010b
#define IA32_SYSENTER_CS                0x00000174
#define IA32_SYSENTER_ESP               0x00000175
#define IA32_SYSENTER_EIP               0x00000176
#define IA32_DEBUGCTL                   0x000001d9
#define IA32_PAT                        0x00000277
#define IA32_MTRRCAP                    0x000000fe
#define IA32_MTRR_DEF_TYPE              0x000002ff
#define IA32_PERF_GLOBAL_CTRL           0x0000038f

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
#define FEATURE_CONTROL_LOCK            (1ull << 0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX  (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

/* IA32_EFER bits */
#define EFER_SCE                        (1ull << 0)
#define EFER_LME                        (1ull << 8)
#define EFER_LMA                        (1ull << 10)
#define EFER_NXE                        (1ull << 11)

/* IA32_APIC_BASE bits */
#define APIC_BASE_BSP                   (1ull << 8)
#define APIC_BASE_X2APIC_ENABLE         (1ull << 10)
#define APIC_BASE_ENABLE                (1ull << 11)

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

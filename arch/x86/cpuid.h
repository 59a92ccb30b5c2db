/*
 * CPUID leaf numbers and fields used in more than one place (Intel SDM
 * Vol. 2A, "CPUID-CPU Identification").  Plain #defines: usable from C,
 * assembly and host unit tests.
 */
#ifndef ARCH_X86_CPUID_H
#define ARCH_X86_CPUID_H

#include "lib/bits.h"

/* Basic leaves and their feature bits, named after the SDM's fields. */
#define CPUID_LEAF_VENDOR           0x00    /* EAX: highest basic leaf */
#define CPUID_LEAF_FEATURES         0x01
#define CPUID_LEAF_TOPOLOGY         0x0b
#define CPUID_LEAF_MWAIT            0x05
#define CPUID_LEAF_THERMAL_POWER    0x06
#define CPUID_LEAF_EXT_FEATURES     0x07
#define CPUID_LEAF_PERFMON          0x0a
#define CPUID_LEAF_XSAVE            0x0d
#define CPUID_LEAF_SGX              0x12
#define CPUID_LEAF_PT               0x14
#define CPUID_LEAF_RDT_MONITOR      0x0f    /* resource director: monitoring */
#define CPUID_LEAF_RDT_ALLOC        0x10    /* resource director: allocation */
#define CPUID_LEAF_KEY_LOCKER       0x19
#define CPUID_LEAF_PCONFIG          0x1b
#define CPUID_LEAF_ARCH_LBR         0x1c
#define CPUID_LEAF_TILE             0x1d    /* AMX palettes */
#define CPUID_LEAF_TMUL             0x1e    /* AMX TMUL */
#define CPUID_LEAF_HRESET           0x20
#define CPUID_HV_RANGE_BASE         U_C(0x40000000)
#define CPUID_HV_RANGE_LAST         U_C(0x4fffffff)

#define CPUID_1_EBX_APIC_ID_SHIFT   24      /* initial APIC ID, bits 31:24 */
#define CPUID_1_ECX_DTES64          BIT(2)
#define CPUID_1_ECX_VMX             BIT(5)
#define CPUID_1_ECX_SMX             BIT(6)
#define CPUID_1_ECX_XSAVE           BIT(26)
#define CPUID_1_ECX_AVX             BIT(28)
#define CPUID_1_ECX_HYPERVISOR      BIT(31)
#define CPUID_1_EDX_MSR             BIT(5)
#define CPUID_1_EDX_APIC            BIT(9)
#define CPUID_1_EDX_MTRR            BIT(12)
#define CPUID_1_EDX_PGE             BIT(13)
#define CPUID_1_ECX_MONITOR         BIT(3)
#define CPUID_1_ECX_DS_CPL          BIT(4)
#define CPUID_1_ECX_PDCM            BIT(15)
#define CPUID_1_EDX_DS              BIT(21)
#define CPUID_1_ECX_OSXSAVE         BIT(27)
#define CPUID_7_EBX_SGX             BIT(2)
#define CPUID_7_EBX_HLE             BIT(4)
#define CPUID_7_EBX_RTM             BIT(11)
#define CPUID_7_EBX_RDT_M           BIT(12)     /* PQM: resource monitoring */
#define CPUID_7_EBX_MPX             BIT(14)
#define CPUID_7_EBX_RDT_A           BIT(15)     /* PQE: resource allocation */
#define CPUID_7_EBX_AVX512F         BIT(16)
#define CPUID_7_EBX_INVPCID         BIT(10)
#define CPUID_7_EBX_INTEL_PT        BIT(25)
#define CPUID_7_ECX_PKU             BIT(3)
#define CPUID_7_ECX_OSPKE           BIT(4)
#define CPUID_7_ECX_CET_SS          BIT(7)
#define CPUID_7_ECX_WAITPKG         BIT(5)
#define CPUID_7_ECX_SGX_LC          BIT(30)
#define CPUID_7_ECX_TME_EN          BIT(13)     /* total memory encryption */
#define CPUID_7_ECX_RDPID           BIT(22)
#define CPUID_7_ECX_KL              BIT(23)     /* Key Locker */
#define CPUID_7_ECX_ENQCMD          BIT(29)
#define CPUID_7_ECX_PKS             BIT(31)
#define CPUID_7_EDX_UINTR           BIT(5)      /* user interrupts */
#define CPUID_7_EDX_TSX_FORCE_ABORT BIT(13)
#define CPUID_7_EDX_ARCH_LBR        BIT(19)
#define CPUID_7_EDX_AMX_BF16        BIT(22)
#define CPUID_7_EDX_AMX_TILE        BIT(24)
#define CPUID_7_EDX_AMX_INT8        BIT(25)
#define CPUID_7_EDX_CORE_CAPABILITIES BIT(30)   /* IA32_CORE_CAPABILITIES */
#define CPUID_7_1_EAX_FRED          BIT(17)
#define CPUID_7_1_EAX_AMX_FP16      BIT(21)
#define CPUID_7_1_EAX_HRESET        BIT(22)
#define CPUID_7_1_EAX_LAM           BIT(26)
#define CPUID_7_EDX_MD_CLEAR        BIT(10)     /* VERW clears CPU buffers */
#define CPUID_7_EDX_PCONFIG         BIT(18)
#define CPUID_7_EDX_CET_IBT         BIT(20)
#define CPUID_7_EDX_IBRS_IBPB       BIT(26)     /* IA32_SPEC_CTRL.IBRS, IA32_PRED_CMD */
#define CPUID_7_EDX_STIBP           BIT(27)     /* IA32_SPEC_CTRL.STIBP */
#define CPUID_7_EDX_L1D_FLUSH       BIT(28)     /* IA32_FLUSH_CMD */
#define CPUID_7_EDX_ARCH_CAPABILITIES BIT(29)    /* IA32_ARCH_CAPABILITIES */
#define CPUID_7_EDX_SSBD            BIT(31)     /* IA32_SPEC_CTRL.SSBD */
#define CPUID_7_EDX_SPEC_CTRL_ANY   (CPUID_7_EDX_IBRS_IBPB | CPUID_7_EDX_STIBP | \
				     CPUID_7_EDX_SSBD)
#define CPUID_6_EAX_ARAT            BIT(2)      /* APIC timer runs in C-states */
#define CPUID_D1_EAX_XSAVES         BIT(3)
#define CPUID_D1_EAX_XFD            BIT(4)      /* IA32_XFD, IA32_XFD_ERR */

/* Extended leaves. */
#define CPUID_EXT_MAX_LEAF      0x80000000  /* EAX: highest extended leaf */
#define CPUID_EXT_FEATURES      0x80000001
#define CPUID_80000001_EDX_PDPE1GB  BIT(26)
#define CPUID_80000001_EDX_RDTSCP   BIT(27)
#define CPUID_80000001_EDX_LM       BIT(29)
#define CPUID_EXT_BRAND_FIRST   0x80000002  /* .. 0x80000004: the brand string */
#define CPUID_EXT_BRAND_LAST    0x80000004
#define CPUID_EXT_ADDR_SIZES    0x80000008
#define CPUID_ADDR_PHYS_MASK    0xff        /* 80000008H:EAX[7:0]: MAXPHYADDR */
/* MAXPHYADDR when leaf 80000008H is absent ("CPUID-CPU Identification",
 * footnote on leaf 80000008H). */
#define CPUID_DEFAULT_MAXPHYADDR 36

#endif

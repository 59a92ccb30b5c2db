/*
 * CPUID leaf numbers and fields used in more than one place (Intel SDM
 * Vol. 2A, "CPUID-CPU Identification").  Plain #defines: usable from C,
 * assembly and host unit tests.
 */
#ifndef ARCH_X86_CPUID_H
#define ARCH_X86_CPUID_H

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
#define CPUID_HV_RANGE_BASE         0x40000000u
#define CPUID_HV_RANGE_LAST         0x4fffffffu

#define CPUID_1_EBX_APIC_ID_SHIFT   24      /* initial APIC ID, bits 31:24 */
#define CPUID_1_ECX_DTES64          (1u << 2)
#define CPUID_1_ECX_VMX             (1u << 5)
#define CPUID_1_ECX_SMX             (1u << 6)
#define CPUID_1_ECX_XSAVE           (1u << 26)
#define CPUID_1_ECX_AVX             (1u << 28)
#define CPUID_1_ECX_HYPERVISOR      (1u << 31)
#define CPUID_1_EDX_MSR             (1u << 5)
#define CPUID_1_EDX_APIC            (1u << 9)
#define CPUID_1_EDX_MTRR            (1u << 12)
#define CPUID_1_EDX_PGE             (1u << 13)
#define CPUID_1_ECX_MONITOR         (1u << 3)
#define CPUID_1_ECX_DS_CPL          (1u << 4)
#define CPUID_1_ECX_PDCM            (1u << 15)
#define CPUID_1_EDX_DS              (1u << 21)
#define CPUID_1_ECX_OSXSAVE         (1u << 27)
#define CPUID_7_EBX_SGX             (1u << 2)
#define CPUID_7_EBX_INVPCID         (1u << 10)
#define CPUID_7_EBX_INTEL_PT        (1u << 25)
#define CPUID_7_ECX_PKU             (1u << 3)
#define CPUID_7_ECX_OSPKE           (1u << 4)
#define CPUID_7_ECX_CET_SS          (1u << 7)
#define CPUID_7_ECX_WAITPKG         (1u << 5)
#define CPUID_7_ECX_SGX_LC          (1u << 30)
#define CPUID_7_EDX_MD_CLEAR        (1u << 10)  /* VERW clears CPU buffers */
#define CPUID_7_EDX_PCONFIG         (1u << 18)
#define CPUID_7_EDX_CET_IBT         (1u << 20)
#define CPUID_7_EDX_IBRS_IBPB       (1u << 26)  /* IA32_SPEC_CTRL.IBRS, IA32_PRED_CMD */
#define CPUID_7_EDX_STIBP           (1u << 27)  /* IA32_SPEC_CTRL.STIBP */
#define CPUID_7_EDX_L1D_FLUSH       (1u << 28)  /* IA32_FLUSH_CMD */
#define CPUID_7_EDX_ARCH_CAPABILITIES (1u << 29) /* IA32_ARCH_CAPABILITIES */
#define CPUID_7_EDX_SSBD            (1u << 31)  /* IA32_SPEC_CTRL.SSBD */
#define CPUID_7_EDX_SPEC_CTRL_ANY   (CPUID_7_EDX_IBRS_IBPB | CPUID_7_EDX_STIBP | \
				     CPUID_7_EDX_SSBD)
#define CPUID_6_EAX_ARAT            (1u << 2)   /* APIC timer runs in C-states */
#define CPUID_D1_EAX_XSAVES         (1u << 3)

/* Extended leaves. */
#define CPUID_EXT_MAX_LEAF      0x80000000  /* EAX: highest extended leaf */
#define CPUID_EXT_FEATURES      0x80000001
#define CPUID_80000001_EDX_PDPE1GB  (1u << 26)
#define CPUID_80000001_EDX_RDTSCP   (1u << 27)
#define CPUID_80000001_EDX_LM       (1u << 29)
#define CPUID_EXT_BRAND_FIRST   0x80000002  /* .. 0x80000004: the brand string */
#define CPUID_EXT_BRAND_LAST    0x80000004
#define CPUID_EXT_ADDR_SIZES    0x80000008
#define CPUID_ADDR_PHYS_MASK    0xff        /* 80000008H:EAX[7:0]: MAXPHYADDR */
/* MAXPHYADDR when leaf 80000008H is absent ("CPUID-CPU Identification",
 * footnote on leaf 80000008H). */
#define CPUID_DEFAULT_MAXPHYADDR 36

#endif

/*
 * CPUID leaf numbers and fields used in more than one place (Intel SDM
 * Vol. 2A, "CPUID-CPU Identification").  Plain #defines: usable from C,
 * assembly and host unit tests.
 */
#ifndef ARCH_X86_CPUID_H
#define ARCH_X86_CPUID_H

#define CPUID_EXT_MAX_LEAF      0x80000000  /* EAX: highest extended leaf */
#define CPUID_EXT_FEATURES      0x80000001
#define CPUID_EXT_ADDR_SIZES    0x80000008
#define CPUID_ADDR_PHYS_MASK    0xff        /* 80000008H:EAX[7:0]: MAXPHYADDR */
/* MAXPHYADDR when leaf 80000008H is absent ("CPUID-CPU Identification",
 * footnote on leaf 80000008H). */
#define CPUID_DEFAULT_MAXPHYADDR 36

#endif

/*
 * The hypercall ABI (docs/hypercalls.md).  A guest executes VMCALL with the
 * call number in RAX and arguments in RBX, RCX, RDX, RSI; the result comes
 * back in RAX, as with KVM.  Negative results are errors.  Shared by the
 * hypervisor and the in-tree test guests; plain #defines.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

/* CPUID leaves the hypervisor provides (Intel SDM reserves
 * 0x40000000-0x4FFFFFFF for software use). */
#define HV_CPUID_SIGNATURE_LEAF 0x40000000  /* EAX: max leaf; EBX,ECX,EDX: signature */
#define HV_CPUID_FEATURES_LEAF  0x40000001  /* EAX: HV_FEATURE_* bits */
#define HV_CPUID_MAX_LEAF       HV_CPUID_FEATURES_LEAF
#define HV_CPUID_SIGNATURE      "VTxMicroHV  "   /* 12 bytes: EBX, ECX, EDX */
#define HV_FEATURE_HYPERCALLS   (1u << 0)   /* VMCALL ABI below is available */
#define HV_FEATURE_EXIT_STATS   (1u << 1)
#define HV_FEATURE_TEST_EXIT    (1u << 2)

#define HV_ABI_VERSION          0x00010000  /* major 1, minor 0 */

/* Call numbers (RAX). */
#define HC_GET_VERSION          0   /* -> HV_ABI_VERSION */
#define HC_CONSOLE_WRITE        1   /* RBX: guest-physical address, RCX: length (<= 4096); -> bytes written */
#define HC_GET_EXIT_STATS       2   /* RBX: guest-physical buffer, RCX: size; -> bytes written; also logs the table */
#define HC_TEST_EXIT            3   /* RBX: 0 = success, else failure; stops the guest, ends the run */
#define HC_GET_HV_RANGES        4   /* RBX: guest-physical buffer, RCX: size; writes struct hc_range
                                       entries; -> number of ranges the hypervisor owns */
#define HC_DMESG                5   /* RBX: guest-physical buffer, RCX: size; the newest whole lines of
                                       the hypervisor's log ring -> bytes written */

#ifndef __ASSEMBLY__
#include <stdint.h>
/* One physical range the hypervisor owns (hidden from the guest). */
struct hc_range {
	uint64_t base;
	uint64_t end;       /* exclusive */
};
#endif

/* Errors (RAX, as negative numbers). */
#define HC_ERR_UNKNOWN          1000   /* no such call number (KVM_ENOSYS) */
#define HC_ERR_INVALID          22     /* bad argument (EINVAL) */
#define HC_ERR_FAULT            14     /* guest-physical range not accessible (EFAULT) */

#endif

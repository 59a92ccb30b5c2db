/*
 * Machine checks that arrive in VMX root operation (SDM Vol. 3, "Machine-
 * Check Architecture").  The hypervisor turns CR4.MCE on, so that such a
 * machine check reaches its #MC handler instead of shutting the CPU down
 * (a machine check with CR4.MCE clear puts the processor in the shutdown
 * state); the handler logs IA32_MCG_STATUS and every bank that holds a
 * valid error, then stops cleanly.  It never tries to recover: the
 * hypervisor cannot tell what the error corrupted.  A machine check while
 * the guest runs is the guest's (reflected by hv/exit/events.c).
 */
#ifndef ARCH_X86_MCE_H
#define ARCH_X86_MCE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/bits.h"

#define CPUID_1_EDX_MCE         BIT(7)      /* machine-check exception */
#define CPUID_1_EDX_MCA         BIT(14)     /* machine-check architecture */

#define MCG_CAP_COUNT_MASK      0xffu       /* IA32_MCG_CAP[7:0]: banks */
#define MCG_STATUS_RIPV         BIT_ULL(0)  /* restart IP valid */
#define MCG_STATUS_EIPV         BIT_ULL(1)  /* error IP valid */
#define MCG_STATUS_MCIP         BIT_ULL(2)  /* machine check in progress */

/* IA32_MCi_STATUS */
#define MCI_STATUS_VAL          BIT_ULL(63) /* the bank holds an error */
#define MCI_STATUS_OVER         BIT_ULL(62) /* an error was lost */
#define MCI_STATUS_UC           BIT_ULL(61) /* uncorrected */
#define MCI_STATUS_EN           BIT_ULL(60) /* signalled (bank enabled) */
#define MCI_STATUS_MISCV        BIT_ULL(59) /* IA32_MCi_MISC valid */
#define MCI_STATUS_ADDRV        BIT_ULL(58) /* IA32_MCi_ADDR valid */
#define MCI_STATUS_PCC          BIT_ULL(57) /* processor context corrupt */
#define MCI_STATUS_MCA_CODE     0xffffull   /* [15:0] architectural code */

/* Bank i's MSRs: IA32_MC0_CTL + 4 * i, then STATUS, ADDR, MISC. */
#define MCI_MSRS_PER_BANK       4u
#define MCI_STATUS_OFFSET       1u
#define MCI_ADDR_OFFSET         2u

/* The set flags of an IA32_MCi_STATUS value, by their SDM names, space
 * separated ("VAL UC EN ADDRV PCC"), into out (size bytes). */
void mce_status_flags(uint64_t status, char *out, size_t size);

/* Turn CR4.MCE on when CPUID reports machine-check exceptions. */
void mce_enable(void);

/* Log what the banks say about the machine check being handled (called
 * by the #MC handler before it stops). */
void mce_report(void);

#endif

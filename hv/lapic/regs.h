/*
 * The local APIC's architectural registers (Intel SDM Vol. 3, "Advanced
 * Programmable Interrupt Controller (APIC)": "Local APIC Register Address
 * Map", "x2APIC Register Address Space", "Local Vector Table", "Interrupt
 * Command Register (ICR)").  Plain #defines, usable from C, assembly and
 * host unit tests.
 *
 * xAPIC registers are 32-bit, 16-byte aligned offsets in the 4 KiB MMIO
 * window; x2APIC MSR 0x800 + (offset >> 4) is the same register.
 */
#ifndef HV_LAPIC_REGS_H
#define HV_LAPIC_REGS_H

#include "lib/bits.h"

#define LAPIC_WINDOW_SIZE        0x1000
#define LAPIC_REG_SHIFT          4          /* offset = index << 4 */
#define LAPIC_REG_ALIGN_MASK     0xf

/* Register offsets in the xAPIC window. */
#define LAPIC_ID                 0x020
#define LAPIC_VERSION            0x030
#define LAPIC_TPR                0x080
#define LAPIC_APR                0x090
#define LAPIC_PPR                0x0a0
#define LAPIC_EOI                0x0b0
#define LAPIC_RRD                0x0c0
#define LAPIC_LDR                0x0d0
#define LAPIC_DFR                0x0e0
#define LAPIC_SVR                0x0f0
#define LAPIC_ISR0               0x100      /* ISR: 8 registers, 0x100-0x170 */
#define LAPIC_TMR0               0x180      /* TMR: 0x180-0x1f0 */
#define LAPIC_IRR0               0x200      /* IRR: 0x200-0x270 */
#define LAPIC_ESR                0x280
#define LAPIC_LVT_CMCI           0x2f0
#define LAPIC_ICR_LO             0x300
#define LAPIC_ICR_HI             0x310
#define LAPIC_LVT_TIMER          0x320
#define LAPIC_LVT_THERMAL        0x330
#define LAPIC_LVT_PERF           0x340
#define LAPIC_LVT_LINT0          0x350
#define LAPIC_LVT_LINT1          0x360
#define LAPIC_LVT_ERROR          0x370
#define LAPIC_TIMER_ICR          0x380      /* initial count */
#define LAPIC_TIMER_CCR          0x390      /* current count */
#define LAPIC_TIMER_DCR          0x3e0      /* divide configuration */
#define LAPIC_SELF_IPI           0x3f0      /* x2APIC mode only */

#define LAPIC_VECTOR_REGS        8          /* ISR/TMR/IRR: 8 x 32 bits */
#define LAPIC_VECTORS            256
#define LAPIC_VECTOR_MASK        0xff
#define LAPIC_FIRST_VALID_VECTOR 16         /* 0-15 are illegal */
#define LAPIC_PRIO_CLASS_MASK    0xf0       /* vector[7:4] */
#define LAPIC_PRIO_SUBCLASS_MASK 0x0f

/* x2APIC MSRs: 0x800 + (offset >> 4). */
#define X2APIC_MSR_BASE          0x800
#define X2APIC_MSR_LAST          0x8ff
#define X2APIC_MSR(off)          (X2APIC_MSR_BASE + ((off) >> LAPIC_REG_SHIFT))

/* ID and version. */
#define LAPIC_XAPIC_ID_SHIFT     24         /* xAPIC: ID in bits 31:24 */
#define LAPIC_XAPIC_ID_MASK      0xff
#define LAPIC_VERSION_INTEGRATED 0x14       /* integrated APIC (xAPIC) */
#define LAPIC_VERSION_MAXLVT_SHIFT 16
#define LAPIC_LVT_COUNT          6          /* timer..error: max LVT entry 5 */
#define LAPIC_VERSION_VALUE      (LAPIC_VERSION_INTEGRATED | \
				  ((LAPIC_LVT_COUNT - 1) << LAPIC_VERSION_MAXLVT_SHIFT))

/* TPR, LDR, DFR. */
#define LAPIC_TPR_MASK           0xff
#define LAPIC_LDR_XAPIC_MASK     0xff000000u
#define LAPIC_DFR_MODEL_MASK     0xf0000000u
#define LAPIC_DFR_RESERVED_ONES  0x0fffffffu
#define LAPIC_DFR_FLAT           0xf        /* model field, bits 31:28 */
#define LAPIC_DFR_CLUSTER        0x0
#define LAPIC_DFR_MODEL_SHIFT    28
#define X2APIC_LDR_CLUSTER_SHIFT 16         /* x2APIC LDR: cluster 31:16 */
#define X2APIC_LDR_CLUSTER_OF_ID 4          /* cluster = ID >> 4 */
#define X2APIC_LDR_BIT_MASK      0xf        /* bit 1 << ID[3:0] */

/* SVR. */
#define LAPIC_SVR_VECTOR_MASK    0xff
#define LAPIC_SVR_ENABLE         BIT(8)
#define LAPIC_SVR_FOCUS_DISABLE  BIT(9)
#define LAPIC_SVR_WRITABLE       (LAPIC_SVR_VECTOR_MASK | LAPIC_SVR_ENABLE | \
				  LAPIC_SVR_FOCUS_DISABLE)
#define LAPIC_SVR_RESET          0xff

/* ESR bits. */
#define LAPIC_ESR_SEND_CHECKSUM     BIT(0)
#define LAPIC_ESR_RECV_CHECKSUM     BIT(1)
#define LAPIC_ESR_SEND_ACCEPT       BIT(2)
#define LAPIC_ESR_RECV_ACCEPT       BIT(3)
#define LAPIC_ESR_REDIRECTABLE_IPI  BIT(4)
#define LAPIC_ESR_SEND_ILLEGAL_VEC  BIT(5)
#define LAPIC_ESR_RECV_ILLEGAL_VEC  BIT(6)
#define LAPIC_ESR_ILLEGAL_REG       BIT(7)

/* LVT entries. */
#define LAPIC_LVT_VECTOR_MASK    0xff
#define LAPIC_LVT_DELIVERY_SHIFT 8
#define LAPIC_LVT_DELIVERY_MASK  (7u << LAPIC_LVT_DELIVERY_SHIFT)
#define LAPIC_LVT_PENDING        BIT(12)    /* delivery status (read-only) */
#define LAPIC_LVT_POLARITY       BIT(13)
#define LAPIC_LVT_REMOTE_IRR     BIT(14)
#define LAPIC_LVT_LEVEL          BIT(15)
#define LAPIC_LVT_MASKED         BIT(16)
#define LAPIC_LVT_TIMER_MODE_SHIFT 17
#define LAPIC_LVT_TIMER_MODE_MASK  (3u << LAPIC_LVT_TIMER_MODE_SHIFT)
#define LAPIC_TIMER_ONESHOT      0
#define LAPIC_TIMER_PERIODIC     1
#define LAPIC_TIMER_TSC_DEADLINE 2
/* Writable bits per LVT entry (the rest read 0). */
#define LAPIC_LVT_TIMER_WRITABLE  (LAPIC_LVT_VECTOR_MASK | LAPIC_LVT_MASKED | \
				   LAPIC_LVT_TIMER_MODE_MASK)
#define LAPIC_LVT_LOCAL_WRITABLE  (LAPIC_LVT_VECTOR_MASK | LAPIC_LVT_DELIVERY_MASK | \
				   LAPIC_LVT_MASKED)          /* thermal, perf */
#define LAPIC_LVT_LINT_WRITABLE   (LAPIC_LVT_VECTOR_MASK | LAPIC_LVT_DELIVERY_MASK | \
				   LAPIC_LVT_POLARITY | LAPIC_LVT_LEVEL | \
				   LAPIC_LVT_MASKED)
#define LAPIC_LVT_ERROR_WRITABLE  (LAPIC_LVT_VECTOR_MASK | LAPIC_LVT_MASKED)

/* Delivery modes (ICR and LVT bits 10:8). */
#define LAPIC_DM_FIXED           0
#define LAPIC_DM_LOWEST          1
#define LAPIC_DM_SMI             2
#define LAPIC_DM_NMI             4
#define LAPIC_DM_INIT            5
#define LAPIC_DM_STARTUP         6
#define LAPIC_DM_EXTINT          7

/* ICR. */
#define LAPIC_ICR_VECTOR_MASK    0xff
#define LAPIC_ICR_DELIVERY_SHIFT 8
#define LAPIC_ICR_DELIVERY_MASK  0x7
#define LAPIC_ICR_DEST_LOGICAL   BIT(11)
#define LAPIC_ICR_BUSY           BIT(12)    /* delivery status */
#define LAPIC_ICR_LEVEL_ASSERT   BIT(14)
#define LAPIC_ICR_TRIGGER_LEVEL  BIT(15)
#define LAPIC_ICR_SHORTHAND_SHIFT 18
#define LAPIC_ICR_SHORTHAND_MASK 0x3
#define LAPIC_ICR_NO_SHORTHAND   0
#define LAPIC_ICR_SELF           1
#define LAPIC_ICR_ALL_INCL_SELF  2
#define LAPIC_ICR_ALL_EXCL_SELF  3
#define LAPIC_ICR_LO_WRITABLE    0x000ccfffu  /* vector..dest mode, level, trigger, shorthand */
#define LAPIC_ICR_HI_XAPIC_MASK  0xff000000u  /* destination, bits 63:56 */
#define LAPIC_ICR_XAPIC_DEST_SHIFT 24
#define LAPIC_XAPIC_BROADCAST    0xff
#define X2APIC_BROADCAST         0xffffffffu

/* Timer divide configuration: bits 0, 1 and 3 encode 2^(n+1), 7 = 1. */
#define LAPIC_DCR_WRITABLE       0xb
#define LAPIC_DCR_HIGH_BIT       BIT(3)
#define LAPIC_DCR_LOW_BITS       0x3
#define LAPIC_DCR_BY_1           7

/* x2APIC register and MSR extras. */
#define X2APIC_SELF_IPI_VECTOR_MASK 0xff

#endif

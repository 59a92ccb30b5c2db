/*
 * The access-rights format of the VMCS guest segment fields (Intel SDM
 * Vol. 3, "Guest Register State", Table "Format of Access Rights"): the
 * descriptor's bits 23:8 shifted down, plus bit 16 "segment unusable".
 * Plain #defines: usable from host unit tests.
 */
#ifndef HV_VMCS_AR_H
#define HV_VMCS_AR_H

#define AR_TYPE_MASK            0xfu
#define AR_TYPE_ACCESSED        0x1u    /* code/data: accessed */
#define AR_TYPE_RW              0x2u    /* data: writable, code: readable */
#define AR_TYPE_CONFORMING      0x4u    /* code: conforming; data: expand-down */
#define AR_TYPE_CODE            0x8u
#define AR_S                    (1u << 4)   /* code or data, not system */
#define AR_DPL_SHIFT            5
#define AR_DPL_MASK             0x3u
#define AR_P                    (1u << 7)
#define AR_RESERVED_11_8        0x00000f00u
#define AR_AVL                  (1u << 12)
#define AR_L                    (1u << 13)  /* 64-bit code */
#define AR_DB                   (1u << 14)
#define AR_G                    (1u << 15)
#define AR_UNUSABLE             (1u << 16)
#define AR_RESERVED_31_17       0xfffe0000u

/* System-segment types used in TR and LDTR. */
#define AR_TYPE_LDT             0x2u
#define AR_TYPE_TSS16_BUSY      0x3u
#define AR_TYPE_TSS_BUSY        0xbu    /* 32-bit busy TSS; 64-bit in IA-32e mode */

#define AR_DPL(ar)              (((ar) >> AR_DPL_SHIFT) & AR_DPL_MASK)

/* Flat 4 GiB segments, DPL 0, accessed. */
#define AR_CODE32_FLAT  (AR_TYPE_CODE | AR_TYPE_RW | AR_TYPE_ACCESSED | AR_S | \
			 AR_P | AR_DB | AR_G)
#define AR_CODE64       (AR_TYPE_CODE | AR_TYPE_RW | AR_TYPE_ACCESSED | AR_S | \
			 AR_P | AR_L | AR_G)
#define AR_DATA_FLAT    (AR_TYPE_RW | AR_TYPE_ACCESSED | AR_S | AR_P | \
			 AR_DB | AR_G)
#define AR_TSS_BUSY     (AR_TYPE_TSS_BUSY | AR_P)

#endif

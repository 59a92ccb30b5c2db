/*
 * The AP start-up trampoline (arch/x86/ap_boot.S): a position-independent
 * blob the BSP copies to a page below 1 MiB, where a SIPI starts an AP in
 * real mode (CS = vector << 8, IP = 0; Intel SDM Vol. 3, "MP
 * Initialization").  It switches to protected mode, then to long mode on
 * the hypervisor's own page tables, and jumps to a C entry on the stack
 * the BSP chose.  Everything it needs is in the parameter block at the end
 * of the blob, which the BSP fills in the copy before each SIPI.
 *
 * Offsets below are from the start of the parameter block; plain #defines
 * so the assembly can use them (struct ap_boot_params checks them in C).
 */
#ifndef ARCH_X86_AP_BOOT_H
#define ARCH_X86_AP_BOOT_H

#define APB_GDT          0x00   /* 4 descriptors: null, code32, data32, code64 */
#define APB_GDTR         0x22   /* u16 limit, u32 base (pseudo-descriptor) */
#define APB_FAR32        0x28   /* u32 offset, u16 selector: protected-mode entry */
#define APB_FAR64        0x30   /* u32 offset, u16 selector: long-mode entry */
#define APB_CR3          0x38   /* the hypervisor's PML4, below 4 GiB */
#define APB_CR4          0x40   /* loaded once in long mode */
#define APB_EFER         0x48
#define APB_CR0          0x50   /* PG and PE set */
#define APB_STACK        0x58   /* initial RSP, 16-byte aligned */
#define APB_ENTRY        0x60   /* void entry(void *arg), never returns */
#define APB_ARG          0x68
#define APB_LOCK         0x70   /* u32 bit 0: an AP owns the block; the BSP frees it */
#define APB_ENTERED      0x74   /* u32: APs that reached the trampoline */
#define APB_SIZE         0x78

/* Selectors of the trampoline's own GDT. */
#define APB_SEL_CODE32   0x08
#define APB_SEL_DATA32   0x10
#define APB_SEL_CODE64   0x18
#define APB_GDT_ENTRIES  4

#ifndef __ASSEMBLY__
#include <stdint.h>

struct ap_boot_params {
	uint64_t gdt[APB_GDT_ENTRIES];
	uint16_t pad0;
	uint16_t gdtr_limit;
	uint32_t gdtr_base;
	uint32_t far32_offset;
	uint16_t far32_selector;
	uint16_t pad1;
	uint32_t far64_offset;
	uint16_t far64_selector;
	uint16_t pad2;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
	uint64_t cr0;
	uint64_t stack;
	uint64_t entry;
	uint64_t arg;
	uint32_t lock;
	uint32_t entered;
} __attribute__((packed));

/* The blob (arch/x86/ap_boot.S): [ap_boot_start, ap_boot_end) is copied;
 * the parameter block is at ap_boot_params_offset from its start, and the
 * two entry points at ap_boot_pm32_offset / ap_boot_lm64_offset. */
extern const uint8_t ap_boot_start[], ap_boot_end[];
extern const uint32_t ap_boot_params_offset;
extern const uint32_t ap_boot_pm32_offset;
extern const uint32_t ap_boot_lm64_offset;
#endif

#endif

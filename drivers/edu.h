/*
 * QEMU's educational PCI device "edu" (1234:11e8; QEMU docs/specs/edu.rst),
 * used only by the hypervisor's own DMA self-test (debug-iommu-dma): its
 * DMA engine copies up to 4 KiB between a physical address and a buffer
 * inside the device, so a test can aim a device's DMA where it likes.
 * Never a guest-facing path: the guest owns every device once it runs.
 */
#ifndef DRIVERS_EDU_H
#define DRIVERS_EDU_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci.h"

#define EDU_VENDOR_ID           0x1234
#define EDU_DEVICE_ID           0x11e8
#define EDU_REG_IDENT           0x00    /* u32: 0xRRrr00ed */
#define EDU_IDENT_MAGIC_MASK    0xffu
#define EDU_IDENT_MAGIC         0xedu
#define EDU_REG_DMA_SRC         0x80    /* u64 */
#define EDU_REG_DMA_DST         0x88    /* u64 */
#define EDU_REG_DMA_COUNT       0x90    /* u64 */
#define EDU_REG_DMA_CMD         0x98    /* u64 */
#define EDU_DMA_START           (1u << 0)       /* reads 1 while running */
#define EDU_DMA_TO_RAM          (1u << 1)       /* else RAM to device */
#define EDU_DMA_BUFFER          0x40000u        /* the device's buffer */
#define EDU_DMA_BUFFER_SIZE     4096u
/* QEMU 7.2's range check refuses a transfer that ends exactly at the end
 * of the buffer (and stops the emulator): stay below it. */
#define EDU_DMA_MAX             (EDU_DMA_BUFFER_SIZE / 2)
#define EDU_DMA_ADDRESS_LIMIT   (1ull << 28)    /* the device's DMA mask */

struct edu {
	struct pci_bdf bdf;
	uint64_t bar0;              /* MMIO registers (identity-mapped) */
};

/* Find an edu device on bus 0, enable its memory decoding and bus
 * mastering; false when there is none or its BAR is not set up. */
bool edu_find(struct edu *e);

/* Copy count bytes (<= EDU_DMA_MAX) by DMA: from RAM at phys into
 * the device's buffer, or (to_ram) from the buffer to RAM at phys (below
 * EDU_DMA_ADDRESS_LIMIT); wait until the device says done.  False on a
 * timeout. */
bool edu_dma(const struct edu *e, uint64_t phys, uint32_t count, bool to_ram);

#endif

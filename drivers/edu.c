/*
 * QEMU's edu device (see drivers/edu.h): the device finishes a DMA on a
 * 100 ms timer of the emulator's clock, so edu_dma waits in PIT-timed
 * steps.
 */
#include "arch/x86/pit_delay.h"
#include "drivers/edu.h"

#define PCI_COMMAND             0x04    /* u16; status above it */
#define PCI_COMMAND_MEMORY      (1u << 1)
#define PCI_COMMAND_MASTER      (1u << 2)
#define PCI_COMMAND_MASK        0xffffu /* writing 0 to status changes nothing */
#define PCI_BAR0                0x10
#define PCI_BAR_IO              (1u << 0)
#define PCI_BAR_TYPE_64         (2u << 1)
#define PCI_BAR_TYPE_MASK       (3u << 1)
#define PCI_BAR_MEM_MASK        0xfffffff0u
#define PCI_BAR1                0x14
#define WAIT_STEP_US            1000u
#define WAIT_STEPS              3000u   /* 3 s of emulated time */

/* The device's registers: MMIO at BAR0, 32- or 64-bit accesses only. */
static uint32_t rd32(const struct edu *e, uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(e->bar0 + reg);
}

/* See rd32. */
static uint64_t rd64(const struct edu *e, uint32_t reg)
{
	return *(volatile uint64_t *)(uintptr_t)(e->bar0 + reg);
}

/* See rd32. */
static void wr64(const struct edu *e, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(e->bar0 + reg) = v;
}

/* BAR0's memory address (64-bit BARs included); 0 when it is an I/O BAR
 * or unassigned. */
static uint64_t bar0_address(struct pci_bdf f)
{
	uint32_t lo = pci_read32(f, PCI_BAR0);
	uint64_t addr = lo & PCI_BAR_MEM_MASK;

	if (lo & PCI_BAR_IO)
		return 0;
	if ((lo & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64)
		addr |= (uint64_t)pci_read32(f, PCI_BAR1) << 32;
	return addr;
}

/* Find, enable and check the device (see edu.h). */
bool edu_find(struct edu *e)
{
	for (uint8_t dev = 0; dev < PCI_DEVICES; dev++) {
		struct pci_bdf f = { 0, dev, 0 };

		if (pci_read16(f, PCI_VENDOR_ID) != EDU_VENDOR_ID ||
		    pci_read16(f, PCI_DEVICE_ID) != EDU_DEVICE_ID)
			continue;
		e->bdf = f;
		e->bar0 = bar0_address(f);
		if (!e->bar0)
			return false;
		uint32_t cmd = pci_read32(f, PCI_COMMAND) & PCI_COMMAND_MASK;
		pci_write32(f, PCI_COMMAND,
			    cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
		return (rd32(e, EDU_REG_IDENT) & EDU_IDENT_MAGIC_MASK) ==
		       EDU_IDENT_MAGIC;
	}
	return false;
}

/* One DMA between RAM and the device's buffer (see edu.h). */
bool edu_dma(const struct edu *e, uint64_t phys, uint32_t count, bool to_ram)
{
	wr64(e, EDU_REG_DMA_SRC, to_ram ? EDU_DMA_BUFFER : phys);
	wr64(e, EDU_REG_DMA_DST, to_ram ? phys : EDU_DMA_BUFFER);
	wr64(e, EDU_REG_DMA_COUNT, count);
	wr64(e, EDU_REG_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	for (uint32_t i = 0; i < WAIT_STEPS; i++) {
		if (!(rd64(e, EDU_REG_DMA_CMD) & EDU_DMA_START))
			return true;
		pit_delay_us(WAIT_STEP_US);
	}
	return false;
}

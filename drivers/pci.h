/*
 * PCI configuration mechanism #1 (PCI Local Bus spec 3.0, 3.2.2.3.2): the
 * CONFIG_ADDRESS dword at 0xCF8 selects bus, device, function and a dword
 * register; the four bytes at 0xCFC-0xCFF are its data.  The address
 * helpers are pure, so host unit tests and the guest's accesses (decoded
 * by the hypervisor) use the same definitions.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS      0xcf8
#define PCI_CONFIG_DATA         0xcfc
#define PCI_CONFIG_DATA_LEN     4
#define PCI_CONFIG_ENABLE       (1u << 31)
#define PCI_BUS_SHIFT           16
#define PCI_BUS_MASK            0xffu
#define PCI_DEVICE_SHIFT        11
#define PCI_DEVICE_MASK         0x1fu
#define PCI_FUNCTION_SHIFT      8
#define PCI_FUNCTION_MASK       0x7u
#define PCI_REG_DWORD_MASK      0xfcu
#define PCI_DEVICES             32
#define PCI_FUNCTIONS           8
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_VENDOR_NONE         0xffffu

/* A function on a bus, and a register in its configuration space. */
struct pci_bdf {
	uint8_t bus, dev, fn;
};

/* The CONFIG_ADDRESS value that selects the dword holding register reg. */
static inline uint32_t pci_config_address(struct pci_bdf f, uint8_t reg)
{
	return PCI_CONFIG_ENABLE | (uint32_t)f.bus << PCI_BUS_SHIFT |
	       (uint32_t)f.dev << PCI_DEVICE_SHIFT |
	       (uint32_t)f.fn << PCI_FUNCTION_SHIFT | (reg & PCI_REG_DWORD_MASK);
}

/* True when CONFIG_ADDRESS value addr selects function f (enabled). */
static inline bool pci_config_selects(uint32_t addr, struct pci_bdf f)
{
	return (addr & PCI_CONFIG_ENABLE) &&
	       ((addr >> PCI_BUS_SHIFT) & PCI_BUS_MASK) == f.bus &&
	       ((addr >> PCI_DEVICE_SHIFT) & PCI_DEVICE_MASK) == f.dev &&
	       ((addr >> PCI_FUNCTION_SHIFT) & PCI_FUNCTION_MASK) == f.fn;
}

/* Read the dword holding register reg of f (port I/O: before the guest
 * runs, or on the guest's behalf). */
uint32_t pci_read32(struct pci_bdf f, uint8_t reg);

/* The 16 bits at register reg (reg & 3 at most 2). */
uint16_t pci_read16(struct pci_bdf f, uint8_t reg);

/* Write the dword holding register reg of f (port I/O: only before the
 * guest runs, for the hypervisor's own test devices). */
void pci_write32(struct pci_bdf f, uint8_t reg, uint32_t v);

#endif

/*
 * PCI configuration space through mechanism #1 (see drivers/pci.h).
 */
#include "arch/x86/io.h"
#include "lib/bits.h"
#include "drivers/pci.h"


uint32_t pci_read32(struct pci_bdf f, uint8_t reg)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(f, reg));
	return inl(PCI_CONFIG_DATA);
}

uint16_t pci_read16(struct pci_bdf f, uint8_t reg)
{
	return (uint16_t)(pci_read32(f, reg) >> ((reg & 3) * BITS_PER_BYTE));
}

/* Write the dword holding register reg of f (see pci.h). */
void pci_write32(struct pci_bdf f, uint8_t reg, uint32_t v)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(f, reg));
	outl(PCI_CONFIG_DATA, v);
}

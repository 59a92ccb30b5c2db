/*
 * Reading the PIIX4 power-management function (see drivers/piix4_pm.h).
 */
#include "drivers/piix4_pm.h"

/* Identify 00:01.3, then read PMBA and PMREGMISC.PMIOSE. */
bool piix4_pm_base(uint16_t *base)
{
	*base = 0;
	if (pci_read16(PIIX4_PM_BDF, PCI_VENDOR_ID) != PIIX4_VENDOR_INTEL ||
	    pci_read16(PIIX4_PM_BDF, PCI_DEVICE_ID) != PIIX4_PM_DEVICE_ID)
		return false;
	if (pci_read16(PIIX4_PM_BDF, PIIX4_PMREGMISC) & PIIX4_PMREGMISC_PMIOSE)
		*base = pci_read16(PIIX4_PM_BDF, PIIX4_PMBA) & PIIX4_PMBA_MASK;
	return true;
}

/*
 * The Intel 82371AB PIIX4 power-management function (datasheet 290562,
 * "Power Management Configuration Registers", "Power Management I/O
 * Registers"): PCI function 3 of the PIIX4, bus 0 device 1 on i440fx
 * boards (Bochs, QEMU's pc machine).  Its PMBA register holds the base of
 * the ACPI PM1 block; PMREGMISC.PMIOSE turns that I/O space on.
 */
#ifndef DRIVERS_PIIX4_PM_H
#define DRIVERS_PIIX4_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pci.h"

#define PIIX4_PM_BUS            0
#define PIIX4_PM_DEVICE         1
#define PIIX4_PM_FUNCTION       3
#define PIIX4_VENDOR_INTEL      0x8086
#define PIIX4_PM_DEVICE_ID      0x7113
#define PIIX4_PMBA              0x40        /* PM base address, bits 15:6 */
#define PIIX4_PMBA_MASK         0xffc0u
#define PIIX4_PMREGMISC         0x80
#define PIIX4_PMREGMISC_PMIOSE  (1u << 0)   /* PM I/O space enabled */
#define PIIX4_PMSTS             0x00        /* PM1 status + enable: PM1a_EVT */
#define PIIX4_PMCNTRL           0x04        /* PM1a_CNT */
#define PIIX4_PMCNTRL_LEN       2
#define PIIX4_PMTMR             0x08        /* 24-bit PM timer */
#define PIIX4_SCI_IRQ           9
#define PIIX4_SLP_TYP_SOFT_OFF  0           /* SUS_TYP 000b */
#define PIIX4_PM_BDF \
	((struct pci_bdf){ PIIX4_PM_BUS, PIIX4_PM_DEVICE, PIIX4_PM_FUNCTION })

/* The PIIX4 PM function at its usual place; its I/O base in *base when it
 * is there with its I/O space on (0 when the function is there but off).
 * False when 00:01.3 is not a PIIX4 PM function.  Port I/O: before the
 * guest runs. */
bool piix4_pm_base(uint16_t *base);

#endif

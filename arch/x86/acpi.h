/*
 * The ACPI root pointer's layout and the table checksum (ACPI 6.x,
 * 5.2.5.3 "Root System Description Pointer (RSDP) Structure" and 5.2.6
 * "System Description Table Header"), for every layer that finds, checks,
 * walks or builds ACPI tables: the MADT walk, both boot paths and the
 * guest's tables.
 */
#ifndef ARCH_X86_ACPI_H
#define ARCH_X86_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_RSDP_SIGNATURE        "RSD PTR "
#define ACPI_RSDP_SIGNATURE_LEN    8
#define ACPI_RSDP_OEMID_OFFSET     9
#define ACPI_RSDP_OEMID_LEN        6
#define ACPI_RSDP_REVISION_OFFSET  15
#define ACPI_RSDP_RSDT_ADDRESS     16   /* u32 */
#define ACPI_RSDP_XSDT_ADDRESS     24   /* u64, revision >= 2 */
#define ACPI_RSDP_V1_SIZE          20   /* ACPI 1.0: checksum covers this */
#define ACPI_RSDP_V2_SIZE          36   /* ACPI 2.0+ XSDP: extended checksum */
#define ACPI_RSDP_REVISION_2       2    /* first revision with an XSDT */

/* Byte sum of len bytes at data: 0 for a table whose checksum is right. */
static inline uint8_t acpi_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

#endif

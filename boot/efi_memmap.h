/*
 * The UEFI memory map, turned into boot_info ranges.  Used by the GNU-EFI
 * application (from GetMemoryMap) and by the multiboot2 parser (GRUB's EFI
 * memory map tag).  Pure: no GNU-EFI headers, so the layout and the type
 * numbers are restated here from the UEFI specification ("Boot Services:
 * Memory Allocation Services", EFI_MEMORY_DESCRIPTOR and EFI_MEMORY_TYPE).
 */
#ifndef BOOT_EFI_MEMMAP_H
#define BOOT_EFI_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* EFI_MEMORY_TYPE */
#define EFI_MMAP_RESERVED               0
#define EFI_MMAP_LOADER_CODE            1
#define EFI_MMAP_LOADER_DATA            2
#define EFI_MMAP_BOOT_SERVICES_CODE     3
#define EFI_MMAP_BOOT_SERVICES_DATA     4
#define EFI_MMAP_RUNTIME_SERVICES_CODE  5
#define EFI_MMAP_RUNTIME_SERVICES_DATA  6
#define EFI_MMAP_CONVENTIONAL           7
#define EFI_MMAP_UNUSABLE               8
#define EFI_MMAP_ACPI_RECLAIM           9
#define EFI_MMAP_ACPI_NVS               10
#define EFI_MMAP_MMIO                   11
#define EFI_MMAP_MMIO_PORT_SPACE        12
#define EFI_MMAP_PAL_CODE               13
#define EFI_MMAP_PERSISTENT             14

/* EFI_MEMORY_SP: "specific purpose" memory, kept for a dedicated user
 * (Linux calls it soft-reserved); the hypervisor leaves it alone. */
#define EFI_MMAP_ATTR_SP                (1ull << 18)

/* Pages in the map are always 4 KiB, whatever the CPU's page size. */
#define EFI_MMAP_PAGE_SHIFT             12

/*
 * EFI_MEMORY_DESCRIPTOR, version 1.  Firmware may hand out larger
 * descriptors (desc_size): only this prefix is read.
 */
struct efi_mmap_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};
_Static_assert(sizeof(struct efi_mmap_desc) == 40, "EFI_MEMORY_DESCRIPTOR");

#define EFI_MMAP_DESC_MIN_SIZE  sizeof(struct efi_mmap_desc)
#define EFI_MMAP_DESC_ALIGN     8

/* The memory-map type (enum mem_type) for one descriptor. */
uint32_t efi_memmap_type(uint32_t efi_type, uint64_t attribute);

/*
 * Append every descriptor of `map` (map_size bytes, desc_size bytes each)
 * to bi's memory map, then sort and merge it (memmap_normalize).
 * Empty descriptors are skipped.  Returns false, leaving bi's map partly
 * filled, when the layout is malformed (desc_size below 40 or not a
 * multiple of 8, map_size not a multiple of desc_size, a range that
 * reaches 2^64) or when the ranges do not fit into bi even after merging.
 */
bool efi_memmap_to_boot_info(const void *map, uint64_t map_size,
			     uint64_t desc_size, struct boot_info *bi);

#endif

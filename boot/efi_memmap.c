/*
 * UEFI memory map -> boot_info ranges (see efi_memmap.h).
 */
#include "boot/efi_memmap.h"

#include "lib/str.h"

/*
 * Loader memory holds this image and the modules, boot-services memory the
 * firmware's own stacks, page tables and pools: both become RAM only once
 * the core runs on its own page tables, and the core reserves its image
 * and modules explicitly.
 */
static const uint8_t efi_to_boot_type[] = {
	[EFI_MMAP_RESERVED]              = MEM_RESERVED,
	[EFI_MMAP_LOADER_CODE]           = MEM_BOOT_SERVICES,
	[EFI_MMAP_LOADER_DATA]           = MEM_BOOT_SERVICES,
	[EFI_MMAP_BOOT_SERVICES_CODE]    = MEM_BOOT_SERVICES,
	[EFI_MMAP_BOOT_SERVICES_DATA]    = MEM_BOOT_SERVICES,
	[EFI_MMAP_RUNTIME_SERVICES_CODE] = MEM_FW_RUNTIME,
	[EFI_MMAP_RUNTIME_SERVICES_DATA] = MEM_FW_RUNTIME,
	[EFI_MMAP_CONVENTIONAL]          = MEM_USABLE,
	[EFI_MMAP_UNUSABLE]              = MEM_BAD,
	[EFI_MMAP_ACPI_RECLAIM]          = MEM_ACPI_RECLAIM,
	[EFI_MMAP_ACPI_NVS]              = MEM_ACPI_NVS,
	[EFI_MMAP_MMIO]                  = MEM_MMIO,
	[EFI_MMAP_MMIO_PORT_SPACE]       = MEM_MMIO,
	[EFI_MMAP_PAL_CODE]              = MEM_RESERVED,
	[EFI_MMAP_PERSISTENT]            = MEM_PERSISTENT,
};

#define EFI_TO_BOOT_TYPES (sizeof(efi_to_boot_type) / sizeof(efi_to_boot_type[0]))

uint32_t efi_memmap_type(uint32_t efi_type, uint64_t attribute)
{
	/* Types newer than this table (e.g. unaccepted memory) are not RAM
	 * the hypervisor may take without knowing what they mean. */
	if (efi_type >= EFI_TO_BOOT_TYPES)
		return MEM_RESERVED;
	if (efi_type == EFI_MMAP_CONVENTIONAL && (attribute & EFI_MMAP_ATTR_SP))
		return MEM_RESERVED;
	return efi_to_boot_type[efi_type];
}

static bool efi_memmap_layout_ok(uint64_t map_size, uint64_t desc_size)
{
	return desc_size >= EFI_MMAP_DESC_MIN_SIZE &&
	       desc_size % EFI_MMAP_DESC_ALIGN == 0 &&
	       map_size % desc_size == 0;
}

/* Length in bytes of `pages` pages at `base`; false when base + length
 * does not fit in 64 bits (boot_info ranges end below 2^64). */
static bool efi_range_length(uint64_t base, uint64_t pages, uint64_t *length)
{
	if (pages > (UINT64_MAX >> EFI_MMAP_PAGE_SHIFT))
		return false;
	*length = pages << EFI_MMAP_PAGE_SHIFT;
	return *length <= UINT64_MAX - base;
}

/* Add one range; when the map is full, merge what is there and retry, so
 * that firmware with many small descriptors still fits. */
static bool efi_add_range(struct boot_info *bi, uint64_t base,
			  uint64_t length, uint32_t type)
{
	if (memmap_add(&bi->mmap, base, length, type))
		return true;
	if (bi->mmap.count < MEMMAP_MAX)
		return false;
	memmap_normalize(&bi->mmap);
	return memmap_add(&bi->mmap, base, length, type);
}

bool efi_memmap_to_boot_info(const void *map, uint64_t map_size,
			     uint64_t desc_size, struct boot_info *bi)
{
	const uint8_t *p = map;

	if (!efi_memmap_layout_ok(map_size, desc_size))
		return false;
	for (uint64_t off = 0; off < map_size; off += desc_size) {
		struct efi_mmap_desc d;
		uint64_t length;

		/* The descriptors need not be aligned for a direct read
		 * (GRUB's tag, firmware buffers): copy each one out. */
		memcpy(&d, p + off, sizeof(d));
		if (d.number_of_pages == 0)
			continue;
		if (!efi_range_length(d.physical_start, d.number_of_pages,
				      &length))
			return false;
		if (!efi_add_range(bi, d.physical_start, length,
				   efi_memmap_type(d.type, d.attribute)))
			return false;
	}
	/* Overlapping descriptors can cut into more ranges than fit. */
	return memmap_normalize(&bi->mmap);
}

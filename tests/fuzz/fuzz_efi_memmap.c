/*
 * Fuzz efi_memmap_to_boot_info (boot/efi_memmap.c): the UEFI memory map
 * from GetMemoryMap or GRUB's tag 17.  Input: u8 layout selector, then the
 * descriptors.  The selector's bit 7 takes bits 6:0 as a raw descriptor
 * size (mostly malformed), else the size is 40 + 8 * (bits 1:0).
 */
#include "boot/efi_memmap.h"
#include "tests/fuzz/fuzz.h"

#define SELECT_RAW        0x80u
#define SELECT_RAW_MASK   0x7fu
#define SELECT_GROW_MASK  0x3u

static bool covered(const struct boot_info *bi, uint64_t addr)
{
	for (uint32_t i = 0; i < bi->mmap.count; i++)
		if (addr >= bi->mmap.ranges[i].base &&
		    addr - bi->mmap.ranges[i].base < bi->mmap.ranges[i].length)
			return true;
	return false;
}

/* Every non-empty descriptor's first and last byte are in the map. */
static void check_covered(const struct boot_info *bi, const uint8_t *map,
			  uint64_t map_size, uint64_t desc_size)
{
	for (uint64_t off = 0; off < map_size; off += desc_size) {
		struct efi_mmap_desc d;
		uint64_t last;

		memcpy(&d, map + off, sizeof(d));
		if (!d.number_of_pages)
			continue;
		last = d.physical_start +
		       (d.number_of_pages << EFI_MMAP_PAGE_SHIFT) - 1;
		FUZZ_CHECK(covered(bi, d.physical_start) && covered(bi, last),
			   "descriptor at %llu [%#llx, %#llx] lost from the map",
			   (unsigned long long)off,
			   (unsigned long long)d.physical_start,
			   (unsigned long long)last);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	uint64_t desc_size;

	if (!size)
		return 0;
	desc_size = data[0] & SELECT_RAW ? data[0] & SELECT_RAW_MASK :
		    EFI_MMAP_DESC_MIN_SIZE + 8 * (data[0] & SELECT_GROW_MASK);
	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	if (!efi_memmap_to_boot_info(data + 1, size - 1, desc_size, &bi))
		return 0;
	fuzz_check_normalized_mmap(&bi);
	check_covered(&bi, data + 1, size - 1, desc_size);
	return 0;
}

/*
 * Fuzz bzimage_parse and bzimage_footprint (guest/linux/bzimage.c) and the
 * zero page built from an accepted image (guest/linux/boot_params.c).  The
 * input is the bzImage file; the unused boot-sector bytes 0x10..0x2f
 * double as the frame buffer the zero page describes.
 */
#include "guest/linux/linux.h"
#include "tests/fuzz/fuzz.h"

#define FB_BYTES_OFFSET 0x10
#define KERNEL_ADDR     0x1000000ull
#define CMDLINE_ADDR    0x20000ull

static const struct mem_range guest_map[] = {
	{ 0, 0x9f000, MEM_USABLE },
	{ 0x9f000, 0x61000, MEM_RESERVED },
	{ 0x100000, 0x7ff00000, MEM_USABLE },
};

/* The footprint from `load` must not wrap: the loader adds it to load. */
static void check_footprint(const struct bzimage *bz, uint64_t load)
{
	uint64_t fp = bzimage_footprint(bz, load);

	FUZZ_CHECK(fp >= bz->pm_size, "footprint %#llx below pm_size %#llx",
		   (unsigned long long)fp, (unsigned long long)bz->pm_size);
	FUZZ_CHECK(load + fp >= load, "footprint %#llx at %#llx wraps",
		   (unsigned long long)fp, (unsigned long long)load);
}

static void check_accepted(const struct bzimage *bz, uint64_t size)
{
	FUZZ_CHECK(bz->version >= BZ_PROTOCOL_MIN, "version %#x", bz->version);
	FUZZ_CHECK(bz->loadflags & BZ_LOADED_HIGH, "not LOADED_HIGH");
	FUZZ_CHECK(bz->setup_size < size && bz->pm_offset == bz->setup_size &&
		   bz->pm_size && bz->pm_offset + bz->pm_size == size,
		   "parts [0, %#x) [%#llx, +%#llx) do not split the %llu-byte "
		   "file", bz->setup_size, (unsigned long long)bz->pm_offset,
		   (unsigned long long)bz->pm_size, (unsigned long long)size);
	FUZZ_CHECK(bz->header_end > BZ_SETUP_HEADER_OFFSET &&
		   bz->header_end <= size &&
		   bz->header_end <= BZ_SETUP_HEADER_OFFSET +
				     sizeof(struct setup_header),
		   "header_end %#x", bz->header_end);
	FUZZ_CHECK(!bz->relocatable ||
		   (bz->kernel_alignment &&
		    !(bz->kernel_alignment & (bz->kernel_alignment - 1))),
		   "kernel_alignment %#x", bz->kernel_alignment);
	FUZZ_CHECK(bz->pref_address, "no pref_address");
	check_footprint(bz, 0);
	check_footprint(bz, bz->pref_address);
	check_footprint(bz, KERNEL_ADDR);
}

static struct boot_framebuffer fb_from(const uint8_t *file)
{
	struct boot_framebuffer fb;

	memcpy(&fb, file + FB_BYTES_OFFSET, sizeof(fb));
	return fb;
}

static void check_zero_page(const uint8_t *file, const struct bzimage *bz)
{
	static struct boot_params bp;
	struct boot_framebuffer fb = fb_from(file);
	struct boot_params_in in = {
		.image = file, .bz = bz, .kernel_addr = KERNEL_ADDR,
		.cmdline_addr = CMDLINE_ADDR, .mmap = guest_map,
		.mmap_count = sizeof(guest_map) / sizeof(guest_map[0]),
		.fb = &fb, .uefi = file[FB_BYTES_OFFSET] & 1,
	};
	char err[160];

	FUZZ_CHECK(boot_params_build(&in, &bp, err, sizeof(err)),
		   "zero page refused: %s", err);
	FUZZ_CHECK(bp.e820_entries == in.mmap_count, "e820_entries %u",
		   bp.e820_entries);
	FUZZ_CHECK(bp.hdr.code32_start == KERNEL_ADDR &&
		   bp.hdr.cmd_line_ptr == CMDLINE_ADDR &&
		   bp.hdr.type_of_loader == BZ_LOADER_TYPE_UNDEFINED,
		   "loader fields");
	FUZZ_CHECK(bp.hdr.version == bz->version, "header not copied");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage bz;
	char err[160];

	memset(err, 'x', sizeof(err));
	if (!bzimage_parse(data, size, &bz, err, sizeof(err))) {
		FUZZ_CHECK(fuzz_has_nul(err, sizeof(err)) && err[0],
			   "refusal without a reason");
		return 0;
	}
	check_accepted(&bz, size);
	check_zero_page(data, &bz);
	return 0;
}

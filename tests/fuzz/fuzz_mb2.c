/*
 * Fuzz multiboot2_parse (boot/mb2/multiboot2.c): the boot information block
 * GRUB hands over.  The input is the block; a total_size larger than the
 * input is cut to it, since the parser trusts the loader's block to be
 * total_size bytes long.
 */
#include "arch/x86/acpi.h"
#include "boot/mb2/multiboot2.h"
#include "tests/fuzz/fuzz.h"

#define INFO_PHYS   0x10000ull
#define IMAGE_BASE  0x200000ull
#define IMAGE_END   0x400000ull
#define MB2_MODULE_LIMIT 0x100000000ull   /* mod_start/mod_end are 32-bit */

static bool overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/* Modules lie below 4 GiB, outside the image and apart from each other. */
static void check_module_places(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		uint64_t end = m->base + m->size;

		FUZZ_CHECK(end <= MB2_MODULE_LIMIT, "module %u ends at %#llx",
			   i, (unsigned long long)end);
		FUZZ_CHECK(!overlap(m->base, end, IMAGE_BASE, IMAGE_END),
			   "module %u overlaps the image", i);
		for (uint32_t j = 0; j < i; j++) {
			const struct boot_module *o = &bi->modules[j];

			FUZZ_CHECK(!overlap(m->base, end, o->base,
					    o->base + o->size),
				   "modules %u and %u overlap", j, i);
		}
	}
}

static void check_rsdp(const struct boot_info *bi)
{
	if (!bi->has_rsdp)
		return;
	FUZZ_CHECK(!memcmp(bi->rsdp_data, ACPI_RSDP_SIGNATURE,
			   ACPI_RSDP_SIGNATURE_LEN), "RSDP signature");
	FUZZ_CHECK(acpi_checksum(bi->rsdp_data, ACPI_RSDP_V1_SIZE) == 0,
		   "RSDP copy with a bad checksum");
	FUZZ_CHECK(bi->rsdp == 0, "rsdp address set by the parser");
}

static void check_accepted(const struct boot_info *bi, const char *err)
{
	FUZZ_CHECK(err[0] == '\0', "success with error '%s'", err);
	FUZZ_CHECK(bi->path == BOOT_PATH_MULTIBOOT2, "path %u", bi->path);
	FUZZ_CHECK(bi->firmware == BOOT_FW_BIOS || bi->firmware == BOOT_FW_UEFI,
		   "firmware %u", bi->firmware);
	FUZZ_CHECK(fuzz_has_nul(bi->cmdline, sizeof(bi->cmdline)) &&
		   fuzz_has_nul(bi->loader, sizeof(bi->loader)),
		   "command line or loader name not terminated");
	FUZZ_CHECK(bi->image_base == IMAGE_BASE &&
		   bi->image_size == IMAGE_END - IMAGE_BASE, "image extent");
	fuzz_check_normalized_mmap(bi);
	fuzz_check_modules(bi);
	check_module_places(bi);
	check_rsdp(bi);
	FUZZ_CHECK(!bi->has_framebuffer || bi->fb.type != BOOT_FB_NONE,
		   "framebuffer without a type");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	char err[160];
	uint32_t total;
	uint8_t *info;

	if (size < sizeof(total) || size > MB2_INFO_MAX_SIZE)
		return 0;
	info = fuzz_dup(data, size);
	memcpy(&total, info, sizeof(total));
	if (total > size) {
		total = (uint32_t)size;
		memcpy(info, &total, sizeof(total));
	}
	memset(err, 'x', sizeof(err));
	if (multiboot2_parse(info, INFO_PHYS, IMAGE_BASE, IMAGE_END, &bi, err,
			     sizeof(err)))
		check_accepted(&bi, err);
	else
		FUZZ_CHECK(fuzz_has_nul(err, sizeof(err)) && err[0],
			   "refusal without a reason");
	free(info);
	return 0;
}

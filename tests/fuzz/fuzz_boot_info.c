/*
 * Fuzz the boot_info builders (boot/boot_info.c) both boot paths feed:
 * memmap_add with memmap_normalize, and
 * boot_info_add_module.  Input: u8 range count (mod 300), per range u64
 * base, u64 length, u8 type; then module command lines separated by '\n'.
 */
#include "tests/fuzz/fuzz.h"

#define RANGES_TRIED 300

static struct mem_range added[RANGES_TRIED];

static uint32_t take_ranges(struct fuzz_in *in, struct boot_info *bi)
{
	uint32_t n = (uint32_t)(fuzz_take(in, 2) % RANGES_TRIED), kept = 0;

	for (uint32_t i = 0; i < n; i++) {
		struct mem_range r;

		r.base = fuzz_take(in, 8);
		r.length = fuzz_take(in, 8);
		r.type = (uint32_t)fuzz_take(in, 1);
		if (memmap_add(&bi->mmap, r.base, r.length, r.type))
			added[kept++] = bi->mmap.ranges[bi->mmap.count - 1];
	}
	return kept;
}

/* The output type at addr is one of the input types covering it; covered
 * exactly where the input was (when the result fitted). */
static void check_point(const struct boot_info *bi, uint32_t n, uint64_t addr,
			bool fitted)
{
	uint32_t out_type = 0;
	bool in_covered = false, type_seen = false;

	for (uint32_t i = 0; i < bi->mmap.count; i++)
		if (addr >= bi->mmap.ranges[i].base &&
		    addr - bi->mmap.ranges[i].base < bi->mmap.ranges[i].length)
			out_type = bi->mmap.ranges[i].type;
	for (uint32_t i = 0; i < n; i++) {
		if (addr < added[i].base ||
		    addr - added[i].base >= added[i].length)
			continue;
		in_covered = true;
		type_seen |= added[i].type == out_type;
	}
	FUZZ_CHECK(!out_type || type_seen, "address %#llx became type %u",
		   (unsigned long long)addr, out_type);
	FUZZ_CHECK(!fitted || !!out_type == in_covered,
		   "address %#llx coverage changed",
		   (unsigned long long)addr);
}

static void check_map(struct fuzz_in *in, struct boot_info *bi)
{
	uint32_t n = take_ranges(in, bi);
	bool fitted = memmap_normalize(&bi->mmap);

	fuzz_check_normalized_mmap(bi);
	for (uint32_t i = 0; i < n; i++) {
		check_point(bi, n, added[i].base, fitted);
		check_point(bi, n, added[i].base + added[i].length - 1, fitted);
		if (added[i].base)
			check_point(bi, n, added[i].base - 1, fitted);
	}
}

static void check_modules(struct fuzz_in *in, struct boot_info *bi)
{
	char *text = fuzz_take_string(in, 8 * BOOT_CMDLINE_MAX), *save, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		uint32_t before = bi->module_count;

		if (!boot_info_add_module(bi, 0x100000, 0x1000, line))
			continue;
		FUZZ_CHECK(bi->module_count == before + 1, "module count");
		FUZZ_CHECK(strstr(line, bi->modules[before].name),
			   "name '%s' not from the line",
			   bi->modules[before].name);
		FUZZ_CHECK(boot_info_find_module(bi, bi->modules[before].name),
			   "module '%s' not found", bi->modules[before].name);
	}
	fuzz_check_modules(bi);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	struct fuzz_in in = { data, size };

	boot_info_init(&bi, BOOT_FW_BIOS, BOOT_PATH_MULTIBOOT2);
	check_map(&in, &bi);
	check_modules(&in, &bi);
	return 0;
}

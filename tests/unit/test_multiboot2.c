/*
 * multiboot2_parse (boot/mb2/multiboot2.c) on synthetic boot information
 * blocks assembled with the small builders below.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/acpi.h"
#include "boot/boot_info.h"
#include "boot/efi_memmap.h"
#include "boot/mb2/multiboot2.h"
#include "tests/unit/test.h"

#define INFO_PHYS   0x10000ull
#define IMAGE_BASE  0x800000ull
#define IMAGE_END   0x900000ull
#define BUILDER_MAX (64 * 1024)
#define ERR_MAX     200

/* ---- builders ------------------------------------------------------------ */

struct builder {
	_Alignas(8) uint8_t buf[BUILDER_MAX];
	uint32_t len;
};

static struct builder b;
static struct boot_info bi;
static char err[ERR_MAX];

static void put32(uint32_t off, uint32_t v)
{
	memcpy(b.buf + off, &v, sizeof(v));
}

static void set_total_size(uint32_t total)
{
	put32(0, total);
}

static void begin(void)
{
	memset(&b, 0, sizeof(b));
	b.len = MB2_INFO_HEADER_SIZE;
}

/* Start a tag of `size` bytes (header included) on an 8-byte boundary;
 * returns its offset.  The payload is zeroed. */
static uint32_t tag(uint32_t type, uint32_t size)
{
	uint32_t off = (b.len + 7) & ~7u;

	put32(off, type);
	put32(off + 4, size);
	b.len = off + size;
	return off;
}

/* The end tag, then total_size covering everything. */
static void finish(void)
{
	tag(MB2_TAG_END, MB2_TAG_HEADER_SIZE);
	set_total_size(b.len);
}

static uint32_t string_tag(uint32_t type, const char *s)
{
	uint32_t n = (uint32_t)strlen(s) + 1;
	uint32_t off = tag(type, MB2_TAG_HEADER_SIZE + n);

	memcpy(b.buf + off + MB2_TAG_HEADER_SIZE, s, n);
	return off;
}

static uint32_t module(uint32_t start, uint32_t end, const char *s)
{
	uint32_t n = (uint32_t)strlen(s) + 1;
	uint32_t off = tag(MB2_TAG_MODULE, MB2_MODULE_TAG_MIN + n);

	put32(off + 8, start);
	put32(off + 12, end);
	memcpy(b.buf + off + MB2_MODULE_TAG_MIN, s, n);
	return off;
}

static uint32_t mmap_tag(uint32_t entry_size,
			 const struct mb2_mmap_entry *e, uint32_t n)
{
	uint32_t off = tag(MB2_TAG_MMAP, MB2_MMAP_TAG_MIN + n * entry_size);

	put32(off + 8, entry_size);
	for (uint32_t i = 0; i < n; i++)
		memcpy(b.buf + off + MB2_MMAP_TAG_MIN + i * entry_size, &e[i],
		       sizeof(e[i]));
	return off;
}

/* The smallest valid map: 640 KiB and 127 MiB of RAM. */
static const struct mb2_mmap_entry small_map[] = {
	{ 0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
	{ 0x100000, 0x7f00000, MB2_MEMORY_AVAILABLE, 0 },
};

static uint32_t small_mmap(void)
{
	return mmap_tag(sizeof(struct mb2_mmap_entry), small_map, 2);
}

static void rsdp_bytes(uint8_t *r, uint8_t revision, uint32_t len)
{
	uint8_t sum = 0;

	memset(r, 0, len);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "TESTID", 6);
	r[15] = revision;
	for (int i = 0; i < 20; i++)
		sum += r[i];
	r[8] = (uint8_t)-sum;               /* checksum of the first 20 bytes */
	if (len > 20) {
		memcpy(r + 20, &len, sizeof(len));
		sum = 0;
		for (uint32_t i = 0; i < len; i++)
			sum += r[i];
		r[32] = (uint8_t)-sum;      /* extended checksum */
	}
}

static uint32_t rsdp_tag(uint32_t type, uint8_t revision, uint32_t len)
{
	uint32_t off = tag(type, MB2_TAG_HEADER_SIZE + len);

	rsdp_bytes(b.buf + off + MB2_TAG_HEADER_SIZE, revision, len);
	return off;
}

static uint32_t efi64_tag(uint64_t system_table)
{
	uint32_t off = tag(MB2_TAG_EFI64, MB2_EFI64_TAG_SIZE);

	memcpy(b.buf + off + 8, &system_table, sizeof(system_table));
	return off;
}

static uint32_t framebuffer_tag(uint8_t fb_type, uint32_t size)
{
	struct mb2_tag_framebuffer fb = {
		.type = MB2_TAG_FRAMEBUFFER, .size = size,
		.addr = 0x80000000, .pitch = 4096, .width = 1024,
		.height = 768, .bpp = 32, .fb_type = fb_type,
		.red_pos = 16, .red_size = 8, .green_pos = 8,
		.green_size = 8, .blue_pos = 0, .blue_size = 8,
	};
	uint32_t off = tag(MB2_TAG_FRAMEBUFFER, size);

	memcpy(b.buf + off, &fb, size < sizeof(fb) ? size : sizeof(fb));
	return off;
}

static uint32_t efi_mmap_tag(uint32_t desc_size, const struct efi_mmap_desc *d,
			     uint32_t n)
{
	uint32_t off = tag(MB2_TAG_EFI_MMAP, MB2_EFI_MMAP_TAG_MIN + n * desc_size);

	put32(off + 8, desc_size);
	put32(off + 12, 1);
	for (uint32_t i = 0; i < n; i++)
		memcpy(b.buf + off + MB2_EFI_MMAP_TAG_MIN + i * desc_size, &d[i],
		       sizeof(d[i]));
	return off;
}

static bool parse_at(uint64_t phys)
{
	memset(&bi, 0xa5, sizeof(bi));
	return multiboot2_parse(b.buf, phys, IMAGE_BASE, IMAGE_END, &bi, err,
				sizeof(err));
}

static bool parse(void)
{
	return parse_at(INFO_PHYS);
}

/* The parse fails and the message contains `want`. */
#define CHECK_REJECT(want)                                                \
	do {                                                              \
		CHECK(!parse());                                          \
		if (!strstr(err, (want))) {                               \
			test_fail(__FILE__, __LINE__, "message \"%s\" "  \
				  "lacks \"%s\"", err, (want));           \
			return;                                           \
		}                                                         \
	} while (0)

/* ---- framing ------------------------------------------------------------- */

TEST(mb2_minimal_block_accepted)
{
	begin();
	small_mmap();
	finish();
	CHECK(parse());
	CHECK_STR(err, "");
	CHECK_EQ(bi.firmware, BOOT_FW_BIOS);
	CHECK_EQ(bi.path, BOOT_PATH_MULTIBOOT2);
	CHECK_EQ(bi.mmap.count, 2);
	CHECK_EQ(bi.module_count, 0);
	CHECK_STR(bi.cmdline, "");
	CHECK(!bi.has_rsdp);
	CHECK(!bi.has_framebuffer);
	CHECK_EQ(bi.image_base, IMAGE_BASE);
	CHECK_EQ(bi.image_size, IMAGE_END - IMAGE_BASE);
}

TEST(mb2_reject_total_size_too_small)
{
	begin();
	finish();
	set_total_size(8);
	CHECK_REJECT("total_size 8 is too small");
}

TEST(mb2_reject_total_size_too_large)
{
	begin();
	small_mmap();
	finish();
	set_total_size(MB2_INFO_MAX_SIZE + 8);
	CHECK_REJECT("is larger than");
}

TEST(mb2_reject_total_size_not_covering_end_tag)
{
	begin();
	small_mmap();
	finish();
	set_total_size(b.len - MB2_TAG_HEADER_SIZE);
	CHECK_REJECT("no end tag");
}

TEST(mb2_reject_total_size_cutting_a_tag)
{
	begin();
	small_mmap();
	finish();
	set_total_size(b.len - MB2_TAG_HEADER_SIZE - 8);
	CHECK_REJECT("runs past total_size");
}

TEST(mb2_reject_missing_end_tag)
{
	begin();
	small_mmap();
	set_total_size(b.len);
	CHECK_REJECT("no end tag");
}

TEST(mb2_reject_tag_size_below_header)
{
	begin();
	small_mmap();
	tag(MB2_TAG_BOOTDEV, 4);
	b.len += 4;
	finish();
	CHECK_REJECT("size 4 is smaller than the 8-byte tag header");
}

TEST(mb2_reject_misaligned_info)
{
	begin();
	small_mmap();
	finish();
	CHECK(!parse_at(INFO_PHYS + 4));
	CHECK(strstr(err, "not 8-byte aligned"));
}

TEST(mb2_unknown_tags_skipped)
{
	begin();
	tag(99, 13);
	tag(MB2_TAG_LOAD_BASE_ADDR, 12);
	small_mmap();
	finish();
	CHECK(parse());
	CHECK_EQ(bi.mmap.count, 2);
}

TEST(mb2_reject_no_memory_map)
{
	begin();
	string_tag(MB2_TAG_CMDLINE, "");
	finish();
	CHECK_REJECT("no memory map");
}

/* ---- strings ------------------------------------------------------------- */

TEST(mb2_reject_cmdline_without_nul)
{
	begin();
	uint32_t off = string_tag(MB2_TAG_CMDLINE, "abc");

	put32(off + 4, MB2_TAG_HEADER_SIZE + 3);     /* drop the NUL */
	small_mmap();
	finish();
	CHECK_REJECT("tag 1 (command line) at offset 0x8: string is not "
		     "NUL-terminated");
}

TEST(mb2_reject_empty_cmdline_tag)
{
	begin();
	tag(MB2_TAG_CMDLINE, MB2_TAG_HEADER_SIZE);
	small_mmap();
	finish();
	CHECK_REJECT("not NUL-terminated");
}

TEST(mb2_reject_loader_name_without_nul)
{
	begin();
	uint32_t off = string_tag(MB2_TAG_BOOT_LOADER_NAME, "GRUB");

	put32(off + 4, MB2_TAG_HEADER_SIZE + 4);
	small_mmap();
	finish();
	CHECK_REJECT("boot loader name");
}

TEST(mb2_reject_cmdline_too_long)
{
	char longline[BOOT_CMDLINE_MAX + 1];

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	begin();
	string_tag(MB2_TAG_CMDLINE, longline);
	small_mmap();
	finish();
	CHECK_REJECT("command line is 512 bytes");
}

TEST(mb2_long_loader_name_cut)
{
	char name[BOOT_LOADER_MAX + 10];

	memset(name, 'g', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	begin();
	string_tag(MB2_TAG_BOOT_LOADER_NAME, name);
	small_mmap();
	finish();
	CHECK(parse());
	CHECK_EQ(strlen(bi.loader), BOOT_LOADER_MAX - 1);
}

/* ---- modules ------------------------------------------------------------- */

TEST(mb2_module_name_and_arguments)
{
	begin();
	module(0x1000000, 0x1001234, "guest a=b c");
	module(0x1002000, 0x1002000, "empty");
	small_mmap();
	finish();
	CHECK(parse());
	CHECK_EQ(bi.module_count, 2);
	CHECK_STR(bi.modules[0].name, "guest");
	CHECK_STR(bi.modules[0].cmdline, "a=b c");
	CHECK_EQ(bi.modules[0].base, 0x1000000);
	CHECK_EQ(bi.modules[0].size, 0x1234);
	CHECK_STR(bi.modules[1].name, "empty");
	CHECK_EQ(bi.modules[1].size, 0);
}

TEST(mb2_reject_module_fixed_part_short)
{
	begin();
	tag(MB2_TAG_MODULE, 12);
	small_mmap();
	finish();
	CHECK_REJECT("tag 3 (module) at offset 0x8: size 12 is smaller than "
		     "its 16-byte fixed part");
}

TEST(mb2_reject_module_string_without_nul)
{
	begin();
	uint32_t off = module(0x1000000, 0x1001000, "guest");

	put32(off + 4, MB2_MODULE_TAG_MIN + 5);
	small_mmap();
	finish();
	CHECK_REJECT("tag 3 (module)");
}

TEST(mb2_reject_module_end_below_start)
{
	begin();
	module(0x1001000, 0x1000000, "guest");
	small_mmap();
	finish();
	CHECK_REJECT("mod_end 0x1000000 is below mod_start 0x1001000");
}

TEST(mb2_reject_modules_overlapping)
{
	begin();
	module(0x1000000, 0x1002000, "guest");
	module(0x1001fff, 0x1003000, "initrd");
	small_mmap();
	finish();
	CHECK_REJECT("overlaps module 0 ('guest')");
}

TEST(mb2_reject_module_over_image)
{
	begin();
	module(IMAGE_END - 1, IMAGE_END + 0x1000, "guest");
	small_mmap();
	finish();
	CHECK_REJECT("overlaps the hypervisor image");
}

TEST(mb2_modules_touching_image_accepted)
{
	begin();
	module(IMAGE_BASE - 0x1000, IMAGE_BASE, "below");
	module(IMAGE_END, IMAGE_END + 0x1000, "above");
	small_mmap();
	finish();
	CHECK(parse());
	CHECK_EQ(bi.module_count, 2);
}

TEST(mb2_reject_too_many_modules)
{
	begin();
	for (uint32_t i = 0; i <= BOOT_MODULES_MAX; i++)
		module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 0x10,
		       "m");
	small_mmap();
	finish();
	CHECK_REJECT("more than 16 modules");
}

TEST(mb2_reject_module_name_too_long)
{
	begin();
	module(0x1000000, 0x1001000,
	       "a_module_role_name_much_longer_than_thirty_one args");
	small_mmap();
	finish();
	CHECK_REJECT("does not fit");
}

/* ---- memory map ---------------------------------------------------------- */

TEST(mb2_mmap_types_mapped)
{
	const struct mb2_mmap_entry e[] = {
		{ 0x000000, 0x1000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x1000, MB2_MEMORY_RESERVED, 0 },
		{ 0x200000, 0x1000, MB2_MEMORY_ACPI_RECLAIMABLE, 0 },
		{ 0x300000, 0x1000, MB2_MEMORY_NVS, 0 },
		{ 0x400000, 0x1000, MB2_MEMORY_BADRAM, 0 },
		{ 0x500000, 0x1000, 77, 0 },
		{ 0x600000, 0, MB2_MEMORY_AVAILABLE, 0 },      /* empty: dropped */
	};

	begin();
	mmap_tag(sizeof(e[0]), e, 7);
	finish();
	CHECK(parse());
	CHECK_EQ(bi.mmap.count, 6);
	CHECK_EQ(bi.mmap.ranges[0].type, MEM_USABLE);
	CHECK_EQ(bi.mmap.ranges[1].type, MEM_RESERVED);
	CHECK_EQ(bi.mmap.ranges[2].type, MEM_ACPI_RECLAIM);
	CHECK_EQ(bi.mmap.ranges[3].type, MEM_ACPI_NVS);
	CHECK_EQ(bi.mmap.ranges[4].type, MEM_BAD);
	CHECK_EQ(bi.mmap.ranges[5].type, MEM_RESERVED);
	CHECK_EQ(bi.mmap.ranges[5].base, 0x500000);
}

TEST(mb2_mmap_larger_entries_accepted)
{
	begin();
	mmap_tag(32, small_map, 2);
	finish();
	CHECK(parse());
	CHECK_EQ(bi.mmap.count, 2);
	CHECK_EQ(bi.mmap.ranges[1].base, 0x100000);
	CHECK_EQ(bi.mmap.ranges[1].length, 0x7f00000);
}

TEST(mb2_mmap_sorted_and_merged)
{
	const struct mb2_mmap_entry e[] = {
		{ 0x200000, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x100000, MB2_MEMORY_AVAILABLE, 0 },
	};

	begin();
	mmap_tag(sizeof(e[0]), e, 2);
	finish();
	CHECK(parse());
	CHECK_EQ(bi.mmap.count, 1);
	CHECK_EQ(bi.mmap.ranges[0].base, 0x100000);
	CHECK_EQ(bi.mmap.ranges[0].length, 0x200000);
}

TEST(mb2_reject_mmap_fixed_part_short)
{
	begin();
	tag(MB2_TAG_MMAP, 12);
	finish();
	CHECK_REJECT("tag 6 (memory map) at offset 0x8: size 12");
}

TEST(mb2_reject_mmap_entry_size_small)
{
	begin();
	mmap_tag(16, small_map, 2);
	finish();
	CHECK_REJECT("entry_size 16 is not a multiple of 8 of at least 24");
}

TEST(mb2_reject_mmap_entry_size_unaligned)
{
	begin();
	mmap_tag(28, small_map, 2);
	finish();
	CHECK_REJECT("entry_size 28");
}

TEST(mb2_reject_mmap_entries_past_tag)
{
	begin();
	uint32_t off = small_mmap();

	put32(off + 4, MB2_MMAP_TAG_MIN + 24 + 16);     /* 1.67 entries */
	b.len = off + MB2_MMAP_TAG_MIN + 24 + 16;
	finish();
	CHECK_REJECT("the last entry runs past the tag");
}

TEST(mb2_reject_mmap_entry_wrapping)
{
	const struct mb2_mmap_entry e[] = {
		{ 0xfffffffffffff000ull, 0x2000, MB2_MEMORY_AVAILABLE, 0 },
	};

	begin();
	mmap_tag(sizeof(e[0]), e, 1);
	finish();
	CHECK_REJECT("wraps past 2^64");
}

/* ---- other tags ---------------------------------------------------------- */

TEST(mb2_reject_rsdp_fixed_part_short)
{
	begin();
	small_mmap();
	tag(MB2_TAG_ACPI_OLD, MB2_TAG_HEADER_SIZE + 12);
	finish();
	CHECK_REJECT("tag 14 (ACPI RSDP)");
}

TEST(mb2_reject_new_rsdp_fixed_part_short)
{
	begin();
	small_mmap();
	uint32_t off = rsdp_tag(MB2_TAG_ACPI_NEW, 2, ACPI_RSDP_V2_SIZE);

	put32(off + 4, MB2_TAG_HEADER_SIZE + ACPI_RSDP_V1_SIZE);
	b.len = off + MB2_TAG_HEADER_SIZE + ACPI_RSDP_V1_SIZE;
	finish();
	CHECK_REJECT("tag 15 (ACPI RSDP)");
}

TEST(mb2_reject_rsdp_bad_checksum)
{
	begin();
	small_mmap();
	uint32_t off = rsdp_tag(MB2_TAG_ACPI_OLD, 0, ACPI_RSDP_V1_SIZE);

	b.buf[off + MB2_TAG_HEADER_SIZE + 8]++;
	finish();
	CHECK_REJECT("bad checksum");
}

TEST(mb2_reject_rsdp_bad_signature)
{
	begin();
	small_mmap();
	uint32_t off = rsdp_tag(MB2_TAG_ACPI_OLD, 0, ACPI_RSDP_V1_SIZE);

	b.buf[off + MB2_TAG_HEADER_SIZE] = 'X';
	finish();
	CHECK_REJECT("signature");
}

TEST(mb2_reject_framebuffer_fixed_part_short)
{
	begin();
	small_mmap();
	framebuffer_tag(MB2_FRAMEBUFFER_TYPE_EGA_TEXT, 24);
	finish();
	CHECK_REJECT("tag 8 (framebuffer)");
}

TEST(mb2_reject_rgb_framebuffer_short)
{
	begin();
	small_mmap();
	framebuffer_tag(MB2_FRAMEBUFFER_TYPE_RGB, MB2_FRAMEBUFFER_TAG_MIN + 2);
	finish();
	CHECK_REJECT("RGB framebuffer");
}

TEST(mb2_unknown_framebuffer_type_ignored)
{
	begin();
	small_mmap();
	framebuffer_tag(7, MB2_FRAMEBUFFER_TAG_MIN);
	finish();
	CHECK(parse());
	CHECK(!bi.has_framebuffer);
}

TEST(mb2_reject_efi64_fixed_part_short)
{
	begin();
	small_mmap();
	tag(MB2_TAG_EFI64, 12);
	finish();
	CHECK_REJECT("tag 12 (EFI64 system table)");
}

TEST(mb2_reject_efi_mmap_fixed_part_short)
{
	begin();
	small_mmap();
	tag(MB2_TAG_EFI_MMAP, 12);
	finish();
	CHECK_REJECT("tag 17 (EFI memory map)");
}

TEST(mb2_reject_efi_mmap_descriptor_size)
{
	const struct efi_mmap_desc d = { EFI_MMAP_CONVENTIONAL, 0, 0, 0, 16, 0 };

	begin();
	small_mmap();
	efi_mmap_tag(36, &d, 1);
	finish();
	CHECK_REJECT("descriptor_size 36");
}

/* ---- realistic blocks ---------------------------------------------------- */

/* What GRUB 2.06 gives on a BIOS PC (QEMU/SeaBIOS-like, 128 MiB). */
static void grub_bios_block(void)
{
	const struct mb2_mmap_entry e820[] = {
		{ 0x0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0 },
		{ 0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0 },
		{ 0x100000, 0x7ee0000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x7fe0000, 0x20000, MB2_MEMORY_RESERVED, 0 },
		{ 0xfffc0000, 0x40000, MB2_MEMORY_RESERVED, 0 },
	};
	struct mb2_tag_framebuffer fb = {
		.type = MB2_TAG_FRAMEBUFFER, .size = 40, .addr = 0xb8000,
		.pitch = 160, .width = 80, .height = 25, .bpp = 16,
		.fb_type = MB2_FRAMEBUFFER_TYPE_EGA_TEXT,
	};

	begin();
	string_tag(MB2_TAG_CMDLINE, "serial=0x3f8,115200 test-exit");
	string_tag(MB2_TAG_BOOT_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	module(0x1000000, 0x1010000, "guest a=b");
	module(0x1010000, 0x1010800, "initrd");
	tag(MB2_TAG_BASIC_MEMINFO, 16);
	tag(MB2_TAG_BOOTDEV, 20);
	mmap_tag(sizeof(e820[0]), e820, 6);
	memcpy(b.buf + tag(MB2_TAG_FRAMEBUFFER, 40), &fb, 38);
	tag(MB2_TAG_ELF_SECTIONS, 20 + 64 * 6);
	tag(MB2_TAG_APM, 28);
	rsdp_tag(MB2_TAG_ACPI_OLD, 0, ACPI_RSDP_V1_SIZE);
	tag(MB2_TAG_LOAD_BASE_ADDR, 12);
	finish();
}

TEST(mb2_grub_bios_block)
{
	grub_bios_block();
	CHECK(parse());
	CHECK_EQ(bi.firmware, BOOT_FW_BIOS);
	CHECK_EQ(bi.path, BOOT_PATH_MULTIBOOT2);
	CHECK_STR(bi.cmdline, "serial=0x3f8,115200 test-exit");
	CHECK_STR(bi.loader, "GRUB 2.06-13+deb12u1");
	CHECK_EQ(bi.module_count, 2);
	CHECK_STR(bi.modules[0].name, "guest");
	CHECK_STR(bi.modules[0].cmdline, "a=b");
	CHECK_EQ(bi.modules[0].base, 0x1000000);
	CHECK_EQ(bi.modules[0].size, 0x10000);
	CHECK_STR(bi.modules[1].name, "initrd");
	CHECK_STR(bi.modules[1].cmdline, "");
	CHECK_EQ(bi.mmap.count, 6);
	CHECK_EQ(bi.mmap.ranges[3].base, 0x100000);
	CHECK_EQ(bi.mmap.ranges[3].type, MEM_USABLE);
	CHECK(bi.has_rsdp);
	CHECK_EQ(bi.rsdp_revision, 0);
	CHECK(!memcmp(bi.rsdp_data, "RSD PTR ", 8));
	CHECK_EQ(bi.rsdp, 0);
	CHECK(bi.has_framebuffer);
	CHECK_EQ(bi.fb.type, BOOT_FB_EGA_TEXT);
	CHECK_EQ(bi.fb.addr, 0xb8000);
	CHECK_EQ(bi.fb.width, 80);
	CHECK_EQ(bi.efi_system_table, 0);
}

/* What GRUB 2.06 gives on UEFI (OVMF-like): both memory maps, both RSDPs,
 * a GOP framebuffer and the EFI system table. */
static void grub_uefi_block(bool with_mb2_mmap)
{
	const struct mb2_mmap_entry e820[] = {
		{ 0x0, 0xa0000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x7e00000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x7f00000, 0x100000, MB2_MEMORY_NVS, 0 },
	};
	const struct efi_mmap_desc efi[] = {
		{ EFI_MMAP_BOOT_SERVICES_CODE, 0, 0x0, 0, 0xa0, 0 },
		{ EFI_MMAP_CONVENTIONAL, 0, 0x100000, 0, 0x7e00, 0 },
		{ EFI_MMAP_RUNTIME_SERVICES_DATA, 0, 0x7f00000, 0, 0x80, 0 },
		{ EFI_MMAP_ACPI_NVS, 0, 0x7f80000, 0, 0x80, 0 },
	};

	begin();
	string_tag(MB2_TAG_CMDLINE, "serial=0x3f8,115200");
	string_tag(MB2_TAG_BOOT_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	module(0x2000000, 0x2100000, "guest");
	if (with_mb2_mmap)
		mmap_tag(sizeof(e820[0]), e820, 3);
	framebuffer_tag(MB2_FRAMEBUFFER_TYPE_RGB, 40);
	efi64_tag(0x7f9ee018);
	rsdp_tag(MB2_TAG_ACPI_OLD, 0, ACPI_RSDP_V1_SIZE);
	rsdp_tag(MB2_TAG_ACPI_NEW, 2, ACPI_RSDP_V2_SIZE);
	efi_mmap_tag(48, efi, 4);
	finish();
}

TEST(mb2_grub_uefi_block)
{
	grub_uefi_block(true);
	CHECK(parse());
	CHECK_EQ(bi.firmware, BOOT_FW_UEFI);
	CHECK_STR(bi.cmdline, "serial=0x3f8,115200");
	CHECK_EQ(bi.module_count, 1);
	CHECK_STR(bi.modules[0].name, "guest");
	CHECK_EQ(bi.efi_system_table, 0x7f9ee018);
	CHECK(bi.has_rsdp);
	CHECK_EQ(bi.rsdp_revision, 2);              /* tag 15 preferred */
	CHECK_EQ(bi.rsdp_data[20], ACPI_RSDP_V2_SIZE);
	CHECK(bi.has_framebuffer);
	CHECK_EQ(bi.fb.type, BOOT_FB_RGB);
	CHECK_EQ(bi.fb.bpp, 32);
	CHECK_EQ(bi.fb.red_pos, 16);
	CHECK_EQ(bi.fb.green_pos, 8);
	CHECK_EQ(bi.fb.blue_size, 8);
	/* Tag 6 wins over tag 17: three ranges, the last ACPI NVS. */
	CHECK_EQ(bi.mmap.count, 3);
	CHECK_EQ(bi.mmap.ranges[2].type, MEM_ACPI_NVS);
}

TEST(mb2_grub_uefi_block_efi_mmap_only)
{
	grub_uefi_block(false);
	CHECK(parse());
	CHECK_EQ(bi.firmware, BOOT_FW_UEFI);
	CHECK_EQ(bi.mmap.count, 4);
	CHECK_EQ(bi.mmap.ranges[0].type, MEM_BOOT_SERVICES);
	CHECK_EQ(bi.mmap.ranges[1].type, MEM_USABLE);
	CHECK_EQ(bi.mmap.ranges[2].type, MEM_FW_RUNTIME);
	CHECK_EQ(bi.mmap.ranges[3].type, MEM_ACPI_NVS);
}

TEST(mb2_efi_mmap_alone_means_uefi)
{
	const struct efi_mmap_desc d = { EFI_MMAP_CONVENTIONAL, 0, 0, 0, 16, 0 };

	begin();
	efi_mmap_tag(sizeof(d), &d, 1);
	finish();
	CHECK(parse());
	CHECK_EQ(bi.firmware, BOOT_FW_UEFI);
	CHECK_EQ(bi.mmap.count, 1);
	CHECK_EQ(bi.mmap.ranges[0].length, 0x10000);
	CHECK_EQ(bi.efi_system_table, 0);
}

TEST(mb2_error_buffer_always_terminated)
{
	char small[8];

	begin();
	finish();
	set_total_size(8);
	CHECK(!multiboot2_parse(b.buf, INFO_PHYS, IMAGE_BASE, IMAGE_END, &bi,
				small, sizeof(small)));
	CHECK_EQ(strlen(small), sizeof(small) - 1);
	CHECK(multiboot2_parse(b.buf, INFO_PHYS, IMAGE_BASE, IMAGE_END, &bi,
			       NULL, 0) == false);
}

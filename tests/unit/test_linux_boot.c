/*
 * The Linux loader's pure parts: bzImage parsing (guest/linux/bzimage.c), the
 * zero page (guest/linux/boot_params.c) and the guest's ACPI tables
 * (guest/acpi/tables.c), on synthetic images and tables.
 */
#include <stdlib.h>

#include "guest/acpi/tables.h"
#include "boot/efi_memmap.h"
#include "guest/linux/linux.h"
#include "test.h"

/* ---- A synthetic bzImage --------------------------------------------------- */
#define IMG_SETUP_SECTS 3
#define IMG_SYSSIZE     0x100                  /* 4 KiB protected-mode part */
#define IMG_SIZE        ((IMG_SETUP_SECTS + 1) * 512 + IMG_SYSSIZE * 16)

static uint8_t image[IMG_SIZE];

static struct setup_header *img_hdr(void)
{
	return (struct setup_header *)(image + BZ_SETUP_HEADER_OFFSET);
}

static void make_image(void)
{
	struct setup_header *h = img_hdr();

	memset(image, 0, sizeof(image));
	h->setup_sects = IMG_SETUP_SECTS;
	h->syssize = IMG_SYSSIZE;
	h->boot_flag = BZ_BOOT_FLAG;
	/* jump: EB xx, xx = header end - 0x202 */
	h->jump = (uint16_t)(0xeb | (uint16_t)((0x26c - 0x202) << 8));
	h->header = BZ_HEADER_MAGIC;
	h->version = 0x020f;
	h->loadflags = BZ_LOADED_HIGH | BZ_CAN_USE_HEAP;
	h->heap_end_ptr = 0x9e00;
	h->code32_start = 0x100000;
	h->initrd_addr_max = 0x7fffffff;
	h->kernel_alignment = 0x200000;
	h->relocatable_kernel = 1;
	h->xloadflags = BZ_XLF_KERNEL_64 | BZ_XLF_CAN_BE_LOADED_ABOVE_4G;
	h->cmdline_size = 2047;
	h->pref_address = 0x1000000;
	h->init_size = 0x800000;
	image[(IMG_SETUP_SECTS + 1) * 512] = 0x5a;  /* first pm byte */
}

TEST(bzimage_parse_valid)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	CHECK(bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_EQ(bz.version, 0x020f);
	CHECK_EQ(bz.setup_size, (IMG_SETUP_SECTS + 1) * 512);
	CHECK_EQ(bz.pm_offset, (IMG_SETUP_SECTS + 1) * 512);
	CHECK_EQ(bz.pm_size, IMG_SYSSIZE * 16);
	CHECK_EQ(image[bz.pm_offset], 0x5a);
	CHECK_EQ(bz.header_end, 0x26c);
	CHECK(bz.relocatable);
	CHECK_EQ(bz.kernel_alignment, 0x200000);
	CHECK_EQ(bz.pref_address, 0x1000000);
	CHECK_EQ(bz.init_size, 0x800000);
	CHECK_EQ(bz.initrd_addr_max, 0x7fffffff);
	CHECK_EQ(bz.cmdline_size, 2047);
	CHECK(bz.xloadflags & BZ_XLF_KERNEL_64);
}

TEST(bzimage_setup_sects_zero_means_four)
{
	uint8_t *big = calloc(1, 5 * 512 + IMG_SYSSIZE * 16);
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->setup_sects = 0;
	memcpy(big, image, sizeof(image));
	CHECK(bzimage_parse(big, 5 * 512 + IMG_SYSSIZE * 16, &bz, err, sizeof(err)));
	CHECK_EQ(bz.setup_size, 5 * 512);
	free(big);
}

TEST(bzimage_rejects_no_hdrs)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->header = 0x12345678;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_STR(err, "not a bzImage (no HdrS signature)");
	/* An ELF file, say, much shorter than a setup header. */
	CHECK(!bzimage_parse("\177ELF", 4, &bz, err, sizeof(err)));
	CHECK(strstr(err, "no HdrS signature") != NULL);
}

TEST(bzimage_rejects_bad_boot_flag)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->boot_flag = 0x1234;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK(strstr(err, "boot sector flag 0x1234") != NULL);
}

TEST(bzimage_rejects_truncated)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	/* syssize rounds up to 16-byte paragraphs: a whole paragraph short
	 * is truncated, a partial last paragraph is not. */
	CHECK(!bzimage_parse(image, sizeof(image) - 16, &bz, err, sizeof(err)));
	CHECK(strncmp(err, "truncated:", 10) == 0);
	CHECK(!bzimage_parse(image, 1024, &bz, err, sizeof(err)));
	CHECK(strncmp(err, "truncated:", 10) == 0);
	CHECK(bzimage_parse(image, sizeof(image) - 15, &bz, err, sizeof(err)));
	CHECK_EQ(bz.pm_size, sizeof(image) - 15 - bz.setup_size);
}

TEST(bzimage_rejects_old_protocol)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->version = 0x0204;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_STR(err, "boot protocol 2.04 is too old (need 2.06 or later)");
}

TEST(bzimage_rejects_zimage_and_bad_alignment)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->loadflags = 0;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK(strstr(err, "LOADED_HIGH") != NULL);
	make_image();
	img_hdr()->kernel_alignment = 0x300000;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK(strstr(err, "kernel_alignment 0x300000") != NULL);
}

TEST(bzimage_footprint_counts_from_runtime_start)
{
	struct bzimage bz;
	char err[160];

	make_image();
	CHECK(bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_EQ(bzimage_footprint(&bz, 0x1000000), 0x800000);
	/* Unaligned load: the kernel realigns up to 2 MiB first. */
	CHECK_EQ(bzimage_footprint(&bz, 0x1001000), 0x800000 + 0x1ff000);
}

/* A pref_address near 2^64 makes pref_address + init_size wrap: the loader
 * would then find a tiny "footprint" at a wild address.  Found by
 * tests/fuzz/fuzz_bzimage.c. */
TEST(bzimage_rejects_pref_address_that_wraps)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->relocatable_kernel = 0;
	img_hdr()->pref_address = 0xffffffffffffffffull;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_STR(err, "corrupt header: pref_address 0xffffffffffffffff with "
		  "0x800000 bytes (init_size or the file) wraps past 2^64");
	/* The last address from which 8 MiB still end below 2^64, and one
	 * past it. */
	img_hdr()->pref_address = 0xffffffffff800000ull;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	img_hdr()->pref_address = 0xffffffffff7fffffull;
	CHECK(bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_EQ(bzimage_footprint(&bz, bz.pref_address), 0x800000);
}

/* A relocatable kernel may realign up to kernel_alignment - 1 bytes. */
TEST(bzimage_rejects_pref_address_that_wraps_when_aligned)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->pref_address = 0xffffffffff600001ull;
	CHECK(!bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK(strstr(err, "wraps past 2^64") != NULL);
	img_hdr()->pref_address = 0xffffffffff600000ull;
	CHECK(bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
}

/* Without init_size (protocol < 2.10): four times the protected-mode part
 * (saturated at 4 GiB - 1 rather than cut to 32 bits), and pref_address
 * is code32_start. */
TEST(bzimage_init_size_guessed_before_2_10)
{
	struct bzimage bz;
	char err[160] = "";

	make_image();
	img_hdr()->version = 0x0209;
	CHECK(bzimage_parse(image, sizeof(image), &bz, err, sizeof(err)));
	CHECK_EQ(bz.init_size, 4 * IMG_SYSSIZE * 16);
	CHECK_EQ(bz.pref_address, 0x100000);
}

/* ---- The zero page --------------------------------------------------------- */
static const struct mem_range test_map[] = {
	{ 0x0, 0x9fc00, MEM_USABLE },
	{ 0x9fc00, 0x400, MEM_RESERVED },
	{ 0xf0000, 0x10000, MEM_RESERVED },
	{ 0x100000, 0x700000, MEM_USABLE },
	{ 0x800000, 0x800000, MEM_BOOT_SERVICES },   /* merges: RAM */
	{ 0x1000000, 0x1000, MEM_ACPI_RECLAIM },
	{ 0x1001000, 0x1000, MEM_ACPI_NVS },
	{ 0x1002000, 0x1000, MEM_BAD },
	{ 0x1003000, 0x1000, MEM_FW_RUNTIME },
	{ 0x1004000, 0x1000, MEM_PERSISTENT },
	{ 0xfec00000, 0x1000, MEM_MMIO },
};

static void params_in(struct boot_params_in *in, struct bzimage *bz)
{
	char err[160];

	make_image();
	bzimage_parse(image, sizeof(image), bz, err, sizeof(err));
	*in = (struct boot_params_in){
		.image = image, .bz = bz, .kernel_addr = 0x1000000,
		.cmdline_addr = 0x20000, .initrd_addr = 0x7f000000,
		.initrd_size = 0x100000, .mmap = test_map,
		.mmap_count = sizeof(test_map) / sizeof(test_map[0]),
		.rsdp_addr = 0xe0000,
	};
}

TEST(boot_params_header_and_loader_fields)
{
	static struct boot_params bp;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.hdr.header, BZ_HEADER_MAGIC);
	CHECK_EQ(bp.hdr.version, 0x020f);
	CHECK_EQ(bp.hdr.init_size, 0x800000);
	CHECK_EQ(bp.hdr.type_of_loader, 0xff);
	CHECK_EQ(bp.hdr.loadflags & BZ_CAN_USE_HEAP, 0);
	CHECK(bp.hdr.loadflags & BZ_LOADED_HIGH);
	CHECK_EQ(bp.hdr.heap_end_ptr, 0);
	CHECK_EQ(bp.hdr.code32_start, 0x1000000);
	CHECK_EQ(bp.hdr.cmd_line_ptr, 0x20000);
	CHECK_EQ(bp.ext_cmd_line_ptr, 0);
	CHECK_EQ(bp.hdr.ramdisk_image, 0x7f000000);
	CHECK_EQ(bp.hdr.ramdisk_size, 0x100000);
	CHECK_EQ(bp.ext_ramdisk_image, 0);
	CHECK_EQ(bp.acpi_rsdp_addr, 0xe0000);
	CHECK_EQ(bp.sentinel, 0);
	CHECK_EQ(bp.screen_info.orig_video_isVGA, 0);
}

TEST(boot_params_initrd_above_4g_uses_ext_fields)
{
	static struct boot_params bp;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	in.initrd_addr = 0x123456000ull;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.hdr.ramdisk_image, 0x23456000);
	CHECK_EQ(bp.ext_ramdisk_image, 0x1);
}

TEST(boot_params_e820_conversion)
{
	static struct boot_params bp;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.e820_entries, 10);
	CHECK_EQ(bp.e820_table[0].type, E820_TYPE_RAM);
	CHECK_EQ(bp.e820_table[1].type, E820_TYPE_RESERVED);
	CHECK_EQ(bp.e820_table[3].addr, 0x100000);
	CHECK_EQ(bp.e820_table[3].size, 0xf00000);      /* usable + boot services */
	CHECK_EQ(bp.e820_table[3].type, E820_TYPE_RAM);
	CHECK_EQ(bp.e820_table[4].type, E820_TYPE_ACPI);
	CHECK_EQ(bp.e820_table[5].type, E820_TYPE_NVS);
	CHECK_EQ(bp.e820_table[6].type, E820_TYPE_UNUSABLE);
	CHECK_EQ(bp.e820_table[7].type, E820_TYPE_RESERVED);
	CHECK_EQ(bp.e820_table[8].type, E820_TYPE_PMEM);
	CHECK_EQ(bp.e820_table[9].addr, 0xfec00000);
	CHECK_EQ(bp.e820_table[9].type, E820_TYPE_RESERVED);
}

/* The whole UEFI path of the e820 map: EFI descriptors as GetMemoryMap
 * returns them -> boot_info ranges (boot/efi_memmap.c) -> the zero page.
 * The types as the kernel's own EFI stub maps them (setup_e820):
 * loader and boot-services memory is RAM (the hypervisor is done with it
 * when the guest starts), runtime services and MMIO reserved (the guest
 * gets no EFI runtime), ACPI reclaim/NVS kept, persistent memory PMEM,
 * "specific purpose" RAM and unknown types reserved. */
TEST(boot_params_e820_from_efi_map)
{
	static const struct efi_mmap_desc efi[] = {
		{ EFI_MMAP_CONVENTIONAL, 0, 0x0, 0, 0xa0, 0 },
		{ EFI_MMAP_CONVENTIONAL, 0, 0x100000, 0, 0x100, 0 },
		{ EFI_MMAP_LOADER_DATA, 0, 0x200000, 0, 0x100, 0 },
		{ EFI_MMAP_BOOT_SERVICES_CODE, 0, 0x300000, 0, 0x100, 0 },
		{ EFI_MMAP_RUNTIME_SERVICES_CODE, 0, 0x400000, 0, 0x10, 0 },
		{ EFI_MMAP_RUNTIME_SERVICES_DATA, 0, 0x410000, 0, 0x10, 0 },
		{ EFI_MMAP_ACPI_RECLAIM, 0, 0x420000, 0, 0x10, 0 },
		{ EFI_MMAP_ACPI_NVS, 0, 0x430000, 0, 0x10, 0 },
		{ EFI_MMAP_UNUSABLE, 0, 0x440000, 0, 0x10, 0 },
		{ EFI_MMAP_PERSISTENT, 0, 0x450000, 0, 0x10, 0 },
		{ EFI_MMAP_CONVENTIONAL, 0, 0x460000, 0, 0x10,
		  EFI_MMAP_ATTR_SP },
		{ 15 /* unaccepted */, 0, 0x470000, 0, 0x10, 0 },
		{ EFI_MMAP_MMIO, 0, 0xfec00000, 0, 1, 0 },
	};
	static const struct { uint64_t addr, size; uint32_t type; } want[] = {
		{ 0x0, 0xa0000, E820_TYPE_RAM },
		{ 0x100000, 0x300000, E820_TYPE_RAM },
		{ 0x400000, 0x20000, E820_TYPE_RESERVED },
		{ 0x420000, 0x10000, E820_TYPE_ACPI },
		{ 0x430000, 0x10000, E820_TYPE_NVS },
		{ 0x440000, 0x10000, E820_TYPE_UNUSABLE },
		{ 0x450000, 0x10000, E820_TYPE_PMEM },
		{ 0x460000, 0x20000, E820_TYPE_RESERVED },
		{ 0xfec00000, 0x1000, E820_TYPE_RESERVED },
	};
	static struct boot_params bp;
	static struct boot_info bi;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	CHECK(efi_memmap_to_boot_info(efi, sizeof(efi), sizeof(efi[0]), &bi));
	params_in(&in, &bz);
	in.mmap = bi.mmap.ranges;
	in.mmap_count = bi.mmap.count;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.e820_entries, sizeof(want) / sizeof(want[0]));
	for (uint32_t i = 0; i < bp.e820_entries; i++) {
		CHECK_EQ(bp.e820_table[i].addr, want[i].addr);
		CHECK_EQ(bp.e820_table[i].size, want[i].size);
		CHECK_EQ(bp.e820_table[i].type, want[i].type);
	}
}

TEST(boot_params_e820_overflow_is_refused)
{
	static struct boot_params bp;
	static struct mem_range big[BP_E820_MAX + 1];
	struct boot_params_in in;
	struct bzimage bz;
	char err[160] = "";

	for (uint32_t i = 0; i < BP_E820_MAX + 1; i++)
		big[i] = (struct mem_range){ i * 0x2000ull, 0x1000,
						  MEM_USABLE };
	params_in(&in, &bz);
	in.mmap = big;
	in.mmap_count = BP_E820_MAX + 1;
	CHECK(!boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK(strstr(err, "128 e820 entries") != NULL);
}

TEST(boot_params_framebuffer)
{
	static struct boot_params bp;
	struct boot_framebuffer fb = {
		.addr = 0x80000000, .pitch = 4096, .width = 1024, .height = 768,
		.bpp = 32, .type = BOOT_FB_RGB, .red_pos = 16, .red_size = 8,
		.green_pos = 8, .green_size = 8, .blue_pos = 0, .blue_size = 8,
	};
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	in.fb = &fb;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.screen_info.orig_video_isVGA, VIDEO_TYPE_VLFB);
	CHECK_EQ(bp.screen_info.lfb_base, 0x80000000);
	CHECK_EQ(bp.screen_info.lfb_linelength, 4096);
	CHECK_EQ(bp.screen_info.lfb_size, 48);          /* 3 MiB in 64 KiB */
	CHECK_EQ(bp.screen_info.red_pos, 16);
	in.uefi = true;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(bp.screen_info.orig_video_isVGA, VIDEO_TYPE_EFI);
	CHECK_EQ(bp.screen_info.lfb_size, 3u << 20);
}

/* A GOP framebuffer as hv.efi records it (BGR, reserved byte on top),
 * described as the kernel's EFI stub would: EFI type, bytes, the fourth
 * byte as the reserved channel, no 64-bit capability below 4 GiB. */
TEST(boot_params_framebuffer_efi_gop)
{
	static struct boot_params bp;
	struct boot_framebuffer fb = {
		.addr = 0xc0000000, .pitch = 800 * 4, .width = 800,
		.height = 600, .bpp = 32, .type = BOOT_FB_RGB,
		.red_pos = 16, .red_size = 8, .green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};
	const struct screen_info *si = &bp.screen_info;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	in.fb = &fb;
	in.uefi = true;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(si->orig_video_isVGA, VIDEO_TYPE_EFI);
	CHECK_EQ(si->lfb_base, 0xc0000000);
	CHECK_EQ(si->ext_lfb_base, 0);
	CHECK_EQ(si->capabilities & VIDEO_CAPABILITY_64BIT_BASE, 0);
	CHECK_EQ(si->lfb_width, 800);
	CHECK_EQ(si->lfb_height, 600);
	CHECK_EQ(si->lfb_depth, 32);
	CHECK_EQ(si->lfb_linelength, 3200);
	CHECK_EQ(si->lfb_size, 0x1e0000);   /* 1920000 up to 64 KiB */
	CHECK_EQ(si->red_pos, 16);
	CHECK_EQ(si->green_pos, 8);
	CHECK_EQ(si->blue_pos, 0);
	CHECK_EQ(si->blue_size, 8);
	CHECK_EQ(si->rsvd_pos, 24);
	CHECK_EQ(si->rsvd_size, 8);
	CHECK_EQ(si->pages, 1);
	/* 24-bit pixels have no reserved channel. */
	fb.bpp = 24;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(si->rsvd_size, 0);
	CHECK_EQ(si->rsvd_pos, 0);
}

/* A framebuffer above 4 GiB (a 64-bit BAR placed high): the high half in
 * ext_lfb_base and VIDEO_CAPABILITY_64BIT_BASE set, or Linux would use
 * the truncated low half. */
TEST(boot_params_framebuffer_above_4g)
{
	static struct boot_params bp;
	struct boot_framebuffer fb = {
		.addr = 0x4000000000ull + 0x1000000, .pitch = 7680,
		.width = 1920, .height = 1080, .bpp = 32, .type = BOOT_FB_RGB,
		.red_pos = 0, .red_size = 8, .green_pos = 8, .green_size = 8,
		.blue_pos = 16, .blue_size = 8,
	};
	const struct screen_info *si = &bp.screen_info;
	struct boot_params_in in;
	struct bzimage bz;
	char err[160];

	params_in(&in, &bz);
	in.fb = &fb;
	in.uefi = true;
	CHECK(boot_params_build(&in, &bp, err, sizeof(err)));
	CHECK_EQ(si->lfb_base, 0x1000000);
	CHECK_EQ(si->ext_lfb_base, 0x40);
	CHECK(si->capabilities & VIDEO_CAPABILITY_64BIT_BASE);
	CHECK_EQ(si->lfb_size, 0x7f0000);   /* 8294400 up to 64 KiB */
}

/* ---- Synthetic ACPI tables in a fake physical memory ---------------------- */
#define MEM_BASE   0x10000ull
#define MEM_SIZE   0x8000
#define PA_XSDT    0x10100
#define PA_RSDT    0x10200
#define PA_FADT    0x10300
#define PA_MADT    0x10500
#define PA_DSDT    0x10600
#define PA_DMAR    0x10700
#define PA_DEST    0x20000

static uint8_t mem[MEM_SIZE];
static uint8_t rsdp_copy[36];

static const void *fake_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa < MEM_BASE || pa + len > MEM_BASE + MEM_SIZE)
		return NULL;
	return mem + (pa - MEM_BASE);
}

static uint8_t *at(uint64_t pa)
{
	return mem + (pa - MEM_BASE);
}

static void sdt(uint64_t pa, const char *sig, uint32_t len)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)at(pa);

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = 1;
	memcpy(h->oem_id, "HVTEST", 6);
	h->checksum = 0;            /* a table written again must sum to 0 too */
	h->checksum = (uint8_t)-acpi_checksum(h, len);
}

static uint32_t put_lapic(uint8_t *p, uint8_t uid, uint8_t id)
{
	struct madt_local_apic e = { MADT_TYPE_LOCAL_APIC, 8, uid, id,
				     MADT_LAPIC_ENABLED };

	memcpy(p, &e, sizeof(e));
	return sizeof(e);
}

/* MADT: 2 local APICs (IDs 0, 1), an I/O APIC, an ISO, a local APIC NMI,
 * an x2APIC entry for ID 1. */
static uint32_t make_madt(uint8_t *t)
{
	static const uint8_t ioapic[12] = { MADT_TYPE_IO_APIC, 12, 2, 0,
					    0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
	static const uint8_t iso[10] = { MADT_TYPE_INT_OVERRIDE, 10, 0, 0, 2,
					 0, 0, 0, 0, 0 };
	static const uint8_t nmi[6] = { MADT_TYPE_LOCAL_APIC_NMI, 6, 0xff, 0,
					0, 1 };
	struct madt_local_x2apic x2 = { MADT_TYPE_LOCAL_X2APIC, 16, 0, 1,
					MADT_LAPIC_ENABLED, 1 };
	uint32_t off = sizeof(struct acpi_madt);

	off += put_lapic(t + off, 0, 0);
	off += put_lapic(t + off, 1, 1);
	memcpy(t + off, ioapic, sizeof(ioapic)), off += sizeof(ioapic);
	memcpy(t + off, iso, sizeof(iso)), off += sizeof(iso);
	memcpy(t + off, nmi, sizeof(nmi)), off += sizeof(nmi);
	memcpy(t + off, &x2, sizeof(x2)), off += sizeof(x2);
	return off;
}

static void make_tables(void)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)rsdp_copy;
	uint64_t x[2] = { PA_FADT, PA_MADT };
	uint32_t rs[2] = { PA_FADT, PA_MADT };
	uint8_t *f = at(PA_FADT);
	static const uint8_t aml[] = { 0x10, 0x05, 0x5c, 0x00,   /* scope */
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
		0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };

	memset(mem, 0, sizeof(mem));
	memcpy(at(PA_XSDT) + 36, x, sizeof(x));
	sdt(PA_XSDT, "XSDT", 36 + sizeof(x));
	memcpy(at(PA_RSDT) + 36, rs, sizeof(rs));
	sdt(PA_RSDT, "RSDT", 36 + sizeof(rs));
	/* FADT: PM1a_CNT 0xb004 (ACPI 1.0 field), DSDT, reset register 0xcf9 */
	uint32_t pm1a = 0xb004, dsdt = PA_DSDT, flags = FADT_FLAG_RESET_REG_SUP;
	uint64_t reset_port = 0xcf9;
	memcpy(f + FADT_PM1A_CNT_BLK, &pm1a, 4);
	memcpy(f + FADT_DSDT, &dsdt, 4);
	f[FADT_PM1_CNT_LEN] = 2;
	memcpy(f + FADT_FLAGS, &flags, 4);
	f[FADT_RESET_REG] = ACPI_GAS_SYSTEM_IO;
	memcpy(f + FADT_RESET_REG + 4, &reset_port, 8);
	f[FADT_RESET_VALUE] = 6;
	sdt(PA_FADT, "FACP", 244);
	memcpy(at(PA_DSDT) + 36, aml, sizeof(aml));
	sdt(PA_DSDT, "DSDT", 36 + sizeof(aml));
	sdt(PA_MADT, "APIC", make_madt(at(PA_MADT)));
	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "HVTEST", 6);
	r->revision = 2;
	r->rsdt_address = PA_RSDT;
	r->xsdt_address = PA_XSDT;
	r->length = 36;
	r->checksum = (uint8_t)-acpi_checksum(r, 20);
	r->extended_checksum = (uint8_t)-acpi_checksum(r, 36);
}

static uint32_t count_processors(const uint8_t *madt, uint32_t len,
				 uint32_t *ioapics)
{
	uint32_t n = 0;

	*ioapics = 0;
	for (uint32_t off = sizeof(struct acpi_madt); off < len; off += madt[off + 1]) {
		if (madt[off] == MADT_TYPE_LOCAL_APIC ||
		    madt[off] == MADT_TYPE_LOCAL_X2APIC)
			n++;
		if (madt[off] == MADT_TYPE_IO_APIC)
			(*ioapics)++;
	}
	return n;
}

TEST(madt_keeps_only_the_bsp)
{
	static uint8_t madt[256], out[256];
	struct acpi_guest_result res = { 0 };
	uint32_t len, new_len, ioapics;
	char err[160] = "";

	len = make_madt(madt);
	memcpy(madt, "APIC", 4);
	((struct acpi_sdt_header *)madt)->length = len;
	new_len = acpi_madt_one_cpu(madt, len, 1, out, sizeof(out), &res, err,
				    sizeof(err));
	CHECK_EQ(new_len, len - 8 - 16);
	CHECK_EQ(res.cpus_total, 3);
	CHECK_EQ(res.cpus_removed, 2);
	CHECK_EQ(acpi_checksum(out, new_len), 0);
	CHECK_EQ(count_processors(out, new_len, &ioapics), 1);
	CHECK_EQ(ioapics, 1);
	/* The one kept is the local APIC entry with ID 1. */
	CHECK_EQ(out[sizeof(struct acpi_madt)], MADT_TYPE_LOCAL_APIC);
	CHECK_EQ(out[sizeof(struct acpi_madt) + 3], 1);
}

TEST(madt_without_the_bsp_is_refused)
{
	static uint8_t madt[256], out[256];
	struct acpi_guest_result res = { 0 };
	uint32_t len;
	char err[160] = "";

	len = make_madt(madt);
	memcpy(madt, "APIC", 4);
	CHECK_EQ(acpi_madt_one_cpu(madt, len, 7, out, sizeof(out), &res, err,
				   sizeof(err)), 0);
	CHECK(strstr(err, "APIC ID 7") != NULL);
	madt[sizeof(struct acpi_madt) + 1] = 0;         /* zero-length entry */
	memset(&res, 0, sizeof(res));
	CHECK_EQ(acpi_madt_one_cpu(madt, len, 0, out, sizeof(out), &res, err,
				   sizeof(err)), 0);
	CHECK(strstr(err, "bad length") != NULL);
}

TEST(acpi_guest_tables_rebuilt)
{
	static uint8_t dest[0x1000];
	struct acpi_source src = { rsdp_copy, fake_map, NULL };
	struct acpi_guest_result res;
	const struct acpi_rsdp *r = (const struct acpi_rsdp *)dest;
	uint64_t xsdt_entries[2], size;
	uint32_t rsdt_entries[2], ioapics;
	char err[160] = "";

	make_tables();
	size = acpi_guest_size(&src, err, sizeof(err));
	CHECK(size > 0 && size <= sizeof(dest));
	CHECK(acpi_guest_build(&src, 0, PA_DEST, dest, sizeof(dest), &res, err,
			       sizeof(err)));
	CHECK_EQ(res.rsdp, PA_DEST);
	CHECK_EQ(res.cpus_total, 3);
	CHECK(!memcmp(r->signature, "RSD PTR ", 8));
	CHECK_EQ(acpi_checksum(r, 20), 0);
	CHECK_EQ(acpi_checksum(r, 36), 0);
	CHECK_EQ(r->revision, 2);
	const uint8_t *xsdt = dest + (r->xsdt_address - PA_DEST);
	const uint8_t *rsdt = dest + (r->rsdt_address - PA_DEST);
	CHECK(!memcmp(xsdt, "XSDT", 4));
	CHECK(!memcmp(rsdt, "RSDT", 4));
	CHECK_EQ(acpi_checksum(xsdt, ((const struct acpi_sdt_header *)xsdt)->length), 0);
	CHECK_EQ(acpi_checksum(rsdt, ((const struct acpi_sdt_header *)rsdt)->length), 0);
	memcpy(xsdt_entries, xsdt + 36, sizeof(xsdt_entries));
	memcpy(rsdt_entries, rsdt + 36, sizeof(rsdt_entries));
	CHECK_EQ(xsdt_entries[0], PA_FADT);             /* kept in place */
	CHECK_EQ(rsdt_entries[0], PA_FADT);
	CHECK(xsdt_entries[1] != PA_MADT);              /* the copy */
	CHECK_EQ(rsdt_entries[1], xsdt_entries[1]);
	const uint8_t *madt = dest + (xsdt_entries[1] - PA_DEST);
	uint32_t mlen = ((const struct acpi_sdt_header *)madt)->length;
	CHECK(!memcmp(madt, "APIC", 4));
	CHECK_EQ(acpi_checksum(madt, mlen), 0);
	CHECK_EQ(count_processors(madt, mlen, &ioapics), 1);
	CHECK_EQ(ioapics, 1);
}

/* The firmware lists a DMAR between the FADT and the MADT: the guest's
 * root tables leave it out and keep the rest in order. */
TEST(acpi_guest_tables_hide_dmar)
{
	static uint8_t dest[0x1000];
	struct acpi_source src = { rsdp_copy, fake_map, NULL };
	struct acpi_guest_result res;
	const struct acpi_rsdp *r = (const struct acpi_rsdp *)dest;
	uint64_t x[3] = { PA_FADT, PA_DMAR, PA_MADT }, xe[2];
	uint32_t rs[3] = { PA_FADT, PA_DMAR, PA_MADT }, re[2];
	char err[160] = "";

	make_tables();
	sdt(PA_DMAR, "DMAR", 48);
	memcpy(at(PA_XSDT) + 36, x, sizeof(x));
	sdt(PA_XSDT, "XSDT", 36 + sizeof(x));
	memcpy(at(PA_RSDT) + 36, rs, sizeof(rs));
	sdt(PA_RSDT, "RSDT", 36 + sizeof(rs));
	CHECK(acpi_guest_build(&src, 0, PA_DEST, dest, sizeof(dest), &res, err,
			       sizeof(err)));
	const struct acpi_sdt_header *xsdt =
		(const void *)(dest + (r->xsdt_address - PA_DEST));
	const struct acpi_sdt_header *rsdt =
		(const void *)(dest + (r->rsdt_address - PA_DEST));
	CHECK_EQ(xsdt->length, 36 + 2 * 8);
	CHECK_EQ(rsdt->length, 36 + 2 * 4);
	CHECK_EQ(acpi_checksum(xsdt, xsdt->length), 0);
	CHECK_EQ(acpi_checksum(rsdt, rsdt->length), 0);
	memcpy(xe, xsdt + 1, sizeof(xe));
	memcpy(re, rsdt + 1, sizeof(re));
	CHECK_EQ(xe[0], PA_FADT);
	CHECK_EQ(re[0], PA_FADT);
	CHECK(!memcmp(dest + (xe[1] - PA_DEST), "APIC", 4));
	CHECK_EQ(re[1], xe[1]);
}

TEST(acpi_guest_refuses_bad_rsdp)
{
	static uint8_t dest[0x1000];
	struct acpi_source src = { rsdp_copy, fake_map, NULL };
	struct acpi_guest_result res;
	char err[160] = "";

	make_tables();
	rsdp_copy[8] ^= 1;                              /* checksum */
	CHECK(!acpi_guest_build(&src, 0, PA_DEST, dest, sizeof(dest), &res, err,
				sizeof(err)));
	CHECK(strstr(err, "checksum") != NULL);
}

TEST(acpi_power_info_from_fadt_and_dsdt)
{
	struct acpi_source src = { rsdp_copy, fake_map, NULL };
	struct acpi_power p;
	char err[160] = "";

	make_tables();
	CHECK(acpi_power_info(&src, &p, err, sizeof(err)));
	CHECK_EQ(p.pm1a_cnt, 0xb004);
	CHECK_EQ(p.pm1b_cnt, 0);
	CHECK_EQ(p.pm1_cnt_len, 2);
	CHECK(p.has_s5);
	CHECK_EQ(p.s5_slp_typ_a, 5);
	CHECK_EQ(p.s5_slp_typ_b, 7);
	CHECK(p.has_reset_reg);
	CHECK_EQ(p.reset_port, 0xcf9);
	CHECK_EQ(p.reset_value, 6);
}

TEST(aml_s5_forms)
{
	/* Name(_S5, Package(4){Zero, Zero, ...}) without a root prefix. */
	static const uint8_t zero[] = { [36] = 0x08, '_', 'S', '5', '_', 0x12,
					0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	/* "_S5_" as a method name is not an object: not found. */
	static const uint8_t method[] = { [36] = 0x14, 0x08, '_', 'S', '5', '_',
					  0x00, 0xa4, 0x00 };
	uint8_t a = 9, b = 9;

	CHECK(acpi_aml_find_s5(zero, sizeof(zero), &a, &b));
	CHECK_EQ(a, 0);
	CHECK_EQ(b, 0);
	CHECK(!acpi_aml_find_s5(method, sizeof(method), &a, &b));
}

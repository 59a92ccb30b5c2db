/* Host tests for boot/efi_memmap.c: UEFI memory map -> boot_info. */
#include "boot/efi_memmap.h"
#include "tests/unit/test.h"

#define PAGE 4096ull
#define MIB  (1024ull * 1024)
#define GIB  (1024ull * MIB)

/* OVMF hands out 48-byte descriptors: 40 bytes of version 1 plus padding. */
#define OVMF_DESC_SIZE 48

struct map_builder {
	uint8_t buf[64 * 1024];
	uint64_t desc_size;
	uint64_t size;
};

static void map_init(struct map_builder *m, uint64_t desc_size)
{
	memset(m, 0xa5, sizeof(*m));   /* junk in the padding must not matter */
	m->desc_size = desc_size;
	m->size = 0;
}

static void map_add(struct map_builder *m, uint32_t type, uint64_t base,
		    uint64_t pages, uint64_t attr)
{
	struct efi_mmap_desc d = {
		.type = type,
		.physical_start = base,
		.virtual_start = 0,
		.number_of_pages = pages,
		.attribute = attr,
	};

	memcpy(m->buf + m->size, &d, sizeof(d));
	m->size += m->desc_size;
}

/* Static: too big for the stack, and nothing to free when a CHECK
 * returns early. */
static struct map_builder map_storage;
static struct boot_info bi_storage;

static struct boot_info *new_bi(void)
{
	boot_info_init(&bi_storage, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	return &bi_storage;
}

static bool convert(struct map_builder *m, struct boot_info *bi)
{
	return efi_memmap_to_boot_info(m->buf, m->size, m->desc_size, bi);
}

TEST(efi_memmap_type_table)
{
	CHECK_EQ(efi_memmap_type(EFI_MMAP_CONVENTIONAL, 0), MEM_USABLE);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_LOADER_CODE, 0), MEM_BOOT_SERVICES);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_LOADER_DATA, 0), MEM_BOOT_SERVICES);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_BOOT_SERVICES_CODE, 0),
		 MEM_BOOT_SERVICES);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_BOOT_SERVICES_DATA, 0),
		 MEM_BOOT_SERVICES);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_RUNTIME_SERVICES_CODE, 0),
		 MEM_FW_RUNTIME);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_RUNTIME_SERVICES_DATA, 0),
		 MEM_FW_RUNTIME);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_ACPI_RECLAIM, 0), MEM_ACPI_RECLAIM);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_ACPI_NVS, 0), MEM_ACPI_NVS);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_UNUSABLE, 0), MEM_BAD);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_MMIO, 0), MEM_MMIO);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_MMIO_PORT_SPACE, 0), MEM_MMIO);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_PERSISTENT, 0), MEM_PERSISTENT);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_RESERVED, 0), MEM_RESERVED);
	CHECK_EQ(efi_memmap_type(EFI_MMAP_PAL_CODE, 0), MEM_RESERVED);
	CHECK_EQ(efi_memmap_type(15, 0), MEM_RESERVED);   /* unaccepted */
	CHECK_EQ(efi_memmap_type(0x70000000u, 0), MEM_RESERVED); /* OEM */
	CHECK_EQ(efi_memmap_type(0x80000000u, 0), MEM_RESERVED); /* OS */
	CHECK_EQ(efi_memmap_type(EFI_MMAP_CONVENTIONAL, EFI_MMAP_ATTR_SP),
		 MEM_RESERVED);
}

TEST(efi_memmap_merges_adjacent_same_type)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, OVMF_DESC_SIZE);
	/* Out of order, and loader + boot-services data become one type. */
	map_add(m, EFI_MMAP_BOOT_SERVICES_DATA, 0x200000, 16, 0xf);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x100000, 256, 0xf);
	map_add(m, EFI_MMAP_LOADER_DATA, 0x210000, 16, 0xf);
	CHECK(convert(m, bi));
	CHECK_EQ(bi->mmap.count, 2);
	CHECK_EQ(bi->mmap.ranges[0].base, 0x100000);
	CHECK_EQ(bi->mmap.ranges[0].length, 256 * PAGE);
	CHECK_EQ(bi->mmap.ranges[0].type, MEM_USABLE);
	CHECK_EQ(bi->mmap.ranges[1].base, 0x200000);
	CHECK_EQ(bi->mmap.ranges[1].length, 32 * PAGE);
	CHECK_EQ(bi->mmap.ranges[1].type, MEM_BOOT_SERVICES);
}

TEST(efi_memmap_skips_empty_descriptors)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, 40);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x1000, 0, 0);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x2000, 1, 0);
	CHECK(convert(m, bi));
	CHECK_EQ(bi->mmap.count, 1);
	CHECK_EQ(bi->mmap.ranges[0].base, 0x2000);
}

TEST(efi_memmap_rejects_bad_layout)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, OVMF_DESC_SIZE);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x100000, 1, 0);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x200000, 1, 0);
	CHECK(!efi_memmap_to_boot_info(m->buf, m->size, 32, bi));     /* < 40 */
	CHECK(!efi_memmap_to_boot_info(m->buf, m->size, 44, bi));     /* % 8 */
	CHECK(!efi_memmap_to_boot_info(m->buf, m->size - 8, 48, bi)); /* tail */
	CHECK(!efi_memmap_to_boot_info(m->buf, m->size, 0, bi));
	CHECK_EQ(bi->mmap.count, 0);
	CHECK(efi_memmap_to_boot_info(m->buf, 0, 48, bi));   /* empty map */
}

TEST(efi_memmap_rejects_overflowing_ranges)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, 40);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0, 1ull << 52, 0);    /* 2^64 bytes */
	CHECK(!convert(m, bi));
	map_init(m, 40);
	map_add(m, EFI_MMAP_CONVENTIONAL, UINT64_MAX - PAGE + 1, 2, 0);
	CHECK(!convert(m, bi));
	/* Ranges end below 2^64: the last page cannot be described. */
	map_init(m, 40);
	map_add(m, EFI_MMAP_RESERVED, UINT64_MAX - PAGE + 1, 1, 0);
	CHECK(!convert(m, bi));
	map_init(m, 40);
	map_add(m, EFI_MMAP_RESERVED, UINT64_MAX - 2 * PAGE + 1, 1, 0);
	CHECK(convert(m, bi));
	CHECK_EQ(bi->mmap.count, 1);
	CHECK_EQ(bi->mmap.ranges[0].length, PAGE);
}

/* More descriptors than boot_info has slots: merging makes them fit. */
TEST(efi_memmap_many_mergeable_descriptors_fit)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();
	const uint32_t n = MEMMAP_MAX * 3;

	map_init(m, 40);
	for (uint32_t i = 0; i < n; i++)
		map_add(m, i % 2 ? EFI_MMAP_BOOT_SERVICES_DATA
				 : EFI_MMAP_LOADER_DATA,
			0x100000 + i * PAGE, 1, 0);
	CHECK(convert(m, bi));
	CHECK_EQ(bi->mmap.count, 1);
	CHECK_EQ(bi->mmap.ranges[0].length, n * PAGE);
}

/* Ranges that cannot merge and do not fit: an error, not a silent cut. */
TEST(efi_memmap_too_many_ranges_fails)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, 40);
	for (uint32_t i = 0; i < MEMMAP_MAX + 1; i++)
		map_add(m, EFI_MMAP_CONVENTIONAL, i * 2 * PAGE, 1, 0);
	CHECK(!convert(m, bi));
}

/* Fewer descriptors than slots, but overlapping: one RAM range with 200
 * reserved pages inside cuts into 401 ranges.  The final sort-and-merge
 * dropped the highest ones and the conversion still said yes. */
TEST(efi_memmap_overlaps_that_do_not_fit_fail)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();

	map_init(m, 40);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0, 1024, 0);
	for (uint32_t i = 0; i < 200; i++)
		map_add(m, EFI_MMAP_RESERVED, (2 * i + 1) * PAGE, 1, 0);
	CHECK(!convert(m, bi));
	/* 100 holes (201 ranges) still fit. */
	bi = new_bi();
	m->size = 101 * m->desc_size;
	CHECK(convert(m, bi));
	CHECK_EQ(bi->mmap.count, 201);
}

/* The map OVMF (QEMU q35/pc, 256 MiB) reports before ExitBootServices,
 * abridged but with its shape: low RAM, the legacy hole, many small
 * boot-services pieces, ACPI, runtime pages and the flash MMIO. */
TEST(efi_memmap_ovmf_like_map)
{
	struct map_builder *m = &map_storage;
	struct boot_info *bi = new_bi();
	const uint64_t wb = 0xf, rt = 1ull << 63;

	map_init(m, OVMF_DESC_SIZE);
	map_add(m, EFI_MMAP_BOOT_SERVICES_CODE, 0x0, 1, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x1000, 0x9f, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x100000, 0x700, wb);
	map_add(m, EFI_MMAP_ACPI_NVS, 0x800000, 0x8, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x808000, 0x3, wb);
	map_add(m, EFI_MMAP_ACPI_NVS, 0x80b000, 0x1, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0x80c000, 0x4, wb);
	map_add(m, EFI_MMAP_ACPI_NVS, 0x810000, 0xf0, wb);
	map_add(m, EFI_MMAP_BOOT_SERVICES_DATA, 0x900000, 0x500, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0xe00000, 0xa000, wb);
	map_add(m, EFI_MMAP_LOADER_CODE, 0xae00000, 0x40, wb);
	map_add(m, EFI_MMAP_LOADER_DATA, 0xae40000, 0x20, wb);
	map_add(m, EFI_MMAP_BOOT_SERVICES_DATA, 0xae60000, 0x3000, wb);
	map_add(m, EFI_MMAP_BOOT_SERVICES_CODE, 0xde60000, 0x100, wb);
	map_add(m, EFI_MMAP_RUNTIME_SERVICES_DATA, 0xdf60000, 0x20, wb | rt);
	map_add(m, EFI_MMAP_RUNTIME_SERVICES_CODE, 0xdf80000, 0x20, wb | rt);
	map_add(m, EFI_MMAP_RESERVED, 0xdfa0000, 0x1, wb);
	map_add(m, EFI_MMAP_ACPI_RECLAIM, 0xdfa1000, 0xb, wb);
	map_add(m, EFI_MMAP_ACPI_NVS, 0xdfac000, 0x4, wb);
	map_add(m, EFI_MMAP_BOOT_SERVICES_DATA, 0xdfb0000, 0x40, wb);
	map_add(m, EFI_MMAP_CONVENTIONAL, 0xdff0000, 0x10, wb);
	map_add(m, EFI_MMAP_RESERVED, 0xe0000000, 0x10000, 0x1);
	map_add(m, EFI_MMAP_MMIO, 0xffc00000, 0x400, 0x1 | rt);
	CHECK(convert(m, bi));

	static const struct mem_range want[] = {
		{ 0x0, 0x1000, MEM_BOOT_SERVICES },
		{ 0x1000, 0x9f000, MEM_USABLE },
		{ 0x100000, 0x700000, MEM_USABLE },
		{ 0x800000, 0x8000, MEM_ACPI_NVS },
		{ 0x808000, 0x3000, MEM_USABLE },
		{ 0x80b000, 0x1000, MEM_ACPI_NVS },
		{ 0x80c000, 0x4000, MEM_USABLE },
		{ 0x810000, 0xf0000, MEM_ACPI_NVS },
		{ 0x900000, 0x500000, MEM_BOOT_SERVICES },
		{ 0xe00000, 0xa000000, MEM_USABLE },
		{ 0xae00000, 0x3160000, MEM_BOOT_SERVICES },
		{ 0xdf60000, 0x40000, MEM_FW_RUNTIME },
		{ 0xdfa0000, 0x1000, MEM_RESERVED },
		{ 0xdfa1000, 0xb000, MEM_ACPI_RECLAIM },
		{ 0xdfac000, 0x4000, MEM_ACPI_NVS },
		{ 0xdfb0000, 0x40000, MEM_BOOT_SERVICES },
		{ 0xdff0000, 0x10000, MEM_USABLE },
		{ 0xe0000000, 0x10000000, MEM_RESERVED },
		{ 0xffc00000, 0x400000, MEM_MMIO },
	};
	const uint32_t n = sizeof(want) / sizeof(want[0]);

	CHECK_EQ(bi->mmap.count, n);
	for (uint32_t i = 0; i < n; i++) {
		CHECK_EQ(bi->mmap.ranges[i].base, want[i].base);
		CHECK_EQ(bi->mmap.ranges[i].length, want[i].length);
		CHECK_EQ(bi->mmap.ranges[i].type, want[i].type);
	}
}

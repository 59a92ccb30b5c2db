/* Unit tests for the hypervisor's placement decision (mm/place.c) and the
 * relocation of a copied image (boot/image_reloc.c). */
#include "boot/image_reloc.h"
#include "mm/place.h"
#include "tests/unit/test.h"

#define KIB(x) ((uint64_t)(x) << 10)
#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)

/* hv.elf's extent as GRUB loads it (linker/hv-mb2.ld: 4 MiB, 2 MiB). */
#define MB2_IMAGE_BASE MIB(4)
#define MB2_IMAGE_SIZE MIB(2)

static struct pmm scratch;
static struct memmap map_store;
static struct mm_layout layout_store;

/* A fresh layout with the multiboot2 image at its link address. */
static struct mm_layout *new_layout(void)
{
	memset(&map_store, 0, sizeof(map_store));
	memset(&layout_store, 0, sizeof(layout_store));
	layout_store.map = &map_store;
	layout_store.image = (struct mem_extent){ MB2_IMAGE_BASE,
						  MB2_IMAGE_SIZE };
	return &layout_store;
}

static void map_add(uint64_t base, uint64_t len, uint32_t type)
{
	map_store.ranges[map_store.count++] =
		(struct mem_range){ base, len, type };
}

static void module_add(struct mm_layout *l, uint64_t base, uint64_t size)
{
	l->modules[l->module_count++] = (struct mem_extent){ base, size };
}

/* The image's block [image - pool, image + span) is free RAM of the map,
 * clear of the first MiB, the old image and every module. */
static int block_is_clear(const struct mm_layout *l, uint64_t image)
{
	uint64_t base = image - PMM_POOL_BYTES;
	uint64_t end = image + hv_place_image_span(l->image.size);

	if (base % HV_PLACE_ALIGN || end > SIZE_4G || base < MIB(1))
		return 0;
	if (base < l->image.base + l->image.size && l->image.base < end)
		return 0;
	for (uint32_t i = 0; i < l->module_count; i++)
		if (base < l->modules[i].base + l->modules[i].size &&
		    l->modules[i].base < end)
			return 0;
	return 1;
}

TEST(place_span_rounds_to_2m)
{
	CHECK_EQ(hv_place_image_span(0), 0);
	CHECK_EQ(hv_place_image_span(1), MIB(2));
	CHECK_EQ(hv_place_image_span(KIB(408)), MIB(2));
	CHECK_EQ(hv_place_image_span(MIB(2)), MIB(2));
	CHECK_EQ(hv_place_image_span(MIB(2) + 1), MIB(4));
}

/* Bochs's BIOS (megs: 256): the image goes to the top 2 MiB block under
 * the ACPI tables, its pool right below; the guest keeps 1 MiB up to the
 * pool as one block. */
TEST(place_bochs_bios_256m)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9f000, MEM_USABLE);
	map_add(0x9f000, 0x1000, MEM_RESERVED);
	map_add(0xe8000, 0x18000, MEM_RESERVED);
	map_add(MIB(1), 0xfff0000 - MIB(1), MEM_USABLE);
	map_add(0xfff0000, 0x10000, MEM_ACPI_RECLAIM);
	map_add(0xfffc0000, 0x40000, MEM_RESERVED);
	module_add(l, 0x106000, 237056);           /* the test guest */
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	CHECK_EQ(image, 0xfc00000);
	CHECK(block_is_clear(l, image));
}

/* QEMU/SeaBIOS (128 MiB, as GRUB 2.06 reports it) with a 1 TiB reserved
 * range far above: only RAM below 4 GiB counts. */
TEST(place_qemu_seabios_128m)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9fc00, MEM_USABLE);
	map_add(0x9fc00, 0x400, MEM_RESERVED);
	map_add(0xf0000, 0x10000, MEM_RESERVED);
	map_add(MIB(1), 0x7ee0000, MEM_USABLE);
	map_add(0x7fe0000, 0x20000, MEM_RESERVED);
	map_add(0xfffc0000, 0x40000, MEM_RESERVED);
	map_add(0xfd00000000ull, 0x300000000ull, MEM_RESERVED);
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	CHECK_EQ(image, 0x7c00000);
	CHECK(block_is_clear(l, image));
}

/* More RAM than fits below 4 GiB: the top of the low RAM, under the PCI
 * hole; RAM above 4 GiB is never chosen. */
TEST(place_ram_above_4g)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9fc00, MEM_USABLE);
	map_add(MIB(1), GIB(3) - MIB(1), MEM_USABLE);
	map_add(GIB(3), GIB(1), MEM_RESERVED);
	map_add(GIB(4), GIB(4), MEM_USABLE);
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	CHECK_EQ(image, GIB(3) - MIB(2));
}

/* OVMF (QEMU, 256 MiB) after ExitBootServices, as boot/efi_memmap.c
 * converts it (tests/unit/test_efi_memmap.c): boot-services memory is not
 * free yet (it holds the firmware's stack, page tables and the loaded
 * image), so the block lies in the conventional memory below it. */
TEST(place_ovmf_256m)
{
	struct mm_layout *l = new_layout();
	map_add(0x0, 0x1000, MEM_BOOT_SERVICES);
	map_add(0x1000, 0x9f000, MEM_USABLE);
	map_add(0x100000, 0x700000, MEM_USABLE);
	map_add(0x800000, 0x8000, MEM_ACPI_NVS);
	map_add(0x808000, 0x3000, MEM_USABLE);
	map_add(0x80b000, 0x1000, MEM_ACPI_NVS);
	map_add(0x80c000, 0x4000, MEM_USABLE);
	map_add(0x810000, 0xf0000, MEM_ACPI_NVS);
	map_add(0x900000, 0x500000, MEM_BOOT_SERVICES);
	map_add(0xe00000, 0xa000000, MEM_USABLE);
	map_add(0xae00000, 0x3160000, MEM_BOOT_SERVICES);
	map_add(0xdf60000, 0x40000, MEM_FW_RUNTIME);
	map_add(0xdfa0000, 0x1000, MEM_RESERVED);
	map_add(0xdfa1000, 0xb000, MEM_ACPI_RECLAIM);
	map_add(0xdfac000, 0x4000, MEM_ACPI_NVS);
	map_add(0xdfb0000, 0x40000, MEM_BOOT_SERVICES);
	map_add(0xdff0000, 0x10000, MEM_USABLE);
	map_add(0xe0000000, 0x10000000, MEM_RESERVED);
	map_add(0xffc00000, 0x400000, MEM_MMIO);
	/* hv.efi where OVMF loaded it (loader code), a module beside it. */
	l->image = (struct mem_extent){ 0xae00000, KIB(408) };
	module_add(l, 0xac00000, MIB(1));
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	/* [0xe00000, 0xae00000) holds the block; the module at 0xac00000
	 * pushes it down to the 2 MiB boundary below the module. */
	CHECK_EQ(image, 0xaa00000);
	CHECK(block_is_clear(l, image));
}

/* A fragmented map: the top RAM comes in pieces too small for the block,
 * a module sits in the largest high piece, and the block goes to the
 * highest place that really holds 18 MiB. */
TEST(place_fragmented_map)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9f000, MEM_USABLE);
	map_add(MIB(1), MIB(63), MEM_USABLE);          /* 1-64 MiB */
	map_add(MIB(64), MIB(1), MEM_RESERVED);
	map_add(MIB(65), MIB(30), MEM_USABLE);         /* 65-95 MiB */
	map_add(MIB(95), KIB(4), MEM_ACPI_NVS);
	map_add(MIB(95) + KIB(4), MIB(17), MEM_USABLE); /* 17 MiB: too small */
	map_add(MIB(112) + KIB(4), MIB(4), MEM_RESERVED);
	map_add(MIB(116) + KIB(4), MIB(10), MEM_USABLE);
	map_add(MIB(126) + KIB(4), MIB(2), MEM_ACPI_RECLAIM);
	module_add(l, MIB(80), MIB(1));                /* an initrd */
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	/* 65-80 MiB is 15 MiB, 81-95 is 14: neither holds 18 MiB, so the
	 * block goes to 1-64 MiB, at its top (clear of the image at 4 MiB). */
	CHECK_EQ(image, MIB(62));
	CHECK(block_is_clear(l, image));
}

/* No block holds the image and its pool: the image stays (0). */
TEST(place_no_room)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9f000, MEM_USABLE);
	map_add(MIB(1), MIB(19), MEM_USABLE);          /* 1-20 MiB */
	CHECK_EQ(hv_place_image(&scratch, l, PMM_POOL_BYTES), 0);
	/* Without the image in the way 1-20 MiB would hold 18 MiB at 2: the
	 * present image is never overlapped. */
	l->image.size = 0;
	CHECK_EQ(hv_place_image(&scratch, l, PMM_POOL_BYTES), 0);
}

/* Modules at the top of RAM (a large initrd) push the block below them. */
TEST(place_avoids_modules_at_top)
{
	struct mm_layout *l = new_layout();
	map_add(0, 0x9f000, MEM_USABLE);
	map_add(MIB(1), MIB(255), MEM_USABLE);
	module_add(l, MIB(200), MIB(56));
	l->rsdp = MIB(199) + 0x10;
	uint64_t image = hv_place_image(&scratch, l, PMM_POOL_BYTES);
	CHECK_EQ(image, MIB(196));
	CHECK(block_is_clear(l, image));
}

/* The pool's exact-range take (mm/pmm.c) used right below the image. */
TEST(pmm_take_exact_range)
{
	pmm_reset(&scratch);
	pmm_range_add(&scratch, MIB(1), MIB(9));
	CHECK(!pmm_range_take(&scratch, MIB(8), MIB(4)));   /* spills out */
	CHECK(!pmm_range_take(&scratch, MIB(2) + 1, MIB(1))); /* unaligned */
	CHECK(!pmm_range_take(&scratch, MIB(2), 0));
	CHECK(pmm_range_take(&scratch, MIB(4), MIB(2)));
	CHECK_EQ(scratch.count, 2);
	CHECK(!pmm_range_take(&scratch, MIB(5), KIB(4)));   /* taken */
	CHECK_EQ(pmm_free_pages(&scratch), MIB(7) / PAGE_SIZE);
}

/* ---- relocating a copy --------------------------------------------------- */

#define LINK_BASE 0x400000ull

static uint64_t word_at(const uint8_t *buf, uint64_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

TEST(image_relocate_relative)
{
	uint8_t copy[64];
	const struct elf64_rela rela[] = {
		{ LINK_BASE + 8, R_X86_64_RELATIVE, 0x20 },
		{ LINK_BASE + 0, R_X86_64_NONE, 0 },
		{ LINK_BASE + 56, R_X86_64_RELATIVE, 0x1000 },
	};

	memset(copy, 0xaa, sizeof(copy));
	CHECK(image_relocate(copy, sizeof(copy), rela, 3, LINK_BASE,
			     0xfc00000));
	CHECK_EQ(word_at(copy, 8), 0xfc00000 - LINK_BASE + 0x20);
	CHECK_EQ(word_at(copy, 56), 0xfc00000 - LINK_BASE + 0x1000);
	CHECK_EQ(word_at(copy, 0), 0xaaaaaaaaaaaaaaaaull);  /* NONE: kept */
	/* Linked at 0 (hv.efi): the offset and addend are image offsets. */
	const struct elf64_rela efi = { 16, R_X86_64_RELATIVE, 0x30 };
	CHECK(image_relocate(copy, sizeof(copy), &efi, 1, 0, 0xe200000));
	CHECK_EQ(word_at(copy, 16), 0xe200030);
}

TEST(image_relocate_refuses_what_it_cannot_do)
{
	uint8_t copy[64];
	const struct elf64_rela other_type = { LINK_BASE, 1 /* R_X86_64_64 */, 0 };
	const struct elf64_rela past_end = { LINK_BASE + 57, R_X86_64_RELATIVE, 0 };
	const struct elf64_rela below = { LINK_BASE - 8, R_X86_64_RELATIVE, 0 };
	const struct elf64_rela huge = { UINT64_MAX, R_X86_64_RELATIVE, 0 };

	CHECK(!image_relocate(copy, sizeof(copy), &other_type, 1, LINK_BASE, 0));
	CHECK(!image_relocate(copy, sizeof(copy), &past_end, 1, LINK_BASE, 0));
	CHECK(!image_relocate(copy, sizeof(copy), &below, 1, LINK_BASE, 0));
	CHECK(!image_relocate(copy, sizeof(copy), &huge, 1, LINK_BASE, 0));
	/* An image without relocations moves as it is. */
	CHECK(image_relocate(copy, sizeof(copy), NULL, 0, LINK_BASE, 0));
}

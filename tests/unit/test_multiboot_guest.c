/*
 * The multiboot (v1) guest loader's pure parts: image parsing
 * (guest/multiboot/image.c) on synthetic a.out-kludge, ELF32 and ELF64 images
 * built by the helpers below, and the boot information builder
 * (guest/multiboot/info.c) writing into an ordinary buffer standing in for guest
 * memory.
 */
#include <stdlib.h>

#include "guest/multiboot/elf.h"
#include "guest/multiboot/image.h"
#include "guest/multiboot/info.h"
#include "guest/multiboot/multiboot.h"
#include "tests/unit/test.h"

#define IMG_MAX   0x4000
#define MiB       0x100000ull
#define ERR_MAX   256

static uint8_t img[IMG_MAX];
static struct mb1_image out;
static char err[ERR_MAX];

/* ---- image builders ------------------------------------------------------ */

static void put_header(size_t off, uint32_t flags)
{
	uint32_t h[3] = { MB1_HEADER_MAGIC, flags, -(MB1_HEADER_MAGIC + flags) };

	memcpy(img + off, h, sizeof(h));
}

struct aout {
	size_t header_off;
	uint32_t flags;             /* MB1_HEADER_AOUT_KLUDGE is added */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry;
};

static void build_aout(const struct aout *a)
{
	struct mb1_header h = {
		.magic = MB1_HEADER_MAGIC,
		.flags = a->flags | MB1_HEADER_AOUT_KLUDGE,
		.header_addr = a->header_addr, .load_addr = a->load_addr,
		.load_end_addr = a->load_end_addr,
		.bss_end_addr = a->bss_end_addr, .entry_addr = a->entry,
	};

	memset(img, 0, sizeof(img));
	h.checksum = -(h.magic + h.flags);
	memcpy(img + a->header_off, &h, MB1_HEADER_ADDR_SIZE);
}

/* A typical kernel at 1 MiB: header at file offset 0, 0x1000 bytes of
 * file, 0x2000 bytes of bss. */
static struct aout aout_default(void)
{
	return (struct aout){
		.header_addr = MiB, .load_addr = MiB,
		.load_end_addr = MiB + 0x1000, .bss_end_addr = MiB + 0x3000,
		.entry = MiB + 0x20,
	};
}

static bool parse(size_t size)
{
	return mb1_image_parse(img, size, &out, err, sizeof(err));
}

/* Parsing fails and the reason contains `want`. */
static bool rejects(size_t size, const char *want)
{
	if (parse(size)) {
		printf("    accepted, expected \"%s\"\n", want);
		return false;
	}
	if (!strstr(err, want)) {
		printf("    reason \"%s\", expected \"%s\"\n", err, want);
		return false;
	}
	return true;
}

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

#define ELF_PHOFF      0x40
#define ELF_MB_OFFSET  0x800    /* multiboot header, after the phdrs */

static void build_elf32(uint16_t machine, uint32_t entry,
			const struct phdr *ph, uint16_t phnum)
{
	struct elf32_ehdr e = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, 1 },
		.e_type = 2, .e_machine = machine, .e_version = 1,
		.e_entry = entry, .e_phoff = ELF_PHOFF,
		.e_ehsize = sizeof(e), .e_phentsize = sizeof(struct elf32_phdr),
		.e_phnum = phnum,
	};

	memset(img, 0, sizeof(img));
	memcpy(img, &e, sizeof(e));
	for (uint16_t i = 0; i < phnum; i++) {
		struct elf32_phdr p = {
			.p_type = ph[i].type, .p_offset = ph[i].offset,
			.p_vaddr = ph[i].vaddr, .p_paddr = ph[i].paddr,
			.p_filesz = ph[i].filesz, .p_memsz = ph[i].memsz,
		};
		memcpy(img + ELF_PHOFF + i * sizeof(p), &p, sizeof(p));
	}
	put_header(ELF_MB_OFFSET, MB1_HEADER_PAGE_ALIGN |
			  MB1_HEADER_MEMORY_INFO);
}

static void build_elf64(uint16_t machine, uint64_t entry,
			const struct phdr *ph, uint16_t phnum)
{
	struct elf64_ehdr e = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1 },
		.e_type = 2, .e_machine = machine, .e_version = 1,
		.e_entry = entry, .e_phoff = ELF_PHOFF,
		.e_ehsize = sizeof(e), .e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = phnum,
	};

	memset(img, 0, sizeof(img));
	memcpy(img, &e, sizeof(e));
	for (uint16_t i = 0; i < phnum; i++) {
		struct elf64_phdr p = {
			.p_type = ph[i].type, .p_offset = ph[i].offset,
			.p_vaddr = ph[i].vaddr, .p_paddr = ph[i].paddr,
			.p_filesz = ph[i].filesz, .p_memsz = ph[i].memsz,
		};
		memcpy(img + ELF_PHOFF + i * sizeof(p), &p, sizeof(p));
	}
	put_header(ELF_MB_OFFSET, MB1_HEADER_MEMORY_INFO);
}

/* ---- header search ------------------------------------------------------- */

TEST(mb1_too_short)
{
	memset(img, 0, sizeof(img));
	CHECK(rejects(8, "file is 8 bytes, too short"));
}

TEST(mb1_no_header)
{
	memset(img, 0, sizeof(img));
	CHECK(rejects(IMG_MAX, "no multiboot header"));
	/* Magic only at an unaligned offset does not count. */
	put_header(0x102, 0);
	CHECK(rejects(IMG_MAX, "no multiboot header"));
}

TEST(mb1_header_search_limit)
{
	struct aout a = aout_default();

	/* Last place a header may start: its 12 magic bytes end at 8192. */
	a.header_off = MB1_HEADER_SEARCH_LIMIT - MB1_HEADER_MAGIC_SIZE;
	a.header_addr = a.load_addr + a.header_off;
	a.load_end_addr = 0;
	a.bss_end_addr = 0;
	build_aout(&a);
	CHECK(parse(IMG_MAX));
	CHECK_EQ(out.header_offset, a.header_off);
	/* 4 bytes later it is out of reach. */
	memset(img, 0, sizeof(img));
	put_header(MB1_HEADER_SEARCH_LIMIT - MB1_HEADER_MAGIC_SIZE + 4, 0);
	CHECK(rejects(IMG_MAX, "no multiboot header"));
}

TEST(mb1_bad_checksum)
{
	build_aout(&(struct aout){ 0 });
	img[8] ^= 1;
	CHECK(rejects(0x100, "offset 0 has a bad checksum"));
}

TEST(mb1_bad_checksum_then_good_header)
{
	struct aout a = aout_default();

	a.header_off = 0x20;
	a.header_addr = MiB + 0x20;
	build_aout(&a);
	put_header(0x0, 0);
	img[8] ^= 1;
	CHECK(parse(0x1000));
	CHECK_EQ(out.header_offset, 0x20);
}

TEST(mb1_unsupported_required_flag)
{
	struct aout a = aout_default();

	a.flags = 1u << 3;
	build_aout(&a);
	CHECK(rejects(0x1000, "require feature bit(s) 0x8"));
	a.flags = 1u << 15;
	build_aout(&a);
	CHECK(rejects(0x1000, "0x8000 this loader does not support"));
}

TEST(mb1_optional_flags_accepted)
{
	struct aout a = aout_default();

	/* Video (required bit 2, ignored) and an unknown optional bit. */
	a.flags = MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO |
		  MB1_HEADER_VIDEO_MODE | (1u << 20);
	build_aout(&a);
	CHECK(parse(0x1000));
	CHECK(out.header_flags & MB1_HEADER_VIDEO_MODE);
}

/* ---- a.out kludge -------------------------------------------------------- */

TEST(mb1_aout_basic)
{
	struct aout a = aout_default();

	build_aout(&a);
	CHECK(parse(0x1000));
	CHECK_EQ(out.format, MB1_FORMAT_AOUT_KLUDGE);
	CHECK_STR(mb1_format_name(out.format), "a.out kludge");
	CHECK_EQ(out.segment_count, 1);
	CHECK_EQ(out.segments[0].dest, MiB);
	CHECK_EQ(out.segments[0].file_offset, 0);
	CHECK_EQ(out.segments[0].file_size, 0x1000);
	CHECK_EQ(out.segments[0].mem_size, 0x3000);
	CHECK_EQ(out.entry, MiB + 0x20);
}

TEST(mb1_aout_header_inside_text)
{
	struct aout a = aout_default();

	/* Header 0x40 into the text, which starts 0x20 into the file. */
	a.header_off = 0x60;
	a.header_addr = MiB + 0x40;
	build_aout(&a);
	CHECK(parse(0x1020));
	CHECK_EQ(out.segments[0].file_offset, 0x20);
	CHECK_EQ(out.segments[0].file_size, 0x1000);
}

TEST(mb1_aout_load_to_end_no_bss)
{
	struct aout a = aout_default();

	a.load_end_addr = 0;
	a.bss_end_addr = 0;
	build_aout(&a);
	CHECK(parse(0x1800));
	CHECK_EQ(out.segments[0].file_size, 0x1800);
	CHECK_EQ(out.segments[0].mem_size, 0x1800);
}

TEST(mb1_aout_truncated_header)
{
	struct aout a = aout_default();

	build_aout(&a);
	CHECK(rejects(MB1_HEADER_MAGIC_SIZE + 4, "is truncated"));
}

TEST(mb1_aout_load_addr_above_header_addr)
{
	struct aout a = aout_default();

	a.load_addr = MiB + 0x10;
	build_aout(&a);
	CHECK(rejects(0x1000, "load_addr 0x100010 is above header_addr"));
}

TEST(mb1_aout_start_before_file)
{
	struct aout a = aout_default();

	a.header_off = 0x10;
	a.header_addr = MiB + 0x20;
	build_aout(&a);
	CHECK(rejects(0x1000, "would start before the file"));
}

TEST(mb1_aout_load_end_not_above_load)
{
	struct aout a = aout_default();

	a.load_end_addr = MiB;
	build_aout(&a);
	CHECK(rejects(0x1000, "load_end_addr 0x100000 is not above"));
}

TEST(mb1_aout_segment_beyond_file)
{
	struct aout a = aout_default();

	build_aout(&a);
	CHECK(rejects(0xfff, "but the file is 4095 bytes"));
}

TEST(mb1_aout_bss_below_load_end)
{
	struct aout a = aout_default();

	a.bss_end_addr = MiB + 0x800;
	build_aout(&a);
	CHECK(rejects(0x1000, "bss_end_addr 0x100800 is below"));
}

TEST(mb1_aout_above_4g)
{
	struct aout a = aout_default();

	a.header_addr = a.load_addr = 0xfffff000;
	a.load_end_addr = 0;
	a.bss_end_addr = 0;
	a.entry = 0xfffff000;
	build_aout(&a);
	CHECK(rejects(0x2000, "reaches above 4 GiB"));
}

TEST(mb1_aout_entry_outside)
{
	struct aout a = aout_default();

	a.entry = MiB + 0x1000;     /* in the bss: not loaded code */
	build_aout(&a);
	CHECK(rejects(0x1000, "entry point 0x101000 lies outside"));
}

/* ---- ELF ----------------------------------------------------------------- */

TEST(mb1_elf32_segments_and_entry)
{
	const struct phdr ph[] = {
		{ PT_LOAD, 0x1000, 0xc0100000, MiB, 0x800, 0x800 },
		{ 4 /* PT_NOTE */, 0x1800, 0, 0, 0x10, 0x10 },
		{ PT_LOAD, 0x2000, 0xc0200000, 2 * MiB, 0x100, 0x4000 },
		{ PT_LOAD, 0x2100, 0xc0300000, 3 * MiB, 0, 0 },
	};

	build_elf32(EM_386, 0xc0100010, ph, 4);
	CHECK(parse(0x2100));
	CHECK_EQ(out.format, MB1_FORMAT_ELF32);
	CHECK_EQ(out.segment_count, 2);
	CHECK_EQ(out.segments[0].dest, MiB);
	CHECK_EQ(out.segments[0].file_offset, 0x1000);
	CHECK_EQ(out.segments[1].dest, 2 * MiB);
	CHECK_EQ(out.segments[1].file_size, 0x100);
	CHECK_EQ(out.segments[1].mem_size, 0x4000);
	CHECK_EQ(out.entry, MiB + 0x10);    /* virtual entry made physical */
}

TEST(mb1_elf64_basic)
{
	const struct phdr ph[] = {
		{ PT_LOAD, 0x1000, 0xffffffff80100000ull, MiB, 0x1000, 0x2000 },
	};

	build_elf64(EM_X86_64, 0xffffffff80100100ull, ph, 1);
	CHECK(parse(0x2000));
	CHECK_EQ(out.format, MB1_FORMAT_ELF64);
	CHECK_STR(mb1_format_name(out.format), "ELF64");
	CHECK_EQ(out.entry, MiB + 0x100);
}

TEST(mb1_elf_bad_magic)
{
	memset(img, 0, sizeof(img));
	put_header(0x100, 0);
	CHECK(rejects(0x1000, "not an ELF file (bad magic)"));
}

TEST(mb1_elf_bad_class)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 16, 16 } };

	build_elf32(EM_386, MiB, ph, 1);
	img[EI_CLASS] = 3;
	CHECK(rejects(0x2000, "ELF class 3 is neither"));
}

TEST(mb1_elf_bad_machine)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 16, 16 } };

	build_elf32(EM_X86_64, MiB, ph, 1);
	CHECK(rejects(0x2000, "ELF32 machine 62 is not EM_386"));
	build_elf64(EM_386, MiB, ph, 1);
	CHECK(rejects(0x2000, "ELF64 machine 3 is not EM_X86_64"));
}

TEST(mb1_elf_bad_phentsize)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 16, 16 } };

	build_elf64(EM_X86_64, MiB, ph, 1);
	img[offsetof(struct elf64_ehdr, e_phentsize)] = 32;
	CHECK(rejects(0x2000, "ELF64 e_phentsize 32 is not 56"));
}

TEST(mb1_elf_truncated_header)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 16, 16 } };

	build_elf64(EM_X86_64, MiB, ph, 1);
	/* Keep a header the search can find, but cut the ELF header. */
	memmove(img + 0x20, img + ELF_MB_OFFSET, MB1_HEADER_MAGIC_SIZE);
	CHECK(rejects(0x2c, "ELF64 header truncated"));
}

TEST(mb1_elf_phdrs_beyond_file)
{
	const struct phdr ph[] = { { PT_LOAD, 0x100, MiB, MiB, 16, 16 } };

	build_elf32(EM_386, MiB, ph, 1);
	img[offsetof(struct elf32_ehdr, e_phnum)] = 200;
	CHECK(rejects(0x1000, "ELF program headers [0x40, 0x1940) lie beyond"));
}

TEST(mb1_elf_segment_beyond_file)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 0x1001, 0x2000 } };

	build_elf32(EM_386, MiB, ph, 1);
	CHECK(rejects(0x2000, "program header 0: file bytes [0x1000, 0x2001) "
			      "lie beyond"));
}

TEST(mb1_elf_filesz_above_memsz)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 0x200, 0x100 } };

	build_elf32(EM_386, MiB, ph, 1);
	CHECK(rejects(0x2000, "p_filesz 0x200 exceeds p_memsz 0x100"));
}

TEST(mb1_elf_no_loadable_segment)
{
	const struct phdr ph[] = { { 4, 0x1000, MiB, MiB, 16, 16 } };

	build_elf32(EM_386, MiB, ph, 1);
	CHECK(rejects(0x2000, "no loadable segment"));
	build_elf32(EM_386, MiB, ph, 0);
	CHECK(rejects(0x2000, "no loadable segment"));
}

TEST(mb1_elf_too_many_segments)
{
	struct phdr ph[MB1_SEGMENTS_MAX + 1];

	for (int i = 0; i <= MB1_SEGMENTS_MAX; i++)
		ph[i] = (struct phdr){ PT_LOAD, 0x1000, MiB + i * 0x1000,
				       MiB + i * 0x1000, 16, 16 };
	build_elf32(EM_386, MiB, ph, MB1_SEGMENTS_MAX);
	CHECK(parse(0x2000));
	build_elf32(EM_386, MiB, ph, MB1_SEGMENTS_MAX + 1);
	CHECK(rejects(0x2000, "more than 16 loadable segments"));
}

TEST(mb1_elf64_above_4g)
{
	const struct phdr ph[] = {
		{ PT_LOAD, 0x1000, 0x100000000ull, 0x100000000ull, 16, 16 },
	};

	build_elf64(EM_X86_64, 0x100000000ull, ph, 1);
	CHECK(rejects(0x2000, "segment 0 [0x100000000, 0x100000010) reaches "
			      "above 4 GiB"));
}

TEST(mb1_elf64_wraps)
{
	const struct phdr ph[] = {
		{ PT_LOAD, 0x1000, 0, 0xfffffffffffff000ull, 16, 0x2000 },
	};

	build_elf64(EM_X86_64, 0, ph, 1);
	CHECK(rejects(0x2000, "wraps around the address space"));
}

TEST(mb1_elf_overlapping_segments)
{
	const struct phdr ph[] = {
		{ PT_LOAD, 0x1000, MiB, MiB, 0x100, 0x2000 },
		{ PT_LOAD, 0x1100, MiB + 0x1000, MiB + 0x1000, 0x100, 0x100 },
	};

	build_elf32(EM_386, MiB, ph, 2);
	CHECK(rejects(0x2000, "segments 0 and 1 overlap at 0x101000"));
}

TEST(mb1_elf_entry_outside)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 0x100, 0x100 } };

	build_elf32(EM_386, 2 * MiB, ph, 1);
	CHECK(rejects(0x2000, "entry point 0x200000 lies outside"));
}

TEST(mb1_aout_kludge_wins_over_elf)
{
	const struct phdr ph[] = { { PT_LOAD, 0x1000, MiB, MiB, 0x100, 0x100 } };
	struct mb1_header h = {
		.magic = MB1_HEADER_MAGIC, .flags = MB1_HEADER_AOUT_KLUDGE,
		.header_addr = 4 * MiB + ELF_MB_OFFSET, .load_addr = 4 * MiB,
		.load_end_addr = 4 * MiB + 0x1000, .entry_addr = 4 * MiB + 0x900,
	};

	build_elf64(EM_X86_64, MiB, ph, 1);
	h.checksum = -(h.magic + h.flags);
	memcpy(img + ELF_MB_OFFSET, &h, MB1_HEADER_ADDR_SIZE);
	CHECK(parse(0x2000));
	CHECK_EQ(out.format, MB1_FORMAT_AOUT_KLUDGE);
	CHECK_EQ(out.segments[0].dest, 4 * MiB);
}

/* ---- boot information ---------------------------------------------------- */

#define INFO_BASE 0x7000000ull

static const struct mem_range test_map[] = {
	{ 0x0, 0x9fc00, MEM_USABLE },
	{ 0x9fc00, 0x400, MEM_RESERVED },
	{ 0xf0000, 0x10000, MEM_RESERVED },
	{ MiB, 7 * MiB, MEM_USABLE },
	{ 8 * MiB, MiB, MEM_RESERVED },           /* the hypervisor */
	{ 9 * MiB, 0x7f00000 - 9 * MiB, MEM_USABLE },
	{ 0x7f00000, 0x80000, MEM_ACPI_RECLAIM },
	{ 0x7f80000, 0x80000, MEM_ACPI_NVS },
	{ 0xfec00000, 0x1000, MEM_MMIO },
	{ 0x100000000ull, 0x1000, MEM_BAD },
};
#define TEST_MAP_COUNT (sizeof(test_map) / sizeof(test_map[0]))

static struct boot_module test_modules[4];

static struct mb1_info_params test_params(void)
{
	memset(test_modules, 0, sizeof(test_modules));
	test_modules[0] = (struct boot_module){ 0x2000000, 0x5000, "guest",
						"console=ttyS0" };
	test_modules[1] = (struct boot_module){ 0x2100000, 0x1234,
						"guest-module", "a=1 b" };
	test_modules[2] = (struct boot_module){ 0x2200000, 0x10, "linux", "" };
	test_modules[3] = (struct boot_module){ 0x2300000, 0x10,
						"guest-module", "" };
	return (struct mb1_info_params){
		.mmap = test_map, .mmap_count = TEST_MAP_COUNT,
		.cmdline = test_modules[0].cmdline,
		.modules = test_modules, .module_count = 4,
	};
}

/* The buffer standing in for guest memory at INFO_BASE. */
static uint8_t guest_buf[4096];

static const void *at(uint32_t gpa)
{
	return guest_buf + (gpa - INFO_BASE);
}

TEST(mb1_info_layout)
{
	struct mb1_info_params p = test_params();
	size_t size = mb1_info_size(&p);
	struct mb1_info info;
	struct mb1_module mod;
	struct mb1_mmap_entry e;

	CHECK(size < sizeof(guest_buf));
	memset(guest_buf, 0xcc, sizeof(guest_buf));
	CHECK(mb1_info_build(&p, INFO_BASE, guest_buf, size, err, sizeof(err)));
	CHECK_EQ(guest_buf[size], 0xcc);    /* nothing past the counted size */
	memcpy(&info, guest_buf, sizeof(info));
	CHECK_EQ(info.flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE |
			     MB1_INFO_MODS | MB1_INFO_MEM_MAP |
			     MB1_INFO_BOOT_LOADER_NAME);
	CHECK_EQ(info.mem_lower, 639);
	CHECK_EQ(info.mem_upper, 7 * 1024);
	CHECK_STR((const char *)at(info.cmdline), "console=ttyS0");
	CHECK_STR((const char *)at(info.boot_loader_name), "micro-hypervisor");
	CHECK_EQ(info.boot_device, 0);
	CHECK_EQ(info.mods_count, 2);
	CHECK_EQ(info.mods_addr % 8, 0);
	memcpy(&mod, at(info.mods_addr), sizeof(mod));
	CHECK_EQ(mod.mod_start, 0x2100000);
	CHECK_EQ(mod.mod_end, 0x2101234);
	CHECK_STR((const char *)at(mod.string), "a=1 b");
	CHECK_EQ(mod.reserved, 0);
	memcpy(&mod, at(info.mods_addr + sizeof(mod)), sizeof(mod));
	CHECK_EQ(mod.mod_start, 0x2300000);
	CHECK_STR((const char *)at(mod.string), "");
	CHECK_EQ(info.mmap_length, TEST_MAP_COUNT * 24);
	CHECK_EQ(info.mmap_addr % 8, 0);
	CHECK(info.mmap_addr + info.mmap_length <= INFO_BASE + size);
	memcpy(&e, at(info.mmap_addr), sizeof(e));
	CHECK_EQ(e.size, 20);
	CHECK_EQ(e.base_addr, 0);
	CHECK_EQ(e.length, 0x9fc00);
	CHECK_EQ(e.type, MB1_MEMORY_AVAILABLE);
	/* Walk the map the way a kernel does: size + 4 to the next entry. */
	uint32_t want[] = { 1, 2, 2, 1, 2, 1, 3, 4, 2, 5 };
	uint32_t pos = info.mmap_addr;

	for (uint32_t i = 0; i < TEST_MAP_COUNT; i++) {
		memcpy(&e, at(pos), sizeof(e));
		CHECK_EQ(e.type, want[i]);
		CHECK_EQ(e.base_addr, test_map[i].base);
		pos += e.size + 4;
	}
	CHECK_EQ(pos, info.mmap_addr + info.mmap_length);
}

TEST(mb1_info_memory_runs)
{
	const struct mem_range map[] = {
		/* Unsorted, unmerged neighbours; low RAM past 640 KiB. */
		{ 2 * MiB, 2 * MiB, MEM_USABLE },
		{ 0, MiB, MEM_USABLE },
		{ MiB, MiB, MEM_USABLE },
		{ 5 * MiB, MiB, MEM_USABLE },
	};
	struct mb1_info_params p = {
		.mmap = map, .mmap_count = 4, .cmdline = NULL,
	};
	struct mb1_info info;

	CHECK(mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			     sizeof(err)));
	memcpy(&info, guest_buf, sizeof(info));
	CHECK_EQ(info.mem_lower, 640);
	CHECK_EQ(info.mem_upper, 3 * 1024);
	CHECK_STR((const char *)at(info.cmdline), "");
	CHECK_EQ(info.mods_count, 0);
}

TEST(mb1_info_no_low_ram)
{
	const struct mem_range map[] = {
		{ 0x1000, 0x9000, MEM_USABLE },
		{ 0x200000, MiB, MEM_USABLE },
	};
	struct mb1_info_params p = { .mmap = map, .mmap_count = 2 };
	struct mb1_info info;

	CHECK(mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			     sizeof(err)));
	memcpy(&info, guest_buf, sizeof(info));
	CHECK_EQ(info.mem_lower, 0);
	CHECK_EQ(info.mem_upper, 0);
}

TEST(mb1_info_buffer_too_small)
{
	struct mb1_info_params p = test_params();
	size_t size = mb1_info_size(&p);

	CHECK(!mb1_info_build(&p, INFO_BASE, guest_buf, size - 1, err,
			      sizeof(err)));
	CHECK(strstr(err, "only"));
}

TEST(mb1_info_misplaced)
{
	struct mb1_info_params p = test_params();

	CHECK(!mb1_info_build(&p, INFO_BASE + 4, guest_buf, sizeof(guest_buf),
			      err, sizeof(err)));
	CHECK(strstr(err, "misaligned or above 4 GiB"));
	CHECK(!mb1_info_build(&p, 0xffffff00, guest_buf, sizeof(guest_buf),
			      err, sizeof(err)));
	CHECK(strstr(err, "misaligned or above 4 GiB"));
}

/* A block ending exactly at 4 GiB: the empty memory map placed last would
 * be told at address 0 (4 GiB cut to 32 bits).  Found by
 * tests/fuzz/fuzz_mb1_info.c. */
TEST(mb1_info_ending_at_4g)
{
	struct mb1_info_params p = test_params();
	size_t size;

	p.mmap_count = 0;
	size = mb1_info_size(&p);
	CHECK(!mb1_info_build(&p, MB1_ADDRESS_LIMIT - size, guest_buf,
			      sizeof(guest_buf), err, sizeof(err)));
	CHECK(strstr(err, "misaligned or above 4 GiB"));
	CHECK(mb1_info_build(&p, MB1_ADDRESS_LIMIT - size - MB1_INFO_ALIGN,
			     guest_buf, sizeof(guest_buf), err, sizeof(err)));
}

TEST(mb1_info_module_above_4g)
{
	struct mb1_info_params p = test_params();

	test_modules[3].base = 0xfffff000;
	test_modules[3].size = 0x2000;
	CHECK(!mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			      sizeof(err)));
	CHECK(strstr(err, "module 3 ('guest-module') at 0xfffff000"));
	/* A module with another role may live anywhere. */
	p = test_params();
	test_modules[2].base = 0x200000000ull;
	CHECK(mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			     sizeof(err)));
}

/* base + size wrapping past 2^64 to below 4 GiB is not "below 4 GiB": the
 * guest would be told a module at [0xffffffff, 0xffff27).  Found by
 * tests/fuzz/fuzz_mb1_info.c. */
TEST(mb1_info_module_wrapping_past_2_64)
{
	struct mb1_info_params p = test_params();

	test_modules[3].base = 0xffffffffffffffffull;
	test_modules[3].size = 0xffff28;
	CHECK(!mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			      sizeof(err)));
	CHECK(strstr(err, "module 3 ('guest-module') at 0xffffffffffffffff"));
}

/* mod_end is one past the last byte, in 32 bits: a module ending at 4 GiB
 * exactly would be told as ending at 0.  Found by
 * tests/fuzz/fuzz_mb1_info.c ([0, 4 GiB) told as [0, 0)). */
TEST(mb1_info_module_ending_at_4g)
{
	struct mb1_info_params p = test_params();

	test_modules[3].base = 0xfffff000;
	test_modules[3].size = 0x1000;
	CHECK(!mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			      sizeof(err)));
	CHECK(strstr(err, "module 3 ('guest-module') at 0xfffff000"));
	p = test_params();
	test_modules[3].base = 0xfffff000;
	test_modules[3].size = 0xfff;
	CHECK(mb1_info_build(&p, INFO_BASE, guest_buf, sizeof(guest_buf), err,
			     sizeof(err)));
}

TEST(mb1_mmap_types)
{
	CHECK_EQ(mb1_mmap_type(MEM_USABLE), 1);
	CHECK_EQ(mb1_mmap_type(MEM_RESERVED), 2);
	CHECK_EQ(mb1_mmap_type(MEM_ACPI_RECLAIM), 3);
	CHECK_EQ(mb1_mmap_type(MEM_ACPI_NVS), 4);
	CHECK_EQ(mb1_mmap_type(MEM_BAD), 5);
	CHECK_EQ(mb1_mmap_type(MEM_FW_RUNTIME), 2);
	CHECK_EQ(mb1_mmap_type(MEM_MMIO), 2);
	CHECK_EQ(mb1_mmap_type(MEM_PERSISTENT), 2);
	CHECK_EQ(mb1_mmap_type(0), 2);
}

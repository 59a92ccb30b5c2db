/*
 * Seed corpus for the fuzz targets: a few small well-formed inputs per
 * target, written as files <dir>/<target>/<seed>.  Generated at build time
 * (nothing binary is committed); the layouts follow the unit tests'
 * synthetic inputs and the formats' specifications.
 *
 *   usage: seeds DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/efi_memmap.h"
#include "boot/mb2/multiboot2.h"
#include "guest/acpi/tables.h"
#include "guest/linux/linux.h"
#include "guest/multiboot/elf.h"
#include "tests/unit/dmar_samples.h"
#include "guest/multiboot/multiboot.h"

#define SEED_MAX 16384

struct seed {
	uint8_t b[SEED_MAX];
	size_t len;                 /* bytes written: highest end so far */
};

static const char *out_dir;

static void put(struct seed *s, size_t off, const void *src, size_t len)
{
	if (off + len > SEED_MAX) {
		fprintf(stderr, "seeds: seed larger than %d bytes\n", SEED_MAX);
		exit(1);
	}
	memcpy(s->b + off, src, len);
	if (off + len > s->len)
		s->len = off + len;
}

static void put32(struct seed *s, size_t off, uint32_t v) { put(s, off, &v, 4); }
static void put64(struct seed *s, size_t off, uint64_t v) { put(s, off, &v, 8); }
static void put8(struct seed *s, size_t off, uint8_t v) { put(s, off, &v, 1); }

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
}

static void write_seed(const char *target, const char *name,
		       const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void write_buf(const char *target, const char *name,
		      const struct seed *s)
{
	write_seed(target, name, s->b, s->len);
}

static void write_text(const char *target, const char *name, const char *t)
{
	write_seed(target, name, t, strlen(t));
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t v = 0;

	while (n--)
		v += *p++;
	return v;
}

/* ---- ACPI: RSDP at 0, root table at 0x40, MADT, FADT, DSDT ------------- */
#define ROOT_AT  0x40
#define MADT_AT  0x100
#define FADT_AT  0x200
#define DSDT_AT  0x400

static void sdt_header(struct seed *s, size_t at, const char *sig,
		       uint32_t len)
{
	put(s, at, sig, 4);
	put32(s, at + 4, len);
	put8(s, at + 8, 1);
	put(s, at + 10, "FUZZ  ", 6);
}

static void sdt_finish(struct seed *s, size_t at)
{
	uint32_t len;

	memcpy(&len, s->b + at + 4, 4);
	put8(s, at + 9, 0);
	put8(s, at + 9, (uint8_t)-sum(s->b + at, len));
}

static void acpi_rsdp(struct seed *s, bool xsdt)
{
	put(s, 0, "RSD PTR ", 8);
	put(s, 9, "FUZZ  ", 6);
	put8(s, 15, xsdt ? 2 : 0);
	put32(s, 16, xsdt ? 0 : ROOT_AT);
	put32(s, 20, 36);
	put64(s, 24, xsdt ? ROOT_AT : 0);
	put8(s, 8, (uint8_t)-sum(s->b, 20));
	put8(s, 32, (uint8_t)-sum(s->b, 36));
}

static void acpi_madt(struct seed *s, bool x2apic)
{
	size_t e = MADT_AT + 44;

	put32(s, MADT_AT + 36, 0xfee00000u);
	put32(s, MADT_AT + 40, 1);
	for (uint8_t cpu = 0; cpu < 3; cpu++, e += 8) {
		uint8_t lapic[8] = { MADT_TYPE_LOCAL_APIC, 8, cpu, cpu,
				     cpu == 2 ? 0 : 1, 0, 0, 0 };
		put(s, e, lapic, 8);
	}
	uint8_t ioapic[12] = { MADT_TYPE_IO_APIC, 12, 0, 0, 0, 0, 0xc0, 0xfe };
	put(s, e, ioapic, 12);
	e += 12;
	if (x2apic) {
		uint8_t x2[16] = { MADT_TYPE_LOCAL_X2APIC, 16, 0, 0, 0x10, 1, 0, 0,
				   1, 0, 0, 0, 4, 0, 0, 0 };
		put(s, e, x2, 16);
		e += 16;
		uint8_t ovr[12] = { 5, 12, 0, 0, 0, 0, 0xe0, 0xfe };
		put(s, e, ovr, 12);
		e += 12;
	}
	sdt_header(s, MADT_AT, "APIC", (uint32_t)(e - MADT_AT));
	sdt_finish(s, MADT_AT);
}

static void acpi_fadt_dsdt(struct seed *s)
{
	static const uint8_t aml[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x05, 0x0a,
		0x05, 0x00, 0x00,
	};
	uint8_t gas[12] = { ACPI_GAS_SYSTEM_IO, 8, 0, 1, 0xf9, 0x0c };

	put32(s, FADT_AT + FADT_DSDT, DSDT_AT);
	put32(s, FADT_AT + FADT_PM1A_CNT_BLK, 0x604);
	put8(s, FADT_AT + FADT_PM1_CNT_LEN, 2);
	put32(s, FADT_AT + FADT_FLAGS, FADT_FLAG_RESET_REG_SUP);
	put(s, FADT_AT + FADT_RESET_REG, gas, sizeof(gas));
	put8(s, FADT_AT + FADT_RESET_VALUE, 6);
	put64(s, FADT_AT + FADT_X_DSDT, DSDT_AT);
	sdt_header(s, FADT_AT, "FACP", 244);
	sdt_finish(s, FADT_AT);
	put(s, DSDT_AT + 36, aml, sizeof(aml));
	sdt_header(s, DSDT_AT, "DSDT", 36 + sizeof(aml));
	sdt_finish(s, DSDT_AT);
}

static void acpi_root(struct seed *s, bool xsdt)
{
	uint32_t esize = xsdt ? 8 : 4;

	if (xsdt) {
		put64(s, ROOT_AT + 36, FADT_AT);
		put64(s, ROOT_AT + 44, MADT_AT);
	} else {
		put32(s, ROOT_AT + 36, FADT_AT);
		put32(s, ROOT_AT + 40, MADT_AT);
	}
	sdt_header(s, ROOT_AT, xsdt ? "XSDT" : "RSDT", 36 + 2 * esize);
	sdt_finish(s, ROOT_AT);
}

static void acpi_seed(struct seed *s, bool xsdt)
{
	memset(s, 0, sizeof(*s));
	acpi_madt(s, xsdt);
	acpi_fadt_dsdt(s);
	acpi_root(s, xsdt);
	acpi_rsdp(s, xsdt);
	put8(s, s->len, 0);     /* the boot CPU's APIC ID (acpi target) */
}

static void acpi_seeds(void)
{
	static struct seed s;

	acpi_seed(&s, true);
	write_buf("acpi", "xsdt", &s);
	write_buf("madt", "xsdt", &s);
	acpi_seed(&s, false);
	write_buf("acpi", "rsdt", &s);
	write_buf("madt", "rsdt", &s);
}

/* ---- multiboot2 boot information ---------------------------------------- */
static size_t mb2_tag(struct seed *s, size_t off, uint32_t type,
		      const void *body, uint32_t body_len)
{
	put32(s, off, type);
	put32(s, off + 4, 8 + body_len);
	if (body_len)
		put(s, off + 8, body, body_len);
	return off + ((8 + body_len + 7) & ~7u);
}

static size_t mb2_mmap(struct seed *s, size_t off)
{
	static const struct mb2_mmap_entry e[] = {
		{ 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
		{ 0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0 },
		{ 0x100000, 0x7ff00000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x7ffe0000, 0x20000, MB2_MEMORY_ACPI_RECLAIMABLE, 0 },
	};
	uint32_t hdr[2] = { sizeof(e[0]), 0 };
	uint8_t body[8 + sizeof(e)];

	memcpy(body, hdr, 8);
	memcpy(body + 8, e, sizeof(e));
	return mb2_tag(s, off, MB2_TAG_MMAP, body, sizeof(body));
}

static size_t mb2_efi_mmap(struct seed *s, size_t off)
{
	struct efi_mmap_desc d[3] = {
		{ EFI_MMAP_CONVENTIONAL, 0, 0, 0, 0x9f, 0 },
		{ EFI_MMAP_BOOT_SERVICES_DATA, 0, 0x100000, 0, 0x100, 0 },
		{ EFI_MMAP_ACPI_RECLAIM, 0, 0x7ffe0000, 0, 0x20, 0 },
	};
	uint32_t hdr[2] = { sizeof(d[0]), 1 };
	uint8_t body[8 + sizeof(d)];

	memcpy(body, hdr, 8);
	memcpy(body + 8, d, sizeof(d));
	return mb2_tag(s, off, MB2_TAG_EFI_MMAP, body, sizeof(body));
}

static size_t mb2_module(struct seed *s, size_t off, uint32_t start,
			 uint32_t end, const char *cmdline)
{
	uint8_t body[128] = { 0 };

	memcpy(body, &start, 4);
	memcpy(body + 4, &end, 4);
	strcpy((char *)body + 8, cmdline);
	return mb2_tag(s, off, MB2_TAG_MODULE, body,
		       (uint32_t)(8 + strlen(cmdline) + 1));
}

static size_t mb2_rsdp(struct seed *s, size_t off)
{
	uint8_t r[20] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };

	r[16] = 0x40;
	r[8] = (uint8_t)-sum(r, 20);
	return mb2_tag(s, off, MB2_TAG_ACPI_OLD, r, sizeof(r));
}

static size_t mb2_framebuffer(struct seed *s, size_t off)
{
	struct mb2_tag_framebuffer fb = {
		.addr = 0xfd000000, .pitch = 4096, .width = 1024,
		.height = 768, .bpp = 32, .fb_type = MB2_FRAMEBUFFER_TYPE_RGB,
		.red_pos = 16, .red_size = 8, .green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};

	return mb2_tag(s, off, MB2_TAG_FRAMEBUFFER, (uint8_t *)&fb + 8,
		       MB2_FRAMEBUFFER_RGB_MIN - 8);
}

static void mb2_seed(struct seed *s, bool efi)
{
	static const char cmdline[] = "serial=0x3f8,115200 loglevel=debug";
	static const char loader[] = "GRUB 2.06";
	uint64_t st = 0x7f000000;
	size_t off = 8;

	memset(s, 0, sizeof(*s));
	off = mb2_tag(s, off, MB2_TAG_CMDLINE, cmdline, sizeof(cmdline));
	off = mb2_tag(s, off, MB2_TAG_BOOT_LOADER_NAME, loader, sizeof(loader));
	off = mb2_module(s, off, 0x1000000, 0x1010000, "guest");
	off = mb2_module(s, off, 0x2000000, 0x2800000, "linux console=ttyS0");
	off = efi ? mb2_efi_mmap(s, off) : mb2_mmap(s, off);
	off = mb2_rsdp(s, off);
	off = mb2_framebuffer(s, off);
	if (efi)
		off = mb2_tag(s, off, MB2_TAG_EFI64, &st, sizeof(st));
	off = mb2_tag(s, off, MB2_TAG_END, NULL, 0);
	put32(s, 0, (uint32_t)off);
}

static void mb2_seeds(void)
{
	static struct seed s;

	mb2_seed(&s, false);
	write_buf("mb2", "bios", &s);
	mb2_seed(&s, true);
	write_buf("mb2", "uefi", &s);
}

/* ---- multiboot (v1) images ---------------------------------------------- */
static void mb1_header(struct seed *s, size_t at, uint32_t flags)
{
	put32(s, at, MB1_HEADER_MAGIC);
	put32(s, at + 4, flags);
	put32(s, at + 8, (uint32_t)-(MB1_HEADER_MAGIC + flags));
}

static void mb1_elf32(struct seed *s)
{
	struct elf32_ehdr e = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, 1 },
		.e_type = 2, .e_machine = EM_386, .e_version = 1,
		.e_entry = 0x100080, .e_phoff = sizeof(e), .e_ehsize = sizeof(e),
		.e_phentsize = sizeof(struct elf32_phdr), .e_phnum = 2,
	};
	struct elf32_phdr ph[2] = {
		{ PT_LOAD, 0, 0x100000, 0x100000, 0x200, 0x200, 5, 0x1000 },
		{ PT_LOAD, 0x200, 0x101000, 0x101000, 0x40, 0x1000, 6, 0x1000 },
	};

	memset(s, 0, sizeof(*s));
	put(s, 0, &e, sizeof(e));
	put(s, sizeof(e), ph, sizeof(ph));
	mb1_header(s, 0x80, MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO);
	put8(s, 0x23f, 0);
}

static void mb1_elf64(struct seed *s)
{
	struct elf64_ehdr e = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, 1 },
		.e_type = 2, .e_machine = EM_X86_64, .e_version = 1,
		.e_entry = 0xffffffff80100100ull, .e_phoff = sizeof(e),
		.e_ehsize = sizeof(e), .e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = 1,
	};
	struct elf64_phdr ph = {
		PT_LOAD, 5, 0, 0xffffffff80100000ull, 0x100000, 0x300, 0x2000,
		0x1000,
	};

	memset(s, 0, sizeof(*s));
	put(s, 0, &e, sizeof(e));
	put(s, sizeof(e), &ph, sizeof(ph));
	mb1_header(s, 0x100, MB1_HEADER_MEMORY_INFO);
	put8(s, 0x2ff, 0);
}

static void mb1_aout(struct seed *s)
{
	memset(s, 0, sizeof(*s));
	mb1_header(s, 0x40, MB1_HEADER_AOUT_KLUDGE | MB1_HEADER_MEMORY_INFO);
	put32(s, 0x4c, 0x100040);       /* header_addr */
	put32(s, 0x50, 0x100000);       /* load_addr */
	put32(s, 0x54, 0x100400);       /* load_end_addr */
	put32(s, 0x58, 0x102000);       /* bss_end_addr */
	put32(s, 0x5c, 0x100080);       /* entry_addr */
	put8(s, 0x3ff, 0xf4);
}

static void mb1_image_seeds(void)
{
	static struct seed s;

	mb1_elf32(&s);
	write_buf("mb1_image", "elf32", &s);
	mb1_elf64(&s);
	write_buf("mb1_image", "elf64", &s);
	mb1_aout(&s);
	write_buf("mb1_image", "aout", &s);
}

/* ---- the multiboot (v1) information parameters (fuzz_mb1_info.c) -------- */
static void mb1_info_seeds(void)
{
	static struct seed s;
	static const char *const cmd[] = { "module one", "x=1" };
	size_t off = 0;

	memset(&s, 0, sizeof(s));
	put8(&s, off++, 3);
	put64(&s, off, 0); put64(&s, off + 8, 0x9fc00); put8(&s, off + 16, 1);
	off += 17;
	put64(&s, off, 0xf0000); put64(&s, off + 8, 0x10000); put8(&s, off + 16, 2);
	off += 17;
	put64(&s, off, 0x100000); put64(&s, off + 8, 0x3ff00000); put8(&s, off + 16, 1);
	off += 17;
	put8(&s, off++, 2);
	for (int i = 0; i < 2; i++) {
		put64(&s, off, 0x2000000 + 0x100000 * (uint64_t)i);
		put64(&s, off + 8, 0x1234);
		put8(&s, off + 16, (uint8_t)i);  /* guest-module, guest */
		put8(&s, off + 17, (uint8_t)strlen(cmd[i]));
		put(&s, off + 18, cmd[i], strlen(cmd[i]));
		off += 18 + strlen(cmd[i]);
	}
	put32(&s, off, 0x9000);
	off += 4;
	put(&s, off, "console=ttyS0 debug", 19);
	write_buf("mb1_info", "two-modules", &s);
}

/* ---- bzImage -------------------------------------------------------------- */
static void bzimage_seed(struct seed *s, uint16_t version, bool relocatable)
{
	struct setup_header h = {
		.setup_sects = 1, .syssize = 0x20, .boot_flag = BZ_BOOT_FLAG,
		.jump = 0x66eb, .header = BZ_HEADER_MAGIC, .version = version,
		.loadflags = BZ_LOADED_HIGH, .code32_start = 0x100000,
		.initrd_addr_max = 0x7fffffff, .kernel_alignment = 0x200000,
		.relocatable_kernel = relocatable, .xloadflags = BZ_XLF_KERNEL_64,
		.cmdline_size = 2047, .pref_address = 0x1000000,
		.init_size = 0x10000,
	};

	memset(s, 0, sizeof(*s));
	put(s, BZ_SETUP_HEADER_OFFSET, &h, sizeof(h));
	/* jump at 0x200: "jmp short" to the end of the header */
	put8(s, BZ_JUMP_LENGTH_OFFSET,
	     (uint8_t)(BZ_SETUP_HEADER_OFFSET + sizeof(h) - BZ_HEADER_END_BASE));
	put8(s, 2 * BZ_SECTOR_SIZE + 0x200 - 1, 0x90);  /* protected-mode part */
}

static void bzimage_seeds(void)
{
	static struct seed s;

	bzimage_seed(&s, 0x020f, true);
	write_buf("bzimage", "v2.15-relocatable", &s);
	bzimage_seed(&s, 0x020f, false);
	write_buf("bzimage", "v2.15-fixed", &s);
	bzimage_seed(&s, 0x0206, false);
	write_buf("bzimage", "v2.06", &s);
}

/* ---- UEFI memory map, hv.cfg, command line, boot_info ------------------- */
static void efi_memmap_seeds(void)
{
	static const struct efi_mmap_desc d[] = {
		{ EFI_MMAP_CONVENTIONAL, 0, 0, 0, 0x9f, 0xf },
		{ EFI_MMAP_RESERVED, 0, 0x9f000, 0, 0x61, 0 },
		{ EFI_MMAP_LOADER_CODE, 0, 0x100000, 0, 0x400, 0xf },
		{ EFI_MMAP_CONVENTIONAL, 0, 0x500000, 0, 0x7000, 0xf },
		{ EFI_MMAP_RUNTIME_SERVICES_DATA, 0, 0x7f000000, 0, 0x10, 0 },
		{ EFI_MMAP_MMIO, 0, 0xfec00000, 0, 1, 0 },
	};
	static struct seed s;

	memset(&s, 0, sizeof(s));
	put8(&s, 0, 0);                 /* 40-byte descriptors */
	put(&s, 1, d, sizeof(d));
	write_buf("efi_memmap", "desc40", &s);
	memset(&s, 0, sizeof(s));
	put8(&s, 0, 1);                 /* 48-byte descriptors, as OVMF */
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		put(&s, 1 + 48 * i, &d[i], sizeof(d[i]));
	put8(&s, 1 + 48 * sizeof(d) / sizeof(d[0]) - 1, 0);
	write_buf("efi_memmap", "desc48", &s);
}

static void text_seeds(void)
{
	write_text("efi_config", "modules",
		   "# hv.cfg\r\n"
		   "cmdline serial=0x3f8 loglevel=debug test-exit\r\n"
		   "\n"
		   "module guest.bin guest\n"
		   "module /linux/bzImage linux console=ttyS0 quiet\n"
		   "  module \\linux\\initrd.img initrd\n");
	write_text("efi_config", "bad-keyword", "cmdline a\nmodul x y\n");
	/* UEFI load options: "hv.efi quiet" in UCS-2 with its NUL. */
	write_seed("efi_load_options", "shell", (const uint8_t[]){
		'h', 0, 'v', 0, '.', 0, 'e', 0, 'f', 0, 'i', 0, ' ', 0,
		'q', 0, 'u', 0, 'i', 0, 'e', 0, 't', 0, 0, 0 }, 26);
	write_text("cmdline", "all",
		   "serial=0x3f8,115200 loglevel=debug guest=linux test-exit "
		   "debug-fault=ud on-triple-fault=reset smp=off "
		   "on-guest-reset=stop debug-bad-guest-state iommu=required "
		   "debug-iommu-dma");
	write_text("cmdline", "off", "serial=off loglevel=warn guest= a=0x10");
	write_text("cmdline", "numbers", "serial=1016,9600 a=18446744073709551615");
	write_text("monitor", "session",
		   "\x01\x01x\x01\x01\x01help\rxp 0x1000 16\rxp zz\r"
		   "stats reset\ra b c d e\r\x01\x01\x01");
}

/* The DMAR tables of real machines the unit tests use. */
static void dmar_seeds(void)
{
	write_seed("dmar", "xps13-9310", dmar_xps13_9310,
		   sizeof(dmar_xps13_9310));
	write_seed("dmar", "precision-m6800", dmar_precision_m6800,
		   sizeof(dmar_precision_m6800));
	write_seed("dmar", "asrock-x99", dmar_asrock_x99,
		   sizeof(dmar_asrock_x99));
}

static void boot_info_seeds(void)
{
	static const struct mem_range r[] = {
		{ 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7ff00000, 1 }, { 0x7000000, 0x100000, 3 },
		{ 0x100000, 0x1000, 7 }, { 0xfec00000, 0x1000, 8 },
	};
	static struct seed s;
	size_t off = 2;

	memset(&s, 0, sizeof(s));
	put8(&s, 0, sizeof(r) / sizeof(r[0]));
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++, off += 17) {
		put64(&s, off, r[i].base);
		put64(&s, off + 8, r[i].length);
		put8(&s, off + 16, (uint8_t)r[i].type);
	}
	put(&s, off, "guest a=b\nlinux console=ttyS0\n  initrd\n", 38);
	write_buf("boot_info", "map-and-modules", &s);
}

/* insn_decode: a mode byte (0: 16-bit, 1: 32-bit, 2: 64-bit) and one
 * instruction of each accepted family, as GNU as assembles them (the
 * unit tests' forms). */
static void insn_decode_seeds(void)
{
	static const struct { const char *name; const char *b; size_t n; } s[] = {
		{ "mov-store-sib64", "\x02\x89\x94\x8f\x78\x56\x34\x12", 8 },
		{ "mov-load-rex64", "\x02\x4d\x8b\x6d\x00", 5 },
		{ "mov-imm-riprel64", "\x02\x48\xc7\x05\x00\x01\x00\x00\xfe\xff\xff\xff", 12 },
		{ "moffs64", "\x02\x48\xa3\x88\x77\x66\x55\x44\x33\x22\x11", 11 },
		{ "movzx-fs64", "\x02\x64\x4c\x0f\xb7\x12", 6 },
		{ "mov-imm32", "\x01\xc7\x05\xb0\x00\xe0\xfe\x00\x00\x00\x00", 11 },
		{ "mov-addr16-in32", "\x01\x67\x89\x00", 4 },
		{ "movsx-bp16", "\x00\x36\x66\x0f\xbe\x46\x04", 7 },
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		write_seed("insn_decode", s[i].name, s[i].b, s[i].n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	make_dir(out_dir);
	acpi_seeds();
	mb2_seeds();
	mb1_image_seeds();
	mb1_info_seeds();
	bzimage_seeds();
	efi_memmap_seeds();
	insn_decode_seeds();
	text_seeds();
	boot_info_seeds();
	dmar_seeds();
	return 0;
}

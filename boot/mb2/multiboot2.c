/*
 * Multiboot2 boot information -> struct boot_info.  Pure: no hardware
 * access, host-testable (tests/unit/test_multiboot2.c).
 *
 * Two passes.  The first checks the framing (total_size, every tag's
 * size, the end tag) and remembers the first tag of each type, so the
 * second can fill boot_info in a fixed order without re-checking bounds:
 * the firmware kind must be known before boot_info_init, and the memory map
 * source depends on which tags exist.
 */
#include "boot/mb2/multiboot2.h"


#include "arch/x86/acpi.h"
#include "boot/boot_info.h"
#include "boot/efi_memmap.h"
#include "lib/format.h"
#include "lib/str.h"

#define MB2_TAG_TYPES        (MB2_TAG_LOAD_BASE_ADDR + 1)

struct mb2_parser {
	const uint8_t *info;
	uint32_t total_size;
	uint64_t info_phys;
	uint64_t image_base, image_end;
	struct boot_info *bi;
	char *err;
	size_t err_size;
	/* Offset of the first tag of each known type, 0 when absent. */
	uint32_t first[MB2_TAG_TYPES];
};

/* Report into the parser's error buffer and return false. */
#define fail(p, ...) format_error((p)->err, (p)->err_size, __VA_ARGS__)

static uint32_t align_tag(uint32_t size)
{
	return (size + MB2_INFO_ALIGN - 1) & ~(uint32_t)(MB2_INFO_ALIGN - 1);
}

/* The tag header at `off`; the framing pass guarantees it is in bounds. */
static struct mb2_tag tag_at(const struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag t;

	memcpy(&t, p->info + off, sizeof(t));
	return t;
}

/* Offset of the next tag after the one at `off`, 0 after the end tag. */
static uint32_t next_tag(const struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag t = tag_at(p, off);

	return t.type == MB2_TAG_END ? 0 : off + align_tag(t.size);
}

static bool check_total_size(struct mb2_parser *p)
{
	uint32_t min = MB2_INFO_HEADER_SIZE + MB2_TAG_HEADER_SIZE;

	if (p->info_phys % MB2_INFO_ALIGN)
		return fail(p, "information at %#llx is not 8-byte aligned",
			    (unsigned long long)p->info_phys);
	memcpy(&p->total_size, p->info, sizeof(p->total_size));
	if (p->total_size < min)
		return fail(p, "total_size %u is too small (an empty block "
			    "with its end tag is %u bytes)", p->total_size, min);
	if (p->total_size > MB2_INFO_MAX_SIZE)
		return fail(p, "total_size %u is larger than the %u bytes "
			    "accepted", p->total_size, MB2_INFO_MAX_SIZE);
	return true;
}

/* First pass: every tag lies inside total_size, and an end tag closes the
 * list.  Remember the first tag of each type. */
static bool check_framing(struct mb2_parser *p)
{
	uint32_t off = MB2_INFO_HEADER_SIZE;

	while (off <= p->total_size - MB2_TAG_HEADER_SIZE) {
		struct mb2_tag t = tag_at(p, off);

		if (t.size < MB2_TAG_HEADER_SIZE)
			return fail(p, "tag %u at offset %#x: size %u is "
				    "smaller than the 8-byte tag header",
				    t.type, off, t.size);
		if (t.size > p->total_size - off)
			return fail(p, "tag %u at offset %#x: size %u runs "
				    "past total_size %u", t.type, off, t.size,
				    p->total_size);
		if (t.type < MB2_TAG_TYPES && !p->first[t.type])
			p->first[t.type] = off;
		if (t.type == MB2_TAG_END)
			return true;
		off += align_tag(t.size);
	}
	return fail(p, "no end tag within total_size %u", p->total_size);
}

static bool check_min_size(struct mb2_parser *p, uint32_t off, uint32_t min,
			   const char *what)
{
	struct mb2_tag t = tag_at(p, off);

	if (t.size < min)
		return fail(p, "tag %u (%s) at offset %#x: size %u is smaller "
			    "than its %u-byte fixed part", t.type, what, off,
			    t.size, min);
	return true;
}

static bool has_nul(const uint8_t *s, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (!s[i])
			return true;
	return false;
}

/* The string payload of a tag starting `start` bytes into it: it must end
 * with a NUL inside the tag. */
static const char *tag_string(struct mb2_parser *p, uint32_t off,
			      uint32_t start, const char *what)
{
	struct mb2_tag t = tag_at(p, off);
	const uint8_t *s = p->info + off + start;

	if (t.size <= start || !has_nul(s, t.size - start)) {
		fail(p, "tag %u (%s) at offset %#x: string is not "
		     "NUL-terminated inside the tag", t.type, what, off);
		return NULL;
	}
	return (const char *)s;
}

static uint32_t firmware_of(const struct mb2_parser *p)
{
	bool efi = p->first[MB2_TAG_EFI64] || p->first[MB2_TAG_EFI32] ||
		   p->first[MB2_TAG_EFI_MMAP];

	return efi ? BOOT_FW_UEFI : BOOT_FW_BIOS;
}

static bool fill_cmdline(struct mb2_parser *p)
{
	uint32_t off = p->first[MB2_TAG_CMDLINE];
	const char *s;

	if (!off)
		return true;
	s = tag_string(p, off, MB2_TAG_HEADER_SIZE, "command line");
	if (!s)
		return false;
	if (strlen(s) >= sizeof(p->bi->cmdline))
		return fail(p, "command line is %zu bytes, longer than the %zu "
			    "kept", strlen(s), sizeof(p->bi->cmdline) - 1);
	format(p->bi->cmdline, sizeof(p->bi->cmdline), "%s", s);
	return true;
}

/* The loader's name is informational: a long one is cut, not refused. */
static bool fill_loader_name(struct mb2_parser *p)
{
	uint32_t off = p->first[MB2_TAG_BOOT_LOADER_NAME];
	const char *s;

	if (!off)
		return true;
	s = tag_string(p, off, MB2_TAG_HEADER_SIZE, "boot loader name");
	if (!s)
		return false;
	format(p->bi->loader, sizeof(p->bi->loader), "%s", s);
	return true;
}

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b,
			   uint64_t b_end)
{
	return a < b_end && b < a_end;
}

/* A new module must not overlap the hypervisor image nor any module
 * already taken. */
static bool check_module_place(struct mb2_parser *p, uint32_t off,
			       uint64_t start, uint64_t end)
{
	const struct boot_info *bi = p->bi;

	if (ranges_overlap(start, end, p->image_base, p->image_end))
		return fail(p, "module at offset %#x [%#llx, %#llx) overlaps "
			    "the hypervisor image [%#llx, %#llx)", off,
			    (unsigned long long)start, (unsigned long long)end,
			    (unsigned long long)p->image_base,
			    (unsigned long long)p->image_end);
	for (uint32_t i = 0; i < bi->module_count; i++) {
		uint64_t b = bi->modules[i].base;

		if (ranges_overlap(start, end, b, b + bi->modules[i].size))
			return fail(p, "module at offset %#x [%#llx, %#llx) "
				    "overlaps module %u ('%s')", off,
				    (unsigned long long)start,
				    (unsigned long long)end, i,
				    bi->modules[i].name);
	}
	return true;
}

static bool add_module(struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag_module m;
	const char *s;

	if (!check_min_size(p, off, MB2_MODULE_TAG_MIN, "module"))
		return false;
	memcpy(&m, p->info + off, sizeof(m));
	s = tag_string(p, off, MB2_MODULE_TAG_MIN, "module");
	if (!s)
		return false;
	if (m.mod_end < m.mod_start)
		return fail(p, "module at offset %#x: mod_end %#x is below "
			    "mod_start %#x", off, m.mod_end, m.mod_start);
	if (!check_module_place(p, off, m.mod_start, m.mod_end))
		return false;
	if (p->bi->module_count == BOOT_MODULES_MAX)
		return fail(p, "more than %d modules", BOOT_MODULES_MAX);
	if (!boot_info_add_module(p->bi, m.mod_start, m.mod_end - m.mod_start,
				  s))
		return fail(p, "module at offset %#x: command line '%s' does "
			    "not fit (name up to %d bytes, arguments up to %d)",
			    off, s, BOOT_MODNAME_MAX - 1, BOOT_CMDLINE_MAX - 1);
	return true;
}

static bool fill_modules(struct mb2_parser *p)
{
	for (uint32_t off = MB2_INFO_HEADER_SIZE; off; off = next_tag(p, off))
		if (tag_at(p, off).type == MB2_TAG_MODULE && !add_module(p, off))
			return false;
	return true;
}

static uint32_t mem_type_of(uint32_t mb2_type)
{
	switch (mb2_type) {
	case MB2_MEMORY_AVAILABLE:        return MEM_USABLE;
	case MB2_MEMORY_ACPI_RECLAIMABLE: return MEM_ACPI_RECLAIM;
	case MB2_MEMORY_NVS:              return MEM_ACPI_NVS;
	case MB2_MEMORY_BADRAM:           return MEM_BAD;
	default:                          return MEM_RESERVED;
	}
}

static bool add_mmap_entry(struct mb2_parser *p, uint32_t off, uint32_t i,
			   const struct mb2_mmap_entry *e)
{
	if (e->length == 0)
		return true;
	if (e->base_addr + e->length < e->base_addr)
		return fail(p, "memory map (tag 6 at offset %#x) entry %u: base "
			    "%#llx + length %#llx wraps past 2^64", off, i,
			    (unsigned long long)e->base_addr,
			    (unsigned long long)e->length);
	if (p->bi->mmap.count == MEMMAP_MAX)
		return fail(p, "memory map has more than %d entries",
			    MEMMAP_MAX);
	if (!memmap_add(&p->bi->mmap, e->base_addr, e->length,
			mem_type_of(e->type)))
		return fail(p, "memory map (tag 6 at offset %#x) entry %u "
			    "[%#llx, +%#llx) refused", off, i,
			    (unsigned long long)e->base_addr,
			    (unsigned long long)e->length);
	return true;
}

static bool fill_mmap_mb2(struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag_mmap m;
	uint32_t entries;

	if (!check_min_size(p, off, MB2_MMAP_TAG_MIN, "memory map"))
		return false;
	memcpy(&m, p->info + off, sizeof(m));
	if (m.entry_size < MB2_MMAP_ENTRY_MIN || m.entry_size % MB2_INFO_ALIGN)
		return fail(p, "memory map (tag 6 at offset %#x): entry_size "
			    "%u is not a multiple of 8 of at least %u", off,
			    m.entry_size, MB2_MMAP_ENTRY_MIN);
	if ((m.size - MB2_MMAP_TAG_MIN) % m.entry_size)
		return fail(p, "memory map (tag 6 at offset %#x): the last "
			    "entry runs past the tag (size %u, entry_size %u)",
			    off, m.size, m.entry_size);
	entries = (m.size - MB2_MMAP_TAG_MIN) / m.entry_size;
	for (uint32_t i = 0; i < entries; i++) {
		struct mb2_mmap_entry e;

		memcpy(&e, p->info + off + MB2_MMAP_TAG_MIN + i * m.entry_size,
		       sizeof(e));
		if (!add_mmap_entry(p, off, i, &e))
			return false;
	}
	return true;
}

static bool fill_mmap_efi(struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag_efi_mmap m;
	uint32_t map_size;

	memcpy(&m, p->info + off, sizeof(m));
	map_size = m.size - MB2_EFI_MMAP_TAG_MIN;
	if (!efi_memmap_to_boot_info(p->info + off + MB2_EFI_MMAP_TAG_MIN,
				     map_size, m.descriptor_size, p->bi))
		return fail(p, "EFI memory map (tag 17 at offset %#x) could not "
			    "be converted (%u bytes, descriptor_size %u)", off,
			    map_size, m.descriptor_size);
	return true;
}

/* Check tag 17 whether or not it is used: a malformed one means the whole
 * block cannot be trusted. */
static bool check_efi_mmap(struct mb2_parser *p, uint32_t off)
{
	struct mb2_tag_efi_mmap m;

	if (!check_min_size(p, off, MB2_EFI_MMAP_TAG_MIN, "EFI memory map"))
		return false;
	memcpy(&m, p->info + off, sizeof(m));
	if (m.descriptor_size < EFI_MMAP_DESC_MIN_SIZE ||
	    m.descriptor_size % MB2_INFO_ALIGN)
		return fail(p, "EFI memory map (tag 17 at offset %#x): "
			    "descriptor_size %u is not a multiple of 8 of at "
			    "least %u", off, m.descriptor_size,
			    (unsigned)EFI_MMAP_DESC_MIN_SIZE);
	if ((m.size - MB2_EFI_MMAP_TAG_MIN) % m.descriptor_size)
		return fail(p, "EFI memory map (tag 17 at offset %#x): the last "
			    "descriptor runs past the tag (size %u, "
			    "descriptor_size %u)", off, m.size,
			    m.descriptor_size);
	return true;
}

/* Tag 6 is the loader's own e820-style map; tag 17 (UEFI only) is used
 * only when GRUB gave no tag 6. */
static bool fill_mmap(struct mb2_parser *p)
{
	uint32_t mb2 = p->first[MB2_TAG_MMAP], efi = p->first[MB2_TAG_EFI_MMAP];

	if (efi && !check_efi_mmap(p, efi))
		return false;
	if (mb2) {
		if (!fill_mmap_mb2(p, mb2))
			return false;
	} else if (efi) {
		if (!fill_mmap_efi(p, efi))
			return false;
	} else {
		return fail(p, "no memory map (neither tag 6 nor tag 17)");
	}
	if (!memmap_normalize(&p->bi->mmap))
		return fail(p, "memory map has more than %d ranges after "
			    "sorting and merging", MEMMAP_MAX);
	return true;
}

/* Copy the RSDP from tag 14 or 15 after checking it is one. */
static bool copy_rsdp(struct mb2_parser *p, uint32_t off, uint32_t len)
{
	const uint8_t *r = p->info + off + MB2_TAG_HEADER_SIZE;
	uint32_t type = tag_at(p, off).type;

	if (!check_min_size(p, off, MB2_TAG_HEADER_SIZE + len, "ACPI RSDP"))
		return false;
	if (memcmp(r, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN))
		return fail(p, "tag %u (ACPI RSDP) at offset %#x: no \"RSD PTR \" "
			    "signature", type, off);
	if (acpi_checksum(r, ACPI_RSDP_V1_SIZE))
		return fail(p, "tag %u (ACPI RSDP) at offset %#x: bad checksum",
			    type, off);
	memcpy(p->bi->rsdp_data, r, len);
	p->bi->rsdp_revision = r[ACPI_RSDP_REVISION_OFFSET];
	p->bi->has_rsdp = true;
	return true;
}

static bool fill_rsdp(struct mb2_parser *p)
{
	_Static_assert(sizeof(p->bi->rsdp_data) >= ACPI_RSDP_V2_SIZE,
		       "rsdp_data holds an XSDP");
	if (p->first[MB2_TAG_ACPI_NEW])
		return copy_rsdp(p, p->first[MB2_TAG_ACPI_NEW],
				 ACPI_RSDP_V2_SIZE);
	if (p->first[MB2_TAG_ACPI_OLD])
		return copy_rsdp(p, p->first[MB2_TAG_ACPI_OLD],
				 ACPI_RSDP_V1_SIZE);
	return true;
}

static uint8_t fb_type_of(uint8_t mb2_type)
{
	switch (mb2_type) {
	case MB2_FRAMEBUFFER_TYPE_INDEXED:  return BOOT_FB_INDEXED;
	case MB2_FRAMEBUFFER_TYPE_RGB:      return BOOT_FB_RGB;
	case MB2_FRAMEBUFFER_TYPE_EGA_TEXT: return BOOT_FB_EGA_TEXT;
	default:                            return BOOT_FB_NONE;
	}
}

static void copy_fb_fields(const struct mb2_tag_framebuffer *t,
			   struct boot_framebuffer *fb)
{
	*fb = (struct boot_framebuffer){
		.addr = t->addr, .pitch = t->pitch, .width = t->width,
		.height = t->height, .bpp = t->bpp, .type = fb_type_of(t->fb_type),
	};
	if (fb->type != BOOT_FB_RGB)
		return;
	fb->red_pos = t->red_pos;
	fb->red_size = t->red_size;
	fb->green_pos = t->green_pos;
	fb->green_size = t->green_size;
	fb->blue_pos = t->blue_pos;
	fb->blue_size = t->blue_size;
}

/* An unknown framebuffer type is not an error: the framebuffer is only a
 * convenience, so it is left out. */
static bool fill_framebuffer(struct mb2_parser *p)
{
	uint32_t off = p->first[MB2_TAG_FRAMEBUFFER];
	struct mb2_tag_framebuffer t = { 0 };

	if (!off)
		return true;
	if (!check_min_size(p, off, MB2_FRAMEBUFFER_TAG_MIN, "framebuffer"))
		return false;
	memcpy(&t, p->info + off, MB2_FRAMEBUFFER_TAG_MIN);
	if (t.fb_type == MB2_FRAMEBUFFER_TYPE_RGB) {
		if (!check_min_size(p, off, MB2_FRAMEBUFFER_RGB_MIN,
				    "RGB framebuffer"))
			return false;
		memcpy(&t, p->info + off, MB2_FRAMEBUFFER_RGB_MIN);
	}
	copy_fb_fields(&t, &p->bi->fb);
	p->bi->has_framebuffer = p->bi->fb.type != BOOT_FB_NONE;
	return true;
}

/* The EFI system table pointer: tag 12 (64-bit), else tag 11 (32-bit). */
static bool fill_efi_system_table(struct mb2_parser *p)
{
	uint32_t off64 = p->first[MB2_TAG_EFI64], off32 = p->first[MB2_TAG_EFI32];

	if (off64) {
		if (!check_min_size(p, off64, MB2_EFI64_TAG_SIZE, "EFI64 system table"))
			return false;
		memcpy(&p->bi->efi_system_table,
		       p->info + off64 + MB2_TAG_HEADER_SIZE, sizeof(uint64_t));
	} else if (off32) {
		uint32_t ptr;

		if (!check_min_size(p, off32, MB2_EFI32_TAG_SIZE, "EFI32 system table"))
			return false;
		memcpy(&ptr, p->info + off32 + MB2_TAG_HEADER_SIZE, sizeof(ptr));
		p->bi->efi_system_table = ptr;
	}
	return true;
}

bool multiboot2_parse(const void *info, uint64_t info_phys,
		      uint64_t image_base, uint64_t image_end,
		      struct boot_info *bi, char *err, size_t err_size)
{
	struct mb2_parser p = {
		.info = info, .info_phys = info_phys,
		.image_base = image_base, .image_end = image_end,
		.bi = bi, .err = err, .err_size = err_size,
	};

	if (err_size)
		err[0] = '\0';
	if (!check_total_size(&p) || !check_framing(&p))
		return false;
	boot_info_init(bi, firmware_of(&p), BOOT_PATH_MULTIBOOT2);
	bi->image_base = image_base;
	bi->image_size = image_end - image_base;
	return fill_cmdline(&p) && fill_loader_name(&p) && fill_modules(&p) &&
	       fill_mmap(&p) && fill_rsdp(&p) && fill_framebuffer(&p) &&
	       fill_efi_system_table(&p);
}

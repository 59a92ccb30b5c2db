/*
 * Builders for struct boot_info shared by both boot paths, and the names
 * used when printing it.  Pure: built into the host unit tests.
 */
#include "boot/boot_info.h"
#include "lib/bits.h"
#include "lib/str.h"


const char *boot_firmware_name(uint32_t firmware)
{
	switch (firmware) {
	case BOOT_FW_BIOS: return "BIOS";
	case BOOT_FW_UEFI: return "UEFI";
	default: return "unknown firmware";
	}
}

const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_MULTIBOOT2: return "multiboot2";
	case BOOT_PATH_UEFI: return "UEFI application";
	default: return "unknown boot path";
	}
}

void boot_info_init(struct boot_info *bi, uint32_t firmware, uint32_t path)
{
	memset(bi, 0, sizeof(*bi));
	bi->firmware = firmware;
	bi->path = path;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split "name rest of line" into the module's name and cmdline.  False
 * when either does not fit (the module is then not added at all).
 */
static bool split_module_cmdline(struct boot_module *m, const char *cmdline)
{
	size_t n = 0;

	if (!cmdline)
		cmdline = "";
	while (is_blank(*cmdline))
		cmdline++;
	while (cmdline[n] && !is_blank(cmdline[n]))
		n++;
	if (n >= sizeof(m->name))
		return false;
	memcpy(m->name, cmdline, n);
	m->name[n] = '\0';
	cmdline += n;
	while (is_blank(*cmdline))
		cmdline++;
	return strlen(cmdline) < sizeof(m->cmdline) &&
	       str_copy(m->cmdline, cmdline, sizeof(m->cmdline)) ==
		       strlen(cmdline);
}

bool boot_info_add_module(struct boot_info *bi, uint64_t base, uint64_t size,
			  const char *cmdline)
{
	struct boot_module *m;

	if (base + size < base || bi->module_count >= BOOT_MODULES_MAX)
		return false;
	m = &bi->modules[bi->module_count];
	memset(m, 0, sizeof(*m));
	if (!split_module_cmdline(m, cmdline)) {
		memset(m, 0, sizeof(*m));
		return false;
	}
	m->base = base;
	m->size = size;
	bi->module_count++;
	return true;
}

const struct boot_module *boot_info_find_module(const struct boot_info *bi,
						const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++) {
		if (strcmp(bi->modules[i].name, name) == 0)
			return &bi->modules[i];
	}
	return NULL;
}

_Static_assert(BOOT_MODULES_MAX <= MM_MODULES_MAX,
	       "mm_layout has room for every boot module");

/* The map, the image, each module's extent and the RSDP address of bi, as
 * memory management takes them.  out->map points at bi's map. */
void boot_info_mm_layout(const struct boot_info *bi, struct mm_layout *out)
{
	memset(out, 0, sizeof(*out));
	out->map = &bi->mmap;
	out->image = (struct mem_extent){ bi->image_base, bi->image_size };
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		out->modules[out->module_count++] = (struct mem_extent){
			bi->modules[i].base, bi->modules[i].size,
		};
	out->rsdp = bi->rsdp;
}

/* The framebuffer of bi as a drawing surface (lib/fb_draw.h) for the
 * screen console: an RGB framebuffer, or the EGA text screen GRUB reports
 * on BIOS (width x height characters).  False when there is none, it is
 * indexed, its format is not one the renderer draws, or it reaches above
 * 4 GiB (both boot paths and the hypervisor's own page tables
 * identity-map the first 4 GiB; a framebuffer above that is left alone). */
bool boot_info_fb_surface(const struct boot_info *bi, struct fb_surface *out)
{
	const struct boot_framebuffer *fb = &bi->fb;
	uint64_t end = fb->addr + (uint64_t)fb->pitch * fb->height;

	if (!bi->has_framebuffer ||
	    (fb->type != BOOT_FB_RGB && fb->type != BOOT_FB_EGA_TEXT) ||
	    fb->addr == 0 || end > SIZE_4G || end < fb->addr)
		return false;
	*out = (struct fb_surface){
		.base = (uint8_t *)(uintptr_t)fb->addr,
		.pitch = fb->pitch, .width = fb->width, .height = fb->height,
		.bpp = fb->bpp,
		.red_pos = fb->red_pos, .red_size = fb->red_size,
		.green_pos = fb->green_pos, .green_size = fb->green_size,
		.blue_pos = fb->blue_pos, .blue_size = fb->blue_size,
		.text = fb->type == BOOT_FB_EGA_TEXT,
	};
	return fb_surface_ok(out);
}

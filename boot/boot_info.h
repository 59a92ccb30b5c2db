/*
 * boot_info: the one structure both boot paths (multiboot2 from GRUB, and
 * the GNU-EFI application) fill before handing control to the core.
 *
 * The core never looks at multiboot2 or UEFI structures: everything it needs
 * to know about the machine and the loader is copied in here, into fixed-size
 * arrays, so the structure lives in the hypervisor image and survives the
 * loader's memory being reused.  Data only; usable from host unit tests.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/fb_draw.h"
#include "mm/layout.h"
#include "mm/memmap.h"

#define BOOT_MODULES_MAX    16
#define BOOT_CMDLINE_MAX    512
#define BOOT_MODNAME_MAX    32
#define BOOT_LOADER_MAX     64

/*
 * A module the loader placed in memory.  `name` is its role, the first word
 * of its command line ("guest", "linux", "initrd", ...); `cmdline` is the
 * rest of that command line.
 */
struct boot_module {
	uint64_t base;
	uint64_t size;
	char name[BOOT_MODNAME_MAX];
	char cmdline[BOOT_CMDLINE_MAX];
};

enum boot_fb_type {
	BOOT_FB_NONE = 0,
	BOOT_FB_RGB,
	BOOT_FB_EGA_TEXT,
	BOOT_FB_INDEXED,
};

struct boot_framebuffer {
	uint64_t addr;
	uint32_t pitch;             /* bytes per scan line */
	uint32_t width;
	uint32_t height;
	uint8_t bpp;
	uint8_t type;               /* enum boot_fb_type */
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

enum boot_firmware {
	BOOT_FW_UNKNOWN = 0,
	BOOT_FW_BIOS,
	BOOT_FW_UEFI,
};

enum boot_path {
	BOOT_PATH_MULTIBOOT2 = 1,
	BOOT_PATH_UEFI,
};

struct boot_info {
	uint32_t firmware;          /* enum boot_firmware */
	uint32_t path;              /* enum boot_path */
	char loader[BOOT_LOADER_MAX];     /* e.g. "GRUB 2.06", "UEFI: EDK II" */
	char cmdline[BOOT_CMDLINE_MAX];   /* the hypervisor's own command line */

	struct memmap mmap;         /* sorted, no overlaps (memmap_normalize) */

	uint32_t module_count;
	struct boot_module modules[BOOT_MODULES_MAX];

	uint64_t rsdp;              /* physical address of the ACPI RSDP, 0 if unknown */
	uint32_t rsdp_revision;     /* 0: ACPI 1.0 RSDP, 2: ACPI 2.0+ XSDP */
	bool has_rsdp;              /* rsdp_data holds a valid copy */
	uint8_t rsdp_data[36];      /* copy of the RSDP (20 bytes for revision 0) */

	bool has_framebuffer;
	struct boot_framebuffer fb;

	uint64_t image_base;        /* physical extent of the hypervisor image, */
	uint64_t image_size;        /* including .bss                         */
	uint64_t image_load_base;   /* where the loader put it: image_base
	                               unless it moved (boot/image_move.h) */

	uint64_t efi_system_table;  /* physical, 0 when not booted from UEFI */
};

/* Names for the log; never NULL. */
const char *boot_firmware_name(uint32_t firmware);
const char *boot_path_name(uint32_t path);

/*
 * Builders shared by both boot paths (boot/boot_info.c).  They never write
 * past the fixed arrays; each returns false when the entry did not fit or is
 * invalid, so the caller can report malformed loader data.
 */
void boot_info_init(struct boot_info *bi, uint32_t firmware, uint32_t path);
bool boot_info_add_module(struct boot_info *bi, uint64_t base, uint64_t size,
			  const char *cmdline);
const struct boot_module *boot_info_find_module(const struct boot_info *bi,
						const char *name);
/* Print the structure to the log (boot/boot_info_log.c; core only). */
void boot_info_log(const struct boot_info *bi);
/*
 * What memory management needs of bi (mm/layout.h): its memory map, the
 * image, the modules' extents and the RSDP.  out->map points into bi, so
 * bi must outlive out.
 */
void boot_info_mm_layout(const struct boot_info *bi, struct mm_layout *out);

/* The framebuffer as a surface for the screen console (drivers/fbcon.h):
 * false when there is none or it cannot be drawn on (boot/boot_info.c). */
bool boot_info_fb_surface(const struct boot_info *bi, struct fb_surface *out);

/* The core's entry point, the same for both boot paths (hv/main.c). */
void hv_main(struct boot_info *bi) __attribute__((noreturn));

#endif

/*
 * The zero page (struct boot_params) for the 32-bit boot protocol: a clean
 * page with the image's setup header copied in and the loader's fields
 * filled (Linux boot.rst "32-bit Boot Protocol", zero-page.rst).  Pure:
 * writes only the caller's buffer.
 */
#include "guest/linux/linux.h"
#include "lib/bits.h"
#include "lib/format.h"
#include "lib/str.h"


/* The e820 type Linux expects for a boot memory type; boot-services memory
 * is RAM (the hypervisor is done with it) and anything unknown is reserved.
 */
uint32_t boot_params_e820_type(uint32_t mem_type)
{
	switch (mem_type) {
	case MEM_USABLE:
	case MEM_BOOT_SERVICES:             /* free once the core runs */
		return E820_TYPE_RAM;
	case MEM_ACPI_RECLAIM:
		return E820_TYPE_ACPI;
	case MEM_ACPI_NVS:
		return E820_TYPE_NVS;
	case MEM_BAD:
		return E820_TYPE_UNUSABLE;
	case MEM_PERSISTENT:
		return E820_TYPE_PMEM;
	default:                            /* reserved, runtime, MMIO */
		return E820_TYPE_RESERVED;
	}
}

/* "The setup header from offset 0x01f1 of kernel image on should be loaded
 * into struct boot_params": exactly the bytes the image declares. */
static void copy_setup_header(const struct boot_params_in *in,
			      struct boot_params *bp)
{
	memcpy(&bp->hdr, in->image + BZ_SETUP_HEADER_OFFSET,
	       in->bz->header_end - BZ_SETUP_HEADER_OFFSET);
}

/* The header fields a boot loader owns: loader type, no heap, where the
 * kernel, command line, initrd and RSDP are (high halves in the ext_
 * fields). */
static void fill_loader_fields(const struct boot_params_in *in,
			       struct boot_params *bp)
{
	struct setup_header *h = &bp->hdr;

	h->type_of_loader = BZ_LOADER_TYPE_UNDEFINED;
	/* No real-mode setup code runs, so it needs no heap. */
	h->loadflags &= (uint8_t)~BZ_CAN_USE_HEAP;
	h->heap_end_ptr = 0;
	h->code32_start = LOW32(in->kernel_addr);
	h->cmd_line_ptr = LOW32(in->cmdline_addr);
	bp->ext_cmd_line_ptr = HIGH32(in->cmdline_addr);
	h->ramdisk_image = LOW32(in->initrd_addr);
	h->ramdisk_size = LOW32(in->initrd_size);
	bp->ext_ramdisk_image = HIGH32(in->initrd_addr);
	bp->ext_ramdisk_size = HIGH32(in->initrd_size);
	bp->acpi_rsdp_addr = in->rsdp_addr;
}

/* Adjacent ranges of one e820 type become one entry. */
static bool fill_e820(const struct boot_params_in *in, struct boot_params *bp,
		      char *err, size_t n)
{
	uint32_t count = 0;

	for (uint32_t i = 0; i < in->mmap_count; i++) {
		const struct mem_range *r = &in->mmap[i];
		uint32_t type = boot_params_e820_type(r->type);
		struct boot_e820_entry *prev = count ? &bp->e820_table[count - 1]
						     : NULL;

		if (!r->length)
			continue;
		if (prev && prev->type == type && prev->addr + prev->size == r->base) {
			prev->size += r->length;
			continue;
		}
		if (count == BP_E820_MAX) {
			format(err, n, "the guest memory map needs more than %u "
			       "e820 entries (the zero page holds %u)",
			       BP_E820_MAX, BP_E820_MAX);
			return false;
		}
		bp->e820_table[count++] = (struct boot_e820_entry){
			r->base, r->length, type };
	}
	bp->e820_entries = (uint8_t)count;
	return true;
}

/* screen_info for an 80x25 VGA text console as the boot loader reported it.
 */
static void fill_text_screen(const struct boot_framebuffer *fb,
			     struct screen_info *si)
{
	si->orig_video_mode = VIDEO_MODE_TEXT_80X25;
	si->orig_video_cols = (uint8_t)fb->width;
	si->orig_video_lines = (uint8_t)fb->height;
	si->orig_video_isVGA = VIDEO_TYPE_VGAC;
	si->orig_video_points = 16;         /* 8x16 VGA font */
}

/* The reserved channel of a direct-colour pixel: the bits above the
 * highest colour channel up to the pixel's size (byte 3 of a 32-bit
 * 8:8:8 pixel), as the kernel's EFI stub describes a GOP "Reserved8"
 * pixel; none when the colours reach the top. */
static void fill_rsvd_channel(const struct boot_framebuffer *fb,
			      struct screen_info *si)
{
	uint32_t top = fb->red_pos + fb->red_size;

	if (fb->green_pos + fb->green_size > top)
		top = fb->green_pos + fb->green_size;
	if (fb->blue_pos + fb->blue_size > top)
		top = fb->blue_pos + fb->blue_size;
	if (top >= fb->bpp)
		return;
	si->rsvd_pos = (uint8_t)top;
	si->rsvd_size = (uint8_t)(fb->bpp - top);
}

/* screen_info for a linear framebuffer: an EFI framebuffer on a UEFI boot,
 * else a VESA one, with the sizes and colour layout the boot loader
 * reported. */
static void fill_lfb_screen(const struct boot_framebuffer *fb, bool uefi,
			    struct screen_info *si)
{
	uint64_t bytes = (uint64_t)fb->pitch * fb->height;

	si->orig_video_isVGA = uefi ? VIDEO_TYPE_EFI : VIDEO_TYPE_VLFB;
	si->lfb_width = (uint16_t)fb->width;
	si->lfb_height = (uint16_t)fb->height;
	si->lfb_depth = fb->bpp;
	si->lfb_linelength = (uint16_t)fb->pitch;
	si->lfb_base = LOW32(fb->addr);
	si->ext_lfb_base = HIGH32(fb->addr);
	if (si->ext_lfb_base)
		si->capabilities |= VIDEO_CAPABILITY_64BIT_BASE;
	/* VESA counts 64 KiB units, EFI counts bytes. */
	bytes = (bytes + VLFB_SIZE_UNIT - 1) & ~(uint64_t)(VLFB_SIZE_UNIT - 1);
	si->lfb_size = uefi ? LOW32(bytes) : LOW32(bytes / VLFB_SIZE_UNIT);
	si->red_size = fb->red_size;
	si->red_pos = fb->red_pos;
	si->green_size = fb->green_size;
	si->green_pos = fb->green_pos;
	si->blue_size = fb->blue_size;
	si->blue_pos = fb->blue_pos;
	fill_rsvd_channel(fb, si);
	si->pages = 1;
}

/* screen_info from the boot loader's framebuffer, if it reported one Linux
 * can use; left zero otherwise (no console on screen). */
static void fill_screen(const struct boot_params_in *in, struct screen_info *si)
{
	if (!in->fb)
		return;
	if (in->fb->type == BOOT_FB_EGA_TEXT)
		fill_text_screen(in->fb, si);
	else if (in->fb->type == BOOT_FB_RGB)
		fill_lfb_screen(in->fb, in->uefi, si);
}

/* Build the zero page in bp from in: a clean page, the image's setup header,
 * the loader's fields, the screen and the e820 map.  Pure.  False with err
 * filled when the memory map does not fit the zero page. */
bool boot_params_build(const struct boot_params_in *in, struct boot_params *bp,
		       char *err, size_t err_size)
{
	memset(bp, 0, sizeof(*bp));
	copy_setup_header(in, bp);
	fill_loader_fields(in, bp);
	fill_screen(in, &bp->screen_info);
	return fill_e820(in, bp, err, err_size);
}

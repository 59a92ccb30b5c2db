/*
 * Multiboot2: the constants of the specification (Multiboot2 Specification
 * version 2.0, "Header format" and "Boot information format"), usable from
 * assembly (header.S, entry.S) and C, and the parser that turns GRUB's boot
 * information into a struct boot_info.
 *
 * Layout of the boot information GRUB hands over (all little-endian, every
 * tag starts on an 8-byte boundary):
 *
 *     u32 total_size   (including these 8 bytes and the end tag)
 *     u32 reserved
 *     tag: u32 type, u32 size (header + payload, without padding), payload
 *     ...
 *     end tag: type 0, size 8
 */
#ifndef BOOT_MB2_MULTIBOOT2_H
#define BOOT_MB2_MULTIBOOT2_H

/* ---- the OS image's header ------------------------------------------ */
#define MB2_HEADER_MAGIC         0xE85250D6
#define MB2_HEADER_ARCH_I386     0          /* 32-bit protected mode entry */
#define MB2_HEADER_ALIGN         8
#define MB2_HEADER_SEARCH_LIMIT  32768      /* header must lie in the first 32 KiB */

/* Header tag: u16 type, u16 flags, u32 size. */
#define MB2_HTAG_END             0
#define MB2_HTAG_INFO_REQUEST    1
#define MB2_HTAG_ADDRESS         2
#define MB2_HTAG_ENTRY_ADDRESS   3
#define MB2_HTAG_CONSOLE_FLAGS   4
#define MB2_HTAG_FRAMEBUFFER     5
#define MB2_HTAG_MODULE_ALIGN    6
#define MB2_HTAG_EFI_BS          7
#define MB2_HTAG_ENTRY_EFI32     8
#define MB2_HTAG_ENTRY_EFI64     9
#define MB2_HTAG_RELOCATABLE     10

/* Sizes of the fixed-size header tags. */
#define MB2_HTAG_HEADER_SIZE        8    /* u16 type, u16 flags, u32 size */
#define MB2_HTAG_FRAMEBUFFER_SIZE   20   /* + u32 width, height, depth */
#define MB2_HTAG_MODULE_ALIGN_SIZE  8
#define MB2_HTAG_END_SIZE           8

/* Header tag flags: an optional tag the loader does not know is ignored
 * instead of refusing to boot. */
#define MB2_HTAG_FLAG_REQUIRED   0
#define MB2_HTAG_FLAG_OPTIONAL   1

/* ---- the boot information -------------------------------------------- */
#define MB2_BOOTLOADER_MAGIC     0x36D76289  /* in EAX at entry */
#define MB2_INFO_ALIGN           8
#define MB2_INFO_HEADER_SIZE     8           /* total_size + reserved */
#define MB2_TAG_HEADER_SIZE      8           /* type + size */

#define MB2_TAG_END              0
#define MB2_TAG_CMDLINE          1
#define MB2_TAG_BOOT_LOADER_NAME 2
#define MB2_TAG_MODULE           3
#define MB2_TAG_BASIC_MEMINFO    4
#define MB2_TAG_BOOTDEV          5
#define MB2_TAG_MMAP             6
#define MB2_TAG_VBE              7
#define MB2_TAG_FRAMEBUFFER      8
#define MB2_TAG_ELF_SECTIONS     9
#define MB2_TAG_APM              10
#define MB2_TAG_EFI32            11
#define MB2_TAG_EFI64            12
#define MB2_TAG_SMBIOS           13
#define MB2_TAG_ACPI_OLD         14
#define MB2_TAG_ACPI_NEW         15
#define MB2_TAG_NETWORK          16
#define MB2_TAG_EFI_MMAP         17
#define MB2_TAG_EFI_BS           18
#define MB2_TAG_EFI32_IH         19
#define MB2_TAG_EFI64_IH         20
#define MB2_TAG_LOAD_BASE_ADDR   21

/* Memory map entry types (tag 6). */
#define MB2_MEMORY_AVAILABLE        1
#define MB2_MEMORY_RESERVED         2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS              4
#define MB2_MEMORY_BADRAM           5

/* Framebuffer types (tag 8). */
#define MB2_FRAMEBUFFER_TYPE_INDEXED  0
#define MB2_FRAMEBUFFER_TYPE_RGB      1
#define MB2_FRAMEBUFFER_TYPE_EGA_TEXT 2

/* Fixed sizes of the tags the parser reads (header included). */
#define MB2_MODULE_TAG_MIN       16   /* + mod_start, mod_end, string */
#define MB2_MMAP_TAG_MIN         16   /* + entry_size, entry_version */
#define MB2_MMAP_ENTRY_MIN       24   /* base, length, type, reserved */
#define MB2_FRAMEBUFFER_TAG_MIN  32   /* common part, before colour info */
#define MB2_FRAMEBUFFER_RGB_MIN  38   /* common part + six RGB fields */
#define MB2_EFI64_TAG_SIZE       16   /* + u64 pointer */
#define MB2_EFI32_TAG_SIZE       12   /* + u32 pointer */
#define MB2_EFI_MMAP_TAG_MIN     16   /* + descriptor_size, descriptor_version */

/* The parser refuses boot information larger than this: GRUB's is a few
 * KiB; anything near it is corrupt. */
#define MB2_INFO_MAX_SIZE        (1024 * 1024)

#ifndef __ASSEMBLY__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* Payload layouts after the 8-byte tag header; offsets from the tag start. */
struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_tag_module {
	uint32_t type, size;
	uint32_t mod_start;         /* physical, first byte */
	uint32_t mod_end;           /* physical, one past the last byte */
	/* char string[]: NUL-terminated command line of the module */
};
_Static_assert(sizeof(struct mb2_tag_module) == MB2_MODULE_TAG_MIN,
	       "module tag layout");

struct mb2_tag_mmap {
	uint32_t type, size;
	uint32_t entry_size;
	uint32_t entry_version;
};
_Static_assert(sizeof(struct mb2_tag_mmap) == MB2_MMAP_TAG_MIN,
	       "mmap tag layout");

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == MB2_MMAP_ENTRY_MIN,
	       "mmap entry layout");

struct mb2_tag_framebuffer {
	uint32_t type, size;
	uint64_t addr;
	uint32_t pitch;
	uint32_t width;
	uint32_t height;
	uint8_t bpp;
	uint8_t fb_type;
	uint16_t reserved;
	/* for MB2_FRAMEBUFFER_TYPE_RGB: */
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};
_Static_assert(offsetof(struct mb2_tag_framebuffer, red_pos) ==
	       MB2_FRAMEBUFFER_TAG_MIN, "framebuffer tag layout");

struct mb2_tag_efi_mmap {
	uint32_t type, size;
	uint32_t descriptor_size;
	uint32_t descriptor_version;
	/* EFI_MEMORY_DESCRIPTOR map[] */
};
_Static_assert(sizeof(struct mb2_tag_efi_mmap) == MB2_EFI_MMAP_TAG_MIN,
	       "EFI mmap tag layout");

/*
 * multiboot2_parse: check GRUB's boot information and copy what the core
 * needs into *bi.  Pure: reads only the `info` bytes, touches no hardware,
 * so host unit tests can feed it synthetic blocks.
 *
 *   info        the boot information, readable at this pointer (identity-
 *               mapped on the target, a test buffer on the host)
 *   info_phys   its physical address (only to check overlaps and report)
 *   image_base  physical extent [image_base, image_end) of the hypervisor
 *   image_end   image, .bss included: no module may overlap it
 *   bi          filled on success; partly filled on failure
 *   err         on failure, one sentence naming what is wrong (e.g.
 *               "memory map (tag 6 at offset 0x38): entry_size 20 is not a
 *               multiple of 8 of at least 24"); always NUL-terminated when
 *               err_size > 0
 *
 * What it fills: firmware (UEFI when an EFI system table tag 11/12 or an EFI
 * memory map tag 17 is present, else BIOS), path (multiboot2), cmdline,
 * loader, modules (see below), the memory map (tag 6; tag 17 only when
 * tag 6 is absent), the RSDP copy (tag 15 preferred over 14; bi->rsdp, the
 * physical address, is left 0: the caller finds it in firmware memory),
 * framebuffer (tag 8), EFI system table (tag 12, else 11), image_base and
 * image_size.
 *
 * Returns true when the information is well formed and everything fitted.
 *
 * Command lines as GRUB 2.06 builds them (measured): the file name is
 * dropped and the remaining words are joined with single spaces; a word
 * holding a blank is put in double quotes and a '"' gets a backslash.
 *   multiboot2 /boot/hv.elf serial=0x3f8,115200  -> "serial=0x3f8,115200"
 *   module2 /boot/x.bin guest a=b  c="d e"      -> "guest a=b \"c=d e\""
 *   module2 /boot/x.bin                         -> ""  (name "")
 * The module's first word becomes its name (boot_info_add_module).
 */
bool multiboot2_parse(const void *info, uint64_t info_phys,
		      uint64_t image_base, uint64_t image_end,
		      struct boot_info *bi, char *err, size_t err_size);

/* The multiboot2 path's C entry, called by entry.S on the boot stack. */
void mb2_main(uint32_t magic, uint64_t info) __attribute__((noreturn));

#endif /* !__ASSEMBLY__ */
#endif

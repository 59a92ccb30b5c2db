/*
 * The Multiboot Specification version 0.6.96 ("multiboot 1"): the OS image
 * header, the machine state at entry and the boot information format, for
 * the hypervisor's loader (guest/multiboot/) and the test guest
 * (tests/guest/), which reads what the loader builds.  Spec section names
 * are given beside each group.  The #defines are assembler-safe; the
 * structs are for C only.
 *
 * One definition for both sides, so a layout mistake cannot hide behind a
 * matching mistake in a second copy: every offset below is the
 * specification's number, and each struct field is checked against it
 * with _Static_assert.  Plain C, freestanding, header-only.
 */
#ifndef GUEST_MULTIBOOT_SPEC_H
#define GUEST_MULTIBOOT_SPEC_H

#include "lib/bits.h"

/* 3.1.1 "The layout of Multiboot header" */
#define MB1_HEADER_MAGIC          0x1BADB002
#define MB1_HEADER_SEARCH_LIMIT   8192      /* header lies within these bytes */
#define MB1_HEADER_ALIGN          4         /* ... at a 32-bit boundary */

/* 3.1.2 "The magic fields of Multiboot header": flags bits 0-15 are
 * requirements (refuse the image when one is not understood), 16-31 are
 * optional. */
#define MB1_HEADER_PAGE_ALIGN     BIT(0)      /* modules on 4 KiB boundaries */
#define MB1_HEADER_MEMORY_INFO    BIT(1)      /* mem_* (and mmap) wanted */
#define MB1_HEADER_VIDEO_MODE     BIT(2)      /* video fields valid */
#define MB1_HEADER_AOUT_KLUDGE    BIT(16)     /* address fields valid */
#define MB1_HEADER_REQUIRED_MASK  0x0000FFFF

/* Header sizes: the three magic fields, + the a.out kludge address fields,
 * + the graphics fields. */
#define MB1_HEADER_MAGIC_SIZE     12
#define MB1_HEADER_ADDR_SIZE      32
#define MB1_HEADER_VIDEO_SIZE     48

/* 3.2 "Machine state": EAX at entry. */
#define MB1_BOOTLOADER_MAGIC      0x2BADB002

/* 3.3 "Boot information format": flags of struct mb1_info. */
#define MB1_INFO_MEMORY           BIT(0)       /* mem_lower, mem_upper */
#define MB1_INFO_BOOTDEV          BIT(1)
#define MB1_INFO_CMDLINE          BIT(2)
#define MB1_INFO_MODS             BIT(3)
#define MB1_INFO_AOUT_SYMS        BIT(4)
#define MB1_INFO_ELF_SHDR         BIT(5)
#define MB1_INFO_MEM_MAP          BIT(6)
#define MB1_INFO_DRIVE_INFO       BIT(7)
#define MB1_INFO_CONFIG_TABLE     BIT(8)
#define MB1_INFO_BOOT_LOADER_NAME BIT(9)
#define MB1_INFO_APM_TABLE        BIT(10)
#define MB1_INFO_VBE_INFO         BIT(11)
#define MB1_INFO_FRAMEBUFFER_INFO BIT(12)

/* mem_lower counts RAM from 0 (at most 640 KiB); mem_upper from 1 MiB. */
#define MB1_LOWER_MEMORY_MAX_KIB  640
#define MB1_UPPER_MEMORY_BASE     0x100000

/* Memory map entry types (3.3, "mmap_*"). */
#define MB1_MEMORY_AVAILABLE      1
#define MB1_MEMORY_RESERVED       2
#define MB1_MEMORY_ACPI_RECLAIM   3
#define MB1_MEMORY_NVS            4
#define MB1_MEMORY_BADRAM         5

#define MB1_MODULE_ALIGN          0x1000    /* MB1_HEADER_PAGE_ALIGN */

/* 3.3 byte offsets in the boot information, for assembly. */
#define MB1_INFO_OFF_FLAGS        0
#define MB1_INFO_OFF_MEM_LOWER    4
#define MB1_INFO_OFF_CMDLINE      16
#define MB1_INFO_OFF_MMAP_LENGTH  44
#define MB1_INFO_OFF_MMAP_ADDR    48
#define MB1_INFO_OFF_FRAMEBUFFER  88        /* the VBE fields end here */
#define MB1_INFO_SIZE             116

#ifndef __ASSEMBLY__
#include <stdint.h>
/* Where the boot information and its strings must live: the fields are
 * 32-bit physical addresses. */
#define MB1_ADDRESS_LIMIT         0x100000000ull


struct mb1_header {
	uint32_t magic;
	uint32_t flags;
	uint32_t checksum;          /* magic + flags + checksum == 0 (mod 2^32) */
	/* valid with MB1_HEADER_AOUT_KLUDGE */
	uint32_t header_addr;       /* physical address of this header */
	uint32_t load_addr;         /* physical address of the text start */
	uint32_t load_end_addr;     /* end of text+data; 0: to end of file */
	uint32_t bss_end_addr;      /* end of bss; 0: no bss */
	uint32_t entry_addr;
	/* valid with MB1_HEADER_VIDEO_MODE */
	uint32_t mode_type;
	uint32_t width;
	uint32_t height;
	uint32_t depth;
};
_Static_assert(sizeof(struct mb1_header) == MB1_HEADER_VIDEO_SIZE,
	       "mb1_header layout");

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;          /* KiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off,
		 vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch;
	uint32_t framebuffer_width, framebuffer_height;
	uint8_t framebuffer_bpp, framebuffer_type;
	uint8_t color_info[6];
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_info) == MB1_INFO_SIZE, "mb1_info layout");
_Static_assert(__builtin_offsetof(struct mb1_info, mem_lower) ==
	       MB1_INFO_OFF_MEM_LOWER, "mb1_info.mem_lower");
_Static_assert(__builtin_offsetof(struct mb1_info, cmdline) ==
	       MB1_INFO_OFF_CMDLINE, "mb1_info.cmdline");
_Static_assert(__builtin_offsetof(struct mb1_info, mmap_length) ==
	       MB1_INFO_OFF_MMAP_LENGTH, "mb1_info.mmap_length");
_Static_assert(__builtin_offsetof(struct mb1_info, mmap_addr) ==
	       MB1_INFO_OFF_MMAP_ADDR, "mb1_info.mmap_addr");
_Static_assert(__builtin_offsetof(struct mb1_info, framebuffer_addr) ==
	       MB1_INFO_OFF_FRAMEBUFFER, "mb1_info.framebuffer_addr");

struct mb1_module {
	uint32_t mod_start;
	uint32_t mod_end;           /* first byte after the module */
	uint32_t string;            /* its command line, 0-terminated */
	uint32_t reserved;          /* 0 */
};
_Static_assert(sizeof(struct mb1_module) == 16, "mb1_module layout");

/* `size` counts the bytes after itself (20 here): the next entry starts
 * size + 4 bytes on. */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "mb1_mmap_entry layout");
_Static_assert(__builtin_offsetof(struct mb1_mmap_entry, base_addr) == 4 &&
	       __builtin_offsetof(struct mb1_mmap_entry, length) == 12 &&
	       __builtin_offsetof(struct mb1_mmap_entry, type) == 20,
	       "mb1_mmap_entry fields");
#define MB1_MMAP_ENTRY_SIZE_FIELD (sizeof(struct mb1_mmap_entry) - \
				   sizeof(uint32_t))
#endif /* !__ASSEMBLY__ */

#endif

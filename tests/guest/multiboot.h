/*
 * Multiboot specification version 0.6.96 ("multiboot 1"): the header this
 * guest carries and the boot information it reads.  The #defines are
 * assembler-safe; the structs are for C only.
 *
 * Written from the specification on purpose, not shared with the loader's
 * guest/multiboot/multiboot.h: a layout mistake there must not be hidden by the test
 * guest reading the boot information through the same mistake.
 */
#ifndef GUEST_TESTS_MULTIBOOT_H
#define GUEST_TESTS_MULTIBOOT_H

#define MB_HEADER_MAGIC        0x1badb002
#define MB_BOOTLOADER_MAGIC    0x2badb002   /* EAX at entry */
#define MB_HEADER_PAGE_ALIGN   (1 << 0)     /* modules on 4 KiB boundaries */
#define MB_HEADER_MEMORY_INFO  (1 << 1)     /* mem_* and the memory map */
#define MB_HEADER_AOUT_KLUDGE  (1 << 16)    /* address fields are valid */
#define MB_HEADER_FLAGS        (MB_HEADER_PAGE_ALIGN | MB_HEADER_MEMORY_INFO | \
                                MB_HEADER_AOUT_KLUDGE)

/* struct mb_info: flags and byte offsets used from assembly. */
#define MB_INFO_FLAG_MEMORY    (1 << 0)
#define MB_INFO_FLAG_CMDLINE   (1 << 2)
#define MB_INFO_FLAG_MEM_MAP   (1 << 6)
#define MB_INFO_OFF_FLAGS      0
#define MB_INFO_OFF_CMDLINE    16
#define MB_INFO_OFF_MMAP_LEN   44
#define MB_INFO_OFF_MMAP_ADDR  48
#define MB_INFO_COPY_SIZE      88           /* through the VBE fields */

/* What entry.S copies out of the loader's memory before the trampoline may
 * overwrite it. */
#define MB_CMDLINE_MAX         512
#define MB_MMAP_MAX            4096

#define MB_MMAP_AVAILABLE      1
#define MB_MMAP_RESERVED       2
#define MB_MMAP_ACPI_RECLAIM   3
#define MB_MMAP_ACPI_NVS       4
#define MB_MMAP_BAD            5

#ifndef __ASSEMBLY__
#include <stdint.h>

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;        /* KiB */
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
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
} __attribute__((packed));
_Static_assert(sizeof(struct mb_info) == MB_INFO_COPY_SIZE, "mb_info layout");

/* `size` counts the bytes after itself; the next entry is size + 4 on. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

/* The copies entry.S made (all zero when EAX was not MB_BOOTLOADER_MAGIC). */
extern uint32_t mb_magic;
extern struct mb_info mb_info_copy;
extern char mb_cmdline[MB_CMDLINE_MAX];
extern uint32_t mb_mmap_length;
extern uint8_t mb_mmap[MB_MMAP_MAX];
#endif

#endif

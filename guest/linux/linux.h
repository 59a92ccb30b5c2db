/*
 * The Linux/x86 boot protocol (Linux Documentation/arch/x86/boot.rst and
 * zero-page.rst, arch/x86/include/uapi/asm/bootparam.h), as the
 * hypervisor's Linux loader needs it: the bzImage setup header, the zero
 * page (struct boot_params), and the 32-bit boot protocol entry.
 *
 * Parsing (guest/linux/bzimage.c) and the zero-page builder (guest/linux/boot_params.c)
 * are pure and host-tested; linux_load() (guest/linux/loader.c) places the images
 * in guest memory and fills a struct guest_entry.
 */
#ifndef GUEST_LINUX_H
#define GUEST_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "guest/guest.h"

/* ---- The bzImage file ("THE REAL-MODE KERNEL HEADER") -------------------- */
#define BZ_SECTOR_SIZE            512
#define BZ_SETUP_SECTS_DEFAULT    4         /* setup_sects == 0 means 4 */
#define BZ_SETUP_HEADER_OFFSET    0x1f1     /* struct setup_header */
#define BZ_JUMP_LENGTH_OFFSET     0x201     /* end of header = 0x202 + this byte */
#define BZ_HEADER_END_BASE        0x202
#define BZ_BOOT_FLAG              0xAA55
#define BZ_HEADER_MAGIC           0x53726448u  /* "HdrS" */
#define BZ_PROTOCOL_MIN           0x0206    /* cmdline_size, reloc fields */
#define BZ_PROTOCOL_2_10          0x020a    /* pref_address, init_size */
#define BZ_PROTOCOL_2_12          0x020c    /* xloadflags */
#define BZ_SYSSIZE_UNIT           16        /* syssize counts paragraphs */
#define BZ_CODE32_START_DEFAULT   0x100000u /* where a non-relocatable kernel goes */

/* loadflags */
#define BZ_LOADED_HIGH            (1u << 0)  /* protected-mode code at 1 MiB+ */
#define BZ_KASLR_FLAG             (1u << 1)
#define BZ_QUIET_FLAG             (1u << 5)
#define BZ_KEEP_SEGMENTS          (1u << 6)
#define BZ_CAN_USE_HEAP           (1u << 7)  /* heap_end_ptr is valid */

/* xloadflags (2.12+) */
#define BZ_XLF_KERNEL_64          (1u << 0)  /* 64-bit entry at +0x200 */
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)

#define BZ_LOADER_TYPE_UNDEFINED  0xff       /* type_of_loader: no assigned id */
#define BZ_INITRD_ADDR_MAX_OLD    0x37ffffffu

/* The 32-bit boot protocol's segments: __BOOT_CS and __BOOT_DS. */
#define LINUX_BOOT_CS             0x10
#define LINUX_BOOT_DS             0x18

struct setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct setup_header) == 0x26c - 0x1f1,
	       "setup_header layout");

/* ---- The zero page (zero-page.rst) ------------------------------------- */
#define BP_E820_MAX               128       /* E820_MAX_ENTRIES_ZEROPAGE */
#define BP_SIZE                   4096

/* e820 types the guest is told */
#define E820_TYPE_RAM             1
#define E820_TYPE_RESERVED        2
#define E820_TYPE_ACPI            3
#define E820_TYPE_NVS             4
#define E820_TYPE_UNUSABLE        5
#define E820_TYPE_PMEM            7

/* screen_info.orig_video_isVGA */
#define VIDEO_TYPE_VGAC           0x22      /* VGA text, colour */
#define VIDEO_TYPE_VLFB           0x23      /* VESA linear frame buffer */
#define VIDEO_TYPE_EFI            0x70      /* UEFI GOP frame buffer */
#define VIDEO_CAPABILITY_64BIT_BASE (1u << 1)
#define VIDEO_MODE_TEXT_80X25     0x03
#define VLFB_SIZE_UNIT            65536     /* VLFB lfb_size counts 64 KiB */

struct screen_info {
	uint8_t orig_x, orig_y;
	uint16_t ext_mem_k;
	uint16_t orig_video_page;
	uint8_t orig_video_mode, orig_video_cols;
	uint8_t flags, unused2;
	uint16_t orig_video_ega_bx;
	uint16_t unused3;
	uint8_t orig_video_lines, orig_video_isVGA;
	uint16_t orig_video_points;
	uint16_t lfb_width, lfb_height, lfb_depth;
	uint32_t lfb_base, lfb_size;
	uint16_t cl_magic, cl_offset;
	uint16_t lfb_linelength;
	uint8_t red_size, red_pos, green_size, green_pos;
	uint8_t blue_size, blue_pos, rsvd_size, rsvd_pos;
	uint16_t vesapm_seg, vesapm_off;
	uint16_t pages;
	uint16_t vesa_attributes;
	uint32_t capabilities;
	uint32_t ext_lfb_base;
	uint8_t reserved[2];
} __attribute__((packed));
_Static_assert(sizeof(struct screen_info) == 0x40, "screen_info layout");

struct boot_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct boot_e820_entry) == 20, "boot_e820_entry layout");

struct boot_params {
	struct screen_info screen_info;         /* 0x000 */
	uint8_t apm_bios_info[0x14];            /* 0x040 */
	uint8_t pad2[4];                        /* 0x054 */
	uint64_t tboot_addr;                    /* 0x058 */
	uint8_t ist_info[0x10];                 /* 0x060 */
	uint64_t acpi_rsdp_addr;                /* 0x070 */
	uint8_t pad3[8];                        /* 0x078 */
	uint8_t hd0_info[16], hd1_info[16];     /* 0x080 */
	uint8_t sys_desc_table[16];             /* 0x0a0 */
	uint8_t olpc_ofw_header[16];            /* 0x0b0 */
	uint32_t ext_ramdisk_image;             /* 0x0c0 */
	uint32_t ext_ramdisk_size;              /* 0x0c4 */
	uint32_t ext_cmd_line_ptr;              /* 0x0c8 */
	uint8_t pad4[112];                      /* 0x0cc */
	uint32_t cc_blob_address;               /* 0x13c */
	uint8_t edid_info[128];                 /* 0x140 */
	uint8_t efi_info[32];                   /* 0x1c0 */
	uint32_t alt_mem_k;                     /* 0x1e0 */
	uint32_t scratch;                       /* 0x1e4: the kernel's first stack */
	uint8_t e820_entries;                   /* 0x1e8 */
	uint8_t eddbuf_entries;                 /* 0x1e9 */
	uint8_t edd_mbr_sig_buf_entries;        /* 0x1ea */
	uint8_t kbd_status;                     /* 0x1eb */
	uint8_t secure_boot;                    /* 0x1ec */
	uint8_t pad5[2];                        /* 0x1ed */
	uint8_t sentinel;                       /* 0x1ef */
	uint8_t pad6[1];                        /* 0x1f0 */
	struct setup_header hdr;                /* 0x1f1 */
	uint8_t pad7[0x290 - 0x1f1 - sizeof(struct setup_header)];
	uint32_t edd_mbr_sig_buffer[16];        /* 0x290 */
	struct boot_e820_entry e820_table[BP_E820_MAX]; /* 0x2d0 */
	uint8_t pad8[48];                       /* 0xcd0 */
	uint8_t eddbuf[0xeec - 0xd00];          /* 0xd00 */
	uint8_t pad9[276];                      /* 0xeec */
} __attribute__((packed));
_Static_assert(sizeof(struct boot_params) == BP_SIZE, "boot_params size");
_Static_assert(__builtin_offsetof(struct boot_params, acpi_rsdp_addr) == 0x70,
	       "boot_params.acpi_rsdp_addr");
_Static_assert(__builtin_offsetof(struct boot_params, e820_entries) == 0x1e8,
	       "boot_params.e820_entries");
_Static_assert(__builtin_offsetof(struct boot_params, hdr) == 0x1f1,
	       "boot_params.hdr");
_Static_assert(__builtin_offsetof(struct boot_params, e820_table) == 0x2d0,
	       "boot_params.e820_table");

/* ---- bzImage parsing (guest/linux/bzimage.c, pure) ----------------------------- */
struct bzimage {
	uint16_t version;           /* boot protocol, 0x020f = 2.15 */
	uint32_t setup_size;        /* boot sector + real-mode setup, bytes */
	uint64_t pm_offset;         /* protected-mode kernel in the file */
	uint64_t pm_size;
	uint32_t header_end;        /* file offset after the setup header */
	uint8_t loadflags;
	bool relocatable;
	uint32_t kernel_alignment;  /* power of two */
	uint64_t pref_address;
	uint32_t init_size;         /* linear memory the kernel needs from its
	                               runtime start before it reads the map */
	uint32_t initrd_addr_max;   /* highest byte the initrd may occupy */
	uint32_t cmdline_size;      /* longest command line, NUL excluded */
	uint16_t xloadflags;
	uint32_t code32_start;
};

/*
 * Check that file[0..size) is a bzImage this loader can boot (boot protocol
 * 2.06 or later, loaded high) and describe it.  On failure writes the
 * reason ("not a bzImage (no HdrS signature)", "truncated: ...") to err.
 */
bool bzimage_parse(const void *file, uint64_t size, struct bzimage *out,
		   char *err, size_t err_size);

/* Bytes of guest memory the kernel needs from its load address: the file's
 * protected-mode part or init_size (from the aligned runtime start),
 * whichever reaches further. */
uint64_t bzimage_footprint(const struct bzimage *bz, uint64_t load_addr);

/* ---- The zero page (guest/linux/boot_params.c, pure) ----------------------------- */
struct boot_params_in {
	const uint8_t *image;       /* the bzImage file: its setup header */
	const struct bzimage *bz;
	uint64_t kernel_addr;       /* where the protected-mode kernel is */
	uint64_t cmdline_addr;      /* 0: none */
	uint64_t initrd_addr;       /* 0: none */
	uint64_t initrd_size;
	const struct mem_range *mmap;   /* the guest's memory map */
	uint32_t mmap_count;
	uint64_t rsdp_addr;         /* the guest's RSDP, 0: the kernel searches */
	const struct boot_framebuffer *fb;   /* NULL: no display information */
	bool uefi;                  /* describe a frame buffer as EFI GOP */
};

/* The e820 type for a boot memory map type. */
uint32_t boot_params_e820_type(uint32_t mem_type);

/* Write the zero page into *bp (zeroed first).  False (reason in err) when
 * the memory map does not fit the 128 e820 slots. */
bool boot_params_build(const struct boot_params_in *in, struct boot_params *bp,
		       char *err, size_t err_size);

/* ---- The loader (guest/linux/loader.c) ---------------------------------------- */
#define LINUX_KERNEL_ROLE         "linux"
#define LINUX_INITRD_ROLE         "initrd"
#define LINUX_ROOT_PARAM          "root"    /* kernel command line: a root device */

/*
 * Boot the bzImage in the module "linux" (its module command line is the
 * kernel's) with the optional module "initrd": place the kernel, the zero
 * page, the command line, a GDT and the guest's ACPI tables (one CPU) in
 * guest memory and fill `out` for the 32-bit boot protocol.  Needs
 * guest_mem_init() first.  On a problem logs "guest: linux: <reason>" and
 * returns false.
 */
bool linux_load(const struct boot_info *bi, struct guest_entry *out);

#endif

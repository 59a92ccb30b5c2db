/*
 * The multiboot2 header GRUB looks for in the first 32 KiB of hv.elf
 * (Multiboot2 Specification, "OS image format").  The linker script puts
 * section .multiboot2 first.  No address tag: GRUB loads the ELF segments
 * where the program headers say (linker/hv-mb2.ld) and enters at the ELF
 * entry point in 32-bit protected mode on BIOS and UEFI alike, since we
 * ask for no EFI boot-services or EFI entry tag.
 */
#include "boot/mb2/multiboot2.h"

/* A header tag: type, flags, size; every tag starts 8-byte aligned. */
.macro header_tag type, flags, size
	.balign MB2_HEADER_ALIGN
	.word \type, \flags
	.long \size
.endm

	.section .multiboot2, "a"
	.balign MB2_HEADER_ALIGN
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_HEADER_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_HEADER_ARCH_I386 + (mb2_header_end - mb2_header))

	/* The information we read; optional, so a loader that cannot give
	 * one still boots us (the parser copes with each being absent). */
	header_tag MB2_HTAG_INFO_REQUEST, MB2_HTAG_FLAG_OPTIONAL, \
		   (info_request_end-info_request_start+MB2_HTAG_HEADER_SIZE)
info_request_start:
	.long MB2_TAG_CMDLINE
	.long MB2_TAG_BOOT_LOADER_NAME
	.long MB2_TAG_MODULE
	.long MB2_TAG_MMAP
	.long MB2_TAG_FRAMEBUFFER
	.long MB2_TAG_EFI64
	.long MB2_TAG_ACPI_OLD
	.long MB2_TAG_ACPI_NEW
	.long MB2_TAG_EFI_MMAP
info_request_end:

	/*
	 * No framebuffer tag (MB2_HTAG_FRAMEBUFFER): on UEFI GRUB reports the
	 * GOP framebuffer without it, and on BIOS the tag makes GRUB switch
	 * the display to a VBE graphics mode (measured: 800x600x24 in QEMU),
	 * which takes the VGA text console away from a BIOS guest.  Without
	 * it GRUB reports the EGA text screen at 0xb8000, where the screen
	 * console (drivers/fbcon.h) writes the log as characters.
	 */

	/* Modules on page boundaries, so the core can map and reserve them
	 * in whole pages. */
	header_tag MB2_HTAG_MODULE_ALIGN, MB2_HTAG_FLAG_OPTIONAL, \
		   MB2_HTAG_MODULE_ALIGN_SIZE

	header_tag MB2_HTAG_END, MB2_HTAG_FLAG_REQUIRED, MB2_HTAG_END_SIZE
mb2_header_end:

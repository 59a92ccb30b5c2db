/*
 * Relocating a copy of the hypervisor image (pure; host unit tests).
 *
 * Both images are position-independent: their code addresses everything
 * RIP-relative, and every address stored in their data at link time has
 * an R_X86_64_RELATIVE relocation (ELF x86-64 psABI, "Relocation Types":
 * the word becomes the load base plus the addend).  hv.elf is a static
 * PIE linked at 4 MiB (linker/hv-mb2.ld), hv.efi a shared object linked at
 * 0 (linker/hv-efi.ld); either keeps its relocations in the loaded image.
 */
#ifndef BOOT_IMAGE_RELOC_H
#define BOOT_IMAGE_RELOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Elf64_Rela (ELF specification, "Relocation"). */
struct elf64_rela {
	uint64_t r_offset;          /* link-time address of the word */
	uint64_t r_info;            /* symbol << 32 | type */
	int64_t r_addend;
};
_Static_assert(sizeof(struct elf64_rela) == 24, "Elf64_Rela");

#define ELF64_R_TYPE(info)  ((uint32_t)(info))
#define R_X86_64_NONE       0
#define R_X86_64_RELATIVE   8

/*
 * Make `copy` (size bytes, a copy of the image linked at link_base) right
 * for running at new_base: each RELATIVE word becomes new_base + (addend -
 * link_base).  False, with the copy partly written, when an entry has
 * another type or names a word outside the copy: such an image cannot
 * move.  Only words the loader relocated are written: a pointer the
 * program stored at run time is not, so the copy must be made before the
 * program keeps addresses of its own in its data.
 */
bool image_relocate(uint8_t *copy, uint64_t size,
		    const struct elf64_rela *rela, size_t count,
		    uint64_t link_base, uint64_t new_base);

#endif

/*
 * Relocating a copy of the hypervisor image (see boot/image_reloc.h).
 */
#include "boot/image_reloc.h"

#include "lib/str.h"

/* Apply one relocation to copy; false when it is not a RELATIVE word
 * inside the copy (NONE entries are skipped). */
static bool apply_one(uint8_t *copy, uint64_t size,
		      const struct elf64_rela *r, uint64_t link_base,
		      uint64_t new_base)
{
	uint32_t type = ELF64_R_TYPE(r->r_info);
	uint64_t offset = r->r_offset - link_base;
	uint64_t value = new_base + ((uint64_t)r->r_addend - link_base);

	if (type == R_X86_64_NONE)
		return true;
	if (type != R_X86_64_RELATIVE || r->r_offset < link_base ||
	    size < sizeof(value) || offset > size - sizeof(value))
		return false;
	memcpy(copy + offset, &value, sizeof(value));
	return true;
}

/* Relocate every entry of rela into the copy (see the header). */
bool image_relocate(uint8_t *copy, uint64_t size,
		    const struct elf64_rela *rela, size_t count,
		    uint64_t link_base, uint64_t new_base)
{
	for (size_t i = 0; i < count; i++)
		if (!apply_one(copy, size, &rela[i], link_base, new_base))
			return false;
	return true;
}

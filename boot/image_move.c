/*
 * Moving the hypervisor image before the core starts (see
 * boot/image_move.h).  Nothing is logged here: the core's console is not
 * up yet; hv_main() reports the move from bi (boot_info_log).
 */
#include "boot/image_move.h"

#include "boot/image_reloc.h"
#include "lib/str.h"
#include "mm/place.h"

/* The core's stack, in the image: where hv_main() runs from. */
#define CORE_STACK_BYTES (64 * 1024)
#define CORE_STACK_ALIGN 16

/* The image's own extent and relocations (linker/hv-mb2.ld,
 * linker/hv-efi.ld). */
extern char __image_start[] __attribute__((visibility("hidden")));
extern const struct elf64_rela __rela_start[]
	__attribute__((visibility("hidden")));
extern const struct elf64_rela __rela_end[]
	__attribute__((visibility("hidden")));

static uint8_t core_stack[CORE_STACK_BYTES]
	__attribute__((aligned(CORE_STACK_ALIGN)));
/* Free RAM for the placement decision: too large for the stack. */
static struct pmm place_scratch;
static struct mm_layout place_layout;

/* The copy's version of an address inside the running image. */
static uintptr_t in_copy(const void *p, uint64_t from, uint64_t to)
{
	return (uintptr_t)p - from + to;
}

/* Whether p lies in the running image [base, base + size). */
static bool in_image(const void *p, uint64_t base, uint64_t size)
{
	return (uintptr_t)p >= base && (uintptr_t)p - base < size;
}

/* Copy and relocate the image to dest; false when it cannot be relocated
 * (then nothing at dest is used). */
static bool copy_image(uint64_t from, uint64_t size, uint64_t dest,
		       uint64_t link_base)
{
	uint8_t *copy = (uint8_t *)(uintptr_t)dest;

	memcpy(copy, (const void *)(uintptr_t)from, size);
	return image_relocate(copy, size, __rela_start,
			      (size_t)(__rela_end - __rela_start), link_base,
			      dest);
}

/* Move the image if it can (see the header) and enter the core. */
void boot_enter_core(struct boot_info *bi, uint64_t link_base)
{
	uint64_t from = bi->image_base, size = bi->image_size, dest = 0;

	bi->image_load_base = from;
	if (from == (uintptr_t)__image_start) {
		boot_info_mm_layout(bi, &place_layout);
		dest = hv_place_image(&place_scratch, &place_layout,
				      PMM_POOL_BYTES);
	}
	if (!dest || !copy_image(from, size, dest, link_base))
		boot_switch_stack(core_stack + sizeof(core_stack), hv_main, bi);

	struct boot_info *moved_bi = bi;
	if (in_image(bi, from, size))
		moved_bi = (struct boot_info *)in_copy(bi, from, dest);
	/* The whole aligned block is the hypervisor's: no island of guest RAM
	 * between the image and the next 2 MiB boundary. */
	moved_bi->image_base = dest;
	moved_bi->image_size = hv_place_image_span(size);
	boot_switch_stack((void *)in_copy(core_stack + sizeof(core_stack),
					  from, dest),
			  (void (*)(struct boot_info *))in_copy(hv_main, from,
								dest),
			  moved_bi);
}

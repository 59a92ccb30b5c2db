/*
 * The last step of both boot paths: move the hypervisor image out of the
 * guest's way (mm/place.h decides where), then enter the core there.
 */
#ifndef BOOT_IMAGE_MOVE_H
#define BOOT_IMAGE_MOVE_H

#include <stdint.h>

#include "boot/boot_info.h"

/*
 * Copy the image (bi->image_base, bi->image_size: it must be the running
 * one, linked at link_base) to the place hv_place_image() picks, relocate
 * the copy, and call hv_main() in the copy on the copy's stack, with the
 * copy's boot_info when bi lives in the image; bi->image_base and
 * image_size then give the image's block (its size rounded up to 2 MiB,
 * mm/place.h) and bi->image_load_base where the loader put it.
 * When it cannot move (no room, an image it cannot relocate) the image
 * stays and hv_main() runs in place.  Expects interrupts off, the loader's
 * hand-over consumed into bi (the copy may overwrite the loader's memory),
 * paging identity-mapping the first 4 GiB, and no address of the image
 * stored in its data at run time (see boot/image_reloc.h).
 */
__attribute__((noreturn))
void boot_enter_core(struct boot_info *bi, uint64_t link_base);

/* Switch to stack_top and call entry(bi); never returns
 * (boot/switch_stack.S). */
__attribute__((noreturn))
void boot_switch_stack(void *stack_top, void (*entry)(struct boot_info *),
		       struct boot_info *bi);

#endif

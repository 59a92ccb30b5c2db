/*
 * Where the hypervisor lives once it has started: the placement decision,
 * pure (host unit tests feed it recorded memory maps).
 *
 * The loader puts the image where it can (GRUB at the link address,
 * 4 MiB; UEFI wherever the firmware chose), which is often where a guest
 * wants its own memory: a multiboot kernel linked at 4 MiB, a Linux kernel
 * at 16 MiB, and the guest's RAM from 1 MiB up should run without a hole,
 * as on bare metal.  So the image moves, with its allocator pool right
 * below it, to the top of free RAM below 4 GiB: the highest block, 2 MiB
 * aligned, that holds both, clear of the first MiB, the loaded modules
 * (the guest's kernel and initrd), the RSDP page and the image's present
 * place (the copy's source).  Below 4 GiB because the multiboot2 entry
 * maps only that much and the AP trampoline loads CR3 in 32-bit mode;
 * 2 MiB aligned so that the guest's EPT keeps large pages around the hole.
 */
#ifndef MM_PLACE_H
#define MM_PLACE_H

#include <stdint.h>

#include "mm/layout.h"
#include "mm/pmm.h"

/* The hypervisor's block: the image (rounded up to this) on top, the pool
 * below it. */
#define HV_PLACE_ALIGN SIZE_2M

/* The image's size rounded up to whole HV_PLACE_ALIGN blocks. */
uint64_t hv_place_image_span(uint64_t image_bytes);

/*
 * Where the image should go: the base of the highest HV_PLACE_ALIGN-aligned
 * block below 4 GiB of free RAM (l's map minus what pmm_build_free_ram()
 * keeps out, which includes l->image, the image's present place) that
 * holds hv_place_image_span(l->image.size) + pool_bytes, plus pool_bytes:
 * the image sits on top of the pool.  0 when no such block exists (the
 * image then stays where the loader put it).  `scratch` is workspace.
 */
uint64_t hv_place_image(struct pmm *scratch, const struct mm_layout *l,
			uint64_t pool_bytes);

#endif

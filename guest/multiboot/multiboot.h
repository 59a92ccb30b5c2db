/*
 * The multiboot (v1) guest loader.  The specification's layouts (image
 * header, machine state at entry, boot information) are in
 * guest/multiboot/spec.h, shared with the test guest.
 *
 * The loader itself: guest/multiboot/image.h (parse an image), guest/multiboot/info.h
 * (build the boot information), multiboot_load() below (the driver).
 */
#ifndef GUEST_MULTIBOOT_H
#define GUEST_MULTIBOOT_H

#include "guest/multiboot/spec.h"

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* ---- the loader (guest/multiboot/loader.c) -------------------------------------- */
#include "boot/boot_info.h"
#include "guest/guest.h"

/*
 * Load the multiboot kernel held by the module whose role is `role` (the
 * guest= option) into guest memory, hand it every "guest-module" module,
 * build its boot information and fill `out` (32-bit protected mode at the kernel's entry,
 * EAX = MB1_BOOTLOADER_MAGIC, EBX = the information's address).  Needs
 * guest_mem_init() first.  On any problem it logs "guest: <role>: <reason>"
 * and returns false; guest memory may then be partly written.
 */
bool multiboot_load(const struct boot_info *bi, const char *role,
		    struct guest_entry *out);

#endif /* !__ASSEMBLY__ */
#endif

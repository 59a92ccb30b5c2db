/*
 * What this guest takes from the multiboot (v1) boot: the header it
 * carries and the copies of the boot information entry.S makes.  The
 * specification's layouts are the loader's own, guest/multiboot/spec.h,
 * whose offsets are checked against the specification's numbers.  The
 * #defines are assembler-safe; the declarations are for C only.
 */
#ifndef GUEST_TESTS_MULTIBOOT_H
#define GUEST_TESTS_MULTIBOOT_H

#include "guest/multiboot/spec.h"

#define MB_HEADER_FLAGS        (MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO | \
                                MB1_HEADER_AOUT_KLUDGE)

/* What entry.S copies out of the loader's memory before the trampoline may
 * overwrite it: the boot information through the VBE fields (the
 * framebuffer fields stay zero), the command line, the memory map. */
#define MB_INFO_COPY_SIZE      MB1_INFO_OFF_FRAMEBUFFER
#define MB_CMDLINE_MAX         512
#define MB_MMAP_MAX            4096

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

/* The copies entry.S made (all zero when EAX was not MB1_BOOTLOADER_MAGIC). */
extern uint32_t mb_magic;
extern struct mb1_info mb_info_copy;
extern char mb_cmdline[MB_CMDLINE_MAX];
extern uint32_t mb_mmap_length;
extern uint8_t mb_mmap[MB_MMAP_MAX];

/* Walk the memory map copy (tests/guest/checks_mem.c): visit(e, ctx) for
 * each entry until it returns false; false if the map is missing or
 * malformed. */
typedef bool (*mmap_visit)(const struct mb1_mmap_entry *e, void *ctx);
bool mmap_walk(mmap_visit visit, void *ctx);
#endif

#endif

/*
 * Building the multiboot (v1) boot information (Multiboot 0.6.96, 3.3) for
 * a guest: one block holding struct mb1_info, the module list, the memory
 * map and every string, laid out for a given guest-physical address.
 * Pure (guest/multiboot/info.c): it writes only into the buffer it is given, so
 * the loader passes the guest memory itself (identity-mapped) and host
 * unit tests pass an ordinary buffer.
 */
#ifndef GUEST_MB1_INFO_H
#define GUEST_MB1_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* Boot modules with this role are handed to the guest kernel, in boot order. */
#define MB1_GUEST_MODULE_ROLE "guest-module"
#define MB1_LOADER_NAME       "micro-hypervisor"
/* The block is 8-byte aligned at least (its 64-bit mmap fields). */
#define MB1_INFO_ALIGN        8

struct mb1_info_params {
	const struct mem_range *mmap;       /* the guest's memory map */
	uint32_t mmap_count;
	const char *cmdline;                /* the kernel's command line */
	const struct boot_module *modules;  /* every boot module */
	uint32_t module_count;
};

/* Bytes the block needs. */
size_t mb1_info_size(const struct mb1_info_params *p);

/*
 * Write the block into buf (buf_size bytes, at least mb1_info_size()), with
 * every address in it computed for the block living at guest-physical
 * `base` (MB1_INFO_ALIGN-aligned, below 4 GiB).  Sets flags MEMORY,
 * CMDLINE, MODS, MEM_MAP and BOOT_LOADER_NAME.  False with a reason in err
 * when the buffer is too small or a module lies above 4 GiB.
 */
bool mb1_info_build(const struct mb1_info_params *p, uint64_t base, void *buf,
		    size_t buf_size, char *err, size_t err_size);

/* Number of modules with role MB1_GUEST_MODULE_ROLE. */
uint32_t mb1_guest_module_count(const struct mb1_info_params *p);

/* The multiboot memory-map type for an enum mem_type. */
uint32_t mb1_mmap_type(uint32_t mem_type);

#endif

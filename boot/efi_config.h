/*
 * hv.cfg: what the UEFI application loads, read from the directory that
 * holds hv.efi (the multiboot2 path gets the same from grub.cfg).
 *
 *     # a comment: '#' first on a line (after blanks); blank lines are fine
 *     cmdline serial=0x3f8 loglevel=debug test-exit
 *     module guest.bin guest
 *     module /linux/bzImage linux console=ttyS0 quiet
 *     module \linux\initrd.img initrd
 *
 * cmdline <rest of line>
 *     The hypervisor's command line (boot/config.h), at most once; without
 *     it the command line is empty.
 * module <path> <role> [args...]
 *     A file to load, page aligned, into memory below 4 GiB.  <path> is a
 *     path on hv.efi's volume with '\' or '/' separators: absolute when it
 *     starts with one, otherwise relative to hv.efi's directory.  <role>
 *     [args...] becomes the module's command line in boot_info (role =
 *     first word, e.g. "guest", "linux", "initrd").  At most
 *     BOOT_MODULES_MAX modules, no blanks inside a path.
 *
 * Words are separated by blanks (space, tab, and a CR inside a line); lines
 * end with LF or CRLF.
 * Anything else (an unknown keyword, a missing word, a value too long) is an
 * error naming the line, and the application stops.  Pure code: no GNU-EFI.
 */
#ifndef BOOT_EFI_CONFIG_H
#define BOOT_EFI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define EFI_CONFIG_FILE_NAME   "hv.cfg"
#define EFI_CONFIG_FILE_MAX    (64 * 1024)    /* bytes; larger is an error */
#define EFI_CONFIG_PATH_MAX    256
#define EFI_CONFIG_MODULES_MAX BOOT_MODULES_MAX
#define EFI_CONFIG_ERROR_MAX   128

struct efi_config_module {
	char path[EFI_CONFIG_PATH_MAX];      /* as written in hv.cfg */
	char cmdline[BOOT_CMDLINE_MAX];      /* "<role> [args...]" */
};

struct efi_config {
	bool has_cmdline;
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t module_count;
	struct efi_config_module modules[EFI_CONFIG_MODULES_MAX];
	char error[EFI_CONFIG_ERROR_MAX];    /* "line N: ..." when parsing failed */
};

/* The configuration used when there is no hv.cfg: nothing at all. */
void efi_config_init(struct efi_config *cfg);

/*
 * Parse `len` bytes of hv.cfg text into cfg (initialised first).  Returns
 * false and fills cfg->error on the first malformed line; what the lines
 * before it set stays in cfg (efi_main still honours test-exit from an
 * earlier cmdline line when it reports the error).
 */
bool efi_config_parse(const char *text, size_t len, struct efi_config *cfg);

/*
 * The volume path of a module: `path` from hv.cfg, taken relative to `dir`
 * (hv.efi's directory, e.g. "\EFI\BOOT") unless it starts with a separator,
 * with every '/' turned into '\'.  False when the result does not fit.
 */
bool efi_config_resolve_path(const char *dir, const char *path, char *out,
			     size_t out_size);

#endif

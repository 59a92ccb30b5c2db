/*
 * The UEFI load options of hv.efi: the Linux guest's extra command line.
 *
 * A boot entry (efibootmgr --unicode '...', a Boot#### variable's optional
 * data) or the UEFI shell (`fs0:\EFI\BOOT\hv.efi quiet`) hands hv.efi a
 * UCS-2 string in the LoadedImage protocol's LoadOptions.  Its words go to
 * the end of the Linux kernel's command line (module role "linux", after
 * the words hv.cfg gives it), so that for a parameter given twice the
 * load options win (Linux takes the last value of most parameters).
 *
 * The rules, in order:
 *   - no options (NULL or 0 bytes): nothing;
 *   - EDK II's tag on boot options it created itself (16 bytes, a GUID,
 *     not text): nothing;
 *   - an odd byte count: not UCS-2, refused;
 *   - the characters up to the first NUL (or the end) must be printable
 *     ASCII; tab, CR and LF count as blanks; anything else is refused,
 *     naming the character and its position;
 *   - a first word ending in ".efi" (any case) is the program's name the
 *     UEFI shell puts first, and is dropped;
 *   - leading and trailing blanks are dropped; nothing left: nothing.
 * Pure code: no GNU-EFI headers, host-tested and fuzzed.
 */
#ifndef BOOT_EFI_LOAD_OPTIONS_H
#define BOOT_EFI_LOAD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define EFI_LOAD_OPTIONS_ERROR_MAX 128
/* The module whose command line the load options extend. */
#define EFI_LOAD_OPTIONS_ROLE      "linux"

enum efi_load_options_kind {
	EFI_LOAD_OPTIONS_NONE = 0,      /* nothing given */
	EFI_LOAD_OPTIONS_FW_TAG,        /* EDK II's own tag, not text */
	EFI_LOAD_OPTIONS_TEXT,          /* words in out */
	EFI_LOAD_OPTIONS_BAD,           /* refused: err says why */
};

/*
 * Convert `size` bytes of LoadOptions at `data` into an ASCII string in out
 * (out_size bytes with the NUL).  Returns the kind; for
 * EFI_LOAD_OPTIONS_BAD err holds the reason ("load options: ..."), for the
 * others out is a string (empty unless TEXT).
 */
enum efi_load_options_kind efi_load_options_to_ascii(const void *data,
						     uint64_t size, char *out,
						     size_t out_size, char *err,
						     size_t err_size);

/*
 * Append `words` to the command line of bi's module EFI_LOAD_OPTIONS_ROLE,
 * after one blank.  False, with bi unchanged and the reason in err, when
 * there is no such module or the result would not fit BOOT_CMDLINE_MAX.
 */
bool efi_load_options_apply(struct boot_info *bi, const char *words, char *err,
			    size_t err_size);

#endif

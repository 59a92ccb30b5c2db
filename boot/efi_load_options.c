/*
 * hv.efi's UEFI load options -> the Linux guest's extra command line (the
 * rules are in efi_load_options.h).
 */
#include "boot/efi_load_options.h"

#include "lib/format.h"
#include "lib/str.h"

#define UCS2_BYTES        2
#define IMAGE_SUFFIX      ".efi"
#define IMAGE_SUFFIX_LEN  4
#define ASCII_CASE_BIT    0x20      /* 'A' | 0x20 == 'a' */

/*
 * EDK II's boot manager puts this GUID (mBmAutoCreateBootOptionGuid,
 * MdeModulePkg/Library/UefiBootManagerLib/BmBoot.c) as the optional data
 * of the boot options it creates for removable media, and hands it to the
 * image as LoadOptions: OVMF does so on every default boot.  Stored as the
 * 16 bytes of an EFI_GUID (first three fields little-endian).
 */
static const uint8_t edk2_auto_boot_option_tag[] = {
	0x4e, 0xac, 0x08, 0x81, 0x11, 0x9f, 0x59, 0x4d,
	0x85, 0x0e, 0xe2, 0x1a, 0x52, 0x2c, 0x59, 0xb2,
};

/* The UCS-2 unit at index i of data (little-endian, any alignment). */
static uint16_t ucs2_at(const uint8_t *data, uint64_t i)
{
	return (uint16_t)(data[i * UCS2_BYTES] |
			  (data[i * UCS2_BYTES + 1] << 8));
}

/* Tab, CR and LF separate words like a space does. */
static bool ucs2_is_blank(uint16_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy the UCS-2 text (up to a NUL or `units`) into out as ASCII, blanks
 * turned into spaces.  BAD, with err filled, for a character outside
 * printable ASCII or text longer than out holds. */
static enum efi_load_options_kind copy_ascii(const uint8_t *data,
					     uint64_t units, char *out,
					     size_t out_size, char *err,
					     size_t err_size)
{
	uint64_t i;

	for (i = 0; i < units; i++) {
		uint16_t c = ucs2_at(data, i);

		if (c == 0)
			break;
		if (i + 1 >= out_size) {
			format(err, err_size, "load options: longer than %zu "
			       "characters", out_size - 1);
			return EFI_LOAD_OPTIONS_BAD;
		}
		if (ucs2_is_blank(c))
			c = ' ';
		if (c < ASCII_PRINTABLE_FIRST || c > ASCII_PRINTABLE_LAST) {
			format(err, err_size, "load options: character %llu "
			       "is U+%04X, not printable ASCII",
			       (unsigned long long)i + 1, c);
			return EFI_LOAD_OPTIONS_BAD;
		}
		out[i] = (char)c;
	}
	out[i] = '\0';
	return EFI_LOAD_OPTIONS_TEXT;
}

/* Whether the len characters at word end in ".efi", in any case. */
static bool ends_in_efi(const char *word, size_t len)
{
	if (len < IMAGE_SUFFIX_LEN)
		return false;
	word += len - IMAGE_SUFFIX_LEN;
	for (size_t i = 0; i < IMAGE_SUFFIX_LEN; i++) {
		if ((word[i] | ASCII_CASE_BIT) != IMAGE_SUFFIX[i])
			return false;
	}
	return true;
}

/* Drop leading and trailing spaces and a first word naming a .efi image
 * (the UEFI shell passes the command as typed), in place. */
static void trim_words(char *s)
{
	size_t start = 0, len = strlen(s), word;

	while (start < len && s[start] == ' ')
		start++;
	for (word = start; word < len && s[word] != ' '; word++)
		;
	if (ends_in_efi(s + start, word - start)) {
		start = word;
		while (start < len && s[start] == ' ')
			start++;
	}
	while (len > start && s[len - 1] == ' ')
		len--;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
}

enum efi_load_options_kind efi_load_options_to_ascii(const void *data,
						     uint64_t size, char *out,
						     size_t out_size, char *err,
						     size_t err_size)
{
	enum efi_load_options_kind kind;

	out[0] = '\0';
	if (!data || size == 0)
		return EFI_LOAD_OPTIONS_NONE;
	if (size == sizeof(edk2_auto_boot_option_tag) &&
	    memcmp(data, edk2_auto_boot_option_tag, size) == 0)
		return EFI_LOAD_OPTIONS_FW_TAG;
	if (size % UCS2_BYTES) {
		format(err, err_size, "load options: %llu bytes, not a UCS-2 "
		       "string (odd length)", (unsigned long long)size);
		return EFI_LOAD_OPTIONS_BAD;
	}
	kind = copy_ascii(data, size / UCS2_BYTES, out, out_size, err,
			  err_size);
	if (kind != EFI_LOAD_OPTIONS_TEXT) {
		out[0] = '\0';
		return kind;
	}
	trim_words(out);
	return out[0] ? EFI_LOAD_OPTIONS_TEXT : EFI_LOAD_OPTIONS_NONE;
}

bool efi_load_options_apply(struct boot_info *bi, const char *words, char *err,
			    size_t err_size)
{
	for (uint32_t i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
		char *cmd = bi->modules[i].cmdline;
		size_t len = strlen(cmd), add = strlen(words);
		size_t blank = len ? 1 : 0;

		if (strcmp(bi->modules[i].name, EFI_LOAD_OPTIONS_ROLE) != 0)
			continue;
		if (len + blank + add >= BOOT_CMDLINE_MAX) {
			format(err, err_size, "load options: the '%s' command "
			       "line would be %zu characters, at most %u fit",
			       EFI_LOAD_OPTIONS_ROLE, len + blank + add,
			       BOOT_CMDLINE_MAX - 1);
			return false;
		}
		if (blank)
			cmd[len++] = ' ';
		memcpy(cmd + len, words, add + 1);
		return true;
	}
	format(err, err_size, "load options: no '%s' module takes them",
	       EFI_LOAD_OPTIONS_ROLE);
	return false;
}

/* Host tests for boot/efi_load_options.c: hv.efi's UEFI load options into
 * the Linux guest's command line. */
#include "boot/efi_load_options.h"
#include "tests/unit/test.h"

#define OUT_MAX 64

static uint8_t ucs2[2 * BOOT_CMDLINE_MAX + 16];
static char out[BOOT_CMDLINE_MAX];
static char err[EFI_LOAD_OPTIONS_ERROR_MAX];
static struct boot_info bi;

/* text as little-endian UCS-2 in ucs2, with a NUL when nul; the byte
 * count. */
static uint64_t to_ucs2(const char *text, bool nul)
{
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i++) {
		ucs2[2 * i] = (uint8_t)text[i];
		ucs2[2 * i + 1] = 0;
	}
	if (nul) {
		ucs2[2 * n] = ucs2[2 * n + 1] = 0;
		n++;
	}
	return 2 * n;
}

static enum efi_load_options_kind convert(uint64_t size, size_t out_size)
{
	err[0] = '\0';
	return efi_load_options_to_ascii(ucs2, size, out, out_size, err,
					 sizeof(err));
}

TEST(efi_load_options_none)
{
	CHECK_EQ(efi_load_options_to_ascii(NULL, 8, out, sizeof(out), err,
					   sizeof(err)), EFI_LOAD_OPTIONS_NONE);
	CHECK_EQ(convert(0, sizeof(out)), EFI_LOAD_OPTIONS_NONE);
	CHECK_EQ(convert(to_ucs2("  \t ", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_NONE);
	CHECK_STR(out, "");
	/* The shell's program name alone is no option. */
	CHECK_EQ(convert(to_ucs2("fs0:\\EFI\\BOOT\\HV.EFI", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_NONE);
}

TEST(efi_load_options_text_with_and_without_nul)
{
	CHECK_EQ(convert(to_ucs2("quiet console=tty0", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "quiet console=tty0");
	CHECK_EQ(convert(to_ucs2("  quiet\tloglevel=7\r\n", false),
			 sizeof(out)), EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "quiet loglevel=7");
	/* Text after the NUL is not read. */
	to_ucs2("a b", true);
	ucs2[8] = 'x';
	CHECK_EQ(convert(10, sizeof(out)), EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "a b");
}

TEST(efi_load_options_shell_program_name_dropped)
{
	CHECK_EQ(convert(to_ucs2("hv.efi root=/dev/sda1", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "root=/dev/sda1");
	CHECK_EQ(convert(to_ucs2(" FS0:\\hv.EfI   quiet ", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "quiet");
	/* Only a first word is a program name, only one ending in .efi. */
	CHECK_EQ(convert(to_ucs2("hv quiet x.efi", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "hv quiet x.efi");
	CHECK_EQ(convert(to_ucs2("efi quiet", true), sizeof(out)),
		 EFI_LOAD_OPTIONS_TEXT);
	CHECK_STR(out, "efi quiet");
}

TEST(efi_load_options_edk2_tag_is_not_text)
{
	static const uint8_t tag[16] = {
		0x4e, 0xac, 0x08, 0x81, 0x11, 0x9f, 0x59, 0x4d,
		0x85, 0x0e, 0xe2, 0x1a, 0x52, 0x2c, 0x59, 0xb2,
	};

	memcpy(ucs2, tag, sizeof(tag));
	CHECK_EQ(convert(sizeof(tag), sizeof(out)), EFI_LOAD_OPTIONS_FW_TAG);
	CHECK_STR(out, "");
	/* Any other 16 bytes of binary are refused like other non-text. */
	ucs2[15] ^= 1;
	CHECK_EQ(convert(sizeof(tag), sizeof(out)), EFI_LOAD_OPTIONS_BAD);
	CHECK_STR(err, "load options: character 1 is U+AC4E, not printable "
		  "ASCII");
}

TEST(efi_load_options_refusals)
{
	CHECK_EQ(convert(to_ucs2("quiet", false) - 1, sizeof(out)),
		 EFI_LOAD_OPTIONS_BAD);
	CHECK_STR(err, "load options: 9 bytes, not a UCS-2 string (odd "
		  "length)");
	to_ucs2("ab c", true);
	ucs2[5] = 0x01;                 /* the blank -> U+0120 */
	CHECK_EQ(convert(10, sizeof(out)), EFI_LOAD_OPTIONS_BAD);
	CHECK_STR(err, "load options: character 3 is U+0120, not printable "
		  "ASCII");
	CHECK_STR(out, "");
	to_ucs2("a\x7f", true);
	CHECK_EQ(convert(6, sizeof(out)), EFI_LOAD_OPTIONS_BAD);
	CHECK_STR(err, "load options: character 2 is U+007F, not printable "
		  "ASCII");
}

TEST(efi_load_options_length_bound)
{
	char text[OUT_MAX + 1];

	memset(text, 'x', OUT_MAX - 1);
	text[OUT_MAX - 1] = '\0';
	CHECK_EQ(convert(to_ucs2(text, false), OUT_MAX), EFI_LOAD_OPTIONS_TEXT);
	CHECK_EQ(strlen(out), OUT_MAX - 1);
	text[OUT_MAX - 1] = 'x';
	text[OUT_MAX] = '\0';
	CHECK_EQ(convert(to_ucs2(text, true), OUT_MAX), EFI_LOAD_OPTIONS_BAD);
	CHECK_STR(err, "load options: longer than 63 characters");
}

TEST(efi_load_options_apply_appends_to_linux)
{
	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	CHECK(boot_info_add_module(&bi, 0x100000, 0x1000, "guest x"));
	CHECK(boot_info_add_module(&bi, 0x200000, 0x1000,
				   "linux console=ttyS0 quiet"));
	CHECK(boot_info_add_module(&bi, 0x300000, 0x1000, "initrd"));
	CHECK(efi_load_options_apply(&bi, "loglevel=7 quiet=0", err,
				     sizeof(err)));
	CHECK_STR(bi.modules[1].cmdline,
		  "console=ttyS0 quiet loglevel=7 quiet=0");
	CHECK_STR(bi.modules[0].cmdline, "x");
	CHECK_STR(bi.modules[2].cmdline, "");
}

TEST(efi_load_options_apply_refusals)
{
	char words[BOOT_CMDLINE_MAX];

	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	CHECK(boot_info_add_module(&bi, 0x100000, 0x1000, "guest"));
	CHECK(!efi_load_options_apply(&bi, "quiet", err, sizeof(err)));
	CHECK_STR(err, "load options: no 'linux' module takes them");
	/* An empty module command line takes no leading blank. */
	CHECK(boot_info_add_module(&bi, 0x200000, 0x1000, "linux"));
	CHECK(efi_load_options_apply(&bi, "quiet", err, sizeof(err)));
	CHECK_STR(bi.modules[1].cmdline, "quiet");
	/* 5 + 1 + 505 = 511 fits, one more does not, and nothing changes. */
	memset(words, 'y', 505);
	words[505] = '\0';
	CHECK(efi_load_options_apply(&bi, words, err, sizeof(err)));
	CHECK_EQ(strlen(bi.modules[1].cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK(!efi_load_options_apply(&bi, "z", err, sizeof(err)));
	CHECK_STR(err, "load options: the 'linux' command line would be 513 "
		  "characters, at most 511 fit");
	CHECK_EQ(strlen(bi.modules[1].cmdline), BOOT_CMDLINE_MAX - 1);
}

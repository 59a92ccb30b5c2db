/*
 * Fuzz efi_load_options_to_ascii and efi_load_options_apply
 * (boot/efi_load_options.c): hv.efi's UEFI load options as a boot entry or
 * the UEFI shell hands them over.  The input is the LoadOptions buffer.
 * Promises: a string in every case; TEXT is non-empty printable ASCII
 * with no blank at either end, never longer than the buffer had
 * characters; BAD says why; appending to a Linux module either fits
 * BOOT_CMDLINE_MAX and ends in the words, or leaves the module unchanged.
 */
#include "boot/efi_load_options.h"
#include "tests/fuzz/fuzz.h"

#define OUT_SIZE BOOT_CMDLINE_MAX

/* Every character printable ASCII, none blank at either end. */
static void check_text(const char *out, size_t size)
{
	size_t len = strlen(out);

	FUZZ_CHECK(len > 0 && len <= size / 2, "text length %zu of %zu bytes",
		   len, size);
	FUZZ_CHECK(out[0] != ' ' && out[len - 1] != ' ', "blank at an end");
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(out[i] >= 0x20 && out[i] <= 0x7e,
			   "byte %#x at %zu", (unsigned)(uint8_t)out[i], i);
}

/* Appending to "linux console=ttyS0" keeps the promise of apply. */
static void check_apply(const char *words)
{
	static struct boot_info bi;
	char err[EFI_LOAD_OPTIONS_ERROR_MAX];
	const char *before = "console=ttyS0";
	size_t want = strlen(before) + 1 + strlen(words);

	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	FUZZ_CHECK(boot_info_add_module(&bi, 1 << 20, 4096,
					"linux console=ttyS0"), "module");
	if (efi_load_options_apply(&bi, words, err, sizeof(err))) {
		FUZZ_CHECK(want < BOOT_CMDLINE_MAX &&
			   strlen(bi.modules[0].cmdline) == want &&
			   !strcmp(bi.modules[0].cmdline + want - strlen(words),
				   words), "appended line '%s'",
			   bi.modules[0].cmdline);
		return;
	}
	FUZZ_CHECK(want >= BOOT_CMDLINE_MAX &&
		   !strcmp(bi.modules[0].cmdline, before),
		   "refused '%s' (%s)", words, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[OUT_SIZE];
	char err[EFI_LOAD_OPTIONS_ERROR_MAX] = "";
	uint8_t *copy = fuzz_dup(data, size);
	enum efi_load_options_kind kind;

	kind = efi_load_options_to_ascii(copy, size, out, sizeof(out), err,
					 sizeof(err));
	FUZZ_CHECK(fuzz_has_nul(out, sizeof(out)), "out not terminated");
	if (kind == EFI_LOAD_OPTIONS_BAD)
		FUZZ_CHECK(!strncmp(err, "load options: ", 14) &&
			   fuzz_has_nul(err, sizeof(err)) && !out[0],
			   "refusal '%s'", err);
	else if (kind == EFI_LOAD_OPTIONS_TEXT)
		check_text(out, size);
	else
		FUZZ_CHECK(!out[0], "kind %d with text '%s'", kind, out);
	if (kind == EFI_LOAD_OPTIONS_TEXT)
		check_apply(out);
	free(copy);
	return 0;
}

/*
 * Fuzz efi_config_parse and efi_config_resolve_path (boot/efi_config.c):
 * hv.cfg as read from the EFI system partition.  The input is the file;
 * every accepted module must then be accepted by boot_info_add_module,
 * as the UEFI application adds them.
 */
#include "boot/efi_config.h"
#include "tests/fuzz/fuzz.h"

#define EFI_DIR "\\EFI\\BOOT"

static void check_path(const char *path)
{
	char out[EFI_CONFIG_PATH_MAX];

	if (!efi_config_resolve_path(EFI_DIR, path, out, sizeof(out)))
		return;
	FUZZ_CHECK(fuzz_has_nul(out, sizeof(out)), "path not terminated");
	FUZZ_CHECK(!strchr(out, '/') && !strstr(out, "\\\\"),
		   "path '%s' keeps '/' or a doubled separator", out);
}

static void check_module(const struct efi_config_module *m, uint32_t i,
			 struct boot_info *bi)
{
	FUZZ_CHECK(fuzz_has_nul(m->path, sizeof(m->path)) &&
		   fuzz_has_nul(m->cmdline, sizeof(m->cmdline)),
		   "module %u strings not terminated", i);
	FUZZ_CHECK(m->path[0] && !strpbrk(m->path, " \t"),
		   "module %u path '%s'", i, m->path);
	FUZZ_CHECK(m->cmdline[0] && !strchr(" \t", m->cmdline[0]),
		   "module %u has no role", i);
	FUZZ_CHECK(boot_info_add_module(bi, (uint64_t)(i + 1) << 20, 4096,
					m->cmdline),
		   "module %u command line '%s' refused by boot_info", i,
		   m->cmdline);
	check_path(m->path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct efi_config cfg;
	static struct boot_info bi;

	if (size > EFI_CONFIG_FILE_MAX)
		return 0;
	if (!efi_config_parse((const char *)data, size, &cfg)) {
		FUZZ_CHECK(!strncmp(cfg.error, "line ", 5) &&
			   fuzz_has_nul(cfg.error, sizeof(cfg.error)),
			   "refusal without a line number");
		return 0;
	}
	FUZZ_CHECK(!cfg.error[0], "success with error '%s'", cfg.error);
	FUZZ_CHECK(fuzz_has_nul(cfg.cmdline, sizeof(cfg.cmdline)),
		   "command line not terminated");
	FUZZ_CHECK(cfg.module_count <= EFI_CONFIG_MODULES_MAX,
		   "module_count %u", cfg.module_count);
	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	for (uint32_t i = 0; i < cfg.module_count; i++)
		check_module(&cfg.modules[i], i, &bi);
	fuzz_check_modules(&bi);
	return 0;
}

/* Host tests for boot/efi_config.c: the hv.cfg parser. */
#include "boot/efi_config.h"
#include "tests/unit/test.h"

/* Static: nothing to free when a CHECK returns early. */
static struct efi_config cfg_storage;

static bool parse(const char *text, struct efi_config *cfg)
{
	return efi_config_parse(text, strlen(text), cfg);
}

TEST(efi_config_empty_file)
{
	struct efi_config *cfg = &cfg_storage;

	CHECK(parse("", cfg));
	CHECK(!cfg->has_cmdline);
	CHECK_STR(cfg->cmdline, "");
	CHECK_EQ(cfg->module_count, 0);
	CHECK(parse("\n\n  \t\n# only a comment\n   # indented\n", cfg));
	CHECK_EQ(cfg->module_count, 0);
}

TEST(efi_config_full_example)
{
	struct efi_config *cfg = &cfg_storage;
	const char *text =
		"# hypervisor configuration\r\n"
		"cmdline  serial=0x3f8 loglevel=debug test-exit  \r\n"
		"\r\n"
		"module guest.bin guest\r\n"
		"module\t/linux/bzImage  linux console=ttyS0   quiet\t\r\n"
		"module \\linux\\initrd.img initrd";   /* no final newline */

	CHECK(parse(text, cfg));
	CHECK(cfg->has_cmdline);
	CHECK_STR(cfg->cmdline, "serial=0x3f8 loglevel=debug test-exit");
	CHECK_EQ(cfg->module_count, 3);
	CHECK_STR(cfg->modules[0].path, "guest.bin");
	CHECK_STR(cfg->modules[0].cmdline, "guest");
	CHECK_STR(cfg->modules[1].path, "/linux/bzImage");
	CHECK_STR(cfg->modules[1].cmdline, "linux console=ttyS0   quiet");
	CHECK_STR(cfg->modules[2].path, "\\linux\\initrd.img");
	CHECK_STR(cfg->modules[2].cmdline, "initrd");
}

TEST(efi_config_empty_cmdline)
{
	struct efi_config *cfg = &cfg_storage;

	CHECK(parse("cmdline\n", cfg));
	CHECK(cfg->has_cmdline);
	CHECK_STR(cfg->cmdline, "");
}

TEST(efi_config_unknown_keyword_names_line)
{
	struct efi_config *cfg = &cfg_storage;

	CHECK(!parse("# c\ncmdline x\n\nkernel foo.bin\n", cfg));
	CHECK_STR(cfg->error, "line 4: unknown keyword 'kernel' (expected "
		  "'cmdline' or 'module')");
	/* A keyword is a whole word. */
	CHECK(!parse("cmdlinex a\n", cfg));
	CHECK_STR(cfg->error, "line 1: unknown keyword 'cmdlinex' (expected "
		  "'cmdline' or 'module')");
}

TEST(efi_config_cmdline_twice)
{
	struct efi_config *cfg = &cfg_storage;

	CHECK(!parse("cmdline a\ncmdline b\n", cfg));
	CHECK_STR(cfg->error, "line 2: 'cmdline' given twice");
}

TEST(efi_config_module_needs_path_and_role)
{
	struct efi_config *cfg = &cfg_storage;

	CHECK(!parse("module\n", cfg));
	CHECK_STR(cfg->error, "line 1: 'module' needs a path and a role");
	CHECK(!parse("module   guest.bin  \n", cfg));
	CHECK_STR(cfg->error, "line 1: module 'guest.bin' has no role");
}

TEST(efi_config_too_many_modules)
{
	struct efi_config *cfg = &cfg_storage;
	char text[4096] = "";

	for (int i = 0; i < EFI_CONFIG_MODULES_MAX; i++)
		strcat(text, "module m.bin guest\n");
	CHECK(parse(text, cfg));
	CHECK_EQ(cfg->module_count, EFI_CONFIG_MODULES_MAX);
	strcat(text, "module one-too-many.bin guest\n");
	CHECK(!parse(text, cfg));
	CHECK_STR(cfg->error, "line 17: too many modules (at most 16)");
}

TEST(efi_config_too_long_values)
{
	struct efi_config *cfg = &cfg_storage;
	char text[2048];

	memset(text, 0, sizeof(text));
	strcpy(text, "cmdline ");
	memset(text + strlen(text), 'x', BOOT_CMDLINE_MAX);
	CHECK(!parse(text, cfg));
	CHECK_STR(cfg->error, "line 1: command line longer than 511 bytes");

	memset(text, 0, sizeof(text));
	strcpy(text, "module ");
	memset(text + strlen(text), 'p', EFI_CONFIG_PATH_MAX);
	strcat(text, " guest");
	CHECK(!parse(text, cfg));
	CHECK_STR(cfg->error, "line 1: module path longer than 255 bytes");

	memset(text, 0, sizeof(text));
	strcpy(text, "module a.bin ");
	memset(text + strlen(text), 'r', BOOT_MODNAME_MAX);
	CHECK(!parse(text, cfg));
	CHECK_STR(cfg->error, "line 1: module role longer than 31 bytes");
}

TEST(efi_config_rejects_nul_byte)
{
	struct efi_config *cfg = &cfg_storage;
	static const char text[] = "cmdline a\nmodule a\0b guest\n";

	CHECK(!efi_config_parse(text, sizeof(text) - 1, cfg));
	CHECK_STR(cfg->error, "line 2: NUL byte in the text");
}

/* A CR inside a line separates words, as boot_info_add_module() sees them:
 * before, "\r" + a 34-byte word was a 1-byte role here and a 34-byte name
 * there, so hv.cfg was accepted and the loaded module then refused.  Found
 * by tests/fuzz/fuzz_efi_config.c. */
TEST(efi_config_cr_inside_a_line_is_a_blank)
{
	struct efi_config *cfg = &cfg_storage;
	static struct boot_info bi;

	CHECK(!parse("module x.bin \r 0123456789012345678901234567890123 d\n",
		     cfg));
	CHECK_STR(cfg->error, "line 1: module role longer than 31 bytes");
	CHECK(parse("module x.bin\rguest\ra=b\r\n", cfg));
	CHECK_STR(cfg->modules[0].path, "x.bin");
	CHECK_STR(cfg->modules[0].cmdline, "guest\ra=b");
	boot_info_init(&bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	CHECK(boot_info_add_module(&bi, 0x100000, 0x1000,
				   cfg->modules[0].cmdline));
	CHECK_STR(bi.modules[0].name, "guest");
}

TEST(efi_config_resolve_path)
{
	char out[64];

	CHECK(efi_config_resolve_path("\\EFI\\BOOT", "guest.bin", out,
				      sizeof(out)));
	CHECK_STR(out, "\\EFI\\BOOT\\guest.bin");
	CHECK(efi_config_resolve_path("\\EFI\\BOOT", "sub/dir/g.bin", out,
				      sizeof(out)));
	CHECK_STR(out, "\\EFI\\BOOT\\sub\\dir\\g.bin");
	CHECK(efi_config_resolve_path("\\EFI\\BOOT", "/linux/bzImage", out,
				      sizeof(out)));
	CHECK_STR(out, "\\linux\\bzImage");
	CHECK(efi_config_resolve_path("\\EFI\\BOOT", "\\a\\\\b", out,
				      sizeof(out)));
	CHECK_STR(out, "\\a\\b");
	CHECK(efi_config_resolve_path("", "g.bin", out, sizeof(out)));
	CHECK_STR(out, "\\g.bin");
	CHECK(efi_config_resolve_path("\\", "g.bin", out, sizeof(out)));
	CHECK_STR(out, "\\g.bin");
	CHECK(efi_config_resolve_path("\\EFI\\BOOT\\", "g.bin", out,
				      sizeof(out)));
	CHECK_STR(out, "\\EFI\\BOOT\\g.bin");
	/* Exactly fits, then one byte too many. */
	CHECK(efi_config_resolve_path("\\d", "12345", out, 9));
	CHECK_STR(out, "\\d\\12345");
	CHECK(!efi_config_resolve_path("\\d", "123456", out, 9));
}

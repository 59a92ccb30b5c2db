/* boot/boot_info.c: builders, names, module lookup, the mm layout. */
#include "boot/boot_info.h"
#include "tests/unit/test.h"

/* boot_info is large (~25 KB); keep it off the test's stack. */
static struct boot_info *new_bi(void)
{
	static struct boot_info bi;

	boot_info_init(&bi, BOOT_FW_BIOS, BOOT_PATH_MULTIBOOT2);
	return &bi;
}

TEST(boot_info_init_clears)
{
	struct boot_info *bi = new_bi();

	CHECK_EQ(bi->firmware, BOOT_FW_BIOS);
	CHECK_EQ(bi->path, BOOT_PATH_MULTIBOOT2);
	CHECK_EQ(bi->mmap.count, 0);
	CHECK_EQ(bi->module_count, 0);
	CHECK(!bi->has_rsdp);
}

TEST(boot_info_names)
{
	CHECK_STR(boot_firmware_name(BOOT_FW_UEFI), "UEFI");
	CHECK_STR(boot_firmware_name(BOOT_FW_BIOS), "BIOS");
	CHECK(boot_firmware_name(42) != NULL);
	CHECK_STR(boot_path_name(BOOT_PATH_MULTIBOOT2), "multiboot2");
	CHECK(boot_path_name(0) != NULL);
}

TEST(boot_info_add_module_splits_name)
{
	struct boot_info *bi = new_bi();

	CHECK(boot_info_add_module(bi, 0x200000, 0x1000,
				   "  linux   console=ttyS0 quiet "));
	CHECK(boot_info_add_module(bi, 0x300000, 0, "initrd"));
	CHECK(boot_info_add_module(bi, 0x400000, 16, ""));
	CHECK(boot_info_add_module(bi, 0x500000, 16, NULL));
	CHECK_EQ(bi->module_count, 4);
	CHECK_STR(bi->modules[0].name, "linux");
	CHECK_STR(bi->modules[0].cmdline, "console=ttyS0 quiet ");
	CHECK_EQ(bi->modules[0].base, 0x200000);
	CHECK_EQ(bi->modules[0].size, 0x1000);
	CHECK_STR(bi->modules[1].name, "initrd");
	CHECK_STR(bi->modules[1].cmdline, "");
	CHECK_STR(bi->modules[2].name, "");
	CHECK_STR(bi->modules[3].name, "");
}

TEST(boot_info_add_module_rejects)
{
	struct boot_info *bi = new_bi();
	char long_name[BOOT_MODNAME_MAX + 1];
	static char long_cmd[BOOT_CMDLINE_MAX + 8];

	CHECK(!boot_info_add_module(bi, UINT64_MAX, 2, "guest"));
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	CHECK(!boot_info_add_module(bi, 0, 1, long_name));
	/* A name of BOOT_MODNAME_MAX - 1 characters just fits. */
	long_name[BOOT_MODNAME_MAX - 1] = '\0';
	CHECK(boot_info_add_module(bi, 0, 1, long_name));
	memcpy(long_cmd, "guest ", 6);
	memset(long_cmd + 6, 'c', BOOT_CMDLINE_MAX);
	long_cmd[6 + BOOT_CMDLINE_MAX] = '\0';
	CHECK(!boot_info_add_module(bi, 0, 1, long_cmd));
	long_cmd[6 + BOOT_CMDLINE_MAX - 1] = '\0';      /* 511 chars: fits */
	CHECK(boot_info_add_module(bi, 0, 1, long_cmd));
	CHECK_EQ(bi->module_count, 2);
	CHECK_EQ(strlen(bi->modules[1].cmdline), BOOT_CMDLINE_MAX - 1);
	while (bi->module_count < BOOT_MODULES_MAX)
		CHECK(boot_info_add_module(bi, 0, 1, "m"));
	CHECK(!boot_info_add_module(bi, 0, 1, "one-too-many"));
}

TEST(boot_info_find_module_by_name)
{
	struct boot_info *bi = new_bi();

	CHECK(boot_info_find_module(bi, "guest") == NULL);
	CHECK(boot_info_add_module(bi, 0x1000, 1, "initrd"));
	CHECK(boot_info_add_module(bi, 0x2000, 1, "guest a"));
	CHECK(boot_info_add_module(bi, 0x3000, 1, "guest b"));
	const struct boot_module *m = boot_info_find_module(bi, "guest");

	CHECK(m != NULL);
	CHECK_EQ(m->base, 0x2000);              /* the first one */
	CHECK(boot_info_find_module(bi, "gues") == NULL);
	CHECK(boot_info_find_module(bi, "guest a") == NULL);
}

/* The layout points at bi's own map and copies the image, every module's
 * extent and the RSDP address. */
TEST(boot_info_mm_layout_copies_what_mm_needs)
{
	struct boot_info *bi = new_bi();
	struct mm_layout l;

	CHECK(memmap_add(&bi->mmap, 0x100000, 0x7f00000, MEM_USABLE));
	CHECK(boot_info_add_module(bi, 0x800000, 0x3000, "guest"));
	CHECK(boot_info_add_module(bi, 0x900000, 0x1001, "initrd"));
	bi->image_base = 0x400000;
	bi->image_size = 0x200000;
	bi->rsdp = 0xf5a10;
	boot_info_mm_layout(bi, &l);
	CHECK(l.map == &bi->mmap);
	CHECK_EQ(l.image.base, 0x400000);
	CHECK_EQ(l.image.size, 0x200000);
	CHECK_EQ(l.module_count, 2);
	CHECK_EQ(l.modules[0].base, 0x800000);
	CHECK_EQ(l.modules[0].size, 0x3000);
	CHECK_EQ(l.modules[1].base, 0x900000);
	CHECK_EQ(l.modules[1].size, 0x1001);
	CHECK_EQ(l.rsdp, 0xf5a10);
}

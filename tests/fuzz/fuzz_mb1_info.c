/*
 * Fuzz mb1_info_size and mb1_info_build (guest/multiboot/info.c): the
 * multiboot (v1) information block built for a guest from the boot
 * modules (their addresses come from the loader or hv.cfg) and the guest's
 * memory map.  The input encodes the parameters:
 *   u8 ranges, per range u64 base, u64 length, u8 type;
 *   u8 modules, per module u64 base, u64 size, u8 role, u8 cmdline length,
 *   that many cmdline bytes; u32 block address; the rest: kernel cmdline.
 * The block goes into a buffer of exactly mb1_info_size() bytes.
 */
#include "guest/multiboot/info.h"
#include "guest/multiboot/multiboot.h"
#include "tests/fuzz/fuzz.h"

#define RANGES_MAX  40
#define CMDLINE_MAX 600

static const char *const roles[] = {
	MB1_GUEST_MODULE_ROLE, "guest", "linux", "",
};

static struct mem_range ranges[RANGES_MAX];
static struct boot_module modules[BOOT_MODULES_MAX + 2];

static void take_ranges(struct fuzz_in *in, struct mb1_info_params *p)
{
	p->mmap_count = (uint32_t)fuzz_take(in, 1) % (RANGES_MAX + 1);
	for (uint32_t i = 0; i < p->mmap_count; i++) {
		ranges[i].base = fuzz_take(in, 8);
		ranges[i].length = fuzz_take(in, 8);
		ranges[i].type = (uint32_t)fuzz_take(in, 1) % MEM_TYPE_COUNT;
	}
	p->mmap = ranges;
}

static void take_modules(struct fuzz_in *in, struct mb1_info_params *p)
{
	uint32_t n = (uint32_t)fuzz_take(in, 1) % (BOOT_MODULES_MAX + 3);

	memset(modules, 0, sizeof(modules));
	for (uint32_t i = 0; i < n; i++) {
		struct boot_module *m = &modules[i];
		size_t len;

		m->base = fuzz_take(in, 8);
		m->size = fuzz_take(in, 8);
		strcpy(m->name, roles[fuzz_take(in, 1) % 4]);
		len = fuzz_take(in, 1);
		len = len < in->left ? len : in->left;
		memcpy(m->cmdline, in->p, len);
		in->p += len;
		in->left -= len;
	}
	p->modules = modules;
	p->module_count = n;
}

static const char *guest_string(const uint8_t *buf, size_t size,
				uint64_t base, uint32_t addr)
{
	FUZZ_CHECK(addr >= base && addr - base < size, "string at %#x outside "
		   "the block [%#llx, +%zu)", addr, (unsigned long long)base,
		   size);
	FUZZ_CHECK(memchr(buf + (addr - base), '\0', size - (addr - base)),
		   "string at %#x runs off the block", addr);
	return (const char *)buf + (addr - base);
}

/* Each guest module as the guest will see it: its own range and string. */
static void check_modules(const struct mb1_info_params *p, const uint8_t *buf,
			  size_t size, uint64_t base, const struct mb1_info *info)
{
	uint32_t k = 0;

	FUZZ_CHECK(info->mods_count == mb1_guest_module_count(p) ||
		   info->mods_count == BOOT_MODULES_MAX, "mods_count %u",
		   info->mods_count);
	FUZZ_CHECK(info->mods_addr >= base && info->mods_addr - base +
		   (uint64_t)info->mods_count * sizeof(struct mb1_module) <= size,
		   "module list outside the block");
	for (uint32_t i = 0; i < p->module_count && k < info->mods_count; i++) {
		const struct boot_module *m = &p->modules[i];
		struct mb1_module mod;

		if (strcmp(m->name, MB1_GUEST_MODULE_ROLE))
			continue;
		memcpy(&mod, buf + (info->mods_addr - base) + k++ * sizeof(mod),
		       sizeof(mod));
		FUZZ_CHECK(mod.mod_start == m->base &&
			   mod.mod_end == m->base + m->size,
			   "module %u [%#llx, +%#llx) told as [%#x, %#x)", i,
			   (unsigned long long)m->base,
			   (unsigned long long)m->size, mod.mod_start,
			   mod.mod_end);
		FUZZ_CHECK(!strcmp(guest_string(buf, size, base, mod.string),
				   m->cmdline), "module %u string", i);
	}
}

static void check_block(const struct mb1_info_params *p, const uint8_t *buf,
			size_t size, uint64_t base)
{
	struct mb1_info info;

	memcpy(&info, buf, sizeof(info));
	FUZZ_CHECK(!strcmp(guest_string(buf, size, base, info.cmdline),
			   p->cmdline), "kernel command line");
	guest_string(buf, size, base, info.boot_loader_name);
	FUZZ_CHECK(info.mmap_length == p->mmap_count *
		   sizeof(struct mb1_mmap_entry) && info.mmap_addr >= base &&
		   info.mmap_addr - base + info.mmap_length <= size,
		   "memory map outside the block");
	check_modules(p, buf, size, base, &info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct mb1_info_params p;
	uint64_t base;
	size_t need;
	uint8_t *buf;
	char err[160], *cmdline;

	take_ranges(&in, &p);
	take_modules(&in, &p);
	base = fuzz_take(&in, 4) & ~(uint64_t)(MB1_INFO_ALIGN - 1);
	cmdline = fuzz_take_string(&in, CMDLINE_MAX);
	p.cmdline = cmdline;
	need = mb1_info_size(&p);
	buf = malloc(need);
	FUZZ_CHECK(!mb1_info_build(&p, base, buf, need - 1, err, sizeof(err)),
		   "a block of %zu bytes built into %zu", need, need - 1);
	if (mb1_info_build(&p, base, buf, need, err, sizeof(err)))
		check_block(&p, buf, need, base);
	else
		FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)),
			   "refusal without a reason");
	free(buf);
	free(cmdline);
	return 0;
}

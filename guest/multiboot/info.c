/*
 * The multiboot (v1) boot information block (see guest/multiboot/info.h).  Layout, all
 * in one block so the loader claims one range of guest memory:
 *
 *   struct mb1_info | kernel cmdline | loader name | module strings |
 *   struct mb1_module[] | struct mb1_mmap_entry[]
 *
 * One function lays the block out; run without a buffer it only counts, so
 * the size and the contents can never disagree.
 */
#include "guest/multiboot/info.h"


#include "guest/multiboot/multiboot.h"
#include "lib/format.h"
#include "lib/str.h"

#define KIB 1024

/* A write cursor over the block; with buf == NULL it only counts. */
struct block {
	uint8_t *buf;
	size_t cap;
	size_t used;
	uint64_t base;              /* guest-physical address of buf[0] */
};


/* Append len bytes (aligned to align) and return their guest address.
 * The caller checked the capacity with a counting pass. */
static uint32_t block_put(struct block *b, const void *src, size_t len,
			  size_t align)
{
	size_t off = (b->used + align - 1) & ~(align - 1);

	if (b->buf) {
		memset(b->buf + b->used, 0, off - b->used);
		memcpy(b->buf + off, src, len);
	}
	b->used = off + len;
	return (uint32_t)(b->base + off);
}

/* Pad to align; returns the guest address where the next put lands. */
static uint32_t block_align(struct block *b, size_t align)
{
	return block_put(b, "", 0, align);
}

/* Append s with its NUL; returns the string's guest address. */
static uint32_t block_put_string(struct block *b, const char *s)
{
	return block_put(b, s, strlen(s) + 1, 1);
}

/* Whether boot module m is one the guest kernel is handed (role
 * MB1_GUEST_MODULE_ROLE), rather than the kernel or another module. */
static bool is_guest_module(const struct boot_module *m)
{
	return strcmp(m->name, MB1_GUEST_MODULE_ROLE) == 0;
}

/* How many boot modules the guest kernel will be handed (see info.h). */
uint32_t mb1_guest_module_count(const struct mb1_info_params *p)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->module_count; i++)
		n += is_guest_module(&p->modules[i]);
	return n;
}

/* The multiboot memory-map type for a memory-map type.  Types
 * multiboot has no name for (firmware runtime, MMIO, persistent memory,
 * unknown) become reserved, which the guest leaves alone; the loader's map
 * has already made boot-services memory usable (guest_mem_map). */
uint32_t mb1_mmap_type(uint32_t mem_type)
{
	switch (mem_type) {
	case MEM_USABLE: return MB1_MEMORY_AVAILABLE;
	case MEM_ACPI_RECLAIM: return MB1_MEMORY_ACPI_RECLAIM;
	case MEM_ACPI_NVS: return MB1_MEMORY_NVS;
	case MEM_BAD: return MB1_MEMORY_BADRAM;
	default: return MB1_MEMORY_RESERVED;
	}
}

/* The end of the usable RAM that runs without a gap from `start` (start
 * itself when it is not usable).  The map need not be sorted or merged. */
static uint64_t usable_run_end(const struct mb1_info_params *p, uint64_t start)
{
	uint64_t end = start;
	bool grew = true;

	while (grew) {
		grew = false;
		for (uint32_t i = 0; i < p->mmap_count; i++) {
			const struct mem_range *r = &p->mmap[i];

			if (r->type == MEM_USABLE && r->base <= end &&
			    end < r->base + r->length) {
				end = r->base + r->length;
				grew = true;
			}
		}
	}
	return end;
}

/* mem_lower and mem_upper in KiB as the spec defines them: the usable RAM
 * running without a gap from 0 and from 1 MiB, capped at 640 KiB and at
 * what 32 bits hold. */
static void fill_memory(const struct mb1_info_params *p, struct mb1_info *info)
{
	uint64_t lower = usable_run_end(p, 0) / KIB;
	uint64_t upper = (usable_run_end(p, MB1_UPPER_MEMORY_BASE) -
			  MB1_UPPER_MEMORY_BASE) / KIB;

	info->mem_lower = lower > MB1_LOWER_MEMORY_MAX_KIB ?
			  MB1_LOWER_MEMORY_MAX_KIB : (uint32_t)lower;
	info->mem_upper = upper > UINT32_MAX ? UINT32_MAX : (uint32_t)upper;
	info->flags |= MB1_INFO_MEMORY;
}

/* Whether module m (number index, for the message) ends at or below 4 GiB,
 * as its 32-bit mod_start and mod_end need; false with the reason in err. */
static bool module_fits_32bit(const struct boot_module *m, uint32_t index,
			      char *err, size_t err_size)
{
	/* mod_end, one past the last byte, must fit 32 bits too: the module
	 * ends below 4 GiB.  Compared without the sum, which a base near 2^64
	 * would wrap. */
	if (m->base < MB1_ADDRESS_LIMIT &&
	    m->size < MB1_ADDRESS_LIMIT - m->base)
		return true;
	return format_error(err, err_size, "module %u ('%s') at %#llx, %llu bytes, "
		    "does not end below 4 GiB: multiboot addresses are "
		    "32-bit", index, m->name, (unsigned long long)m->base,
		    (unsigned long long)m->size);
}

/* Module strings, then the module list. */
static bool fill_modules(const struct mb1_info_params *p, struct block *b,
			 struct mb1_info *info, char *err, size_t err_size)
{
	uint32_t strings[BOOT_MODULES_MAX];
	uint32_t n = 0;

	for (uint32_t i = 0; i < p->module_count && n < BOOT_MODULES_MAX; i++) {
		if (!is_guest_module(&p->modules[i]))
			continue;
		if (!module_fits_32bit(&p->modules[i], i, err, err_size))
			return false;
		strings[n++] = block_put_string(b, p->modules[i].cmdline);
	}
	info->mods_count = n;
	info->mods_addr = block_align(b, MB1_INFO_ALIGN);
	for (uint32_t i = 0, k = 0; i < p->module_count && k < n; i++) {
		const struct boot_module *m = &p->modules[i];

		if (!is_guest_module(m))
			continue;
		struct mb1_module mod = {
			.mod_start = (uint32_t)m->base,
			.mod_end = (uint32_t)(m->base + m->size),
			.string = strings[k++],
		};
		block_put(b, &mod, sizeof(mod), MB1_INFO_ALIGN);
	}
	info->flags |= MB1_INFO_MODS;
	return true;
}

/* The memory map: one entry per range of p's map, in its order, with the
 * type translated by mb1_mmap_type. */
static void fill_mmap(const struct mb1_info_params *p, struct block *b,
		      struct mb1_info *info)
{
	info->mmap_addr = block_align(b, MB1_INFO_ALIGN);
	for (uint32_t i = 0; i < p->mmap_count; i++) {
		struct mb1_mmap_entry e = {
			.size = MB1_MMAP_ENTRY_SIZE_FIELD,
			.base_addr = p->mmap[i].base,
			.length = p->mmap[i].length,
			.type = mb1_mmap_type(p->mmap[i].type),
		};
		block_put(b, &e, sizeof(e), MB1_INFO_ALIGN);
	}
	info->mmap_length = p->mmap_count * sizeof(struct mb1_mmap_entry);
	info->flags |= MB1_INFO_MEM_MAP;
}

/* Lay the whole block out into b; info is written at its start last. */
static bool lay_out(const struct mb1_info_params *p, struct block *b,
		    char *err, size_t err_size)
{
	struct mb1_info info;

	memset(&info, 0, sizeof(info));
	block_put(b, &info, sizeof(info), MB1_INFO_ALIGN);
	fill_memory(p, &info);
	info.cmdline = block_put_string(b, p->cmdline ? p->cmdline : "");
	info.flags |= MB1_INFO_CMDLINE;
	info.boot_loader_name = block_put_string(b, MB1_LOADER_NAME);
	info.flags |= MB1_INFO_BOOT_LOADER_NAME;
	if (!fill_modules(p, b, &info, err, err_size))
		return false;
	fill_mmap(p, b, &info);
	if (b->buf)
		memcpy(b->buf, &info, sizeof(info));
	return true;
}

/* Bytes the block needs: a counting pass of lay_out.  When a module lies
 * above 4 GiB the count stops short; mb1_info_build then fails saying why. */
size_t mb1_info_size(const struct mb1_info_params *p)
{
	struct block b = { NULL, 0, 0, 0 };

	lay_out(p, &b, NULL, 0);
	return b.used;
}

/* Write the block for guest address base into buf (see info.h).  A counting
 * pass comes first, so a short buffer, a misplaced base or a module above
 * 4 GiB is refused before buf is touched.  err is emptied on entry. */
bool mb1_info_build(const struct mb1_info_params *p, uint64_t base, void *buf,
		    size_t buf_size, char *err, size_t err_size)
{
	struct block count = { NULL, 0, 0, base };
	struct block b = { buf, buf_size, 0, base };

	if (err_size)
		err[0] = '\0';
	if (!lay_out(p, &count, err, err_size))
		return false;
	if (count.used > buf_size)
		return format_error(err, err_size, "boot information needs %zu bytes, "
			    "only %zu given", count.used, buf_size);
	/* The end too is an address the guest is told (an empty list placed
	 * last starts there), so it must fit 32 bits. */
	if (base % MB1_INFO_ALIGN || base >= MB1_ADDRESS_LIMIT ||
	    count.used >= MB1_ADDRESS_LIMIT - base)
		return format_error(err, err_size, "boot information at %#llx (%zu "
			    "bytes) is misaligned or above 4 GiB",
			    (unsigned long long)base, count.used);
	return lay_out(p, &b, err, err_size);
}

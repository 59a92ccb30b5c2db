/*
 * Builders for struct boot_info shared by both boot paths, and the names
 * used when printing it.  Pure: built into the host unit tests.
 */
#include "boot/boot_info.h"
#include "lib/str.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const mem_type_names[BOOT_MEM_TYPE_COUNT] = {
	[BOOT_MEM_USABLE] = "usable",
	[BOOT_MEM_RESERVED] = "reserved",
	[BOOT_MEM_ACPI_RECLAIM] = "ACPI reclaimable",
	[BOOT_MEM_ACPI_NVS] = "ACPI NVS",
	[BOOT_MEM_BAD] = "bad",
	[BOOT_MEM_FW_RUNTIME] = "firmware runtime",
	[BOOT_MEM_BOOT_SERVICES] = "boot services",
	[BOOT_MEM_MMIO] = "MMIO",
	[BOOT_MEM_PERSISTENT] = "persistent",
};

/*
 * Where ranges of different types overlap, the higher rank wins: free RAM
 * gives way to anything, boot-services memory (RAM later) to anything
 * firmware still owns, and reserved/bad memory to nothing.
 */
static const uint8_t mem_type_rank[BOOT_MEM_TYPE_COUNT] = {
	[BOOT_MEM_USABLE] = 1,
	[BOOT_MEM_BOOT_SERVICES] = 2,
	[BOOT_MEM_ACPI_RECLAIM] = 3,
	[BOOT_MEM_PERSISTENT] = 4,
	[BOOT_MEM_ACPI_NVS] = 5,
	[BOOT_MEM_FW_RUNTIME] = 6,
	[BOOT_MEM_MMIO] = 7,
	[BOOT_MEM_RESERVED] = 8,
	[BOOT_MEM_BAD] = 9,
};

const char *boot_mem_type_name(uint32_t type)
{
	if (type < BOOT_MEM_TYPE_COUNT && mem_type_names[type])
		return mem_type_names[type];
	return "unknown";
}

const char *boot_firmware_name(uint32_t firmware)
{
	switch (firmware) {
	case BOOT_FW_BIOS: return "BIOS";
	case BOOT_FW_UEFI: return "UEFI";
	default: return "unknown firmware";
	}
}

const char *boot_path_name(uint32_t path)
{
	switch (path) {
	case BOOT_PATH_MULTIBOOT2: return "multiboot2";
	case BOOT_PATH_UEFI: return "UEFI application";
	default: return "unknown boot path";
	}
}

void boot_info_init(struct boot_info *bi, uint32_t firmware, uint32_t path)
{
	memset(bi, 0, sizeof(*bi));
	bi->firmware = firmware;
	bi->path = path;
}

/* Unknown types are stored as reserved: never touch what we cannot name. */
bool boot_info_add_range(struct boot_info *bi, uint64_t base, uint64_t length,
			 uint32_t type)
{
	if (length == 0 || base + length < base ||
	    bi->mmap_count >= BOOT_MMAP_MAX)
		return false;
	if (type == 0 || type >= BOOT_MEM_TYPE_COUNT)
		type = BOOT_MEM_RESERVED;
	bi->mmap[bi->mmap_count++] = (struct boot_mem_range){
		.base = base, .length = length, .type = type,
	};
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split "name rest of line" into the module's name and cmdline.  False
 * when either does not fit (the module is then not added at all).
 */
static bool split_module_cmdline(struct boot_module *m, const char *cmdline)
{
	size_t n = 0;

	if (!cmdline)
		cmdline = "";
	while (is_blank(*cmdline))
		cmdline++;
	while (cmdline[n] && !is_blank(cmdline[n]))
		n++;
	if (n >= sizeof(m->name))
		return false;
	memcpy(m->name, cmdline, n);
	m->name[n] = '\0';
	cmdline += n;
	while (is_blank(*cmdline))
		cmdline++;
	return strlen(cmdline) < sizeof(m->cmdline) &&
	       str_copy(m->cmdline, cmdline, sizeof(m->cmdline)) ==
		       strlen(cmdline);
}

bool boot_info_add_module(struct boot_info *bi, uint64_t base, uint64_t size,
			  const char *cmdline)
{
	struct boot_module *m;

	if (base + size < base || bi->module_count >= BOOT_MODULES_MAX)
		return false;
	m = &bi->modules[bi->module_count];
	memset(m, 0, sizeof(*m));
	if (!split_module_cmdline(m, cmdline)) {
		memset(m, 0, sizeof(*m));
		return false;
	}
	m->base = base;
	m->size = size;
	bi->module_count++;
	return true;
}

const struct boot_module *boot_info_find_module(const struct boot_info *bi,
						const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++) {
		if (strcmp(bi->modules[i].name, name) == 0)
			return &bi->modules[i];
	}
	return NULL;
}

/* ---- memory map normalisation ------------------------------------------ */

/* Every range starts and ends at one of these points (at most 2 each). */
static uint64_t mmap_points[2 * BOOT_MMAP_MAX];
/* The result before it is copied back; see boot_info_normalize_mmap. */
static struct boot_mem_range mmap_out[2 * BOOT_MMAP_MAX];

static uint32_t mem_rank(uint32_t type)
{
	return type < BOOT_MEM_TYPE_COUNT ? mem_type_rank[type]
					  : mem_type_rank[BOOT_MEM_RESERVED];
}

static void sort_points(uint64_t *p, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t v = p[i];
		uint32_t j = i;

		for (; j > 0 && p[j - 1] > v; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

/* All range boundaries, sorted, without duplicates; returns the count. */
static uint32_t collect_points(const struct boot_info *bi)
{
	uint32_t n = 0, unique = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		mmap_points[n++] = bi->mmap[i].base;
		mmap_points[n++] = bi->mmap[i].base + bi->mmap[i].length;
	}
	sort_points(mmap_points, n);
	for (uint32_t i = 0; i < n; i++) {
		if (unique == 0 || mmap_points[unique - 1] != mmap_points[i])
			mmap_points[unique++] = mmap_points[i];
	}
	return unique;
}

/* The winning type over [start, end), or 0 when no range covers it.  The
 * span lies between two neighbouring boundaries, so a range covers all of
 * it or none of it. */
static uint32_t type_at(const struct boot_info *bi, uint64_t start)
{
	uint32_t best = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		const struct boot_mem_range *r = &bi->mmap[i];

		if (start >= r->base && start - r->base < r->length &&
		    (best == 0 || mem_rank(r->type) > mem_rank(best)))
			best = r->type;
	}
	return best;
}

/* Append [start, end) of type to the output, merging with its neighbour. */
static void out_append(uint32_t *count, uint64_t start, uint64_t end,
		       uint32_t type)
{
	struct boot_mem_range *last = *count ? &mmap_out[*count - 1] : NULL;

	if (last && last->type == type && last->base + last->length == start) {
		last->length += end - start;
		return;
	}
	mmap_out[(*count)++] = (struct boot_mem_range){
		.base = start, .length = end - start, .type = type,
	};
}

/*
 * Cut the map at every boundary, give each piece the most restrictive type
 * of the ranges covering it, and join neighbours of one type: the result is
 * sorted and has no overlaps.  Cutting can produce more ranges than went in
 * (a reserved hole splits a usable range in two); if the result does not
 * fit, the highest ranges are dropped and the function returns false.
 */
bool boot_info_normalize_mmap(struct boot_info *bi)
{
	uint32_t npoints = collect_points(bi), count = 0;
	bool fits;

	for (uint32_t i = 0; i + 1 < npoints; i++) {
		uint32_t type = type_at(bi, mmap_points[i]);

		if (type)
			out_append(&count, mmap_points[i], mmap_points[i + 1],
				   type);
	}
	fits = count <= BOOT_MMAP_MAX;
	if (!fits)
		count = BOOT_MMAP_MAX;
	memcpy(bi->mmap, mmap_out, count * sizeof(mmap_out[0]));
	bi->mmap_count = count;
	return fits;
}

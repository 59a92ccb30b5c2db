/*
 * The multiboot (v1) guest loader: the kernel comes from the boot module
 * whose role the caller names (guest=), its modules from the "guest-module"
 * modules (handed over where the boot loader put them).  Guest memory is
 * identity-mapped, so a guest-physical address is also the pointer the
 * hypervisor writes through.  Parsing and the boot information layout are
 * pure (image.c, info.c); this file checks placement against the
 * guest's memory, copies and claims.
 */
#include "guest/multiboot/multiboot.h"

#include "guest/multiboot/image.h"
#include "guest/multiboot/info.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_mem.h"


/* The guest memory map, fetched once per load. */
static struct memmap guest_map;

/* The hypervisor's pointer to guest-physical address pa: guest memory is
 * identity-mapped. */
static void *phys_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

/* Whether [a, a + a_len) and [b, b + b_len) share a byte; neither may wrap
 * and an empty range overlaps nothing. */
static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b,
			   uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* Log why the guest named role cannot be loaded, as "guest: <role>:
 * <reason>" (multiboot.h promises that form); returns false to be returned. */
static bool load_error(const char *role, const char *reason)
{
	log_error("guest: %s: %s", role, reason);
	return false;
}

/* Every segment must land in guest RAM and clear of every other boot
 * module (the kernel's own file is moved out of the way if need be: see
 * move_kernel_file). */
static bool check_segments(const struct boot_info *bi, const char *role,
			   const struct boot_module *kernel,
			   const struct mb1_image *img, char *err, size_t n)
{
	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct mb1_segment *s = &img->segments[i];

		if (!guest_mem_is_ram(s->dest, s->mem_size)) {
			format(err, n, "segment %u [%#llx, %#llx) is not guest "
			       "RAM (reserved, owned by the hypervisor, or "
			       "absent from the memory map)", i,
			       (unsigned long long)s->dest,
			       (unsigned long long)(s->dest + s->mem_size));
			return load_error(role, err);
		}
		for (uint32_t m = 0; m < bi->module_count; m++) {
			const struct boot_module *bm = &bi->modules[m];

			if (bm == kernel ||
			    !ranges_overlap(s->dest, s->mem_size, bm->base,
					    bm->size))
				continue;
			format(err, n, "segment %u [%#llx, %#llx) overlaps boot "
			       "module %u ('%s') at [%#llx, %#llx)", i,
			       (unsigned long long)s->dest,
			       (unsigned long long)(s->dest + s->mem_size), m,
			       bm->name, (unsigned long long)bm->base,
			       (unsigned long long)(bm->base + bm->size));
			return load_error(role, err);
		}
	}
	return true;
}

/* Modules are passed in place: they must be guest RAM, and page-aligned
 * when the header asks for it (GRUB puts modules on page boundaries). */
static bool check_guest_modules(const struct boot_info *bi, const char *role,
				const struct mb1_image *img, char *err,
				size_t n)
{
	bool page_align = img->header_flags & MB1_HEADER_PAGE_ALIGN;

	for (uint32_t m = 0; m < bi->module_count; m++) {
		const struct boot_module *bm = &bi->modules[m];

		if (strcmp(bm->name, MB1_GUEST_MODULE_ROLE) != 0)
			continue;
		if (bm->size && !guest_mem_is_ram(bm->base, bm->size))
			format(err, n, "module %u ('%s' %s) at %#llx is not in "
			       "guest RAM", m, bm->name, bm->cmdline,
			       (unsigned long long)bm->base);
		else if (page_align && bm->base % MB1_MODULE_ALIGN)
			format(err, n, "module %u ('%s' %s) at %#llx is not "
			       "page-aligned, as the kernel's header requires "
			       "(flag 0)", m, bm->name, bm->cmdline,
			       (unsigned long long)bm->base);
		else
			continue;
		return load_error(role, err);
	}
	return true;
}

/* The segments' destinations, claimed before anything is placed. */
static void claim_segments(const struct mb1_image *img)
{
	for (uint32_t i = 0; i < img->segment_count; i++)
		guest_mem_claim(img->segments[i].dest, img->segments[i].mem_size);
}

/* Whether a segment's destination overlaps the kernel's file, so copying in
 * place would overwrite file bytes not yet read. */
static bool segments_overlap_file(const struct mb1_image *img,
				  const struct boot_module *kernel)
{
	for (uint32_t i = 0; i < img->segment_count; i++)
		if (ranges_overlap(img->segments[i].dest,
				   img->segments[i].mem_size, kernel->base,
				   kernel->size))
			return true;
	return false;
}

/*
 * Where the segments are read from.  GRUB puts modules just above 1 MiB,
 * where multiboot kernels load, so the kernel's file often lies under its
 * own segments: then it is copied to free guest RAM first (which the guest
 * gets back: only loaders care about it).  Returns 0 when there is no room.
 */
static uint64_t move_kernel_file(const struct mb1_image *img,
				 const struct boot_module *kernel)
{
	if (!segments_overlap_file(img, kernel))
		return kernel->base;
	uint64_t scratch = guest_mem_find(kernel->size, MB1_MODULE_ALIGN,
					  MB1_ADDRESS_LIMIT);
	if (scratch)
		memcpy(phys_ptr(scratch), phys_ptr(kernel->base), kernel->size);
	return scratch;
}

/* Copy each segment's file bytes from the kernel file at guest address
 * file_base to its destination and zero the rest.  Expects the destinations
 * checked and the file clear of them (move_kernel_file). */
static void copy_segments(uint64_t file_base, const struct mb1_image *img)
{
	const uint8_t *file = phys_ptr(file_base);

	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct mb1_segment *s = &img->segments[i];
		uint8_t *dest = phys_ptr(s->dest);

		memcpy(dest, file + s->file_offset, s->file_size);
		memset(dest + s->file_size, 0, s->mem_size - s->file_size);
	}
}

/* Claims the guest's modules; returns how many there are. */
static uint32_t claim_guest_modules(const struct boot_info *bi)
{
	uint32_t n = 0;

	for (uint32_t m = 0; m < bi->module_count; m++) {
		const struct boot_module *bm = &bi->modules[m];

		if (strcmp(bm->name, MB1_GUEST_MODULE_ROLE) != 0)
			continue;
		if (bm->size)
			guest_mem_claim(bm->base, bm->size);
		n++;
	}
	return n;
}

/* Place and write the boot information; returns its address, 0 on error. */
static uint64_t build_info(const struct boot_info *bi,
			   const struct boot_module *kernel, char *err,
			   size_t n)
{
	struct mb1_info_params p;
	uint64_t base;
	size_t size;

	guest_mem_map(&guest_map);
	p = (struct mb1_info_params){
		.mmap = guest_map.ranges, .mmap_count = guest_map.count,
		.cmdline = kernel->cmdline,
		.modules = bi->modules, .module_count = bi->module_count,
	};
	size = mb1_info_size(&p);
	base = guest_mem_find(size, MB1_INFO_ALIGN, MB1_ADDRESS_LIMIT);
	if (!base) {
		format(err, n, "no free guest RAM below 4 GiB for the %zu-byte "
		       "boot information", size);
		return 0;
	}
	if (!mb1_info_build(&p, base, phys_ptr(base), size, err, n))
		return 0;
	guest_mem_claim(base, size);
	return base;
}

/* The guest's first state as the multiboot spec gives it: 32-bit protected
 * mode at the entry, EAX the boot loader magic, EBX the address info of the
 * boot information. */
static void fill_entry(struct guest_entry *out, const struct mb1_image *img,
		       uint64_t info)
{
	memset(out, 0, sizeof(*out));
	out->mode = GUEST_ENTRY_PROTECTED32;
	out->rip = img->entry;
	out->rax = MB1_BOOTLOADER_MAGIC;
	out->rbx = info;
	out->rsp = 0;               /* the spec leaves ESP undefined */
}

/* Load the multiboot guest whose module has the given role (see
 * multiboot.h).  The segments are checked and
 * claimed before anything is written, so the file copy and the boot
 * information that guest_mem_find places cannot land on them; the boot
 * information comes last and can still fail, after the segments are copied. */
bool multiboot_load(const struct boot_info *bi, const char *role,
		    struct guest_entry *out)
{
	static struct mb1_image img;
	char err[GUEST_LOAD_ERROR_MAX];
	const struct boot_module *kernel = boot_info_find_module(bi, role);
	uint64_t info;
	uint32_t modules;

	if (!kernel) {
		format(err, sizeof(err), "no boot module has this role (%u "
		       "module(s) loaded)", bi->module_count);
		return load_error(role, err);
	}
	if (!mb1_image_parse(phys_ptr(kernel->base), kernel->size, &img, err,
			     sizeof(err)))
		return load_error(role, err);
	if (img.header_flags & MB1_HEADER_VIDEO_MODE)
		log_info("guest: %s: header asks for a video mode (flag 2); "
			 "ignored, the display stays as the firmware left it",
			 role);
	if (!check_segments(bi, role, kernel, &img, err, sizeof(err)) ||
	    !check_guest_modules(bi, role, &img, err, sizeof(err)))
		return false;
	claim_segments(&img);
	uint64_t file = move_kernel_file(&img, kernel);
	if (!file)
		return load_error(role, "no free guest RAM to move the kernel "
				  "file out from under its own segments");
	copy_segments(file, &img);
	modules = claim_guest_modules(bi);
	info = build_info(bi, kernel, err, sizeof(err));
	if (!info)
		return load_error(role, err);
	fill_entry(out, &img, info);
	log_info("guest: multiboot kernel '%s' (%llu bytes, %s), entry %#llx, "
		 "%u module(s), info at %#llx", role,
		 (unsigned long long)kernel->size,
		 mb1_format_name(img.format), (unsigned long long)img.entry,
		 modules, (unsigned long long)info);
	return true;
}

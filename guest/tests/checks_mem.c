/*
 * The multiboot memory map and the hypervisor's own memory.
 *
 * hv_memory_map: the map exists and covers the guest's own image and the
 * trampoline page with available RAM (both bare and under the hypervisor).
 * hv_memory_protected: under the hypervisor no available entry overlaps
 * [HV_IMAGE_BASE, HV_IMAGE_END), where the hypervisor image lives.
 * hv_memory_touch (command line `touch-hv-memory` only, runs last): read
 * that range.  The hypervisor's bytes must not come back: seeing its
 * multiboot2 header magic is a FAIL.  The hypervisor may instead stop the
 * guest (EPT violation), which ends the run without a verdict line here.
 */
#include <stdint.h>

#include "guest/tests/check.h"
#include "guest/tests/guest.h"
#include "guest/tests/layout.h"
#include "guest/tests/multiboot.h"

/* HV_LOAD_ADDR in linker/hv-mb2.ld (keep in step); the image may reach up
 * to 8 MiB, but only its first 2 MiB are certain to be there. */
#define HV_IMAGE_BASE       0x400000ull
#define HV_IMAGE_END        0x600000ull
/* Multiboot2 spec: the header is 8-aligned within the first 32 KiB. */
#define MB2_HEADER_MAGIC    0xe85250d6u
#define MB2_HEADER_SEARCH   32768

extern char __image_start[], __bss_end[];

typedef bool (*mmap_visit)(const struct mb_mmap_entry *e, void *ctx);

/* Call visit for each entry until it returns false; false if the map is
 * missing or malformed. */
static bool mmap_walk(mmap_visit visit, void *ctx)
{
	if (mb_mmap_length == 0)
		return false;
	for (uint32_t off = 0; off + sizeof(struct mb_mmap_entry) <= mb_mmap_length;) {
		const struct mb_mmap_entry *e = (const void *)(mb_mmap + off);
		if (e->size < sizeof(*e) - sizeof(e->size))
			return false;
		if (!visit(e, ctx))
			break;
		off += e->size + sizeof(e->size);
	}
	return true;
}

struct range {
	uint64_t start, end;
	bool hit;
	uint64_t hit_addr, hit_len;
};

static bool covers(const struct mb_mmap_entry *e, void *ctx)
{
	struct range *r = ctx;

	if (e->type == MB_MMAP_AVAILABLE && e->addr <= r->start &&
	    e->addr + e->len >= r->end)
		r->hit = true;
	return !r->hit;
}

static bool overlaps(const struct mb_mmap_entry *e, void *ctx)
{
	struct range *r = ctx;

	if (e->type == MB_MMAP_AVAILABLE && e->addr < r->end &&
	    e->addr + e->len > r->start) {
		r->hit = true;
		r->hit_addr = e->addr;
		r->hit_len = e->len;
	}
	return !r->hit;
}

static bool range_available(uint64_t start, uint64_t end)
{
	struct range r = { start, end, false, 0, 0 };

	return mmap_walk(covers, &r) && r.hit;
}

enum verdict check_hv_memory_map(struct check_result *r)
{
	uint64_t image_start = (uint64_t)__image_start, image_end = (uint64_t)__bss_end;

	if (mb_mmap_length == 0)
		return fail(r, "no multiboot memory map (info flags 0x%x)",
			    mb_info_copy.flags);
	if (!range_available(image_start, image_end))
		return fail(r, "guest image 0x%lx-0x%lx not in available RAM",
			    image_start, image_end);
	if (!range_available(TRAMPOLINE_BASE, TRAMPOLINE_BASE + PAGE_SIZE))
		return fail(r, "trampoline page 0x%x not in available RAM",
			    TRAMPOLINE_BASE);
	return VERDICT_PASS;
}

enum verdict check_hv_memory_protected(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	struct range hv = { HV_IMAGE_BASE, HV_IMAGE_END, false, 0, 0 };
	if (!mmap_walk(overlaps, &hv))
		return fail(r, "no usable multiboot memory map");
	if (hv.hit)
		return fail(r, "available entry 0x%lx+0x%lx overlaps the hypervisor "
			    "at 0x%llx-0x%llx", hv.hit_addr, hv.hit_len,
			    HV_IMAGE_BASE, HV_IMAGE_END);
	return VERDICT_PASS;
}

enum verdict check_hv_memory_touch(struct check_result *r)
{
	if (!guest_env.touch_hv_memory)
		return skip(r, "not requested (command line touch-hv-memory)");
	if (!guest_env.under_hv)
		return skip_bare(r);
	const volatile uint32_t *p = (const volatile uint32_t *)HV_IMAGE_BASE;
	for (uint32_t i = 0; i < MB2_HEADER_SEARCH / sizeof(*p); i += 2)
		if (p[i] == MB2_HEADER_MAGIC)
			return fail(r, "hypervisor image readable: multiboot2 magic at 0x%llx",
				    HV_IMAGE_BASE + i * sizeof(*p));
	return VERDICT_PASS;
}

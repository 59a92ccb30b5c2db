/*
 * The multiboot memory map and the hypervisor's own memory.
 *
 * hv_memory_map: the map exists and covers the guest's own image and the
 * trampoline page with available RAM (both bare and under the hypervisor).
 * hv_memory_protected: under the hypervisor, HC_GET_HV_RANGES names the
 * ranges the hypervisor owns (its image, its pool); no available entry of
 * the map may overlap any of them.
 * hv_memory_touch (command line `touch-hv-memory` only, runs last): read
 * the first of them larger than one page (the one-page AP trampoline is
 * shown to the guest read-only, mm/guest_mem.h guest_mem_show_read_only).  The read must not return: the hypervisor stops the
 * guest with an EPT-violation report, which ends the run without a verdict
 * line here.  A read that returns is a FAIL.
 */
#include <stdint.h>

#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/layout.h"
#include "tests/guest/multiboot.h"
#include "hv/exit/hypercall.h"

#define HV_RANGES_MAX       24      /* = mm/guest_mem.h HV_OWNED_MAX */

extern char __image_start[], __bss_end[];

/* Call visit for each entry until it returns false; false if the map is
 * missing or malformed. */
bool mmap_walk(mmap_visit visit, void *ctx)
{
	if (mb_mmap_length == 0)
		return false;
	for (uint32_t off = 0; off + sizeof(struct mb1_mmap_entry) <= mb_mmap_length;) {
		const struct mb1_mmap_entry *e = (const void *)(mb_mmap + off);
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

static bool covers(const struct mb1_mmap_entry *e, void *ctx)
{
	struct range *r = ctx;

	if (e->type == MB1_MEMORY_AVAILABLE && e->base_addr <= r->start &&
	    e->base_addr + e->length >= r->end)
		r->hit = true;
	return !r->hit;
}

static bool overlaps(const struct mb1_mmap_entry *e, void *ctx)
{
	struct range *r = ctx;

	if (e->type == MB1_MEMORY_AVAILABLE && e->base_addr < r->end &&
	    e->base_addr + e->length > r->start) {
		r->hit = true;
		r->hit_addr = e->base_addr;
		r->hit_len = e->length;
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

/* The hypervisor's ranges by hypercall; false (with r filled) when the
 * call fails. */
static bool hv_ranges(struct check_result *r, struct hc_range *out,
		      int64_t *count)
{
	*count = hypercall(HC_GET_HV_RANGES, (uint64_t)out,
			   HV_RANGES_MAX * sizeof(*out), 0);
	if (*count < 1 || *count > HV_RANGES_MAX) {
		fail(r, "HC_GET_HV_RANGES returned %ld", (long)*count);
		return false;
	}
	return true;
}

enum verdict check_hv_memory_protected(struct check_result *r)
{
	static struct hc_range ranges[HV_RANGES_MAX];
	int64_t n;

	if (!guest_env.under_hv)
		return skip_bare(r);
	if (!hv_ranges(r, ranges, &n))
		return VERDICT_FAIL;
	for (int64_t i = 0; i < n; i++) {
		struct range hv = { ranges[i].base, ranges[i].end, false, 0, 0 };

		if (!mmap_walk(overlaps, &hv))
			return fail(r, "no usable multiboot memory map");
		if (hv.hit)
			return fail(r, "available entry 0x%lx+0x%lx overlaps the "
				    "hypervisor at 0x%lx-0x%lx", hv.hit_addr,
				    hv.hit_len, ranges[i].base, ranges[i].end);
	}
	return VERDICT_PASS;
}

enum verdict check_hv_memory_touch(struct check_result *r)
{
	static struct hc_range ranges[HV_RANGES_MAX];
	int64_t n;

	if (!guest_env.touch_hv_memory)
		return skip(r, "not requested (command line touch-hv-memory)");
	if (!guest_env.under_hv)
		return skip_bare(r);
	if (!hv_ranges(r, ranges, &n))
		return VERDICT_FAIL;
	int64_t i = 0;
	while (i < n && ranges[i].end - ranges[i].base <= PAGE_SIZE)
		i++;
	if (i == n)
		return fail(r, "no hypervisor range larger than a page");
	const volatile uint32_t *p = (const volatile uint32_t *)ranges[i].base;
	uint32_t value = *p;
	return fail(r, "hypervisor memory at 0x%lx was readable (0x%x)",
		    ranges[i].base, value);
}

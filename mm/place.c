/*
 * The hypervisor's placement decision (see mm/place.h).  Pure: it reads
 * the layout and writes only `scratch`.
 */
#include "mm/place.h"

/* The image's size rounded up to whole HV_PLACE_ALIGN blocks (0 stays 0). */
uint64_t hv_place_image_span(uint64_t image_bytes)
{
	return (image_bytes + HV_PLACE_ALIGN - 1) & ~(HV_PLACE_ALIGN - 1);
}

/* The image's destination on top of its pool in the highest block of free
 * RAM below 4 GiB that holds both; 0 when there is none. */
uint64_t hv_place_image(struct pmm *scratch, const struct mm_layout *l,
			uint64_t pool_bytes)
{
	uint64_t span = hv_place_image_span(l->image.size) + pool_bytes;

	if (!l->image.size)
		return 0;
	pmm_build_free_ram(scratch, l);
	uint64_t block = pmm_range_alloc(scratch, span >> PAGE_SHIFT,
					 HV_PLACE_ALIGN, SIZE_4G);
	return block ? block + pool_bytes : 0;
}

/*
 * Segment checks of a data access (hv/vcpu/seg_check.h).  Pure: the host
 * unit tests run it (tests/unit/test_seg_check.c).
 */
#include "hv/vcpu/seg_check.h"

#include "hv/vmcs/ar.h"

#define EXPAND_DOWN_TOP_16    0xffffull        /* B = 0 */
#define EXPAND_DOWN_TOP_32    0xffffffffull    /* B = 1 */

/* Whether the segment's type allows the access (protected mode): a code
 * or data segment, not a system one; a write needs a writable data
 * segment, a read a data segment or a readable code segment. */
static bool type_allows(uint32_t ar, bool write)
{
	bool code = (ar & AR_TYPE_CODE) != 0;
	bool rw = (ar & AR_TYPE_RW) != 0;   /* data: writable, code: readable */

	if (!(ar & AR_S))
		return false;
	if (write)
		return !code && rw;
	return !code || rw;
}

/* Whether bytes offset .. offset + len - 1 lie within the segment's
 * limit: expand-down for a data segment with the E bit (SDM Vol. 3,
 * "Segment Descriptor Types"), expand-up otherwise. */
static bool within_limit(uint32_t ar, uint32_t limit, uint64_t offset, uint32_t len)
{
	uint64_t last = offset + len - 1;

	if (!(ar & AR_TYPE_CODE) && (ar & AR_TYPE_CONFORMING)) {
		uint64_t top = (ar & AR_DB) ? EXPAND_DOWN_TOP_32 : EXPAND_DOWN_TOP_16;

		return offset > limit && last <= top;
	}
	return last <= limit;
}

enum seg_check_result seg_check_data(uint32_t ar, uint32_t limit,
				     const struct seg_access *a)
{
	if (!a->real_mode) {
		if ((ar & AR_UNUSABLE) || !(ar & AR_P))
			return SEG_CHECK_UNUSABLE;
		if (!type_allows(ar, a->write))
			return SEG_CHECK_TYPE;
	}
	return within_limit(ar, limit, a->offset, a->len) ? SEG_CHECK_OK :
							      SEG_CHECK_LIMIT;
}

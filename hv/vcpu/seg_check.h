/*
 * The segment checks of a data access outside 64-bit mode, as pure code
 * (Intel SDM Vol. 3, "Segment-Limit Checking", "Type Checking" and
 * "Segment Descriptor Types"): the segment from its VMCS access rights
 * (hv/vmcs/ar.h, with the "unusable" bit) and byte-granular limit, the
 * access by its offset (already cut to the address size), length and
 * direction.  An emulation that carries out a guest instruction's memory
 * access calls it before the access; a refusal is #GP(0), or #SS(0) when
 * the segment is SS (the caller knows which).  In 64-bit mode there are
 * no limit or type checks, only the canonical check of the linear
 * address (the page walk's).
 */
#ifndef HV_VCPU_SEG_CHECK_H
#define HV_VCPU_SEG_CHECK_H

#include <stdbool.h>
#include <stdint.h>

enum seg_check_result {
	SEG_CHECK_OK,
	SEG_CHECK_UNUSABLE,   /* null selector (protected mode), or not present */
	SEG_CHECK_TYPE,       /* system segment; write to a code or read-only data
			       * segment; read of an execute-only code segment */
	SEG_CHECK_LIMIT,      /* some byte outside the segment's limit */
};

/* The access a segment check is for. */
struct seg_access {
	uint64_t offset;      /* effective address within the address size */
	uint32_t len;         /* bytes, at least 1 */
	bool write;           /* else a read */
	bool real_mode;       /* CR0.PE = 0: the limit only */
};

/* Whether the access a may go through the segment of access rights ar
 * and limit limit (bytes, as the VMCS holds it).  Expand-up: every byte
 * at or below the limit; expand-down: every byte above it and at or
 * below 0xFFFF, or 0xFFFFFFFF when the B flag (AR_DB) is set.  Real mode
 * checks only the limit, with the expand-down and B attributes the
 * segment register still holds (SDM Vol. 3, "Switching Back to
 * Real-Address Mode": without a reload the protected-mode attributes
 * stay in use): not "unusable" (VMX may report a null protected-mode
 * selector that real mode never looks at), not the type (real-mode code
 * writes through CS). */
enum seg_check_result seg_check_data(uint32_t ar, uint32_t limit,
				     const struct seg_access *a);

#endif

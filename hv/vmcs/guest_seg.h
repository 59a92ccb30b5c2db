/*
 * The guest segment registers of the VMCS (Intel SDM Vol. 3, "Guest
 * Register State"): each is four fields, selector, base, limit and access
 * rights, whose encodings differ only by the register.  One writer for
 * every place that loads a whole guest segment (the initial state, INIT)
 * and one reader for the reports.
 */
#ifndef HV_VMCS_GUEST_SEG_H
#define HV_VMCS_GUEST_SEG_H

#include <stdint.h>

enum guest_seg {
	GUEST_SEG_ES, GUEST_SEG_CS, GUEST_SEG_SS, GUEST_SEG_DS,
	GUEST_SEG_FS, GUEST_SEG_GS, GUEST_SEG_LDTR, GUEST_SEG_TR,
	GUEST_SEGS
};

/* One guest segment register's four fields. */
struct guest_seg_state {
	uint16_t sel;
	uint64_t base;
	uint32_t limit, ar;
};

/* Read segment register seg of the current VMCS. */
struct guest_seg_state vmcs_read_guest_seg(enum guest_seg seg);

/* Write segment register seg of the current VMCS. */
void vmcs_write_guest_seg(enum guest_seg seg, uint16_t sel, uint64_t base,
			  uint32_t limit, uint32_t ar);

#endif

/*
 * What the LAPIC check files share: the vectors they use (all free in the
 * guest's IDT, above the 8259's) and the wrappers that make one check
 * function into a check per mode (check_lapic_<fn>_xapic / _x2apic).
 */
#ifndef GUEST_TESTS_LAPIC_CHECKS_H
#define GUEST_TESTS_LAPIC_CHECKS_H

#include "tests/guest/check.h"
#include "tests/guest/lapic.h"

#define LAPIC_TEST_VECTOR_TIMER   0x40
#define LAPIC_TEST_VECTOR_IPI     0x70
#define LAPIC_TEST_VECTOR_LOW     0x51   /* class 5 */
#define LAPIC_TEST_VECTOR_HIGH    0x91   /* class 9: preempts LOW */
#define LAPIC_TEST_VECTOR_IOAPIC  0x68
#define LAPIC_TEST_VECTOR_LEVEL   0x6a   /* level-triggered I/O APIC entry */
#define LAPIC_ILLEGAL_VECTOR      5      /* 0-15 are illegal */

#define LAPIC_CHECK_IN_MODE(fn, suffix, mode)                                 \
	enum verdict check_lapic_##fn##_##suffix(struct check_result *r)     \
	{                                                                     \
		return lapic_run_in_mode(r, mode, fn);                        \
	}

#define LAPIC_CHECK_BOTH_MODES(fn)                                            \
	LAPIC_CHECK_IN_MODE(fn, xapic, LAPIC_MODE_XAPIC)                      \
	LAPIC_CHECK_IN_MODE(fn, x2apic, LAPIC_MODE_X2APIC)

#endif

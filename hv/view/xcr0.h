/*
 * Which XSETBV values the guest may load (pure, unit-tested).  SDM Vol. 1,
 * "Extended Control Register 0 (XCR0)" and the XSETBV reference: #GP when
 *  - ECX is not 0 (XCR0 is the only writable XCR),
 *  - bit 0 (x87) is clear,
 *  - a bit is set that CPUID.(EAX=0DH,ECX=0):EDX:EAX does not report,
 *  - AVX (bit 2) is set without SSE (bit 1),
 *  - the MPX bits (3, 4) differ,
 *  - any AVX-512 bit (5-7) is set without AVX, or they are not all equal,
 *  - the AMX bits (17, 18) differ.
 */
#ifndef HV_XCR0_H
#define HV_XCR0_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/xsave.h"


/* Both bits of a group set, or neither. */
static inline bool xcr0_group_whole(uint64_t value, uint64_t group)
{
	return (value & group) == 0 || (value & group) == group;
}

static inline bool xsetbv_valid(uint32_t xcr, uint64_t value, uint64_t supported)
{
	if (xcr != XCR_XCR0 || !(value & XCR0_X87) || (value & ~supported))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if (!xcr0_group_whole(value, XCR0_MPX) || !xcr0_group_whole(value, XCR0_AMX) ||
	    !xcr0_group_whole(value, XCR0_AVX512))
		return false;
	if ((value & XCR0_AVX512) && !(value & XCR0_AVX))
		return false;
	return true;
}

#endif

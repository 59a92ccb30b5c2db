/*
 * Bits, sizes and halves of integers: the generic helpers every layer
 * uses, defined once.  The constant part is assembler-safe: GAS takes no
 * C integer suffixes, so a header shared with a .S file writes its 64-bit
 * constants with U_C()/ULL_C() and BIT()/BIT_ULL(), which drop the suffix
 * there.
 */
#ifndef LIB_BITS_H
#define LIB_BITS_H

#ifdef __ASSEMBLY__
#define U_C(x)          x
#define ULL_C(x)        x
#else
#define U_C(x)          x##u
#define ULL_C(x)        x##ull
#endif

/* Bit n as a 32-bit (n 0-31) or 64-bit (n 0-63) value. */
#define BIT(n)          (U_C(1) << (n))
#define BIT_ULL(n)      (ULL_C(1) << (n))

#define BITS_PER_BYTE   8
#define MIB_SHIFT       20                      /* 1 MiB = 1 << 20 bytes */
#define SIZE_4G         ULL_C(0x100000000)      /* the 32-bit address space */

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Number of elements of the array a (not of a pointer). */
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))

/* Bits 31:0 and bits 63:32 of v, as 32-bit values. */
#define LOW32(v)        ((uint32_t)(v))
#define HIGH32(v)       ((uint32_t)((uint64_t)(v) >> 32))
#endif /* !__ASSEMBLY__ */

#endif

/*
 * XSAVE state components: the bits of XCR0 (user state) and IA32_XSS
 * (supervisor state).  SDM Vol. 1, "XSAVE-Supported Features and
 * State-Component Bitmaps".  #defines only, so the test guest names them
 * from here too (tests/layers.sh).
 */
#ifndef ARCH_X86_XSAVE_H
#define ARCH_X86_XSAVE_H

#define XCR_XCR0            0
#define XCR0_X87            (1ull << 0)
#define XCR0_SSE            (1ull << 1)
#define XCR0_AVX            (1ull << 2)
#define XCR0_MPX            ((1ull << 3) | (1ull << 4))   /* BNDREGS, BNDCSR */
#define XCR0_AVX512         ((1ull << 5) | (1ull << 6) | (1ull << 7))
#define XCR0_AMX            ((1ull << 17) | (1ull << 18)) /* TILECFG, TILEDATA */
#define XCR0_PKRU           (1ull << 9)
#define XCR0_LEGACY         (XCR0_X87 | XCR0_SSE)   /* the FXSAVE area */

/* Supervisor state components (IA32_XSS; SDM Vol. 1, "Enabling the
 * XSAVE Feature Set and XSAVE-Enabled Features"). */
#define XSS_PT              (1ull << 8)
#define XSS_PASID           (1ull << 10)
#define XSS_CET_U           (1ull << 11)
#define XSS_CET_S           (1ull << 12)
#define XSS_HDC             (1ull << 13)
#define XSS_UINTR           (1ull << 14)
#define XSS_LBR             (1ull << 15)
#define XSS_HWP             (1ull << 16)

#endif

/*
 * Recorded CPUID leaves of real Intel CPUs that have features Bochs
 * lacks (CET, AVX-512, PKU, Key Locker, TSX, MPX), for the tests of
 * hv/view/cpu_features.c and hv/view/cpuid.c.
 */
#ifndef TESTS_UNIT_CPUID_SAMPLES_H
#define TESTS_UNIT_CPUID_SAMPLES_H

#include <stdint.h>

#include "arch/x86/cpu.h"

struct cpuid_sample {
	uint32_t leaf, subleaf;
	struct cpuid_regs r;
};

/*
 * Intel Core i5-1135G7 (Tiger Lake-UP3, CPUID.1:EAX = 0x000806c1, NUC11TN):
 * CET shadow stacks and IBT, AVX-512, PKU, Key Locker, Intel PT, no TSX.
 * Source: AIDA64 6.25 "CPUID Registers / Logical CPU #0" dump kept with
 * the Bochs sources as bochs/cpu/cpudb/intel/tigerlake.txt.
 */
static const struct cpuid_sample tigerlake_i5_1135g7[] = {
	{ 0x07, 0, { 0x00000000, 0xf3bfa7eb, 0x18c05fce, 0xfc100510 } },
	{ 0x0d, 0, { 0x000002e7, 0x00000a80, 0x00000a88, 0x00000000 } },
	{ 0x0d, 1, { 0x0000000f, 0x00000a00, 0x00003900, 0x00000000 } },
	{ 0x0d, 2, { 0x00000100, 0x00000240, 0x00000000, 0x00000000 } },
	{ 0x0d, 5, { 0x00000040, 0x00000440, 0x00000000, 0x00000000 } },
	{ 0x0d, 6, { 0x00000200, 0x00000480, 0x00000000, 0x00000000 } },
	{ 0x0d, 7, { 0x00000400, 0x00000680, 0x00000000, 0x00000000 } },
	{ 0x0d, 8, { 0x00000080, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x0d, 9, { 0x00000008, 0x00000a80, 0x00000000, 0x00000000 } },
	{ 0x0d, 11, { 0x00000010, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x0d, 12, { 0x00000018, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x0d, 13, { 0x00000008, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x19, 0, { 0x00000007, 0x00000014, 0x00000003, 0x00000000 } },
	{ 0x80000001, 0, { 0x00000000, 0x00000000, 0x00000121, 0x2c100000 } },
};

/*
 * Intel Skylake client part (CPUID.1:EAX = 0x000506e3, family 6 model
 * 0x5e): HLE, RTM and MPX.  Source: the dump in the test
 * CpuIdDumpTest.ToCpuInfo_Skylake of google/EXEgesis
 * (exegesis/base/cpuid_x86_test.cc), InstLatx64 format.
 */
static const struct cpuid_sample skylake_506e3[] = {
	{ 0x07, 0, { 0x00000000, 0x029c6fbb, 0x00000000, 0x00000000 } },
	{ 0x0d, 0, { 0x0000001f, 0x00000440, 0x00000440, 0x00000000 } },
	{ 0x0d, 1, { 0x0000000f, 0x000003c0, 0x00000100, 0x00000000 } },
	{ 0x0d, 2, { 0x00000100, 0x00000240, 0x00000000, 0x00000000 } },
	{ 0x0d, 3, { 0x00000040, 0x000003c0, 0x00000000, 0x00000000 } },
	{ 0x0d, 4, { 0x00000040, 0x00000400, 0x00000000, 0x00000000 } },
};

#endif

/*
 * Instructions a hypervisor intercepts unconditionally or optionally:
 * XSETBV, INVD/WBINVD, RDTSC, RDTSCP.  INVD and WBINVD exit under the
 * hypervisor (INVD always, WBINVD by a required control) and are seen
 * through the exit counts of HC_GET_EXIT_STATS.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/xsave.h"
#include "hv/exit/reason.h"
#include "tests/guest/check.h"
#include "tests/guest/exit_count.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

#define TSC_SAMPLES        1000
#define TSC_AUX_SAMPLE     0x5a5au
#define CACHE_LINE_SIZE    64
#define INVD_SENTINEL      0x1badcafe5eedf00dull

/* The XCR0 this CPU accepts among x87|SSE|AVX (CPUID.(EAX=0DH,ECX=0):EAX). */
static uint64_t xcr0_valid(void)
{
	uint64_t supported = cpuid(CPUID_LEAF_XSAVE, 0).eax;
	uint64_t want = XCR0_X87 | XCR0_SSE;

	if ((cpuid(1, 0).ecx & CPUID_1_ECX_AVX) && (supported & XCR0_AVX))
		want |= XCR0_AVX;
	return want & supported;
}

static enum verdict xsetbv_cases(struct check_result *r)
{
	uint64_t valid = xcr0_valid();
	int v = probe_xsetbv(XCR_XCR0, valid);

	if (v != NO_FAULT)
		return fail(r, "XSETBV XCR0=0x%lx raised %s", valid, vector_name(v));
	if (xgetbv(XCR_XCR0) != valid)
		return fail(r, "XCR0 wrote 0x%lx, XGETBV reads 0x%lx", valid, xgetbv(XCR_XCR0));
	v = probe_xsetbv(XCR_XCR0, XCR0_SSE);         /* x87 bit clear: invalid */
	if (v != VEC_GP)
		return fail(r, "XSETBV XCR0=0x%llx (no x87): expected #GP, got %s",
			    XCR0_SSE, vector_name(v));
	if (xgetbv(XCR_XCR0) != valid)
		return fail(r, "XCR0 changed to 0x%lx by a faulting XSETBV", xgetbv(XCR_XCR0));
	return VERDICT_PASS;
}

enum verdict check_xsetbv(struct check_result *r)
{
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE))
		return skip(r, "CPUID.1:ECX.XSAVE clear");
	uint64_t saved_cr4 = read_cr4();
	write_cr4(saved_cr4 | CR4_OSXSAVE);
	uint64_t saved_xcr0 = xgetbv(XCR_XCR0);
	enum verdict verdict = xsetbv_cases(r);
	probe_xsetbv(XCR_XCR0, saved_xcr0);
	write_cr4(saved_cr4);
	return verdict;
}

/* One line, dirty in the cache only, when INVD runs. */
static volatile uint64_t invd_line __attribute__((aligned(CACHE_LINE_SIZE)));

/* WBINVD (memory now clean), a store, INVD.  No stack access in between:
 * bare, INVD discards whatever is dirty at that moment. */
static void wbinvd_store_invd(void *arg)
{
	(void)arg;
	__asm__ volatile("wbinvd; movq %1, %0; invd"
			 : "=m"(invd_line) : "r"(INVD_SENTINEL) : "memory");
}

/* Under the hypervisor, with exits counted around the sequence: each
 * instruction exited once, and the store survived INVD (which the
 * hypervisor carries out as WBINVD, hv/exit/insn.c). */
static enum verdict invd_under_hv(struct check_result *r)
{
	uint64_t invd0, wbinvd0, invd1, wbinvd1;

	if (!exit_stats_fetch() || !exit_stats_count(EXIT_REASON_INVD, &invd0) ||
	    !exit_stats_count(EXIT_REASON_WBINVD, &wbinvd0))
		return fail(r, "HC_GET_EXIT_STATS: no usable exit table");
	int v = try_call(wbinvd_store_invd, NULL, NULL);
	if (!exit_stats_fetch() || !exit_stats_count(EXIT_REASON_INVD, &invd1) ||
	    !exit_stats_count(EXIT_REASON_WBINVD, &wbinvd1))
		return fail(r, "HC_GET_EXIT_STATS: no usable exit table");
	if (v != NO_FAULT)
		return fail(r, "WBINVD; INVD raised %s", vector_name(v));
	if (invd_line != INVD_SENTINEL)
		return fail(r, "the line stored before INVD reads 0x%lx, not 0x%llx: "
			    "INVD discarded it", invd_line, INVD_SENTINEL);
	if (invd1 - invd0 != 1 || wbinvd1 - wbinvd0 != 1)
		return fail(r, "exits counted: %lu INVD, %lu WBINVD; want 1 each",
			    invd1 - invd0, wbinvd1 - wbinvd0);
	return VERDICT_PASS;
}

/* Bare, INVD may really discard the store (that is INVD): only a fault
 * could be wrong there, and the hypervisor's behaviour is not seen. */
enum verdict check_invd_wbinvd(struct check_result *r)
{
	if (guest_env.under_hv)
		return invd_under_hv(r);
	invd_line = 0;
	int v = try_call(wbinvd_store_invd, NULL, NULL);
	if (v != NO_FAULT)
		return fail(r, "bare: WBINVD; INVD raised %s", vector_name(v));
	return skip(r, "bare: WBINVD and INVD ran; the line stored before INVD "
		    "was %s (INVD may discard it): nothing of the hypervisor's "
		    "to check", invd_line == INVD_SENTINEL ? "kept" : "lost");
}

enum verdict check_rdtsc_monotonic(struct check_result *r)
{
	uint64_t first = rdtsc(), prev = first;

	for (int i = 0; i < TSC_SAMPLES; i++) {
		uint64_t now = rdtsc();
		if (now < prev)
			return fail(r, "TSC went back from 0x%lx to 0x%lx", prev, now);
		prev = now;
	}
	if (prev == first)
		return fail(r, "TSC did not advance over %d reads", TSC_SAMPLES);
	return VERDICT_PASS;
}

static uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
	return ((uint64_t)hi << 32) | lo;
}

struct rdtscp_result {
	uint64_t tsc;
	uint32_t aux;
};

static void do_rdtscp(void *arg)
{
	struct rdtscp_result *res = arg;

	res->tsc = rdtscp(&res->aux);
}

enum verdict check_rdtscp(struct check_result *r)
{
	if (!cpu_has_rdtscp())
		return skip(r, "CPUID.80000001H:EDX.RDTSCP clear");
	uint64_t saved;
	probe_rdmsr(IA32_TSC_AUX, &saved);
	probe_wrmsr(IA32_TSC_AUX, TSC_AUX_SAMPLE);
	uint64_t before = rdtsc();
	struct rdtscp_result res = { 0, 0 };
	int v = try_call(do_rdtscp, &res, NULL);
	probe_wrmsr(IA32_TSC_AUX, saved);
	if (v != NO_FAULT)
		return fail(r, "RDTSCP raised %s", vector_name(v));
	if (res.aux != TSC_AUX_SAMPLE)
		return fail(r, "RDTSCP ECX 0x%x, IA32_TSC_AUX was 0x%x", res.aux,
			    TSC_AUX_SAMPLE);
	if (res.tsc < before)
		return fail(r, "RDTSCP 0x%lx earlier than RDTSC 0x%lx", res.tsc, before);
	return VERDICT_PASS;
}

/*
 * The VMCALL ABI of hv/exit/hypercall.h.  Bare, VMCALL raises #UD, so every
 * check here is SKIP.  The guest is identity-mapped, so a pointer is its
 * guest-physical address.
 */
#include <stdint.h>

#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "hv/exit/hypercall.h"

/* The boot test looks for this text in the hypervisor's log. */
#define CONSOLE_WRITE_TEXT  "hello from the test guest via HC_CONSOLE_WRITE"
#define CONSOLE_WRITE_MAX   4096
#define UNKNOWN_CALL        0x7fff
/* Far above any guest RAM: the hypervisor must refuse it, not crash. */
#define UNBACKED_GPA        (1ull << 46)
#define EXIT_STATS_BUF_SIZE 4096

static const char console_text[] = CONSOLE_WRITE_TEXT;
static uint8_t stats_buf[EXIT_STATS_BUF_SIZE];
/* Larger than CONSOLE_WRITE_MAX, for the length check. */
static char long_text[CONSOLE_WRITE_MAX + 1];

enum verdict check_hypercall_version(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	int64_t v = hypercall(HC_GET_VERSION, 0, 0, 0);
	if (v != HV_ABI_VERSION)
		return fail(r, "HC_GET_VERSION returned 0x%lx, expected 0x%x", v,
			    HV_ABI_VERSION);
	return VERDICT_PASS;
}

enum verdict check_hypercall_console_write(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	uint64_t len = sizeof(console_text) - 1;
	int64_t v = hypercall(HC_CONSOLE_WRITE, (uint64_t)console_text, len, 0);
	if (v != (int64_t)len)
		return fail(r, "HC_CONSOLE_WRITE returned %ld, expected %lu", v, len);
	return VERDICT_PASS;
}

enum verdict check_hypercall_bad_args(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	int64_t v = hypercall(HC_CONSOLE_WRITE, (uint64_t)long_text,
			      sizeof(long_text), 0);
	if (v != -HC_ERR_INVALID)
		return fail(r, "HC_CONSOLE_WRITE of %lu bytes returned %ld, expected %d",
			    sizeof(long_text), v, -HC_ERR_INVALID);
	v = hypercall(HC_CONSOLE_WRITE, UNBACKED_GPA, 1, 0);
	if (v != -HC_ERR_FAULT)
		return fail(r, "HC_CONSOLE_WRITE at GPA 0x%llx returned %ld, expected %d",
			    UNBACKED_GPA, v, -HC_ERR_FAULT);
	return VERDICT_PASS;
}

enum verdict check_hypercall_exit_stats(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	if (!(guest_env.hv_features & HV_FEATURE_EXIT_STATS))
		return skip(r, "HV_FEATURE_EXIT_STATS not offered (features 0x%x)",
			    guest_env.hv_features);
	int64_t v = hypercall(HC_GET_EXIT_STATS, (uint64_t)stats_buf,
			      sizeof(stats_buf), 0);
	if (v <= 0 || v > (int64_t)sizeof(stats_buf))
		return fail(r, "HC_GET_EXIT_STATS returned %ld for a %lu-byte buffer",
			    v, sizeof(stats_buf));
	return VERDICT_PASS;
}

enum verdict check_hypercall_unknown(struct check_result *r)
{
	if (!guest_env.under_hv)
		return skip_bare(r);
	int64_t v = hypercall(UNKNOWN_CALL, 0, 0, 0);
	if (v != -HC_ERR_UNKNOWN)
		return fail(r, "call 0x%x returned %ld, expected %d", UNKNOWN_CALL, v,
			    -HC_ERR_UNKNOWN);
	return VERDICT_PASS;
}

/*
 * lib/format.c against the host C library's snprintf: the same format
 * string and argument through both, over many flag/width/precision/length
 * combinations, then truncation at every buffer size.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/format.h"
#include "tests/unit/test.h"

#define OUT_MAX 256

/* Both implementations on one argument list; first mismatch reported. */
static int compare_v(const char *fmt, ...)
{
	char want[OUT_MAX], got[OUT_MAX];
	va_list a, b;

	va_start(a, fmt);
	va_copy(b, a);
	int nw = vsnprintf(want, sizeof(want), fmt, a);
	int ng = vformat(got, sizeof(got), fmt, b);
	va_end(b);
	va_end(a);
	if (nw != ng || strcmp(want, got) != 0) {
		test_fail(__FILE__, __LINE__,
			  "format \"%s\": got \"%s\" (%d), want \"%s\" (%d)",
			  fmt, got, ng, want, nw);
		return 1;
	}
	return 0;
}

static const char *const flag_sets[] = {
	"", "-", "0", " ", "+", "#", "-0", "+0", " 0", "#0", "-#", "+ ",
	"-+", "#-0+ ",
};
static const char *const widths[] = { "", "1", "5", "20" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".3", ".25" };
static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "j", "t" };
static const char convs[] = "diuxXo";

static const long long values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256, -128, -129,
	32767, -32768, 65535, 65536, INT_MAX, INT_MIN, UINT_MAX,
	1234567890123ll, -1234567890123ll, LLONG_MAX, LLONG_MIN,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Call with the argument type the length modifier asks for. */
static int compare_int(const char *fmt, const char *length, char conv,
		       long long v)
{
	bool is_signed = conv == 'd' || conv == 'i';

	if (!strcmp(length, "hh") || !strcmp(length, "h") || !*length)
		return is_signed ? compare_v(fmt, (int)v)
				 : compare_v(fmt, (unsigned int)v);
	if (!strcmp(length, "z"))
		return is_signed ? compare_v(fmt, (ssize_t)v)
				 : compare_v(fmt, (size_t)v);
	if (!strcmp(length, "j"))
		return is_signed ? compare_v(fmt, (intmax_t)v)
				 : compare_v(fmt, (uintmax_t)v);
	if (!strcmp(length, "t"))
		return compare_v(fmt, (ptrdiff_t)v);
	if (!strcmp(length, "l"))
		return is_signed ? compare_v(fmt, (long)v)
				 : compare_v(fmt, (unsigned long)v);
	return is_signed ? compare_v(fmt, v) : compare_v(fmt, (unsigned long long)v);
}

TEST(format_integers_match_libc)
{
	char fmt[32];
	int failures = 0;

	for (size_t f = 0; f < N(flag_sets); f++)
	for (size_t w = 0; w < N(widths); w++)
	for (size_t p = 0; p < N(precisions); p++)
	for (size_t l = 0; l < N(lengths); l++)
	for (size_t c = 0; convs[c]; c++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flag_sets[f],
			 widths[w], precisions[p], lengths[l], convs[c]);
		for (size_t v = 0; v < N(values); v++) {
			failures += compare_int(fmt, lengths[l], convs[c],
						values[v]);
			if (failures)
				return;
		}
	}
}

TEST(format_strings_and_chars_match_libc)
{
	static const char *const strs[] = { "", "a", "hello", "hypervisor log" };
	static const char *const fmts[] = {
		"%s", "%10s", "%-10s", "%.0s", "%.3s", "%10.3s", "%-10.3s",
		"%1s", "[%s|%s]", "%%s %s",
	};
	for (size_t i = 0; i < N(fmts); i++)
		for (size_t s = 0; s < N(strs); s++)
			if (compare_v(fmts[i], strs[s], strs[s]))
				return;
	static const char *const cfmts[] = { "%c", "%5c", "%-5c", "x%cy" };
	for (size_t i = 0; i < N(cfmts); i++)
		if (compare_v(cfmts[i], 'Z') || compare_v(cfmts[i], '\x7f'))
			return;
}

TEST(format_precision_limits_unterminated_string)
{
	char raw[3] = { 'a', 'b', 'c' };       /* no NUL: ASan checks reads */
	char out[8];

	CHECK_EQ(format(out, sizeof(out), "%.3s", raw), 3);
	CHECK_STR(out, "abc");
}

TEST(format_star_width_and_precision)
{
	static const int ws[] = { -12, -1, 0, 3, 12 };
	static const int ps[] = { -5, 0, 2, 9 };

	for (size_t w = 0; w < N(ws); w++)
		for (size_t p = 0; p < N(ps); p++)
			if (compare_v("<%*.*d>", ws[w], ps[p], -42) ||
			    compare_v("<%*.*s>", ws[w], ps[p], "string") ||
			    compare_v("<%-*x>", ws[w], 0xbeef))
				return;
}

TEST(format_pointers_match_libc)
{
	int x;

	if (compare_v("%p", (void *)&x) || compare_v("%p", (void *)NULL) ||
	    compare_v("%20p", (void *)&x) || compare_v("%-20p|", (void *)&x) ||
	    compare_v("%p", (void *)(uintptr_t)0xffffffff80000000ull))
		return;
}

TEST(format_percent_and_mixed)
{
	if (compare_v("100%%") || compare_v("%d%% of %s", 50, "RAM") ||
	    compare_v("no conversions at all") || compare_v("") ||
	    compare_v("%u-%lld-%#llx-%c-%s", 1u, -2ll, 3ull, 'x', "y"))
		return;
}

TEST(format_truncates_like_vsnprintf)
{
	static const char *const fmts[] = { "%s=%#llx", "%-8s|%5d" };
	char want[64], got[64];

	for (size_t f = 0; f < N(fmts); f++) {
		for (size_t size = 0; size < 24; size++) {
			memset(want, 'W', sizeof(want));
			memset(got, 'W', sizeof(got));
			int nw = snprintf(want, size, fmts[f], "key",
					  f ? 42ull : 0xdeadbeefull);
			int ng = format(got, size, fmts[f], "key",
					f ? 42ull : 0xdeadbeefull);
			CHECK_EQ(ng, nw);
			CHECK(memcmp(got, want, sizeof(got)) == 0);
		}
	}
}

TEST(format_null_buffer_with_zero_size_counts)
{
	CHECK_EQ(format(NULL, 0, "%d-%s", 12345, "abc"), 9);
}

TEST(format_unknown_conversion_is_copied)
{
	/* Through variables: the compiler would reject the literals. */
	const char *unknown = "a%yb%d", *trailing = "trailing %";
	char out[32];

	CHECK_EQ(format(out, sizeof(out), unknown, 7), 5);
	CHECK_STR(out, "a%yb7");
	CHECK_EQ(format(out, sizeof(out), trailing), 10);
	CHECK_STR(out, "trailing %");
}

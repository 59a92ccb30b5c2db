/*
 * A minimal host unit-test harness.  Each test is a function registered
 * with TEST(); the runner (tests/unit/main.c) runs all, or those whose name
 * contains argv[1], printing one line each:
 *
 *     PASS unit/format_hex
 *     FAIL unit/pmm_overlap: tests/unit/test_pmm.c:42: got 0x1000, want 0x2000
 *
 * CHECK* record the first failure of a test and return from it.
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

void test_register(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int test_failed(void);

#define TEST(name)                                                        \
	static void test_##name(void);                                    \
	__attribute__((constructor)) static void register_##name(void)    \
	{                                                                 \
		test_register(#name, test_##name);                        \
	}                                                                 \
	static void test_##name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			test_fail(__FILE__, __LINE__, "%s", #cond);       \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_EQ(got, want)                                               \
	do {                                                              \
		unsigned long long g_ = (unsigned long long)(got);        \
		unsigned long long w_ = (unsigned long long)(want);       \
		if (g_ != w_) {                                           \
			test_fail(__FILE__, __LINE__,                     \
				  "%s: got %#llx, want %#llx", #got, g_,  \
				  w_);                                    \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_STR(got, want)                                              \
	do {                                                              \
		const char *g_ = (got), *w_ = (want);                     \
		if (strcmp(g_, w_) != 0) {                                \
			test_fail(__FILE__, __LINE__,                     \
				  "%s: got \"%s\", want \"%s\"", #got,    \
				  g_, w_);                                \
			return;                                           \
		}                                                         \
	} while (0)

#endif

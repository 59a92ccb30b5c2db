/* Runner for the host unit tests: see test.h. */
#include <stdarg.h>
#include <stdlib.h>

#include "tests/unit/test.h"

#define TESTS_MAX 1024

static struct unit_test tests[TESTS_MAX];
static int test_count;
static int current_failed;
static const char *current_name;

void test_register(const char *name, void (*fn)(void))
{
	if (test_count == TESTS_MAX) {
		fprintf(stderr, "too many unit tests\n");
		exit(2);
	}
	tests[test_count++] = (struct unit_test){ name, fn };
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (current_failed++)
		return;
	printf("FAIL unit/%s: %s:%d: ", current_name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int test_failed(void)
{
	return current_failed;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct unit_test *)a)->name,
		      ((const struct unit_test *)b)->name);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	qsort(tests, test_count, sizeof(tests[0]), by_name);
	for (int i = 0; i < test_count; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_failed = 0;
		current_name = tests[i].name;
		tests[i].fn();
		if (current_failed) {
			failed++;
		} else {
			passed++;
			printf("PASS unit/%s\n", tests[i].name);
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

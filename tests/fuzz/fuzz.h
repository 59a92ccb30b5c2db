/*
 * Host fuzz targets for the parsers of boot input (docs/fuzzing.md): one
 * libFuzzer entry point per file tests/fuzz/fuzz_*.c, linked with the pure
 * sources the unit tests use (the Makefile's UNIT_UNDER_TEST) and with
 * common.c.  A target checks the parser's own promises about what it
 * accepted, not only that it did not crash: a broken promise prints
 * "fuzz promise broken: ..." and aborts, which libFuzzer reports as a crash
 * and saves as a reproducer.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void fuzz_broken(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

/* Abort with a message when a promise does not hold. */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_broken(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/* The input read front to back; bytes past its end read as 0. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* The next `bytes` (at most 8) bytes, little-endian. */
uint64_t fuzz_take(struct fuzz_in *in, size_t bytes);

/* A heap copy of the rest of the input as a C string (NUL added; the
 * input's own NULs end it early).  Free it with free(). */
char *fuzz_take_string(struct fuzz_in *in, size_t max);

/* A heap copy of data[0..size) with nothing after it, so that a read one
 * byte past the end is an AddressSanitizer report. */
uint8_t *fuzz_dup(const uint8_t *data, size_t size);

/* True when s has a NUL within its first n bytes. */
bool fuzz_has_nul(const char *s, size_t n);

/* The memory map of bi is what memmap_normalize promises: sorted,
 * no overlaps, no empty or wrapping range, known types, neighbours of one
 * type joined. */
void fuzz_check_normalized_mmap(const struct boot_info *bi);

/* Every module of bi: name and command line NUL-terminated in their
 * arrays, the name free of blanks, base + size not wrapping. */
void fuzz_check_modules(const struct boot_info *bi);

#endif

/*
 * Micro-benchmarks (command line `bench`): the cost of one exit-causing
 * instruction, as TSC ticks per iteration.
 */
#ifndef GUEST_TESTS_BENCH_H
#define GUEST_TESTS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench {
	const char *name;
	bool needs_hv;                  /* VMCALL: #UD when bare */
	void (*body)(void);             /* one iteration */
};

extern const struct bench bench_table[];
extern const size_t bench_count;

/* Run b iterations times and print "[guest] bench <name>: <ticks>"; false
 * (with a SKIP line) when it cannot run here. */
bool bench_run(const struct bench *b, uint64_t iterations);

#endif

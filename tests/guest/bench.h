/*
 * Micro-benchmarks (command line `bench`): the cost of one exit-causing
 * instruction, as TSC ticks per iteration.
 */
#ifndef GUEST_TESTS_BENCH_H
#define GUEST_TESTS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* exit_reason of a benchmark whose root-mode cost is not measured in
 * the guest (the baseline; VMCALL, whose reason the measuring hypercall
 * shares). */
#define BENCH_NO_EXIT_FIGURE    (-1)

struct bench {
	const char *name;
	bool needs_hv;                  /* VMCALL: #UD when bare */
	void (*setup)(void);            /* before the first iteration, or NULL */
	void (*body)(void);             /* one iteration */
	int32_t exit_reason;            /* the exit the body may cause, or
					 * BENCH_NO_EXIT_FIGURE */
};

extern const struct bench bench_table[];
extern const size_t bench_count;

/* Run b iterations times and print "[guest] bench <name>: <ticks>"; under
 * the hypervisor also "[guest] bench <name> exits: <n>, root/exit: <r>",
 * the exits of b's reason during the loop and their mean root-mode cost
 * ("-" without exits) from HC_GET_EXIT_STATS readings around it.  False
 * (with a SKIP line) when it cannot run here. */
bool bench_run(const struct bench *b, uint64_t iterations);

#endif

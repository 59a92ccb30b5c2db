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
/* exit_reason of a benchmark whose exits are counted over every reason
 * but VMCALL (the readings' own): the table's total row less that row. */
#define BENCH_ALL_EXITS         (-2)
/* What a measure function returns when it cannot run here. */
#define BENCH_UNAVAILABLE       UINT64_MAX

struct bench {
	const char *name;
	bool needs_hv;                  /* VMCALL: #UD when bare */
	void (*setup)(void);            /* before the first iteration, or NULL */
	void (*body)(void);             /* one iteration */
	int32_t exit_reason;            /* the exit the body may cause, or
					 * BENCH_NO_EXIT_FIGURE, BENCH_ALL_EXITS */
	/* Instead of timing body in a loop: measure iterations events itself
	 * and return the mean TSC ticks per event, or BENCH_UNAVAILABLE. */
	uint64_t (*measure)(uint64_t iterations);
};

/* The local APIC latencies (tests/guest/bench_lapic.c), in TSC ticks:
 * from the ICR write of a fixed self-IPI to its handler, and from a
 * TSC-deadline timer's deadline to its handler. */
uint64_t bench_lapic_self_ipi(uint64_t iterations);
uint64_t bench_lapic_timer(uint64_t iterations);
/* The TSC ticks a periodic LAPIC timer's tick takes from the code it
 * interrupts (its delivery, handler and exits). */
uint64_t bench_lapic_periodic(uint64_t iterations);

extern const struct bench bench_table[];
extern const size_t bench_count;

/* Run b iterations times and print "[guest] bench <name>: <ticks>"; under
 * the hypervisor also "[guest] bench <name> exits: <n>, root/exit: <r>",
 * the exits of b's reason during the loop and their mean root-mode cost
 * ("-" without exits) from HC_GET_EXIT_STATS readings around it.  False
 * (with a SKIP line) when it cannot run here. */
bool bench_run(const struct bench *b, uint64_t iterations);

#endif

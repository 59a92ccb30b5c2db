/*
 * What every part of the test guest shares: how it was booted (command line,
 * hypervisor or bare), the hypercall wrapper and the ways to end the run.
 */
#ifndef GUEST_TESTS_GUEST_H
#define GUEST_TESTS_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_SIGNATURE_LEN 12

/*
 * Command-line words (after the image path):
 *   bench              run the micro-benchmarks instead of the checks
 *   iterations=N       benchmark loop count (default BENCH_DEFAULT_ITERATIONS)
 *   touch-hv-memory    also read the hypervisor's memory (last check; under
 *                      the hypervisor the EPT violation ends the run)
 *   unexpected-fault   raise #UD outside any expected-fault frame before the
 *                      checks: exercises the failure path end to end
 *   triple-fault       load an empty IDT and raise #BP: the hypervisor must
 *                      report the triple fault and stop the guest
 *   forge-verdict      print a forged "[hv] verdict: PASS" line, silence
 *                      COM1, end as a failure (tests/guest/forge.c)
 *   spin-console       spin with interrupts off, then end the run (the
 *                      console boot test stops it in the monitor;
 *                      tests/guest/spin.c)
 *   halt-console       halt with interrupts off for good (the console boot
 *                      test powers it off from the monitor)
 *   init-self          send INIT to the guest's own CPU, come back through
 *                      the BIOS warm-reset vector and check the INIT state
 *                      (tests/guest/init_self.c)
 *   reset=92|cf9w|kbcd|pm1off|mmio
 *                      ask for a machine reset through port 0x92, a word
 *                      at 0xCF9 or a dword at 0x64, or a soft-off through
 *                      the PIIX4's PM1a_CNT, or through the page the
 *                      hypervisor watches (test-watch=), instead of the checks
 *                      (tests/guest/reset_attack.c)
 */
struct guest_env {
	bool cpuid_hv_bit;                      /* CPUID.1:ECX[31] */
	char hv_signature[HV_SIGNATURE_LEN + 1];  /* leaf 0x40000000, or "" */
	uint32_t hv_max_leaf;
	bool under_hv;                          /* bit set and our signature */
	uint32_t hv_features;                   /* leaf 0x40000001 EAX */
	bool touch_hv_memory;
	bool bench;
	bool unexpected_fault;
	bool triple_fault;
	bool forge_verdict;
	bool init_self;
	bool halt_disabled;                     /* cli; hlt after the banner */
	bool spin_console;
	bool halt_console;
	bool ecam_hidden;                       /* ecam-hidden: the ECAM probe */
	bool quiet_console;                     /* spin before the UART is set up */
	uint8_t reset_attack;                   /* enum reset_attack */
	uint64_t bench_iterations;
};

extern struct guest_env guest_env;

/* VMCALL with RAX = nr, RBX, RCX, RDX = a1..a3; returns RAX.  Only under
 * the hypervisor: bare, VMCALL raises #UD. */
static inline int64_t hypercall(uint64_t nr, uint64_t a1, uint64_t a2,
				uint64_t a3)
{
	uint64_t ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "b"(a1), "c"(a2), "d"(a3)
			 : "memory");
	return (int64_t)ret;
}

/* Fill guest_env from CPUID and the multiboot command line. */
void guest_env_init(void);

/* End the run: HC_TEST_EXIT under the hypervisor, else the emulator exit
 * ports, else halt for ever. */
__attribute__((noreturn)) void guest_exit(bool success);

/* Print the summary so far, a FAIL reason, and end the run as a failure. */
__attribute__((noreturn)) void guest_abort(const char *why);

/* Freestanding string helpers (GCC may also emit calls to mem*). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif

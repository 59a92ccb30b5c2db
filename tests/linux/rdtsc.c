/*
 * rdtsc: print the time-stamp counter once, as
 *
 *   [init] tsc: 123456789
 *
 * /init runs it right after "[init] userspace reached", so the Linux boot
 * benchmark (tests/bench/linux.sh) can compare how far the TSC got by then
 * with and without the hypervisor.  In Bochs with `clock: sync=none` the
 * TSC advances one tick per emulated instruction, and the hypervisor does
 * not offset the guest's TSC, so the two figures compare directly.
 *
 * Freestanding static x86-64 Linux program: no libc, raw syscalls.
 * Build: gcc -static -nostdlib -ffreestanding -fno-stack-protector -O2 \
 *            -fno-pie -no-pie -o rdtsc rdtsc.c
 */
#include <stdint.h>

#define SYS_WRITE         1
#define SYS_EXIT          60
#define STDOUT_FILENO     1
#define U64_DECIMAL_MAX   20    /* digits of 2^64 - 1 */

/* Outputs: edx:eax = TSC.  No serialisation needed: one sample. */
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Raw syscall: inputs rax = number, rdi/rsi/rdx = arguments; the kernel
 * clobbers rcx and r11. */
static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

void _start(void) __attribute__((noreturn, force_align_arg_pointer));

void _start(void)
{
	static const char prefix[] = "[init] tsc: ";
	char line[sizeof(prefix) - 1 + U64_DECIMAL_MAX + 1];
	char digits[U64_DECIMAL_MAX];
	uint64_t tsc = rdtsc();
	int n = 0, len = 0;

	do {
		digits[n++] = (char)('0' + tsc % 10);
		tsc /= 10;
	} while (tsc);
	for (unsigned i = 0; i < sizeof(prefix) - 1; i++)
		line[len++] = prefix[i];
	while (n)
		line[len++] = digits[--n];
	line[len++] = '\n';
	sys3(SYS_WRITE, STDOUT_FILENO, (long)line, len);
	sys3(SYS_EXIT, 0, 0, 0);
	__builtin_unreachable();
}

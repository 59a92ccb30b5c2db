/*
 * cpuid-sig: print the hypervisor CPUID leaves as the guest sees them.
 *
 *   CPUID 0x40000000: max=0x40000001 signature='XXXXXXXXXXXX'
 *   CPUID 0x40000001: eax=0x00000000
 *
 * The signature is the 12 bytes of EBX, ECX, EDX of leaf 0x40000000.  On bare
 * hardware (or an emulator without a hypervisor) the leaf is outside the
 * hypervisor range and returns whatever the CPU returns for out-of-range
 * leaves; the boot test compares the output with what the hypervisor sets.
 *
 * Freestanding static x86-64 Linux program: no libc, raw syscalls.
 * Build: gcc -static -nostdlib -ffreestanding -fno-stack-protector -O2 \
 *            -fno-pie -no-pie -o cpuid-sig cpuid-sig.c
 */
#include <stdint.h>

#define SYS_WRITE         1
#define SYS_EXIT          60
#define STDOUT_FILENO     1

#define CPUID_HV_VENDOR   0x40000000u  /* max hypervisor leaf + signature */
#define CPUID_HV_INTERFACE 0x40000001u /* interface signature (EAX) */

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static struct cpuid_regs cpuid(uint32_t leaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(0));
	return r;
}

/* Raw write(2)/exit(2): inputs rax = number, rdi/rsi/rdx = arguments;
 * the kernel clobbers rcx and r11. */
static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static void out(const char *s, uint64_t len)
{
	sys3(SYS_WRITE, STDOUT_FILENO, (long)s, (long)len);
}

static uint64_t str_len(const char *s)
{
	uint64_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void out_str(const char *s)
{
	out(s, str_len(s));
}

static void out_hex32(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[10] = { '0', 'x' };

	for (int i = 0; i < 8; i++)
		buf[2 + i] = digits[(v >> (28 - 4 * i)) & 0xf];
	out(buf, sizeof(buf));
}

/* Copy the 4 bytes of a register in memory order; non-printable bytes
 * become '.' so the line stays readable on a serial log. */
static void put_reg_chars(char *dst, uint32_t reg)
{
	for (int i = 0; i < 4; i++) {
		char c = (char)(reg >> (8 * i));
		dst[i] = (c >= 0x20 && c < 0x7f) ? c : '.';
	}
}

static void print_vendor_leaf(void)
{
	struct cpuid_regs r = cpuid(CPUID_HV_VENDOR);
	char sig[12];

	put_reg_chars(sig + 0, r.ebx);
	put_reg_chars(sig + 4, r.ecx);
	put_reg_chars(sig + 8, r.edx);
	out_str("CPUID 0x40000000: max=");
	out_hex32(r.eax);
	out_str(" signature='");
	out(sig, sizeof(sig));
	out_str("'\n");
}

static void print_interface_leaf(void)
{
	struct cpuid_regs r = cpuid(CPUID_HV_INTERFACE);

	out_str("CPUID 0x40000001: eax=");
	out_hex32(r.eax);
	out_str("\n");
}

void _start(void) __attribute__((noreturn, force_align_arg_pointer));

void _start(void)
{
	print_vendor_leaf();
	print_interface_leaf();
	sys3(SYS_EXIT, 0, 0, 0);
	__builtin_unreachable();
}

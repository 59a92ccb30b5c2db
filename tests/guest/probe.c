/*
 * Fault-tolerant wrappers: the instruction runs inside try_call().
 */
#include "arch/x86/cpu.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

struct msr_op {
	uint32_t msr;
	uint64_t value;
};

static void do_rdmsr(void *arg)
{
	struct msr_op *op = arg;

	op->value = rdmsr(op->msr);
}

static void do_wrmsr(void *arg)
{
	struct msr_op *op = arg;

	wrmsr(op->msr, op->value);
}

int probe_rdmsr(uint32_t msr, uint64_t *value)
{
	struct msr_op op = { msr, 0 };
	int vector = try_call(do_rdmsr, &op, NULL);

	*value = op.value;
	return vector;
}

int probe_wrmsr(uint32_t msr, uint64_t value)
{
	struct msr_op op = { msr, value };

	return try_call(do_wrmsr, &op, NULL);
}

static void do_write_cr0(void *arg)
{
	write_cr0(*(uint64_t *)arg);
}

static void do_write_cr4(void *arg)
{
	write_cr4(*(uint64_t *)arg);
}

int probe_write_cr0(uint64_t value)
{
	return try_call(do_write_cr0, &value, NULL);
}

int probe_write_cr4(uint64_t value)
{
	return try_call(do_write_cr4, &value, NULL);
}

struct xcr_op {
	uint32_t xcr;
	uint64_t value;
};

static void do_xsetbv(void *arg)
{
	struct xcr_op *op = arg;

	__asm__ volatile("xsetbv"
			 :
			 : "c"(op->xcr), "a"((uint32_t)op->value),
			   "d"((uint32_t)(op->value >> 32))
			 : "memory");
}

int probe_xsetbv(uint32_t xcr, uint64_t value)
{
	struct xcr_op op = { xcr, value };

	return try_call(do_xsetbv, &op, NULL);
}

uint64_t xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

bool cpu_has_ext_leaf(uint32_t leaf)
{
	return cpuid(CPUID_EXT_MAX_LEAF, 0).eax >= leaf;
}

bool cpu_has_rdtscp(void)
{
	return cpu_has_ext_leaf(CPUID_EXT_MAX_LEAF + 1) &&
	       (cpuid(CPUID_EXT_MAX_LEAF + 1, 0).edx & CPUID_80000001_EDX_RDTSCP);
}

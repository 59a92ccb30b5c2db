/*
 * vmx_instructions_ud: every VMX instruction (and GETSEC) raises #UD.
 * Bare: CR4.VMXE is 0 (or the CPU has no VMX), so the CPU raises #UD itself.
 * Under the hypervisor they cause VM exits and the hypervisor must inject
 * #UD; GETSEC #UDs in hardware since CR4.SMXE is 0, VMFUNC because the VM
 * functions control is off.
 */
#include <stdint.h>

#include "tests/guest/check.h"
#include "tests/guest/idt.h"

/* Operand for the memory forms; never used as a real VMCS. */
static uint64_t vmx_region[512] __attribute__((aligned(4096)));

/* INVEPT/INVVPID descriptor (128 bits). */
static uint64_t inv_descriptor[2] __attribute__((aligned(16)));

#define VMX_MEM_OP(insn)                                                   \
	static void do_##insn(void *arg)                                   \
	{                                                                  \
		(void)arg;                                                 \
		__asm__ volatile(#insn " %0" : : "m"(vmx_region[0]) : "memory"); \
	}
VMX_MEM_OP(vmxon)
VMX_MEM_OP(vmclear)
VMX_MEM_OP(vmptrld)
VMX_MEM_OP(vmptrst)
#undef VMX_MEM_OP

#define VMX_PLAIN_OP(insn)                                                 \
	static void do_##insn(void *arg)                                   \
	{                                                                  \
		(void)arg;                                                 \
		__asm__ volatile(#insn ::: "memory");                      \
	}
VMX_PLAIN_OP(vmxoff)
VMX_PLAIN_OP(vmlaunch)
VMX_PLAIN_OP(vmresume)
#undef VMX_PLAIN_OP

static void do_vmread(void *arg)
{
	uint64_t field = 0, value;

	(void)arg;
	__asm__ volatile("vmread %1, %0" : "=r"(value) : "r"(field) : "cc");
}

static void do_vmwrite(void *arg)
{
	uint64_t field = 0, value = 0;

	(void)arg;
	__asm__ volatile("vmwrite %1, %0" : : "r"(field), "r"(value) : "cc");
}

static void do_invept(void *arg)
{
	uint64_t type = 1;   /* single-context */

	(void)arg;
	__asm__ volatile("invept %0, %1" : : "m"(inv_descriptor), "r"(type) : "memory");
}

static void do_invvpid(void *arg)
{
	uint64_t type = 1;   /* single-context */

	(void)arg;
	__asm__ volatile("invvpid %0, %1" : : "m"(inv_descriptor), "r"(type) : "memory");
}

static void do_vmfunc(void *arg)
{
	(void)arg;
	__asm__ volatile("vmfunc" : : "a"(0), "c"(0) : "memory");
}

static void do_getsec(void *arg)
{
	(void)arg;
	__asm__ volatile("getsec" : : "a"(0), "b"(0) : "memory");   /* CAPABILITIES */
}

static const struct {
	const char *name;
	void (*fn)(void *);
} vmx_insns[] = {
	{ "VMXON", do_vmxon },     { "VMXOFF", do_vmxoff },
	{ "VMCLEAR", do_vmclear }, { "VMPTRLD", do_vmptrld },
	{ "VMPTRST", do_vmptrst }, { "VMREAD", do_vmread },
	{ "VMWRITE", do_vmwrite }, { "VMLAUNCH", do_vmlaunch },
	{ "VMRESUME", do_vmresume }, { "INVEPT", do_invept },
	{ "INVVPID", do_invvpid }, { "VMFUNC", do_vmfunc },
	{ "GETSEC", do_getsec },
};

enum verdict check_vmx_instructions_ud(struct check_result *r)
{
	for (size_t i = 0; i < sizeof(vmx_insns) / sizeof(vmx_insns[0]); i++) {
		struct fault_record f;
		int v = try_call(vmx_insns[i].fn, NULL, &f);
		if (v != VEC_UD)
			return fail(r, "%s: expected #UD, got %s", vmx_insns[i].name,
				    vector_name(v));
	}
	return VERDICT_PASS;
}

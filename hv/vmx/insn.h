/*
 * VMX instructions (Intel SDM Vol. 3, "VMX Instruction Reference") as
 * one-instruction wrappers that return how the instruction ended:
 * VMsucceed, VMfailInvalid (CF=1: no current VMCS / bad pointer) or
 * VMfailValid (ZF=1: the reason is in the VM-instruction error field).
 *
 * The VMCS accessors check at build time that a field is accessed with its
 * own width (encoding bits 14:13), and stop the hypervisor with the field
 * named when VMREAD/VMWRITE fails: that is a broken invariant, not a guest
 * problem.
 */
#ifndef HV_VMX_H
#define HV_VMX_H

#include <stdint.h>

#include "hv/vmcs/fields.h"

enum vmx_result {
	VMX_SUCCEED = 0,
	VMX_FAIL_INVALID,
	VMX_FAIL_VALID,
};

/* INVEPT / INVVPID types (SDM: "INVEPT", "INVVPID"). */
#define INVEPT_SINGLE_CONTEXT           1
#define INVEPT_ALL_CONTEXT              2
#define INVVPID_INDIVIDUAL_ADDRESS      0
#define INVVPID_SINGLE_CONTEXT          1
#define INVVPID_ALL_CONTEXT             2

static inline enum vmx_result vmx_result_of(uint8_t cf, uint8_t zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_SUCCEED;
}

#define VMX_INSN_MEM(insn, addr)                                          \
	({                                                                \
		uint8_t cf_, zf_;                                         \
		uint64_t a_ = (addr);                                     \
		__asm__ volatile(insn " %[a]"                             \
				 : "=@ccc"(cf_), "=@ccz"(zf_)             \
				 : [a] "m"(a_)                            \
				 : "memory");                             \
		vmx_result_of(cf_, zf_);                                  \
	})

static inline enum vmx_result vmxon(uint64_t phys)
{
	return VMX_INSN_MEM("vmxon", phys);
}

static inline enum vmx_result vmclear(uint64_t phys)
{
	return VMX_INSN_MEM("vmclear", phys);
}

static inline enum vmx_result vmptrld(uint64_t phys)
{
	return VMX_INSN_MEM("vmptrld", phys);
}

static inline enum vmx_result vmxoff(void)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory");
	return vmx_result_of(cf, zf);
}

static inline enum vmx_result vmread_raw(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;

	__asm__ volatile("vmread %[f], %[v]"
			 : [v] "=rm"(*value), "=@ccc"(cf), "=@ccz"(zf)
			 : [f] "r"(field)
			 : "memory");
	return vmx_result_of(cf, zf);
}

static inline enum vmx_result vmwrite_raw(uint64_t field, uint64_t value)
{
	uint8_t cf, zf;

	__asm__ volatile("vmwrite %[v], %[f]"
			 : "=@ccc"(cf), "=@ccz"(zf)
			 : [f] "r"(field), [v] "rm"(value)
			 : "memory");
	return vmx_result_of(cf, zf);
}

struct invept_desc {
	uint64_t eptp;
	uint64_t reserved;
};

struct invvpid_desc {
	uint64_t vpid;          /* bits 15:0; the rest must be 0 */
	uint64_t linear_addr;
};

static inline enum vmx_result invept(uint64_t type, uint64_t eptp)
{
	struct invept_desc d = { eptp, 0 };
	uint8_t cf, zf;

	__asm__ volatile("invept %[d], %[t]"
			 : "=@ccc"(cf), "=@ccz"(zf)
			 : [d] "m"(d), [t] "r"(type)
			 : "memory");
	return vmx_result_of(cf, zf);
}

static inline enum vmx_result invvpid(uint64_t type, uint16_t vpid,
				      uint64_t linear_addr)
{
	struct invvpid_desc d = { vpid, linear_addr };
	uint8_t cf, zf;

	__asm__ volatile("invvpid %[d], %[t]"
			 : "=@ccc"(cf), "=@ccz"(zf)
			 : [d] "m"(d), [t] "r"(type)
			 : "memory");
	return vmx_result_of(cf, zf);
}

/* Report a failed VMREAD/VMWRITE and stop (hv/vmcs/vmcs.c). Kept out of line:
 * the accessors stay small on the exit path. */
__attribute__((noreturn, cold)) void vmcs_access_failed(const char *what,
							 uint64_t field,
							 enum vmx_result r);

/*
 * The exit path's accessors: VMREAD/VMWRITE and one JBE (CF or ZF: it
 * failed) to a cold path.  The cold path repeats the access to learn how it
 * failed (a failed VMREAD/VMWRITE changes nothing but RFLAGS and the
 * VM-instruction error field) and reports it; testing the flags inline
 * would cost three more instructions per access on every exit.
 */
static inline __attribute__((noreturn, cold))
void vmcs_read_failed(uint64_t field)
{
	uint64_t v;

	vmcs_access_failed("VMREAD", field, vmread_raw(field, &v));
}

static inline __attribute__((noreturn, cold))
void vmcs_write_failed(uint64_t field, uint64_t value)
{
	vmcs_access_failed("VMWRITE", field, vmwrite_raw(field, value));
}

static inline uint64_t vmcs_read(uint64_t field)
{
	uint64_t v;

	__asm__ goto("vmread %[f], %[v]\n\t"
		     "jbe %l[failed]"
		     : [v] "=r"(v)
		     : [f] "r"(field)
		     : "cc", "memory"
		     : failed);
	return v;
failed:
	vmcs_read_failed(field);
}

static inline void vmcs_write(uint64_t field, uint64_t value)
{
	__asm__ goto("vmwrite %[v], %[f]\n\t"
		     "jbe %l[failed]"
		     : /* no outputs */
		     : [f] "r"(field), [v] "rm"(value)
		     : "cc", "memory"
		     : failed);
	return;
failed:
	vmcs_write_failed(field, value);
}

/* Width-checked accessors: the field must be a constant encoding. */
#define VMCS_CHECK_WIDTH(f, w)                                            \
	_Static_assert(VMCS_FIELD_WIDTH(f) == (w),                        \
		       #f " accessed with the wrong width")

#define vmcs_read16(f)  ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_16); (uint16_t)vmcs_read(f); })
#define vmcs_read32(f)  ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_32); (uint32_t)vmcs_read(f); })
#define vmcs_read64(f)  ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_64); vmcs_read(f); })
#define vmcs_readnat(f) ({ VMCS_CHECK_WIDTH(f, VMCS_WIDTH_NATURAL); vmcs_read(f); })

#define vmcs_write16(f, v)  do { VMCS_CHECK_WIDTH(f, VMCS_WIDTH_16); vmcs_write(f, (uint16_t)(v)); } while (0)
#define vmcs_write32(f, v)  do { VMCS_CHECK_WIDTH(f, VMCS_WIDTH_32); vmcs_write(f, (uint32_t)(v)); } while (0)
#define vmcs_write64(f, v)  do { VMCS_CHECK_WIDTH(f, VMCS_WIDTH_64); vmcs_write(f, (v)); } while (0)
#define vmcs_writenat(f, v) do { VMCS_CHECK_WIDTH(f, VMCS_WIDTH_NATURAL); vmcs_write(f, (v)); } while (0)

#endif

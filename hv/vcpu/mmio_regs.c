/*
 * Registers of a decoded MMIO access (mmio_regs.h).
 */
#include "hv/vcpu/mmio_regs.h"

#include "lib/bits.h"

#define HIGH_BYTE_SHIFT     8
#define BYTE_MASK           ULL_C(0xff)
#define GPR_COUNT           16      /* RAX-R15, the decoder's register numbers */

/* The low `bytes` bytes of v (bytes 1-8). */
static uint64_t low_bytes(uint64_t v, unsigned bytes)
{
	if (bytes >= sizeof(v))
		return v;
	return v & (BIT_ULL(bytes * BITS_PER_BYTE) - 1);
}

/* The low `bytes` bytes of v, sign-extended to 64 bits. */
static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = (unsigned)(sizeof(v) - bytes) * BITS_PER_BYTE;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* Where register n is kept (0-15, encoding order); RSP is *rsp. */
static uint64_t *gpr(struct guest_regs *r, uint64_t *rsp, uint8_t n)
{
	uint64_t *const slot[GPR_COUNT] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};

	return slot[n % GPR_COUNT];
}

/* The value of register n (0-15, encoding order); RSP is rsp. */
static uint64_t gpr_value(const struct guest_regs *r, uint64_t rsp, uint8_t n)
{
	const uint64_t value[GPR_COUNT] = {
		r->rax, r->rcx, r->rdx, r->rbx, rsp, r->rbp, r->rsi, r->rdi,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
	};

	return value[n % GPR_COUNT];
}

uint64_t mmio_store_value(const struct insn_access *a,
			  const struct guest_regs *regs, uint64_t rsp)
{
	uint64_t v;

	if (a->has_imm)
		return low_bytes(a->imm, a->size);
	v = gpr_value(regs, rsp, a->reg);
	if (a->reg_high_byte)
		v >>= HIGH_BYTE_SHIFT;
	return low_bytes(v, a->size);
}

/* Write `bytes` bytes of v into register *reg by the width rules. */
static void write_width(uint64_t *reg, uint64_t v, unsigned bytes)
{
	if (bytes >= 4) {
		*reg = low_bytes(v, bytes);     /* 32-bit writes zero 63:32 */
		return;
	}
	*reg = (*reg & ~low_bytes(~ULL_C(0), bytes)) | low_bytes(v, bytes);
}

void mmio_load_complete(const struct insn_access *a, struct guest_regs *regs,
			uint64_t *rsp, uint64_t value)
{
	uint64_t *reg = gpr(regs, rsp, a->reg);
	uint64_t v = low_bytes(value, a->size);

	if (a->ext == INSN_EXT_SIGN)
		v = sign_extend(v, a->size);
	if (a->reg_high_byte) {
		*reg = (*reg & ~(BYTE_MASK << HIGH_BYTE_SHIFT)) |
		       ((v & BYTE_MASK) << HIGH_BYTE_SHIFT);
		return;
	}
	write_width(reg, v, a->reg_size);
}

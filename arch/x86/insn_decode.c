/*
 * The MMIO instruction decoder (insn_decode.h): prefixes, then one opcode
 * of the accepted list, then ModRM/SIB/displacement and the immediate
 * (Intel SDM Vol. 2, "Instruction Format", "ModR/M and SIB Bytes",
 * "REX Prefixes").  Every byte is taken through next_byte(), which is the
 * one place that knows where the input and the 15-byte limit end.
 */
#include "arch/x86/insn_decode.h"

#include "lib/bits.h"
#include "lib/str.h"

/* Legacy prefixes (SDM Vol. 2, "Instruction Prefixes"). */
#define PREFIX_LOCK         0xf0
#define PREFIX_REPNE        0xf2
#define PREFIX_REP          0xf3
#define PREFIX_OPSIZE       0x66
#define PREFIX_ADDRSIZE     0x67
#define PREFIX_ES           0x26
#define PREFIX_CS           0x2e
#define PREFIX_SS           0x36
#define PREFIX_DS           0x3e
#define PREFIX_FS           0x64
#define PREFIX_GS           0x65

/* REX: 0100WRXB, 64-bit mode only. */
#define REX_MASK            0xf0
#define REX_BASE            0x40
#define REX_W               BIT(3)
#define REX_R               BIT(2)
#define REX_X               BIT(1)
#define REX_B               BIT(0)
#define REX_REG_EXT         8       /* REX.R/X/B add 8 to a register number */
#define BYTE_SIGN_BIT       0x80u   /* the top bit of a displacement's last byte */

/* Opcodes. */
#define OP_MOV_RM8_R8       0x88
#define OP_MOV_RM_R         0x89
#define OP_MOV_R8_RM8       0x8a
#define OP_MOV_R_RM         0x8b
#define OP_MOV_AL_MOFFS     0xa0
#define OP_MOV_EAX_MOFFS    0xa1
#define OP_MOV_MOFFS_AL     0xa2
#define OP_MOV_MOFFS_EAX    0xa3
#define OP_MOV_RM8_IMM8     0xc6
#define OP_MOV_RM_IMM       0xc7
#define OP_TWO_BYTE         0x0f
#define OP2_MOVZX_8         0xb6
#define OP2_MOVZX_16        0xb7
#define OP2_MOVSX_8         0xbe
#define OP2_MOVSX_16        0xbf

/* ModRM and SIB fields. */
#define MODRM_MOD(b)        ((b) >> 6)
#define MODRM_REG(b)        (((b) >> 3) & 7u)
#define MODRM_RM(b)         ((b) & 7u)
#define SIB_SCALE(b)        ((b) >> 6)
#define SIB_INDEX(b)        (((b) >> 3) & 7u)
#define SIB_BASE(b)         ((b) & 7u)
#define MOD_NO_DISP         0
#define MOD_DISP8           1
#define MOD_DISP_FULL       2
#define MOD_REGISTER        3
#define RM_SIB              4       /* 32/64-bit: a SIB byte follows */
#define RM_DISP32           5       /* 32/64-bit, mod 0: disp32 (RIP-relative in 64-bit mode) */
#define SIB_NO_INDEX        4
#define SIB_NO_BASE         5       /* with mod 0: disp32, no base */
#define RM16_DISP16         6       /* 16-bit, mod 0: disp16, no base */

/* 16-bit addressing's registers. */
#define REG_BX              3
#define REG_BP              5
#define REG_SI              6
#define REG_DI              7
#define HIGH_BYTE_REGS      4       /* without REX, byte registers 4-7 are AH-BH */

struct decoder {
	const uint8_t *bytes;
	size_t avail, pos;
	enum insn_mode mode;
	uint8_t rex;                /* the REX byte in effect, 0 for none */
	bool opsize, addrsize;      /* 66, 67 seen */
	const char *reason;
	bool truncated;
};

/* Fail with a reason; returns false for the caller to pass up. */
static bool refuse(struct decoder *d, const char *reason)
{
	d->reason = reason;
	return false;
}

/* The next instruction byte: false past the 15-byte limit or the input. */
static bool next_byte(struct decoder *d, uint8_t *b)
{
	if (d->pos >= INSN_MAX_LEN)
		return refuse(d, "longer than 15 bytes");
	if (d->pos >= d->avail) {
		d->truncated = true;
		return refuse(d, "the instruction bytes end early");
	}
	*b = d->bytes[d->pos++];
	return true;
}

/* The next n (1, 2, 4, 8) bytes, little-endian, sign-extended to 64 bits
 * when `sign`. */
static bool take(struct decoder *d, unsigned n, bool sign, uint64_t *v)
{
	uint8_t b = 0;

	*v = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!next_byte(d, &b))
			return false;
		*v |= (uint64_t)b << (BITS_PER_BYTE * i);
	}
	if (sign && n < sizeof(*v) && (b & BYTE_SIGN_BIT))
		*v |= ~ULL_C(0) << (BITS_PER_BYTE * n);
	return true;
}

/* The segment a segment-override prefix names; false when b is none. */
static bool segment_prefix(uint8_t b, enum insn_seg *seg)
{
	switch (b) {
	case PREFIX_ES: *seg = INSN_SEG_ES; return true;
	case PREFIX_CS: *seg = INSN_SEG_CS; return true;
	case PREFIX_SS: *seg = INSN_SEG_SS; return true;
	case PREFIX_DS: *seg = INSN_SEG_DS; return true;
	case PREFIX_FS: *seg = INSN_SEG_FS; return true;
	case PREFIX_GS: *seg = INSN_SEG_GS; return true;
	default: return false;
	}
}

/* Take the prefixes up to the opcode byte.  A REX prefix counts only
 * right before the opcode: a legacy prefix after it cancels it. */
static bool take_prefixes(struct decoder *d, struct insn_mem *mem, uint8_t *op)
{
	uint8_t b;

	for (;;) {
		if (!next_byte(d, &b))
			return false;
		if (b == PREFIX_LOCK)
			return refuse(d, "LOCK prefix");
		if (b == PREFIX_REP || b == PREFIX_REPNE)
			return refuse(d, "REP/REPNE prefix");
		if (d->mode == INSN_MODE_64 && (b & REX_MASK) == REX_BASE) {
			d->rex = b;
			continue;
		}
		if (b == PREFIX_OPSIZE)
			d->opsize = true;
		else if (b == PREFIX_ADDRSIZE)
			d->addrsize = true;
		else if (segment_prefix(b, &mem->seg))
			mem->seg_override = true;
		else
			break;
		d->rex = 0;
	}
	*op = b;
	return true;
}

/* Operand size in bytes: REX.W, then 66 against the mode's default. */
static uint8_t operand_size(const struct decoder *d)
{
	if (d->mode == INSN_MODE_64 && (d->rex & REX_W))
		return 8;
	if (d->mode == INSN_MODE_16)
		return d->opsize ? 4 : 2;
	return d->opsize ? 2 : 4;
}

/* Address size in bytes: 67 against the mode's default. */
static uint8_t address_size(const struct decoder *d)
{
	switch (d->mode) {
	case INSN_MODE_64: return d->addrsize ? 4 : 8;
	case INSN_MODE_32: return d->addrsize ? 2 : 4;
	default:           return d->addrsize ? 4 : 2;
	}
}

/* The displacement mod asks for: none, disp8, or disp16/disp32. */
static bool take_disp(struct decoder *d, unsigned mod, unsigned full,
		      struct insn_mem *mem)
{
	uint64_t v = 0;

	if (mod == MOD_DISP8 && !take(d, 1, true, &v))
		return false;
	if (mod == MOD_DISP_FULL && !take(d, full, true, &v))
		return false;
	mem->disp = (int64_t)v;
	return true;
}

/* 16-bit addressing (SDM Vol. 2, "16-Bit Addressing Forms with the ModR/M
 * Byte"): BP-based forms default to SS. */
static bool decode_mem16(struct decoder *d, unsigned mod, unsigned rm,
			 struct insn_mem *mem)
{
	static const uint8_t base[8] = { REG_BX, REG_BX, REG_BP, REG_BP,
					 REG_SI, REG_DI, REG_BP, REG_BX };
	static const uint8_t index[8] = { REG_SI, REG_DI, REG_SI, REG_DI,
					  INSN_REG_NONE, INSN_REG_NONE,
					  INSN_REG_NONE, INSN_REG_NONE };
	uint64_t v = 0;

	mem->index = index[rm];
	if (mod == MOD_NO_DISP && rm == RM16_DISP16) {
		mem->base = INSN_REG_NONE;
		if (!take(d, 2, true, &v))
			return false;
		mem->disp = (int64_t)v;
		return true;
	}
	mem->base = base[rm];
	return take_disp(d, mod, 2, mem);
}

/* A SIB byte (SDM Vol. 2, "32-Bit Addressing Forms with the SIB Byte"). */
static bool decode_sib(struct decoder *d, unsigned mod, struct insn_mem *mem,
		       bool *disp32_only)
{
	uint8_t sib;

	if (!next_byte(d, &sib))
		return false;
	mem->scale = (uint8_t)(1u << SIB_SCALE(sib));
	mem->index = (uint8_t)(SIB_INDEX(sib) | ((d->rex & REX_X) ? REX_REG_EXT : 0));
	if (mem->index == SIB_NO_INDEX)
		mem->index = INSN_REG_NONE;
	*disp32_only = mod == MOD_NO_DISP && SIB_BASE(sib) == SIB_NO_BASE;
	mem->base = *disp32_only ? INSN_REG_NONE :
		    (uint8_t)(SIB_BASE(sib) | ((d->rex & REX_B) ? REX_REG_EXT : 0));
	return true;
}

/* 32- and 64-bit addressing: SIB, disp32 / RIP-relative, base + disp. */
static bool decode_mem32(struct decoder *d, unsigned mod, unsigned rm,
			 struct insn_mem *mem)
{
	bool disp32_only = false;
	uint64_t v = 0;

	if (rm == RM_SIB) {
		if (!decode_sib(d, mod, mem, &disp32_only))
			return false;
	} else if (mod == MOD_NO_DISP && rm == RM_DISP32) {
		disp32_only = true;
		mem->rip_relative = d->mode == INSN_MODE_64;
	} else {
		mem->base = (uint8_t)(rm | ((d->rex & REX_B) ? REX_REG_EXT : 0));
	}
	if (disp32_only) {
		if (!take(d, 4, true, &v))
			return false;
		mem->disp = (int64_t)v;
		return true;
	}
	return take_disp(d, mod, 4, mem);
}

/* The default segment when no prefix names one: SS for rBP/rSP-based
 * addresses, else DS (SDM Vol. 1, "Segment Registers"). */
static void default_segment(struct insn_mem *mem)
{
	if (!mem->seg_override)
		mem->seg = (mem->base == INSN_REG_RSP || mem->base == INSN_REG_RBP) ?
			   INSN_SEG_SS : INSN_SEG_DS;
}

/* ModRM and what follows it up to the immediate.  *reg is the reg field
 * with REX.R, *digit the bare field (the /digit of C6 and C7). */
static bool decode_modrm(struct decoder *d, struct insn_mem *mem,
			 uint8_t *reg, uint8_t *digit)
{
	uint8_t m;
	bool ok;

	if (!next_byte(d, &m))
		return false;
	if (MODRM_MOD(m) == MOD_REGISTER)
		return refuse(d, "register operand (mod = 3): no memory access");
	*digit = (uint8_t)MODRM_REG(m);
	*reg = (uint8_t)(*digit | ((d->rex & REX_R) ? REX_REG_EXT : 0));
	mem->addr_size = address_size(d);
	mem->base = mem->index = INSN_REG_NONE;
	mem->scale = 1;
	if (mem->addr_size == 2)
		ok = decode_mem16(d, MODRM_MOD(m), MODRM_RM(m), mem);
	else
		ok = decode_mem32(d, MODRM_MOD(m), MODRM_RM(m), mem);
	default_segment(mem);
	return ok;
}

/* The register operand: byte registers 4-7 are AH-BH without REX. */
static void set_reg(const struct decoder *d, struct insn_access *out,
		    uint8_t reg, uint8_t reg_size)
{
	out->reg_size = reg_size;
	out->reg = reg;
	if (reg_size == 1 && !d->rex && reg >= HIGH_BYTE_REGS) {
		out->reg = reg - HIGH_BYTE_REGS;
		out->reg_high_byte = true;
	}
}

/* 88, 89, 8A, 8B: MOV between a register and r/m. */
static bool decode_mov_rm(struct decoder *d, uint8_t op, struct insn_access *out)
{
	uint8_t reg, digit;

	if (!decode_modrm(d, &out->mem, &reg, &digit))
		return false;
	out->dir = (op == OP_MOV_RM8_R8 || op == OP_MOV_RM_R) ? INSN_STORE : INSN_LOAD;
	out->size = (op == OP_MOV_RM8_R8 || op == OP_MOV_R8_RM8) ? 1 : operand_size(d);
	set_reg(d, out, reg, out->size);
	return true;
}

/* C6 /0 ib, C7 /0 iw/id: MOV r/m, imm (C7 with REX.W sign-extends). */
static bool decode_mov_imm(struct decoder *d, uint8_t op, struct insn_access *out)
{
	uint8_t reg, digit;

	if (!decode_modrm(d, &out->mem, &reg, &digit))
		return false;
	if (digit != 0)
		return refuse(d, "C6/C7 with a ModRM.reg other than /0 (XABORT, XBEGIN)");
	out->dir = INSN_STORE;
	out->size = op == OP_MOV_RM8_IMM8 ? 1 : operand_size(d);
	out->has_imm = true;
	return take(d, out->size > 4 ? 4 : out->size, true, &out->imm);
}

/* A0-A3: MOV between AL/AX/EAX/RAX and the memory offset that follows
 * (as wide as the address size, zero-extended). */
static bool decode_mov_moffs(struct decoder *d, uint8_t op, struct insn_access *out)
{
	uint64_t offset;

	out->mem.addr_size = address_size(d);
	out->mem.base = out->mem.index = INSN_REG_NONE;
	out->mem.scale = 1;
	out->mem.moffs = true;
	default_segment(&out->mem);
	if (!take(d, out->mem.addr_size, false, &offset))
		return false;
	out->mem.disp = (int64_t)offset;
	out->dir = (op == OP_MOV_AL_MOFFS || op == OP_MOV_EAX_MOFFS) ? INSN_LOAD : INSN_STORE;
	out->size = (op == OP_MOV_AL_MOFFS || op == OP_MOV_MOFFS_AL) ? 1 : operand_size(d);
	out->reg_size = out->size;
	out->reg = INSN_REG_RAX;
	return true;
}

/* 0F B6/B7/BE/BF: MOVZX, MOVSX (loads into a wider register). */
static bool decode_movx(struct decoder *d, struct insn_access *out)
{
	uint8_t op2, reg, digit;

	if (!next_byte(d, &op2))
		return false;
	if (op2 != OP2_MOVZX_8 && op2 != OP2_MOVZX_16 &&
	    op2 != OP2_MOVSX_8 && op2 != OP2_MOVSX_16)
		return refuse(d, "unsupported two-byte opcode");
	if (!decode_modrm(d, &out->mem, &reg, &digit))
		return false;
	out->dir = INSN_LOAD;
	out->size = (op2 == OP2_MOVZX_8 || op2 == OP2_MOVSX_8) ? 1 : 2;
	out->ext = (op2 == OP2_MOVZX_8 || op2 == OP2_MOVZX_16) ? INSN_EXT_ZERO : INSN_EXT_SIGN;
	set_reg(d, out, reg, operand_size(d));
	return true;
}

/* Decode from the opcode byte on. */
static bool decode_opcode(struct decoder *d, uint8_t op, struct insn_access *out)
{
	switch (op) {
	case OP_MOV_RM8_R8: case OP_MOV_RM_R: case OP_MOV_R8_RM8: case OP_MOV_R_RM:
		return decode_mov_rm(d, op, out);
	case OP_MOV_RM8_IMM8: case OP_MOV_RM_IMM:
		return decode_mov_imm(d, op, out);
	case OP_MOV_AL_MOFFS: case OP_MOV_EAX_MOFFS:
	case OP_MOV_MOFFS_AL: case OP_MOV_MOFFS_EAX:
		return decode_mov_moffs(d, op, out);
	case OP_TWO_BYTE:
		return decode_movx(d, out);
	default:
		return refuse(d, "unsupported opcode");
	}
}

enum insn_decode_result insn_decode_mmio(const uint8_t *bytes, size_t avail,
					 enum insn_mode mode,
					 struct insn_access *out,
					 const char **reason)
{
	struct decoder d = { .bytes = bytes, .avail = avail, .mode = mode };
	uint8_t op;

	memset(out, 0, sizeof(*out));   /* padding too: results compare bytewise */
	if (!take_prefixes(&d, &out->mem, &op) || !decode_opcode(&d, op, out)) {
		*reason = d.reason;
		return d.truncated ? INSN_TRUNCATED : INSN_UNSUPPORTED;
	}
	out->len = (uint8_t)d.pos;
	*reason = NULL;
	return INSN_DECODED;
}

/*
 * A decoder for the x86 instructions that move data between a register
 * (or an immediate) and memory, for emulated MMIO: the guest loaded or
 * stored to a page root mode emulates (an EPT violation, an APIC access),
 * and root mode needs the access size, the direction, the register or the
 * immediate, and the instruction length to skip (Intel SDM Vol. 2,
 * "Instruction Format"; the opcodes' pages MOV, MOVZX, MOVSX).
 *
 * Accepted (docs/vmx.md, "Instruction decoder"):
 *   88 /r, 89 /r   MOV r/m, r            stores
 *   8A /r, 8B /r   MOV r, r/m            loads
 *   C6 /0 ib, C7 /0 iw/id  MOV r/m, imm  stores (C7 with REX.W: imm32 sign-extended)
 *   A0-A3          MOV AL/eAX <-> moffs  loads (A0, A1) and stores (A2, A3)
 *   0F B6, 0F B7   MOVZX r, r/m8 / r/m16 loads, zero-extended
 *   0F BE, 0F BF   MOVSX r, r/m8 / r/m16 loads, sign-extended
 * with 16-, 32- and 64-bit ModRM/SIB addressing, displacements,
 * RIP-relative operands, REX (W, R, X, B), 66 and 67, and segment
 * overrides (reported).  Refused, with a reason: LOCK, REP/REPNE, a
 * register operand (mod = 3: no memory access), every other opcode,
 * more than 15 bytes.  Pure code: no state, no memory access beyond the
 * bytes it is given.
 */
#ifndef ARCH_X86_INSN_DECODE_H
#define ARCH_X86_INSN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INSN_MAX_LEN    15      /* longer is #GP (SDM Vol. 2, "Instruction Format") */

/* The code segment's default sizes: CS.L (64-bit mode) or CS.D. */
enum insn_mode {
	INSN_MODE_16,
	INSN_MODE_32,
	INSN_MODE_64,
};

/* Segment registers in their encoding order (SDM Vol. 2, "Segment
 * Registers", Sreg field). */
enum insn_seg {
	INSN_SEG_ES, INSN_SEG_CS, INSN_SEG_SS, INSN_SEG_DS,
	INSN_SEG_FS, INSN_SEG_GS,
};

/* General-purpose registers in their encoding order (RAX = 0 ... R15 = 15). */
#define INSN_REG_RAX    0
#define INSN_REG_RSP    4
#define INSN_REG_RBP    5
#define INSN_REG_NONE   0xff    /* no base or no index register */

enum insn_dir {
	INSN_LOAD,      /* memory to register */
	INSN_STORE,     /* register or immediate to memory */
};

enum insn_ext {
	INSN_EXT_NONE,  /* MOV: the register is as wide as the access */
	INSN_EXT_ZERO,  /* MOVZX */
	INSN_EXT_SIGN,  /* MOVSX */
};

/* The memory operand, for a caller that cross-checks the address. */
struct insn_mem {
	uint8_t base, index;    /* register numbers, or INSN_REG_NONE */
	uint8_t scale;          /* 1, 2, 4, 8 */
	bool rip_relative;      /* address = RIP of the next instruction + disp */
	bool moffs;             /* A0-A3: the address is disp, no register */
	int64_t disp;           /* sign-extended displacement, or the moffs */
	uint8_t addr_size;      /* 2, 4 or 8 bytes (67 prefix) */
	enum insn_seg seg;      /* the segment used: override or default */
	bool seg_override;      /* a segment-override prefix was given (in
				   64-bit mode only FS and GS have an effect) */
};

struct insn_access {
	uint8_t len;            /* bytes of the instruction, <= INSN_MAX_LEN */
	enum insn_dir dir;
	uint8_t size;           /* bytes of memory accessed: 1, 2, 4, 8 */
	uint8_t reg;            /* the register operand (0-15); RAX for A0-A3 */
	bool reg_high_byte;     /* AH, CH, DH or BH: bits 15:8 of register reg */
	uint8_t reg_size;       /* bytes of the register written by a load
				   (MOVZX/MOVSX: wider than size) or read by
				   a store; 0 for an immediate store */
	enum insn_ext ext;
	bool has_imm;           /* a store of imm instead of a register */
	uint64_t imm;           /* sign-extended to 64 bits; the low `size`
				   bytes are stored */
	struct insn_mem mem;
};

enum insn_decode_result {
	INSN_DECODED,
	INSN_TRUNCATED,         /* the bytes end inside the instruction */
	INSN_UNSUPPORTED,       /* not one of the forms above: *reason says why */
};

/* Decode the instruction at bytes[0..avail) (avail may exceed 15; no
 * byte past the instruction or past avail is read).  On INSN_DECODED, *out
 * describes it; otherwise *reason (a constant string) says why not. */
enum insn_decode_result insn_decode_mmio(const uint8_t *bytes, size_t avail,
					 enum insn_mode mode,
					 struct insn_access *out,
					 const char **reason);

#endif

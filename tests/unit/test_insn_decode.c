/*
 * arch/x86/insn_decode.c against byte sequences assembled by GNU as and
 * read back with objdump on the host (the instruction in each row's
 * comment), and hv/vcpu/mmio_regs.c's register rules.
 */
#include <stdbool.h>

#include "arch/x86/insn_decode.h"
#include "hv/vcpu/mmio_regs.h"
#include "tests/unit/test.h"

#define NONE    INSN_REG_NONE
#define L       INSN_LOAD
#define S       INSN_STORE
#define M16     INSN_MODE_16
#define M32     INSN_MODE_32
#define M64     INSN_MODE_64
#define BYTES(s) (const uint8_t *)(s), sizeof(s) - 1

/* One decoded instruction and what it must give. */
struct dcase {
	enum insn_mode mode;
	const uint8_t *b;
	size_t n;
	uint8_t len;
	enum insn_dir dir;
	uint8_t size, reg;
	bool high;
	uint8_t reg_size;           /* 0: an immediate store */
	enum insn_ext ext;
	uint64_t imm;
	uint8_t base, index, scale;
	int64_t disp;
	bool rip, moffs;
	uint8_t addr_size;
	enum insn_seg seg;
	bool seg_override;
};

#define DS_ INSN_SEG_DS
#define SS_ INSN_SEG_SS
#define ZX  INSN_EXT_ZERO
#define SX  INSN_EXT_SIGN
#define NX  INSN_EXT_NONE

static const struct dcase cases[] = {
	/* 64-bit mode */
	{ M64, BYTES("\x88\x08"), 2, S, 1, 1, false, 1, NX, 0, 0, NONE, 1, 0, false, false, 8, DS_, false },          /* mov [rax], cl */
	{ M64, BYTES("\x88\x63\x10"), 3, S, 1, 0, true, 1, NX, 0, 3, NONE, 1, 0x10, false, false, 8, DS_, false },    /* mov [rbx+0x10], ah */
	{ M64, BYTES("\x40\x88\x36"), 3, S, 1, 6, false, 1, NX, 0, 6, NONE, 1, 0, false, false, 8, DS_, false },      /* mov [rsi], sil */
	{ M64, BYTES("\x45\x88\x08"), 3, S, 1, 9, false, 1, NX, 0, 8, NONE, 1, 0, false, false, 8, DS_, false },      /* mov [r8], r9b */
	{ M64, BYTES("\x89\x94\x8f\x78\x56\x34\x12"), 7, S, 4, 2, false, 4, NX, 0, 7, 1, 4, 0x12345678, false, false, 8, DS_, false }, /* mov [rdi+rcx*4+0x12345678], edx */
	{ M64, BYTES("\x4c\x89\x7c\x24\x08"), 5, S, 8, 15, false, 8, NX, 0, 4, NONE, 1, 8, false, false, 8, SS_, false }, /* mov [rsp+8], r15 */
	{ M64, BYTES("\x66\x89\x45\xfe"), 4, S, 2, 0, false, 2, NX, 0, 5, NONE, 1, -2, false, false, 8, SS_, false },  /* mov [rbp-2], ax */
	{ M64, BYTES("\x48\x89\x05\x00\x01\x00\x00"), 7, S, 8, 0, false, 8, NX, 0, NONE, NONE, 1, 0x100, true, false, 8, DS_, false }, /* mov [rip+0x100], rax */
	{ M64, BYTES("\x41\x8b\x04\x24"), 4, L, 4, 0, false, 4, NX, 0, 12, NONE, 1, 0, false, false, 8, DS_, false }, /* mov eax, [r12] */
	{ M64, BYTES("\x4d\x8b\x6d\x00"), 4, L, 8, 13, false, 8, NX, 0, 13, NONE, 1, 0, false, false, 8, DS_, false }, /* mov r13, [r13+0] */
	{ M64, BYTES("\x42\x8a\x1c\xf0"), 4, L, 1, 3, false, 1, NX, 0, 0, 14, 8, 0, false, false, 8, DS_, false },    /* mov bl, [rax+r14*8] */
	{ M64, BYTES("\x8a\x38"), 2, L, 1, 3, true, 1, NX, 0, 0, NONE, 1, 0, false, false, 8, DS_, false },           /* mov bh, [rax] */
	{ M64, BYTES("\x40\x8a\x38"), 3, L, 1, 7, false, 1, NX, 0, 0, NONE, 1, 0, false, false, 8, DS_, false },      /* mov dil, [rax] */
	{ M64, BYTES("\xc7\x00\x78\x56\x34\x12"), 6, S, 4, 0, false, 0, NX, 0x12345678, 0, NONE, 1, 0, false, false, 8, DS_, false }, /* mov dword [rax], 0x12345678 */
	{ M64, BYTES("\x48\xc7\x00\xfe\xff\xff\xff"), 7, S, 8, 0, false, 0, NX, 0xfffffffffffffffeull, 0, NONE, 1, 0, false, false, 8, DS_, false }, /* mov qword [rax], -2 */
	{ M64, BYTES("\x66\xc7\x00\xef\xbe"), 5, S, 2, 0, false, 0, NX, 0xffffffffffffbeefull, 0, NONE, 1, 0, false, false, 8, DS_, false }, /* mov word [rax], 0xbeef */
	{ M64, BYTES("\xc6\x40\x01\x7f"), 4, S, 1, 0, false, 0, NX, 0x7f, 0, NONE, 1, 1, false, false, 8, DS_, false }, /* mov byte [rax+1], 0x7f */
	{ M64, BYTES("\x0f\xb6\x02"), 3, L, 1, 0, false, 4, ZX, 0, 2, NONE, 1, 0, false, false, 8, DS_, false },      /* movzx eax, byte [rdx] */
	{ M64, BYTES("\x4c\x0f\xb7\x12"), 4, L, 2, 10, false, 8, ZX, 0, 2, NONE, 1, 0, false, false, 8, DS_, false }, /* movzx r10, word [rdx] */
	{ M64, BYTES("\x0f\xbe\x0a"), 3, L, 1, 1, false, 4, SX, 0, 2, NONE, 1, 0, false, false, 8, DS_, false },      /* movsx ecx, byte [rdx] */
	{ M64, BYTES("\x48\x0f\xbf\x0a"), 4, L, 2, 1, false, 8, SX, 0, 2, NONE, 1, 0, false, false, 8, DS_, false },  /* movsx rcx, word [rdx] */
	{ M64, BYTES("\x66\x0f\xb6\x02"), 4, L, 1, 0, false, 2, ZX, 0, 2, NONE, 1, 0, false, false, 8, DS_, false },  /* movzx ax, byte [rdx] */
	{ M64, BYTES("\x64\x8b\x04\x25\x30\x00\x00\x00"), 8, L, 4, 0, false, 4, NX, 0, NONE, NONE, 1, 0x30, false, false, 8, INSN_SEG_FS, true }, /* mov eax, fs:[0x30] */
	{ M64, BYTES("\x65\x48\x8b\x03"), 4, L, 8, 0, false, 8, NX, 0, 3, NONE, 1, 0, false, false, 8, INSN_SEG_GS, true }, /* mov rax, gs:[rbx] */
	{ M64, BYTES("\x67\x8b\x00"), 3, L, 4, 0, false, 4, NX, 0, 0, NONE, 1, 0, false, false, 4, DS_, false },      /* mov eax, [eax] */
	{ M64, BYTES("\xa0\x88\x77\x66\x55\x44\x33\x22\x11"), 9, L, 1, 0, false, 1, NX, 0, NONE, NONE, 1, 0x1122334455667788ll, false, true, 8, DS_, false }, /* movabs al, [moffs64] */
	{ M64, BYTES("\x48\xa3\x88\x77\x66\x55\x44\x33\x22\x11"), 10, S, 8, 0, false, 8, NX, 0, NONE, NONE, 1, 0x1122334455667788ll, false, true, 8, DS_, false }, /* movabs [moffs64], rax */
	{ M64, BYTES("\xc7\x04\x24\x01\x00\x00\x00"), 7, S, 4, 0, false, 0, NX, 1, 4, NONE, 1, 0, false, false, 8, SS_, false }, /* mov dword [rsp], 1 */
	{ M64, BYTES("\x43\xc7\x44\x6c\x40\x09\x00\x00\x00"), 9, S, 4, 0, false, 0, NX, 9, 12, 13, 2, 0x40, false, false, 8, DS_, false }, /* mov dword [r12+r13*2+0x40], 9 */
	{ M64, BYTES("\x89\x04\x25\x00\x10\x00\x00"), 7, S, 4, 0, false, 4, NX, 0, NONE, NONE, 1, 0x1000, false, false, 8, DS_, false }, /* mov [0x1000], eax (SIB, no base) */
	{ M64, BYTES("\x48\x66\x89\x08"), 4, S, 2, 1, false, 2, NX, 0, 0, NONE, 1, 0, false, false, 8, DS_, false },  /* REX before 66 is ignored: mov [rax], cx */
	/* 32-bit mode */
	{ M32, BYTES("\x89\x08"), 2, S, 4, 1, false, 4, NX, 0, 0, NONE, 1, 0, false, false, 4, DS_, false },          /* mov [eax], ecx */
	{ M32, BYTES("\x88\x73\x10"), 3, S, 1, 2, true, 1, NX, 0, 3, NONE, 1, 0x10, false, false, 4, DS_, false },    /* mov [ebx+0x10], dh */
	{ M32, BYTES("\x66\x89\x1c\x7e"), 4, S, 2, 3, false, 2, NX, 0, 6, 7, 2, 0, false, false, 4, DS_, false },     /* mov [esi+edi*2], bx */
	{ M32, BYTES("\xa1\x00\x03\xe0\xfe"), 5, L, 4, 0, false, 4, NX, 0, NONE, NONE, 1, 0xfee00300, false, true, 4, DS_, false }, /* mov eax, [0xfee00300] */
	{ M32, BYTES("\xc7\x05\xb0\x00\xe0\xfe\x00\x00\x00\x00"), 10, S, 4, 0, false, 0, NX, 0, NONE, NONE, 1, (int32_t)0xfee000b0, false, false, 4, DS_, false }, /* mov dword [0xfee000b0], 0 */
	{ M32, BYTES("\xa3\x20\x00\xe0\xfe"), 5, S, 4, 0, false, 4, NX, 0, NONE, NONE, 1, 0xfee00020, false, true, 4, DS_, false }, /* mov [0xfee00020], eax */
	{ M32, BYTES("\x66\x8b\x45\x08"), 4, L, 2, 0, false, 2, NX, 0, 5, NONE, 1, 8, false, false, 4, SS_, false },   /* mov ax, [ebp+8] */
	{ M32, BYTES("\x67\x89\x00"), 3, S, 4, 0, false, 4, NX, 0, 3, 6, 1, 0, false, false, 2, DS_, false },          /* mov [bx+si], eax */
	{ M32, BYTES("\x26\x0f\xb7\x0f"), 4, L, 2, 1, false, 4, ZX, 0, 7, NONE, 1, 0, false, false, 4, INSN_SEG_ES, true }, /* movzx ecx, word es:[edi] */
	{ M32, BYTES("\x0f\xbe\x54\x24\x04"), 5, L, 1, 2, false, 4, SX, 0, 4, NONE, 1, 4, false, false, 4, SS_, false }, /* movsx edx, byte [esp+4] */
	{ M32, BYTES("\xc7\x45\x00\x44\x33\x22\x11"), 7, S, 4, 0, false, 0, NX, 0x11223344, 5, NONE, 1, 0, false, false, 4, SS_, false }, /* mov dword [ebp], 0x11223344 */
	{ M32, BYTES("\x66\xc7\x00\x01\x80"), 5, S, 2, 0, false, 0, NX, 0xffffffffffff8001ull, 0, NONE, 1, 0, false, false, 4, DS_, false }, /* mov word [eax], 0x8001 */
	/* 16-bit mode */
	{ M16, BYTES("\x89\x00"), 2, S, 2, 0, false, 2, NX, 0, 3, 6, 1, 0, false, false, 2, DS_, false },              /* mov [bx+si], ax */
	{ M16, BYTES("\x88\x4b\x04"), 3, S, 1, 1, false, 1, NX, 0, 5, 7, 1, 4, false, false, 2, SS_, false },          /* mov [bp+di+4], cl */
	{ M16, BYTES("\xa1\x34\x12"), 3, L, 2, 0, false, 2, NX, 0, NONE, NONE, 1, 0x1234, false, true, 2, DS_, false }, /* mov ax, [0x1234] */
	{ M16, BYTES("\x67\x66\x89\x10"), 4, S, 4, 2, false, 4, NX, 0, 0, NONE, 1, 0, false, false, 4, DS_, false },  /* mov [eax], edx */
	{ M16, BYTES("\xc7\x46\x00\xaa\x55"), 5, S, 2, 0, false, 0, NX, 0x55aa, 5, NONE, 1, 0, false, false, 2, SS_, false }, /* mov word [bp], 0x55aa */
	{ M16, BYTES("\xa0\x20\x00"), 3, L, 1, 0, false, 1, NX, 0, NONE, NONE, 1, 0x20, false, true, 2, DS_, false },  /* mov al, [0x20] */
	{ M16, BYTES("\x66\xc7\x84\x00\x10\x78\x56\x34\x12"), 9, S, 4, 0, false, 0, NX, 0x12345678, 6, NONE, 1, 0x1000, false, false, 2, DS_, false }, /* mov dword [si+0x1000], 0x12345678 */
	{ M16, BYTES("\x36\x66\x0f\xb6\x05"), 5, L, 1, 0, false, 4, ZX, 0, 7, NONE, 1, 0, false, false, 2, SS_, true }, /* movzx eax, byte ss:[di] */
	{ M16, BYTES("\x8b\x36\x34\x12"), 4, L, 2, 6, false, 2, NX, 0, NONE, NONE, 1, 0x1234, false, false, 2, DS_, false }, /* mov si, [0x1234] (mod 0, rm 6) */
};

/* Compare one decoded case field by field. */
static void check_case(unsigned i, const struct dcase *c)
{
	struct insn_access a;
	const char *why = "unset";
	enum insn_decode_result r = insn_decode_mmio(c->b, c->n, c->mode, &a, &why);

	if (r != INSN_DECODED) {
		test_fail(__FILE__, __LINE__, "case %u: refused: %s", i, why);
		return;
	}
#define F(got, want) \
	if ((uint64_t)(got) != (uint64_t)(want)) { \
		test_fail(__FILE__, __LINE__, "case %u: %s = %#llx, want %#llx", i, #got, \
			  (unsigned long long)(got), (unsigned long long)(want)); \
		return; \
	}
	F(a.len, c->len) F(a.dir, c->dir) F(a.size, c->size) F(a.reg, c->reg)
	F(a.reg_high_byte, c->high) F(a.reg_size, c->reg_size) F(a.ext, c->ext)
	F(a.has_imm, c->reg_size == 0) F(a.imm, c->imm)
	F(a.mem.base, c->base) F(a.mem.index, c->index) F(a.mem.scale, c->scale)
	F(a.mem.disp, c->disp) F(a.mem.rip_relative, c->rip) F(a.mem.moffs, c->moffs)
	F(a.mem.addr_size, c->addr_size) F(a.mem.seg, c->seg)
	F(a.mem.seg_override, c->seg_override)
	F(why == NULL, 1)
#undef F
}

TEST(insn_decode_forms)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_case(i, &cases[i]);
		if (test_failed())
			return;
	}
}

/* The result of decoding b[0..n) in mode m, and its reason. */
static enum insn_decode_result dec(enum insn_mode m, const uint8_t *b, size_t n,
				   const char **why)
{
	struct insn_access a;

	return insn_decode_mmio(b, n, m, &a, why);
}

TEST(insn_decode_refusals)
{
	const char *why = NULL;

	CHECK_EQ(dec(M64, BYTES("\xf0\x89\x08"), &why), INSN_UNSUPPORTED);   /* lock mov */
	CHECK_STR(why, "LOCK prefix");
	CHECK_EQ(dec(M32, BYTES("\xf3\x89\x08"), &why), INSN_UNSUPPORTED);   /* rep mov */
	CHECK_STR(why, "REP/REPNE prefix");
	CHECK_EQ(dec(M32, BYTES("\xf2\x8b\x08"), &why), INSN_UNSUPPORTED);
	CHECK_EQ(dec(M64, BYTES("\x89\xc8"), &why), INSN_UNSUPPORTED);       /* mov eax, ecx */
	CHECK_STR(why, "register operand (mod = 3): no memory access");
	CHECK_EQ(dec(M64, BYTES("\x01\x08"), &why), INSN_UNSUPPORTED);       /* add [rax], ecx */
	CHECK_STR(why, "unsupported opcode");
	CHECK_EQ(dec(M64, BYTES("\xc6\x08\x05"), &why), INSN_UNSUPPORTED);   /* c6 /1 */
	CHECK_EQ(dec(M64, BYTES("\xc7\x48\x04\x00\x00\x00\x00"), &why), INSN_UNSUPPORTED);
	CHECK_EQ(dec(M64, BYTES("\x0f\x10\x00"), &why), INSN_UNSUPPORTED);   /* movups */
	CHECK_STR(why, "unsupported two-byte opcode");
	CHECK_EQ(dec(M32, BYTES("\x48\x89\x08"), &why), INSN_UNSUPPORTED);   /* 48 is DEC in 32-bit mode */
	CHECK_EQ(dec(M64, BYTES("\xa4"), &why), INSN_UNSUPPORTED);           /* movsb */
	CHECK_EQ(dec(M64, BYTES("\x8c\x18"), &why), INSN_UNSUPPORTED);       /* mov [rax], ds */
	CHECK_EQ(dec(M64, BYTES("\x87\x08"), &why), INSN_UNSUPPORTED);       /* xchg */
}

TEST(insn_decode_length_limits)
{
	uint8_t b[32];
	const char *why = NULL;
	struct insn_access a;

	/* 13 operand-size prefixes + 89 08: exactly 15 bytes. */
	memset(b, 0x66, sizeof(b));
	b[13] = 0x89;
	b[14] = 0x08;
	CHECK_EQ(insn_decode_mmio(b, sizeof(b), M32, &a, &why), INSN_DECODED);
	CHECK_EQ(a.len, 15);
	CHECK_EQ(a.size, 2);
	/* One prefix more is 16 bytes: #GP on the CPU, refused here. */
	b[13] = 0x66;
	b[14] = 0x89;
	b[15] = 0x08;
	CHECK_EQ(insn_decode_mmio(b, sizeof(b), M32, &a, &why), INSN_UNSUPPORTED);
	CHECK_STR(why, "longer than 15 bytes");
	/* Input that ends inside the instruction. */
	CHECK_EQ(dec(M64, BYTES("\x89\x94\x8f\x78\x56"), &why), INSN_TRUNCATED);
	CHECK_EQ(dec(M64, (const uint8_t *)"", 0, &why), INSN_TRUNCATED);
	CHECK_EQ(dec(M64, BYTES("\x48\xa3\x88\x77\x66\x55\x44\x33\x22"), &why), INSN_TRUNCATED);
	CHECK_EQ(dec(M16, BYTES("\xc7\x46\x00\xaa"), &why), INSN_TRUNCATED);
}

TEST(mmio_regs_load_widths)
{
	struct guest_regs r;
	uint64_t rsp = 0x1111111111111111ull;
	struct insn_access a = { .dir = INSN_LOAD, .reg = 0, .size = 4, .reg_size = 4 };

	memset(&r, 0xff, sizeof(r));
	mmio_load_complete(&a, &r, &rsp, 0xaaaaaaaa12345678ull);
	CHECK_EQ(r.rax, 0x12345678);                       /* 32-bit: upper half zeroed */
	a.size = a.reg_size = 2;
	a.reg = 1;
	mmio_load_complete(&a, &r, &rsp, 0xbeef);
	CHECK_EQ(r.rcx, 0xffffffffffffbeefull);            /* 16-bit: merged */
	a.size = a.reg_size = 1;
	a.reg = 2;
	mmio_load_complete(&a, &r, &rsp, 0x12);
	CHECK_EQ(r.rdx, 0xffffffffffffff12ull);
	a.reg = 3;
	a.reg_high_byte = true;
	mmio_load_complete(&a, &r, &rsp, 0x34);
	CHECK_EQ(r.rbx, 0xffffffffffff34ffull);            /* BH */
	a = (struct insn_access){ .dir = INSN_LOAD, .reg = 4, .size = 8, .reg_size = 8 };
	mmio_load_complete(&a, &r, &rsp, 0x0123456789abcdefull);
	CHECK_EQ(rsp, 0x0123456789abcdefull);              /* RSP lives apart */
	a.reg = 15;
	mmio_load_complete(&a, &r, &rsp, 7);
	CHECK_EQ(r.r15, 7);
}

TEST(mmio_regs_load_extend)
{
	struct guest_regs r;
	uint64_t rsp = 0;
	struct insn_access a = { .dir = INSN_LOAD, .reg = 6, .size = 1,
				 .reg_size = 4, .ext = INSN_EXT_SIGN };

	memset(&r, 0xff, sizeof(r));
	mmio_load_complete(&a, &r, &rsp, 0xff80);
	CHECK_EQ(r.rsi, 0xffffff80);                       /* movsx esi, byte */
	a.reg_size = 8;
	mmio_load_complete(&a, &r, &rsp, 0x80);
	CHECK_EQ(r.rsi, 0xffffffffffffff80ull);            /* movsx rsi, byte */
	r.rsi = 0x1234567800000000ull;
	a.reg_size = 2;
	a.size = 1;
	mmio_load_complete(&a, &r, &rsp, 0x90);
	CHECK_EQ(r.rsi, 0x123456780000ff90ull);            /* movsx si, byte: merged */
	a.ext = INSN_EXT_ZERO;
	a.size = 2;
	a.reg_size = 8;
	mmio_load_complete(&a, &r, &rsp, 0xffff8001);
	CHECK_EQ(r.rsi, 0x8001);                           /* movzx rsi, word */
	a.ext = INSN_EXT_SIGN;
	a.reg_size = 4;
	mmio_load_complete(&a, &r, &rsp, 0x8001);
	CHECK_EQ(r.rsi, 0xffff8001);                       /* movsx esi, word */
}

TEST(mmio_regs_store_values)
{
	struct guest_regs r;
	struct insn_access a;
	const char *why;

	memset(&r, 0, sizeof(r));
	r.rax = 0x1122334455667788ull;
	r.r15 = 0xa5a5a5a5a5a5a5a5ull;
	CHECK_EQ(insn_decode_mmio(BYTES("\x88\x63\x10"), M64, &a, &why), INSN_DECODED);
	CHECK_EQ(mmio_store_value(&a, &r, 0), 0x77);       /* AH */
	CHECK_EQ(insn_decode_mmio(BYTES("\x4c\x89\x7c\x24\x08"), M64, &a, &why), INSN_DECODED);
	CHECK_EQ(mmio_store_value(&a, &r, 0), 0xa5a5a5a5a5a5a5a5ull);
	CHECK_EQ(insn_decode_mmio(BYTES("\x66\x89\x45\xfe"), M64, &a, &why), INSN_DECODED);
	CHECK_EQ(mmio_store_value(&a, &r, 0), 0x7788);
	CHECK_EQ(insn_decode_mmio(BYTES("\x66\xc7\x00\xef\xbe"), M64, &a, &why), INSN_DECODED);
	CHECK_EQ(mmio_store_value(&a, &r, 0), 0xbeef);     /* immediate, own width */
	CHECK_EQ(insn_decode_mmio(BYTES("\x48\xc7\x00\xfe\xff\xff\xff"), M64, &a, &why), INSN_DECODED);
	CHECK_EQ(mmio_store_value(&a, &r, 0), 0xfffffffffffffffeull);
	CHECK_EQ(insn_decode_mmio(BYTES("\x89\x20"), M64, &a, &why), INSN_DECODED); /* mov [rax], esp */
	CHECK_EQ(mmio_store_value(&a, &r, 0xdeadbeefcafef00dull), 0xcafef00d);
}

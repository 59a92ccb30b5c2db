/*
 * Fuzz the MMIO instruction decoder (arch/x86/insn_decode.c): the bytes
 * are the guest's, so any sequence may arrive.  Input: one byte for the
 * mode, then the instruction bytes, passed in a buffer of their exact
 * size (AddressSanitizer catches a read past the end).
 *
 * Promises: a decoded instruction is at most 15 bytes and no longer than
 * the input; it decodes the same from exactly its own bytes and is
 * truncated one byte shorter; sizes are 1, 2, 4 or 8; registers are 0-15,
 * AH-BH only for byte registers 0-3; immediates only on stores; a refusal
 * has a reason, and "truncated" only when fewer than 15 bytes were given.
 */
#include "arch/x86/insn_decode.h"
#include "tests/fuzz/fuzz.h"

#define MODES 3

static bool valid_size(unsigned s)
{
	return s == 1 || s == 2 || s == 4 || s == 8;
}

/* The promises about one decoded instruction. */
static void check_decoded(const struct insn_access *a, size_t n)
{
	FUZZ_CHECK(a->len >= 1 && a->len <= INSN_MAX_LEN && a->len <= n,
		   "length %u of %zu bytes", a->len, n);
	FUZZ_CHECK(valid_size(a->size), "size %u", a->size);
	FUZZ_CHECK(a->reg < 16, "register %u", a->reg);
	FUZZ_CHECK(!a->reg_high_byte || (a->reg < 4 && a->size == 1 && a->reg_size == 1),
		   "high byte of register %u", a->reg);
	FUZZ_CHECK(!a->has_imm || (a->dir == INSN_STORE && a->reg_size == 0),
		   "immediate on a load");
	FUZZ_CHECK(a->has_imm || valid_size(a->reg_size), "reg size %u", a->reg_size);
	FUZZ_CHECK(a->ext == INSN_EXT_NONE ? a->has_imm || a->reg_size == a->size :
		   a->dir == INSN_LOAD && a->reg_size >= a->size,
		   "extension %d with sizes %u/%u", a->ext, a->size, a->reg_size);
	FUZZ_CHECK(valid_size(a->mem.addr_size) && a->mem.addr_size != 1,
		   "address size %u", a->mem.addr_size);
	FUZZ_CHECK(a->mem.seg <= INSN_SEG_GS, "segment %d", a->mem.seg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insn_access a, again;
	const char *why = "unset";
	enum insn_mode mode;
	enum insn_decode_result r;
	uint8_t *bytes;
	size_t n;

	if (size < 1)
		return 0;
	mode = (enum insn_mode)(data[0] % MODES);
	n = size - 1;
	bytes = fuzz_dup(data + 1, n);
	r = insn_decode_mmio(bytes, n, mode, &a, &why);
	if (r == INSN_DECODED) {
		FUZZ_CHECK(why == NULL, "reason on success");
		check_decoded(&a, n);
		FUZZ_CHECK(insn_decode_mmio(bytes, a.len, mode, &again, &why) == INSN_DECODED &&
			   !memcmp(&a, &again, sizeof(a)), "not the same from its own bytes");
		FUZZ_CHECK(insn_decode_mmio(bytes, a.len - 1u, mode, &again, &why) == INSN_TRUNCATED,
			   "not truncated one byte shorter");
	} else {
		FUZZ_CHECK(why && why[0], "refusal without a reason");
		FUZZ_CHECK(r != INSN_TRUNCATED || n < INSN_MAX_LEN, "truncated with %zu bytes", n);
	}
	free(bytes);
	return 0;
}

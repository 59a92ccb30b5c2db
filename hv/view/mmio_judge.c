/*
 * Judging a write to a watched page (hv/view/mmio_watch.h): which bytes
 * of the write land on which watched register, and what that asks for.
 * Pure code, unit-tested.
 */
#include "hv/view/mmio_watch.h"

#include "arch/x86/page.h"
#include "lib/bits.h"

#define BYTE_MASK       0xffull

/* The bytes of a write [gpa, gpa + size) with value that land on register
 * r, as the register's value (low byte first) and *mask of the bytes
 * written; mask 0 when the write misses r. */
static uint64_t bytes_on_reg(const struct watch_reg *r, uint64_t gpa,
			     uint8_t size, uint64_t value, uint64_t *mask)
{
	uint64_t v = 0;

	*mask = 0;
	for (unsigned i = 0; i < size; i++) {
		uint64_t at = gpa + i;

		if (at < r->gpa || at >= r->gpa + r->len)
			continue;
		unsigned shift = (unsigned)(at - r->gpa) * BITS_PER_BYTE;

		v |= ((value >> (i * BITS_PER_BYTE)) & BYTE_MASK) << shift;
		*mask |= BYTE_MASK << shift;
	}
	return v;
}

/* What a write of v (bytes in mask) to register r asks for. */
static enum watch_verdict reg_verdict(const struct watch_reg *r, uint64_t v,
				      uint64_t mask)
{
	if (!mask)
		return WATCH_LET_THROUGH;
	if (r->kind == WATCH_PM_BASE)
		return WATCH_DROP;
	return v == r->reset_value ? WATCH_RESET : WATCH_LET_THROUGH;
}

enum watch_verdict mmio_watch_judge(const struct watch_reg *regs, size_t n,
				    uint64_t gpa, uint8_t size, uint64_t value,
				    const struct watch_reg **hit)
{
	*hit = NULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t mask;
		uint64_t v = bytes_on_reg(&regs[i], gpa, size, value, &mask);
		enum watch_verdict verdict = reg_verdict(&regs[i], v, mask);

		if (verdict != WATCH_LET_THROUGH) {
			*hit = &regs[i];
			return verdict;
		}
	}
	return WATCH_LET_THROUGH;
}

bool mmio_watch_page_has(const struct watch_reg *regs, size_t n, uint64_t gpa)
{
	for (size_t i = 0; i < n; i++)
		if ((regs[i].gpa >> PAGE_SHIFT) == (gpa >> PAGE_SHIFT))
			return true;
	return false;
}

/* The write has not run while RIP is still its instruction's, and nothing
 * the entry injects runs before it (see mmio_watch.h). */
bool mmio_watch_step_stays_open(uint64_t step_rip, uint64_t rip,
				uint32_t entry_intr_info)
{
	return rip == step_rip && !(entry_intr_info & INTR_INFO_VALID);
}

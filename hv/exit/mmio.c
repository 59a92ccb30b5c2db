/*
 * The instruction behind an MMIO exit (mmio.h): the fetch at CS:RIP is the
 * one part that reads guest memory, through guest_linear_read() (the
 * guest's paging, then copy_from_guest()); the register side is the pure
 * hv/vcpu/mmio_regs.c with RSP from the VMCS.
 */
#include "hv/exit/mmio.h"

#include "arch/x86/page.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/mmio_regs.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/vmx/insn.h"
#include "lib/format.h"
#include "lib/log.h"

#define LEGACY_ADDR_MASK    0xffffffffull   /* linear addresses outside 64-bit mode */
#define HEX_BYTE_CHARS      3               /* "xx " per byte in the log */

/* The guest's code size: 64-bit mode, else CS.D. */
static enum insn_mode guest_insn_mode(const struct guest_seg_state *cs)
{
	if (guest_in_64bit_mode())
		return INSN_MODE_64;
	return (cs->ar & AR_DB) ? INSN_MODE_32 : INSN_MODE_16;
}

/* The linear address of CS:RIP, and in *room how many bytes may be
 * fetched there: 15, or fewer up to the code segment's limit outside
 * 64-bit mode (bytes past it are not the guest's to execute). */
static uint64_t fetch_address(enum insn_mode mode, const struct guest_seg_state *cs,
			      uint64_t rip, size_t *room)
{
	uint32_t eip = (uint32_t)rip;
	uint64_t left;

	if (mode == INSN_MODE_64) {
		*room = INSN_MAX_LEN;
		return rip;
	}
	left = eip > cs->limit ? 0 : (uint64_t)cs->limit - eip + 1;
	*room = left < INSN_MAX_LEN ? (size_t)left : INSN_MAX_LEN;
	return (cs->base + eip) & LEGACY_ADDR_MASK;
}

/* Read up to room bytes at gla into mi->bytes.  When the whole range
 * cannot be read but its first page can, keep those bytes (the
 * instruction may end before the second page) and return the second
 * page's failure in *later for the case that the decoder needs more. */
static enum gla_result fetch_bytes(struct vcpu *v, uint64_t gla, size_t room,
				   struct mmio_insn *mi, enum gla_result *later)
{
	uint32_t flags = guest_linear_cpl_flags(v) & GLA_USER;
	size_t first = PAGE_SIZE - (gla & (PAGE_SIZE - 1));
	struct gla_fault unused;
	enum gla_result res;

	*later = GLA_OK;
	res = guest_linear_read(v, gla, mi->bytes, room, GLA_FETCH, flags, &mi->fault);
	if (res == GLA_OK) {
		mi->fetched = (uint8_t)room;
		return GLA_OK;
	}
	if (first >= room ||
	    guest_linear_read(v, gla, mi->bytes, first, GLA_FETCH, flags, &unused) != GLA_OK)
		return res;
	*later = res;
	mi->fetched = (uint8_t)first;
	return GLA_OK;
}

/* The status for a fetch that failed with res. */
static enum mmio_insn_status fetch_failed(struct mmio_insn *mi, enum gla_result res)
{
	if (res == GLA_PAGE_FAULT) {
		mi->reason = "the instruction fetch page-faults";
		return MMIO_INSN_PAGE_FAULT;
	}
	mi->reason = res == GLA_NOT_CANONICAL ? "the instruction runs into a non-canonical address" :
		     "the instruction bytes are not in guest RAM";
	return MMIO_INSN_UNSUPPORTED;
}

enum mmio_insn_status mmio_insn_fetch(struct vcpu *v, struct mmio_insn *mi)
{
	struct guest_seg_state cs = vmcs_read_guest_seg(GUEST_SEG_CS);
	enum gla_result res, later;
	enum insn_decode_result dec;
	size_t room;
	uint64_t gla;

	*mi = (struct mmio_insn){ .rip = vmcs_readnat(VMCS_GUEST_RIP) };
	mi->mode = guest_insn_mode(&cs);
	gla = fetch_address(mi->mode, &cs, mi->rip, &room);
	if (room == 0) {
		mi->reason = "RIP is past the code segment's limit";
		return MMIO_INSN_UNSUPPORTED;
	}
	res = fetch_bytes(v, gla, room, mi, &later);
	if (res != GLA_OK)
		return fetch_failed(mi, res);
	dec = insn_decode_mmio(mi->bytes, mi->fetched, mi->mode, &mi->access, &mi->reason);
	if (dec == INSN_TRUNCATED && later != GLA_OK)
		return fetch_failed(mi, later);
	if (dec == INSN_TRUNCATED && room < INSN_MAX_LEN)
		mi->reason = "the instruction crosses the code segment's limit";
	return dec == INSN_DECODED ? MMIO_INSN_OK : MMIO_INSN_UNSUPPORTED;
}

uint64_t mmio_insn_store_value(struct vcpu *v, const struct mmio_insn *mi)
{
	return mmio_store_value(&mi->access, &v->regs, vmcs_readnat(VMCS_GUEST_RSP));
}

void mmio_insn_complete_load(struct vcpu *v, const struct mmio_insn *mi,
			     uint64_t value)
{
	uint64_t rsp = vmcs_readnat(VMCS_GUEST_RSP), old = rsp;

	mmio_load_complete(&mi->access, &v->regs, &rsp, value);
	if (rsp != old)
		vmcs_writenat(VMCS_GUEST_RSP, rsp);
}

void mmio_insn_skip(struct vcpu *v, const struct mmio_insn *mi)
{
	guest_skip_instruction(v, mi->rip, mi->access.len);
}

void mmio_insn_log(const struct mmio_insn *mi, const char *what)
{
	char hex[INSN_MAX_LEN * HEX_BYTE_CHARS + 1] = "";
	size_t at = 0;

	for (unsigned i = 0; i < mi->fetched; i++)
		at += (size_t)format(hex + at, sizeof(hex) - at, "%02x ", mi->bytes[i]);
	log_error("%s: RIP %#llx, %u-bit code, bytes %s: %s", what,
		  (unsigned long long)mi->rip,
		  mi->mode == INSN_MODE_64 ? 64u : mi->mode == INSN_MODE_32 ? 32u : 16u,
		  mi->fetched ? hex : "none ", mi->reason ? mi->reason : "decoded");
}

/* Loads of all ones, stores dropped (see mmio.h). */
enum exit_action mmio_emulate_absent(struct vcpu *v, const struct vmexit *e,
				     bool write, const char *stop_reason)
{
	struct mmio_insn mi;
	enum mmio_insn_status st = mmio_insn_fetch(v, &mi);

	if (st == MMIO_INSN_PAGE_FAULT)
		return EXIT_RESUME;
	if (st == MMIO_INSN_OK && (mi.access.dir == INSN_STORE) != write) {
		st = MMIO_INSN_UNSUPPORTED;
		mi.reason = "the decoded direction differs from the exit's";
	}
	if (st != MMIO_INSN_OK) {
		mmio_insn_log(&mi, stop_reason);
		return exit_fail(v, e, stop_reason);
	}
	if (mi.access.dir == INSN_LOAD)
		mmio_insn_complete_load(v, &mi, MMIO_OPEN_BUS);
	mmio_insn_skip(v, &mi);
	return EXIT_RESUME;
}

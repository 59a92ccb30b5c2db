/*
 * The guest's xAPIC window on the software back end (docs/apic.md): every
 * access to the APIC-access page exits (Intel SDM Vol. 3, "APIC-Access VM
 * Exits"), or, on a CPU without "virtualize APIC accesses", is an EPT
 * violation on the window's page.  The instruction at CS:RIP is fetched
 * through the guest's paging and decoded (hv/exit/mmio.h: the MOV forms of
 * docs/vmx.md, "Instruction decoder") and carried out on the virtual
 * LAPIC; anything else stops the guest with its bytes in the log, never a
 * guess.  With APICv the same path serves the few accesses the CPU does
 * not virtualize (the current-count register, odd widths).
 */
#include "hv/exit/handlers.h"
#include "hv/exit/mmio.h"
#include "hv/lapic/lapic.h"
#include "hv/lapic/phys.h"
#include "hv/vcpu/vcpu.h"
#include "lib/log.h"

/* Exit qualification of an APIC-access exit (SDM "Exit Qualification for
 * APIC-Access VM Exits ..."): page offset and access type. */
#define APIC_ACCESS_OFFSET_MASK  0xfffull
#define APIC_ACCESS_TYPE_SHIFT   12
#define APIC_ACCESS_TYPE_MASK    0xfull
#define APIC_ACCESS_LINEAR_READ  0
#define APIC_ACCESS_LINEAR_WRITE 1
#define REG_BYTE_MASK            0x3     /* byte within a 32-bit register */

/* Carry out a decoded access at window offset off: a load takes the
 * register's bytes at off (a narrower read takes part of it), a store
 * writes the register (only whole, aligned 32-bit stores mean anything to
 * an APIC; others are dropped, as the SDM leaves them undefined). */
static void carry_out(struct vcpu *v, const struct mmio_insn *mi, uint32_t off)
{
	const struct insn_access *a = &mi->access;

	if (a->dir == INSN_LOAD) {
		uint64_t value = lapic_mmio_read(v, off & ~(uint32_t)REG_BYTE_MASK);

		mmio_insn_complete_load(v, mi, value >> ((off & REG_BYTE_MASK) * 8));
		return;
	}
	if (a->size == sizeof(uint32_t) && !(off & REG_BYTE_MASK))
		lapic_mmio_write(v, off, (uint32_t)mmio_insn_store_value(v, mi));
	else
		log_debug("vcpu%u: LAPIC: %u-byte store at offset %#x dropped",
			  v->id, a->size, off);
}

/* Stop the guest over an access that cannot be carried out. */
static enum exit_action refuse(struct vcpu *v, const struct vmexit *e,
			       const struct mmio_insn *mi, const char *why)
{
	mmio_insn_log(mi, why);
	return exit_fail(v, e, "LAPIC window access by an instruction the "
			 "decoder does not accept");
}

/* One emulated access at window offset off (write: what the exit says).
 * A fetch that page-faults resumes: the CPU re-executes and raises it. */
static enum exit_action emulate(struct vcpu *v, const struct vmexit *e,
				uint32_t off, bool write)
{
	struct mmio_insn mi;
	enum mmio_insn_status st = mmio_insn_fetch(v, &mi);

	if (st == MMIO_INSN_PAGE_FAULT)
		return EXIT_RESUME;
	if (st != MMIO_INSN_OK)
		return refuse(v, e, &mi, mi.reason);
	if ((mi.access.dir == INSN_STORE) != write)
		return refuse(v, e, &mi, "the decoded direction differs from the exit's");
	if (mi.access.dir == INSN_LOAD &&
	    (off & REG_BYTE_MASK) + mi.access.size > sizeof(uint32_t))
		return refuse(v, e, &mi, "a load across a 32-bit register");
	carry_out(v, &mi, off);
	mmio_insn_skip(v, &mi);
	return EXIT_RESUME;
}

/* Data reads and writes by an instruction are emulated; a fetch from the
 * window or an access during event delivery (an IDT or stack in the APIC
 * page) has no sensible meaning: the guest stops with a report. */
enum exit_action handle_apic_access(struct vcpu *v, const struct vmexit *e)
{
	uint32_t off = (uint32_t)(e->qualification & APIC_ACCESS_OFFSET_MASK);
	uint32_t type = (uint32_t)((e->qualification >> APIC_ACCESS_TYPE_SHIFT) &
				   APIC_ACCESS_TYPE_MASK);

	if (type != APIC_ACCESS_LINEAR_READ && type != APIC_ACCESS_LINEAR_WRITE)
		return exit_fail(v, e, "APIC access that is not an instruction's "
				 "data read or write");
	return emulate(v, e, off, type == APIC_ACCESS_LINEAR_WRITE);
}

/* Whether gpa lies in the page at base. */
static bool in_page(uint64_t gpa, uint64_t base)
{
	return gpa >= base && gpa < base + LAPIC_WINDOW_SIZE;
}

/* An EPT violation: the window's page without "virtualize APIC accesses"
 * (an EPT hole) gets the same emulation; the physical LAPIC's page, when
 * the window is not there, answers as nothing.  False for anything else. */
bool lapic_ept_access(struct vcpu *v, const struct vmexit *e, uint64_t gpa,
		      bool write, enum exit_action *action)
{
	uint64_t base = vlapic_window_base(&v->lapic.model);
	bool xapic = vlapic_mode(&v->lapic.model) == VLAPIC_XAPIC;

	if (!v->lapic.access_page && xapic && in_page(gpa, base)) {
		*action = emulate(v, e, (uint32_t)(gpa - base), write);
		return true;
	}
	if (in_page(gpa, phys_lapic_page()) && !(xapic && in_page(gpa, base))) {
		/* The window is elsewhere (the guest moved its base):
		 * nothing answers at the physical LAPIC's page. */
		*action = mmio_emulate_absent(v, e, write, "LAPIC window access "
					      "by an instruction the decoder "
					      "does not accept");
		return true;
	}
	return false;
}

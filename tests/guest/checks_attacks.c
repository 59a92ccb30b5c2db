/*
 * The "attacks" group (issue 8, item 9): a hostile guest kernel tries the
 * holes the hardening closed, and each check asserts the containment.
 *
 * attack_hc_buffers: HC_CONSOLE_WRITE, HC_GET_EXIT_STATS and
 *   HC_GET_HV_RANGES with buffers above RAM (4 GiB + 4 KiB: beyond what the
 *   host page tables map on a small machine), in the local APIC's and the
 *   I/O APIC's MMIO pages, in a hypervisor-owned range, wrapping 2^64 and
 *   straddling the end of RAM: each returns -HC_ERR_FAULT (bad sizes
 *   -HC_ERR_INVALID), and the hypervisor answers afterwards.  Under the
 *   hypervisor only (VMCALL is #UD bare).
 * attack_hc_32bit: VMCALLs from 32-bit compatibility mode with garbage in
 *   the upper halves of RAX, RBX and RCX work as their low halves say, and
 *   the result's upper half is zero.  Under the hypervisor only.
 * attack_nmi_burst: 2000 self-NMIs through the local APIC's ICR, each
 *   awaited, all reach the guest's NMI handler.  Bare as well (bare Bochs
 *   is the reference).
 * attack_pm_base_move: PIIX4 PMBA (PCI 00:01.3 register 0x40), written as
 *   a dword and as its byte 1: under the hypervisor it reads back
 *   unchanged (the write is dropped and logged, which the boot test
 *   checks); bare the base really moves (the reference: the attack works
 *   there), and the check puts it back.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "drivers/pci.h"
#include "hv/exit/hypercall.h"
#include "tests/guest/attacks.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"
#include "tests/guest/multiboot.h"

#define WRAP_GPA                (0ull - 16)     /* 16 bytes below 2^64 */
#define BAD_BUF_LEN             32              /* crosses 2^64 / the RAM end */
#define STRADDLE_BEFORE         16
#define HUGE_SIZE               (1ull << 63)
#define CONSOLE_WRITE_MAX       4096
#define UNKNOWN_CALL            0x7fff
#define UPPER_GARBAGE           0xdeadbeef00000000ull
#define UPPER_GARBAGE2          0x5a5a5a5a00000000ull

static uint8_t good_buf[PAGE_SIZE];

/* ---- shared helpers (attacks.h) ------------------------------------------ */

static bool top_visit(const struct mb1_mmap_entry *e, void *ctx)
{
	uint64_t *top = ctx;

	if (e->type == MB1_MEMORY_AVAILABLE && e->base_addr + e->length > *top)
		*top = e->base_addr + e->length;
	return true;
}

uint64_t guest_ram_top(void)
{
	uint64_t top = 0;

	return mmap_walk(top_visit, &top) ? top : 0;
}

int64_t hv_ranges_fetch(struct hc_range *out)
{
	return hypercall(HC_GET_HV_RANGES, (uint64_t)(uintptr_t)out,
			 HV_RANGES_MAX * sizeof(*out), 0);
}

/* ---- attack_hc_buffers ------------------------------------------------------ */

struct bad_buffer {
	const char *what;
	uint64_t gpa;
};

/* One call with a buffer the hypervisor must refuse; false (r filled) when
 * it gave anything but want. */
static bool refused(struct check_result *r, const char *call, uint64_t nr,
		    uint64_t gpa, uint64_t size, int64_t want, const char *what)
{
	int64_t got = hypercall(nr, gpa, size, 0);

	if (got == want)
		return true;
	fail(r, "%s at 0x%lx size 0x%lx (%s) returned %ld, want %ld", call, gpa,
	     size, what, got, want);
	return false;
}

/* The three buffer-taking calls at b: each -HC_ERR_FAULT. */
static bool refused_all(struct check_result *r, const struct bad_buffer *b)
{
	return refused(r, "HC_CONSOLE_WRITE", HC_CONSOLE_WRITE, b->gpa,
		       BAD_BUF_LEN, -HC_ERR_FAULT, b->what) &&
	       refused(r, "HC_GET_EXIT_STATS", HC_GET_EXIT_STATS, b->gpa,
		       BAD_BUF_LEN, -HC_ERR_FAULT, b->what) &&
	       refused(r, "HC_GET_HV_RANGES", HC_GET_HV_RANGES, b->gpa,
		       HV_RANGES_MAX * sizeof(struct hc_range), -HC_ERR_FAULT,
		       b->what);
}

/* Sizes the calls refuse whatever the buffer: -HC_ERR_INVALID, and a
 * huge size over good RAM: -HC_ERR_FAULT (HC_GET_HV_RANGES takes the size
 * as an upper bound and writes only its entries: a huge size is fine). */
static bool bad_sizes(struct check_result *r)
{
	uint64_t good = (uint64_t)(uintptr_t)good_buf;

	return refused(r, "HC_CONSOLE_WRITE", HC_CONSOLE_WRITE, LAPIC_PAGE,
		       CONSOLE_WRITE_MAX + 1, -HC_ERR_INVALID, "too long") &&
	       refused(r, "HC_GET_EXIT_STATS", HC_GET_EXIT_STATS, LAPIC_PAGE, 0,
		       -HC_ERR_INVALID, "size 0") &&
	       refused(r, "HC_GET_HV_RANGES", HC_GET_HV_RANGES, good, 1,
		       -HC_ERR_INVALID, "too small") &&
	       refused(r, "HC_GET_EXIT_STATS", HC_GET_EXIT_STATS, good, HUGE_SIZE,
		       -HC_ERR_FAULT, "huge size over RAM");
}

/* Above RAM: 4 GiB + 4 KiB, or a page above the RAM's end when the machine
 * has more than 4 GiB. */
static uint64_t above_ram(uint64_t top)
{
	uint64_t gpa = FOUR_GIB + PAGE_SIZE;

	return top < gpa ? gpa : ((top + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1)) + PAGE_SIZE;
}

enum verdict check_attack_hc_buffers(struct check_result *r)
{
	static struct hc_range hv[HV_RANGES_MAX];
	uint64_t top = guest_ram_top();

	if (!guest_env.under_hv)
		return skip_bare(r);
	if (!top)
		return fail(r, "no memory map: no end of RAM to straddle");
	if (hv_ranges_fetch(hv) < 1)
		return fail(r, "HC_GET_HV_RANGES names no hypervisor range");
	const struct bad_buffer bad[] = {
		{ "above RAM", above_ram(top) },
		{ "local APIC MMIO", LAPIC_PAGE },
		{ "I/O APIC MMIO", IOAPIC_PAGE },
		{ "hypervisor-owned", hv[0].base },
		{ "wraps 2^64", WRAP_GPA },
		{ "straddles the end of RAM", top - STRADDLE_BEFORE },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!refused_all(r, &bad[i]))
			return VERDICT_FAIL;
	if (!bad_sizes(r))
		return VERDICT_FAIL;
	int64_t v = hypercall(HC_GET_VERSION, 0, 0, 0);
	if (v != HV_ABI_VERSION)
		return fail(r, "after the attacks HC_GET_VERSION returned 0x%lx", v);
	return VERDICT_PASS;
}

/* ---- attack_hc_32bit -------------------------------------------------------- */

/* The guest text the boot test looks for in the hypervisor's log. */
static const char compat_text[] = "hello from 32-bit compatibility mode";

/* compat_vmcall with interrupts off (the IDT's handlers return to 64-bit
 * code only through IRETQ, which would work, but the switch is kept short
 * and undisturbed). */
static uint64_t compat_call(uint64_t rax, uint64_t rbx, uint64_t rcx)
{
	bool was_on = read_rflags() & RFLAGS_IF;

	irq_disable();
	uint64_t v = compat_vmcall(rax, rbx, rcx);
	if (was_on)
		irq_enable();
	return v;
}

enum verdict check_attack_hc_32bit(struct check_result *r)
{
	uint64_t text = (uint64_t)(uintptr_t)compat_text;
	uint64_t len = sizeof(compat_text) - 1;
	uint64_t v;

	if (!guest_env.under_hv)
		return skip_bare(r);
	v = compat_call(UPPER_GARBAGE | HC_GET_VERSION, UPPER_GARBAGE2 | 1,
			UPPER_GARBAGE | 2);
	if (v != HV_ABI_VERSION)
		return fail(r, "HC_GET_VERSION with RAX 0x%llx returned 0x%lx, "
			    "want 0x%x", UPPER_GARBAGE | HC_GET_VERSION, v,
			    HV_ABI_VERSION);
	v = compat_call(UPPER_GARBAGE2 | HC_CONSOLE_WRITE, UPPER_GARBAGE | text,
			UPPER_GARBAGE2 | len);
	if (v != len)
		return fail(r, "HC_CONSOLE_WRITE with garbage upper halves returned "
			    "0x%lx, want %lu (the arguments' low halves)", v, len);
	v = compat_call(UPPER_GARBAGE | UNKNOWN_CALL, 0, 0);
	if (v != ((uint64_t)-HC_ERR_UNKNOWN & ARG32_MASK))
		return fail(r, "unknown call returned 0x%lx, want 0x%llx (32 bits, "
			    "upper half zero)", v,
			    (uint64_t)-HC_ERR_UNKNOWN & ARG32_MASK);
	return VERDICT_PASS;
}

/* ---- attack_nmi_burst ------------------------------------------------------- */

#define NMI_BURST               2000u
/* Each NMI is sent only after the previous one reached the handler, whose
 * IRET unblocked NMIs: none is pending when the next is raised, and the
 * architecture merges NMIs only while one is already pending (Intel SDM
 * Vol. 3, "NMI Handling"), so every one must arrive.  A wait that times
 * out may let the next send merge with a still-pending NMI: the check
 * allows NMI_MERGE_SLACK of those, then gives up. */
#define NMI_MERGE_SLACK         10u
#define NMI_WAIT_SPINS          200000u
#define XAPIC_ID                0x20
#define XAPIC_ID_SHIFT          24
#define XAPIC_ICR_LOW           0x300
#define XAPIC_ICR_HIGH          0x310
#define XAPIC_DEST_SHIFT        24
#define IA32_X2APIC_APICID      0x802
#define IA32_X2APIC_ICR         0x830
#define X2APIC_DEST_SHIFT       32
#define ICR_DELIVERY_NMI        (4u << 8)
#define ICR_DELIVERY_PENDING    (1u << 12)
#define ICR_LEVEL_ASSERT        (1u << 14)
#define ICR_IDLE_POLLS          1000000u
#define APIC_BASE_ADDR_MASK     0xfffff000u

static volatile uint32_t nmis_seen;

static void count_nmi(void)
{
	nmis_seen++;
}

/* The local APIC's ICR: xAPIC MMIO, or the x2APIC MSR (xapic NULL). */
struct self_ipi {
	volatile uint32_t *xapic;
	uint32_t apic_id;
};

/* Where the ICR is and our own APIC ID; false without a usable APIC. */
static bool self_ipi_init(struct self_ipi *s, struct check_result *r)
{
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC)) {
		skip(r, "no local APIC");
		return false;
	}
	uint64_t base = rdmsr(IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		skip(r, "local APIC disabled (IA32_APIC_BASE 0x%lx)", base);
		return false;
	}
	if (base & APIC_BASE_X2APIC_ENABLE) {
		s->xapic = NULL;
		s->apic_id = (uint32_t)rdmsr(IA32_X2APIC_APICID);
	} else {
		s->xapic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
		s->apic_id = s->xapic[XAPIC_ID / 4] >> XAPIC_ID_SHIFT;
	}
	return true;
}

/* An NMI to our own APIC ID: physical destination, no shorthand. */
static void send_self_nmi(const struct self_ipi *s)
{
	uint32_t low = ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT;

	if (!s->xapic) {
		wrmsr(IA32_X2APIC_ICR,
		      (uint64_t)s->apic_id << X2APIC_DEST_SHIFT | low);
		return;
	}
	s->xapic[XAPIC_ICR_HIGH / 4] = s->apic_id << XAPIC_DEST_SHIFT;
	s->xapic[XAPIC_ICR_LOW / 4] = low;
	for (uint32_t i = 0; i < ICR_IDLE_POLLS; i++)
		if (!(s->xapic[XAPIC_ICR_LOW / 4] & ICR_DELIVERY_PENDING))
			return;
}

/* Wait (bounded) until the handler has counted past `before`. */
static bool nmi_arrived(uint32_t before)
{
	for (uint32_t i = 0; i < NMI_WAIT_SPINS; i++) {
		if (nmis_seen != before)
			return true;
		cpu_relax();
	}
	return false;
}

/* Send the burst; the number of waits that timed out. */
static uint32_t nmi_burst(const struct self_ipi *s)
{
	uint32_t timeouts = 0;

	for (uint32_t i = 0; i < NMI_BURST && timeouts <= NMI_MERGE_SLACK; i++) {
		uint32_t before = nmis_seen;

		send_self_nmi(s);
		if (!nmi_arrived(before))
			timeouts++;
	}
	nmi_arrived(nmis_seen);         /* a late last one */
	return timeouts;
}

enum verdict check_attack_nmi_burst(struct check_result *r)
{
	struct self_ipi s;

	if (!self_ipi_init(&s, r))
		return VERDICT_SKIP;
	nmis_seen = 0;
	idt_set_nmi_handler(count_nmi);
	uint32_t timeouts = nmi_burst(&s);
	idt_set_nmi_handler(NULL);
	uint32_t got = nmis_seen;
	if (got < NMI_BURST - NMI_MERGE_SLACK || got > NMI_BURST)
		return fail(r, "%u of %u self-NMIs reached the handler (%u waits "
			    "timed out), want %u-%u", got, NMI_BURST, timeouts,
			    NMI_BURST - NMI_MERGE_SLACK, NMI_BURST);
	return VERDICT_PASS;
}

/* ---- attack_pm_base_move ---------------------------------------------------- */

#define PIIX4_VENDOR            0x8086u
#define PIIX4_PM_DEVICE         0x7113u
#define PIIX4_PM_DEV            1
#define PIIX4_PM_FN             3
#define PMBA_REG                0x40
#define PMBA_BYTE1              (PMBA_REG + 1)
#define PMBA_MOVE               0x0800u        /* base bit 11: a new 64-byte block */
#define PCI_DEVICE_ID_SHIFT     16
#define BYTE_SHIFT              8

static const struct pci_bdf pm_fn = { 0, PIIX4_PM_DEV, PIIX4_PM_FN };

static uint32_t cfg_read32(uint8_t reg)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(pm_fn, reg));
	return inl(PCI_CONFIG_DATA);
}

static void cfg_write32(uint8_t reg, uint32_t value)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(pm_fn, reg));
	outl(PCI_CONFIG_DATA, value);
}

/* A byte write through the data port that holds register reg. */
static void cfg_write8(uint8_t reg, uint8_t value)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(pm_fn, reg));
	outb((uint16_t)(PCI_CONFIG_DATA + (reg & 3)), value);
}

/* What PMBA reads after one attempt to move it to `moved`: the hypervisor
 * must leave `old`; bare it must read `moved` (then it is put back). */
static bool pm_base_after(struct check_result *r, const char *how,
			  uint32_t old, uint32_t moved)
{
	uint32_t now = cfg_read32(PMBA_REG);

	if (!guest_env.under_hv && now == moved) {
		cfg_write32(PMBA_REG, old);
		now = cfg_read32(PMBA_REG);
		if (now == old)
			return true;
		fail(r, "bare: PMBA 0x%x not restored (reads 0x%x)", old, now);
		return false;
	}
	if (guest_env.under_hv && now == old)
		return true;
	fail(r, "%s write of PMBA 0x%x -> 0x%x reads back 0x%x%s", how, old, moved,
	     now, guest_env.under_hv ? ": the PM block moved" :
	     ": bare, the emulator ignored it");
	if (now != old)
		cfg_write32(PMBA_REG, old);
	return false;
}

enum verdict check_attack_pm_base_move(struct check_result *r)
{
	uint32_t id = cfg_read32(PCI_VENDOR_ID);

	if ((id & 0xffff) != PIIX4_VENDOR || id >> PCI_DEVICE_ID_SHIFT != PIIX4_PM_DEVICE)
		return skip(r, "PCI 00:01.3 is 0x%x, not a PIIX4 PM function "
			    "(8086:7113)", id);
	uint32_t old = cfg_read32(PMBA_REG);
	uint32_t moved = old ^ PMBA_MOVE;

	cfg_write32(PMBA_REG, moved);
	if (!pm_base_after(r, "dword", old, moved))
		return VERDICT_FAIL;
	cfg_write8(PMBA_BYTE1, (uint8_t)(moved >> BYTE_SHIFT));
	if (!pm_base_after(r, "byte 1", old, moved))
		return VERDICT_FAIL;
	return VERDICT_PASS;
}

/* The MMIO write watch's judge (hv/view/mmio_judge.c) and the MCFG reader
 * (guest/acpi/mcfg.c). */
#include "guest/acpi/mcfg.h"
#include "hv/view/mmio_watch.h"
#include "tests/unit/test.h"

#define PAGE        0xfed03000ull
#define RESET_AT    (PAGE + 0x80)
#define PMBASE_AT   (PAGE + 0x40)

static const struct watch_reg watched[] = {
	{ PMBASE_AT, 4, WATCH_PM_BASE, 0, "PM base" },
	{ RESET_AT, 1, WATCH_RESET_REG, 6, "reset register" },
};

/* The verdict for a write, and which register it names (-1: none). */
static enum watch_verdict judge(uint64_t gpa, uint8_t size, uint64_t value,
				int *which)
{
	const struct watch_reg *hit;
	enum watch_verdict v = mmio_watch_judge(watched, 2, gpa, size, value, &hit);

	*which = hit ? (int)(hit - watched) : -1;
	return v;
}

TEST(mmio_watch_judge_reset_register)
{
	int w;

	CHECK_EQ(judge(RESET_AT, 1, 6, &w), WATCH_RESET);
	CHECK_EQ(w, 1);
	CHECK_EQ(judge(RESET_AT, 1, 2, &w), WATCH_LET_THROUGH);     /* not the reset value */
	CHECK_EQ(w, -1);
	/* Wider writes count by the byte that lands on the register. */
	CHECK_EQ(judge(RESET_AT - 1, 2, 0x0600, &w), WATCH_RESET);
	CHECK_EQ(judge(RESET_AT - 3, 4, 0x06000000, &w), WATCH_RESET);
	CHECK_EQ(judge(RESET_AT - 7, 8, 0x0600000000000000ull, &w), WATCH_RESET);
	CHECK_EQ(judge(RESET_AT - 1, 2, 0x0006, &w), WATCH_LET_THROUGH);
	CHECK_EQ(judge(RESET_AT, 4, 0xffffff06, &w), WATCH_RESET);  /* neighbours do not matter */
	CHECK_EQ(judge(RESET_AT + 1, 4, 0x06060606, &w), WATCH_LET_THROUGH);
	CHECK_EQ(judge(RESET_AT - 8, 8, 0x0606060606060606ull, &w), WATCH_LET_THROUGH);
}

TEST(mmio_watch_judge_pm_base)
{
	int w;

	CHECK_EQ(judge(PMBASE_AT, 4, 0xc001, &w), WATCH_DROP);
	CHECK_EQ(w, 0);
	CHECK_EQ(judge(PMBASE_AT + 3, 1, 0, &w), WATCH_DROP);        /* any byte of it */
	CHECK_EQ(judge(PMBASE_AT - 4, 8, 0, &w), WATCH_DROP);
	CHECK_EQ(judge(PMBASE_AT - 4, 4, 0xffffffff, &w), WATCH_LET_THROUGH);
	CHECK_EQ(judge(PMBASE_AT + 4, 4, 0xffffffff, &w), WATCH_LET_THROUGH);
	CHECK_EQ(judge(PAGE, 8, 0x0606060606060606ull, &w), WATCH_LET_THROUGH);
}

TEST(mmio_watch_page_has)
{
	CHECK(mmio_watch_page_has(watched, 2, PAGE));
	CHECK(mmio_watch_page_has(watched, 2, PAGE + 0xfff));
	CHECK(!mmio_watch_page_has(watched, 2, PAGE + 0x1000));
	CHECK(!mmio_watch_page_has(watched, 2, PAGE - 1));
	CHECK(!mmio_watch_page_has(watched, 0, PAGE));
}

/* The single step of a let-through write at WRITE_RIP stays open at an
 * entry only while the write has not run and no event comes first. */
#define WRITE_RIP   0x1000ull
#define NEXT_RIP    (WRITE_RIP + 3)     /* after a 3-byte store */
#define EXT_INTR_32 (INTR_INFO_VALID | 0x20u)   /* external interrupt, vector 32 */

TEST(mmio_watch_step_stays_open)
{
	/* A timer or interrupt exit before the write ran, nothing injected. */
	CHECK(mmio_watch_step_stays_open(WRITE_RIP, WRITE_RIP, 0));
	/* The invalid bit decides, not stale vector bits. */
	CHECK(mmio_watch_step_stays_open(WRITE_RIP, WRITE_RIP,
					 EXT_INTR_32 & ~INTR_INFO_VALID));
	/* The write ran (RIP moved on, or elsewhere): close. */
	CHECK(!mmio_watch_step_stays_open(WRITE_RIP, NEXT_RIP, 0));
	CHECK(!mmio_watch_step_stays_open(WRITE_RIP, WRITE_RIP - 1, 0));
	/* An event is injected: its handler would run with the page open. */
	CHECK(!mmio_watch_step_stays_open(WRITE_RIP, WRITE_RIP, EXT_INTR_32));
	CHECK(!mmio_watch_step_stays_open(WRITE_RIP, NEXT_RIP, EXT_INTR_32));
}

/* An MCFG with the given entries (base, segment, start bus, end bus). */
static uint32_t make_mcfg(uint8_t *t, const uint64_t (*e)[4], unsigned n)
{
	uint32_t len = MCFG_ENTRIES_OFFSET + n * MCFG_ENTRY_LEN;

	memset(t, 0, len);
	memcpy(t, "MCFG", 4);
	memcpy(t + 4, &len, 4);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = t + MCFG_ENTRIES_OFFSET + i * MCFG_ENTRY_LEN;
		uint16_t seg = (uint16_t)e[i][1];

		memcpy(p + MCFG_ENTRY_BASE, &e[i][0], 8);
		memcpy(p + MCFG_ENTRY_SEGMENT, &seg, 2);
		p[MCFG_ENTRY_START_BUS] = (uint8_t)e[i][2];
		p[MCFG_ENTRY_END_BUS] = (uint8_t)e[i][3];
	}
	return len;
}

TEST(mcfg_bus0_base)
{
	uint8_t t[128];
	uint64_t base = 0;
	const uint64_t q35[1][4] = { { 0xb0000000, 0, 0, 0xff } };
	const uint64_t others[3][4] = { { 0xc0000000, 1, 0, 0xff },      /* segment 1 */
					{ 0xd0000000, 0, 0x80, 0xff },   /* buses 0x80- */
					{ 0xe0000000, 0, 0, 0x7f } };

	CHECK(acpi_mcfg_bus0_base(t, make_mcfg(t, q35, 1), &base));
	CHECK_EQ(base, 0xb0000000);
	CHECK(acpi_mcfg_bus0_base(t, make_mcfg(t, others, 3), &base));
	CHECK_EQ(base, 0xe0000000);
	CHECK(!acpi_mcfg_bus0_base(t, make_mcfg(t, others, 2), &base));
	/* A table cut short holds no entry. */
	CHECK(!acpi_mcfg_bus0_base(t, MCFG_ENTRIES_OFFSET + MCFG_ENTRY_LEN - 1, &base));
	CHECK(!acpi_mcfg_bus0_base(t, 4, &base));
}

/* The ECAM page of a function (the hidden PCI UART's): the entry whose bus
 * range holds its bus, bus 0's base plus bus, device and function. */
TEST(mcfg_function_page)
{
	uint8_t t[128];
	uint64_t page = 0;
	const uint64_t q35[1][4] = { { 0xb0000000, 0, 0, 0xff } };
	const uint64_t split[3][4] = { { 0xc0000000, 1, 0, 0xff },      /* segment 1 */
				       { 0xd0000000, 0, 0x80, 0xff },   /* buses 0x80- */
				       { 0xe0000000, 0, 0, 0x7f } };
	const uint64_t wraps[1][4] = { { 0xfffffffffff00000ull, 0, 0, 0xff } };

	CHECK(acpi_mcfg_function_page(t, make_mcfg(t, q35, 1),
				      (struct pci_bdf){ 0, 5, 0 }, &page));
	CHECK_EQ(page, 0xb0028000);         /* QEMU's pci-serial at 00:05.0 */
	CHECK(acpi_mcfg_function_page(t, make_mcfg(t, split, 3),
				      (struct pci_bdf){ 0x81, 0x1f, 7 }, &page));
	CHECK_EQ(page, 0xd0000000ull + (0x81u << 20) + (0x1fu << 15) + (7u << 12));
	CHECK(acpi_mcfg_function_page(t, make_mcfg(t, split, 3),
				      (struct pci_bdf){ 2, 0, 1 }, &page));
	CHECK_EQ(page, 0xe0000000ull + (2u << 20) + (1u << 12));
	CHECK(!acpi_mcfg_function_page(t, make_mcfg(t, split, 2),
				       (struct pci_bdf){ 2, 0, 1 }, &page));
	CHECK(!acpi_mcfg_function_page(t, make_mcfg(t, wraps, 1),
				       (struct pci_bdf){ 0xff, 0, 0 }, &page));
	CHECK(!acpi_mcfg_function_page(t, MCFG_ENTRIES_OFFSET + MCFG_ENTRY_LEN - 1,
				       (struct pci_bdf){ 0, 5, 0 }, &page));
}

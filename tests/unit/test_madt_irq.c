/* arch/x86/madt_irq.c: ISA IRQ -> I/O APIC pin from MADT entries. */
#include "arch/x86/madt_irq.h"
#include "tests/unit/test.h"

#define MADT_ENTRIES 44
#define TABLE_MAX    256

static uint8_t madt[TABLE_MAX];
static uint32_t madt_len;

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void start(void)
{
	memset(madt, 0, sizeof(madt));
	madt_len = MADT_ENTRIES;
}

static void ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
	uint8_t *e = madt + madt_len;

	e[0] = 1;
	e[1] = 12;
	e[2] = id;
	put32(e + 4, address);
	put32(e + 8, gsi_base);
	madt_len += 12;
}

static void override(uint8_t source, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = madt + madt_len;

	e[0] = 2;
	e[1] = 10;
	e[2] = 0;               /* ISA */
	e[3] = source;
	put32(e + 4, gsi);
	put16(e + 8, flags);
	madt_len += 10;
}

static void local_apic(void)
{
	uint8_t *e = madt + madt_len;

	e[0] = 0;
	e[1] = 8;
	put32(e + 4, 1);
	madt_len += 8;
}

TEST(madt_irq_identity_without_override)
{
	struct madt_isa_route r;

	start();
	local_apic();
	ioapic(2, 0xfec00000u, 0);
	override(0, 2, 0);              /* the timer's, as firmware has it */
	CHECK(madt_isa_irq_route(madt, madt_len, 4, &r));
	CHECK(r.ioapic_found);
	CHECK(!r.overridden);
	CHECK_EQ(r.ioapic_id, 2);
	CHECK_EQ(r.ioapic_address, 0xfec00000u);
	CHECK_EQ(r.gsi, 4);
	CHECK_EQ(r.pin, 4);
	CHECK_EQ(r.inti_flags, 0);
}

TEST(madt_irq_override_and_second_ioapic)
{
	struct madt_isa_route r;

	start();
	ioapic(0, 0xfec00000u, 0);
	ioapic(1, 0xfec01000u, 24);
	override(4, 27, MADT_INTI_LOW_LEVEL | MADT_INTI_LOW_LEVEL << MADT_INTI_TRIGGER_SHIFT);
	CHECK(madt_isa_irq_route(madt, madt_len, 4, &r));
	CHECK(r.ioapic_found);
	CHECK(r.overridden);
	CHECK_EQ(r.ioapic_id, 1);
	CHECK_EQ(r.ioapic_address, 0xfec01000u);
	CHECK_EQ(r.gsi, 27);
	CHECK_EQ(r.gsi_base, 24);
	CHECK_EQ(r.pin, 3);
	CHECK_EQ(r.inti_flags, 0xf);
	/* The other IRQs keep their identity GSI on the first I/O APIC. */
	CHECK(madt_isa_irq_route(madt, madt_len, 3, &r));
	CHECK_EQ(r.ioapic_id, 0);
	CHECK_EQ(r.pin, 3);
}

TEST(madt_irq_no_ioapic)
{
	struct madt_isa_route r;

	start();
	local_apic();
	CHECK(madt_isa_irq_route(madt, madt_len, 4, &r));
	CHECK(!r.ioapic_found);
	CHECK_EQ(r.gsi, 4);
}

TEST(madt_irq_bad_lengths_refused)
{
	struct madt_isa_route r;

	start();
	ioapic(0, 0xfec00000u, 0);
	madt[MADT_ENTRIES + 1] = 0;             /* a zero length loops for ever */
	CHECK(!madt_isa_irq_route(madt, madt_len, 4, &r));
	start();
	ioapic(0, 0xfec00000u, 0);
	CHECK(!madt_isa_irq_route(madt, madt_len - 1, 4, &r));  /* runs past the end */
	CHECK(!madt_isa_irq_route(madt, MADT_ENTRIES - 1, 4, &r));
}

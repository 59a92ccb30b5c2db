/*
 * hv/view/pic_snoop.h: the vector base the guest gives its 8259A is
 * learnt from the initialization sequence, whichever words it includes.
 */
#include "hv/view/pic_snoop.h"
#include "tests/unit/test.h"

TEST(pic_snoop_linux_sequence)
{
	struct pic_snoop p = { 0 };

	pic_snoop_write(&p, true, 0xff);                /* OCW1 before init */
	CHECK(!p.programmed);
	pic_snoop_write(&p, false, 0x11);               /* ICW1: cascade, ICW4 */
	pic_snoop_write(&p, true, 0x30);                /* ICW2 */
	CHECK(p.programmed);
	CHECK_EQ(p.vector_base, 0x30);
	pic_snoop_write(&p, true, 0x04);                /* ICW3 */
	CHECK_EQ(p.state, PIC_WANT_ICW4);
	pic_snoop_write(&p, true, 0x01);                /* ICW4 */
	CHECK_EQ(p.state, PIC_READY);
	pic_snoop_write(&p, true, 0xfb);                /* OCW1 */
	CHECK_EQ(p.vector_base, 0x30);
	pic_snoop_write(&p, false, 0x20);               /* OCW2: EOI */
	CHECK_EQ(p.state, PIC_READY);
}

TEST(pic_snoop_single_without_icw4)
{
	struct pic_snoop p = { 0 };

	pic_snoop_write(&p, false, 0x12);               /* single, no ICW4 */
	pic_snoop_write(&p, true, 0x27);                /* low bits ignored */
	CHECK_EQ(p.vector_base, 0x20);
	CHECK_EQ(p.state, PIC_READY);
	pic_snoop_write(&p, true, 0x00);                /* OCW1, not ICW2 */
	CHECK_EQ(p.vector_base, 0x20);
}

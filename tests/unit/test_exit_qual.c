/* Tests of the exit-qualification decoders (hv/exit/qual.h) on values
 * built by hand from the SDM's layouts. */
#include "hv/exit/qual.h"
#include "tests/unit/test.h"

TEST(exit_qual_cr_access)
{
	/* MOV CR4, RBX */
	struct qual_cr q = qual_cr_decode(4 | (0 << 4) | (3 << 8));
	CHECK_EQ(q.cr, 4);
	CHECK_EQ(q.type, CR_ACCESS_MOV_TO_CR);
	CHECK_EQ(q.gpr, VMX_GPR_RBX);

	/* MOV R12, CR3 */
	q = qual_cr_decode(3 | (1 << 4) | (12 << 8));
	CHECK_EQ(q.cr, 3);
	CHECK_EQ(q.type, CR_ACCESS_MOV_FROM_CR);
	CHECK_EQ(q.gpr, VMX_GPR_R12);

	/* MOV CR8, R15 */
	q = qual_cr_decode(8 | (15 << 8));
	CHECK_EQ(q.cr, 8);
	CHECK_EQ(q.gpr, VMX_GPR_R15);

	q = qual_cr_decode(2 << 4);
	CHECK_EQ(q.type, CR_ACCESS_CLTS);

	/* LMSW from memory, source 0x0001 (set PE) */
	q = qual_cr_decode((3 << 4) | (1 << 6) | (0x0001ull << 16));
	CHECK_EQ(q.type, CR_ACCESS_LMSW);
	CHECK(q.lmsw_memory);
	CHECK_EQ(q.lmsw_data, 1);

	q = qual_cr_decode((3 << 4) | (0xfff1ull << 16) | (0xffffffffull << 32));
	CHECK(!q.lmsw_memory);
	CHECK_EQ(q.lmsw_data, 0xfff1);
}

TEST(exit_qual_mov_dr)
{
	struct qual_dr q = qual_dr_decode(7 | (1 << 4));   /* MOV RAX, DR7 */
	CHECK_EQ(q.dr, 7);
	CHECK(q.from_dr);
	CHECK_EQ(q.gpr, VMX_GPR_RAX);

	q = qual_dr_decode(0 | (15 << 8));                 /* MOV DR0, R15 */
	CHECK_EQ(q.dr, 0);
	CHECK(!q.from_dr);
	CHECK_EQ(q.gpr, VMX_GPR_R15);
}

TEST(exit_qual_io)
{
	struct qual_io q = qual_io_decode(0x03f8ull << 16);  /* OUT DX, AL */
	CHECK_EQ(q.size, 1);
	CHECK(!q.in && !q.string && !q.rep && !q.immediate);
	CHECK_EQ(q.port, 0x3f8);

	q = qual_io_decode(3 | (1 << 3) | (1 << 6) | (0x60ull << 16)); /* IN EAX, 0x60 */
	CHECK_EQ(q.size, 4);
	CHECK(q.in && q.immediate && !q.string);
	CHECK_EQ(q.port, 0x60);

	q = qual_io_decode(1 | (1 << 3) | (1 << 4) | (1 << 5) | (0x1f0ull << 16)); /* REP INSW */
	CHECK_EQ(q.size, 2);
	CHECK(q.in && q.string && q.rep && !q.immediate);
	CHECK_EQ(q.port, 0x1f0);

	q = qual_io_decode(0xffffull << 16);
	CHECK_EQ(q.port, 0xffff);
}

TEST(exit_qual_ept_violation)
{
	/* Write to a read/execute page, through a guest-linear address. */
	struct qual_ept q = qual_ept_decode(QUAL_EPT_WRITE | QUAL_EPT_READABLE |
					    QUAL_EPT_EXECUTABLE | QUAL_EPT_GLA_VALID |
					    QUAL_EPT_GLA_TRANSLATED);
	CHECK(q.write && !q.read && !q.fetch);
	CHECK(q.readable && !q.writable && q.executable);
	CHECK(q.gla_valid && q.gla_translated);
	CHECK(!q.nmi_unblocking);
	CHECK_EQ(QUAL_EPT_GLA_TRANSLATED, 0x100);
	CHECK_EQ(QUAL_EPT_NMI_UNBLOCKING, 0x1000);

	/* Fetch from a not-present page; bit 8 means nothing without bit 7. */
	q = qual_ept_decode(QUAL_EPT_FETCH | QUAL_EPT_GLA_TRANSLATED |
			    QUAL_EPT_NMI_UNBLOCKING);
	CHECK(q.fetch && !q.readable && !q.writable && !q.executable);
	CHECK(!q.gla_valid && !q.gla_translated);
	CHECK(q.nmi_unblocking);

	q = qual_ept_decode(0x181);   /* read during a guest page walk */
	CHECK(q.read && q.gla_valid && q.gla_translated);
	q = qual_ept_decode(0x81);
	CHECK(q.read && q.gla_valid && !q.gla_translated);
}

TEST(exit_qual_task_switch)
{
	struct qual_task_switch q = qual_task_switch_decode(0x40000028);
	CHECK_EQ(q.selector, 0x28);
	CHECK_EQ(q.source, TASK_SWITCH_IRET);

	q = qual_task_switch_decode(0xc0000030);
	CHECK_EQ(q.selector, 0x30);
	CHECK_EQ(q.source, TASK_SWITCH_IDT_GATE);

	q = qual_task_switch_decode(0x80000018);
	CHECK_EQ(q.source, TASK_SWITCH_JMP);
	q = qual_task_switch_decode(0x0000ffff);
	CHECK_EQ(q.source, TASK_SWITCH_CALL);
	CHECK_EQ(q.selector, 0xffff);
}

TEST(exit_qual_apic_access)
{
	struct qual_apic_access q = qual_apic_access_decode(0x10b0);  /* EOI write */
	CHECK_EQ(q.offset, 0xb0);
	CHECK_EQ(q.type, APIC_ACCESS_LINEAR_WRITE);
	q = qual_apic_access_decode(0xa300);
	CHECK_EQ(q.offset, 0x300);
	CHECK_EQ(q.type, APIC_ACCESS_PHYSICAL_EVENT);
}

TEST(exit_qual_interruption_info)
{
	/* #PF with error code. */
	struct intr_info i = intr_info_decode(0x80000b0e);
	CHECK(i.valid && i.error_code_valid && !i.nmi_unblocking);
	CHECK_EQ(i.vector, 14);
	CHECK_EQ(i.type, INTR_TYPE_HW_EXCEPTION);
	CHECK_EQ(intr_info_encode(14, INTR_TYPE_HW_EXCEPTION, true), 0x80000b0e);

	/* NMI that IRET had unblocked. */
	i = intr_info_decode(0x80001202);
	CHECK(i.valid && i.nmi_unblocking && !i.error_code_valid);
	CHECK_EQ(i.type, INTR_TYPE_NMI);
	CHECK_EQ(i.vector, 2);
	CHECK_EQ(intr_info_encode(2, INTR_TYPE_NMI, false), 0x80000202);

	/* External interrupt vector 0x30, and nothing valid. */
	i = intr_info_decode(0x80000030);
	CHECK_EQ(i.type, INTR_TYPE_EXT_INTR);
	CHECK_EQ(i.vector, 0x30);
	i = intr_info_decode(0);
	CHECK(!i.valid);
	CHECK_EQ(intr_info_encode(3, INTR_TYPE_SW_EXCEPTION, false), 0x80000603);
}

/* Tests of hv/exit/table.c: one row, name and handler per Table C-1 reason,
 * nothing for unused numbers.  The handlers are stubs generated from the
 * one list in hv/exit/handlers.h. */
#include "hv/exit/dispatch.h"
#include "hv/exit/handlers.h"
#include "hv/exit/reason.h"
#include "tests/unit/test.h"

#define EXIT_HANDLER_STUB(fn) \
	enum exit_action fn(struct vcpu *v, const struct vmexit *e) \
	{ (void)v; (void)e; return EXIT_RESUME; }
EXIT_HANDLER_LIST(EXIT_HANDLER_STUB)
#undef EXIT_HANDLER_STUB

/* Every basic reason of SDM Vol. 3 Table C-1 (the numbers of the table in
 * docs/vmx.md "Exit handling", plus the later editions' 76-79, 84, 85). */
static const uint32_t table_c1[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37,
	39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
	57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 72, 73, 74,
	75, 76, 77, 78, 79, 84, 85,
};
#define TABLE_C1_COUNT (sizeof(table_c1) / sizeof(table_c1[0]))

static bool in_table_c1(uint32_t r)
{
	for (size_t i = 0; i < TABLE_C1_COUNT; i++)
		if (table_c1[i] == r)
			return true;
	return false;
}

TEST(exit_table_every_reason_has_name_and_handler)
{
	for (size_t i = 0; i < TABLE_C1_COUNT; i++) {
		const struct exit_row *row = exit_row_of(table_c1[i]);
		CHECK(row != NULL);
		CHECK(row->name != NULL && row->name[0] != '\0');
		CHECK(row->handler != NULL);
		CHECK_STR(exit_reason_name(table_c1[i]), row->name);
	}
}

TEST(exit_table_unused_numbers_have_no_row)
{
	for (uint32_t r = 0; r <= EXIT_REASON_MAX + 16; r++) {
		CHECK_EQ(exit_row_of(r) != NULL, in_table_c1(r));
		CHECK_EQ(exit_reason_known(r), in_table_c1(r));
	}
	CHECK(exit_row_of(UINT32_MAX) == NULL);
	CHECK_STR(exit_reason_name(35), "unknown");
	CHECK_STR(exit_reason_name(0x10000), "unknown");
}

TEST(exit_table_policy_rows)
{
	/* The rows whose handler is part of the policy, not just a name. */
	CHECK(exit_row_of(EXIT_REASON_CPUID)->handler == handle_cpuid);
	CHECK(exit_row_of(EXIT_REASON_VMCALL)->handler == handle_vmcall);
	CHECK(exit_row_of(EXIT_REASON_INVD)->handler == handle_wbinvd);
	CHECK(exit_row_of(EXIT_REASON_GETSEC)->handler == inject_ud);
	for (uint32_t r = EXIT_REASON_VMCLEAR; r <= EXIT_REASON_VMXON; r++)
		CHECK(exit_row_of(r)->handler == inject_ud);
	CHECK(exit_row_of(EXIT_REASON_INVEPT)->handler == inject_ud);
	CHECK(exit_row_of(EXIT_REASON_INVVPID)->handler == inject_ud);
	CHECK(exit_row_of(EXIT_REASON_VMFUNC)->handler == inject_ud);
	CHECK(exit_row_of(EXIT_REASON_INVALID_GUEST_STATE)->handler == exit_entry_failure);
	CHECK(exit_row_of(EXIT_REASON_MSR_LOADING)->handler == exit_entry_failure);
	CHECK(exit_row_of(EXIT_REASON_MACHINE_CHECK)->handler == exit_entry_failure);
	CHECK(exit_row_of(EXIT_REASON_IO_SMI)->handler == exit_unexpected);
	CHECK(exit_row_of(EXIT_REASON_APIC_ACCESS)->handler == handle_apic_access);
	CHECK(exit_row_of(EXIT_REASON_APIC_WRITE)->handler == handle_apic_write);
	CHECK(exit_row_of(EXIT_REASON_VIRTUALIZED_EOI)->handler == handle_virtualized_eoi);
	CHECK(exit_row_of(EXIT_REASON_TPR_BELOW_THRESHOLD)->handler == exit_unexpected);
	CHECK(exit_row_of(EXIT_REASON_EPT_VIOLATION)->handler == handle_ept_violation);
}

TEST(exit_table_simple_column)
{
	/* Exactly the instruction exits whose handlers read no qualification,
	 * interruption or IDT-vectoring information and leave the guest's
	 * interruptibility alone (hv/exit/dispatch.c); nothing else, and no
	 * unused number. */
	static const uint32_t simple[] = {
		EXIT_REASON_CPUID, EXIT_REASON_RDMSR, EXIT_REASON_WRMSR,
		EXIT_REASON_VMCALL, EXIT_REASON_XSETBV, EXIT_REASON_RDTSC,
		EXIT_REASON_RDTSCP, EXIT_REASON_RDPMC, EXIT_REASON_INVD,
		EXIT_REASON_WBINVD,
	};
	uint32_t marked = 0;

	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		CHECK(exit_reason_simple(simple[i]));
	for (uint32_t r = 0; r <= EXIT_REASON_MAX + 1; r++)
		marked += exit_reason_simple(r);
	CHECK_EQ(marked, sizeof(simple) / sizeof(simple[0]));
	CHECK(!exit_reason_simple(EXIT_REASON_HLT));
	CHECK(!exit_reason_simple(EXIT_REASON_IO_INSTRUCTION));
	CHECK(!exit_reason_simple(EXIT_REASON_INVALID_GUEST_STATE));
	CHECK(!exit_reason_simple(UINT32_MAX));
}

TEST(exit_table_instruction_column)
{
	/* The instruction exits (hv/exit/dispatch.c): every simple one and
	 * the I/O instruction, nothing else. */
	uint32_t marked = 0;

	for (uint32_t r = 0; r <= EXIT_REASON_MAX + 1; r++) {
		if (exit_reason_simple(r))
			CHECK(exit_reason_instruction(r));
		marked += exit_reason_instruction(r) && !exit_reason_simple(r);
	}
	CHECK(exit_reason_instruction(EXIT_REASON_IO_INSTRUCTION));
	CHECK_EQ(marked, 1);
	CHECK(!exit_reason_instruction(EXIT_REASON_HLT));
	CHECK(!exit_reason_instruction(EXIT_REASON_EXCEPTION_NMI));
	CHECK(!exit_reason_instruction(EXIT_REASON_CR_ACCESS));
	CHECK(!exit_reason_instruction(UINT32_MAX));
}

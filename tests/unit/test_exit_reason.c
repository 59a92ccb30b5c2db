/* Tests of hv/exit/reason.h, the names in hv/exit/table.c and
 * hv/vmx/vm_instruction_error.c. */
#include "hv/exit/reason.h"
#include "hv/vmx/vm_instruction_error.h"
#include "tests/unit/test.h"

/* Every basic reason of SDM Vol. 3 Table C-1 (the numbers of the table in
 * docs/vmx.md "Exit handling", plus the later editions' 76-79, 84, 85). */
static const uint32_t table_c1[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37,
	39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
	57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 72, 73, 74,
	75, 76, 77, 78, 79, 84, 85,
};

TEST(exit_reason_every_table_c1_reason_named)
{
	for (size_t i = 0; i < sizeof(table_c1) / sizeof(table_c1[0]); i++) {
		CHECK(exit_reason_known(table_c1[i]));
		CHECK(strcmp(exit_reason_name(table_c1[i]), "unknown") != 0);
		CHECK(table_c1[i] <= EXIT_REASON_MAX);
	}
}

TEST(exit_reason_unused_numbers_unknown)
{
	int named = 0;

	for (uint32_t r = 0; r <= EXIT_REASON_MAX; r++)
		named += exit_reason_known(r);
	CHECK_EQ(named, sizeof(table_c1) / sizeof(table_c1[0]));
	CHECK_STR(exit_reason_name(35), "unknown");
	CHECK_STR(exit_reason_name(38), "unknown");
	CHECK_STR(exit_reason_name(42), "unknown");
	CHECK_STR(exit_reason_name(71), "unknown");
	CHECK_STR(exit_reason_name(EXIT_REASON_MAX + 1), "unknown");
	CHECK_STR(exit_reason_name(0xffff), "unknown");
	CHECK_STR(exit_reason_name(UINT32_MAX), "unknown");
}

TEST(exit_reason_names_match_sdm)
{
	CHECK_STR(exit_reason_name(EXIT_REASON_EXCEPTION_NMI), "exception or NMI");
	CHECK_STR(exit_reason_name(EXIT_REASON_EPT_VIOLATION), "EPT violation");
	CHECK_STR(exit_reason_name(EXIT_REASON_INVALID_GUEST_STATE),
		  "VM-entry failure due to invalid guest state");
	CHECK_STR(exit_reason_name(EXIT_REASON_IO_INSTRUCTION), "I/O instruction");
	CHECK_STR(exit_reason_name(EXIT_REASON_BUS_LOCK), "bus lock");
	CHECK_EQ(EXIT_REASON_HLT, 12);
	CHECK_EQ(EXIT_REASON_CR_ACCESS, 28);
	CHECK_EQ(EXIT_REASON_PREEMPTION_TIMER, 52);
	CHECK_EQ(EXIT_REASON_XSETBV, 55);
	CHECK_EQ(EXIT_REASON_INSTRUCTION_TIMEOUT, 75);
}

TEST(exit_reason_decode_fields)
{
	struct exit_reason r = exit_reason_decode(0x80000021u);

	CHECK_EQ(r.basic, EXIT_REASON_INVALID_GUEST_STATE);
	CHECK(r.entry_failure &&
	      !exit_reason_flag(&r, EXIT_REASON_PENDING_MTF) &&
	      !exit_reason_flag(&r, EXIT_REASON_ENCLAVE_MODE));

	r = exit_reason_decode(EXIT_REASON_EPT_VIOLATION);
	CHECK_EQ(r.basic, 48);
	CHECK(!r.entry_failure);

	r = exit_reason_decode(EXIT_REASON_PENDING_MTF | EXIT_REASON_ENCLAVE_MODE |
			       EXIT_REASON_BUS_LOCK_DETECTED | EXIT_REASON_FROM_VMX_ROOT |
			       EXIT_REASON_HLT);
	CHECK_EQ(r.basic, EXIT_REASON_HLT);
	CHECK(exit_reason_flag(&r, EXIT_REASON_PENDING_MTF) &&
	      exit_reason_flag(&r, EXIT_REASON_ENCLAVE_MODE) &&
	      exit_reason_flag(&r, EXIT_REASON_BUS_LOCK_DETECTED) &&
	      exit_reason_flag(&r, EXIT_REASON_FROM_VMX_ROOT) && !r.entry_failure);
}

TEST(vm_instruction_error_names)
{
	CHECK_STR(vm_instruction_error_name(VMXERR_ENTRY_INVALID_CONTROL_FIELD),
		  "VM entry with invalid control field(s)");
	CHECK_STR(vm_instruction_error_name(8),
		  "VM entry with invalid host-state field(s)");
	CHECK_STR(vm_instruction_error_name(28), "invalid operand to INVEPT/INVVPID");
	for (uint32_t e = 1; e <= VMXERR_MAX; e++) {
		bool unused = e == 14 || e == 21 || e == 27;
		bool unknown = strcmp(vm_instruction_error_name(e),
				      "unknown VM-instruction error") == 0;
		CHECK_EQ(unknown, unused);
	}
	CHECK_STR(vm_instruction_error_name(0), "unknown VM-instruction error");
	CHECK_STR(vm_instruction_error_name(29), "unknown VM-instruction error");
	CHECK_STR(vm_instruction_error_name(UINT32_MAX), "unknown VM-instruction error");
}

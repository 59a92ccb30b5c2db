/* Unit tests: how events are written to the VM-entry fields and combined
 * (hv/vcpu/event_rules.h). */
#include "hv/vcpu/event_rules.h"
#include "tests/unit/test.h"

static struct event hw(uint8_t vector)
{
	return (struct event){ .type = INTR_TYPE_HW_EXCEPTION, .vector = vector };
}

TEST(event_error_code_only_in_protected_mode)
{
	struct event e = event_hw_exception(EXC_GP, 0x18, true);

	CHECK(e.has_error_code);
	CHECK_EQ(e.error_code, 0x18);
	CHECK_EQ(event_entry_info(&e), INTR_INFO_VALID | INTR_INFO_ERROR_CODE_VALID |
		 (INTR_TYPE_HW_EXCEPTION << INTR_INFO_TYPE_SHIFT) | EXC_GP);
	e = event_hw_exception(EXC_GP, 0x18, false);        /* real mode */
	CHECK(!e.has_error_code);
	CHECK_EQ(event_entry_info(&e) & INTR_INFO_ERROR_CODE_VALID, 0);
	e = event_hw_exception(EXC_UD, 0x18, true);         /* #UD has none */
	CHECK(!e.has_error_code);
	for (unsigned int v = 0; v <= EXC_LAST; v++)
		CHECK_EQ(event_exception_has_error_code((uint8_t)v),
			 v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21);
}

TEST(event_length_only_for_software_events)
{
	CHECK(event_needs_length(INTR_TYPE_SW_INTR));
	CHECK(event_needs_length(INTR_TYPE_SW_EXCEPTION));
	CHECK(event_needs_length(INTR_TYPE_PRIV_SW_EXCEPTION));
	CHECK(!event_needs_length(INTR_TYPE_HW_EXCEPTION));
	CHECK(!event_needs_length(INTR_TYPE_EXT_INTR));
	CHECK(!event_needs_length(INTR_TYPE_NMI));
}

TEST(event_rf_for_faults_only)
{
	struct event e;
	static const uint8_t faults[] = { EXC_DE, EXC_UD, 7, EXC_TS, EXC_NP,
					  EXC_SS, EXC_GP, EXC_PF, 16, EXC_AC,
					  19, 20, EXC_CP };
	static const uint8_t not_faults[] = { EXC_DB, EXC_NMI, EXC_BP, EXC_OF,
					      EXC_DF, EXC_MC };

	for (unsigned int i = 0; i < sizeof(faults); i++) {
		e = hw(faults[i]);
		CHECK(event_sets_rf(&e));
	}
	for (unsigned int i = 0; i < sizeof(not_faults); i++) {
		e = hw(not_faults[i]);
		CHECK(!event_sets_rf(&e));
	}
	e = (struct event){ .type = INTR_TYPE_EXT_INTR, .vector = EXC_GP };
	CHECK(!event_sets_rf(&e));
	e = (struct event){ .type = INTR_TYPE_SW_INTR, .vector = EXC_GP };
	CHECK(!event_sets_rf(&e));
	e = (struct event){ .type = INTR_TYPE_NMI, .vector = EXC_NMI };
	CHECK(!event_sets_rf(&e));
}

/* The SDM's table, all four rows and the #DF row. */
TEST(event_double_fault_table)
{
	struct event gp = hw(EXC_GP), pf = hw(EXC_PF), ud = hw(EXC_UD),
		     df = hw(EXC_DF), de = hw(EXC_DE);
	struct event irq = { .type = INTR_TYPE_EXT_INTR, .vector = 0x30 };
	struct event nmi = { .type = INTR_TYPE_NMI, .vector = EXC_NMI };
	struct event intn = { .type = INTR_TYPE_SW_INTR, .vector = 0x80 };

	CHECK_EQ(event_combine(&gp, EXC_NP), EVENT_DOUBLE_FAULT);
	CHECK_EQ(event_combine(&de, EXC_GP), EVENT_DOUBLE_FAULT);
	CHECK_EQ(event_combine(&gp, EXC_PF), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&pf, EXC_PF), EVENT_DOUBLE_FAULT);
	CHECK_EQ(event_combine(&pf, EXC_GP), EVENT_DOUBLE_FAULT);
	CHECK_EQ(event_combine(&pf, EXC_UD), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&ud, EXC_GP), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&ud, EXC_PF), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&gp, EXC_UD), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&df, EXC_GP), EVENT_TRIPLE_FAULT);
	CHECK_EQ(event_combine(&df, EXC_PF), EVENT_TRIPLE_FAULT);
	CHECK_EQ(event_combine(&df, EXC_UD), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&irq, EXC_PF), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&nmi, EXC_GP), EVENT_SECOND_SERIAL);
	CHECK_EQ(event_combine(&intn, EXC_GP), EVENT_SECOND_SERIAL);
}

TEST(event_leftover_8259_vector)
{
	CHECK(!event_ext_vector_leftover(8, false));     /* real mode: IVT 8 */
	CHECK(event_ext_vector_leftover(8, true));
	CHECK(event_ext_vector_leftover(EXC_LAST, true));
	CHECK(!event_ext_vector_leftover(0x20, true));
}

/* Tests of the MSR default-deny policy (hv/view/msr_policy.c), the guest's
 * shadow MTRRs (hv/view/mtrr_view.c) and the allow-list in docs/vmx.md. */
#include <stdlib.h>

#include "hv/view/msr_policy.h"
#include "hv/view/mtrr_view.h"
#include "tests/unit/test.h"

#define DOC_PATH "docs/vmx.md"
#define DOC_LINE_MAX 512

static const struct msr_features all_features = {
	.pat_ctls = true, .spec_ctrl = true, .ibpb = true, .l1d_flush = true,
};
static const struct msr_features no_features = { 0 };

/* MSRs that must never pass through: the host depends on them, they write
 * memory behind the EPT's back, or a later issue virtualises them. */
static const struct { uint32_t first, last; } sensitive[] = {
	{ IA32_APIC_BASE, IA32_APIC_BASE },          /* moves the xAPIC window */
	{ IA32_FEATURE_CONTROL, IA32_FEATURE_CONTROL },
	{ IA32_BIOS_UPDT_TRIG, IA32_BIOS_UPDT_TRIG },
	{ IA32_PMC0, IA32_PMC7 },
	{ IA32_MTRRCAP, IA32_MTRRCAP },
	{ IA32_MCG_CAP, IA32_MCG_CTL },
	{ IA32_PERFEVTSEL0, IA32_PERFEVTSEL7 },
	{ IA32_MISC_ENABLE, IA32_MISC_ENABLE },
	{ IA32_MTRR_PHYSBASE0, MTRR_PHYSMASK_LAST },
	{ IA32_MTRR_FIX64K_00000, IA32_MTRR_FIX4K_F8000 },
	{ IA32_MC0_CTL2, IA32_MC31_CTL2 },
	{ IA32_MTRR_DEF_TYPE, IA32_MTRR_DEF_TYPE },
	{ IA32_FIXED_CTR0, IA32_FIXED_CTR3 },
	{ IA32_PERF_CAPABILITIES, IA32_PERF_CAPABILITIES },
	{ IA32_FIXED_CTR_CTRL, IA32_PERF_GLOBAL_INUSE },
	{ IA32_PEBS_ENABLE, IA32_PEBS_ENABLE },
	{ IA32_MC0_CTL, IA32_MC31_MISC },
	{ IA32_VMX_BASIC, IA32_VMX_PROCBASED_CTLS3 },
	{ IA32_A_PMC0, IA32_A_PMC7 },
	{ IA32_RTIT_OUTPUT_BASE, IA32_RTIT_ADDR3_B },
	{ IA32_DS_AREA, IA32_DS_AREA },
	{ IA32_TSC_DEADLINE, IA32_TSC_DEADLINE },
	{ IA32_X2APIC_FIRST, IA32_X2APIC_LAST },
};

/* The PMU, PT (RTIT), DS and PEBS families: denied, never to hardware. */
static const struct { uint32_t first, last; } trace_and_pmu[] = {
	{ IA32_PMC0, IA32_PMC7 },
	{ IA32_PERFEVTSEL0, IA32_PERFEVTSEL7 },
	{ IA32_FIXED_CTR0, IA32_FIXED_CTR3 },
	{ IA32_PERF_CAPABILITIES, IA32_PERF_CAPABILITIES },
	{ IA32_FIXED_CTR_CTRL, IA32_PERF_GLOBAL_INUSE },
	{ IA32_PEBS_ENABLE, IA32_PEBS_ENABLE },
	{ IA32_A_PMC0, IA32_A_PMC7 },
	{ IA32_RTIT_OUTPUT_BASE, IA32_RTIT_ADDR3_B },
	{ IA32_DS_AREA, IA32_DS_AREA },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Sorted, non-empty rows with a reason and a name. */
static int table_ok(const struct msr_range *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!t[i].why || !t[i].why[0] || !t[i].name || !t[i].name[0] ||
		    t[i].first > t[i].last || !(t[i].read || t[i].write))
			return 0;
		if (i > 0 && t[i].first <= t[i - 1].last)
			return 0;
	}
	return 1;
}

TEST(msr_tables_have_reasons_and_no_overlap)
{
	CHECK(msr_passthrough_count > 0 && msr_to_hardware_count > 0);
	CHECK(table_ok(msr_passthrough, msr_passthrough_count));
	CHECK(table_ok(msr_to_hardware, msr_to_hardware_count));
	for (size_t i = 0; i < msr_to_hardware_count; i++) {
		const struct msr_range *h = &msr_to_hardware[i];
		for (size_t j = 0; j < msr_passthrough_count; j++) {
			const struct msr_range *p = &msr_passthrough[j];
			if (h->first <= p->last && p->first <= h->last)
				test_fail(__FILE__, __LINE__, "%s in both tables",
					  h->name);
		}
		CHECK_EQ(h->cond, MSR_ALWAYS);
	}
}

TEST(msr_sensitive_never_pass_through)
{
	for (size_t i = 0; i < N(sensitive); i++)
		for (uint32_t m = sensitive[i].first; m <= sensitive[i].last; m++)
			for (int w = 0; w < 2; w++)
				if (msr_passes_through(&all_features, m, w))
					return test_fail(__FILE__, __LINE__,
						"MSR %#x passes through", m);
	/* Written only through an exit: the TSC and DEBUGCTL (BTS bits). */
	CHECK(!msr_passes_through(&all_features, IA32_TIME_STAMP_COUNTER, true));
	CHECK(!msr_passes_through(&all_features, IA32_DEBUGCTL, true));
	CHECK(msr_passes_through(&all_features, IA32_DEBUGCTL, false));
}

TEST(msr_pmu_pt_ds_denied)
{
	for (size_t i = 0; i < N(trace_and_pmu); i++)
		for (uint32_t m = trace_and_pmu[i].first; m <= trace_and_pmu[i].last; m++)
			for (int w = 0; w < 2; w++)
				if (msr_route_of(m, w, true) != MSR_ROUTE_DENY)
					return test_fail(__FILE__, __LINE__,
						"MSR %#x is not denied", m);
}

TEST(msr_conditional_rows)
{
	CHECK(msr_passes_through(&all_features, IA32_SPEC_CTRL, true));
	CHECK(!msr_passes_through(&no_features, IA32_SPEC_CTRL, true));
	CHECK(!msr_passes_through(&no_features, IA32_SPEC_CTRL, false));
	CHECK(msr_passes_through(&all_features, IA32_PRED_CMD, true));
	CHECK(!msr_passes_through(&all_features, IA32_PRED_CMD, false));
	CHECK(!msr_passes_through(&no_features, IA32_PRED_CMD, true));
	CHECK(!msr_passes_through(&no_features, IA32_FLUSH_CMD, true));
	CHECK(msr_passes_through(&all_features, IA32_PAT, true));
	CHECK(!msr_passes_through(&no_features, IA32_PAT, true));
	CHECK(msr_passes_through(&no_features, IA32_KERNEL_GS_BASE, true));
	CHECK(msr_passes_through(&no_features, IA32_TIME_STAMP_COUNTER, false));
}

/* Every bit of the built bitmap is the complement of msr_passes_through(),
 * and the bitmap has exactly as many clear bits as the rows allow. */
static void check_bitmap(const struct msr_features *f)
{
	static uint8_t bitmap[MSR_BITMAP_SIZE];
	static const uint32_t bases[] = { 0, MSR_HIGH_FIRST };
	unsigned clear = 0, expected = 0;

	msr_bitmap_build(f, bitmap);
	for (size_t b = 0; b < N(bases); b++)
		for (uint32_t m = bases[b]; m <= bases[b] + MSR_LOW_LAST; m++)
			for (int w = 0; w < 2; w++) {
				uint32_t byte;
				uint8_t bit;

				CHECK(msr_bitmap_position(m, &byte, &bit));
				byte += w ? MSR_BITMAP_WRITE_OFFSET : 0;
				CHECK(byte < MSR_BITMAP_SIZE);
				int exits = (bitmap[byte] >> bit) & 1;
				if (exits == msr_passes_through(f, m, w))
					return test_fail(__FILE__, __LINE__,
						"MSR %#x %s: bitmap disagrees", m,
						w ? "write" : "read");
				clear += !exits;
			}
	for (size_t i = 0; i < msr_passthrough_count; i++) {
		const struct msr_range *r = &msr_passthrough[i];
		if (f == &all_features || r->cond == MSR_ALWAYS)
			expected += (r->last - r->first + 1) * (r->read + r->write);
	}
	CHECK_EQ(clear, expected);
}

TEST(msr_bitmap_is_complement_of_allow_list)
{
	check_bitmap(&all_features);
	check_bitmap(&no_features);
}

TEST(msr_bitmap_layout)
{
	uint32_t byte;
	uint8_t bit;

	CHECK(msr_bitmap_position(IA32_KERNEL_GS_BASE, &byte, &bit));
	CHECK_EQ(byte, MSR_BITMAP_HIGH_OFFSET + 0x102 / 8);
	CHECK_EQ(bit, 0x102 % 8);
	CHECK(msr_bitmap_position(IA32_APIC_BASE, &byte, &bit));
	CHECK_EQ(byte, 3);
	CHECK_EQ(bit, 3);
	CHECK(!msr_bitmap_position(0x2000, &byte, &bit));
	CHECK(!msr_bitmap_position(0xc0002000, &byte, &bit));
}

TEST(msr_special_routes)
{
	for (int w = 0; w < 2; w++) {
		CHECK_EQ(msr_route_of(IA32_APIC_BASE, w, true), MSR_ROUTE_VLAPIC);
		CHECK_EQ(msr_route_of(IA32_BIOS_UPDT_TRIG, w, true), MSR_ROUTE_BIOS_UPDT_TRIG);
		CHECK_EQ(msr_route_of(IA32_MISC_ENABLE, w, true), MSR_ROUTE_MISC_ENABLE);
		CHECK_EQ(msr_route_of(IA32_MCG_CAP, w, true), MSR_ROUTE_MACHINE_CHECK);
		CHECK_EQ(msr_route_of(IA32_MC0_STATUS, w, true), MSR_ROUTE_MACHINE_CHECK);
		CHECK_EQ(msr_route_of(IA32_MC0_CTL2, w, true), MSR_ROUTE_MACHINE_CHECK);
		CHECK_EQ(msr_route_of(IA32_MTRRCAP, w, true), MSR_ROUTE_MTRR);
		CHECK_EQ(msr_route_of(IA32_MTRR_DEF_TYPE, w, true), MSR_ROUTE_MTRR);
		CHECK_EQ(msr_route_of(IA32_MTRR_PHYSMASK0 + 18, w, true), MSR_ROUTE_MTRR);
		CHECK_EQ(msr_route_of(IA32_MTRR_FIX4K_C0000, w, true), MSR_ROUTE_MTRR);
		CHECK_EQ(msr_route_of(IA32_X2APIC_FIRST + 0x30, w, true), MSR_ROUTE_VLAPIC);
		CHECK_EQ(msr_route_of(IA32_X2APIC_FIRST, w, true), MSR_ROUTE_VLAPIC);
		CHECK_EQ(msr_route_of(IA32_X2APIC_LAST, w, true), MSR_ROUTE_VLAPIC);
		CHECK_EQ(msr_route_of(IA32_TSC_DEADLINE, w, true), MSR_ROUTE_VLAPIC);
		CHECK_EQ(msr_route_of(IA32_BIOS_SIGN_ID, w, true), MSR_ROUTE_HARDWARE);
		CHECK_EQ(msr_route_of(IA32_SPEC_CTRL, w, true), MSR_ROUTE_HARDWARE);
		CHECK_EQ(msr_route_of(IA32_DEBUGCTL, w, true), MSR_ROUTE_VMCS);
		CHECK_EQ(msr_route_of(0x1f2, w, true), MSR_ROUTE_DENY);   /* SMRR */
	}
	CHECK_EQ(msr_route_of(IA32_TIME_STAMP_COUNTER, false, true), MSR_ROUTE_HARDWARE);
	CHECK_EQ(msr_route_of(IA32_TIME_STAMP_COUNTER, true, true), MSR_ROUTE_DENY);
	CHECK_EQ(msr_route_of(IA32_ARCH_CAPABILITIES, true, true), MSR_ROUTE_DENY);
	CHECK_EQ(msr_route_of(IA32_PRED_CMD, false, true), MSR_ROUTE_DENY);
}

TEST(msr_misc_enable_write_rules)
{
	const uint64_t view = MISC_ENABLE_GUEST_SET | MISC_ENABLE_XD_DISABLE |
			      MISC_ENABLE_LIMIT_CPUID_MAXVAL | 1;
	uint64_t clear = 1, set = 1;

	CHECK(misc_enable_write_allowed(view, view, &clear, &set));
	CHECK_EQ(clear | set, 0);
	CHECK(misc_enable_write_allowed(view, view & ~MISC_ENABLE_XD_DISABLE,
					&clear, &set));
	CHECK_EQ(clear, MISC_ENABLE_XD_DISABLE);
	CHECK(misc_enable_write_allowed(view, view & ~MISC_ENABLE_GUEST_CLEARABLE,
					&clear, &set));
	CHECK_EQ(clear, MISC_ENABLE_GUEST_CLEARABLE);
	/* Linux's intel_init_thermal(): read, then write with TM1 set. */
	CHECK(misc_enable_write_allowed(view, view | MISC_ENABLE_TM1, &clear, &set));
	CHECK_EQ(clear, 0);
	CHECK_EQ(set, MISC_ENABLE_TM1);
	CHECK(!misc_enable_write_allowed(view | MISC_ENABLE_TM1, view, &clear, &set));
	CHECK(!misc_enable_write_allowed(view, view & ~1ull, &clear, &set));
	CHECK(!misc_enable_write_allowed(view, view & ~MISC_ENABLE_BTS_UNAVAILABLE,
					 &clear, &set));
	/* Setting XD disable or the CPUID limit is not allowed either. */
	CHECK(!misc_enable_write_allowed(0, MISC_ENABLE_XD_DISABLE, &clear, &set));
	CHECK(!misc_enable_write_allowed(0, MISC_ENABLE_LIMIT_CPUID_MAXVAL, &clear,
					 &set));
}

TEST(msr_machine_check_no_banks)
{
	uint64_t v = 1;

	CHECK(machine_check_read(IA32_MCG_CAP, &v));
	CHECK_EQ(v, 0);
	v = 1;
	CHECK(machine_check_read(IA32_MCG_STATUS, &v));
	CHECK_EQ(v, 0);
	CHECK(!machine_check_read(IA32_MCG_CTL, &v));
	CHECK(!machine_check_read(IA32_MC0_CTL, &v));
	CHECK(!machine_check_read(IA32_MC0_CTL2, &v));
	CHECK(machine_check_write(IA32_MCG_STATUS, 0));
	CHECK(!machine_check_write(IA32_MCG_STATUS, 4));
	CHECK(!machine_check_write(IA32_MCG_CAP, 0));
	CHECK(!machine_check_write(IA32_MC0_STATUS, 0));
}

TEST(msr_deny_log_is_rate_limited)
{
	uint32_t used = 0;
	unsigned logged = 0;

	for (int i = 0; i < 1000; i++)
		logged += msr_deny_log_take(&used);
	CHECK_EQ(logged, MSR_DENY_LOG_LIMIT);
	CHECK_EQ(used, MSR_DENY_LOG_LIMIT);
}

/* A CPU with 8 variable ranges, fixed ranges, WC, MAXPHYADDR 36. */
static struct mtrr_view sample_view(void)
{
	struct mtrr_view m = {
		.ready = true, .present = true,
		.cap = 8 | MTRRCAP_FIX | MTRRCAP_WC,
		.def_type = MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MEMTYPE_UC,
		.phys_mask = (1ull << 36) - 1,
	};
	m.fixed[0] = 0x0606060606060606ull;
	m.var[0] = 0x80000000ull | MEMTYPE_UC;
	m.var[1] = 0xf80000000ull | MTRR_PHYSMASK_VALID;
	return m;
}

TEST(mtrr_view_owns_the_mtrrs)
{
	CHECK(mtrr_view_owns(IA32_MTRRCAP));
	CHECK(mtrr_view_owns(IA32_MTRR_DEF_TYPE));
	CHECK(mtrr_view_owns(IA32_MTRR_FIX64K_00000));
	CHECK(mtrr_view_owns(IA32_MTRR_FIX16K_80000));
	CHECK(mtrr_view_owns(IA32_MTRR_FIX16K_A0000));
	for (uint32_t m = IA32_MTRR_FIX4K_C0000; m <= IA32_MTRR_FIX4K_F8000; m++)
		CHECK(mtrr_view_owns(m));
	for (uint32_t m = IA32_MTRR_PHYSBASE0; m <= MTRR_PHYSMASK_LAST; m++)
		CHECK(mtrr_view_owns(m));
	CHECK(!mtrr_view_owns(MTRR_PHYSMASK_LAST + 1));
	CHECK(!mtrr_view_owns(IA32_MTRR_FIX64K_00000 + 1));
	CHECK(!mtrr_view_owns(IA32_MTRR_FIX4K_C0000 - 1));
	CHECK(!mtrr_view_owns(0x1f2));
}

TEST(mtrr_view_reads_the_shadow)
{
	struct mtrr_view m = sample_view();
	uint64_t v;

	CHECK(mtrr_view_read(&m, IA32_MTRRCAP, &v));
	CHECK_EQ(v, 8 | MTRRCAP_FIX | MTRRCAP_WC);
	CHECK(mtrr_view_read(&m, IA32_MTRR_FIX64K_00000, &v));
	CHECK_EQ(v, 0x0606060606060606ull);
	CHECK(mtrr_view_read(&m, IA32_MTRR_PHYSMASK0, &v));
	CHECK_EQ(v, 0xf80000000ull | MTRR_PHYSMASK_VALID);
	CHECK(mtrr_view_read(&m, IA32_MTRR_PHYSMASK0 + 14, &v));   /* range 7 */
	CHECK(!mtrr_view_read(&m, IA32_MTRR_PHYSBASE0 + 16, &v));  /* range 8 */
	m.cap &= ~MTRRCAP_FIX;
	CHECK(!mtrr_view_read(&m, IA32_MTRR_FIX4K_F8000, &v));
	m.present = false;
	CHECK(!mtrr_view_read(&m, IA32_MTRRCAP, &v));
}

TEST(mtrr_view_write_rules)
{
	struct mtrr_view m = sample_view();
	uint64_t v;

	CHECK(mtrr_view_write(&m, IA32_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MEMTYPE_WB));
	CHECK(mtrr_view_read(&m, IA32_MTRR_DEF_TYPE, &v));
	CHECK_EQ(v, MTRR_DEF_TYPE_E | MEMTYPE_WB);
	CHECK(!mtrr_view_write(&m, IA32_MTRR_DEF_TYPE, MEMTYPE_WB | (1ull << 9)));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_DEF_TYPE, 2));          /* reserved type */
	CHECK(!mtrr_view_write(&m, IA32_MTRR_DEF_TYPE, 7));          /* UC- is PAT only */
	CHECK(!mtrr_view_write(&m, IA32_MTRRCAP, 8));
	CHECK(mtrr_view_write(&m, IA32_MTRR_FIX16K_A0000, 0x0101010100000000ull));
	CHECK(mtrr_view_read(&m, IA32_MTRR_FIX16K_A0000, &v));
	CHECK_EQ(v, 0x0101010100000000ull);
	CHECK(!mtrr_view_write(&m, IA32_MTRR_FIX16K_A0000, 0x0300000000000000ull));
	CHECK(mtrr_view_write(&m, IA32_MTRR_PHYSBASE0 + 2, 0xc0000000ull | MEMTYPE_WC));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSBASE0 + 2, 0xc0000000ull | 0x100));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSBASE0 + 2, (1ull << 36) | MEMTYPE_WB));
	CHECK(mtrr_view_write(&m, IA32_MTRR_PHYSMASK0 + 2, 0xfc0000000ull | MTRR_PHYSMASK_VALID));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSMASK0 + 2, 0xfc0000000ull | 1));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSMASK0 + 2, 1ull << 40));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSBASE0 + 16, MEMTYPE_WB)); /* range 8 */
	m.cap &= ~MTRRCAP_WC;
	CHECK(!mtrr_view_write(&m, IA32_MTRR_PHYSBASE0 + 2, 0xc0000000ull | MEMTYPE_WC));
	CHECK(!mtrr_view_write(&m, IA32_MTRR_DEF_TYPE, MEMTYPE_WC));
}

/* ---- docs/vmx.md carries both tables, row for row -------------------- */

static void doc_row(const struct msr_range *r, char *out, size_t size)
{
	char range[32];

	if (r->first == r->last)
		snprintf(range, sizeof(range), "%#x", r->first);
	else
		snprintf(range, sizeof(range), "%#x-%#x", r->first, r->last);
	snprintf(out, size, "| %s | %s | %s | %s | %s |", r->name, range,
		 r->read && r->write ? "RDMSR, WRMSR" : r->read ? "RDMSR" : "WRMSR",
		 msr_cond_name(r->cond), r->why);
}

/* Count lines of the doc equal to row (after trimming the newline). */
static int doc_count(FILE *f, const char *row)
{
	char line[DOC_LINE_MAX];
	int n = 0;

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		n += strcmp(line, row) == 0;
	}
	return n;
}

/* Lines of the doc shaped like a row of either table: "| IA32_" and an
 * access column. */
static int doc_rows(FILE *f)
{
	static const char *const access[] = {
		" | RDMSR, WRMSR | ", " | RDMSR | ", " | WRMSR | ",
	};
	char line[DOC_LINE_MAX];
	int n = 0;

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "| IA32_", 7) != 0)
			continue;
		for (size_t i = 0; i < N(access); i++)
			if (strstr(line, access[i])) {
				n++;
				break;
			}
	}
	return n;
}

static void check_doc_table(FILE *f, const struct msr_range *t, size_t n)
{
	char row[DOC_LINE_MAX];

	for (size_t i = 0; i < n; i++) {
		doc_row(&t[i], row, sizeof(row));
		if (doc_count(f, row) != 1)
			return test_fail(__FILE__, __LINE__,
				"%s needs this row once:\n%s", DOC_PATH, row);
	}
}

TEST(msr_tables_match_docs)
{
	FILE *f = fopen(DOC_PATH, "r");

	if (!f)
		return test_fail(__FILE__, __LINE__, "cannot open %s (run from "
				 "the repository root)", DOC_PATH);
	check_doc_table(f, msr_passthrough, msr_passthrough_count);
	check_doc_table(f, msr_to_hardware, msr_to_hardware_count);
	/* No stale rows: every row-shaped line is one of the above. */
	int stale = doc_rows(f) -
		    (int)(msr_passthrough_count + msr_to_hardware_count);
	fclose(f);
	CHECK_EQ(stale, 0);
}

TEST(mtrr_view_state_unpacks_the_shadow)
{
	struct mtrr_view m = sample_view();
	struct mtrr_state s;

	m.fixed[MTRR_FIXED_MSRS - 1] = 0x0500000000000004ull;
	mtrr_view_state(&m, &s);
	CHECK(s.present && s.enabled && s.fixed_enabled);
	CHECK_EQ(s.default_type, MEMTYPE_UC);
	CHECK_EQ(s.var_count, 8);
	CHECK_EQ(s.fixed[0], MEMTYPE_WB);
	CHECK_EQ(s.fixed[MTRR_FIXED_COUNT - 8], MEMTYPE_WT);
	CHECK_EQ(s.fixed[MTRR_FIXED_COUNT - 1], MEMTYPE_WP);
	CHECK_EQ(s.var[0].base, 0x80000000ull | MEMTYPE_UC);
	CHECK_EQ(s.var[0].mask, 0xf80000000ull | MTRR_PHYSMASK_VALID);
	CHECK_EQ(s.addr_mask, (1ull << 36) - 1);
	/* The guest's view decides the types: 0-1 MiB from the fixed ranges,
	 * 2-4 GiB UC by range 0, the default elsewhere. */
	CHECK_EQ(mtrr_range_type(&s, 0, 0x10000), MEMTYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0x80000000ull, 0x1000), MEMTYPE_UC);
	m.def_type &= ~MTRR_DEF_TYPE_E;
	mtrr_view_state(&m, &s);
	CHECK(!s.enabled);
	CHECK_EQ(mtrr_range_type(&s, 0, 0x10000), MEMTYPE_UC);
	m.cap &= ~MTRRCAP_FIX;
	m.def_type |= MTRR_DEF_TYPE_E;
	mtrr_view_state(&m, &s);
	CHECK(s.enabled && !s.fixed_enabled);
}

TEST(mtrr_view_types_changed_when_it_matters)
{
	struct mtrr_view a = sample_view(), b = a;

	CHECK(!mtrr_view_types_changed(&a, &b));
	b.var[2] = 0x1000000ull | MEMTYPE_WT;   /* range 1 not valid: no */
	CHECK(!mtrr_view_types_changed(&a, &b));
	b.var[3] = 0xfff000000ull | MTRR_PHYSMASK_VALID;  /* valid: matters */
	CHECK(mtrr_view_types_changed(&a, &b));
	CHECK(mtrr_view_types_changed(&b, &a));         /* invalidated */
	b = a;
	b.var[0] = 0x40000000ull | MEMTYPE_UC;          /* valid range moved */
	CHECK(mtrr_view_types_changed(&a, &b));
	b = a;
	b.fixed[3] = 0x0404040404040404ull;             /* FE set: matters */
	CHECK(mtrr_view_types_changed(&a, &b));
	b = a;
	b.def_type = MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | MEMTYPE_WB;
	CHECK(mtrr_view_types_changed(&a, &b));
	b.def_type = MTRR_DEF_TYPE_FE | MEMTYPE_UC;     /* E off: all UC now */
	CHECK(mtrr_view_types_changed(&a, &b));
	CHECK(mtrr_view_types_changed(&b, &a));         /* and back on */
	/* Off: ranges and the default type change nothing (all is UC). */
	a = b;
	b.var[2] = 0x1000000ull | MEMTYPE_WT;
	b.fixed[3] = 0x0404040404040404ull;
	b.def_type = MEMTYPE_WB;
	CHECK(!mtrr_view_types_changed(&a, &b));
	/* Fixed ranges off (FE clear): their changes change nothing. */
	a = sample_view();
	a.def_type &= ~MTRR_DEF_TYPE_FE;
	b = a;
	b.fixed[3] = 0x0404040404040404ull;
	CHECK(!mtrr_view_types_changed(&a, &b));
}

/* Default-deny refusals are kept for one summary line: distinct MSRs up to
 * MSR_DENIED_KEPT with how they were refused, the rest only counted. */
TEST(msr_denied_summary_record)
{
	struct msr_denied d = { 0 };

	msr_denied_record(&d, 0x140, false);
	msr_denied_record(&d, 0x140, true);
	msr_denied_record(&d, 0x4e, false);
	CHECK_EQ(d.total, 3);
	CHECK_EQ(d.kept, 2);
	CHECK(d.msr[0].msr == 0x140 && d.msr[0].read && d.msr[0].write);
	CHECK(d.msr[1].msr == 0x4e && d.msr[1].read && !d.msr[1].write);
	for (uint32_t m = 0x1000; m < 0x1000 + MSR_DENIED_KEPT; m++)
		msr_denied_record(&d, m, false);
	CHECK_EQ(d.kept, MSR_DENIED_KEPT);
	CHECK_EQ(d.others, 2);
	CHECK_EQ(d.total, 3 + MSR_DENIED_KEPT);
}

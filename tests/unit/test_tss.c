/* Tests of the pure task-switch rules (hv/exit/tss.c): TSS images,
 * descriptor decoding, and the checks and effects the SDM's "Task
 * Switching" tables list, on descriptors built by hand. */
#include "hv/exit/tss.h"
#include "tests/unit/test.h"

/* A descriptor from its fields (SDM "Segment Descriptors" layout). */
static uint64_t desc(uint32_t base, uint32_t limit, uint8_t type, bool s,
		     uint8_t dpl, bool p, bool db, bool g)
{
	return (limit & 0xffffull) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
	       ((uint64_t)(base & 0xffffff) << 16) | ((uint64_t)(base >> 24) << 56) |
	       ((uint64_t)type << 40) | ((uint64_t)s << 44) | ((uint64_t)dpl << 45) |
	       ((uint64_t)p << 47) | ((uint64_t)db << 54) | ((uint64_t)g << 55);
}

static struct seg_desc dec(uint64_t raw)
{
	return desc_decode(raw);
}

TEST(tss_desc_decode)
{
	/* A flat 4 GiB code segment: limit scaled by G. */
	struct seg_desc d = dec(0x00cf9a000000ffffull);
	CHECK_EQ(d.base, 0);
	CHECK_EQ(d.limit, 0xffffffffu);
	CHECK_EQ(d.type, 0xa);
	CHECK(d.s && d.p && d.db && d.g && !d.l);
	CHECK_EQ(d.dpl, 0);
	CHECK_EQ(desc_vmx_ar(0x00cf9a000000ffffull), 0xc09a);

	/* A 32-bit available TSS at 0x12345678, limit 0x67, DPL 3. */
	d = dec(desc(0x12345678, 0x67, DESC_TYPE_TSS32_AVAIL, false, 3, true, false, false));
	CHECK_EQ(d.base, 0x12345678);
	CHECK_EQ(d.limit, 0x67);
	CHECK(!d.s && desc_is_tss(&d) && tss_is_32bit(d.type) && !tss_is_busy(d.type));
	CHECK_EQ(d.dpl, 3);

	d = dec(desc(0, 0x2b, DESC_TYPE_TSS16_BUSY, false, 0, true, false, false));
	CHECK(desc_is_tss(&d) && !tss_is_32bit(d.type) && tss_is_busy(d.type));
	d = dec(desc(0, 0x2b, DESC_TYPE_LDT, false, 0, true, false, false));
	CHECK(!desc_is_tss(&d));
	/* A code segment with a TSS-like type number is no TSS (S = 1). */
	d = dec(desc(0, 0x67, DESC_TYPE_TSS32_AVAIL, true, 0, true, false, false));
	CHECK(!desc_is_tss(&d));
}

TEST(tss_images)
{
	struct tss32 t32 = { 0 };
	struct tss16 t16 = { 0 };
	struct task_state s = { 0 };

	t32.eip = 0x1000;
	t32.eflags = 0x202;
	t32.gpr[TS_ESI] = 0x5151;
	t32.seg[TS_CS].sel = 0x10;
	t32.seg[TS_GS].sel = 0x18;
	t32.ldt = 0x40;
	t32.cr3 = 0x9000;
	t32.trap = TSS_T_BIT;
	tss32_load(&t32, &s);
	CHECK_EQ(s.eip, 0x1000);
	CHECK_EQ(s.gpr[TS_ESI], 0x5151);
	CHECK_EQ(s.sel[TS_CS], 0x10);
	CHECK_EQ(s.sel[TS_GS], 0x18);
	CHECK_EQ(s.ldt, 0x40);
	CHECK_EQ(s.cr3, 0x9000);
	CHECK(s.trap);

	/* Save writes the dynamic fields only. */
	s.eip = 0x2000;
	s.sel[TS_DS] = 0x23;
	tss32_save(&s, &t32);
	CHECK_EQ(t32.eip, 0x2000);
	CHECK_EQ(t32.seg[TS_DS].sel, 0x23);
	CHECK_EQ(t32.cr3, 0x9000);
	CHECK_EQ(t32.ldt, 0x40);

	/* 16-bit: FS and GS become null, no CR3, no T; save keeps low halves. */
	t16.ip = 0x10;
	t16.flags = 0x2;
	t16.gpr[TS_EAX] = 0x1616;
	t16.seg[TS_SS] = 0x18;
	t16.ldt = 0;
	tss16_load(&t16, &s);
	CHECK_EQ(s.eip, 0x10);
	CHECK_EQ(s.gpr[TS_EAX], 0x1616);
	CHECK_EQ(s.sel[TS_SS], 0x18);
	CHECK_EQ(s.sel[TS_FS], 0);
	CHECK_EQ(s.sel[TS_GS], 0);
	CHECK(!s.trap);
	s.eip = 0x12345;
	s.gpr[TS_EBX] = 0xabcd1234;
	tss16_save(&s, &t16);
	CHECK_EQ(t16.ip, 0x2345);
	CHECK_EQ(t16.gpr[TS_EBX], 0x1234);
	CHECK_EQ(TSS32_SAVE_END - TSS32_SAVE_START, 0x40);
	CHECK_EQ(TSS16_SAVE_END - TSS16_SAVE_START, 0x1c);
}

TEST(tss_source_effects)
{
	/* SDM Table "Effect of a Task Switch on Busy Flag, NT Flag, Previous
	 * Task Link Field, and TS Flag". */
	CHECK(ts_clears_old_busy(TASK_SWITCH_JMP) && ts_clears_old_busy(TASK_SWITCH_IRET));
	CHECK(!ts_clears_old_busy(TASK_SWITCH_CALL) && !ts_clears_old_busy(TASK_SWITCH_IDT_GATE));
	CHECK(ts_sets_new_busy(TASK_SWITCH_JMP) && ts_sets_new_busy(TASK_SWITCH_CALL) &&
	      ts_sets_new_busy(TASK_SWITCH_IDT_GATE) && !ts_sets_new_busy(TASK_SWITCH_IRET));
	CHECK(ts_links(TASK_SWITCH_CALL) && ts_links(TASK_SWITCH_IDT_GATE));
	CHECK(!ts_links(TASK_SWITCH_JMP) && !ts_links(TASK_SWITCH_IRET));

	CHECK_EQ(ts_saved_eflags(TASK_SWITCH_IRET, 0x4202), 0x0202);
	CHECK_EQ(ts_saved_eflags(TASK_SWITCH_CALL, 0x4202), 0x4202);
	CHECK_EQ(ts_loaded_eflags(TASK_SWITCH_CALL, 0x0), 0x4002);
	CHECK_EQ(ts_loaded_eflags(TASK_SWITCH_JMP, 0x4000), 0x4002);
	CHECK_EQ(ts_loaded_eflags(TASK_SWITCH_IRET, 0xffffffff), 0x003f7fd7);
}

TEST(tss_check_new)
{
	struct seg_desc avail = dec(desc(0x1000, 0x67, DESC_TYPE_TSS32_AVAIL, false, 0, true, false, false));
	struct seg_desc busy = dec(desc(0x1000, 0x67, DESC_TYPE_TSS32_BUSY, false, 0, true, false, false));
	struct seg_desc np = dec(desc(0x1000, 0x67, DESC_TYPE_TSS32_AVAIL, false, 0, false, false, false));
	struct seg_desc small = dec(desc(0x1000, 0x66, DESC_TYPE_TSS32_AVAIL, false, 0, true, false, false));
	struct seg_desc small16 = dec(desc(0x1000, 0x2a, DESC_TYPE_TSS16_AVAIL, false, 0, true, false, false));
	struct seg_desc ok16 = dec(desc(0x1000, 0x2b, DESC_TYPE_TSS16_AVAIL, false, 0, true, false, false));
	struct seg_desc ldt = dec(desc(0x1000, 0x67, DESC_TYPE_LDT, false, 0, true, false, false));
	struct ts_fault f;

	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x30, true, &avail, false);
	CHECK_EQ(f.vector, TS_VEC_NONE);
	f = ts_check_new_tss(TASK_SWITCH_IRET, 0x30, true, &busy, false);
	CHECK_EQ(f.vector, TS_VEC_NONE);
	f = ts_check_new_tss(TASK_SWITCH_JMP, 0x33, true, &busy, false);
	CHECK_EQ(f.vector, TS_VEC_GP);
	CHECK_EQ(f.error_code, 0x30);                 /* RPL dropped */
	f = ts_check_new_tss(TASK_SWITCH_IRET, 0x30, true, &avail, false);
	CHECK_EQ(f.vector, TS_VEC_TS);
	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x30, true, &ldt, false);
	CHECK_EQ(f.vector, TS_VEC_GP);
	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x34, true, &avail, false);
	CHECK_EQ(f.vector, TS_VEC_GP);                /* TI = 1: LDT */
	CHECK_EQ(f.error_code, 0x34);
	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x30, false, &avail, false);
	CHECK_EQ(f.vector, TS_VEC_GP);                /* beyond the GDT limit */
	f = ts_check_new_tss(TASK_SWITCH_IDT_GATE, 0x30, true, &np, true);
	CHECK_EQ(f.vector, TS_VEC_NP);
	CHECK_EQ(f.error_code, 0x31);                 /* EXT */
	f = ts_check_new_tss(TASK_SWITCH_JMP, 0x30, true, &small, false);
	CHECK_EQ(f.vector, TS_VEC_TS);
	CHECK_EQ(f.error_code, 0x30);
	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x30, true, &small16, false);
	CHECK_EQ(f.vector, TS_VEC_TS);
	f = ts_check_new_tss(TASK_SWITCH_CALL, 0x30, true, &ok16, false);
	CHECK_EQ(f.vector, TS_VEC_NONE);

	f = ts_check_old_tss(0x28, DESC_TYPE_TSS32_BUSY, 0x5e, false);
	CHECK_EQ(f.vector, TS_VEC_TS);
	CHECK_EQ(f.error_code, 0x28);
	f = ts_check_old_tss(0x28, DESC_TYPE_TSS32_BUSY, 0x5f, false);
	CHECK_EQ(f.vector, TS_VEC_NONE);
	f = ts_check_old_tss(0x28, DESC_TYPE_TSS16_BUSY, 0x29, false);
	CHECK_EQ(f.vector, TS_VEC_NONE);
}

TEST(tss_check_segments)
{
	struct seg_desc code0 = dec(0x00cf9a000000ffffull);
	struct seg_desc data0 = dec(0x00cf92000000ffffull);
	struct seg_desc data3 = dec(0x00cff2000000ffffull);
	struct seg_desc data_np = dec(0x00cf12000000ffffull);
	struct seg_desc ro_data = dec(0x00cf90000000ffffull);
	struct seg_desc xo_code = dec(0x00cf98000000ffffull);
	struct seg_desc conf3 = dec(0x00cffe000000ffffull);
	struct seg_desc ldt = dec(desc(0x2000, 0xff, DESC_TYPE_LDT, false, 0, true, false, false));
	struct ts_fault f;

	/* CS */
	CHECK_EQ(ts_check_cs(0x10, true, &code0, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_cs(0x0, true, &code0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_cs(0x13, true, &code0, false).vector, TS_VEC_TS); /* DPL != RPL */
	CHECK_EQ(ts_check_cs(0x18, true, &data0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_cs(0x1b, true, &conf3, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_cs(0x18, true, &conf3, false).vector, TS_VEC_TS);  /* DPL > RPL */
	f = ts_check_cs(0x10, false, &code0, true);
	CHECK_EQ(f.vector, TS_VEC_TS);
	CHECK_EQ(f.error_code, 0x11);

	/* SS */
	CHECK_EQ(ts_check_ss(0x18, true, &data0, 0, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_ss(0x0, true, &data0, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ss(0x18, true, &ro_data, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ss(0x18, true, &code0, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ss(0x18, true, &data0, 3, false).vector, TS_VEC_TS); /* DPL != CPL */
	CHECK_EQ(ts_check_ss(0x1b, true, &data3, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ss(0x1b, true, &data3, 3, false).vector, TS_VEC_NONE);
	f = ts_check_ss(0x20, true, &data_np, 0, false);
	CHECK_EQ(f.vector, TS_VEC_SS);
	CHECK_EQ(f.error_code, 0x20);

	/* DS, ES, FS, GS */
	CHECK_EQ(ts_check_data(0x0, false, &data0, 0, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_data(0x3, false, &data0, 3, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_data(0x18, true, &ro_data, 0, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_data(0x10, true, &code0, 0, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_data(0x10, true, &xo_code, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_data(0x18, true, &data0, 3, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_data(0x1b, true, &data0, 0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_data(0x1b, true, &conf3, 3, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_data(0x18, false, &data0, 0, false).vector, TS_VEC_TS);
	f = ts_check_data(0x60, true, &data_np, 0, false);
	CHECK_EQ(f.vector, TS_VEC_NP);
	CHECK_EQ(f.error_code, 0x60);

	/* LDTR */
	CHECK_EQ(ts_check_ldt(0x0, false, &ldt, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_ldt(0x40, true, &ldt, false).vector, TS_VEC_NONE);
	CHECK_EQ(ts_check_ldt(0x44, true, &ldt, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ldt(0x40, true, &data0, false).vector, TS_VEC_TS);
	CHECK_EQ(ts_check_ldt(0x40, false, &ldt, false).vector, TS_VEC_TS);

	/* Loadable after a first fault, without privilege checks. */
	CHECK(ts_desc_loadable(TS_CS, &code0) && !ts_desc_loadable(TS_CS, &data0));
	CHECK(ts_desc_loadable(TS_SS, &data3) && !ts_desc_loadable(TS_SS, &ro_data));
	CHECK(ts_desc_loadable(TS_DS, &code0) && !ts_desc_loadable(TS_DS, &xo_code));
	CHECK(!ts_desc_loadable(TS_DS, &data_np) && !ts_desc_loadable(TS_DS, &ldt));
}

/*
 * Hardware task switching, the pure part: TSS images, descriptors and the
 * rules of Intel SDM Vol. 3, "Task Switching" (see hv/exit/tss.h).
 */
#include "hv/exit/tss.h"

#define EFLAGS_FIXED        0x00000002u   /* bit 1, always 1 */
#define EFLAGS_NT           0x00004000u   /* nested task */
/* Flags a TSS can load: CF PF AF ZF SF TF IF DF OF IOPL NT RF VM AC VIF
 * VIP ID (the rest are reserved). */
#define EFLAGS_LOADABLE     0x003f7fd5u

#define DESC_LIMIT_LOW      0xffffull          /* bits 15:0 */
#define DESC_LIMIT_HIGH     0x000f000000000000ull /* bits 51:48 */
#define DESC_BASE_LOW       0x000000ffffff0000ull /* bits 39:16 */
#define DESC_BASE_HIGH      0xff00000000000000ull /* bits 63:56 */
#define DESC_TYPE_SHIFT     40
#define DESC_TYPE_FIELD     0xfu
#define DESC_S              (1ull << 44)
#define DESC_DPL_SHIFT      45
#define DESC_DPL_FIELD      0x3u
#define DESC_P              (1ull << 47)
#define DESC_AVL            (1ull << 52)
#define DESC_L              (1ull << 53)
#define DESC_DB             (1ull << 54)
#define DESC_G              (1ull << 55)
#define DESC_AR_SHIFT       40
#define DESC_AR_FIELD       0xf0ffu       /* bits 55:40 less the limit 51:48 */
#define PAGE_GRANULE_SHIFT  12
#define PAGE_GRANULE_LOW    0xfffu
#define TSS32_OLD_MIN_LIMIT (TSS32_SAVE_END - 1)   /* 5FH: last byte of GS */
#define TSS16_OLD_MIN_LIMIT (TSS16_SAVE_END - 1)   /* 29H: last byte of DS */

/* ---- TSS images --------------------------------------------------------- */

/* The new task's state from a 32-bit TSS. */
void tss32_load(const struct tss32 *t, struct task_state *s)
{
	s->eip = t->eip;
	s->eflags = t->eflags;
	for (int i = 0; i < TS_GPRS; i++)
		s->gpr[i] = t->gpr[i];
	for (int i = 0; i < TS_SEGS; i++)
		s->sel[i] = t->seg[i].sel;
	s->ldt = t->ldt;
	s->cr3 = t->cr3;
	s->trap = (t->trap & TSS_T_BIT) != 0;
}

/* The new task's state from a 16-bit TSS: no FS, GS, CR3 or T. */
void tss16_load(const struct tss16 *t, struct task_state *s)
{
	s->eip = t->ip;
	s->eflags = t->flags;
	for (int i = 0; i < TS_GPRS; i++)
		s->gpr[i] = t->gpr[i];
	for (int i = 0; i < TS_FS; i++)
		s->sel[i] = t->seg[i];
	s->sel[TS_FS] = 0;
	s->sel[TS_GS] = 0;
	s->ldt = t->ldt;
	s->cr3 = 0;
	s->trap = false;
}

/* The dynamic fields of the old task into its 32-bit TSS image. */
void tss32_save(const struct task_state *s, struct tss32 *t)
{
	t->eip = s->eip;
	t->eflags = s->eflags;
	for (int i = 0; i < TS_GPRS; i++)
		t->gpr[i] = s->gpr[i];
	for (int i = 0; i < TS_SEGS; i++)
		t->seg[i].sel = s->sel[i];
}

/* The dynamic fields of the old task into its 16-bit TSS image (low
 * halves; FS and GS have no place). */
void tss16_save(const struct task_state *s, struct tss16 *t)
{
	t->ip = (uint16_t)s->eip;
	t->flags = (uint16_t)s->eflags;
	for (int i = 0; i < TS_GPRS; i++)
		t->gpr[i] = (uint16_t)s->gpr[i];
	for (int i = 0; i < TS_FS; i++)
		t->seg[i] = s->sel[i];
}

/* ---- Descriptors --------------------------------------------------------- */

/* Decode the fields of an 8-byte descriptor; the limit is scaled to bytes
 * when G is set. */
struct seg_desc desc_decode(uint64_t raw)
{
	struct seg_desc d;

	d.limit = (uint32_t)((raw & DESC_LIMIT_LOW) | ((raw & DESC_LIMIT_HIGH) >> 32));
	d.base = (uint32_t)(((raw & DESC_BASE_LOW) >> 16) | ((raw & DESC_BASE_HIGH) >> 32));
	d.type = (uint8_t)((raw >> DESC_TYPE_SHIFT) & DESC_TYPE_FIELD);
	d.s = (raw & DESC_S) != 0;
	d.dpl = (uint8_t)((raw >> DESC_DPL_SHIFT) & DESC_DPL_FIELD);
	d.p = (raw & DESC_P) != 0;
	d.avl = (raw & DESC_AVL) != 0;
	d.l = (raw & DESC_L) != 0;
	d.db = (raw & DESC_DB) != 0;
	d.g = (raw & DESC_G) != 0;
	if (d.g)
		d.limit = (d.limit << PAGE_GRANULE_SHIFT) | PAGE_GRANULE_LOW;
	return d;
}

/* VMCS access rights: descriptor bits 55:40 less the limit nibble. */
uint32_t desc_vmx_ar(uint64_t raw)
{
	return (uint32_t)(raw >> DESC_AR_SHIFT) & DESC_AR_FIELD;
}

/* ---- Rules -------------------------------------------------------------- */

/* A fault whose error code names sel (RPL dropped, EXT added). */
struct ts_fault ts_fault_sel(uint8_t vector, uint16_t sel, bool ext)
{
	return (struct ts_fault){
		.vector = vector,
		.error_code = (sel & (SEL_INDEX_MASK | SEL_TI)) | (ext ? TS_ERR_EXT : 0),
	};
}

/* JMP and IRET leave the old task: its busy flag is cleared. */
bool ts_clears_old_busy(enum task_switch_source src)
{
	return src == TASK_SWITCH_JMP || src == TASK_SWITCH_IRET;
}

/* IRET returns to a task that is still busy; the others mark the new one. */
bool ts_sets_new_busy(enum task_switch_source src)
{
	return src != TASK_SWITCH_IRET;
}

/* CALL and task gates nest: link field and NT in the new task. */
bool ts_links(enum task_switch_source src)
{
	return src == TASK_SWITCH_CALL || src == TASK_SWITCH_IDT_GATE;
}

/* The old task's EFLAGS image: IRET ends its nesting (NT cleared). */
uint32_t ts_saved_eflags(enum task_switch_source src, uint32_t eflags)
{
	if (src == TASK_SWITCH_IRET)
		eflags &= ~EFLAGS_NT;
	return eflags;
}

/* The new task's EFLAGS: reserved bits dropped, bit 1 set, NT when the
 * switch nests. */
uint32_t ts_loaded_eflags(enum task_switch_source src, uint32_t eflags)
{
	eflags = (eflags & EFLAGS_LOADABLE) | EFLAGS_FIXED;
	if (ts_links(src))
		eflags |= EFLAGS_NT;
	return eflags;
}

/* A system descriptor of one of the four TSS types. */
bool desc_is_tss(const struct seg_desc *d)
{
	return !d->s && (d->type == DESC_TYPE_TSS16_AVAIL ||
			 d->type == DESC_TYPE_TSS16_BUSY ||
			 d->type == DESC_TYPE_TSS32_AVAIL ||
			 d->type == DESC_TYPE_TSS32_BUSY);
}

/* TSS types 9 and 11 are 32-bit, 1 and 3 16-bit. */
bool tss_is_32bit(uint8_t type)
{
	return (type & DESC_TYPE_CODE) != 0;
}

/* Types 3 and 11 are busy. */
bool tss_is_busy(uint8_t type)
{
	return (type & DESC_TYPE_TSS_BUSY_BIT) != 0;
}

/* The new TSS descriptor (SDM Table "Exception Conditions Checked During a
 * Task Switch", first rows): a bad selector or type is #GP for CALL, JMP
 * and task gates and #TS for IRET; a busy TSS for CALL/JMP/gate #GP, an
 * available one for IRET #TS; not present #NP; a short limit #TS. */
struct ts_fault ts_check_new_tss(enum task_switch_source src, uint16_t sel,
				 bool found, const struct seg_desc *d, bool ext)
{
	uint8_t bad = src == TASK_SWITCH_IRET ? TS_VEC_TS : TS_VEC_GP;
	uint32_t min;

	if (!found || (sel & SEL_TI) || SEL_NULL(sel) || !desc_is_tss(d))
		return ts_fault_sel(bad, sel, ext);
	if (tss_is_busy(d->type) != (src == TASK_SWITCH_IRET))
		return ts_fault_sel(bad, sel, ext);
	if (!d->p)
		return ts_fault_sel(TS_VEC_NP, sel, ext);
	min = tss_is_32bit(d->type) ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT;
	if (d->limit < min)
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	return TS_FAULT_NONE;
}

/* The old TSS must reach the last field saved into it (5FH / 29H). */
struct ts_fault ts_check_old_tss(uint16_t tr_sel, uint8_t tr_type,
				 uint32_t tr_limit, bool ext)
{
	uint32_t min = tss_is_32bit(tr_type) ? TSS32_OLD_MIN_LIMIT
					     : TSS16_OLD_MIN_LIMIT;

	if (tr_limit < min)
		return ts_fault_sel(TS_VEC_TS, tr_sel, ext);
	return TS_FAULT_NONE;
}

/* LDTR: null is allowed; else it must be in the GDT, an LDT descriptor,
 * present; every failure is #TS(LDT selector). */
struct ts_fault ts_check_ldt(uint16_t sel, bool found,
			     const struct seg_desc *d, bool ext)
{
	if (sel & SEL_TI)
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if (SEL_NULL(sel))
		return TS_FAULT_NONE;
	if (!found || d->s || d->type != DESC_TYPE_LDT || !d->p)
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	return TS_FAULT_NONE;
}

/* SS: not null, a writable data segment, DPL = CS.RPL = SS.RPL (#TS);
 * present (#SS). */
struct ts_fault ts_check_ss(uint16_t sel, bool found, const struct seg_desc *d,
			    uint8_t cs_rpl, bool ext)
{
	if (SEL_NULL(sel) || !found || !d->s || (d->type & DESC_TYPE_CODE) ||
	    !(d->type & DESC_TYPE_RW))
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if (d->dpl != cs_rpl || d->dpl != (sel & SEL_RPL_MASK))
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if (!d->p)
		return ts_fault_sel(TS_VEC_SS, sel, ext);
	return TS_FAULT_NONE;
}

/* DS, ES, FS, GS: null is allowed; else data or readable code (#TS); for
 * data and non-conforming code RPL <= DPL and CPL <= DPL (#TS); present
 * (#NP). */
struct ts_fault ts_check_data(uint16_t sel, bool found,
			      const struct seg_desc *d, uint8_t cs_rpl, bool ext)
{
	bool code;

	if (SEL_NULL(sel))
		return TS_FAULT_NONE;
	code = (d->type & DESC_TYPE_CODE) != 0;
	if (!found || !d->s || (code && !(d->type & DESC_TYPE_RW)))
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if ((!code || !(d->type & DESC_TYPE_CONFORMING)) &&
	    ((sel & SEL_RPL_MASK) > d->dpl || cs_rpl > d->dpl))
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if (!d->p)
		return ts_fault_sel(TS_VEC_NP, sel, ext);
	return TS_FAULT_NONE;
}

/* CS: not null, code; non-conforming DPL = RPL, conforming DPL <= RPL
 * (#TS); present (#NP). */
struct ts_fault ts_check_cs(uint16_t sel, bool found, const struct seg_desc *d,
			    bool ext)
{
	uint8_t rpl = sel & SEL_RPL_MASK;

	if (SEL_NULL(sel) || !found || !d->s || !(d->type & DESC_TYPE_CODE))
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if ((d->type & DESC_TYPE_CONFORMING) ? d->dpl > rpl : d->dpl != rpl)
		return ts_fault_sel(TS_VEC_TS, sel, ext);
	if (!d->p)
		return ts_fault_sel(TS_VEC_NP, sel, ext);
	return TS_FAULT_NONE;
}

/* The kind of segment the register can hold, present. */
bool ts_desc_loadable(enum ts_seg seg, const struct seg_desc *d)
{
	bool code = (d->type & DESC_TYPE_CODE) != 0;

	if (!d->s || !d->p)
		return false;
	if (seg == TS_CS)
		return code;
	if (seg == TS_SS)
		return !code && (d->type & DESC_TYPE_RW);
	return !code || (d->type & DESC_TYPE_RW);
}

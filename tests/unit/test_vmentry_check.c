/*
 * The software VM-entry check (hv/vmcs/entry_check.c), the CR0/CR4 ownership
 * policy (hv/view/cr.h) and the exit statistics table (hv/exit/stats.c).
 * The "good" state is what hv/vmcs/{ctls,host,guest}.c write for a 32-bit protected-mode
 * guest, with control words computed from recorded MSRs.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/exit/stats.h"
#include "hv/view/cr.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/entry_check.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/ctls.h"
#include "tests/unit/test.h"
#include "tests/unit/vmx_msr_samples.h"

struct seen {
	unsigned count;
	char rule[256];
	char field[64];
};

static void remember(void *ctx, const char *rule, const char *field,
		     uint64_t value)
{
	struct seen *s = ctx;

	(void)value;
	if (s->count++ == 0) {
		snprintf(s->rule, sizeof(s->rule), "%s", rule);
		snprintf(s->field, sizeof(s->field), "%s", field);
	}
}

static void set_seg(struct vmentry_state *s, int i, uint16_t sel,
		    uint32_t limit, uint32_t ar)
{
	s->seg[i] = (struct vmentry_seg_state){ sel, 0, limit, ar };
}

static void host_state(struct vmentry_state *s)
{
	s->host_cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->host_cr3 = 0xfdff000;
	s->host_cr4 = CR4_PAE | CR4_VMXE;
	s->host_sel[VMENTRY_SEG_CS] = 0x08;
	s->host_sel[VMENTRY_SEG_SS] = s->host_sel[VMENTRY_SEG_DS] =
		s->host_sel[VMENTRY_SEG_ES] = 0x10;
	s->host_sel[VMENTRY_SEG_TR] = 0x18;
	s->host_gs_base = 0x422040;
	s->host_tr_base = 0x422090;
	s->host_gdtr_base = 0x422060;
	s->host_idtr_base = 0x41b000;
	s->host_efer = EFER_LME | EFER_LMA;
	s->host_pat = 0x0007040600070406ull;
	s->host_rip = 0x40cd4e;
}

static void guest_state(struct vmentry_state *s, const struct guest_cr_policy *p)
{
	s->guest_cr0 = guest_cr0_real(p, CR0_PE | CR0_ET);
	s->guest_cr4 = guest_cr4_real(p, 0);
	s->guest_dr7 = 0x400;
	s->guest_pat = 0x0007040600070406ull;
	for (int i = 0; i < VMENTRY_SEGS; i++)
		set_seg(s, i, 0x18, 0xffffffff, AR_DATA_FLAT);
	set_seg(s, VMENTRY_SEG_CS, 0x10, 0xffffffff, AR_CODE32_FLAT);
	set_seg(s, VMENTRY_SEG_TR, 0, 0x67, AR_TSS_BUSY);
	set_seg(s, VMENTRY_SEG_LDTR, 0, 0, AR_UNUSABLE);
	s->rip = 0x8000;
	s->rflags = RFLAGS_FIXED;
	s->link_pointer = ~0ull;
}

/* A state VM entry accepts, for the CPU recorded in m. */
static bool good_state(const struct vmx_msrs *m, struct vmentry_state *s)
{
	struct vmx_caps caps;
	struct vmx_controls ctls;
	char err[256];

	vmx_caps_decode(m, &caps);
	if (!vmx_ctls_compute(&caps, NULL, &ctls, err, sizeof(err)))
		return false;
	*s = (struct vmentry_state){ .msr = *m, .maxphyaddr = 39 };
	s->pin = ctls.word[PINBASED_CTLS];
	s->proc = ctls.word[PROCBASED_CTLS];
	s->proc2 = ctls.word[PROCBASED_CTLS2];
	s->exit = ctls.word[EXIT_CTLS];
	s->entry = ctls.word[ENTRY_CTLS];
	s->io_bitmap_a = 0xfdf0000;
	s->io_bitmap_b = 0xfdef000;
	s->msr_bitmap = 0xfdf1000;
	s->eptp = 0xfdf8000 | 0x1e;     /* WB, 4-level walk */
	s->vpid = 1;
	struct guest_cr_policy p = guest_cr_policy_make(
		m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0, m->cr4_fixed1,
		ctls.unrestricted_guest);
	host_state(s);
	guest_state(s, &p);
	return true;
}

static unsigned check(const struct vmentry_state *s, struct seen *seen)
{
	*seen = (struct seen){ 0 };
	return vmentry_check(s, remember, seen);
}

TEST(vmentry_check_good_state_passes)
{
	const struct vmx_msrs *cpus[] = { &bochs_corei7_skylake_x,
					  &real_coffeelake_i7_9750h };
	struct vmentry_state s;
	struct seen seen;

	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		CHECK(good_state(cpus[i], &s));
		CHECK_EQ(check(&s, &seen), 0);
	}
}

TEST(vmentry_check_names_bad_cs_type)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.seg[VMENTRY_SEG_CS].ar = (AR_CODE32_FLAT & ~AR_TYPE_MASK) | 1;
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "GUEST_CS_ACCESS_RIGHTS");
	CHECK(strstr(seen.rule, "CS access rights: the Type must be 9, 11, 13"));
}

TEST(vmentry_check_cs_type3_only_with_unrestricted_guest)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.seg[VMENTRY_SEG_CS].ar = (AR_DATA_FLAT & ~AR_TYPE_MASK) | 3;
	CHECK_EQ(check(&s, &seen), 0);
	s.proc2 &= ~PROCBASED_CTLS2_UNRESTRICTED_GUEST;
	s.guest_cr0 |= CR0_PG;          /* required without unrestricted guest */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "GUEST_CS_ACCESS_RIGHTS");
}

TEST(vmentry_check_cr0_pe_pg_exempt_with_unrestricted_guest)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.guest_cr0 &= ~CR0_PE;              /* real mode */
	CHECK_EQ(check(&s, &seen), 0);
	s.proc2 &= ~PROCBASED_CTLS2_UNRESTRICTED_GUEST;
	CHECK(check(&s, &seen) >= 1);
	CHECK_STR(seen.field, "GUEST_CR0");
	s.proc2 |= PROCBASED_CTLS2_UNRESTRICTED_GUEST;
	s.guest_cr0 |= CR0_PG;               /* PG without PE */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK(strstr(seen.rule, "CR0.PG (bit 31) is 1, CR0.PE"));
}

TEST(vmentry_check_rflags_and_interruptibility)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.rflags = 0;
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "GUEST_RFLAGS");
	s.rflags = RFLAGS_FIXED;
	s.interruptibility = GUEST_INTR_STATE_STI;   /* with IF = 0 */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK(strstr(seen.rule, "blocking by STI must be 0 if RFLAGS.IF is 0"));
}

TEST(vmentry_check_host_and_link_pointer)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.host_sel[VMENTRY_SEG_TR] = 0;
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "HOST_TR_SELECTOR");
	s.host_sel[VMENTRY_SEG_TR] = 0x1b;           /* RPL 3 */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK(strstr(seen.rule, "RPL (bits 1:0) and the TI flag"));
	s.host_sel[VMENTRY_SEG_TR] = 0x18;
	s.link_pointer = 0;
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "LINK_POINTER");
}

TEST(vmentry_check_ia32e_guest_needs_paging)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.entry |= ENTRY_CTLS_IA32E_MODE;
	s.guest_efer = EFER_LME | EFER_LMA;
	s.seg[VMENTRY_SEG_CS].ar = AR_CODE64;
	s.guest_cr4 |= CR4_PAE;
	CHECK_EQ(check(&s, &seen), 1);              /* CR0.PG is 0 */
	CHECK(strstr(seen.rule, "\"IA-32e mode guest\" is 1, guest CR0.PG"));
	s.guest_cr0 |= CR0_PG;
	CHECK_EQ(check(&s, &seen), 0);
	s.guest_efer = 0;
	CHECK_EQ(check(&s, &seen), 2);              /* LMA and LME */
	CHECK_STR(seen.field, "GUEST_IA32_EFER");
}

TEST(vmentry_check_controls_against_allowed_bits)
{
	struct vmentry_state s;
	struct seen seen;

	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.pin &= ~0x16u;                          /* default-1 bits cleared */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "PINBASED_CTLS");
	CHECK(good_state(&bochs_corei7_skylake_x, &s));
	s.eptp &= ~0x38ull;                       /* walk length 1 */
	CHECK_EQ(check(&s, &seen), 1);
	CHECK_STR(seen.field, "EPT_POINTER");
}

TEST(guest_cr_policy_hides_vmxe_and_exempts_pe_pg)
{
	const struct vmx_msrs *m = &bochs_corei7_skylake_x;
	struct guest_cr_policy p = guest_cr_policy_make(
		m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0, m->cr4_fixed1, true);

	CHECK(p.cr4_mask & CR4_VMXE);
	CHECK(guest_cr4_real(&p, 0) & CR4_VMXE);
	CHECK_EQ(guest_cr4_shadow(CR4_VMXE | CR4_PAE), CR4_PAE);
	CHECK_EQ(guest_cr0_real(&p, 0) & (CR0_PE | CR0_PG), 0);
	CHECK(guest_cr0_real(&p, 0) & CR0_NE);
	CHECK(!(p.cr0_mask & (CR0_PE | CR0_PG)));
	CHECK_EQ(guest_cr_visible(CR0_NE | CR0_PE, CR0_PE, p.cr0_mask), CR0_PE);
	p = guest_cr_policy_make(m->cr0_fixed0, m->cr0_fixed1, m->cr4_fixed0,
				 m->cr4_fixed1, false);
	CHECK(p.cr0_mask & CR0_PE);
	CHECK(guest_cr0_real(&p, 0) & CR0_PG);
}

TEST(exit_stats_table)
{
	struct exit_stats st = { 0 };
	char buf[1024];

	exit_stats_record(&st, 10, 300);
	exit_stats_record(&st, 10, 100);
	exit_stats_record(&st, 18, 50);
	exit_stats_record(&st, 5000, 7);          /* out of range: total only */
	CHECK_EQ(st.count[10], 2);
	CHECK_EQ(st.total_exits, 4);
	CHECK_EQ(st.total_cycles, 457);
	size_t len = exit_stats_format(&st, buf, sizeof(buf));
	CHECK_EQ(len, strlen(buf));
	CHECK(strstr(buf, "exit reason"));
	CHECK(strstr(buf, "CPUID (10)                                2           400           200\n"));
	CHECK(strstr(buf, "VMCALL (18)"));
	CHECK(strstr(buf, "total                                     4           457           114\n"));
	char small[40];
	len = exit_stats_format(&st, small, sizeof(small));
	CHECK_EQ(len, strlen(small));
	CHECK(len < sizeof(small));
}

/*
 * The monitor's guest-virtual commands: gva (the guest's own page walk
 * for an address, every table entry it reads, the resulting GPA) and xv
 * (a hex dump at a guest-virtual address).  Both walk with the guest's
 * paging registers from the VMCS (hv/vcpu/page_walk.h) as a supervisor
 * read, set no accessed bits, and refuse hypervisor memory.
 */
#include "arch/x86/cpu.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/monitor.h"
#include "hv/vcpu/page_walk.h"
#include "hv/vcpu/vcpu.h"
#include "mm/guest_copy.h"

#define WALK_READS_MAX  8       /* table entries a walk reads (5 levels) */
#define PAGE_BYTES      4096u
#define ULL(x)          ((unsigned long long)(x))

/* A guest_phys_mem that reads guest RAM and records what it read. */
struct walk_log {
	uint32_t count;
	uint64_t gpa[WALK_READS_MAX];
	uint64_t value[WALK_READS_MAX];
};

static bool logged_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	struct walk_log *log = ctx;

	if (!copy_from_guest(dst, gpa, len))
		return false;
	if (log->count < WALK_READS_MAX) {
		uint64_t v = 0;

		for (size_t i = 0; i < len && i < sizeof(v); i++)
			v |= (uint64_t)((const uint8_t *)dst)[i] << (8 * i);
		log->gpa[log->count] = gpa;
		log->value[log->count++] = v;
	}
	return true;
}

static bool no_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	(void)gpa;
	(void)src;
	(void)len;
	return false;
}

/* The paging mode of r, in words. */
static const char *paging_mode(const struct paging_regs *r)
{
	if (!(r->cr0 & CR0_PG))
		return "paging off";
	if (!(r->cr4 & CR4_PAE))
		return "32-bit paging";
	if (!(r->efer & EFER_LMA))
		return "PAE paging";
	return (r->cr4 & CR4_LA57) ? "5-level paging" : "4-level paging";
}

/* Say why a walk failed, in one line. */
static void print_walk_failure(enum gla_result res, const struct gla_fault *f)
{
	switch (res) {
	case GLA_PAGE_FAULT:
		mon_printf("page fault at 0x%llx, error code 0x%x\n", ULL(f->cr2),
			   f->error_code);
		break;
	case GLA_NOT_CANONICAL:
		mon_printf("error: not canonical\n");
		break;
	default:
		mon_printf("error: a page table is not guest RAM\n");
		break;
	}
}

/* Argument 1 as a number, or a one-line error (false). */
static bool arg_number(const struct mon_words *w, uint32_t i, uint64_t *v)
{
	char err[MON_ERROR_MAX];

	if (mon_number(w, i, v, err, sizeof(err)))
		return true;
	mon_printf("error: %s\n", err);
	return false;
}

enum mon_result cmd_gva(struct mon_ctx *ctx, const struct mon_words *w)
{
	struct walk_log log = { 0 };
	const struct guest_phys_mem mem = { &log, logged_read, no_write };
	struct paging_regs r;
	struct gla_fault fault;
	enum gla_result res;
	uint64_t gva, gpa;

	(void)ctx;
	if (!arg_number(w, 1, &gva))
		return MON_STAY;
	guest_paging_regs(&r);
	res = page_walk(&r, &mem, gva, GLA_READ, 0, false, &gpa, &fault);
	mon_printf("%s, CR3 0x%llx\n", paging_mode(&r), ULL(r.cr3));
	for (uint32_t i = 0; i < log.count; i++)
		mon_printf("  entry at GPA 0x%llx: 0x%016llx\n", ULL(log.gpa[i]),
			   ULL(log.value[i]));
	if (res == GLA_OK)
		mon_printf("GVA 0x%llx -> GPA 0x%llx\n", ULL(gva), ULL(gpa));
	else
		print_walk_failure(res, &fault);
	return MON_STAY;
}

/* Every page of [gva, gva + len) translates, and none is the
 * hypervisor's: else a one-line error (false). */
static bool xv_range_ok(struct vcpu *v, uint64_t gva, uint64_t len)
{
	struct gla_fault fault;
	uint64_t page = gva & ~(uint64_t)(PAGE_BYTES - 1), gpa;

	for (; page < gva + len; page += PAGE_BYTES) {
		uint64_t at = page < gva ? gva : page;
		uint64_t end = page + PAGE_BYTES < gva + len ? page + PAGE_BYTES
							      : gva + len;
		enum gla_result res = guest_linear_translate(v, at, GLA_READ, 0,
							     &gpa, &fault);

		if (res != GLA_OK) {
			print_walk_failure(res, &fault);
			return false;
		}
		if (mon_hits_hv_memory(gpa, end - at)) {
			mon_printf("error: GVA 0x%llx is hypervisor memory (GPA "
				   "0x%llx): refused\n", ULL(at), ULL(gpa));
			return false;
		}
	}
	return true;
}

enum mon_result cmd_xv(struct mon_ctx *ctx, const struct mon_words *w)
{
	static uint8_t buf[XP_MAX_BYTES];
	struct gla_fault fault;
	enum gla_result res;
	uint64_t gva, len = XP_DEFAULT_BYTES;

	if (!arg_number(w, 1, &gva) || (w->count > 2 && !arg_number(w, 2, &len)))
		return MON_STAY;
	if (len == 0 || len > XP_MAX_BYTES || gva + len < gva) {
		mon_printf("error: N must be 1-%u\n", XP_MAX_BYTES);
		return MON_STAY;
	}
	if (!xv_range_ok(ctx->v, gva, len))
		return MON_STAY;
	res = guest_linear_read(ctx->v, gva, buf, (size_t)len, GLA_READ, 0, &fault);
	if (res != GLA_OK) {
		print_walk_failure(res, &fault);
		return MON_STAY;
	}
	mon_hex_dump(gva, buf, (uint32_t)len);
	return MON_STAY;
}

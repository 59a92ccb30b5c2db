/*
 * EPT memory types from the guest's MTRRs (see hv/vcpu/ept_types.h).
 */
#include "hv/vcpu/ept_types.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/init.h"
#include "arch/x86/panic.h"
#include "hv/vmx/caps.h"
#include "hv/vmx/vmxon.h"
#include "lib/log.h"
#include "mm/guest_mem.h"

#define KiB 1024ull

/* EPT tables live in identity-mapped hypervisor memory. */
static void *table_identity(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* Log the EPT's memory type at the base of variable range n of the
 * guest's MTRRs when the range is valid: what the guest asked for there
 * and what the EPT gives. */
static void log_range(const struct vcpu *v, uint32_t n)
{
	uint64_t base = v->mtrr.var[2 * n], mask = v->mtrr.var[2 * n + 1];
	uint64_t gpa = base & MTRR_ADDR_MASK & v->mtrr.phys_mask;
	uint8_t type = (uint8_t)(base & MTRR_PHYSBASE_TYPE_MASK);
	struct ept_walk w;

	if (!(mask & MTRR_PHYSMASK_VALID))
		return;
	ept_walk(v->eptp & EPT_ADDR_MASK, gpa, table_identity, &w);
	if (!w.mapped) {
		log_info("EPT: guest MTRR %u (%s) at 0x%llx: not mapped", n,
			 memtype_name(type),
			 (unsigned long long)gpa);
		return;
	}
	uint64_t leaf = w.entry[w.levels - 1];
	log_info("EPT: guest MTRR %u (%s) at 0x%llx: EPT type %s "
		 "(%llu KiB page)", n,
		 memtype_name(type),
		 (unsigned long long)gpa,
		 memtype_name((uint8_t)((leaf & EPT_MEMTYPE_MASK) >>
					EPT_MEMTYPE_SHIFT)),
		 (unsigned long long)(w.page_size / KiB));
}

/* Log, once per vCPU, why the guest's MTRRs were not followed. */
static void refuse(struct vcpu *v, const char *why)
{
	if (v->ept_types_refused)
		return;
	v->ept_types_refused = true;
	log_warn("EPT: memory types not changed for the guest's MTRRs: %s "
		 "(logged once)", why);
}

/* After a guest MTRR write that matters: rebuild the EPT's memory types
 * from the guest's view and switch to it (see ept_types.h). */
void ept_types_follow_guest(struct vcpu *v, uint32_t msr)
{
	const struct vmx_caps *caps = vmx_caps_get();
	struct mtrr_state guest;
	struct ept_stats st;

	if (!caps->invept_single && !caps->invept_all) {
		refuse(v, "no INVEPT");
		return;
	}
	mtrr_view_state(&v->mtrr, &guest);
	if (!guest_mem_ept_rebuild(&guest, &st)) {
		refuse(v, "the new EPT would need too many tables");
		return;
	}
	v->eptp = guest_eptp();
	if (!vmcs_set_eptp(v, caps))
		panic("ept_types_follow_guest: INVEPT failed");
	guest_mem_ept_retire_old();
	v->ept_type_changes++;
	log_info("EPT: memory types follow the guest's MTRRs (change %u, "
		 "MTRRs %s): %llu x 1 GiB, %llu x 2 MiB, %llu x 4 KiB pages in "
		 "%llu tables", v->ept_type_changes,
		 guest.enabled ? "on" : "off: RAM UC",
		 (unsigned long long)st.pages_1g,
		 (unsigned long long)st.pages_2m,
		 (unsigned long long)st.pages_4k,
		 (unsigned long long)st.tables);
	if (msr >= IA32_MTRR_PHYSBASE0 && msr <= MTRR_PHYSMASK_LAST)
		log_range(v, (msr - IA32_MTRR_PHYSBASE0) / 2);
}

/* The EPT again with the same types, for the LAPIC window (see
 * ept_types.h). */
void ept_rebuild_for_window(struct vcpu *v)
{
	const struct vmx_caps *caps = vmx_caps_get();
	struct mtrr_state guest;
	struct ept_stats st;

	if (v->mtrr.ready)
		mtrr_view_state(&v->mtrr, &guest);
	if (!guest_mem_ept_rebuild(v->mtrr.ready ? &guest : NULL, &st)) {
		vcpu_stop(v, false, "EPT rebuild for the LAPIC window failed");
		return;
	}
	v->eptp = guest_eptp();
	if (!vmcs_set_eptp(v, caps))
		panic("ept_rebuild_for_window: INVEPT failed");
	guest_mem_ept_retire_old();
	log_info("EPT: rebuilt for the LAPIC window: %llu x 1 GiB, %llu x 2 MiB, "
		 "%llu x 4 KiB pages in %llu tables",
		 (unsigned long long)st.pages_1g, (unsigned long long)st.pages_2m,
		 (unsigned long long)st.pages_4k, (unsigned long long)st.tables);
}

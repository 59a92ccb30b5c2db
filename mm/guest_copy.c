/*
 * Copies between root mode and guest memory (see mm/guest_copy.h).
 * Guest-physical equals host-physical (the EPT is an identity map) and the
 * host's identity map covers all RAM, so a range that passes the check is
 * reached through its physical address.
 */
#include "arch/x86/extable.h"
#include "mm/guest_copy.h"
#include "mm/guest_mem.h"

/* Usable RAM of the guest's map, and clear of every hypervisor range (the
 * map already reserves them: a second opinion costs nothing). */
bool guest_range_ok(uint64_t gpa, uint64_t len)
{
	return guest_mem_is_ram(gpa, len) && guest_mem_accessible(gpa, len);
}

/* Check the range, then copy with fault recovery. */
bool copy_from_guest(void *dst, uint64_t gpa, size_t len)
{
	if (!guest_range_ok(gpa, len))
		return false;
	return memcpy_safe(dst, (const void *)(uintptr_t)gpa, len);
}

/* Check the range, then copy with fault recovery. */
bool copy_to_guest(uint64_t gpa, const void *src, size_t len)
{
	if (!guest_range_ok(gpa, len))
		return false;
	return memcpy_safe((void *)(uintptr_t)gpa, src, len);
}

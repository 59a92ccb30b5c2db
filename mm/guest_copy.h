/*
 * The only way root mode reads or writes memory a guest names (hypercall
 * buffers today; PDPTE loads and instruction bytes later).  A guest range
 * is accepted only when it lies wholly inside usable RAM of the guest's
 * memory map: never a hole, MMIO (the local APIC's page, a device BAR),
 * firmware or ACPI memory, a hypervisor-owned range, or anything the host
 * page tables do not map.  The copy itself runs with fault recovery, so
 * even a wrong answer from the range check cannot make root mode fault.
 */
#ifndef MM_GUEST_COPY_H
#define MM_GUEST_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [gpa, gpa + len) is usable guest RAM (len > 0, no wrap). */
bool guest_range_ok(uint64_t gpa, uint64_t len);

/* Copy len bytes from guest-physical gpa into dst; false (dst undefined)
 * when the range is not usable guest RAM or the copy faulted. */
bool copy_from_guest(void *dst, uint64_t gpa, size_t len);

/* Copy len bytes from src to guest-physical gpa; false when the range is
 * not usable guest RAM or the copy faulted (then part of it may be written,
 * all inside the range). */
bool copy_to_guest(uint64_t gpa, const void *src, size_t len);

#endif

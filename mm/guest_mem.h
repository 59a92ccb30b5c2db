/*
 * The guest's view of physical memory.
 *
 * The guest runs on the machine's own physical address space, identity-
 * mapped by EPT, minus the ranges the hypervisor owns (its image and its
 * allocator pool).  Those ranges are holes in the EPT, so touching them is
 * an EPT violation, and the memory maps the guest is given (multiboot
 * mmap, e820) mark them reserved, so a well-behaved guest never tries.
 */
#ifndef MM_GUEST_MEM_H
#define MM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/ept.h"
#include "mm/layout.h"
#include "mm/memmap.h"

#define HV_OWNED_MAX 24     /* image, pool, kept ranges (MM_KEPT_MAX: trampoline, VT-d registers),
                             physical LAPIC, xAPIC window */

/* Record the hypervisor-owned ranges, build the guest memory map, the
 * placement allocator for loaders and the guest's EPT, with 2 MiB and
 * 1 GiB pages where the CPU's EPT supports them (the caller reads
 * IA32_VMX_EPT_VPID_CAP).  Once, before any guest loader runs. */
void guest_mem_init(const struct mm_layout *l, bool pages_2m, bool pages_1g);

/* The EPT pointer for the VMCS (write-back, 4-level walk, A/D bits off). */
uint64_t guest_eptp(void);

/* The PML4 of the guest's EPT, for walks in error reports. */
uint64_t guest_ept_pml4(void);

/* Build a new guest EPT whose memory types follow the guest's MTRRs guest
 * over hardware-WB memory (mm/ept.h), into st.  The old tables stay in use
 * until guest_mem_ept_retire_old(): the caller switches the VMCS to
 * guest_eptp() and runs INVEPT in between.  False, with the old EPT kept
 * and no tables leaked, when the new one needs more than
 * its budget of tables (a guest's MTRRs cutting memory into many small
 * pages must not exhaust the hypervisor's pool). */
bool guest_mem_ept_rebuild(const struct mtrr_state *guest,
			   struct ept_stats *st);
void guest_mem_ept_retire_old(void);

/* The guest page gpa shows host page hpa (the APIC-access page of the
 * virtual LAPIC) in every EPT from now on, instead of whatever the identity
 * map had there; gpa becomes hypervisor-owned (a hole for the builder and
 * guest_mem_accessible()), a previous window stops being one.  Applied to
 * the EPT in use at once when its tables allow (true); false when a large
 * page covers gpa: the caller rebuilds the EPT (guest_mem_ept_rebuild()),
 * which applies it.  The caller flushes (INVEPT). */
bool guest_mem_set_window(uint64_t gpa, uint64_t hpa);

/* Show the hypervisor page gpa (a hole: the AP trampoline page) to the
 * guest read-only, neither writable nor executable, in every EPT from now
 * on: firmware-table scans of low memory (Linux reads 0x80000-0xfffff for
 * an iBFT) must not stop the guest on an EPT violation, and a guest that
 * cannot write the page cannot steer a CPU that still runs it.  It stays
 * hypervisor-owned (absent from the DMA map, reserved in the guest's
 * memory maps).  False when gpa is mapped already or the tables refuse.
 * Call after guest_mem_init(); the caller flushes (INVEPT) if needed. */
bool guest_mem_show_read_only(uint64_t gpa);

/* The hypervisor-owned ranges (sorted): how many there are; at most
 * `max` are copied to out. */
size_t guest_mem_hv_ranges(struct ept_hole *out, size_t max);

/* The limit an identity map of the machine's memory map `map` needs: the
 * top of the map rounded up to 1 GiB, at least 4 GiB, and 512 GiB with
 * 1 GiB pages.  The DMA map's limit; the EPT goes on from there to
 * MAXPHYADDR (ept_choose_limit()). */
uint64_t guest_mem_choose_limit(const struct memmap *map, bool pages_1g);

/* True when the guest may own [gpa, gpa + len): below the mapped limit and
 * clear of every hypervisor-owned range. */
bool guest_mem_accessible(uint64_t gpa, uint64_t len);

/* True when [gpa, gpa + len) is usable RAM in the guest's memory map
 * (so a loader may place images and boot structures there). */
bool guest_mem_is_ram(uint64_t gpa, uint64_t len);

/*
 * The guest's memory map: the machine's map with BOOT_SERVICES memory
 * usable and every hypervisor-owned range reserved.  Copied into out.
 */
void guest_mem_map(struct memmap *out);

/* Find `size` bytes of guest RAM aligned to `align`, highest first, below
 * `limit`, not overlapping anything reserved with guest_mem_claim(); 0 when
 * there is none. */
uint64_t guest_mem_find(uint64_t size, uint64_t align, uint64_t limit);
/* Mark [gpa, gpa + size) as used by guest boot material (kernel, modules,
 * boot structures), so guest_mem_find() will not hand it out again. */
void guest_mem_claim(uint64_t gpa, uint64_t size);

/* Give the place of a boot module whose bytes a loader copied elsewhere
 * back to the placement pool: the part of [gpa, gpa + size) that is guest
 * RAM above 1 MiB. */
void guest_mem_release(uint64_t gpa, uint64_t size);

/* True when [gpa, gpa + size) is guest RAM that nothing has claimed and no
 * boot module occupies (a loader may put boot material exactly there). */
bool guest_mem_is_free(uint64_t gpa, uint64_t size);

/* Give [gpa, gpa + size) the type `type` (enum mem_type) in the guest
 * memory map, e.g. MEM_ACPI_RECLAIM for tables a loader built there.
 * Only a more restrictive type wins over what the map already says (the
 * memmap_normalize() rule).  Call before the map is handed out. */
void guest_mem_mark(uint64_t gpa, uint64_t size, uint32_t type);

/* Leave the 4 KiB page holding gpa out of the guest's EPT from now on: a
 * page the hypervisor answers for (the ECAM page of the PCI UART it owns,
 * hv/view/pci_ecam.h).  A hole like the hypervisor's own ranges, but added
 * after guest_mem_init(): the guest's memory map is not changed (that
 * page is device memory, or a test's stand-in).  Before the guest runs
 * (the current EPT is replaced at once).  False when no more holes fit or
 * the EPT cannot be rebuilt. */
bool guest_mem_hide_page(uint64_t gpa);

#define GUEST_MEM_WATCH_MAX 4       /* write-watched pages (MMIO write watch) */

/* Map the 4 KiB page holding gpa read/execute-only in the guest's EPT, so
 * that every guest write to it is an EPT violation (hv/view/mmio_watch.h);
 * the page keeps its memory type, later EPT rebuilds keep it read-only.
 * Before the guest runs (the current EPT is replaced at once).  False when
 * the page is not the guest's to map or GUEST_MEM_WATCH_MAX are watched. */
bool guest_mem_watch_page(uint64_t gpa);

/* Let the guest write the watched page holding gpa (writable) or not, in
 * the EPT in use; the caller runs INVEPT after taking the right away.
 * False when the page is not watched. */
bool guest_mem_watch_writable(uint64_t gpa, bool writable);

/* Make every watched page writable in the EPT in use and forget them, so
 * that later EPT rebuilds do not protect them again; the caller runs
 * INVEPT. */
void guest_mem_unwatch_all(void);

#endif

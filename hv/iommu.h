/*
 * DMA protection with VT-d: the policy (iommu=required|auto|off), the
 * bring-up order and the fault reports.  The DMAR table is parsed by
 * drivers/dmar.c, each unit programmed by drivers/vtd.c, the DMA identity
 * map built by mm/dma_map.c.  docs/iommu.md says what is protected.
 *
 * Order in hv_main: iommu_init() right after the page allocator and host
 * paging, before VMX detection (so an emulator without VMX runs it too),
 * with the hypervisor ranges known then (image, pool); it also hides the
 * units' registers from the guest (mm_layout kept ranges).  Once the
 * guest's memory is laid out, iommu_follow_guest_mem() rebuilds the map
 * from exactly the guest EPT's holes and limit.
 */
#ifndef HV_IOMMU_H
#define HV_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "drivers/vtd.h"
#include "mm/layout.h"

/* Find the DMAR table, program and enable every unit, or apply the
 * policy: iommu=required stops when that fails, auto warns that DMA is
 * unprotected.  Adds each unit's register range to l->kept. */
void iommu_init(const struct boot_info *bi, struct mm_layout *l);

/* Whether DMA remapping is on (every unit of the DMAR table enabled). */
bool iommu_active(void);

/* Rebuild the DMA map from the guest EPT's holes (after guest_mem_init),
 * over the memory map's limit iommu_init() chose, and switch every unit to
 * it; stops on failure when DMA remapping was on. */
void iommu_follow_guest_mem(void);

/* Take at most IOMMU_POLL_MAX faults from the units, count and log them
 * (rate-limited); copy up to max of them into out (out may be NULL).
 * Returns how many were taken. */
uint32_t iommu_poll_faults(struct vtd_fault *out, uint32_t max);

/* iommu_poll_faults(NULL, 0) at most once per IOMMU_POLL_TSC cycles:
 * cheap enough for every VM exit. */
void iommu_poll_periodic(void);

/* Log the fault counters (after the guest stopped). */
void iommu_stats_log(void);

/* Fault counters. */
struct iommu_stats {
	uint64_t faults;            /* fault records taken */
	uint64_t overflows;         /* times a unit had to drop faults */
	uint64_t logged;            /* faults logged one by one */
};
void iommu_stats_get(struct iommu_stats *out);

#define IOMMU_POLL_MAX          16          /* records per poll, all units */
#define IOMMU_LOG_FIRST         16          /* faults logged one by one */
#define IOMMU_LOG_EVERY         1024        /* then one line per this many */
#define IOMMU_POLL_TSC          (1ull << 24)

/* Test aid for hv/iommu_selftest.c: rebuild the map iommu_init built with
 * one more hole, the page at page, and switch every unit to it exactly as
 * iommu_follow_guest_mem() does (context entries rewritten, caches
 * invalidated, old tables freed).  False when remapping is off or that
 * fails. */
bool iommu_test_hide_page(const struct mm_layout *l, uint64_t page);

/* The test aid debug-iommu-dma (hv/iommu_selftest.c): drive QEMU's edu
 * device's DMA at guest RAM and at hypervisor memory and stop with the
 * verdict.  Never returns. */
__attribute__((noreturn)) void iommu_selftest(const struct mm_layout *l);

#endif

/*
 * The guest's page walk as pure code (Intel SDM Vol. 3, "Paging"): the
 * paging registers come in a struct, guest-physical memory through two
 * callbacks, so the host unit tests run it over tables built in a fake
 * memory.  hv/vcpu/guest_linear.c is the thin glue that fills the struct
 * from the VMCS and passes copy_from_guest()/copy_to_guest().
 *
 * Modes: no paging (CR0.PG = 0), 32-bit (4 KiB and, with CR4.PSE, 4 MiB
 * pages incl. PSE-36), PAE (the four PDPTE registers, 2 MiB pages),
 * 4-level and 5-level (CR4.LA57; 2 MiB and 1 GiB pages).  Checks: present,
 * reserved bits (MAXPHYADDR, XD without EFER.NXE, PS where it is reserved),
 * U/S, R/W with CR0.WP, XD with EFER.NXE, SMEP, SMAP (RFLAGS.AC for
 * explicit accesses), protection keys (PKRU, 4/5-level only).  Accessed
 * and dirty bits are set after a successful walk, as the CPU sets them.
 * Not modelled: shadow-stack pages (CET), HLAT, PKS (supervisor keys).
 */
#ifndef HV_VCPU_PAGE_WALK_H
#define HV_VCPU_PAGE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/vcpu/guest_linear.h"

/* #PF error code bits (SDM Vol. 3, "Page-Fault Exceptions"). */
#define PF_ERR_P        (1u << 0)   /* protection violation (0: not present) */
#define PF_ERR_W        (1u << 1)   /* the access was a write */
#define PF_ERR_U        (1u << 2)   /* the access was a user-mode access */
#define PF_ERR_RSVD     (1u << 3)   /* a reserved bit was set in an entry */
#define PF_ERR_ID       (1u << 4)   /* instruction fetch (SMEP or PAE+NXE) */
#define PF_ERR_PK       (1u << 5)   /* protection-key violation */

/* The registers that decide a translation. */
struct paging_regs {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t pdpte[4];      /* PAE paging without IA-32e mode: PDPTE0-3 */
	uint64_t rflags;        /* AC, for SMAP on explicit supervisor accesses */
	uint32_t pkru;          /* protection keys (CR4.PKE, 4/5-level) */
	uint8_t maxphyaddr;     /* CPUID.80000008H:EAX[7:0] */
	bool gbpages;           /* 1-GiB pages: CPUID.80000001H:EDX.Page1GB */
};

/* Guest-physical memory for the walk: read and write return false when
 * [gpa, gpa + len) is not memory root mode may touch. */
struct guest_phys_mem {
	void *ctx;
	bool (*read)(void *ctx, uint64_t gpa, void *dst, size_t len);
	bool (*write)(void *ctx, uint64_t gpa, const void *src, size_t len);
};

/* Translate gla for an access of kind `access` with GLA_* flags.  With
 * set_ad, the accessed bits of every entry used (and the dirty bit of the
 * last one for a write) are set when the translation succeeds.  On
 * GLA_PAGE_FAULT, *fault holds CR2 and the error code. */
enum gla_result page_walk(const struct paging_regs *r,
			  const struct guest_phys_mem *mem, uint64_t gla,
			  enum gla_access access, uint32_t flags, bool set_ad,
			  uint64_t *gpa, struct gla_fault *fault);

/* The guest's paging registers from the current VMCS (hv/vcpu/guest_linear.c),
 * for callers that walk with their own guest_phys_mem (the monitor's gva). */
void guest_paging_regs(struct paging_regs *r);

/* True when gla is canonical for the paging mode of r (always true
 * outside IA-32e mode, where linear addresses have 32 bits). */
bool page_walk_canonical(const struct paging_regs *r, uint64_t gla);

/* Read len bytes at gla (pages may differ in translation); sets A bits. */
enum gla_result page_walk_read(const struct paging_regs *r,
			       const struct guest_phys_mem *mem, uint64_t gla,
			       void *dst, size_t len, enum gla_access access,
			       uint32_t flags, struct gla_fault *fault);

/* Write len bytes at gla: every page is checked before the first byte is
 * written, so a fault leaves memory unchanged; sets A and D bits.  Each
 * piece of up to PAGE_SIZE bytes is translated whole before it is
 * written (a longer write that rewrites its own page tables sees the
 * change in its later pieces, as a string store would). */
enum gla_result page_walk_write(const struct paging_regs *r,
				const struct guest_phys_mem *mem, uint64_t gla,
				const void *src, size_t len, uint32_t flags,
				struct gla_fault *fault);

#endif

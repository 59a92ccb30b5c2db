/*
 * Guest-linear memory as the guest's own CPU would see it: segmentation is
 * the caller's job (it passes a linear address), paging is ours.  The walk
 * follows the guest's paging mode (CR0.PG, CR4.PAE, EFER.LMA, CR4.LA57:
 * none, 32-bit, PAE, 4-level, 5-level) through its page tables, which are
 * read with copy_from_guest() only: a table or a target outside usable
 * guest RAM is never read or written by root mode.  Accessed and dirty
 * bits are set as the CPU sets them.
 *
 * Users: the task-switch emulation (TSS, GDT, LDT and stack accesses, all
 * supervisor-mode implicit accesses), the instruction decoder (fetch at
 * CS:RIP with the guest's CPL) and the virtual LAPIC's software path.
 */
#ifndef HV_VCPU_GUEST_LINEAR_H
#define HV_VCPU_GUEST_LINEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

/* How an access is made, for the permission checks and the #PF error code
 * (SDM Vol. 3, "Access Rights" and "Page-Fault Exceptions"). */
enum gla_access {
	GLA_READ,
	GLA_WRITE,
	GLA_FETCH,
};

/* GLA_USER: a user-mode (CPL 3) access; without it the access is a
 * supervisor one (CPL < 3, or an implicit supervisor access such as a TSS
 * or descriptor-table access, which ignores SMAP's AC rule). */
#define GLA_USER        (1u << 0)

/* GLA_EXPLICIT: a supervisor data access the guest's own instruction makes
 * (not an implicit one): SMAP lets it reach user pages when RFLAGS.AC = 1.
 * guest_linear_cpl_flags() gives GLA_USER or GLA_EXPLICIT from the CPL. */
#define GLA_EXPLICIT    (1u << 1)

enum gla_result {
	GLA_OK,             /* the whole range was read or written */
	GLA_PAGE_FAULT,     /* the guest's paging refuses: inject fault->{cr2, error_code} as #PF */
	GLA_NOT_RAM,        /* a table or the target is not usable guest RAM: report, stop the guest */
	GLA_NOT_CANONICAL,  /* IA-32e mode, address not canonical: #GP(0) (#SS(0) for the stack) */
};

struct gla_fault {
	uint64_t cr2;           /* faulting linear address */
	uint32_t error_code;    /* #PF error code (P, W/R, U/S, RSVD, I/D, PK) */
};

/* Translate one linear address; on GLA_OK *gpa is the guest-physical
 * address.  Does not set accessed/dirty bits. */
enum gla_result guest_linear_translate(struct vcpu *v, uint64_t gla,
				       enum gla_access access, uint32_t flags,
				       uint64_t *gpa, struct gla_fault *fault);

/* Read len bytes at linear gla (may cross pages) into dst. */
enum gla_result guest_linear_read(struct vcpu *v, uint64_t gla, void *dst,
				  size_t len, enum gla_access access,
				  uint32_t flags, struct gla_fault *fault);

/* Write len bytes from src at linear gla (may cross pages).  Every page is
 * translated before the first byte is written, so a fault leaves guest
 * memory unchanged. */
enum gla_result guest_linear_write(struct vcpu *v, uint64_t gla,
				   const void *src, size_t len, uint32_t flags,
				   struct gla_fault *fault);

/* The GLA_* flags of an explicit access by the guest's current
 * instruction: GLA_USER at CPL 3 (the DPL of SS's access rights, SDM Vol.
 * 3, "Privilege Levels"), else GLA_EXPLICIT. */
uint32_t guest_linear_cpl_flags(struct vcpu *v);

#endif

/*
 * 4-level paging (Intel SDM Vol. 3, "4-Level Paging"): the page sizes, the
 * paging-structure geometry and the entry bits (the tables "Format of a
 * ... Entry").  Here, below mm/, so the AP trampoline (a SIPI vector is a
 * page number) and the multiboot2 entry's boot page tables can use them
 * too.  Plain #defines: usable from C and assembly.
 */
#ifndef ARCH_X86_PAGE_H
#define ARCH_X86_PAGE_H

#include "lib/bits.h"

#define PAGE_SHIFT         12
#define PAGE_SIZE          BIT_ULL(PAGE_SHIFT)

/* Every paging structure is one page of 512 eight-byte entries; each
 * level translates 9 bits of the address. */
#define PT_ENTRIES         512
#define PTE_SIZE           8
#define PT_INDEX_BITS      9
#define PT_SHIFT           12             /* a PTE maps 4 KiB */
#define PD_SHIFT           21             /* a PDE maps 2 MiB (PS=1) */
#define PDPT_SHIFT         30             /* a PDPTE maps 1 GiB (PS=1) */
#define PML4_SHIFT         39             /* a PML4E covers 512 GiB */

#define SIZE_4K            BIT_ULL(PT_SHIFT)
#define SIZE_2M            BIT_ULL(PD_SHIFT)
#define SIZE_1G            BIT_ULL(PDPT_SHIFT)

/* Paging-structure entry bits. */
#define PTE_PRESENT        BIT_ULL(0)
#define PTE_WRITABLE       BIT_ULL(1)     /* R/W */
#define PTE_USER           BIT_ULL(2)     /* U/S: never set, supervisor only */
#define PTE_PWT            BIT_ULL(3)     /* never set: PAT index 0 = WB */
#define PTE_PCD            BIT_ULL(4)     /* never set */
#define PTE_ACCESSED       BIT_ULL(5)
#define PTE_DIRTY          BIT_ULL(6)
#define PTE_PAGE_SIZE      BIT_ULL(7)     /* PS: PDPTE/PDE maps a page */
#define PTE_GLOBAL         BIT_ULL(8)
#define PTE_ADDR_MASK      ULL_C(0x000ffffffffff000)
#define PTE_XD             BIT_ULL(63)    /* needs EFER.NXE; never set */

#endif

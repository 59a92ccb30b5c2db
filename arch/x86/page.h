/*
 * The base page: 4 KiB (Intel SDM Vol. 3, "Paging").  Here, below mm/, so
 * the AP trampoline (a SIPI vector is a page number) can use it too.
 */
#ifndef ARCH_X86_PAGE_H
#define ARCH_X86_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ull << PAGE_SHIFT)

#endif

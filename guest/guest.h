/*
 * What a guest loader hands to the VMX core: where the guest starts and in
 * which CPU mode, and the register values its boot protocol defines.  The
 * loaders (guest/multiboot/loader.c, guest/linux/loader.c) place the images in
 * guest memory (identity-mapped: guest-physical = host-physical) and fill
 * this; hv/vmcs/guest.c turns it into VMCS guest state.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* Room for a loader's error message (the reason a guest cannot start). */
#define GUEST_LOAD_ERROR_MAX 240

enum guest_entry_mode {
	/* 32-bit protected mode, flat 4 GiB CS/DS/ES/FS/GS/SS, paging off,
	 * interrupts off: multiboot (v1) and the Linux 32-bit boot protocol. */
	GUEST_ENTRY_PROTECTED32 = 1,
	/* 64-bit mode with an identity map the loader built in guest memory:
	 * the Linux 64-bit boot protocol. */
	GUEST_ENTRY_LONG64,
};

struct guest_entry {
	uint32_t mode;              /* enum guest_entry_mode */
	uint64_t rip;
	uint64_t rsp;
	uint64_t rax, rbx, rsi;     /* boot-protocol registers */
	uint64_t cr3;               /* GUEST_ENTRY_LONG64 only */
	uint64_t gdt_base;          /* GUEST_ENTRY_LONG64: the loader's GDT */
	uint16_t gdt_limit;
};

#endif

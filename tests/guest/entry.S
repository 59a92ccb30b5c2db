/*
 * Multiboot (v1) entry: 32-bit protected mode -> (quiet-console's spin,
 * quiet.S) -> real mode and back
 * (realmode.S) -> hardware task switches (tasks.S) -> long mode ->
 * guest_main().
 *
 * The loader leaves us in 32-bit protected mode with paging off, EAX =
 * MB1_BOOTLOADER_MAGIC, EBX = physical address of the multiboot information,
 * and no usable GDT, IDT or stack (Multiboot 0.6.96, "Machine state").
 */
#include "tests/guest/layout.h"
#include "tests/guest/multiboot.h"

#define BOOT_STACK_SIZE 16384

	.section .multiboot, "a"
	.balign 4
/* The a.out kludge (flag 16) makes GRUB and QEMU -kernel load the file
 * range [load_addr, load_end_addr) by these addresses instead of parsing the
 * ELF: QEMU refuses a 64-bit ELF otherwise.  The file range starts at this
 * header, so the header must be the first thing in the image. */
mb_header:
	.long MB1_HEADER_MAGIC
	.long MB_HEADER_FLAGS
	.long -(MB1_HEADER_MAGIC + MB_HEADER_FLAGS)
	.long mb_header          /* header_addr */
	.long __image_start      /* load_addr */
	.long __load_end         /* load_end_addr */
	.long __bss_end          /* bss_end_addr */
	.long _start             /* entry_addr */

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov %eax, %ebp                 /* the magic survives the bss clear */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov $boot_stack_top, %esp
	mov %ebp, mb_magic

	lgdt gdt_ptr
	ljmp $SEL_CODE32, $1f
1:	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs

	call save_multiboot_info       /* before the trampoline overwrites low memory */
	call quiet_console_spin        /* quiet.S: before any port is touched */
	call realmode_trip
	call task_trip                 /* tasks.S: legacy protected mode only */
	call hlt_sti_protected         /* hlt_modes.S */
	call build_page_tables
	jmp enter_long_mode

/*
 * Copy the boot information, the command line and the memory map into the
 * image.  In: EBX = multiboot info, mb_magic set.  Clobbers EAX, ECX, ESI, EDI.
 */
save_multiboot_info:
	cmpl $MB1_BOOTLOADER_MAGIC, mb_magic
	jne 9f
	mov %ebx, %esi
	mov $mb_info_copy, %edi
	mov $MB_INFO_COPY_SIZE, %ecx
	rep movsb

	testl $MB1_INFO_CMDLINE, mb_info_copy + MB1_INFO_OFF_FLAGS
	jz 3f
	mov mb_info_copy + MB1_INFO_OFF_CMDLINE, %esi
	mov $mb_cmdline, %edi
	mov $(MB_CMDLINE_MAX - 1), %ecx
2:	lodsb
	stosb
	test %al, %al
	loopnz 2b                      /* NUL copied, or the buffer is full */
	movb $0, mb_cmdline + MB_CMDLINE_MAX - 1

3:	testl $MB1_INFO_MEM_MAP, mb_info_copy + MB1_INFO_OFF_FLAGS
	jz 9f
	mov mb_info_copy + MB1_INFO_OFF_MMAP_LENGTH, %ecx
	cmp $MB_MMAP_MAX, %ecx
	jbe 4f
	mov $MB_MMAP_MAX, %ecx         /* keep the first entries only */
4:	mov %ecx, mb_mmap_length
	mov mb_info_copy + MB1_INFO_OFF_MMAP_ADDR, %esi
	mov $mb_mmap, %edi
	rep movsb
9:	ret

/*
 * Copy realmode.S to TRAMPOLINE_BASE and run it: it switches to real mode,
 * writes to COM1, fills the realmode_report and comes back to
 * realmode_return in 32-bit protected mode.  Preserves all registers.
 */
realmode_trip:
	pushal
	mov %esp, saved_esp32
	mov $realmode_start, %esi
	mov $TRAMPOLINE_BASE, %edi
	mov $realmode_end, %ecx
	sub $realmode_start, %ecx
	rep movsb
	ljmp $SEL_CODE16, $TRAMPOLINE_BASE

	.globl realmode_return
realmode_return:
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov saved_esp32, %esp
	popal
	ret

/*
 * Identity-map the first IDENTITY_MAP_GIB GiB with 2 MiB pages: one PML4
 * entry, IDENTITY_MAP_GIB PDPT entries, one full PD per GiB.  Everything
 * above stays unmapped (the #PF check relies on it).  Clobbers EAX, ECX, EDI.
 */
build_page_tables:
	mov $(pdpt + PTE_PRESENT + PTE_WRITE), %eax
	mov %eax, pml4
	mov $pdpt, %edi
	mov $(pd + PTE_PRESENT + PTE_WRITE), %eax
	mov $IDENTITY_MAP_GIB, %ecx
1:	mov %eax, (%edi)
	add $8, %edi
	add $PAGE_SIZE, %eax
	loop 1b

	mov $pd, %edi
	mov $(PTE_PRESENT + PTE_WRITE + PTE_LARGE), %eax
	mov $(IDENTITY_MAP_GIB * PD_ENTRIES), %ecx
2:	mov %eax, (%edi)               /* high half stays 0: all below 4 GiB */
	add $8, %edi
	add $LARGE_PAGE_SIZE, %eax
	loop 2b
	ret

/* PAE, long mode enable, paging: the far jump lands in 64-bit code.  CR0
 * and CR4 get known values rather than the loader's (Bochs' BIOS leaves
 * CR0.CD and NW set): caches on, only what long mode needs. */
enter_long_mode:
	mov $X86_CR4_PAE, %eax
	mov %eax, %cr4
	mov $pml4, %eax
	mov %eax, %cr3
	mov $X86_MSR_EFER, %ecx
	rdmsr
	or $X86_EFER_LME, %eax
	wrmsr
	mov $(X86_CR0_PG | X86_CR0_PE | X86_CR0_ET | X86_CR0_NE), %eax
	mov %eax, %cr0
	ljmp $SEL_CODE64, $long_mode_entry

	.code64
long_mode_entry:
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov $boot_stack_top, %rsp
	xor %ebp, %ebp
	call guest_main
1:	cli
	hlt
	jmp 1b

	.data                          /* the CPU sets descriptor accessed bits */
	.balign 8
gdt:
	.quad 0                        /* null */
	.quad 0x00af9a000000ffff       /* SEL_CODE64: L=1, ring 0 */
	.quad 0x00cf9a000000ffff       /* SEL_CODE32: 4 GiB flat */
	.quad 0x00cf92000000ffff       /* SEL_DATA: 4 GiB flat, writable */
	.quad 0x00009a000000ffff       /* SEL_CODE16: base 0, 64 KiB, 16-bit */
	.quad 0x000092000000ffff       /* SEL_DATA16: real-mode-like limits */
gdt_end:
	.balign 4
	.word 0                        /* aligns the base below */
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt

	.bss
	.balign PAGE_SIZE
pml4:	.skip PAGE_SIZE
pdpt:	.skip PAGE_SIZE
pd:	.skip PAGE_SIZE * IDENTITY_MAP_GIB
	.balign 16
	.globl boot_stack, boot_stack_top   /* the fuzz check leaves them out */
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
saved_esp32:
	.skip 4

	.globl mb_magic, mb_info_copy, mb_cmdline, mb_mmap_length, mb_mmap
mb_magic:	.skip 4
mb_mmap_length:	.skip 4
mb_info_copy:	.skip MB1_INFO_SIZE
mb_cmdline:	.skip MB_CMDLINE_MAX
	.balign 8
mb_mmap:	.skip MB_MMAP_MAX

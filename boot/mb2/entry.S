/*
 * Multiboot2 entry: from GRUB's 32-bit protected mode to 64-bit long mode,
 * then mb2_main() in C.
 *
 * GRUB's entry state (Multiboot2 Specification, "Machine state"), the same
 * on BIOS and UEFI machines because the header asks for no EFI boot-services
 * tag: 32-bit protected mode, paging off, flat CS/DS/ES/SS, interrupts off,
 * EAX = MB2_BOOTLOADER_MAGIC, EBX = physical address of the boot
 * information.  No stack, no GDT we may rely on.
 *
 * The page tables built here identity-map the first 4 GiB with 2 MiB
 * pages: enough for the image (linked at 4 MiB), GRUB's boot information,
 * modules (GRUB keeps them below 4 GiB), the legacy BIOS area and the
 * local APIC.  The core replaces them (mm/paging.c).
 */
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "boot/mb2/multiboot2.h"

/* Paging structures (SDM Vol. 3, "4-Level Paging"). */
#define PAGE_SIZE           4096
#define LARGE_PAGE_SIZE     0x200000        /* a 2 MiB page, one PDE */
#define PTE_SIZE            8
#define PT_ENTRIES          512
#define PTE_PRESENT         (1 << 0)
#define PTE_WRITABLE        (1 << 1)
#define PDE_PAGE_SIZE       (1 << 7)        /* PDE maps a 2 MiB page */
#define BOOT_PD_COUNT       4               /* 4 x 1 GiB page directories */
#define PT_TABLE_FLAGS      (PTE_PRESENT | PTE_WRITABLE)
#define PT_LARGE_FLAGS      (PTE_PRESENT | PTE_WRITABLE | PDE_PAGE_SIZE)

/* Control register and flag bits (SDM Vol. 3, "Control Registers"). */
#define CR0_NW              (1 << 29)
#define CR0_CD              (1 << 30)
#define CR0_WP              (1 << 16)
#define CR0_PG              (1 << 31)
#define CR4_PAE             (1 << 5)
#define EFER_LME_BIT        8
#define EFLAGS_ID           (1 << 21)       /* writable iff CPUID exists */

/* CPUID (SDM Vol. 2A, "CPUID"). */
#define CPUID_EXT_EDX_LM_BIT 29             /* Intel 64 / long mode */

/* Boot GDT: null, 64-bit code, flat data.  Accessed bits preset, so the
 * CPU never writes to the table. */
#define GDT_SEL_CODE64      0x08
#define GDT_SEL_DATA        0x10
#define GDT_DESC_CODE64     0x00af9b000000ffff  /* P, DPL 0, L, exec/read */
#define GDT_DESC_DATA       0x00cf93000000ffff  /* P, DPL 0, 4 GiB, rw */

/* The 16550 on COM1, only for the no-long-mode message (SERIAL_COM1_PORT
 * in drivers/serial.h; that header is C only). */
#define COM1_PORT           0x3f8
#define UART_THR            0               /* transmit holding register */
#define UART_DLL            0               /* divisor latch, low (DLAB=1) */
#define UART_IER            1
#define UART_DLM            1               /* divisor latch, high (DLAB=1) */
#define UART_FCR            2
#define UART_LCR            3
#define UART_MCR            4
#define UART_LSR            5
#define UART_LCR_DLAB       0x80
#define UART_LCR_8N1        0x03
#define UART_FCR_ENABLE     0x07            /* enable and clear FIFOs */
#define UART_MCR_DTR_RTS    0x03
#define UART_LSR_THRE       0x20            /* ready for the next byte */
#define UART_DIVISOR_115200 1
#define UART_POLL_LIMIT     100000          /* no UART: do not wait for ever */

#define BOOT_STACK_SIZE     (64 * 1024)

	.section .text.boot32, "ax"
	.code32

/*
 * mb2_entry32: the ELF entry point.
 * In:  EAX = multiboot2 magic, EBX = boot information (physical).
 * Out: does not return; calls mb2_main(magic, info) in 64-bit mode.
 * Keeps the magic in EBP and the info address in ESI (no instruction below
 * touches them), clobbers everything else.
 */
	.globl mb2_entry32
	.type mb2_entry32, @function
mb2_entry32:
	cli
	cld
	movl %eax, %ebp
	movl %ebx, %esi

	/* GRUB zeroes .bss; other loaders might not, and the page tables
	 * below assume zeroed memory. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl $boot_stack_top, %esp
	call check_long_mode
	call build_boot_page_tables

	lgdt boot_gdt_ptr
	movw $GDT_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $IA32_EFER, %ecx
	rdmsr
	btsl $EFER_LME_BIT, %eax
	wrmsr
	/* Caches on: a BIOS may leave CR0.CD and NW set (Bochs's does),
	 * and VM entry carries them into the guest on Bochs. */
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0                 /* now in compatibility mode */
	ljmp $GDT_SEL_CODE64, $mb2_entry64
	.size mb2_entry32, . - mb2_entry32

/*
 * check_long_mode: return if the CPU has CPUID and long mode; otherwise
 * print the reason on COM1 and halt for good.
 * Clobbers EAX, EBX, ECX, EDX.
 */
check_long_mode:
	pushfl                          /* CPUID exists iff EFLAGS.ID toggles */
	popl %eax
	movl %eax, %ecx
	xorl $EFLAGS_ID, %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	pushl %ecx
	popfl
	cmpl %eax, %ecx
	je no_long_mode

	movl $CPUID_EXT_MAX_LEAF, %eax
	cpuid
	cmpl $CPUID_EXT_FEATURES, %eax
	jb no_long_mode
	movl $CPUID_EXT_FEATURES, %eax
	cpuid
	btl $CPUID_EXT_EDX_LM_BIT, %edx
	jnc no_long_mode
	ret

/* Not a return path: say why on COM1 (115200 8N1), then halt. */
no_long_mode:
	call uart_init32
	movl $no_long_mode_msg, %ebx
1:	movb (%ebx), %al
	testb %al, %al
	jz halt32
	call uart_putc32
	incl %ebx
	jmp 1b
halt32:
	cli
	hlt
	jmp halt32

/*
 * uart_init32: program COM1 for 115200 8N1, FIFOs on, interrupts off.
 * Clobbers EAX, EDX.
 */
.macro uart_out reg, value
	movw $(COM1_PORT + \reg), %dx
	movb $\value, %al
	outb %al, %dx
.endm
uart_init32:
	uart_out UART_IER, 0
	uart_out UART_LCR, UART_LCR_DLAB
	uart_out UART_DLL, UART_DIVISOR_115200
	uart_out UART_DLM, 0
	uart_out UART_LCR, UART_LCR_8N1
	uart_out UART_FCR, UART_FCR_ENABLE
	uart_out UART_MCR, UART_MCR_DTR_RTS
	ret

/*
 * uart_putc32: write AL to COM1 once the transmitter is free (or after a
 * bounded wait, when no UART answers).
 * In: AL.  Clobbers EAX, ECX, EDX.
 */
uart_putc32:
	movb %al, %ah
	movl $UART_POLL_LIMIT, %ecx
	movw $(COM1_PORT + UART_LSR), %dx
1:	inb %dx, %al
	testb $UART_LSR_THRE, %al
	jnz 2f
	loop 1b
2:	movw $(COM1_PORT + UART_THR), %dx
	movb %ah, %al
	outb %al, %dx
	ret

/*
 * build_boot_page_tables: PML4[0] -> PDPT; PDPT[0..3] -> four page
 * directories; their 2048 PDEs map 2 MiB pages 0..4 GiB, identity.
 * Expects the tables zeroed.  Clobbers EAX, ECX, EDI.
 */
build_boot_page_tables:
	movl $(boot_pdpt + PT_TABLE_FLAGS), boot_pml4

	movl $(boot_pd + PT_TABLE_FLAGS), %eax
	movl $boot_pdpt, %edi
	movl $BOOT_PD_COUNT, %ecx
1:	movl %eax, (%edi)
	addl $PAGE_SIZE, %eax
	addl $PTE_SIZE, %edi
	loop 1b

	movl $PT_LARGE_FLAGS, %eax
	movl $boot_pd, %edi
	movl $(BOOT_PD_COUNT * PT_ENTRIES), %ecx
2:	movl %eax, (%edi)
	addl $LARGE_PAGE_SIZE, %eax
	addl $PTE_SIZE, %edi
	loop 2b
	ret

	.code64
/*
 * mb2_entry64: first 64-bit instruction, reached by the far jump.
 * In: EBP = magic, ESI = info address (upper halves undefined after the
 * mode switch).  Calls mb2_main(RDI = magic, RSI = info) on the boot
 * stack with RFLAGS.DF clear; mb2_main never returns.
 */
mb2_entry64:
	movw $GDT_SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $boot_stack_top, %esp      /* zero-extends into RSP */
	cld
	movl %ebp, %edi                 /* zero-extends into RDI */
	movl %esi, %esi                 /* zero-extends into RSI */
	xorl %ebp, %ebp                 /* ends the frame-pointer chain */
	call mb2_main
1:	cli
	hlt
	jmp 1b

	.section .rodata
no_long_mode_msg:
	.asciz "[hv] error: this CPU has no 64-bit long mode; the hypervisor cannot run here.\r\n"

	.section .data
	.balign 8
boot_gdt:
	.quad 0
	.quad GDT_DESC_CODE64
	.quad GDT_DESC_DATA
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss
	.balign PAGE_SIZE
boot_pml4:
	.skip PAGE_SIZE
boot_pdpt:
	.skip PAGE_SIZE
boot_pd:
	.skip PAGE_SIZE * BOOT_PD_COUNT

	.balign PAGE_SIZE
	.globl boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits

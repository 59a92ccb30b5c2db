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
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/desc.h"
#include "arch/x86/msr.h"
#include "arch/x86/page.h"
#include "boot/mb2/multiboot2.h"
#include "drivers/serial.h"
#include "drivers/uart16550.h"
#include "lib/bits.h"

/* Boot page tables (arch/x86/page.h): one PML4 entry, four PDPT entries
 * for four page directories of 2 MiB pages, 1 GiB each. */
#define BOOT_PD_COUNT       (SIZE_4G >> PDPT_SHIFT)
#define PT_TABLE_FLAGS      (PTE_PRESENT | PTE_WRITABLE)
#define PT_LARGE_FLAGS      (PTE_PRESENT | PTE_WRITABLE | PTE_PAGE_SIZE)

/* The boot GDT has the layout of the hypervisor's first three entries
 * (arch/x86/desc.h): null, 64-bit code, flat data.  Accessed bits preset,
 * so the CPU never writes to the table. */

/* COM1 for the no-long-mode message: 115200 8N1, FIFOs on and cleared,
 * DTR and RTS asserted, interrupts off (drivers/uart16550.h). */
#define BOOT_UART_DIVISOR   (UART_BASE_BAUD / SERIAL_DEFAULT_BAUD)
#define BOOT_UART_FCR       (UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR | \
			     UART_FCR_CLEAR_XMIT)
#define BOOT_UART_MCR       (UART_MCR_DTR | UART_MCR_RTS)

#define BOOT_STACK_SIZE     (64 * 1024)
/* A word of conventional memory (above the real-mode IVT and BIOS data
 * area, below anything a loader uses) that holds the return address of one
 * CALL before the image has a stack; its content is put back. */
#define BOOT_SCRATCH_WORD   0xffc

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

	/* Where we run: the image is linked as a static PIE (linker/hv-mb2.ld),
	 * so this code takes no absolute address of its own; EBX becomes the
	 * run-time address of mb2_pic_base and IMAGE(sym) the run-time
	 * address of sym.  The CALL needs a stack, which the loader does not
	 * give: it borrows a word of conventional memory and puts it back. */
	movl BOOT_SCRATCH_WORD, %edx
	movl $(BOOT_SCRATCH_WORD + 4), %esp
	call mb2_pic_base
mb2_pic_base:
	popl %ebx
	movl %edx, BOOT_SCRATCH_WORD
#define IMAGE(sym) (sym - mb2_pic_base)(%ebx)

	/* GRUB zeroes .bss; other loaders might not, and the page tables
	 * below assume zeroed memory. */
	leal IMAGE(__bss_start), %edi
	leal IMAGE(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	leal IMAGE(boot_stack_top), %esp
	call check_long_mode
	call build_boot_page_tables

	/* The GDT pointer's base is a link-time address: fill in where the
	 * table is. */
	leal IMAGE(boot_gdt), %eax
	movl %eax, IMAGE(boot_gdt_ptr + 2)
	lgdt IMAGE(boot_gdt_ptr)
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	leal IMAGE(boot_pml4), %eax
	movl %eax, %cr3
	movl $IA32_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	/* Caches on: a BIOS may leave CR0.CD and NW set (Bochs's does),
	 * and VM entry carries them into the guest on Bochs. */
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0                 /* now in compatibility mode */
	/* A far return instead of a far jump: its target is computed. */
	pushl $SEL_CODE
	leal IMAGE(mb2_entry64), %eax
	pushl %eax
	lret
	.size mb2_entry32, . - mb2_entry32

/*
 * check_long_mode: return if the CPU has CPUID and long mode; otherwise
 * print the reason on COM1 and halt for good.
 * Keeps EBX (see mb2_entry32); clobbers EAX, ECX, EDX.
 */
check_long_mode:
	pushl %ebx
	pushfl                          /* CPUID exists iff EFLAGS.ID toggles */
	popl %eax
	movl %eax, %ecx
	xorl $RFLAGS_ID, %eax
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
	testl $CPUID_80000001_EDX_LM, %edx
	jz no_long_mode
	popl %ebx
	ret

/* Not a return path: say why on COM1 (115200 8N1), then halt. */
no_long_mode:
	popl %ebx
	call uart_init32
	leal IMAGE(no_long_mode_msg), %esi
2:	movb (%esi), %al
	testb %al, %al
	jz halt32
	call uart_putc32
	incl %esi
	jmp 2b
halt32:
	cli
	hlt
	jmp halt32

/*
 * uart_init32: program COM1 for 115200 8N1, FIFOs on, interrupts off.
 * Clobbers EAX, EDX.
 */
.macro uart_out reg, value
	movw $(SERIAL_COM1_PORT + \reg), %dx
	movb $\value, %al
	outb %al, %dx
.endm
uart_init32:
	uart_out UART_IER, 0
	uart_out UART_LCR, UART_LCR_DLAB
	uart_out UART_DLL, BOOT_UART_DIVISOR
	uart_out UART_DLM, 0
	uart_out UART_LCR, UART_LCR_WLEN8
	uart_out UART_FCR, BOOT_UART_FCR
	uart_out UART_MCR, BOOT_UART_MCR
	ret

/*
 * uart_putc32: write AL to COM1 once the transmitter is free (or after a
 * bounded wait, when no UART answers).
 * In: AL.  Clobbers EAX, ECX, EDX.
 */
uart_putc32:
	movb %al, %ah
	movl $UART_POLL_LIMIT, %ecx
	movw $(SERIAL_COM1_PORT + UART_LSR), %dx
1:	inb %dx, %al
	testb $UART_LSR_THRE, %al
	jnz 2f
	loop 1b
2:	movw $(SERIAL_COM1_PORT + UART_THR), %dx
	movb %ah, %al
	outb %al, %dx
	ret

/*
 * build_boot_page_tables: PML4[0] -> PDPT; PDPT[0..3] -> four page
 * directories; their 2048 PDEs map 2 MiB pages 0..4 GiB, identity.
 * Expects the tables zeroed and EBX as set in mb2_entry32.
 * Clobbers EAX, ECX, EDI.
 */
build_boot_page_tables:
	leal IMAGE(boot_pdpt), %eax
	orl $PT_TABLE_FLAGS, %eax
	movl %eax, IMAGE(boot_pml4)

	leal IMAGE(boot_pd), %eax
	orl $PT_TABLE_FLAGS, %eax
	leal IMAGE(boot_pdpt), %edi
	movl $BOOT_PD_COUNT, %ecx
1:	movl %eax, (%edi)
	addl $PAGE_SIZE, %eax
	addl $PTE_SIZE, %edi
	loop 1b

	movl $PT_LARGE_FLAGS, %eax
	leal IMAGE(boot_pd), %edi
	movl $(BOOT_PD_COUNT * PT_ENTRIES), %ecx
2:	movl %eax, (%edi)
	addl $SIZE_2M, %eax
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
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	leaq boot_stack_top(%rip), %rsp
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
	.quad 0                         /* base: filled in by mb2_entry32 */

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

/*
 * Real-mode trampoline.  Assembled into the image, copied to TRAMPOLINE_BASE
 * by entry.S (realmode_trip) and run there; every address inside it goes
 * through TRAMP() so it is right at the copy's location.
 *
 * In:  16-bit protected mode at TRAMPOLINE_BASE (CS = SEL_CODE16, base 0),
 *      interrupts off, paging off, our GDT loaded.
 * Out: far jump to realmode_return in 32-bit protected mode (CS =
 *      SEL_CODE32); data segments must be reloaded there.  Writes a line to
 *      COM1 and fills the realmode_report at REALMODE_REPORT.
 * Clobbers: EAX, ECX, EDX, ESI, EDI, all segment registers, IDTR (set to the
 *      real-mode vector table; long mode loads its own).
 */
#include "tests/guest/layout.h"

#define TRAMP(sym) (TRAMPOLINE_BASE + (sym) - realmode_start)

	.text
	.code16
	.globl realmode_start, realmode_end
realmode_start:
	/* Load 16-bit data descriptors first: real mode keeps the hidden
	 * limits and attributes of whatever was loaded last. */
	mov $SEL_DATA16, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov %cr0, %eax
	and $~X86_CR0_PE, %eax
	mov %eax, %cr0
	ljmp $0, $TRAMP(rm_entry)

rm_entry:
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	mov $REALMODE_STACK_TOP, %sp
	lidt TRAMP(rm_idtr)            /* for NMIs only: IF stays 0 */

	call uart_init
	mov $TRAMP(msg_hello), %si
	call uart_puts
	call fill_report
	mov $TRAMP(msg_bda), %si
	call uart_puts
	mov REALMODE_REPORT + RMR_BDA_COM1, %ax
	call uart_put_hex16
	mov $TRAMP(msg_eol), %si
	call uart_puts

	movl $REALMODE_REPORT_MAGIC, REALMODE_REPORT + RMR_MAGIC
	mov %cr0, %eax
	or $X86_CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $SEL_CODE32, $realmode_return

/* What only real mode can show: CR0.PE clear, CS a paragraph number, BDA
 * through segment 0x40, seg:off aliasing.  Clobbers AX, ES. */
fill_report:
	mov %cr0, %eax
	mov %eax, REALMODE_REPORT + RMR_CR0
	mov %cs, %ax
	mov %ax, REALMODE_REPORT + RMR_CS
	mov $BDA_SEGMENT, %ax
	mov %ax, %es
	mov %es:BDA_COM1_PORT, %ax
	mov %ax, REALMODE_REPORT + RMR_BDA_COM1
	mov %es:BDA_BASE_MEMORY_KIB, %ax
	mov %ax, REALMODE_REPORT + RMR_BDA_BASEMEM
	mov $ALIAS_SEG, %ax
	mov %ax, %es
	movw $ALIAS_PATTERN, %es:ALIAS_OFF
	xor %ax, %ax
	mov %ax, %es
	cmpw $ALIAS_PATTERN, ALIAS_LINEAR
	sete %al
	mov %ax, REALMODE_REPORT + RMR_ALIAS_OK
	ret

/* 115200 8N1, FIFOs on.  Clobbers AX, DX. */
uart_init:
	mov $(COM1_BASE + UART_IER), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1_BASE + UART_LCR), %dx
	mov $UART_LCR_DLAB, %al
	out %al, %dx
	mov $(COM1_BASE + UART_DLL), %dx
	mov $UART_DIVISOR_115200, %al
	out %al, %dx
	mov $(COM1_BASE + UART_DLM), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1_BASE + UART_LCR), %dx
	mov $UART_LCR_8N1, %al
	out %al, %dx
	mov $(COM1_BASE + UART_FCR), %dx
	mov $UART_FCR_ENABLE_CLEAR, %al
	out %al, %dx
	mov $(COM1_BASE + UART_MCR), %dx
	mov $UART_MCR_DTR_RTS_OUT2, %al
	out %al, %dx
	ret

/* Send AL once the transmitter is empty (bounded wait).  Clobbers DX, ECX. */
uart_putc:
	push %ax
	mov $(COM1_BASE + UART_LSR), %dx
	mov $UART_TX_SPIN_LIMIT, %ecx
1:	in %dx, %al
	test $UART_LSR_THRE, %al
	jnz 2f
	dec %ecx
	jnz 1b
2:	pop %ax
	mov $(COM1_BASE + UART_THR), %dx
	out %al, %dx
	ret

/* In: DS:SI = NUL-terminated string.  Clobbers AX, SI, DX, ECX. */
uart_puts:
	lodsb
	test %al, %al
	jz 1f
	call uart_putc
	jmp uart_puts
1:	ret

/* In: AX = value, printed as 4 hex digits.  Clobbers AX, BX, CX, DX. */
uart_put_hex16:
	mov %ax, %bx
	mov $4, %cx
1:	rol $4, %bx
	mov %bl, %al
	and $0x0f, %al
	add $'0', %al
	cmp $'9', %al
	jbe 2f
	add $('a' - '9' - 1), %al
2:	push %cx
	call uart_putc
	pop %cx
	loop 1b
	ret

rm_idtr:
	.word 0x3ff                    /* the real-mode vector table at 0 */
	.long 0
msg_hello:
	.asciz "[guest] real mode: hello from real mode (CR0.PE=0, COM1 via real-mode I/O)\r\n"
msg_bda:
	.asciz "[guest] real mode: BIOS data area COM1 port=0x"
msg_eol:
	.asciz "\r\n"
realmode_end:
/* guest.ld asserts the size against TRAMPOLINE_MAX_SIZE. */

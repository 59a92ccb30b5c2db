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
 *
 * The copy stays at TRAMPOLINE_BASE for the whole run: the init-self mode
 * (tests/guest/init_self.c) points the BIOS warm-reset vector at its second
 * entry, init_self_entry, below.
 */
#include "drivers/emu_exit.h"
#include "hv/exit/hypercall.h"
#include "tests/guest/layout.h"

#define TRAMP(sym) (TRAMPOLINE_BASE + (sym) - realmode_start)

	.text
	.code16
	.globl realmode_start, realmode_end, init_self_entry
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
	call hlt_sti_real
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

/*
 * `sti; hlt` in real mode (issue 10): PIT channel 0 at about 1 kHz through
 * the BIOS's 8259 mapping (IRQ 0 = vector 8, IVT entry 8 pointed at
 * rm_tick), HLT_TEST_ROUNDS rounds of `cli ... sti; hlt` (HLT in the STI
 * shadow), then as many of `cli ... sti; nop; hlt` (past it); each round
 * that a new tick ended is counted in the report (RMR_HLT_WOKEN).  A HLT that
 * never wakes hangs here: the boot test's timeout catches it.  IRQ 0 is
 * masked (the other lines as they were) and IVT entry 8 put back; the PIT
 * keeps running (the checks reprogram it).  Out: IF = 0.  Clobbers EAX,
 * BX, CX.
 */
#define RM_IVT_TIMER (BIOS_TIMER_VECTOR * 4)
hlt_sti_real:
	cli
	movw $0, REALMODE_REPORT + RMR_HLT_WOKEN
	pushl RM_IVT_TIMER
	movw $TRAMP(rm_tick), RM_IVT_TIMER
	movw $0, RM_IVT_TIMER + 2
	in $PIC_MASTER_DATA, %al
	push %ax
	and $~PIC_IRQ0_BIT, %al
	out %al, $PIC_MASTER_DATA
	mov $PIT_CH0_MODE2_LOHI, %al
	out %al, $PIT_COMMAND_PORT
	mov $(HLT_TEST_PIT_DIVISOR & 0xff), %al
	out %al, $PIT_CH0_PORT
	mov $(HLT_TEST_PIT_DIVISOR >> 8), %al
	out %al, $PIT_CH0_PORT
	mov $HLT_TEST_ROUNDS, %cx
1:	mov TRAMP(rm_ticks), %bx
	sti
	hlt                            /* in the STI shadow */
	cli
	cmp TRAMP(rm_ticks), %bx
	je 2f
	incw REALMODE_REPORT + RMR_HLT_WOKEN
2:	loop 1b
	mov $HLT_TEST_ROUNDS, %cx
3:	mov TRAMP(rm_ticks), %bx
	sti
	nop
	hlt                            /* past the STI shadow */
	cli
	cmp TRAMP(rm_ticks), %bx
	je 4f
	incw REALMODE_REPORT + RMR_HLT_WOKEN
4:	loop 3b
	pop %ax
	or $PIC_IRQ0_BIT, %al          /* the loader may have left IRQ 0 open */
	out %al, $PIC_MASTER_DATA
	popl RM_IVT_TIMER
	ret

/* IRQ 0 in real mode: count, EOI the master 8259. */
rm_tick:
	incw %cs:TRAMP(rm_ticks)
	push %ax
	mov $PIC_OCW2_EOI, %al
	out %al, $PIC_MASTER_COMMAND
	pop %ax
	iret
rm_ticks:
	.word 0

/*
 * init_self_entry: where the BIOS warm-reset path lands after the INIT the
 * init-self mode sent to its own CPU (far pointer 0000:TRAMP(init_self_entry)
 * at 0x467).
 * In:  real mode, CS = 0, DS = 0 (the BIOS's), every other register as INIT
 *      left it, except AX, BX and the flags, which the BIOS's path used.
 *      struct init_self_block at INIT_SELF_BLOCK, its want[] filled.
 * Out: never returns.  Records got[], prints every value (with the wanted
 *      one where they differ) and a verdict line on COM1, then ends the
 *      run: HC_TEST_EXIT under the hypervisor (RBX = number of values that
 *      differ; VMCALL at CPL 0 is allowed in real mode), else Bochs's
 *      shutdown port and QEMU's debug-exit port.
 */
#define GOT(v) (INIT_SELF_BLOCK + ISB_GOT + 4 * (v))
#define WANT(v) (INIT_SELF_BLOCK + ISB_WANT + 4 * (v))

init_self_entry:
	/* The general registers and selectors first, before anything uses them. */
	mov %edx, GOT(ISV_EDX)
	mov %ecx, GOT(ISV_ECX)
	mov %esi, GOT(ISV_ESI)
	mov %edi, GOT(ISV_EDI)
	mov %ebp, GOT(ISV_EBP)
	mov %esp, GOT(ISV_ESP)
	xor %eax, %eax
	mov %es, %ax
	mov %eax, GOT(ISV_ES)
	mov %ss, %ax
	mov %eax, GOT(ISV_SS)
	mov %fs, %ax
	mov %eax, GOT(ISV_FS)
	mov %gs, %ax
	mov %eax, GOT(ISV_GS)
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $REALMODE_STACK_TOP, %sp
	call init_self_record_system
	call uart_init
	mov $TRAMP(msg_init_hello), %si
	call uart_puts
	call init_self_report
	mov %bp, %bx
	jmp init_self_exit

/* Control, debug and descriptor-table registers into got[].  Clobbers
 * EAX, ECX, EDX. */
init_self_record_system:
	mov %cr0, %eax
	mov %eax, GOT(ISV_CR0)
	mov %cr2, %eax
	mov %eax, GOT(ISV_CR2)
	mov %cr3, %eax
	mov %eax, GOT(ISV_CR3)
	mov %cr4, %eax
	mov %eax, GOT(ISV_CR4)
	mov $X86_MSR_EFER, %ecx
	rdmsr
	mov %eax, GOT(ISV_EFER)
	mov %dr0, %eax
	mov %eax, GOT(ISV_DR0)
	mov %dr1, %eax
	mov %eax, GOT(ISV_DR1)
	mov %dr2, %eax
	mov %eax, GOT(ISV_DR2)
	mov %dr3, %eax
	mov %eax, GOT(ISV_DR3)
	mov %dr6, %eax
	mov %eax, GOT(ISV_DR6)
	mov %dr7, %eax
	mov %eax, GOT(ISV_DR7)
	sgdtl TRAMP(dt_scratch)
	mov TRAMP(dt_scratch) + 2, %eax
	mov %eax, GOT(ISV_GDTR_BASE)
	movzwl TRAMP(dt_scratch), %eax
	mov %eax, GOT(ISV_GDTR_LIMIT)
	sidtl TRAMP(dt_scratch)
	mov TRAMP(dt_scratch) + 2, %eax
	mov %eax, GOT(ISV_IDTR_BASE)
	movzwl TRAMP(dt_scratch), %eax
	mov %eax, GOT(ISV_IDTR_LIMIT)
	ret

/* Print "NAME=value" for every value (msg_init_names holds the names with
 * their separators and line starts, one string per value), "(want x)"
 * after one that differs, then the verdict line.  Out: BP = the number of
 * judged values (ISB_JUDGED) that differ.  Clobbers EAX, BX, ECX, DX, SI,
 * DI. */
init_self_report:
	xor %bp, %bp
	xor %di, %di                   /* value index * 4 */
	mov $TRAMP(msg_init_names), %si
1:	call uart_puts                 /* leaves SI on the next name */
	push %si
	mov GOT(0)(%di), %eax
	call uart_put_hex32
	mov GOT(0)(%di), %eax
	cmp WANT(0)(%di), %eax
	je 2f
	mov %di, %ax
	shr $2, %ax
	bt %ax, INIT_SELF_BLOCK + ISB_JUDGED
	adc $0, %bp
	mov $TRAMP(msg_want), %si
	call uart_puts
	mov WANT(0)(%di), %eax
	call uart_put_hex32
	mov $TRAMP(msg_close), %si
	call uart_puts
2:	pop %si
	add $4, %di
	cmp $(4 * ISV_COUNT), %di
	jb 1b
	mov $TRAMP(msg_init_pass), %si
	test %bp, %bp
	jz 3f
	mov $TRAMP(msg_init_fail), %si
3:	call uart_puts
	ret

/* End the run with BX = 0 (success) or not.  Never returns. */
init_self_exit:
	cmpl $0, INIT_SELF_BLOCK + ISB_UNDER_HV
	je 1f
	movzwl %bx, %ebx
	mov $HC_TEST_EXIT, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	vmcall
1:	mov $QEMU_EXIT_SUCCESS, %al
	test %bx, %bx
	jz 2f
	mov $QEMU_EXIT_FAILURE, %al
2:	out %al, $QEMU_DEBUG_EXIT_PORT
	mov $TRAMP(bochs_shutdown), %si
	mov $BOCHS_SHUTDOWN_PORT, %dx
3:	lodsb
	test %al, %al
	jz 4f
	out %al, %dx
	jmp 3b
4:	cli
	hlt
	jmp 4b

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

/* In: EAX = value, printed as 8 hex digits.  Clobbers EAX, BX, CX, DX. */
uart_put_hex32:
	push %eax
	shr $16, %eax
	call uart_put_hex16
	pop %eax
	jmp uart_put_hex16

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
msg_init_hello:
	.asciz "[guest] init-self: real mode again via the warm-reset vector\r\n"
msg_init_names:                        /* ISV_* order */
	.asciz "[guest] init-self: CR0="
	.asciz " CR2="
	.asciz " CR3="
	.asciz " CR4="
	.asciz " EFER="
	.asciz "\r\n[guest] init-self: DR0="
	.asciz " DR1="
	.asciz " DR2="
	.asciz " DR3="
	.asciz " DR6="
	.asciz " DR7="
	.asciz "\r\n[guest] init-self: EDX="
	.asciz " ECX="
	.asciz " ESI="
	.asciz " EDI="
	.asciz " EBP="
	.asciz " ESP="
	.asciz "\r\n[guest] init-self: ES="
	.asciz " SS="
	.asciz " FS="
	.asciz " GS="
	.asciz " GDTR.base="
	.asciz " GDTR.limit="
	.asciz " IDTR.base="
	.asciz " IDTR.limit="
msg_want:
	.asciz "(want "
msg_close:
	.asciz ")"
msg_init_pass:
	.asciz "\r\n[guest] init-self: PASS: every judged register holds its INIT value\r\n"
msg_init_fail:
	.asciz "\r\n[guest] init-self: FAIL: judged registers differ from the INIT state\r\n"
bochs_shutdown:
	.asciz BOCHS_SHUTDOWN_STRING
	.balign 4
dt_scratch:                            /* SGDT/SIDT: limit, 32-bit base */
	.word 0
	.long 0
realmode_end:
/* guest.ld asserts the size against TRAMPOLINE_MAX_SIZE. */

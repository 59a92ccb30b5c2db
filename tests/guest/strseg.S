/*
 * strseg_run: one string I/O instruction in 32-bit compatibility mode
 * (CS = SEL_CODE32) through a segment the caller chose, for the
 * string_io_segment check (tests/guest/checks_strseg.c): compatibility
 * mode checks DS, ES and SS limits and types as protected mode does,
 * where 64-bit mode checks none.
 *
 * void strseg_run(struct strseg_regs *r)
 * In: RDI = r; r->snippet is one of the snippets below (entered by a far
 * return into compatibility mode with EAX = r->sel, ESI, EDI, ECX = r's,
 * EDX = r->port); it loads AX into its segment register, runs its one
 * instruction (label name_insn) and comes back.  Out: r->esi, r->edi,
 * r->ecx as the instruction left them; DS, ES and SS are SEL_DATA again.
 * A fault in the instruction never returns here: the caller runs this
 * under try_call, whose recovery returns to 64-bit code (CS = SEL_CODE64,
 * tests/guest/idt.c); the caller then reloads DS, ES and SS itself.
 * Clobbers RAX, RCX, RDX, RSI, RDI, R8-R11; interrupts must be off (the
 * caller's job: the switch is kept short and undisturbed).  Not reentrant.
 */
#include "tests/guest/layout.h"

#define SR_SNIPPET   0      /* struct strseg_regs, checked in checks_strseg.c */
#define SR_SEL       8
#define SR_PORT      10
#define SR_ESI       12
#define SR_EDI       16
#define SR_ECX       20

/* A compatibility-mode snippet: load AX into sreg, run insn (its address
 * is name_insn, where a fault reports RIP), go back to 64-bit mode. */
.macro SNIPPET name, sreg, insn:vararg
	.globl \name, \name\()_insn
\name:
	mov %ax, %\sreg
\name\()_insn:
	\insn
	jmp strseg_back
.endm

	.text
	.code64
	.globl strseg_run
strseg_run:
	push %rbx
	push %rbp
	mov %rsp, strseg_saved_rsp(%rip)
	mov %rdi, strseg_saved_r(%rip)
	movzwl SR_SEL(%rdi), %eax
	movzwl SR_PORT(%rdi), %edx
	mov SR_ESI(%rdi), %esi
	mov SR_ECX(%rdi), %ecx
	mov SR_SNIPPET(%rdi), %rbx
	mov SR_EDI(%rdi), %edi
	/* LRETQ pops RIP, then CS: into compatibility mode at the snippet
	 * (below 4 GiB: the image is linked at 1 MiB). */
	pushq $SEL_CODE32
	push %rbx
	lretq

	.code32
/* outsb (%si): the address-size prefix 0x67, 16-bit addresses in 32-bit
 * code; %ss: the SS segment-override prefix 0x36. */
SNIPPET strseg_outsb_ds, ds, outsb
SNIPPET strseg_insb_es, es, insb
SNIPPET strseg_rep_outsb_ds, ds, rep outsb
SNIPPET strseg_rep_insb_es, es, rep insb
SNIPPET strseg_outsb16_ds, ds, outsb (%si), (%dx)
SNIPPET strseg_outsw_ds, ds, outsw
SNIPPET strseg_outsb_ss, ss, outsb %ss:(%esi), (%dx)

strseg_back:
	ljmp $SEL_CODE64, $strseg_return

	.code64
strseg_return:
	mov $SEL_DATA, %eax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov strseg_saved_r(%rip), %rax
	mov %esi, SR_ESI(%rax)
	mov %edi, SR_EDI(%rax)
	mov %ecx, SR_ECX(%rax)
	mov strseg_saved_rsp(%rip), %rsp
	pop %rbp
	pop %rbx
	ret

	.bss
	.balign 8
strseg_saved_rsp:
	.skip 8
strseg_saved_r:
	.skip 8

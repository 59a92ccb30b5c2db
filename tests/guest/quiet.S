/*
 * quiet-console, the spin half (see spin.c): when the command line holds
 * the word "quiet-console", spin with interrupts off for SPIN_TICKS of the
 * TSC before the guest touches the UART or any other port: run from
 * entry.S before the real-mode trip, whose first act is to write to COM1.
 * The console boot test (65-) enters the hypervisor's monitor meanwhile.
 * quiet_ran says the spin ran; quiet_longest is the longest TSC step seen
 * between two reads (spin.c reports both once the UART is set up).
 * In:  32-bit protected mode, flat segments, interrupts off, mb_cmdline
 *      saved.
 * Out: nothing changed but quiet_ran and quiet_longest.  Preserves all
 *      general registers.
 */
#include "tests/guest/spin.h"

	.text
	.code32
	.globl quiet_console_spin
quiet_console_spin:
	pushal
	call cmdline_has_quiet
	jne 9f
	call quiet_spin_loop
	movl $1, quiet_ran
9:	popal
	ret

/*
 * ZF set when mb_cmdline holds the word "quiet-console" (blank or the
 * string's start before it, blank or its end after it).  Clobbers EAX,
 * ECX, ESI, EDI.
 */
cmdline_has_quiet:
	mov $mb_cmdline, %esi
1:	cmpb $0, (%esi)
	je 8f
	cmp $mb_cmdline, %esi          /* a word starts at the start ... */
	je 2f
	cmpb $' ', -1(%esi)            /* ... or after a blank */
	jne 3f
2:	mov %esi, %edi
	push %esi
	mov $quiet_word, %esi
	mov $QUIET_WORD_LEN, %ecx
	repe cmpsb                     /* ESI: the word, EDI: the command line */
	pop %esi
	jne 3f
	cmpb $0, (%edi)                /* the word ends there */
	je 9f
	cmpb $' ', (%edi)
	je 9f
3:	inc %esi
	jmp 1b
8:	or $1, %esi                    /* ZF clear: not found (ESI is not 0) */
9:	ret

/*
 * Read the TSC until SPIN_TICKS passed since the first read, keeping the
 * longest step between two reads in quiet_longest.  64-bit arithmetic in
 * register pairs: start in EBP:ESI (stack), last in ECX:EBX.
 * Clobbers EAX, EBX, ECX, EDX, ESI, EDI, EBP.
 */
	.type quiet_spin_loop, @function
quiet_spin_loop:
	rdtsc
	mov %eax, %esi                 /* start */
	mov %edx, %ebp
	mov %eax, %ebx                 /* last */
	mov %edx, %ecx
1:	rdtsc
	push %eax
	push %edx
	sub %ebx, %eax                 /* step = now - last */
	sbb %ecx, %edx
	cmp quiet_longest + 4, %edx    /* step > longest? */
	jb 2f
	ja 3f
	cmp quiet_longest, %eax
	jbe 2f
3:	mov %eax, quiet_longest
	mov %edx, quiet_longest + 4
2:	pop %ecx                       /* last = now */
	pop %ebx
	mov %ebx, %eax                 /* now - start < SPIN_TICKS? */
	mov %ecx, %edx
	sub %esi, %eax
	sbb %ebp, %edx
	jnz 4f                         /* high half set: far past it */
	cmp $SPIN_TICKS, %eax
	jb 1b
4:	ret
	.size quiet_spin_loop, . - quiet_spin_loop

	.section .rodata
quiet_word:
	.ascii "quiet-console"
	.set QUIET_WORD_LEN, . - quiet_word

	.data
	.balign 8
	.globl quiet_longest, quiet_ran
quiet_longest:	.quad 0
quiet_ran:	.long 0

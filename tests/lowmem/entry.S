/*
 * The low-memory kernel's entry (tests/lowmem/lowmem.c says what it
 * checks): a multiboot (v1) header asking for the memory information, a
 * stack, and a call to lowmem_main(magic, info).
 */
#define MB1_HEADER_MAGIC    0x1badb002
#define MB1_HEADER_PAGE_ALIGN (1 << 0)  /* modules on page boundaries */
#define MB1_HEADER_MEMORY   (1 << 1)    /* mem_* and the memory map */
#define MB_HEADER_FLAGS     (MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY)
#define STACK_SIZE          8192

	.section .multiboot, "a"
	.balign 4
	.long MB1_HEADER_MAGIC
	.long MB_HEADER_FLAGS
	.long -(MB1_HEADER_MAGIC + MB_HEADER_FLAGS)

	.text
	.code32
	.globl lowmem_start
/* In: EAX = loader magic, EBX = multiboot information (Multiboot 0.6.96,
 * "Machine state"): no stack yet.  Does not return. */
lowmem_start:
	cli
	cld
	movl $stack_top, %esp
	pushl %ebx
	pushl %eax
	call lowmem_main
1:	hlt
	jmp 1b

	.bss
	.balign 16
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits

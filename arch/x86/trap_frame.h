/*
 * Byte offsets of struct trap_frame (arch/x86/panic.h), for isr.S.  Defined
 * once here; arch/x86/trap.c checks each against offsetof().  Also the
 * size of one exception entry stub, so the IDT can be filled by address
 * arithmetic instead of a table of absolute addresses (which would need
 * relocation in the UEFI image).
 */
#ifndef ARCH_X86_TRAP_FRAME_H
#define ARCH_X86_TRAP_FRAME_H

#define TF_R15         0
#define TF_R14         8
#define TF_R13         16
#define TF_R12         24
#define TF_R11         32
#define TF_R10         40
#define TF_R9          48
#define TF_R8          56
#define TF_RBP         64
#define TF_RDI         72
#define TF_RSI         80
#define TF_RDX         88
#define TF_RCX         96
#define TF_RBX         104
#define TF_RAX         112
#define TF_VECTOR      120
#define TF_ERROR_CODE  128
#define TF_RIP         136
#define TF_CS          144
#define TF_RFLAGS      152
#define TF_RSP         160
#define TF_SS          168
#define TF_SIZE        176

/* Bytes the stub pushes before the registers: vector and error code. */
#define TF_STUB_PUSHED 16

#define ISR_STUB_SIZE  16

#endif

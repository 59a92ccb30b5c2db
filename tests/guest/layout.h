/*
 * The test guest's fixed addresses, selectors and the architectural bits its
 * assembly needs.  Plain #defines: included by the .S files and by C (the C
 * code uses arch/x86/cpu.h and msr.h for the same bits; those are not
 * assembler-safe because of their `ull` suffixes).
 *
 * Physical memory used below 1 MiB (identity-mapped once paging is on):
 *   0x7000-0x7eff  real-mode trampoline, copied from the image (code grows up,
 *                  its stack grows down from REALMODE_STACK_TOP)
 *   0x7f00-0x7f1f  struct realmode_report, written in real mode
 *   0x7f20-0x7fff  struct init_self_block (the init-self mode only): what
 *                  the registers must hold after INIT, written before it;
 *                  what they held, written by the warm-reset entry
 * The hypervisor must back guest-physical 0x7000-0x7fff with RAM.
 */
#ifndef GUEST_TESTS_LAYOUT_H
#define GUEST_TESTS_LAYOUT_H

#define GUEST_LINK_ADDR        0x100000   /* 1 MiB, physical */

#define TRAMPOLINE_BASE        0x7000
#define TRAMPOLINE_MAX_SIZE    0x0e00
#define REALMODE_STACK_TOP     0x7f00
#define REALMODE_REPORT        0x7f00
#define REALMODE_REPORT_MAGIC  0x4b4f4d52  /* "RMOK" */

/* struct realmode_report field offsets (checked in checks_realmode.c) */
#define RMR_MAGIC              0x00   /* u32, written last */
#define RMR_CR0                0x04   /* u32, CR0 as read in real mode */
#define RMR_CS                 0x08   /* u16, CS in real mode */
#define RMR_BDA_COM1           0x0a   /* u16, BIOS data area word 0x40:0x00 */
#define RMR_BDA_BASEMEM        0x0c   /* u16, BIOS data area word 0x40:0x13 (KiB) */
#define RMR_ALIAS_OK           0x0e   /* u16, 1: seg:off aliasing behaved like real mode */
#define RMR_HLT_WOKEN          0x12   /* u16, real-mode sti; hlt rounds a new PIT tick ended
                                         (0x10: the ALIAS_LINEAR probe word) */

/* struct init_self_block (tests/guest/init_self.c): u32 under_hv, u32
 * judged, then ISV_COUNT u32 values the INIT state must have, then the
 * ISV_COUNT values realmode.S's init_self_entry found, both in ISV_* order. */
#define INIT_SELF_BLOCK        0x7f20
#define ISB_UNDER_HV           0x00   /* u32, 1: end with HC_TEST_EXIT */
#define ISB_JUDGED             0x04   /* u32, bit ISV_x: a difference in x fails */
#define ISB_WANT               0x08
#define ISB_GOT                (ISB_WANT + 4 * ISV_COUNT)
#define ISB_SIZE               (ISB_GOT + 4 * ISV_COUNT)
#define ISV_CR0                0
#define ISV_CR2                1
#define ISV_CR3                2
#define ISV_CR4                3
#define ISV_EFER               4      /* low half */
#define ISV_DR0                5
#define ISV_DR1                6
#define ISV_DR2                7
#define ISV_DR3                8
#define ISV_DR6                9
#define ISV_DR7                10
#define ISV_EDX                11     /* the processor signature */
#define ISV_ECX                12
#define ISV_ESI                13
#define ISV_EDI                14
#define ISV_EBP                15
#define ISV_ESP                16
#define ISV_ES                 17
#define ISV_SS                 18
#define ISV_FS                 19
#define ISV_GS                 20
#define ISV_GDTR_BASE          21
#define ISV_GDTR_LIMIT         22
#define ISV_IDTR_BASE          23
#define ISV_IDTR_LIMIT         24
#define ISV_COUNT              25

/* The BIOS warm-reset path (IBM PC/AT): CMOS register 0x0F ("shutdown
 * status") 0x0A makes the BIOS at the reset vector skip POST and jump
 * through the far pointer at 0x40:0x67 (offset, then segment). */
#define CMOS_INDEX_PORT        0x70
#define CMOS_DATA_PORT         0x71
#define CMOS_SHUTDOWN_STATUS   0x0f
#define SHUTDOWN_JMP_467       0x0a
#define WARM_RESET_VECTOR      0x467

/* Real-mode addressing probe: ALIAS_SEG:ALIAS_OFF and 0:ALIAS_LINEAR name the
 * same byte only when segment bases are selector * 16. */
#define ALIAS_SEG              0x07f0
#define ALIAS_OFF              0x0010
#define ALIAS_LINEAR           0x7f10
#define ALIAS_PATTERN          0xa55a

/* BIOS data area (segment 0x40). */
#define BDA_SEGMENT            0x0040
#define BDA_COM1_PORT          0x0000
#define BDA_BASE_MEMORY_KIB    0x0013

/* The 8259 pair and PIT channel 0 for the boot-time `sti; hlt` rounds
 * (realmode.S, hlt_modes.S; tests/guest/pic.h names the same ports for C).
 * The BIOS maps IRQ 0 to vector 8 (IVT entry 8 in real mode); protected
 * mode remaps the master to IRQ_VECTOR_BASE as pic_init() does later. */
#define PIC_MASTER_COMMAND     0x20
#define PIC_MASTER_DATA        0x21
#define PIC_SLAVE_COMMAND      0xa0
#define PIC_SLAVE_DATA         0xa1
#define PIC_OCW2_EOI           0x20   /* non-specific end of interrupt */
#define PIC_ICW1_INIT_ICW4     0x11
#define PIC_ICW3_MASTER        0x04   /* slave on IRQ 2 */
#define PIC_ICW3_SLAVE         0x02
#define PIC_ICW4_8086          0x01
#define PIC_ALL_MASKED_BYTE    0xff
#define PIC_IRQ0_BIT           0x01
#define BIOS_TIMER_VECTOR      8      /* IRQ 0 under the BIOS's mapping */
#define PIT_CH0_PORT           0x40
#define PIT_COMMAND_PORT       0x43
#define PIT_CH0_MODE2_LOHI     0x34   /* channel 0, lo/hi byte, rate generator */
#define HLT_TEST_PIT_DIVISOR   1193   /* 1193182 Hz / 1193: about 1 kHz */
#define HLT_TEST_ROUNDS        3      /* rounds per mode, with and without
                                         the STI shadow each */
#define IDT32_GATE_SIZE        8
#define IDT32_INTERRUPT_GATE   0x8e00 /* present, DPL 0, 32-bit interrupt gate */

/* GDT selectors (entry.S builds the table). */
#define SEL_CODE64             0x08
#define SEL_CODE32             0x10
#define SEL_DATA               0x18
#define SEL_CODE16             0x20
#define SEL_DATA16             0x28

/* Control-register and EFER bits used by the mode switches. */
#define X86_CR0_PE             0x00000001
#define X86_CR0_ET             0x00000010
#define X86_CR0_NE             0x00000020
#define X86_CR0_PG             0x80000000
#define X86_CR4_PAE            0x00000020
#define X86_MSR_EFER           0xc0000080
#define X86_EFER_LME           0x00000100

/* Page-table entry bits (Intel SDM Vol. 3, "4-Level Paging"). */
#define PTE_PRESENT            0x001
#define PTE_WRITE              0x002
#define PTE_LARGE              0x080      /* PS: 2 MiB page in a PD entry */
#define PAGE_SIZE              4096
#define LARGE_PAGE_SIZE        0x200000
#define IDENTITY_MAP_GIB       4          /* one PD per GiB */
#define PD_ENTRIES             512

/* COM1 registers, for the real-mode writer and the C console. */
#define COM1_BASE              0x3f8
#define UART_THR               0          /* transmit holding (DLAB=0) */
#define UART_DLL               0          /* divisor low (DLAB=1) */
#define UART_IER               1
#define UART_DLM               1          /* divisor high (DLAB=1) */
#define UART_FCR               2
#define UART_LCR               3
#define UART_MCR               4
#define UART_LSR               5
#define UART_SCR               7          /* scratch */
#define UART_LCR_8N1           0x03
#define UART_LCR_DLAB          0x80
#define UART_FCR_ENABLE_CLEAR  0x07       /* FIFO on, both FIFOs cleared */
#define UART_MCR_DTR_RTS_OUT2  0x0b
#define UART_LSR_THRE          0x20
#define UART_DIVISOR_115200    1
#define UART_TX_SPIN_LIMIT     100000     /* give up on a dead UART */

/* Exceptions and IRQ vectors (the 8259 pair is remapped to 0x20-0x2f);
 * the vectors above the 8259's (FREE_VECTOR_FIRST ..) are for the local
 * APIC checks (idt_set_vector_handler). */
#define EXCEPTION_VECTORS      32
#define IRQ_VECTOR_BASE        0x20
#define IRQ_VECTORS            16
#define FREE_VECTOR_FIRST      (IRQ_VECTOR_BASE + IRQ_VECTORS)
/* Every vector has a gate: a vector nobody programmed (a stray or spurious
 * one) reaches isr_dispatch() and is named there instead of raising #GP. */
#define IDT_VECTORS            256

/* struct try_ctx (idt.h) field offsets, shared with isr.S. */
#define TRY_RBX                0x00
#define TRY_RBP                0x08
#define TRY_R12                0x10
#define TRY_R13                0x18
#define TRY_R14                0x20
#define TRY_R15                0x28
#define TRY_RSP                0x30
#define TRY_ARMED              0x38
#define TRY_VECTOR             0x3c

#endif

/*
 * Hardware task switching, the pure part (Intel SDM Vol. 3, "Task
 * Management": "Task-State Segment (TSS)", "TSS Descriptor", "Task
 * Switching", "Task Linking", "16-Bit Task-State Segment"; Table "Exception
 * Conditions Checked During a Task Switch").  The TSS layouts, segment
 * descriptors, and the rules that decide what a switch does and which fault
 * it raises, with no VMCS and no guest memory: host unit tests use it as it
 * is.  The VMCS glue is hv/exit/task_switch.c.
 */
#ifndef HV_EXIT_TSS_H
#define HV_EXIT_TSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/exit/qual.h"

/* ---- TSS layouts -------------------------------------------------------- */

/* 32-bit TSS (SDM Figure "32-Bit Task-State Segment (TSS)"). */
struct tss32 {
	uint16_t link, reserved0;
	uint32_t esp0;
	uint16_t ss0, reserved1;
	uint32_t esp1;
	uint16_t ss1, reserved2;
	uint32_t esp2;
	uint16_t ss2, reserved3;
	uint32_t cr3;
	uint32_t eip, eflags;
	uint32_t gpr[8];              /* EAX ECX EDX EBX ESP EBP ESI EDI */
	struct { uint16_t sel, reserved; } seg[6]; /* ES CS SS DS FS GS */
	uint16_t ldt, reserved4;
	uint16_t trap;                /* bit 0: T, debug trap on switch */
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss32) == 104, "32-bit TSS is 104 bytes");
_Static_assert(offsetof(struct tss32, cr3) == 0x1c, "TSS32 CR3");
_Static_assert(offsetof(struct tss32, eip) == 0x20, "TSS32 EIP");
_Static_assert(offsetof(struct tss32, gpr) == 0x28, "TSS32 EAX");
_Static_assert(offsetof(struct tss32, seg) == 0x48, "TSS32 ES");
_Static_assert(offsetof(struct tss32, ldt) == 0x60, "TSS32 LDT");
_Static_assert(offsetof(struct tss32, trap) == 0x64, "TSS32 T");

/* 16-bit TSS (SDM Figure "16-Bit TSS Format"). */
struct tss16 {
	uint16_t link;
	uint16_t sp0, ss0, sp1, ss1, sp2, ss2;
	uint16_t ip, flags;
	uint16_t gpr[8];              /* AX CX DX BX SP BP SI DI */
	uint16_t seg[4];              /* ES CS SS DS */
	uint16_t ldt;
} __attribute__((packed));
_Static_assert(sizeof(struct tss16) == 44, "16-bit TSS is 44 bytes");
_Static_assert(offsetof(struct tss16, ip) == 0x0e, "TSS16 IP");
_Static_assert(offsetof(struct tss16, gpr) == 0x12, "TSS16 AX");
_Static_assert(offsetof(struct tss16, seg) == 0x22, "TSS16 ES");
_Static_assert(offsetof(struct tss16, ldt) == 0x2a, "TSS16 LDT");

/* The lowest limit a new TSS may have (the "limit >= 67H / 2BH" check),
 * and the part of the old TSS a switch writes (the dynamic fields from EIP
 * or IP to the last segment selector). */
#define TSS32_MIN_LIMIT     0x67
#define TSS16_MIN_LIMIT     0x2b
#define TSS32_SAVE_START    offsetof(struct tss32, eip)
#define TSS32_SAVE_END      offsetof(struct tss32, ldt)
#define TSS16_SAVE_START    offsetof(struct tss16, ip)
#define TSS16_SAVE_END      offsetof(struct tss16, ldt)
#define TSS_T_BIT           0x1u

/* Segment registers in TSS order (also the order of enum guest_seg). */
enum ts_seg { TS_ES, TS_CS, TS_SS, TS_DS, TS_FS, TS_GS, TS_SEGS };

/* Registers in TSS order. */
enum ts_gpr { TS_EAX, TS_ECX, TS_EDX, TS_EBX, TS_ESP, TS_EBP, TS_ESI, TS_EDI, TS_GPRS };

/* The state a switch saves and loads, whatever the TSS width. */
struct task_state {
	uint32_t eip, eflags;
	uint32_t gpr[TS_GPRS];
	uint16_t sel[TS_SEGS];
	uint16_t ldt;
	uint32_t cr3;                 /* 32-bit TSS only */
	bool trap;                    /* 32-bit TSS only: the T bit */
};

/* The new task's state from its TSS image.  A 16-bit TSS has no FS, GS,
 * CR3 or T: FS and GS become null; the upper halves of EIP, EFLAGS and the
 * registers become 0 (the SDM leaves the registers' upper halves
 * undefined). */
void tss32_load(const struct tss32 *t, struct task_state *s);
void tss16_load(const struct tss16 *t, struct task_state *s);

/* Write the dynamic fields of s into a TSS image (the rest untouched):
 * what the switch saves into the old TSS. */
void tss32_save(const struct task_state *s, struct tss32 *t);
void tss16_save(const struct task_state *s, struct tss16 *t);

/* ---- Segment descriptors ------------------------------------------------- */

#define SEL_RPL_MASK        0x3u
#define SEL_TI              0x4u      /* 1: LDT, 0: GDT */
#define SEL_INDEX_MASK      0xfff8u
#define SEL_NULL(sel)       (((sel) & ~SEL_RPL_MASK & 0xffffu) == 0)

/* System descriptor types (S = 0). */
#define DESC_TYPE_TSS16_AVAIL   0x1
#define DESC_TYPE_LDT           0x2
#define DESC_TYPE_TSS16_BUSY    0x3
#define DESC_TYPE_TSS32_AVAIL   0x9
#define DESC_TYPE_TSS32_BUSY    0xb
#define DESC_TYPE_TSS_BUSY_BIT  0x2   /* busy = available | 2 */

/* Code/data type bits (S = 1). */
#define DESC_TYPE_ACCESSED      0x1
#define DESC_TYPE_RW            0x2   /* data: writable; code: readable */
#define DESC_TYPE_CONFORMING    0x4   /* code only (data: expand-down) */
#define DESC_TYPE_CODE          0x8

/* A decoded 8-byte segment descriptor (SDM "Segment Descriptors"). */
struct seg_desc {
	uint32_t base;
	uint32_t limit;               /* in bytes: scaled by G */
	uint8_t type;                 /* bits 11:8 */
	bool s;                       /* code or data (not system) */
	uint8_t dpl;
	bool p, avl, l, db, g;
};

/* Byte offset of the type field in a descriptor (the accessed bit, the
 * busy bit) and of the dword that holds it. */
#define DESC_TYPE_BYTE      5
#define DESC_HIGH_DWORD     4

struct seg_desc desc_decode(uint64_t raw);

/* The VMCS access-rights value of a descriptor (descriptor bits 23:8 of
 * its high dword, without the limit bits 19:16): hv/vmcs/ar.h. */
uint32_t desc_vmx_ar(uint64_t raw);

/* ---- Rules of a task switch --------------------------------------------- */

/* Exception vectors a switch may raise (SDM "Exception and Interrupt
 * Reference"). */
#define TS_VEC_DB   1
#define TS_VEC_TS   10
#define TS_VEC_NP   11
#define TS_VEC_SS   12
#define TS_VEC_GP   13
#define TS_VEC_NONE 0xff

/* Error-code bit 0 (EXT): the fault arose while delivering an event
 * external to the program (hardware interrupt, NMI or exception). */
#define TS_ERR_EXT  0x1u

/* A fault the switch raises: vector (TS_VEC_NONE: none) and error code. */
struct ts_fault {
	uint8_t vector;
	uint32_t error_code;
};

#define TS_FAULT_NONE ((struct ts_fault){ TS_VEC_NONE, 0 })

/* The fault for selector sel, with EXT when ext (error code = selector
 * without RPL, plus EXT). */
struct ts_fault ts_fault_sel(uint8_t vector, uint16_t sel, bool ext);

/* What each source does (SDM Table "Effect of a Task Switch on Busy Flag,
 * NT Flag, Previous Task Link Field, and TS Flag"). */
bool ts_clears_old_busy(enum task_switch_source src);  /* JMP, IRET */
bool ts_sets_new_busy(enum task_switch_source src);    /* all but IRET */
bool ts_links(enum task_switch_source src);            /* CALL, task gate */

/* EFLAGS saved into the old TSS (IRET clears NT in the image) and loaded
 * from the new one (CALL and task gates set NT; bit 1 is always 1). */
uint32_t ts_saved_eflags(enum task_switch_source src, uint32_t eflags);
uint32_t ts_loaded_eflags(enum task_switch_source src, uint32_t eflags);

/* Whether type names a TSS, a 32-bit one, a busy one. */
bool desc_is_tss(const struct seg_desc *d);
bool tss_is_32bit(uint8_t type);
bool tss_is_busy(uint8_t type);

/* The checks on the new TSS descriptor (before the commit point): a TSS
 * (not another system type), busy for IRET and available otherwise,
 * present, limit >= 67H (2BH for a 16-bit TSS).  found: the selector was
 * within the GDT (TI = 0, index within the limit). */
struct ts_fault ts_check_new_tss(enum task_switch_source src, uint16_t sel,
				 bool found, const struct seg_desc *d, bool ext);

/* The old TSS must hold the fields the switch saves into it. */
struct ts_fault ts_check_old_tss(uint16_t tr_sel, uint8_t tr_type,
				 uint32_t tr_limit, bool ext);

/* Checks after the commit point, in the new task's context, on the
 * descriptor each selector names; found: the selector was within its
 * table.  cs_rpl is the new CPL. */
struct ts_fault ts_check_ldt(uint16_t sel, bool found,
			     const struct seg_desc *d, bool ext);
struct ts_fault ts_check_ss(uint16_t sel, bool found, const struct seg_desc *d,
			    uint8_t cs_rpl, bool ext);
struct ts_fault ts_check_data(uint16_t sel, bool found,
			      const struct seg_desc *d, uint8_t cs_rpl, bool ext);
struct ts_fault ts_check_cs(uint16_t sel, bool found, const struct seg_desc *d,
			    bool ext);

/* Whether a descriptor may sit in the register at all (code for CS,
 * writable data for SS, data or readable code otherwise) and is present:
 * after a first fault the rest of the registers are loaded without the
 * privilege checks, as the SDM's "Task Switching" says. */
bool ts_desc_loadable(enum ts_seg seg, const struct seg_desc *d);

#endif

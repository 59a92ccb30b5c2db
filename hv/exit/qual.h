/*
 * Decoders for the exit qualification (Intel SDM Vol. 3, "Exit
 * Qualification for ...", in "Basic VM-Exit Information") and for the
 * interruption-information format of the VM-exit interruption and IDT-
 * vectoring information fields.  Each takes the raw field value and
 * returns a small struct; handlers decode once and use names after that.
 */
#ifndef HV_EXIT_QUAL_H
#define HV_EXIT_QUAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vmx/ctls_bits.h"

/* General-purpose register numbers as the qualifications encode them. */
enum vmx_gpr {
	VMX_GPR_RAX, VMX_GPR_RCX, VMX_GPR_RDX, VMX_GPR_RBX,
	VMX_GPR_RSP, VMX_GPR_RBP, VMX_GPR_RSI, VMX_GPR_RDI,
	VMX_GPR_R8, VMX_GPR_R9, VMX_GPR_R10, VMX_GPR_R11,
	VMX_GPR_R12, VMX_GPR_R13, VMX_GPR_R14, VMX_GPR_R15,
};

/* ---- Control-register accesses (exit reason 28) ----------------------- */
#define QUAL_CR_NUMBER_MASK         0xf          /* bits 3:0 */
#define QUAL_CR_ACCESS_SHIFT        4            /* bits 5:4 */
#define QUAL_CR_ACCESS_MASK         0x3
#define QUAL_CR_LMSW_MEMORY         (1u << 6)    /* LMSW operand in memory */
#define QUAL_CR_GPR_SHIFT           8            /* bits 11:8 */
#define QUAL_CR_GPR_MASK            0xf
#define QUAL_CR_LMSW_DATA_SHIFT     16           /* bits 31:16 */
#define QUAL_CR_LMSW_DATA_MASK      0xffff

enum cr_access_type {
	CR_ACCESS_MOV_TO_CR = 0,
	CR_ACCESS_MOV_FROM_CR = 1,
	CR_ACCESS_CLTS = 2,
	CR_ACCESS_LMSW = 3,
};

struct qual_cr {
	uint8_t cr;                   /* 0, 3, 4 or 8 */
	enum cr_access_type type;
	bool lmsw_memory;             /* LMSW only: operand was in memory */
	enum vmx_gpr gpr;             /* MOV only */
	uint16_t lmsw_data;           /* LMSW only: the source operand */
};

static inline struct qual_cr qual_cr_decode(uint64_t q)
{
	return (struct qual_cr){
		.cr = (uint8_t)(q & QUAL_CR_NUMBER_MASK),
		.type = (enum cr_access_type)((q >> QUAL_CR_ACCESS_SHIFT) &
					      QUAL_CR_ACCESS_MASK),
		.lmsw_memory = (q & QUAL_CR_LMSW_MEMORY) != 0,
		.gpr = (enum vmx_gpr)((q >> QUAL_CR_GPR_SHIFT) & QUAL_CR_GPR_MASK),
		.lmsw_data = (uint16_t)((q >> QUAL_CR_LMSW_DATA_SHIFT) &
					QUAL_CR_LMSW_DATA_MASK),
	};
}

/* ---- MOV DR (exit reason 29) ------------------------------------------ */
#define QUAL_DR_NUMBER_MASK         0x7          /* bits 2:0 */
#define QUAL_DR_FROM_DR             (1u << 4)    /* 0 = MOV to DR */
#define QUAL_DR_GPR_SHIFT           8            /* bits 11:8 */
#define QUAL_DR_GPR_MASK            0xf

struct qual_dr {
	uint8_t dr;
	bool from_dr;                 /* MOV from DR (read) */
	enum vmx_gpr gpr;
};

static inline struct qual_dr qual_dr_decode(uint64_t q)
{
	return (struct qual_dr){
		.dr = (uint8_t)(q & QUAL_DR_NUMBER_MASK),
		.from_dr = (q & QUAL_DR_FROM_DR) != 0,
		.gpr = (enum vmx_gpr)((q >> QUAL_DR_GPR_SHIFT) & QUAL_DR_GPR_MASK),
	};
}

/* ---- I/O instructions (exit reason 30) -------------------------------- */
#define QUAL_IO_SIZE_MASK           0x7          /* bits 2:0: size - 1 */
#define QUAL_IO_IN                  (1u << 3)    /* 0 = OUT */
#define QUAL_IO_STRING              (1u << 4)    /* INS/OUTS */
#define QUAL_IO_REP                 (1u << 5)
#define QUAL_IO_IMMEDIATE           (1u << 6)    /* 0 = port in DX */
#define QUAL_IO_PORT_SHIFT          16           /* bits 31:16 */
#define QUAL_IO_PORT_MASK           0xffff

struct qual_io {
	uint8_t size;                 /* 1, 2 or 4 bytes */
	bool in;                      /* IN/INS, else OUT/OUTS */
	bool string;
	bool rep;
	bool immediate;               /* port was an immediate operand */
	uint16_t port;
};

static inline struct qual_io qual_io_decode(uint64_t q)
{
	return (struct qual_io){
		.size = (uint8_t)((q & QUAL_IO_SIZE_MASK) + 1),
		.in = (q & QUAL_IO_IN) != 0,
		.string = (q & QUAL_IO_STRING) != 0,
		.rep = (q & QUAL_IO_REP) != 0,
		.immediate = (q & QUAL_IO_IMMEDIATE) != 0,
		.port = (uint16_t)((q >> QUAL_IO_PORT_SHIFT) & QUAL_IO_PORT_MASK),
	};
}

/* ---- Task switch (exit reason 9) -------------------------------------- */
#define QUAL_TS_SELECTOR_MASK       0xffff       /* bits 15:0: new TSS */
#define QUAL_TS_SOURCE_SHIFT        30           /* bits 31:30 */
#define QUAL_TS_SOURCE_MASK         0x3

enum task_switch_source {
	TASK_SWITCH_CALL = 0,
	TASK_SWITCH_IRET = 1,
	TASK_SWITCH_JMP = 2,
	TASK_SWITCH_IDT_GATE = 3,
};

struct qual_task_switch {
	uint16_t selector;
	enum task_switch_source source;
};

static inline struct qual_task_switch qual_task_switch_decode(uint64_t q)
{
	return (struct qual_task_switch){
		.selector = (uint16_t)(q & QUAL_TS_SELECTOR_MASK),
		.source = (enum task_switch_source)((q >> QUAL_TS_SOURCE_SHIFT) &
						    QUAL_TS_SOURCE_MASK),
	};
}

/* ---- EPT violations (exit reason 48) ---------------------------------- */
#define QUAL_EPT_READ               (1u << 0)    /* the access was a data read */
#define QUAL_EPT_WRITE              (1u << 1)    /* ... a data write */
#define QUAL_EPT_FETCH              (1u << 2)    /* ... an instruction fetch */
#define QUAL_EPT_READABLE           (1u << 3)    /* the EPT entries allowed read */
#define QUAL_EPT_WRITABLE           (1u << 4)    /* ... write */
#define QUAL_EPT_EXECUTABLE         (1u << 5)    /* ... (supervisor) execute */
#define QUAL_EPT_USER_EXECUTABLE    (1u << 6)    /* mode-based execute control */
#define QUAL_EPT_GLA_VALID          (1u << 7)    /* guest-linear address field valid */
#define QUAL_EPT_GLA_TRANSLATED     (1u << 8)    /* access to the final address, not
						  * to a guest paging-structure entry */
#define QUAL_EPT_USER_MODE          (1u << 9)    /* advanced exit information */
#define QUAL_EPT_PAGING_WRITABLE    (1u << 10)
#define QUAL_EPT_PAGING_NX          (1u << 11)
#define QUAL_EPT_NMI_UNBLOCKING     (1u << 12)   /* IRET unblocked NMIs: re-block */
#define QUAL_EPT_SHADOW_STACK       (1u << 13)
#define QUAL_EPT_SUPERVISOR_SS      (1u << 14)
#define QUAL_EPT_GUEST_PAGING_VERIF (1u << 15)
#define QUAL_EPT_ASYNC              (1u << 16)   /* not caused by the instruction */

struct qual_ept {
	bool read, write, fetch;      /* what the guest tried */
	bool readable, writable, executable; /* what EPT allowed */
	bool gla_valid;               /* VMCS_GUEST_LINEAR_ADDR is meaningful */
	bool gla_translated;          /* valid only with gla_valid */
	bool nmi_unblocking;
};

static inline struct qual_ept qual_ept_decode(uint64_t q)
{
	return (struct qual_ept){
		.read = (q & QUAL_EPT_READ) != 0,
		.write = (q & QUAL_EPT_WRITE) != 0,
		.fetch = (q & QUAL_EPT_FETCH) != 0,
		.readable = (q & QUAL_EPT_READABLE) != 0,
		.writable = (q & QUAL_EPT_WRITABLE) != 0,
		.executable = (q & QUAL_EPT_EXECUTABLE) != 0,
		.gla_valid = (q & QUAL_EPT_GLA_VALID) != 0,
		.gla_translated = (q & QUAL_EPT_GLA_VALID) &&
				  (q & QUAL_EPT_GLA_TRANSLATED),
		.nmi_unblocking = (q & QUAL_EPT_NMI_UNBLOCKING) != 0,
	};
}

/* ---- APIC access (exit reason 44) ------------------------------------- */
#define QUAL_APIC_OFFSET_MASK       0xfff        /* bits 11:0 */
#define QUAL_APIC_TYPE_SHIFT        12           /* bits 15:12 */
#define QUAL_APIC_TYPE_MASK         0xf

enum apic_access_type {
	APIC_ACCESS_LINEAR_READ = 0,
	APIC_ACCESS_LINEAR_WRITE = 1,
	APIC_ACCESS_LINEAR_FETCH = 2,
	APIC_ACCESS_LINEAR_EVENT = 3,
	APIC_ACCESS_PHYSICAL_EVENT = 10,
	APIC_ACCESS_PHYSICAL_FETCH_OR_ACCESS = 15,
};

struct qual_apic_access {
	uint16_t offset;
	enum apic_access_type type;
};

static inline struct qual_apic_access qual_apic_access_decode(uint64_t q)
{
	return (struct qual_apic_access){
		.offset = (uint16_t)(q & QUAL_APIC_OFFSET_MASK),
		.type = (enum apic_access_type)((q >> QUAL_APIC_TYPE_SHIFT) &
						QUAL_APIC_TYPE_MASK),
	};
}

/* ---- Interruption information (VM-exit interruption information and
 *      IDT-vectoring information; INTR_INFO_* in hv/vmx/ctls_bits.h) ----- */
struct intr_info {
	bool valid;
	uint8_t vector;
	uint8_t type;                 /* INTR_TYPE_* */
	bool error_code_valid;        /* error code in the matching field */
	bool nmi_unblocking;          /* exit info only: IRET unblocked NMIs */
};

static inline struct intr_info intr_info_decode(uint32_t v)
{
	return (struct intr_info){
		.valid = (v & INTR_INFO_VALID) != 0,
		.vector = (uint8_t)(v & INTR_INFO_VECTOR_MASK),
		.type = (uint8_t)((v >> INTR_INFO_TYPE_SHIFT) & INTR_INFO_TYPE_MASK),
		.error_code_valid = (v & INTR_INFO_ERROR_CODE_VALID) != 0,
		.nmi_unblocking = (v & INTR_INFO_NMI_UNBLOCKING_IRET) != 0,
	};
}

/* The inverse, for VMCS_ENTRY_INTR_INFO (event injection). */
static inline uint32_t intr_info_encode(uint8_t vector, uint8_t type,
					bool error_code_valid)
{
	return INTR_INFO_VALID | vector |
	       ((uint32_t)(type & INTR_INFO_TYPE_MASK) << INTR_INFO_TYPE_SHIFT) |
	       (error_code_valid ? INTR_INFO_ERROR_CODE_VALID : 0);
}

#endif

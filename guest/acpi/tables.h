/*
 * The guest's ACPI tables and the ACPI facts the hypervisor needs about the
 * platform (ACPI 6.x spec, chapter 5.2 "ACPI System Description Tables").
 *
 * The guest sees exactly one processor: a new RSDP, XSDT and RSDT point at
 * the firmware's own tables, except that the MADT is a copy listing only
 * the boot CPU (every other Processor Local APIC / x2APIC entry removed;
 * I/O APIC, interrupt source override, NMI and other entries kept), and
 * the DMAR table is left out (the IOMMU belongs to the hypervisor:
 * docs/iommu.md).  Checksums are recomputed.  The DSDT, FACS and the rest stay where the
 * firmware put them (firmware-reserved/ACPI memory the guest can read).
 *
 * Pure: the firmware's tables are found with arch/x86/acpi.h's walk,
 * through a caller-supplied mapping function, so host tests run it on
 * synthetic tables.
 */
#ifndef GUEST_ACPI_GUEST_H
#define GUEST_ACPI_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/acpi.h"

#define ACPI_SIG_MADT           "APIC"
#define ACPI_SIG_FADT           "FACP"
#define ACPI_SIG_DSDT           "DSDT"
#define ACPI_SIG_DMAR           "DMAR"  /* left out of the guest's root tables */

/* Layout of the tables the hypervisor writes: each starts 16-byte
 * aligned. */
#define ACPI_TABLE_ALIGN        16

/* AML opcodes (20.2 "AML Grammar Definition"), for the \_S5_ package. */
#define AML_NAME_OP             0x08
#define AML_ROOT_CHAR           0x5c        /* '\' */
#define AML_PACKAGE_OP          0x12
#define AML_ZERO_OP             0x00
#define AML_ONE_OP              0x01
#define AML_ONES_OP             0xff
#define AML_BYTE_PREFIX         0x0a
#define AML_WORD_PREFIX         0x0b
#define AML_DWORD_PREFIX        0x0c
#define AML_PKGLEN_BYTES_SHIFT  6           /* lead byte bits 7:6: extra bytes */

/* MADT interrupt controller structure types (5.2.12) */
#define MADT_TYPE_LOCAL_APIC    0
#define MADT_TYPE_IO_APIC       1
#define MADT_TYPE_INT_OVERRIDE  2
#define MADT_TYPE_NMI_SOURCE    3
#define MADT_TYPE_LOCAL_APIC_NMI 4
#define MADT_TYPE_LOCAL_X2APIC  9
#define MADT_LOCAL_APIC_LEN     8
#define MADT_LOCAL_X2APIC_LEN   16
#define MADT_LAPIC_ENABLED      (1u << 0)

struct acpi_madt {
	struct acpi_sdt_header header;
	uint32_t local_apic_address;
	uint32_t flags;
	/* interrupt controller structures follow */
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "acpi_madt");

struct madt_local_apic {
	uint8_t type, length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_local_apic) == MADT_LOCAL_APIC_LEN,
	       "madt_local_apic");

struct madt_local_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_local_x2apic) == MADT_LOCAL_X2APIC_LEN,
	       "madt_local_x2apic");

/* ---- The guest's tables ---------------------------------------------------- */
struct acpi_guest_result {
	uint64_t rsdp;              /* guest-physical address of the new RSDP */
	uint64_t size;              /* bytes used at dest */
	uint32_t cpus_total;        /* processor entries in the firmware MADT */
	uint32_t cpus_removed;
};

/* Bytes acpi_guest_build() needs at most; 0 (reason in err) when the
 * firmware tables are unusable. */
uint64_t acpi_guest_size(const struct acpi_source *src, char *err, size_t n);

/*
 * Write RSDP, XSDT, RSDT and the one-CPU MADT into dest (guest-physical
 * dest_gpa, below 4 GiB, dest_size bytes).  bsp_apic_id is the boot CPU's
 * (x2)APIC ID.  False, with the reason in err, when the tables are broken
 * or no processor entry has bsp_apic_id.
 */
bool acpi_guest_build(const struct acpi_source *src, uint32_t bsp_apic_id,
		      uint64_t dest_gpa, void *dest, size_t dest_size,
		      struct acpi_guest_result *res, char *err, size_t n);

/*
 * The MADT without the other processors: copies madt into out (at most
 * out_size bytes), keeping the one entry whose APIC ID is bsp_apic_id.
 * Returns the new length (checksum fixed), 0 on error (reason in err).
 */
uint32_t acpi_madt_one_cpu(const uint8_t *madt, uint32_t len,
			   uint32_t bsp_apic_id, uint8_t *out,
			   uint32_t out_size, struct acpi_guest_result *res,
			   char *err, size_t n);

/* ---- Power management facts (FADT, DSDT \_S5) ------------------------------ */
#define FADT_PM1A_CNT_BLK       64          /* 32-bit I/O port */
#define FADT_PM1B_CNT_BLK       68
#define FADT_PM1_CNT_LEN        89
#define FADT_FLAGS              112
#define FADT_RESET_REG          116         /* Generic Address Structure */
#define FADT_RESET_VALUE        128
#define FADT_X_DSDT             140
#define FADT_X_PM1A_CNT_BLK     172
#define FADT_X_PM1B_CNT_BLK     184
#define FADT_DSDT               40
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define ACPI_GAS_SIZE           12
#define ACPI_GAS_SYSTEM_MEMORY  0           /* address space IDs */
#define ACPI_GAS_SYSTEM_IO      1
#define ACPI_GAS_PCI_CONFIG     2
#define ACPI_GAS_ADDRESS        4           /* offset of the 64-bit address */
/* A PCI-configuration GAS address: segment 0, bus 0, device in bits
 * 47:32, function in 31:16, register offset in 15:0 (ACPI 5.2.3.2). */
#define ACPI_GAS_PCI_DEVICE_SHIFT   32
#define ACPI_GAS_PCI_FUNCTION_SHIFT 16
#define ACPI_GAS_PCI_FIELD_MASK     0xffffu

/* PM1 control register bits (4.8.3.2.1) */
#define PM1_CNT_SLP_TYP_SHIFT   10
#define PM1_CNT_SLP_TYP_MASK    0x7
#define PM1_CNT_SLP_EN          (1u << 13)

struct acpi_power {
	uint16_t pm1a_cnt;          /* I/O ports, 0 when absent */
	uint16_t pm1b_cnt;
	uint8_t pm1_cnt_len;        /* bytes of each PM1 control block */
	bool has_s5;                /* \_S5 found in the DSDT */
	uint8_t s5_slp_typ_a, s5_slp_typ_b;
	bool has_reset_reg;         /* RESET_REG_SUP and a reset register */
	uint8_t reset_space;        /* ACPI_GAS_* of the reset register */
	uint64_t reset_address;     /* in that space (GAS encoding) */
	uint16_t reset_port;        /* the I/O port when reset_space is I/O */
	uint8_t reset_value;
};

/* Fill `out` from the FADT (and its DSDT).  False (reason in err) without a
 * readable FADT; a missing \_S5 only leaves has_s5 false. */
bool acpi_power_info(const struct acpi_source *src, struct acpi_power *out,
		     char *err, size_t n);

/* Find Name(\_S5, Package(){a, b, ...}) in an AML table; false when absent. */
bool acpi_aml_find_s5(const uint8_t *aml, uint32_t len, uint8_t *typ_a,
		      uint8_t *typ_b);

#endif

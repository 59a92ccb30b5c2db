/*
 * ACPI tables the hypervisor writes for a guest when the firmware has none
 * (Debian's OVMF builds its tables from QEMU's fw_cfg interface, which
 * Bochs lacks, so under Bochs it publishes no ACPI tables at all).  Just
 * what a PC operating system needs to see one CPU, the interrupt
 * controllers and the power-management registers (ACPI 6.x spec, 5.2):
 *
 *   RSDP (revision 2) -> XSDT -> MADT   one Processor Local APIC (or
 *                                       x2APIC) entry, the I/O APIC, the
 *                                       PC's ISA overrides (IRQ0 -> GSI 2,
 *                                       SCI level/active-high), LINT1 NMI
 *                            -> FADT    PM1a event/control, PM timer,
 *                                       SCI_INT; SMI_CMD 0 (the platform is
 *                                       already in ACPI mode)
 *                                 -> FACS
 *                                 -> DSDT  Name(\_S5, Package(){a, b, 0, 0})
 *
 * Without a power-management block there is no FADT (nor FACS, DSDT): the
 * guest gets its CPU and interrupt controllers but no ACPI power-off.
 *
 * Pure: the caller probes the platform (guest/acpi/platform.c) and supplies the
 * memory; host tests read the result back with guest/acpi/tables.c.
 */
#ifndef GUEST_ACPI_SYNTH_H
#define GUEST_ACPI_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/acpi/tables.h"

#define ACPI_SIG_FACS           "FACS"

/* MADT (5.2.12) */
#define MADT_FLAG_PCAT_COMPAT   (1u << 0)   /* dual 8259s are present */
#define MADT_IO_APIC_LEN        12
#define MADT_INT_OVERRIDE_LEN   10
#define MADT_LOCAL_APIC_NMI_LEN 6
#define MADT_ISA_BUS            0
#define MADT_ALL_PROCESSORS     0xff        /* ACPI processor UID: every one */
/* MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2 */
#define MPS_INTI_CONFORMS       0x0
#define MPS_INTI_ACTIVE_HIGH    0x1
#define MPS_INTI_LEVEL          (0x3 << 2)
#define MADT_XAPIC_ID_MAX       0xfe        /* larger IDs need an x2APIC entry */

/* Generic Address Structure (5.2.3.2) */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == ACPI_GAS_SIZE, "acpi_gas");

/* FADT (5.2.9), revision 3 layout (ACPI 2.0: 244 bytes). */
struct acpi_fadt {
	struct acpi_sdt_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	uint32_t pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t fadt_minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
} __attribute__((packed));
#define ACPI_FADT_REVISION_3    3
#define ACPI_FADT_V3_SIZE       244
_Static_assert(sizeof(struct acpi_fadt) == ACPI_FADT_V3_SIZE, "acpi_fadt");
_Static_assert(offsetof(struct acpi_fadt, dsdt) == FADT_DSDT, "FADT DSDT");
_Static_assert(offsetof(struct acpi_fadt, pm1a_cnt_blk) == FADT_PM1A_CNT_BLK,
	       "FADT PM1a_CNT_BLK");
_Static_assert(offsetof(struct acpi_fadt, pm1_cnt_len) == FADT_PM1_CNT_LEN,
	       "FADT PM1_CNT_LEN");
_Static_assert(offsetof(struct acpi_fadt, flags) == FADT_FLAGS, "FADT flags");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == FADT_X_DSDT, "FADT X_DSDT");
_Static_assert(offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == FADT_X_PM1A_CNT_BLK,
	       "FADT X_PM1a_CNT_BLK");

/* FADT fixed feature flags (5.2.9, Table "Fixed ACPI Description Table
 * Fixed Feature Flags") and IA-PC boot architecture flags (5.2.9.3) */
#define FADT_FLAG_WBINVD        (1u << 0)
#define FADT_FLAG_PROC_C1       (1u << 2)
#define FADT_FLAG_PWR_BUTTON    (1u << 4)   /* no fixed-feature power button */
#define FADT_FLAG_SLP_BUTTON    (1u << 5)   /* no fixed-feature sleep button */
#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_8042          (1u << 1)
#define FADT_C2_UNSUPPORTED_LAT 101         /* P_LVL2_LAT > 100: no C2 */
#define FADT_C3_UNSUPPORTED_LAT 1001        /* P_LVL3_LAT > 1000: no C3 */

/* FACS (5.2.10) */
struct acpi_facs {
	char signature[4];
	uint32_t length;
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;
	uint8_t reserved[3];
	uint32_t ospm_flags;
	uint8_t reserved2[24];
} __attribute__((packed));
#define ACPI_FACS_SIZE          64
#define ACPI_FACS_ALIGN         64
#define ACPI_FACS_VERSION_1     1
_Static_assert(sizeof(struct acpi_facs) == ACPI_FACS_SIZE, "acpi_facs");

/* What the tables describe; the caller reads it from the hardware. */
struct acpi_synth_platform {
	uint32_t lapic_id;          /* the boot CPU's (x2)APIC ID */
	uint32_t lapic_address;     /* local APIC MMIO base */
	bool has_ioapic;
	uint8_t ioapic_id;
	uint32_t ioapic_address;
	bool has_pm;                /* the PM1/PM timer ports below are valid */
	uint16_t pm1a_evt;          /* PM1a status + enable (4 bytes) */
	uint16_t pm1a_cnt;          /* PM1a control (2 bytes) */
	uint16_t pm_tmr;            /* 24-bit PM timer (4 bytes) */
	uint16_t sci_irq;           /* ISA IRQ of the SCI */
	uint8_t s5_slp_typ;         /* SLP_TYP of soft-off */
	uint8_t century;            /* CMOS index of the century, 0: none */
};

/* Bytes acpi_synth_build() needs at most. */
#define ACPI_SYNTH_SIZE_MAX     1024

struct acpi_synth_result {
	uint64_t rsdp;              /* guest-physical address of the RSDP */
	uint64_t size;              /* bytes used at dest */
	bool has_fadt;              /* FADT, FACS and DSDT were written */
};

/*
 * Write the tables into dest (guest-physical dest_gpa, below 4 GiB,
 * dest_size bytes, at least ACPI_SYNTH_SIZE_MAX).  False, with the reason
 * in err, when they do not fit.
 */
bool acpi_synth_build(const struct acpi_synth_platform *p, uint64_t dest_gpa,
		      void *dest, size_t dest_size,
		      struct acpi_synth_result *res, char *err, size_t n);

#endif

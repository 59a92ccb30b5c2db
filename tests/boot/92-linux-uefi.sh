#!/bin/bash
# The small Linux kernel and the test initramfs through hv.efi: OVMF (as
# the Bochs ROM) starts hv.efi from an ESP whose hv.cfg names the kernel
# (module role "linux", its command line after it) and the initramfs (role
# "initrd").
#
# Debian's OVMF builds its ACPI tables only from QEMU's fw_cfg interface,
# which Bochs does not have, so under Bochs OVMF publishes no ACPI tables at
# all (no ACPI GUID in the EFI configuration table).  The hypervisor then
# builds the guest's tables itself (guest/acpi/platform.c, guest/acpi/synth.c):
# an MADT with the boot CPU and the I/O APIC, and a FADT/FACS/DSDT for the
# PIIX4 power-management block it reads from PCI 0:1.3.  The guest must boot
# exactly as on the BIOS path (90-linux-small.sh) and power off through
# those tables, which the hypervisor sees through the same FADT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

linux_small_assets

# expect_own_acpi_boot: what both cases below check of a boot under OVMF
# without ACPI tables: the module lines, the hypervisor's own tables, the
# power-off through their FADT, the guest in user space.
expect_own_acpi_boot()
{
	# hv.cfg's module lines reached the loader with their roles and arguments.
	expect_regex "^\[hv\] module 0: 'linux' at 0x[0-9a-f]+, $(stat -c %s "$LINUX_SMALL" 2>/dev/null) bytes, cmdline '$LINUX_CMDLINE_SMALL'\$" \
		'module 0 line (linux, its size and command line)'
	expect_regex "^\[hv\] module 1: 'initrd' at 0x[0-9a-f]+, $(stat -c %s "$LINUX_INITRD" 2>/dev/null) bytes, cmdline ''\$" \
		'module 1 line (initrd, its size)'
	expect_line '[hv] warn: efi: the firmware publishes no ACPI tables'
	expect_regex '^\[hv\] guest: linux: the firmware has no ACPI tables: built RSDP/XSDT/MADT/FADT/FACS/DSDT for the guest \(PM1a control 0x[0-9a-f]+\)$' \
		'own ACPI tables line'
	# The power-off port the hypervisor watches is the one its own FADT names.
	pm1a=$(sed -n 's/^\[hv\] guest: linux: the firmware has no ACPI tables: .*(PM1a control \(0x[0-9a-f]*\))$/\1/p' "$SERIAL" | head -n 1)
	expect_regex "^\\[hv\\] power: PM1a_CNT ${pm1a:-none}, PM1b_CNT 0x0, S5 SLP_TYP 0/0, " \
		'power line with the own FADT PM1a_CNT and S5 SLP_TYP 0'
	expect_linux_booted '[hv] micro-hypervisor starting (UEFI application, UEFI)' \
		"1 CPU, the hypervisor's own ACPI tables"
	expect_regex '^\[hv\] guest powered off \(ACPI S5: SLP_TYP 0, SLP_EN written to PM1a_CNT\)$' \
		'power-off through PM1a_CNT with SLP_TYP 0'
}

case_begin small-uefi-app-own-acpi
linux_esp "$CASE_DIR/esp.img" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_SMALL_TIMEOUT" --firmware uefi --disk "$CASE_DIR/esp.img"
expect_own_acpi_boot
expect_linux_lapic APICv no-device-irq
# Bochs's ISA VGA gives OVMF nothing to drive: no GOP, no screen_info, no
# efifb (the case below has one).
expect_line '[hv] efi: no graphics output'
expect_line '[init] framebuffer: none; no mode; /dev/fb0 no'
case_end

# Without APICv: the virtual LAPIC's software back end.
case_begin small-uefi-app-own-acpi-ivy-bridge
linux_esp "$CASE_DIR/esp.img" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
LINUX_MODEL=$LINUX_MODEL_SOFTWARE_LAPIC run_linux_bochs "$LINUX_SMALL_TIMEOUT" --firmware uefi --disk "$CASE_DIR/esp.img"
expect_own_acpi_boot
expect_linux_lapic software no-device-irq
case_end

# The same boot with a display OVMF drives: a PCI Cirrus card (Bochs's ISA
# VGA gets no GOP), which OVMF sets to 800x600 at 32 bits per pixel.  With
# it OVMF also publishes ACPI tables, but without a MADT, so the
# hypervisor builds its own tables again and says why.  hv.efi records the
# GOP framebuffer; the loader describes it in screen_info as UEFI firmware
# would (VIDEO_TYPE_EFI); the kernel's efifb driver binds to exactly that
# framebuffer and /dev/fb0 exists.  The guest also finds its RSDP through
# boot_params.acpi_rsdp_addr alone: it is not EFI-booted.
case_begin small-uefi-app-efifb
linux_esp "$CASE_DIR/esp.img" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_SMALL_TIMEOUT" --firmware uefi --disk "$CASE_DIR/esp.img" --vga cirrus
expect_regex '^\[hv\] efi: framebuffer 800x600 at 0x[0-9a-f]+, pitch 3200$' \
	'GOP framebuffer line (800x600, pitch 3200)'
fb=$(sed -n 's/^\[hv\] efi: framebuffer 800x600 at \(0x[0-9a-f]*\), pitch 3200$/\1/p' "$SERIAL" | head -n 1)
expect_regex '^\[hv\] guest: linux: the firmware.s ACPI tables have no MADT: built RSDP/XSDT/MADT/FADT/FACS/DSDT for the guest \(PM1a control 0x[0-9a-f]+\)$' \
	'own ACPI tables line (firmware tables without a MADT)'
expect_linux_booted '[hv] micro-hypervisor starting (UEFI application, UEFI)' \
	"1 CPU, the hypervisor's own ACPI tables"
expect_line "[init] framebuffer: efifb: framebuffer at ${fb:-none}; efifb: mode is 800x600x32, linelength=3200; /dev/fb0 yes"
expect_regex '^\[hv\] guest powered off \(ACPI S5: SLP_TYP 0, SLP_EN written to PM1a_CNT\)$' \
	'power-off through PM1a_CNT with SLP_TYP 0'
case_end
finish

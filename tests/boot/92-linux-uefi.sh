#!/bin/bash
# The small Linux kernel and the test initramfs through hv.efi: OVMF (as
# the Bochs ROM) starts hv.efi from an ESP whose hv.cfg names the kernel
# (module role "linux", its command line after it) and the initramfs (role
# "initrd").
#
# What this checks today is a clean refusal, not a boot: Debian's OVMF
# builds its ACPI tables only from QEMU's fw_cfg interface, which Bochs does
# not have, so under Bochs OVMF publishes no ACPI tables at all (no ACPI
# GUID in the EFI configuration table).  The Linux loader needs the
# firmware's RSDP to give the guest its one-CPU MADT (and the hypervisor
# needs the FADT/DSDT to see the guest's ACPI power-off), so it must stop
# with a clear FAIL instead of starting a guest that could never power off.
# (Measured with the RSDP check bypassed: the guest then reaches user space
# with every marker up to "[init] done" and halts in poweroff, for ever.)
# When the hypervisor can give a guest ACPI tables of its own, this case
# becomes expect_linux_booted '[hv] micro-hypervisor starting (UEFI
# application, UEFI)'.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

linux_small_assets

case_begin small-uefi-app-no-acpi
linux_esp "$CASE_DIR/esp.img" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_SMALL_TIMEOUT" --firmware uefi --disk "$CASE_DIR/esp.img"
expect_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
# hv.cfg's module lines reached the loader with their roles and arguments.
expect_regex "^\[hv\] module 0: 'linux' at 0x[0-9a-f]+, $(stat -c %s "$LINUX_SMALL" 2>/dev/null) bytes, cmdline '$LINUX_CMDLINE_SMALL'\$" \
	'module 0 line (linux, its size and command line)'
expect_regex "^\[hv\] module 1: 'initrd' at 0x[0-9a-f]+, $(stat -c %s "$LINUX_INITRD" 2>/dev/null) bytes, cmdline ''\$" \
	'module 1 line (initrd, its size)'
expect_line '[hv] warn: efi: the firmware publishes no ACPI tables'
expect_line '[hv] VMX: usable'
expect_linux_rejected 'the boot loader passed no ACPI RSDP: cannot give the guest a one-CPU MADT'
case_end
finish

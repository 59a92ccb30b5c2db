#!/bin/bash
# The small Linux kernel (tools/build-linux.sh) with the test initramfs
# (tools/build-initramfs.sh), unmodified, as the hypervisor's guest: GRUB
# on the Bochs BIOS loads hv.elf with the kernel as module "linux" and the
# initramfs as module "initrd".  The guest must see one CPU, the
# hypervisor's CPUID leaves and a clean dmesg, then power off through ACPI;
# the hypervisor sees the power-off and ends with PASS.  The first run in
# a clean build directory builds the kernel (about 2-3 minutes).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

linux_small_assets

case_begin small-bios-grub
linux_iso "$CASE_DIR/hv.iso" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_SMALL_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_booted '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_linux_lapic APICv
case_end

# Without APICv: the virtual LAPIC's software back end.
case_begin small-bios-grub-ivy-bridge
linux_iso "$CASE_DIR/hv.iso" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
LINUX_MODEL=$LINUX_MODEL_SOFTWARE_LAPIC run_linux_bochs "$LINUX_SMALL_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_booted '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_linux_lapic software
case_end
finish

#!/bin/bash
# Debian's stock kernel (tools/get-debian-kernel.sh: the signed
# linux-image-6.1 package, XZ-compressed, modules not needed) with the test
# initramfs as the hypervisor's guest, through GRUB on the Bochs BIOS.  The
# same markers as the small kernel; the command line skips what only costs
# emulated time (about 70 s of wall time instead of about 100).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

linux_debian_assets

case_begin debian-bios-grub
linux_iso "$CASE_DIR/hv.iso" "$LINUX_DEBIAN" "$LINUX_CMDLINE_DEBIAN" "$LINUX_INITRD"
run_linux_bochs "$LINUX_DEBIAN_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_booted '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_linux_lapic APICv
case_end

# Without APICv: the virtual LAPIC's software back end.
case_begin debian-bios-grub-ivy-bridge
linux_iso "$CASE_DIR/hv.iso" "$LINUX_DEBIAN" "$LINUX_CMDLINE_DEBIAN" "$LINUX_INITRD"
LINUX_MODEL=$LINUX_MODEL_SOFTWARE_LAPIC run_linux_bochs "$LINUX_DEBIAN_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_booted '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_linux_lapic software
case_end
finish

#!/bin/bash
# The ISO `make` ships ($BUILD/hv.iso, boot/grub.cfg: no test-exit) boots on
# SeaBIOS and reaches its verdict; without test-exit the hypervisor must not
# touch the emulator exit ports, so QEMU is still running at the time limit.
. "$(dirname "$0")/lib.sh"

case_begin default-entry
need_file "$BUILD/hv.iso"
QEMU_TIMEOUT=6 run_qemu bios cdrom "$BUILD/hv.iso" -cpu Nehalem
# No exit channel to cross-check the verdict with (lib.sh): the image is
# the shipped one, and its point is that it has no test-exit.  The guest-free
# run has no one to forge the verdict line either.
expect_timeout
expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
# The command line GRUB passed: the one boot/grub.cfg gives.
cmdline=$(awk '$1 == "multiboot2" { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' \
	"$ROOT/boot/grub.cfg")
expect_line "[hv] boot: cmdline '$cmdline'"
expect_verdict FAIL 'VMX unavailable'
case_end
finish

#!/bin/bash
# Bad Linux guest input: the loader names the problem in one line and the
# hypervisor stops with FAIL before the guest runs; never a hang.
#   no-hdrs-signature  the bzImage with its "HdrS" bytes overwritten
#   truncated          the bzImage cut 64 KiB after its setup code
#   no-initrd          no "initrd" module and no root= on the command line
#   initrd-too-high    the kernel's initrd_addr_max (setup header) set to
#                      1 MiB - 1: a 1 MB initramfs cannot fit below it (the
#                      guest has less than 640 KiB of RAM there), so the
#                      loader can neither leave it where GRUB put it nor move
#                      it down
# Bochs and GRUB as in 90-linux-small (the loader runs after VMX detection,
# so QEMU without VMX would stop earlier).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

# Setup-header offsets (Linux Documentation/arch/x86/boot.rst).
HDR_SETUP_SECTS=$((0x1f1))
HDR_SYSSIZE=$((0x1f4))
HDR_HEADER=$((0x202))            # "HdrS"
HDR_INITRD_ADDR_MAX=$((0x22c))
SECTOR=512
TRUNCATE_AFTER_SETUP=65536
LOW_INITRD_ADDR_MAX=0xfffff
LOW_INITRD_ADDR_MAX_LE='\xff\xff\x0f\x00'

linux_small_assets

# bad_copy NAME: kernel=a copy of the small kernel in the case directory.
bad_copy()
{
	kernel=$CASE_DIR/$1
	need_file "$LINUX_SMALL" && cp "$LINUX_SMALL" "$kernel"
}

case_begin no-hdrs-signature
bad_copy bzImage-nohdrs
[ -f "$kernel" ] && patch_bytes "$kernel" "$HDR_HEADER" 'XXXX'
linux_iso "$CASE_DIR/hv.iso" "$kernel" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_BAD_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_rejected 'not a bzImage (no HdrS signature)'
case_end

case_begin truncated
bad_copy bzImage-truncated
if [ -f "$kernel" ]; then
	sects=$(le8 "$kernel" "$HDR_SETUP_SECTS")
	syssize=$(le32 "$kernel" "$HDR_SYSSIZE")
	setup=$(((sects + 1) * SECTOR))
	truncate -s $((setup + TRUNCATE_AFTER_SETUP)) "$kernel"
fi
linux_iso "$CASE_DIR/hv.iso" "$kernel" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_BAD_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_rejected "truncated: the header says $((setup + syssize * 16)) bytes (setup $setup + syssize $syssize x 16), the file has $((setup + TRUNCATE_AFTER_SETUP))"
case_end

case_begin no-initrd
linux_iso "$CASE_DIR/hv.iso" "$LINUX_SMALL" "$LINUX_CMDLINE_SMALL"
run_linux_bochs "$LINUX_BAD_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_rejected "no 'initrd' module and no root= on the kernel command line: the kernel would have no root file system (add \`module2 <file> initrd\`)"
case_end

case_begin initrd-too-high
bad_copy bzImage-lowinitrd
[ -f "$kernel" ] && patch_bytes "$kernel" "$HDR_INITRD_ADDR_MAX" "$LOW_INITRD_ADDR_MAX_LE"
linux_iso "$CASE_DIR/hv.iso" "$kernel" "$LINUX_CMDLINE_SMALL" "$LINUX_INITRD"
run_linux_bochs "$LINUX_BAD_TIMEOUT" --cdrom "$CASE_DIR/hv.iso"
expect_linux_rejected "initrd ($(stat -c %s "$LINUX_INITRD" 2>/dev/null) bytes) does not fit below initrd_addr_max $LOW_INITRD_ADDR_MAX"
case_end
finish

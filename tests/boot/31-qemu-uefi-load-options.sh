#!/bin/bash
# QEMU TCG, OVMF: hv.efi started from the UEFI shell with arguments, as a
# user would type them.  The shell hands them over as the LoadedImage
# protocol's LoadOptions (UCS-2, the command as typed, the program's name
# first); hv.efi appends them to the 'linux' module's command line from
# hv.cfg (boot/efi_load_options.h).  There is no hv.efi at the removable-
# media path, so OVMF falls back to its built-in shell, which runs
# startup.nsh.  No VMX under TCG: the core reports the module lines and
# stops with "VMX unavailable" - the command line has been built by then.
# The module file is hv.cfg itself: only its role and command line matter.
. "$(dirname "$0")/lib.sh"

# shell_esp OUT STARTUP-BYTES-FILE: the ESP of make_esp with BOOTX64.EFI
# renamed to hv.efi (so nothing boots by itself) and startup.nsh at the
# root.
shell_esp()
{
	local out=$1 startup=$2
	need_file "$HV_EFI" || return 0
	make_esp "$out" "$(printf 'cmdline test-exit\nmodule hv.cfg linux console=ttyS0')"
	MTOOLS_SKIP_CHECK=1 mren -i "$out" ::/EFI/BOOT/BOOTX64.EFI ::/EFI/BOOT/hv.efi &&
		MTOOLS_SKIP_CHECK=1 mcopy -i "$out" "$startup" ::/startup.nsh ||
		case_fail "mtools could not set up the shell ESP"
}

case_begin shell-args-appended
printf 'fs0:\r\n\\EFI\\BOOT\\hv.efi  quiet\tloglevel=7 console=tty0 \r\n' >"$CASE_DIR/startup.nsh"
shell_esp "$CASE_DIR/esp.img" "$CASE_DIR/startup.nsh"
run_qemu uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
expect_line "[hv] efi: load options 'quiet loglevel=7 console=tty0' appended to the 'linux' command line"
expect_regex "^\\[hv\\] module 0: 'linux' at 0x[0-9a-f]+, [0-9]+ bytes, cmdline 'console=ttyS0 quiet loglevel=7 console=tty0'\$" \
	'module line with hv.cfg words first, then the load options'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end

# A non-ASCII character (e-acute, in a UTF-16 startup.nsh) is refused with
# its position before boot services end.
case_begin shell-args-non-ascii
printf 'fs0:\r\n\\EFI\\BOOT\\hv.efi caf\xc3\xa9\r\n' |
	iconv -f UTF-8 -t UTF-16 >"$CASE_DIR/startup.nsh"
shell_esp "$CASE_DIR/esp.img" "$CASE_DIR/startup.nsh"
run_qemu uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
# Character 21: the position counts from the program's name the shell puts
# first ('\EFI\BOOT\hv.efi' is 16, the blank, then c, a, f).
expect_line '[hv] error: efi: load options: character 21 is U+00E9, not printable ASCII'
expect_verdict FAIL 'bad UEFI load options'
case_end
finish

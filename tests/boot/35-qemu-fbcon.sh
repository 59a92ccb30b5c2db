#!/bin/bash
# QEMU TCG with a standard VGA: the hypervisor's screen console.  OVMF's
# GOP framebuffer reaches the core through hv.efi and through GRUB's
# multiboot2 framebuffer tag; the log and the no-VMX verdict must be on the
# screen as the console's font draws them.  On BIOS, GRUB's EGA text
# screen gets the same lines as characters.  QEMU runs with test-exit but
# without isa-debug-exit, so it keeps running after the verdict (the exit
# channel is port 0xE9 on an isa-debugcon); then a `screendump` through the
# monitor is read back into text by build/fbshot (tools/fbshot.c, the same
# font and renderer) and compared with the serial log.
. "$(dirname "$0")/lib.sh"

FBSHOT=$BUILD/fbshot
SCREEN_WAIT_STEP=0.5
# The VGA text screen GRUB leaves on BIOS (multiboot2 framebuffer tag type 2).
VGA_TEXT_BASE=0xb8000
VGA_TEXT_COLS=80
VGA_TEXT_ROWS=25
VGA_TEXT_BYTES=$((VGA_TEXT_COLS * VGA_TEXT_ROWS * 2))

# monitor_cmd SOCKET COMMAND...: send each command to QEMU's human monitor
# and wait for its prompt after each; prints the answers.
monitor_cmd()
{
	python3 - "$@" <<-'PY'
	import socket, sys, time
	s = socket.socket(socket.AF_UNIX)
	s.settimeout(20)
	s.connect(sys.argv[1])
	def prompt():
	    buf = b""
	    while not buf.endswith(b"(qemu) "):
	        chunk = s.recv(4096)
	        if not chunk:
	            break
	        buf += chunk
	    # the answer, without the echo's cursor movements, for monitor.log
	    print(buf.decode(errors="replace").split("\r\n", 1)[-1])
	prompt()
	for cmd in sys.argv[2:]:
	    s.sendall(cmd.encode() + b"\n")
	    prompt()
	PY
}

# run_qemu_screen FIRMWARE MEDIUM IMAGE [QEMU-ARGS...]: as run_qemu, with a
# VGA, a monitor socket and the 0xE9 exit channel; once the verdict is on
# port 0xE9 (the hypervisor writes it after drawing the verdict line),
# dump the screen to $CASE_DIR/screen.ppm and its text to screen.txt.
run_qemu_screen()
{
	inputs_ok || return 0
	local firmware=$1 medium=$2 image=$3 args mon=$CASE_DIR/mon.sock start=$SECONDS
	shift 3
	args=$(qemu_firmware_args "$firmware" && qemu_media_args "$medium" "$image") ||
		{ case_fail "bad run_qemu_screen arguments"; return 0; }
	EMU_LOG=$CASE_DIR/qemu.log
	EMU_KIND=qemu-e9
	rm -f "$mon" "$CASE_DIR/e9.out" "$CASE_DIR/screen.ppm" "$CASE_DIR/screen.txt"
	local cmd=(qemu-system-x86_64 -machine pc -accel tcg -m 256
	     -display none -nodefaults -no-reboot -device VGA
	     -serial "file:$SERIAL_RAW" -monitor "unix:$mon,server=on,wait=off"
	     -chardev "file,id=e9,path=$CASE_DIR/e9.out"
	     -device isa-debugcon,iobase=0xe9,chardev=e9)
	[ -z "$args" ] || mapfile -t -O ${#cmd[@]} cmd <<<"$args"
	cmd+=("$@")
	printf '%q ' "${cmd[@]}" >"$CASE_DIR/command"
	timeout -k 5 "$QEMU_TIMEOUT" "${cmd[@]}" </dev/null >"$EMU_LOG" 2>&1 &
	LIB_CHILD=$!
	while kill -0 "$LIB_CHILD" 2>/dev/null &&
	      ! grep -aqE "$BOCHS_VERDICT_PATTERN" "$CASE_DIR/e9.out" 2>/dev/null; do
		sleep "$SCREEN_WAIT_STEP"
	done
	if kill -0 "$LIB_CHILD" 2>/dev/null; then
		monitor_cmd "$mon" "screendump $CASE_DIR/screen.ppm" \
			"pmemsave $VGA_TEXT_BASE $VGA_TEXT_BYTES \"$CASE_DIR/screen.vga\"" \
			quit >>"$CASE_DIR/monitor.log" 2>&1 ||
			case_fail "monitor: $(tail -n 1 "$CASE_DIR/monitor.log")"
	fi
	wait "$LIB_CHILD"
	EMU_STATUS=$?
	LIB_CHILD=
	EMU_SECONDS=$((SECONDS - start))
	clean_serial
	[ -f "$CASE_DIR/screen.ppm" ] || { case_fail "no screen dump"; return 0; }
}

# screen_text_from_pixels: screen.txt from the dump by fbshot (a graphics
# mode); screen.size holds its columns and rows.
screen_text_from_pixels()
{
	ran && [ -f "$CASE_DIR/screen.ppm" ] || return 0
	head -c 64 "$CASE_DIR/screen.ppm" | sed -n '2p' |
		awk '{ print int($1 / 8), int($2 / 16) }' >"$CASE_DIR/screen.size"
	"$FBSHOT" "$CASE_DIR/screen.ppm" >"$CASE_DIR/screen.txt" 2>>"$CASE_DIR/monitor.log" ||
		case_fail "fbshot failed: $(tail -n 1 "$CASE_DIR/monitor.log")"
}

# screen_text_from_vga: screen.txt from the VGA text memory (80 x 25 cells
# of character and attribute) the way fbshot prints a screen; a cell
# whose attribute is not the console's (light grey on black, 0x07) but
# holds a character prints as DEL.
screen_text_from_vga()
{
	ran && [ -f "$CASE_DIR/screen.vga" ] || { ran && case_fail "no VGA text dump"; return 0; }
	echo "$VGA_TEXT_COLS $VGA_TEXT_ROWS" >"$CASE_DIR/screen.size"
	python3 - "$CASE_DIR/screen.vga" "$VGA_TEXT_COLS" "$VGA_TEXT_ROWS" \
		>"$CASE_DIR/screen.txt" <<-'PY'
	import sys
	data = open(sys.argv[1], "rb").read()
	cols, rows = int(sys.argv[2]), int(sys.argv[3])
	lines = []
	for r in range(rows):
	    row = ""
	    for c in range(cols):
	        ch, attr = data[2 * (r * cols + c)], data[2 * (r * cols + c) + 1]
	        printable = 0x20 <= ch <= 0x7e
	        row += chr(ch) if printable and (attr == 0x07 or ch == 0x20) else "\x7f"
	    lines.append(row.rstrip(" "))
	while lines and not lines[-1]:
	    lines.pop()
	print("\n".join(lines))
	PY
}

# expect_screen_line TEXT: a text row of the screen is exactly TEXT.
expect_screen_line()
{
	ran || return 0
	[ -n "$1" ] || { case_fail "test defect: no text to look for"; return 0; }
	grep -qxF -- "$1" "$CASE_DIR/screen.txt" 2>/dev/null ||
		case_fail "not on the screen: $1"
}

# expect_screen_is_log: the screen's rows are the hypervisor's serial
# lines from the core's first one on (what the boot path logged before
# goes to the firmware's console), in order, each cut into rows of the
# screen's width (a longer line wraps), the last screenful of them.
expect_screen_is_log()
{
	ran || return 0
	local cols rows want
	read -r cols rows <"$CASE_DIR/screen.size"
	want=$(grep -a '^\[hv\] ' "$SERIAL" |
		sed -n '/^\[hv\] micro-hypervisor starting/,$p' |
		fold -w "$cols" | tail -n "$rows")
	[ -n "$want" ] && [ "$want" = "$(cat "$CASE_DIR/screen.txt")" ] ||
		case_fail "the screen is not the log's last $rows rows (see screen.txt)"
}

# expect_screen_without_hv: no hypervisor line was drawn (console=serial).
expect_screen_without_hv()
{
	ran || return 0
	! grep -q '^\[hv\]' "$CASE_DIR/screen.txt" ||
		case_fail "hypervisor lines on the screen: $(grep -m1 '^\[hv\]' "$CASE_DIR/screen.txt")"
}

case_begin ovmf-efi-gop
need_file "$HV_EFI" "$FBSHOT" &&
	make_esp "$CASE_DIR/esp.img" "cmdline test-exit"
run_qemu_screen uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
screen_text_from_pixels
expect_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_verdict FAIL 'VMX unavailable'
expect_screen_line '[hv] verdict: FAIL (VMX unavailable)'
expect_screen_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_screen_is_log
case_end

case_begin ovmf-grub-mb2
need_file "$HV_ELF" "$FBSHOT" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
run_qemu_screen uefi cdrom "$CASE_DIR/hv.iso" -cpu Nehalem
screen_text_from_pixels
expect_line '[hv] micro-hypervisor starting (multiboot2, UEFI)'
expect_verdict FAIL 'VMX unavailable'
expect_screen_line '[hv] verdict: FAIL (VMX unavailable)'
expect_screen_is_log
case_end

# console=serial: the log stays off the screen.
case_begin ovmf-console-serial
need_file "$HV_EFI" "$FBSHOT" &&
	make_esp "$CASE_DIR/esp.img" "cmdline test-exit console=serial"
run_qemu_screen uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
screen_text_from_pixels
expect_verdict FAIL 'VMX unavailable'
expect_screen_without_hv
case_end

# A fatal exception in the hypervisor: the panic dump and the verdict are
# on the screen, drawn by the exception path itself.
case_begin ovmf-efi-panic
need_file "$HV_EFI" "$FBSHOT" &&
	make_esp "$CASE_DIR/esp.img" "cmdline test-exit debug-fault=ud"
run_qemu_screen uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
screen_text_from_pixels
allow_panic
expect_verdict FAIL
expect_regex '^\[hv\] verdict: FAIL \(exception #UD at 0x[0-9a-f]+\)$' \
	'verdict naming #UD'
expect_screen_line "$(grep -a -m1 '^\[hv\] PANIC: exception #UD' "$SERIAL")"
expect_screen_line "$(grep -a -m1 '^\[hv\] verdict: ' "$SERIAL")"
expect_screen_is_log
case_end

# GRUB on BIOS: the hypervisor asks for no graphics mode (boot/mb2/header.S:
# a BIOS guest keeps its VGA text console), so GRUB reports the EGA text
# screen and the log is written there as characters.
case_begin bios-grub-vga-text
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
run_qemu_screen bios cdrom "$CASE_DIR/hv.iso" -cpu qemu64
screen_text_from_vga
expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_verdict FAIL 'VMX unavailable'
expect_screen_line '[hv] verdict: FAIL (VMX unavailable)'
expect_screen_is_log
case_end
finish

#!/bin/bash
# QEMU TCG, SeaBIOS, GRUB multiboot2: serial= picks the hypervisor's UART
# (hv/uart_pick.c).  The case's serial log ($SERIAL) is the UART the
# hypervisor must pick; a second UART, when there is one, goes to other.raw
# and must carry none of its lines.  TCG has no VMX: the no-VMX verdict is
# the end of each run, and the exit channel (isa-debug-exit) must agree.
#   no-com1-pci   no COM1 at all, a pci-serial: serial=auto finds the PCI
#                 UART and the verdict appears there
#   pci-named     COM1 and a pci-serial, serial=pci:00:05.0: the PCI one
#   com1-auto     COM1 and a pci-serial, serial=auto: COM1 (it answers)
#   spcr-com2     COM1, COM2 and an SPCR table naming COM2: COM2
#   none          COM1, serial=none: no hypervisor line on it, the exit
#                 channel alone says FAIL
#   q35-pci-ecam  no COM1, a pci-serial on q35 (an MCFG): the PCI UART's
#                 ECAM page is found and checked against 0xCF8/0xCFC
#                 before VMX detection (hiding it from a guest is boot
#                 test 61's ecam-hidden: TCG has no VMX to run one)
# QEMU's q35 has no user-creatable MMIO 16550, so serial=mmio: is proven by
# the unit tests only (tests/unit/test_config.c).
. "$(dirname "$0")/lib.sh"

PCI_UART_ADDR=05.0
PCI_UART_BDF=00:05.0
NO_VMX_LINE='[hv] error: this CPU does not support Intel VT-x (VMX); the hypervisor cannot run here.'

# run_qemu_uarts COM1-TO PCI-TO [QEMU-ARGS...]: run_qemu's machine with
# COM1 writing to file COM1-TO and a pci-serial at PCI_UART_ADDR writing to
# file PCI-TO ("" leaves that UART out).  QEMU_MACHINE picks the machine
# (default pc: i440FX, no MCFG).
run_qemu_uarts()
{
	inputs_ok || return 0
	local com1=$1 pci=$2 cmd
	shift 2
	EMU_LOG=$CASE_DIR/qemu.log
	EMU_KIND=qemu
	cmd=(qemu-system-x86_64 -machine "${QEMU_MACHINE:-pc}" -accel tcg -m 256 -cpu Nehalem
	     -display none -nodefaults -no-reboot -device "$QEMU_DEBUG_EXIT"
	     -cdrom "$CASE_DIR/hv.iso")
	[ -z "$com1" ] || cmd+=(-serial "file:$com1")
	[ -z "$pci" ] || cmd+=(-chardev "file,id=pciuart,path=$pci"
			       -device "pci-serial,chardev=pciuart,addr=$PCI_UART_ADDR")
	cmd+=("$@")
	printf '%q ' "${cmd[@]}" >"$CASE_DIR/command"
	guarded "$QEMU_TIMEOUT" "${cmd[@]}" >"$EMU_LOG" 2>&1
	clean_serial
}

# expect_quiet FILE: no hypervisor line on the UART it did not pick.
expect_quiet()
{
	ran || return 0
	grep -aq '\[hv\]' "$1" 2>/dev/null &&
		case_fail "hypervisor output on the other UART: '$(grep -a -m1 '\[hv\]' "$1")'"
	return 0
}

# make_spcr FILE PORT: an SPCR table (revision 2, 80 bytes) naming a full
# 16550 at I/O port PORT, 115200 baud, checksum set.
make_spcr()
{
	python3 - "$1" "$2" <<-'PY'
	import struct, sys
	t = bytearray(80)
	t[0:4] = b"SPCR"
	struct.pack_into("<IB", t, 4, 80, 2)
	t[10:16] = b"HVTEST"
	t[16:24] = b"SERIAL17"
	t[36] = 0                                   # full 16550
	struct.pack_into("<BBBBQ", t, 40, 1, 8, 0, 1, int(sys.argv[2], 0))
	t[58] = 7                                   # 115200
	struct.pack_into("<HH", t, 64, 0xffff, 0xffff)
	t[9] = (-sum(t)) & 0xff
	open(sys.argv[1], "wb").write(t)
	PY
}

# iso ARGS: the case's ISO with the hypervisor's command line ARGS.
iso()
{
	need_file "$HV_ELF" &&
		make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv "$1")" "$HV_ELF"
}

# The no-VMX end every run reaches, on the picked UART.
expect_no_vmx_end()
{
	expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
	expect_line "$NO_VMX_LINE"
	expect_verdict FAIL 'VMX unavailable'
	expect_status 35
}

case_begin no-com1-pci
iso test-exit
run_qemu_uarts "" "$SERIAL_RAW"
expect_no_vmx_end
expect_regex "^\[hv\] serial: PCI $PCI_UART_BDF BAR0 at I/O port 0x[0-9a-f]+ \(serial=auto: SPCR: no SPCR table in the RSDT; no COM1; first PCI 16550\)\$" \
	"the line naming the PCI UART and why"
expect_line "[hv] pci: no MCFG entry covers $PCI_UART_BDF: it is hidden through 0xCF8/0xCFC only"
case_end

# q35's ECAM window is at 0xb0000000 (QEMU's default PCIEXBAR), so
# 00:05.0's page is 0xb0000000 + (5 << 15); its first dword holds
# pci-serial's IDs, 1b36:0002, as mechanism #1 reads them.
case_begin q35-pci-ecam
iso test-exit
QEMU_MACHINE=q35 run_qemu_uarts "" "$SERIAL_RAW"
expect_no_vmx_end
expect_regex "^\[hv\] serial: PCI $PCI_UART_BDF BAR0 at I/O port 0x[0-9a-f]+ \(serial=auto: SPCR: no SPCR table in the [RX]SDT; no COM1; first PCI 16550\)\$" \
	"the line naming the PCI UART and why"
expect_line "[hv] pci: $PCI_UART_BDF's ECAM page 0xb0028000 (MCFG) reads IDs 00021b36, as 0xCF8/0xCFC does"
case_end

case_begin pci-named
iso "test-exit serial=pci:$PCI_UART_BDF"
run_qemu_uarts "$CASE_DIR/other.raw" "$SERIAL_RAW"
expect_no_vmx_end
expect_regex "^\[hv\] serial: PCI $PCI_UART_BDF BAR0 at I/O port 0x[0-9a-f]+ \(serial=pci\)\$" \
	"the line naming the PCI UART and why"
expect_quiet "$CASE_DIR/other.raw"
case_end

case_begin com1-auto
iso test-exit
run_qemu_uarts "$SERIAL_RAW" "$CASE_DIR/other.raw"
expect_no_vmx_end
expect_line '[hv] serial: I/O port 0x3f8 (serial=auto: SPCR: no SPCR table in the RSDT; COM1 answers)'
expect_quiet "$CASE_DIR/other.raw"
case_end

# An SPCR table (added with -acpitable) naming COM2: serial=auto takes it
# over COM1, which answers too.
case_begin spcr-com2
iso test-exit
make_spcr "$CASE_DIR/spcr.bin" 0x2f8
run_qemu_uarts "$CASE_DIR/other.raw" "" -serial "file:$SERIAL_RAW" \
	-acpitable "file=$CASE_DIR/spcr.bin"
expect_no_vmx_end
expect_line "[hv] serial: I/O port 0x2f8 (serial=auto: the ACPI SPCR table's console)"
expect_quiet "$CASE_DIR/other.raw"
case_end

case_begin none
iso "test-exit serial=none"
run_qemu_uarts "$SERIAL_RAW" ""
expect_exit_channel FAIL
expect_status 35
expect_absent '\[hv\]' 'hypervisor output with serial=none'
# Something must be on the line, or the absence above proves nothing.
expect_regex '.' 'GRUB output on COM1'
case_end
finish

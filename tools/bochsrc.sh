#!/bin/bash
# tools/bochsrc.sh [options]: print a headless Bochs configuration on stdout.
# The one generator of bochsrc files, used by `make run` and the boot tests.
#
#   --model NAME     CPU model (default corei7_skylake_x)
#   --cpus N         number of CPUs (default 1)
#   --megs N         guest RAM in MiB (default 256)
#   --firmware F     bios: Bochs BIOS, boots --cdrom or --disk
#                    uefi: OVMF.fd as the ROM, boots --disk (an ESP image)
#   --bios FILE      BIOS ROM for --firmware bios (default BIOS-bochs-latest)
#   --cdrom FILE     ISO as a CD-ROM on the ATA primary master
#   --disk FILE      raw disk image (flat) on the ATA primary master
#   --ignore-bad-msrs 0|1  whether Bochs ignores unknown MSRs (default: 0
#                    with --firmware bios, so the hypervisor sees #GP; 1 with
#                    uefi: OVMF reads MSRs Bochs lacks, e.g. 0x17, and dies
#                    of #GP otherwise)
#   --com1 FILE      where COM1 output goes (default com1.out)
#   --com1-socket PORT   COM1 on a TCP server at localhost:PORT instead
#                    (Bochs waits for a client before it starts; the
#                    console test client, tests/console/client.py)
#   --log FILE       Bochs log file (default bochs.log)
#   --debug-module NAME  Bochs's debug messages of that module reported in
#                    the log (e.g. serial: every byte COM1 sends and
#                    receives, with the tick)
#   --vga KIND       isa (default): Bochs's ISA VGA, which OVMF does not
#                    drive (no GOP, no framebuffer); cirrus: a PCI Cirrus
#                    GD5446, which OVMF's Cirrus driver sets to 800x600x32
#                    (GOP with a linear framebuffer at its BAR).  The
#                    "term" display cannot show more than 8 bits per pixel
#                    and panics on such a mode: with cirrus that display
#                    panic (module TERM only) is reported, not fatal, and
#                    nothing is drawn.
#
# The choices, each measured with Bochs 2.7 (Debian): "term" display
# (no network listener), reset_on_triple_fault=0 so a triple fault ends
# the run, ignore_bad_msrs=0 (BIOS) so the hypervisor sees #GP for unknown MSRs,
# error: action=report so VM-entry failures are named in the log,
# port_e9_hack so the hypervisor's test-exit verdict (drivers/emu_exit.c)
# reaches Bochs's standard output, where the guest cannot write.
set -euo pipefail

model=corei7_skylake_x
cpus=1
megs=256
firmware=bios
bios=/usr/share/bochs/BIOS-bochs-latest
cdrom=
disk=
com1=com1.out
com1_socket=
log=bochs.log
ignore_bad_msrs=
vga=isa
debug_module=

OVMF_ROM=/usr/share/ovmf/OVMF.fd
# OVMF.fd is 2 MiB and must end at 4 GiB.
OVMF_ADDRESS=0xffe00000

die()
{
	echo "bochsrc.sh: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "option $1 needs a value"
	case "$1" in
	--model)    model=$2 ;;
	--cpus)     cpus=$2 ;;
	--megs)     megs=$2 ;;
	--firmware) firmware=$2 ;;
	--bios)     bios=$2 ;;
	--cdrom)    cdrom=$2 ;;
	--disk)     disk=$2 ;;
	--com1)     com1=$2 ;;
	--com1-socket) com1_socket=$2 ;;
	--log)      log=$2 ;;
	--debug-module) debug_module=$2 ;;
	--ignore-bad-msrs) ignore_bad_msrs=$2 ;;
	--vga)      vga=$2 ;;
	*)          die "unknown option $1" ;;
	esac
	shift 2
done

if [ -z "$ignore_bad_msrs" ]; then
	ignore_bad_msrs=0
	[ "$firmware" = uefi ] && ignore_bad_msrs=1
fi
case "$ignore_bad_msrs" in 0|1) ;; *) die "--ignore-bad-msrs takes 0 or 1" ;; esac
case "$vga" in isa|cirrus) ;; *) die "--vga takes isa or cirrus" ;; esac
[ -n "$cdrom$disk" ] || die "need --cdrom or --disk"
[ -z "$cdrom" ] || [ -z "$disk" ] || die "--cdrom and --disk exclude each other"

cat <<RC
megs: $megs
cpu: model=$model, count=$cpus, ips=50000000, reset_on_triple_fault=0, ignore_bad_msrs=$ignore_bad_msrs
RC

case "$firmware" in
bios)
	echo "romimage: file=$bios, options=fastboot"
	;;
uefi)
	[ -n "$disk" ] || die "--firmware uefi boots an ESP: give --disk"
	echo "romimage: file=$OVMF_ROM, address=$OVMF_ADDRESS"
	if [ "$vga" = cirrus ]; then
		echo "pci: enabled=1, chipset=i440fx, slot1=cirrus"
	else
		echo "pci: enabled=1, chipset=i440fx"
	fi
	;;
*)
	die "unknown firmware $firmware (bios or uefi)"
	;;
esac

[ "$vga" = cirrus ] && echo "vga: extension=cirrus"
cat <<RC
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
RC
if [ -n "$cdrom" ]; then
	echo "ata0-master: type=cdrom, path=$cdrom, status=inserted"
	echo "boot: cdrom"
else
	echo "ata0-master: type=disk, mode=flat, path=$disk"
	echo "boot: disk"
fi
if [ -n "$com1_socket" ]; then
	echo "com1: enabled=1, mode=socket-server, dev=localhost:$com1_socket"
else
	echo "com1: enabled=1, mode=file, dev=$com1"
fi
cat <<RC
clock: sync=none, time0=local
speaker: enabled=0
magic_break: enabled=1
port_e9_hack: enabled=1
log: $log
RC
if [ "$vga" = cirrus ]; then
	echo "panic: action=fatal, term=report"
else
	echo "panic: action=fatal"
fi
cat <<RC
error: action=report
info: action=report
RC
echo "debug: action=ignore${debug_module:+, $debug_module=report}"

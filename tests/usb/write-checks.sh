#!/bin/bash
# tests/usb/write-checks.sh: tools/usb-write.sh (`make usb`) against fake
# /sys and /proc trees: each refusal (not removable, a partition, mounted,
# swap, held by device-mapper, the running system's disk directly, through
# LVM and through a btrfs-style anonymous device number, too small, not
# confirmed, no device) leaves the stand-in device untouched and names its
# reason; the success paths (YES=1, the name typed back) write the image
# into a regular file standing in for the stick, which then reads back as
# the image.  Prints one PASS/FAIL line per case (tests/run.sh counts them).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WRITE=$ROOT/tools/usb-write.sh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
IMAGE=$WORK/hv.iso
STICK_SECTORS=$((16 * 1024 * 1024 * 1024 / 512))    # a 16 GiB stick
head -c $((3 * 1024 * 1024 + 512)) /dev/urandom > "$IMAGE"

# ---- the fake machine --------------------------------------------------------

# disk NAME MAJ:MIN SECTORS REMOVABLE: a whole disk in the fake /sys.
disk()
{
	local d=$SYS/block/$1
	mkdir -p "$d/device" "$d/holders" "$d/slaves"
	echo "$2" > "$d/dev"
	echo "$3" > "$d/size"
	echo "$4" > "$d/removable"
	echo "Vendor" > "$d/device/vendor"
	echo "Model $1" > "$d/device/model"
}

# part DISK PART MAJ:MIN: a partition of DISK.
part()
{
	local d=$SYS/block/$1/$2
	mkdir -p "$d/holders"
	echo 1 > "$d/partition"
	echo "$3" > "$d/dev"
}

# dm NAME MAJ:MIN SLAVE...: a device-mapper device (LVM, dm-crypt) on
# SLAVEs, with the holders/ links the kernel keeps.
dm()
{
	local name=$1 devnum=$2 s
	shift 2
	mkdir -p "$SYS/block/$name/slaves" "$SYS/block/$name/holders"
	echo "$devnum" > "$SYS/block/$name/dev"
	echo 0 > "$SYS/block/$name/removable"
	for s in "$@"; do
		touch "$SYS/block/$name/slaves/$s"
		for h in "$SYS"/block/*/"$s"/holders "$SYS/block/$s/holders"; do
			[ -d "$h" ] && touch "$h/$name"
		done
	done
}

# mount_line MAJ:MIN POINT SOURCE [FSTYPE]: one /proc/self/mountinfo line.
mount_line()
{
	echo "$((RANDOM + 30)) 1 $1 / $2 rw,relatime shared:1 - ${4:-ext4} $3 rw" \
		>> "$PROC/self/mountinfo"
}

# machine: a laptop whose root is LVM on nvme0n1p2, /boot/efi on
# nvme0n1p1, a fixed SATA disk sda, and the stick sdb (one partition).
machine()
{
	rm -rf "$WORK/m"
	SYS=$WORK/m/sys PROC=$WORK/m/proc DEV=$WORK/m/dev
	mkdir -p "$SYS/block" "$PROC/self" "$DEV"
	disk nvme0n1 259:0 $((512 * 1024 * 1024 * 2)) 0
	part nvme0n1 nvme0n1p1 259:1
	part nvme0n1 nvme0n1p2 259:2
	dm dm-0 253:0 nvme0n1p2
	disk sda 8:0 $((1024 * 1024 * 1024 * 2)) 0
	part sda sda1 8:1
	disk sdb 8:16 "$STICK_SECTORS" 1
	part sdb sdb1 8:17
	: > "$PROC/self/mountinfo"
	mount_line 253:0 / /dev/mapper/vg-root
	mount_line 259:1 /boot/efi /dev/nvme0n1p1 vfat
	mount_line 8:1 /data /dev/sda1
	mount_line 0:22 /proc proc proc
	printf 'Filename\tType\tSize\tUsed\tPriority\n' > "$PROC/swaps"
	for n in nvme0n1 sda sdb sdb1 sdc; do
		head -c 4096 /dev/zero > "$DEV/$n"
	done
}

# ---- running the tool ----------------------------------------------------------

passes=0
fails=0

# run DEVICE [STDIN]: the tool on DEVICE of the fake machine; sets STATUS
# and OUT (stdout and stderr).
run()
{
	OUT=$(printf '%s\n' "${2:-}" | SYSFS=$SYS PROCFS=$PROC \
	      USB_WRITE_FAKE_DEVICE=1 bash "$WRITE" "$IMAGE" "$1" 2>&1)
	STATUS=$?
}

result()
{
	if [ "$1" = ok ]; then
		echo "PASS usb-write/$2"
		passes=$((passes + 1))
	else
		echo "FAIL usb-write/$2: $3"
		echo "$OUT" | sed 's/^/    /'
		fails=$((fails + 1))
	fi
}

# refused NAME DEVICE REASON [STDIN]: the tool refuses DEVICE, saying
# REASON, and DEVICE's stand-in still holds zeros.
refused()
{
	local name=$1 dev=$2 reason=$3
	run "$dev" "${4:-}"
	if [ "$STATUS" -ne 1 ]; then
		result fail "$name" "exit status $STATUS, want 1"
	elif ! grep -q "REFUSED: .*$reason" <<< "$OUT"; then
		result fail "$name" "no refusal naming '$reason'"
	elif [ -e "$dev" ] && ! cmp -s "$dev" <(head -c 4096 /dev/zero); then
		result fail "$name" "the device was written"
	else
		result ok "$name"
	fi
}

# written NAME DEVICE [STDIN]: the tool writes the image to DEVICE.
written()
{
	local name=$1 dev=$2
	run "$dev" "${3:-}"
	if [ "$STATUS" -ne 0 ]; then
		result fail "$name" "exit status $STATUS, want 0"
	elif ! cmp -s "$IMAGE" "$dev"; then
		result fail "$name" "the device does not hold the image"
	elif ! grep -q "read back and compared" <<< "$OUT"; then
		result fail "$name" "no final report"
	else
		result ok "$name"
	fi
}

# ---- the cases ---------------------------------------------------------------

machine
YES=1 written yes-writes-the-stick "$DEV/sdb"

machine
YES=0 written typed-name-writes-the-stick "$DEV/sdb" sdb

machine
YES=0 refused other-answer-stops "$DEV/sdb" "not confirmed" yes

machine
YES=0 refused no-answer-stops "$DEV/sdb" "not confirmed"

machine
YES=1 refused fixed-disk "$DEV/sda" "not a removable disk"

machine
YES=1 refused partition "$DEV/sdb1" "not a whole disk"

machine
YES=1 refused no-device "$DEV/sdz" "not a block device"

machine
mount_line 8:17 /media/user/STICK /dev/sdb1 vfat
YES=1 refused mounted-partition "$DEV/sdb" "sdb1 on /dev/sdb is mounted on /media/user/STICK"

machine
mount_line 8:16 /mnt /dev/sdb vfat
YES=1 refused mounted-whole-disk "$DEV/sdb" "is mounted on /mnt"

machine
printf '/dev/sdb1\tpartition\t1048572\t0\t-2\n' >> "$PROC/swaps"
YES=1 refused swap "$DEV/sdb" "in use as swap"

machine
dm dm-3 253:3 sdb1
YES=1 refused held-by-dm "$DEV/sdb" "sdb1 is in use by dm-3"

machine
echo 1 > "$SYS/block/nvme0n1/removable"     # the system runs from a stick
YES=1 refused system-disk-through-lvm "$DEV/nvme0n1" "holds the running system's root"

machine
disk sdc 8:32 "$STICK_SECTORS" 1
part sdc sdc2 8:34
: > "$PROC/self/mountinfo"
mount_line 8:34 / /dev/sdc2
YES=1 refused system-disk-partition "$DEV/sdc" "holds the running system's root"

machine
disk sdc 8:32 "$STICK_SECTORS" 1
part sdc sdc2 8:34
: > "$PROC/self/mountinfo"
mount_line 0:31 / /dev/sdc2 btrfs            # btrfs: an anonymous device number
YES=1 refused system-disk-btrfs "$DEV/sdc" "holds the running system's root"

machine
echo 1 > "$SYS/block/nvme0n1/removable"
echo 259:2 > "$SYS/block/nvme0n1/device/dev"  # a char device's number, the same
: > "$PROC/self/mountinfo"
mount_line 259:2 / /dev/nvme0n1p2
YES=1 refused system-disk-not-fooled-by-device-link "$DEV/nvme0n1" "holds the running system's root"

machine
echo 4096 > "$SYS/block/sdb/size"            # 2 MiB, the image is 3 MiB
YES=1 refused too-small "$DEV/sdb" "holds 2097152 bytes, the image needs"

machine
echo 0 > "$SYS/block/sdb/size"
YES=1 refused no-medium "$DEV/sdb" "no size"

echo "usb-write: $passes passed, $fails failed"
[ "$fails" -eq 0 ]

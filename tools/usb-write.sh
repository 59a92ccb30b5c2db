#!/bin/bash
# tools/usb-write.sh IMAGE DEVICE: write IMAGE (build/hv.iso) to the whole
# disk DEVICE (/dev/sdX) of a USB stick, after refusing anything that looks
# wrong (`make usb DEV=/dev/sdX` runs it; docs/hardware.md):
#   - DEVICE is not a whole disk (a partition, or no disk of that name);
#   - the disk is not removable (/sys/block/X/removable is not 1);
#   - the disk holds the running system's root filesystem, directly or
#     through partitions, LVM, dm-crypt or md (followed through slaves/);
#   - the disk or one of its partitions is mounted, used as swap, or held
#     by device-mapper/md (holders/);
#   - the disk is smaller than IMAGE (or has no medium).
# Then it shows the disk (vendor, model, size) and asks for its name to be
# typed back, unless YES=1; writes with dd, flushes, and compares what it
# wrote with IMAGE.
#
# Every fact about block devices comes from the functions below, read under
# $SYSFS (default /sys) and $PROCFS (default /proc), so that
# tests/usb/write-checks.sh can run the script against fake trees.  With
# USB_WRITE_FAKE_DEVICE=1 (tests only) a regular file stands in for the
# device node.  Exit status: 0 written, 1 refused or failed, 2 usage.
set -uo pipefail

SYSFS=${SYSFS:-/sys}
PROCFS=${PROCFS:-/proc}
SECTOR_BYTES=512            # /sys/block/X/size counts 512-byte sectors
MAX_DEPTH=8                 # dm/md stacking followed this deep

refuse()
{
	echo "usb-write: REFUSED: $*" >&2
	exit 1
}

# ---- block-device facts (all reads go through these) ----------------------

# dev_node_ok PATH: PATH is a block device node (or, in tests, a file).
dev_node_ok()
{
	[ -b "$1" ] || { [ "${USB_WRITE_FAKE_DEVICE:-0}" = 1 ] && [ -f "$1" ]; }
}

# is_disk NAME: NAME is a whole disk (/sys/block/NAME exists).
is_disk()
{
	[ -n "$1" ] && [ -d "$SYSFS/block/$1" ]
}

# disk_attr NAME FILE: one attribute file of disk NAME, empty when absent.
disk_attr()
{
	local v=""
	[ -r "$SYSFS/block/$1/$2" ] && read -r v < "$SYSFS/block/$1/$2"
	echo "$v"
}

# disk_parts NAME: the partitions of disk NAME (sdb1 sdb2 ...).
disk_parts()
{
	local p
	for p in "$SYSFS/block/$1"/*/partition; do
		[ -e "$p" ] && basename "$(dirname "$p")"
	done
}

# node_dir NAME: the sysfs directory of a disk or partition NAME.
node_dir()
{
	local d
	if [ -d "$SYSFS/block/$1" ]; then
		echo "$SYSFS/block/$1"
		return
	fi
	for d in "$SYSFS/block"/*/"$1"; do
		[ -d "$d" ] && { echo "$d"; return; }
	done
}

# node_disk NAME: the whole disk a disk or partition NAME belongs to.
node_disk()
{
	local d
	d=$(node_dir "$1")
	[ -n "$d" ] || return
	[ -e "$d/partition" ] && d=$(dirname "$d")
	basename "$d"
}

# node_by_devnum MAJ:MIN: the disk or partition with that device number
# (only directories with a partition file count below a disk: its device/
# link may lead to a character device's dev, e.g. an NVMe controller's).
node_by_devnum()
{
	local f v
	for f in "$SYSFS/block"/*/dev "$SYSFS/block"/*/*/dev; do
		[ -r "$f" ] || continue
		case $f in
		"$SYSFS/block"/*/*/dev)
			[ -e "$(dirname "$f")/partition" ] || continue ;;
		esac
		read -r v < "$f"
		[ "$v" = "$1" ] && { basename "$(dirname "$f")"; return; }
	done
}

# backing_disks NAME [DEPTH]: the whole disks under a disk, partition or
# dm/md device NAME, following slaves/ (LVM, dm-crypt, md RAID).
backing_disks()
{
	local name=$1 depth=${2:-0} d s found=0
	[ "$depth" -le "$MAX_DEPTH" ] || return
	d=$(node_dir "$name")
	[ -n "$d" ] || return
	for s in "$d"/slaves/*; do
		[ -e "$s" ] || continue
		found=1
		backing_disks "$(basename "$s")" $((depth + 1))
	done
	[ "$found" = 1 ] || node_disk "$name"
}

# mounts: "MAJ:MIN SOURCE MOUNTPOINT" for each mount (/proc/self/mountinfo:
# field 3 the device number, field 5 the mount point, the source after " - ").
mounts()
{
	local line
	[ -r "$PROCFS/self/mountinfo" ] || return
	while read -r line; do
		# shellcheck disable=SC2086
		set -- $line
		local devnum=$3 point=$5
		local tail=${line#* - }
		# shellcheck disable=SC2086
		set -- $tail
		echo "$devnum ${2:-none} $point"
	done < "$PROCFS/self/mountinfo"
}

# swaps: the swap device paths (/proc/swaps, after its header line).
swaps()
{
	[ -r "$PROCFS/swaps" ] || return
	tail -n +2 "$PROCFS/swaps" | while read -r dev _; do echo "$dev"; done
}

# holders NAME: the devices (dm-0, md0) holding a disk or partition NAME.
holders()
{
	local d h
	d=$(node_dir "$1")
	for h in "$d"/holders/*; do
		[ -e "$h" ] && basename "$h"
	done
}

# ---- the checks ------------------------------------------------------------

# node_of_mount DEVNUM SOURCE: the disk/partition/dm name behind a mount:
# its device number, else the /dev name of its source (btrfs and others
# report an anonymous device number).
node_of_mount()
{
	local n
	n=$(node_by_devnum "$1")
	if [ -z "$n" ] && [ "${2#/dev/}" != "$2" ]; then
		n=$(basename "$(readlink -f "$2" 2>/dev/null || echo "$2")")
		[ -n "$(node_dir "$n")" ] || n=""
	fi
	echo "$n"
}

# system_disks: the whole disks the root filesystem lives on.
system_disks()
{
	local devnum src point n
	while read -r devnum src point; do
		[ "$point" = / ] || continue
		n=$(node_of_mount "$devnum" "$src")
		[ -n "$n" ] && backing_disks "$n"
	done < <(mounts)
}

# check_not_system DISK: refuse the disk the running system runs from.
check_not_system()
{
	local d
	for d in $(system_disks | sort -u); do
		[ "$d" = "$1" ] &&
			refuse "/dev/$1 holds the running system's root filesystem"
	done
}

# check_unused DISK: refuse when the disk or a partition is mounted, swap,
# or held by device-mapper/md.
check_unused()
{
	local disk=$1 devnum src point n s h part
	while read -r devnum src point; do
		n=$(node_of_mount "$devnum" "$src")
		[ -n "$n" ] || continue
		for s in $(backing_disks "$n" | sort -u); do
			[ "$s" = "$disk" ] &&
				refuse "/dev/$n on /dev/$disk is mounted on $point"
		done
	done < <(mounts)
	for s in $(swaps); do
		n=$(basename "$s")
		[ "$(node_disk "$n")" = "$disk" ] &&
			refuse "$s on /dev/$disk is in use as swap"
	done
	for part in "$disk" $(disk_parts "$disk"); do
		h=$(holders "$part" | tr '\n' ' ')
		[ -n "$h" ] && refuse "/dev/$part is in use by ${h% }"
	done
}

# check_removable DISK: refuse a disk the kernel does not call removable.
check_removable()
{
	[ "$(disk_attr "$1" removable)" = 1 ] ||
		refuse "/dev/$1 is not a removable disk ($SYSFS/block/$1/removable is not 1)"
}

# check_size DISK IMAGE: refuse a disk smaller than the image.
check_size()
{
	local sectors bytes need
	sectors=$(disk_attr "$1" size)
	[[ "$sectors" =~ ^[0-9]+$ ]] && [ "$sectors" -gt 0 ] ||
		refuse "/dev/$1 reports no size (no medium?)"
	bytes=$((sectors * SECTOR_BYTES))
	need=$(stat -c %s "$2")
	[ "$bytes" -ge "$need" ] ||
		refuse "/dev/$1 holds $bytes bytes, the image needs $need"
}

# describe DISK: one line naming the disk for the confirmation.
describe()
{
	local sectors mib
	sectors=$(disk_attr "$1" size)
	mib=$((sectors * SECTOR_BYTES / 1048576))
	echo "/dev/$1: $(disk_attr "$1" device/vendor) $(disk_attr "$1" device/model), $mib MiB, removable"
}

# confirm DISK: ask for the disk's name unless YES=1.
confirm()
{
	local answer
	[ "${YES:-0}" = 1 ] && return
	echo "usb-write: everything on this disk will be lost:"
	echo "  $(describe "$1")"
	printf 'usb-write: type the disk name (%s) to write, anything else stops: ' "$1"
	read -r answer || answer=""
	[ "$answer" = "$1" ] || refuse "not confirmed"
}

# ---- main ------------------------------------------------------------------

[ $# -eq 2 ] || { echo "usage: tools/usb-write.sh IMAGE DEVICE (or: make usb DEV=/dev/sdX [YES=1])" >&2; exit 2; }
image=$1
dev=$2
[ -f "$image" ] || refuse "no image $image (run make first)"
dev_node_ok "$dev" || refuse "$dev is not a block device"
name=$(basename "$(readlink -f "$dev" 2>/dev/null || echo "$dev")")
[ "${USB_WRITE_FAKE_DEVICE:-0}" = 1 ] && name=$(basename "$dev")
is_disk "$name" ||
	refuse "$dev is not a whole disk (give the disk, e.g. /dev/sdb, not a partition)"
check_removable "$name"
check_not_system "$name"
check_unused "$name"
check_size "$name" "$image"
confirm "$name"

size=$(stat -c %s "$image")
echo "usb-write: writing $image ($size bytes) to $dev"
progress=""
[ -t 2 ] && progress="status=progress"
dd if="$image" of="$dev" bs=4M conv=fsync,notrunc $progress 2>&1 |
	grep -v -e 'records in' -e 'records out' >&2
[ "${PIPESTATUS[0]}" -eq 0 ] || refuse "dd failed writing $dev"
sync
cmp -n "$size" "$image" "$dev" >/dev/null ||
	refuse "$dev does not read back as $image"
echo "usb-write: done: $dev holds $image (read back and compared)"

#!/bin/bash
# tools/mkesp.sh OUT.img EFI_BINARY HV_CFG [EXTRA_FILE...]
#
# Make a raw FAT image (an EFI system partition without a partition table,
# which OVMF boots as removable media) holding
#     /EFI/BOOT/BOOTX64.EFI   EFI_BINARY (hv.efi)
#     /EFI/BOOT/hv.cfg        HV_CFG (see boot/efi_config.h)
#     /EFI/BOOT/<basename>    each EXTRA_FILE (modules hv.cfg names)
# With mtools only: no root, no loop mounts.  The size follows the contents
# (plus a quarter and 1 MiB for the FAT and directories), at least 4 MiB.
set -euo pipefail

MIB=$((1024 * 1024))
MIN_BYTES=$((4 * MIB))
CLUSTER=4096
# Sectors per track / heads only describe a geometry for mtools; any
# values that divide the size will do.
SECTOR=512
SECTORS_PER_TRACK=32
HEADS=64

die() { echo "mkesp.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: mkesp.sh OUT.img EFI_BINARY HV_CFG [EXTRA_FILE...]"
out=$1; efi=$2; cfg=$3; shift 3
for tool in mformat mmd mcopy; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install mtools)"
done
for f in "$efi" "$cfg" "$@"; do
	[ -f "$f" ] || die "no such file: $f"
done
declare -A seen=([bootx64.efi]=1 [hv.cfg]=1)
for f in "$@"; do
	name=$(basename "$f")
	lower=${name,,}
	[ -z "${seen[$lower]:-}" ] || die "two files would be /EFI/BOOT/$name"
	seen[$lower]=1
done

# Bytes the files take in whole clusters.
content=0
for f in "$efi" "$cfg" "$@"; do
	size=$(stat -c %s "$f")
	content=$((content + (size + CLUSTER - 1) / CLUSTER * CLUSTER))
done
bytes=$((content + content / 4 + MIB))
bytes=$(((bytes + MIB - 1) / MIB * MIB))
[ "$bytes" -ge "$MIN_BYTES" ] || bytes=$MIN_BYTES

tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
truncate -s "$bytes" "$tmp"
export MTOOLS_SKIP_CHECK=1
mformat -i "$tmp" -T $((bytes / SECTOR)) -s "$SECTORS_PER_TRACK" \
	-h "$HEADS" -v HV_ESP ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT
mcopy -i "$tmp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp" "$cfg" ::/EFI/BOOT/hv.cfg
for f in "$@"; do
	mcopy -i "$tmp" "$f" "::/EFI/BOOT/$(basename "$f")"
done
mv "$tmp" "$out"
trap - EXIT
echo "mkesp.sh: $out: $((bytes / MIB)) MiB, $((2 + $#)) file(s)"

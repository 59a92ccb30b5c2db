#!/bin/bash
# tools/mkiso.sh OUT GRUBCFG FILE...: a hybrid BIOS/UEFI GRUB image.
#
# GRUBCFG becomes /boot/grub/grub.cfg and each FILE /boot/<its basename>.
# The result boots as a CD-ROM (El Torito, BIOS and UEFI), and as a raw
# disk or USB stick (protective MBR + GPT with an EFI system partition).
# Only the GRUB modules below go in: a slim image boots faster in the
# emulators.  Extra modules: GRUB_EXTRA_MODULES="echo sleep" tools/mkiso.sh ...
# Quiet on success (a run of more than a second shows its progress on a
# terminal, tools/progress.sh); on failure the tools' output is shown.
set -euo pipefail

# One list for both platforms: every module must exist for i386-pc and
# x86_64-efi.  grub-mkrescue itself builds biosdisk and iso9660 into the
# BIOS El Torito core (biosdisk exists only for i386-pc).
# multiboot2: the loader (and module2).  normal: reads grub.cfg.  iso9660:
# the CD file system.  part_msdos/part_gpt/fat: a USB stick's partition
# tables and the ESP.  serial/terminal: GRUB's console on COM1.
# test/echo/halt/reboot: small commands test grub.cfg files use.
# all_video (also preloaded, so no grub.cfg needs `insmod`): on UEFI,
# GRUB has no text console to hand over and needs efi_gop to report the
# framebuffer ("error: no suitable video mode found" otherwise); on BIOS
# it adds vga/video_bochs/video_cirrus to the vbe that multiboot2 needs.
MODULES="multiboot2 normal iso9660 part_msdos part_gpt fat
         serial terminal test echo halt reboot all_video"
PRELOAD="all_video"
PLATFORMS="i386-pc x86_64-efi"
GRUB_LIB=/usr/lib/grub
# GRUB EFI's device search loads every partition map named in
# partmap.lst and prints an error for each one missing: install them all.
PARTMAPS="$GRUB_LIB/x86_64-efi/partmap.lst"

PROGRESS_NAME=mkiso.sh
. "$(dirname "$0")/progress.sh"

die()
{
	echo "mkiso.sh: $*" >&2
	exit 1
}

[ $# -ge 2 ] || die "usage: mkiso.sh OUT GRUBCFG [FILE...]"
out=$1
cfg=$2
shift 2

for tool in grub-mkrescue xorriso mformat; do
	command -v "$tool" >/dev/null ||
		die "$tool not found (packages: grub-common, xorriso, mtools)"
done
for p in $PLATFORMS; do
	[ -d "$GRUB_LIB/$p" ] ||
		die "$GRUB_LIB/$p missing (packages: grub-pc-bin, grub-efi-amd64-bin)"
done
[ -f "$cfg" ] || die "$cfg: no such grub.cfg"
for f in "$@"; do
	[ -f "$f" ] || die "$f: no such file"
done
[ -f "$PARTMAPS" ] || die "$PARTMAPS missing (package grub-efi-amd64-bin)"
modules=$(echo $MODULES $(cat "$PARTMAPS") ${GRUB_EXTRA_MODULES:-})

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/boot/grub"
cp "$cfg" "$tmp/root/boot/grub/grub.cfg"
for f in "$@"; do
	cp "$f" "$tmp/root/boot/$(basename "$f")"
done

TOOL_LOG=$tmp/log
: >"$TOOL_LOG"
if ! progress_run "grub-mkrescue ${out##*/}" grub-mkrescue --output="$tmp/out.iso" \
	--install-modules="$modules" --modules="$PRELOAD" \
	--locales= --fonts= --themes= \
	"$tmp/root"; then
	cat "$tmp/log" >&2
	die "grub-mkrescue failed"
fi
mv "$tmp/out.iso" "$out"

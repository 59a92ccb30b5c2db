#!/bin/sh
# Fetch Debian's memtest86+ package (not installed: only unpacked) and keep
# its 64-bit Linux-boot-protocol image.
#
# Output: $BUILD/memtest/memtest86+x64.bin (BUILD defaults to "build",
# relative to the repository root); downloaded once.  Prints the path.
# apt-get's output goes to $BUILD/memtest/get-memtest.log.
#
# Usage: tools/get-memtest.sh
set -eu

PACKAGE=memtest86+
IMAGE=memtest86+x64.bin

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/memtest

die() { echo "get-memtest.sh: $*" >&2; exit 1; }

if [ ! -f "$OUT/$IMAGE" ]; then
    mkdir -p "$OUT/deb"
    (cd "$OUT/deb" && apt-get download "$PACKAGE") >"$OUT/get-memtest.log" 2>&1 ||
        die "apt-get download $PACKAGE failed (see $OUT/get-memtest.log)"
    dpkg-deb -x "$OUT"/deb/*.deb "$OUT/x" ||
        die "cannot unpack $(ls "$OUT"/deb/*.deb)"
    cp "$OUT/x/boot/$IMAGE" "$OUT/$IMAGE" || die "no boot/$IMAGE in the package"
    rm -rf "$OUT/deb" "$OUT/x"
fi
echo "$OUT/$IMAGE"

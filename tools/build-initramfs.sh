#!/bin/sh
# Build the initramfs of the Linux guest tests: a gzip-compressed newc cpio
# holding tests/linux/init as /init, Debian's busybox-static with links for
# the applets /init uses, /bin/cpuid-sig (tests/linux/cpuid-sig.c) and
# /bin/rdtsc (tests/linux/rdtsc.c).
#
# Output: $BUILD/linux/initramfs.cpio.gz (BUILD defaults to "build",
# relative to the repository root).  Rebuilt only when an input changes
# (init, cpuid-sig.c, rdtsc.c, this script, the busybox-static version, gcc); the key
# is kept in $BUILD/linux/initramfs.cpio.gz.key.  Prints the archive's path.
# Its steps go to stderr, apt-get's output to $TOOL_LOG (default
# $BUILD/linux/build-initramfs.log; see tools/progress.sh).
#
# Usage: tools/build-initramfs.sh [-f]     (-f: rebuild even if cached)
set -eu

BUILD_PACKAGES="gcc cpio gzip"
BUSYBOX_PACKAGE="busybox-static"
# Applets /init calls, plus a few for poking around by hand.
APPLETS="sh mount grep dmesg stty poweroff sleep cat echo ls head md5sum"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/linux
SRC=$ROOT/tests/linux
ARCHIVE=$OUT/initramfs.cpio.gz
KEYFILE=$ARCHIVE.key
# The freestanding helpers /init runs (tests/linux/NAME.c -> /bin/NAME).
HELPERS="cpuid-sig rdtsc"
HELPERS_SRC=$(for h in $HELPERS; do printf '%s ' "$SRC/$h.c"; done)

PROGRESS_NAME=build-initramfs.sh
. "$ROOT/tools/progress.sh"

# download_into DIR PACKAGE=VERSION: the package's .deb into DIR.
download_into() {
    (cd "$1" && apt-get download "$2")
}

die() { echo "build-initramfs.sh: $*" >&2; exit 1; }

# Install whichever of $BUILD_PACKAGES is missing (tools/deps.sh: as root,
# or it names the apt-get line to run).
install_missing_packages() {
    # shellcheck disable=SC2086 # one word per package
    "$ROOT/tools/deps.sh" packages $BUILD_PACKAGES ||
        die "missing build packages"
}

busybox_version() {
    apt-cache policy "$BUSYBOX_PACKAGE" | sed -n 's/^ *Candidate: *//p'
}

# Download busybox-static (without installing it: it would replace the
# system's dynamic busybox) and unpack it once per version.
fetch_busybox() {
    version=$1
    dir=$OUT/busybox-static-$(echo "$version" | tr : _)
    if [ ! -x "$dir/bin/busybox" ]; then
        rm -rf "$dir" && mkdir -p "$dir/deb"
        say "downloading $BUSYBOX_PACKAGE $version"
        progress_run download download_into "$dir/deb" "$BUSYBOX_PACKAGE=$version" ||
            progress_failed "apt-get download $BUSYBOX_PACKAGE=$version"
        dpkg -x "$dir"/deb/*.deb "$dir"
    fi
    echo "$dir/bin/busybox"
}

cache_key() {
    bb_version=$1
    # shellcheck disable=SC2086 # one path per word; paths have no blanks
    inputs=$(cat "$SRC/init" $HELPERS_SRC "$0" | sha256sum | cut -d' ' -f1)
    echo "busybox=$bb_version gcc=$(gcc -dumpfullversion) inputs=$inputs"
}

# build_helper NAME OUT
build_helper() {
    gcc -static -nostdlib -ffreestanding -fno-stack-protector -fno-pie -no-pie \
        -O2 -mgeneral-regs-only -fno-asynchronous-unwind-tables \
        -Wall -Wextra -Werror -s -o "$2" "$SRC/$1.c"
}

# Lay out the root file system in $1.
populate_root() {
    root=$1 busybox=$2
    rm -rf "$root" && mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
    install -m 0755 "$SRC/init" "$root/init"
    install -m 0755 "$busybox" "$root/bin/busybox"
    for applet in $APPLETS; do
        ln -s busybox "$root/bin/$applet"
    done
    for h in $HELPERS; do
        build_helper "$h" "$root/bin/$h"
    done
    # The kernel opens /dev/console for /init before anything is mounted.
    if [ "$(id -u)" = 0 ]; then
        mknod -m 0600 "$root/dev/console" c 5 1
    else
        echo "build-initramfs.sh: not root, no /dev/console node (init reopens it from devtmpfs)" >&2
    fi
}

pack_root() {
    root=$1
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
        cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n > "$ARCHIVE.tmp"
    mv "$ARCHIVE.tmp" "$ARCHIVE"
}

main() {
    force=0
    [ "${1:-}" = -f ] && force=1
    install_missing_packages
    mkdir -p "$OUT"
    bb_version=$(busybox_version)
    [ -n "$bb_version" ] || die "no candidate version of $BUSYBOX_PACKAGE (apt-get update?)"
    key=$(cache_key "$bb_version")
    if [ $force = 0 ] && [ -f "$ARCHIVE" ] && [ "$(cat "$KEYFILE" 2>/dev/null)" = "$key" ]; then
        echo "$ARCHIVE"
        return 0
    fi
    rm -f "$KEYFILE"
    if [ -z "${TOOL_LOG:-}" ]; then
        TOOL_LOG=$OUT/build-initramfs.log
        : >"$TOOL_LOG"
    fi
    busybox=$(fetch_busybox "$bb_version")
    say "building ${ARCHIVE#"$ROOT"/}: busybox, ${SRC#"$ROOT"/}/init, $HELPERS"
    populate_root "$OUT/initramfs-root" "$busybox"
    pack_root "$OUT/initramfs-root"
    echo "$key" > "$KEYFILE"
    echo "$ARCHIVE"
}

main "$@"

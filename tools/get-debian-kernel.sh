#!/bin/sh
# Fetch Debian's stock kernel (the linux-image-6.1.*-amd64 package that
# linux-image-amd64 currently depends on, signed flavour, no -dbg or
# -unsigned) and extract its vmlinuz; the package is not installed.
#
# Output: $BUILD/linux/vmlinuz-debian, a link to
# $BUILD/linux/debian-PACKAGE_VERSION/vmlinuz-KERNELRELEASE (BUILD defaults
# to "build", relative to the repository root).  Downloaded once per package
# version.  Prints the path of the link.  The download's progress goes to
# stderr, apt-get's output to $TOOL_LOG (default
# $BUILD/linux/get-debian-kernel.log; see tools/progress.sh).
#
# Usage: tools/get-debian-kernel.sh [PACKAGE]   (default: see above)
set -eu

META_PACKAGE=linux-image-amd64

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/linux
LINK=$OUT/vmlinuz-debian

PROGRESS_NAME=get-debian-kernel.sh
. "$ROOT/tools/progress.sh"

# download_into DIR PACKAGE=VERSION: the package's .deb into DIR.
download_into() {
    (cd "$1" && apt-get download "$2")
}

die() { echo "get-debian-kernel.sh: $*" >&2; exit 1; }

# The versioned image package the metapackage depends on, for example
# linux-image-6.1.0-56-amd64.
image_package() {
    apt-cache depends "$META_PACKAGE" 2>/dev/null |
        sed -n 's/^ *Depends: *\(linux-image-6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n 1
}

candidate_version() {
    apt-cache policy "$1" | sed -n 's/^ *Candidate: *//p'
}

# package_kib PACKAGE VERSION: the size of its .deb in KiB (0 if unknown).
package_kib() {
    size=$(apt-cache show "$1=$2" 2>/dev/null | sed -n 's/^Size: *//p' | head -n 1)
    echo $(( ${size:-0} / 1024 ))
}

# download_detail DIR KIB: how much of KIB has arrived in DIR.
download_detail() {
    got=$(du -sk "$1" | cut -f1)
    [ "$2" -gt 0 ] || { printf ', %s KiB' "$got"; return; }
    printf ', %s of %s KiB (%s%%)' "$got" "$2" $(( got * 100 / $2 ))
}

# Download the .deb and keep only boot/vmlinuz-* (the modules are not needed).
fetch_vmlinuz() {
    package=$1 version=$2 dir=$3
    rm -rf "$dir" && mkdir -p "$dir/deb"
    kib=$(package_kib "$package" "$version")
    say "downloading $package $version ($((kib / 1024)) MiB)"
    PROGRESS_DETAIL="download_detail '$dir/deb' $kib"
    progress_run download download_into "$dir/deb" "$package=$version" ||
        progress_failed "apt-get download $package=$version"
    PROGRESS_DETAIL=
    say "extracting vmlinuz"
    dpkg-deb --fsys-tarfile "$dir"/deb/*.deb | tar -x -C "$dir" --wildcards './boot/vmlinuz-*'
    mv "$dir"/boot/vmlinuz-* "$dir/"
    rm -rf "${dir:?}/deb" "${dir:?}/boot"
}

main() {
    package=${1:-$(image_package)}
    [ -n "$package" ] || die "cannot find the image package $META_PACKAGE depends on (apt-get update?)"
    version=$(candidate_version "$package")
    if [ -z "$version" ] || [ "$version" = "(none)" ]; then
        die "no candidate version of $package"
    fi
    dir=$OUT/debian-${package}_$(echo "$version" | tr : _)
    set -- "$dir"/vmlinuz-*
    if [ ! -f "$1" ]; then
        if [ -z "${TOOL_LOG:-}" ]; then
            TOOL_LOG=$OUT/get-debian-kernel.log
            mkdir -p "$OUT" && : >"$TOOL_LOG"
        fi
        fetch_vmlinuz "$package" "$version" "$dir"
        set -- "$dir"/vmlinuz-*
    fi
    [ -f "$1" ] || die "no vmlinuz in $package $version"
    ln -sfn "$(basename "$dir")/$(basename "$1")" "$LINK"
    echo "$LINK"
}

main "$@"

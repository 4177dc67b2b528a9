#!/bin/sh
# Makes the local base image of the Dockerfile's build stage, when its tag is missing.
#
# No image registry is reachable here, so the image is made from Debian's packages
# with debootstrap (a minimal bookworm with Python 3.11, its shared library for
# PyInstaller, binutils for stripping and ldd, gcc and libc6-dev for the static
# launcher) and loaded with `docker import`.
# The tag names the recipe: change BASE_IMAGE's suffix when the package list changes.
set -eu

BASE_IMAGE="${BASE_IMAGE:-compose-core-build-base:bookworm-py311-2}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=python3,python3-venv,libpython3.11,binutils,gcc,libc6-dev,ca-certificates

if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    echo "base image $BASE_IMAGE is present"
    exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
fi

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/compose-core-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT INT TERM

echo "debootstrap $SUITE ($PACKAGES) into $rootfs"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 || {
    tail -n 20 "$rootfs.log" >&2
    exit 1
}
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

tar -C "$rootfs" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
echo "made base image $BASE_IMAGE"

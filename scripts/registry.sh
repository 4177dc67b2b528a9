#!/usr/bin/env bash
# Start two local image registries for the tests and benchmarks, each only when it is
# not answering already: Debian's `docker-registry` on 127.0.0.1, one open and one
# behind htpasswd auth. The engine trusts 127.0.0.0/8 registries over plain HTTP.
#
# Prints `open=127.0.0.1:PORT auth=127.0.0.1:PORT user=USER password=PASSWORD`.
# `registry.sh stop` stops both.
set -euo pipefail

# Root keeps the registries' data under /var/lib; anyone else under /tmp.
if [[ -n "${COMPOSE_CORE_REGISTRY_DIR:-}" ]]; then
    STATE_DIR="$COMPOSE_CORE_REGISTRY_DIR"
elif [[ "$(id -u)" == 0 ]]; then
    STATE_DIR="/var/lib/compose-core-registry"
else
    STATE_DIR="/tmp/compose-core-registry-$(id -u)"
fi
OPEN_PORT="${COMPOSE_CORE_REGISTRY_PORT:-5055}"
AUTH_PORT="${COMPOSE_CORE_REGISTRY_AUTH_PORT:-5056}"
# A throw-away account on a registry that only listens on loopback.
AUTH_USER="compose"
AUTH_PASSWORD="compose-test-password"

say() { echo "registry: $*" >&2; }

# shellcheck source=scripts/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

ensure_packages() {
    local needed=()
    [[ -x /usr/bin/docker-registry ]] || needed+=(docker-registry)
    command -v htpasswd >/dev/null 2>&1 || needed+=(apache2-utils)
    command -v curl >/dev/null 2>&1 || needed+=(curl)
    if ((${#needed[@]})); then
        say "installing ${needed[*]}"
        apt_install "${needed[@]}"
    fi
}

answers() {
    # Any HTTP answer from /v2/ (200 open, 401 with auth) means it is up.
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/" || true)"
    [[ "$code" == 200 || "$code" == 401 ]]
}

write_config() {
    local name="$1" port="$2" dir="$STATE_DIR/$1"
    mkdir -p "$dir/data"
    {
        echo "version: 0.1"
        echo "log:"
        echo "  level: warn"
        echo "  accesslog:"
        echo "    disabled: true"
        echo "storage:"
        echo "  filesystem:"
        echo "    rootdirectory: $dir/data"
        echo "  delete:"
        echo "    enabled: true"
        echo "http:"
        echo "  addr: 127.0.0.1:$port"
        echo "  secret: compose-core-$name"
        if [[ "$name" == auth ]]; then
            echo "auth:"
            echo "  htpasswd:"
            echo "    realm: compose-core"
            echo "    path: $dir/htpasswd"
        fi
    } >"$dir/config.yml"
    if [[ "$name" == auth ]]; then
        htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$dir/htpasswd" 2>/dev/null
    fi
}

start_one() {
    local name="$1" port="$2" dir="$STATE_DIR/$1" tries
    if answers "$port"; then
        return 0
    fi
    write_config "$name" "$port"
    say "starting the $name registry on 127.0.0.1:$port"
    setsid nohup /usr/bin/docker-registry serve "$dir/config.yml" \
        >"$dir/registry.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for tries in $(seq 50); do
        answers "$port" && return 0
        sleep 0.1
    done
    say "ERROR: the $name registry did not answer on port $port; see $dir/registry.log"
    tail -n 5 "$dir/registry.log" >&2 || true
    exit 1
}

stop_one() {
    local pidfile="$STATE_DIR/$1/pid"
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")"
    fi
    rm -f "$pidfile"
}

if [[ "${1:-start}" == stop ]]; then
    stop_one open
    stop_one auth
    exit 0
fi

ensure_packages
start_one open "$OPEN_PORT"
start_one auth "$AUTH_PORT"
echo "open=127.0.0.1:$OPEN_PORT auth=127.0.0.1:$AUTH_PORT user=$AUTH_USER password=$AUTH_PASSWORD"

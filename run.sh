#!/bin/sh
# Run docker-compose (compose_core) from its image, as if it were installed here.
#
#   run.sh [docker-compose arguments...]
#
# Mounts the Docker socket (or the unix socket DOCKER_HOST names), the working
# directory and $HOME at their own paths, and the directories of -f files,
# --env-file files and --project-directory outside them; passes every COMPOSE_*
# and DOCKER_* variable. Arguments and values reach the tool byte for byte: they
# are never re-parsed by a shell. POSIX sh (dash, busybox); no realpath needed.
# IMAGE picks another image.
set -eu

IMAGE="${IMAGE:-compose-core:latest}"
NL='
'

# The arguments are kept in "$@" and the docker options appended after them;
# at the end the arguments are rotated behind the options (no eval, no quoting).
ARG_COUNT=$#
MOUNTED="$NL"

absolute_dir() {
    # The directory $1 (or that of the file $1 with -f), absolute, as the shell sees it
    # (symlinks kept), then "x": $(...) would drop a name's trailing newlines.
    dir="$1"
    if [ "${2:-}" = -f ]; then
        case "$1" in
            */*) dir="${1%/*}" ;;
            *) dir=. ;;
        esac
    fi
    [ -n "$dir" ] || dir=/
    (CDPATH='' cd -- "$dir" 2>/dev/null && pwd) || true
    echo x
}

needs_mount() {
    # True when the directory $1 is not below one that is mounted already.
    [ -n "$1" ] && [ "$1" != / ] || return 1
    case "$MOUNTED" in *"$NL$1$NL"*) return 1 ;; esac
    for root in "$PWD" "${HOME:-}"; do
        [ -n "$root" ] && [ "$root" != / ] || continue
        case "$1/" in "$root"/*) return 1 ;; esac
    done
    return 0
}

consider() {
    # Sets MOUNT_DIR to the directory of $1 (a file with $2 = -f) if it needs a mount.
    MOUNT_DIR=""
    if [ "$1" = - ] && [ "${2:-}" = -f ]; then
        WANTS_STDIN=1
        return 0
    fi
    found="$(absolute_dir "$@")"
    found="${found%x}"
    found="${found%"$NL"}"
    if needs_mount "$found"; then
        MOUNTED="$MOUNTED$found$NL"
        MOUNT_DIR="$found"
    fi
}

set -- "$@" run --rm --workdir "$PWD"

# The files named by the global options, before the command (after it, -f can mean
# something else: `logs -f`). Only the user's arguments, the first ARG_COUNT, are read.
WANTS_STDIN=""
expect=""
index=0
for arg in "$@"; do
    index=$((index + 1))
    [ "$index" -le "$ARG_COUNT" ] || break
    MOUNT_DIR=""
    case "$expect" in
        file) consider "$arg" -f; expect="" ;;
        dir) consider "$arg"; expect="" ;;
        skip) expect="" ;;
        *)
            case "$arg" in
                -f | --file | --env-file) expect=file ;;
                --file=* | --env-file=*) consider "${arg#*=}" -f ;;
                -f?*) consider "${arg#-f}" -f ;;
                --project-directory) expect=dir ;;
                --project-directory=*) consider "${arg#*=}" ;;
                -p | --project-name | --profile | --ansi | --progress | --parallel | --log-level | \
                    -H | --host | --tlscacert | --tlscert | --tlskey) expect=skip ;;
                --) break ;;
                -*) ;;
                *) break ;;
            esac
            ;;
    esac
    if [ -n "$MOUNT_DIR" ]; then
        set -- "$@" --volume "$MOUNT_DIR:$MOUNT_DIR"
    fi
done
if [ -n "${COMPOSE_FILE:-}" ]; then
    separator="${COMPOSE_PATH_SEPARATOR:-:}"
    rest="$COMPOSE_FILE$separator"
    while [ -n "$rest" ]; do
        file="${rest%%"$separator"*}"
        rest="${rest#*"$separator"}"
        MOUNT_DIR=""
        if [ -n "$file" ]; then
            consider "$file" -f
        fi
        if [ -n "$MOUNT_DIR" ]; then
            set -- "$@" --volume "$MOUNT_DIR:$MOUNT_DIR"
        fi
    done
fi

# The engine: a unix socket is mounted at its own path; any other address is passed.
case "${DOCKER_HOST:-}" in
    "") socket=/var/run/docker.sock ;;
    unix://*) socket="${DOCKER_HOST#unix://}" ;;
    *) socket="" ;;
esac
if [ -n "$socket" ]; then
    set -- "$@" --volume "$socket:$socket" --env "DOCKER_HOST=unix://$socket"
fi
if [ -n "${DOCKER_CERT_PATH:-}" ]; then
    consider "$DOCKER_CERT_PATH"
    if [ -n "$MOUNT_DIR" ]; then
        set -- "$@" --volume "$MOUNT_DIR:$MOUNT_DIR"
    fi
fi

# Every COMPOSE_* and DOCKER_* variable, by name: docker reads the value itself.
# A name is taken only if it is set: a value's own lines cannot forge one.
names="$(env | sed -n -e 's/^\(COMPOSE_[A-Za-z0-9_]*\)=.*/\1/p' -e 's/^\(DOCKER_[A-Za-z0-9_]*\)=.*/\1/p')"
for name in $names; do
    if [ "$name" = DOCKER_HOST ] && [ -n "$socket" ]; then
        continue
    fi
    eval "is_set=\${$name+set}"
    if [ "$is_set" = set ]; then
        set -- "$@" --env "$name"
    fi
done

# The working directory and $HOME at their own paths (HOME holds ~/.docker/config.json).
if [ "$PWD" != / ]; then
    set -- "$@" --volume "$PWD:$PWD"
fi
if [ -n "${HOME:-}" ] && [ "$HOME" != / ] && [ "$HOME" != "$PWD" ]; then
    set -- "$@" --volume "$HOME:$HOME" --env HOME
fi

# A terminal only when there is one; stdin also when a Compose file is read from it.
if [ -t 1 ]; then
    set -- "$@" --tty
fi
if [ -t 0 ] || [ -n "$WANTS_STDIN" ]; then
    set -- "$@" --interactive
fi
set -- "$@" "$IMAGE"

# Rotate the user's arguments behind the docker options.
while [ "$ARG_COUNT" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    ARG_COUNT=$((ARG_COUNT - 1))
done
exec docker "$@"

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
    # The directory of a path, absolute, as the shell sees it (symlinks kept).
    case "$1" in
        */*) dir="${1%/*}" ;;
        *) dir=. ;;
    esac
    [ -n "$dir" ] || dir=/
    (CDPATH='' cd -- "$dir" 2>/dev/null && pwd) || true
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

EXTRA_DIRS=""
note_dir() {
    # Remember a directory to mount (newline-separated; see needs_mount).
    if needs_mount "$1"; then
        MOUNTED="$MOUNTED$1$NL"
        EXTRA_DIRS="$EXTRA_DIRS$1$NL"
    fi
}

note_file() {
    if [ "$1" = - ]; then
        WANTS_STDIN=1
        return 0
    fi
    note_dir "$(absolute_dir "$1")"
}

# The files named by the global options, before the command (after it, -f can mean
# something else: `logs -f`).
WANTS_STDIN=""
expect=""
for arg in "$@"; do
    case "$expect" in
        file) note_file "$arg"; expect=""; continue ;;
        dir) note_dir "$(CDPATH='' cd -- "$arg" 2>/dev/null && pwd || true)"; expect=""; continue ;;
        skip) expect=""; continue ;;
    esac
    case "$arg" in
        -f | --file | --env-file) expect=file ;;
        --file=* | --env-file=*) note_file "${arg#*=}" ;;
        -f?*) note_file "${arg#-f}" ;;
        --project-directory) expect=dir ;;
        --project-directory=*) note_dir "$(CDPATH='' cd -- "${arg#*=}" 2>/dev/null && pwd || true)" ;;
        -p | --project-name | --profile | --ansi | --progress | --parallel | --log-level | -H | --host | \
            --tlscacert | --tlscert | --tlskey) expect=skip ;;
        --) break ;;
        -*) ;;
        *) break ;;
    esac
done
if [ -n "${COMPOSE_FILE:-}" ]; then
    rest="$COMPOSE_FILE${COMPOSE_PATH_SEPARATOR:-:}"
    while [ -n "$rest" ]; do
        file="${rest%%"${COMPOSE_PATH_SEPARATOR:-:}"*}"
        rest="${rest#*"${COMPOSE_PATH_SEPARATOR:-:}"}"
        if [ -n "$file" ]; then
            note_file "$file"
        fi
    done
fi

set -- "$@" run --rm --workdir "$PWD"

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
    note_dir "$DOCKER_CERT_PATH"
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
while [ -n "$EXTRA_DIRS" ]; do
    dir="${EXTRA_DIRS%%"$NL"*}"
    EXTRA_DIRS="${EXTRA_DIRS#*"$NL"}"
    set -- "$@" --volume "$dir:$dir"
done

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

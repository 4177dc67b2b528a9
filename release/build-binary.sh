#!/bin/sh
# Builds dist/docker-compose-Linux-x86_64: PyInstaller's one-directory program, with the
# loader and libraries it needs, appended to a static launcher (release/launcher/), one
# file that unpacks itself once into a cache directory (see launcher.c).
#
# The tools live in their own venv (BUILD_VENV), made once and remade when the
# packaging files change. Offline builds (the image's build stage) point pip at a
# wheelhouse with PIP_NO_INDEX=1 PIP_FIND_LINKS=DIR.
set -eu

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
BUILD_VENV="${BUILD_VENV:-build/venv}"
WORK_DIR="${WORK_DIR:-build/pyinstaller}"
OUTPUT="${OUTPUT:-dist/docker-compose-Linux-x86_64}"
STAMP="$BUILD_VENV/.compose-core-build-tools"
CC="${CC:-gcc}"

if [ ! -f "$STAMP" ] || [ setup.py -nt "$STAMP" ] || [ release/requirements-build.txt -nt "$STAMP" ]; then
    echo "==> build tools into $BUILD_VENV"
    "$PYTHON" -m venv "$BUILD_VENV"
    # The install brings the package's dependencies; the package itself is frozen
    # from this source tree (the spec's pathex), so its installed copy goes.
    "$BUILD_VENV/bin/pip" install -q -r release/requirements-build.txt .
    "$BUILD_VENV/bin/pip" uninstall -q -y compose-core
    touch "$STAMP"
fi
if [ -n "${TOOLS_ONLY:-}" ]; then
    exit 0
fi
case "$BUILD_VENV" in
    /*) PATH="$BUILD_VENV/bin:$PATH" ;;
    *) PATH="$PWD/$BUILD_VENV/bin:$PATH" ;;
esac
export PATH

echo "==> launcher"
mkdir -p build/launcher "$(dirname "$OUTPUT")"
"$CC" -static -O2 -s -Wall -Wextra -Werror -Wno-format-truncation -o build/launcher/launcher release/launcher/launcher.c

echo "==> pyinstaller"
# A fixed hash seed makes the compiled modules, so the payload's hash (the name of the
# directory it unpacks into), the same for the same sources.
PYTHONHASHSEED=0 pyinstaller --noconfirm --log-level WARN --distpath "$WORK_DIR/dist" \
    --workpath "$WORK_DIR/work" release/compose_core.spec

echo "==> pack"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' compose_core/__init__.py)"
python3 release/pack.py build/launcher/launcher "$WORK_DIR/dist/docker-compose" "$OUTPUT" "$VERSION"

"$OUTPUT" version
ls -l "$OUTPUT"

#!/bin/sh
# Gathers a release into release/VERSION/ (`make release` builds the parts first):
# the binary and its sha256 sum, the wheel, the sdist, run.sh (pinned to this
# version's image), the completion scripts and the image as a `docker save` tarball.
set -eu

cd "$(dirname "$0")/.."
: "${VERSION:?VERSION is read from compose_core/__init__.py by make}"
IMAGE_NAME="${IMAGE_NAME:-compose-core}"
BINARY="${BINARY:-dist/docker-compose-Linux-x86_64}"
OUT="release/$VERSION"

rm -rf "$OUT"
mkdir -p "$OUT/completions"
cp "$BINARY" "$OUT/"
(cd "$OUT" && sha256sum "$(basename "$BINARY")" > "$(basename "$BINARY").sha256")
cp "dist/compose_core-$VERSION-py3-none-any.whl" "dist/compose_core-$VERSION.tar.gz" "$OUT/"
sed "s|^IMAGE=\"\${IMAGE:-$IMAGE_NAME:latest}\"|IMAGE=\"\${IMAGE:-$IMAGE_NAME:$VERSION}\"|" run.sh > "$OUT/run.sh"
chmod 755 "$OUT/run.sh"
cp build/completions/* "$OUT/completions/"
docker save "$IMAGE_NAME:$VERSION" | gzip -1 > "$OUT/$IMAGE_NAME-$VERSION.image.tar.gz"

ls -l "$OUT" "$OUT/completions"

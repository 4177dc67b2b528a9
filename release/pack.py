#!/usr/bin/env python3
"""Packs PyInstaller's one-directory program behind the static launcher: one file.

Usage: pack.py LAUNCHER ONEDIR OUTPUT VERSION
       pack.py --without-payload BINARY OUTPUT

The payload holds ONEDIR as app/ and, in lib/, the dynamic loader and every shared
library of the system that the program's files need (as `ldd` finds them), so that
it runs where there is no libc at all. Its layout is read by release/launcher/
launcher.c: entries (kind, path, mode, data), then a trailer naming the payload's
place and the cache directory (VERSION-HASH) it unpacks into.

--without-payload copies BINARY's launcher and trailer alone: the image's program,
whose files are unpacked when the image is built (see the Dockerfile).
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENTRY_HEADER = struct.Struct("<cxHIQ")  # kind, path length, mode, data size
TRAILER = struct.Struct("<QQ40s8s")  # payload offset, payload size, key, magic
MAGIC = b"CCPAYLD1"
LOADER_NAME = "ld-linux-x86-64.so.2"
LDD_LINE = re.compile(r"^\s*(\S+)(?: => (\S+))? \(0x[0-9a-f]+\)$")
# Loaded by glibc itself rather than linked: pthread_exit and pthread_cancel need it.
ALSO_NEEDED = ("libgcc_s.so.1",)
SYSTEM_LIB_DIRS = (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib/x86_64-linux-gnu"))


def elf_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            yield path


def system_libraries(onedir: Path) -> dict[str, Path]:
    """Library name -> file, for what the program needs from outside ONEDIR (with the loader)."""
    bundled = onedir / "_internal"
    found: dict[str, Path] = {}
    env = {**os.environ, "LD_LIBRARY_PATH": str(bundled)}
    for path in elf_files(onedir):
        output = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        for line in output.splitlines():
            match = LDD_LINE.match(line)
            if not match:
                continue
            name, resolved = match.group(1), match.group(2) or match.group(1)
            if name.startswith("/"):  # the loader, named by its path
                name = LOADER_NAME
            if resolved.startswith("/") and not Path(resolved).is_relative_to(onedir):
                found[name] = Path(resolved).resolve()
    for name in ALSO_NEEDED:
        for directory in SYSTEM_LIB_DIRS:
            if (directory / name).exists():
                found.setdefault(name, (directory / name).resolve())
                break
    if LOADER_NAME not in found:
        sys.exit(f"pack.py: ldd named no {LOADER_NAME} for {onedir}")
    return found


def entry(kind: bytes, path: str, mode: int, data: bytes) -> bytes:
    name = path.encode()
    return ENTRY_HEADER.pack(kind, len(name), mode, len(data)) + name + data


def tree_entries(root: Path, prefix: str) -> Iterator[bytes]:
    """A directory's entries, each directory before what it holds."""
    yield entry(b"d", prefix, 0o755, b"")
    for path in sorted(root.rglob("*")):
        name = f"{prefix}/{path.relative_to(root).as_posix()}"
        if path.is_symlink():
            yield entry(b"l", name, 0o777, os.readlink(path).encode())
        elif path.is_dir():
            yield entry(b"d", name, 0o755, b"")
        else:
            yield entry(b"f", name, 0o755 if os.access(path, os.X_OK) else 0o644, path.read_bytes())


def payload(onedir: Path) -> bytes:
    parts = list(tree_entries(onedir, "app"))
    parts.append(entry(b"d", "lib", 0o755, b""))
    for name, source in sorted(system_libraries(onedir).items()):
        parts.append(entry(b"f", f"lib/{name}", 0o755, source.read_bytes()))
    return b"".join(parts)


def write_executable(target: Path, content: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as file:
        file.write(content)
    os.chmod(file.name, 0o755)
    os.replace(file.name, target)


def pack(launcher: str, onedir: str, output: str, version: str) -> None:
    body = payload(Path(onedir).resolve())
    key = f"{version}-{hashlib.sha256(body).hexdigest()[:16]}".encode()
    head = Path(launcher).read_bytes()

    write_executable(Path(output), head + body + TRAILER.pack(len(head), len(body), key, MAGIC))
    print(f"packed {output}: {len(body) / 1e6:.1f} MB payload, cache key {key.decode()}")


def without_payload(binary: str, output: str) -> None:
    content = Path(binary).read_bytes()
    offset, _, key, magic = TRAILER.unpack(content[-TRAILER.size :])
    if magic != MAGIC:
        sys.exit(f"pack.py: {binary} has no payload trailer")

    write_executable(Path(output), content[:offset] + TRAILER.pack(offset, 0, key, MAGIC))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--without-payload":
        without_payload(*sys.argv[2:])
    elif len(sys.argv) == 5:
        pack(*sys.argv[1:])
    else:
        sys.exit(__doc__)

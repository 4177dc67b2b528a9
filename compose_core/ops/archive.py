"""`cp` as `docker cp` does it: where a copy lands, and the tar archives that carry it.

The rules, for a source SRC and a destination DEST (on either side):
- DEST is an existing directory: SRC is copied into it under its own name; with SRC
  ending in `/.`, the directory's contents are copied instead.
- DEST does not exist: SRC is copied as DEST (a directory is created under that name);
  a file cannot go to a DEST that ends with `/` (that directory must exist).
- DEST is an existing file: a file SRC replaces it; a directory SRC is an error.
"""

from __future__ import annotations

import io
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from compose_core.errors import UserError

_IN_MEMORY_LIMIT = 8 * 1024 * 1024  # a larger archive to send is spooled to a file


@dataclass(frozen=True)
class Landing:
    """Where the archive is extracted, and the name its top entry takes there
    (None: the source directory's contents land in `directory` itself)."""

    directory: str
    name: str | None


def landing(
    source: str, source_is_dir: bool, dest: str, dest_kind: str | None, *, where: str
) -> Landing:
    """Apply the rules above; `dest_kind` is "dir", "file" or None (absent), `where`
    names the destination's side in errors ("in container web-1", "here")."""
    split = posixpath if where != "here" else os.path
    contents_only = source_is_dir and _ends_in_dot(source)
    base = split.basename(split.normpath(source))
    if dest_kind == "dir":
        return Landing(dest, None if contents_only else base)
    if dest_kind == "file":
        if source_is_dir:
            raise UserError(f"cannot copy directory {source} onto file {dest} {where}")
        return Landing(split.dirname(dest) or ".", split.basename(dest))
    if dest.endswith(("/", split.sep)) and not source_is_dir:
        raise UserError(
            f"no such directory {dest} {where}",
            hint="Create the directory first, or drop the trailing / to name the copy.",
        )
    stripped = split.normpath(dest)
    return Landing(split.dirname(stripped) or ".", split.basename(stripped))


def _ends_in_dot(path: str) -> bool:
    return path.endswith(("/.", os.sep + "."))


def local_archive(source: str, name: str | None, *, follow_link: bool, archive: bool) -> BinaryIO:
    """A tar of the local `source` with its top entry called `name` (None: the
    directory's entries at the top); owned by root unless `archive` keeps the owners.
    Returned as a file at its start, kept in memory only while it is small."""

    def owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
        if not archive:
            info.uid = info.gid = 0
            info.uname = info.gname = ""
        return info

    path = os.path.realpath(source) if follow_link else source
    spool = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_LIMIT)
    with tarfile.open(fileobj=spool, mode="w") as tar:
        if name is not None:
            tar.add(path, arcname=name, filter=owned)
        else:
            for child in sorted(os.listdir(path)):
                tar.add(os.path.join(path, child), arcname=child, filter=owned)
    spool.seek(0)
    return spool  # type: ignore[return-value]


class _ChunkReader(io.RawIOBase):
    """A file object over an iterator of byte chunks (the engine's archive stream)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def extract(chunks: Iterable[bytes], target: Landing, *, archive: bool) -> None:
    """Extract the engine's archive of one path into `target`, its top entry renamed;
    modes are kept, owners only with `archive`."""

    def renamed(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        rest = _below_top(member.name)
        if target.name is None and not rest:
            return None  # the directory itself: its contents land in place
        member.name = _rebased(rest, target.name)
        if member.islnk():
            member.linkname = _rebased(_below_top(member.linkname), target.name)
        if not archive:
            member.uid = member.gid = None
            member.uname = member.gname = None
        return member

    stream = io.BufferedReader(_ChunkReader(chunks), buffer_size=1 << 16)
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        tar.extractall(target.directory, filter=renamed)  # noqa: S202 - paths checked


def _below_top(name: str) -> str:
    """The part of an archive path below its top entry; refuses paths that climb out."""
    parts = name.strip("/").split("/")
    if name.startswith("/") or ".." in parts:
        raise UserError(f"the container's archive holds an unsafe path: {name}")
    return "/".join(parts[1:])


def _rebased(rest: str, top: str | None) -> str:
    return posixpath.join(top, rest).rstrip("/") if top else rest

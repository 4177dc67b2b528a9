"""The build context as `docker build` sends it: `.dockerignore` read and matched the way
the Docker CLI does (moby's pattern matcher: `*`, `?`, `**`, `!` re-includes, a leading
`/` dropped, later lines winning), the Dockerfile and `.dockerignore` always sent."""

from __future__ import annotations

import io
import os
import posixpath
import re
import secrets
import stat
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from compose_core.errors import UserError

IGNORE_FILE = ".dockerignore"
_IN_MEMORY_BYTES = 32 * 1024 * 1024  # larger contexts are spooled to a temporary file


def read_patterns(text: str) -> list[str]:
    """The patterns of a `.dockerignore` text, normalised as the Docker CLI does."""
    patterns = []
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip()
        if line:
            line = posixpath.normpath(line)
            if len(line) > 1 and line.startswith("/"):
                line = line[1:]
        patterns.append(("!" if invert else "") + line)
    return patterns


@dataclass(frozen=True)
class Pattern:
    text: str  # cleaned, without the `!`
    exclusion: bool
    dirs: int  # how many path parts it has
    regex: re.Pattern[str]


def compile_pattern(raw: str) -> Pattern:
    raw = posixpath.normpath(raw.strip())
    exclusion = raw.startswith("!")
    if exclusion:
        raw = raw[1:]
        if not raw:
            raise UserError('illegal exclusion pattern "!" in .dockerignore')
    try:
        regex = re.compile(_regex_source(raw))
    except re.error:
        raise UserError(f"bad pattern {raw!r} in .dockerignore") from None
    return Pattern(raw, exclusion, len(raw.split("/")), regex)


def _regex_source(pattern: str) -> str:
    """moby's translation: `**` spans directories, `*` and `?` stay within one."""
    out = ["^"]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*" and pattern[index : index + 1] == "*":
            index += 1
            if pattern[index : index + 1] == "/":
                index += 1
            out.append(".*" if index >= len(pattern) else "(.*/)?")
        elif char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char in ".$":
            out.append("\\" + char)
        elif char == "\\":
            if index < len(pattern):
                out.append("\\" + pattern[index])
                index += 1
            else:
                out.append("\\\\")
        else:
            out.append(char)
    out.append("$")
    return "".join(out)


class PatternMatcher:
    """Whether a context path is excluded: the last pattern that matches it, or one of its
    parent directories, decides."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = [compile_pattern(p) for p in patterns if p.strip()]
        self.exclusions = any(p.exclusion for p in self.patterns)

    def matches(self, path: str) -> bool:
        parent = posixpath.dirname(path) or "."
        parent_parts = parent.split("/")
        matched = False
        for pattern in self.patterns:
            hit = bool(pattern.regex.match(path))
            if not hit and parent != "." and pattern.dirs <= len(parent_parts):
                hit = bool(pattern.regex.match("/".join(parent_parts[: pattern.dirs])))
            if hit:
                matched = not pattern.exclusion
        return matched

    def may_reinclude_under(self, directory: str) -> bool:
        """An excluded directory is still entered when a `!` pattern starts with it."""
        prefix = directory + "/"
        return any(p.exclusion and (p.text + "/").startswith(prefix) for p in self.patterns)


def build_patterns(context: str, dockerfile: str) -> list[str]:
    """The context's `.dockerignore` patterns, plus re-includes for the build's own files."""
    path = os.path.join(context, IGNORE_FILE)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            patterns = read_patterns(handle.read())
    except FileNotFoundError:
        patterns = []
    try:
        matcher = PatternMatcher(patterns)
    except UserError as err:
        raise UserError(f"{path}: {err.message}", hint="Fix or remove that line.") from None
    if matcher.matches(IGNORE_FILE):
        patterns.append("!" + IGNORE_FILE)
    if dockerfile and matcher.matches(dockerfile):
        patterns.append("!" + dockerfile)
    return patterns


def context_files(root: str, patterns: Sequence[str]) -> Iterator[str]:
    """Relative paths (directories too) sent to the engine, in walk order."""
    matcher = PatternMatcher(patterns)
    for directory, subdirs, files in os.walk(root, followlinks=False):
        relative_dir = os.path.relpath(directory, root)
        relative_dir = "" if relative_dir == "." else relative_dir.replace(os.sep, "/")
        kept_dirs = []
        for name in sorted(subdirs):
            path = posixpath.join(relative_dir, name) if relative_dir else name
            if os.path.islink(os.path.join(directory, name)):
                if not matcher.matches(path):
                    yield path  # a symlink to a directory is sent as the link itself
                continue
            if not matcher.matches(path):
                yield path
                kept_dirs.append(name)
            elif matcher.exclusions and matcher.may_reinclude_under(path):
                kept_dirs.append(name)
        subdirs[:] = kept_dirs
        for name in sorted(files):
            path = posixpath.join(relative_dir, name) if relative_dir else name
            if not matcher.matches(path):
                yield path


@dataclass(frozen=True)
class Context:
    """A build context ready to send: the tar archive and the Dockerfile's name in it."""

    archive: IO[bytes]
    dockerfile: str


def make_context(context: str, dockerfile: str | None, inline: str | None = None) -> Context:
    """Tar the context directory. A Dockerfile outside it, or given inline, is added under
    a random name, as the Docker CLI does."""
    extra: bytes | None = None
    name = dockerfile or "Dockerfile"
    if inline is not None:
        extra, name = inline.encode(), _random_dockerfile_name()
    else:
        full = name if os.path.isabs(name) else os.path.join(context, name)
        relative = os.path.relpath(os.path.realpath(full), os.path.realpath(context))
        if relative.startswith(".."):
            extra, name = _read_dockerfile(full), _random_dockerfile_name()
        else:
            name = relative.replace(os.sep, "/")
    archive = _tar(context, build_patterns(context, name if extra is None else ""), name, extra)
    return Context(archive, name)


def _random_dockerfile_name() -> str:
    return f".dockerfile.{secrets.token_hex(10)}"


def _read_dockerfile(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as err:
        raise UserError(f"cannot read the Dockerfile {path}: {err.strerror}") from None


def _tar(root: str, patterns: Sequence[str], name: str, extra: bytes | None) -> IO[bytes]:
    buffer = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY_BYTES)
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in context_files(root, patterns):
            _add(tar, os.path.join(root, path), path)
        if extra is not None:
            info = tarfile.TarInfo(name)
            info.size = len(extra)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(extra))
    buffer.seek(0)
    return buffer


def _add(tar: tarfile.TarFile, full: str, arcname: str) -> None:
    """One entry, owned by root as the Docker CLI sends it; sockets and the like skipped."""
    try:
        info = tar.gettarinfo(full, arcname)
    except OSError as err:
        raise UserError(f"cannot read {full} of the build context: {err.strerror}") from None
    if info is None or not (info.isfile() or info.isdir() or info.issym() or info.islnk()):
        return
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if info.isfile() and not stat.S_ISREG(os.lstat(full).st_mode):
        return
    if info.isfile():
        try:
            with open(full, "rb") as handle:
                tar.addfile(info, handle)
        except OSError as err:
            raise UserError(f"cannot read {full} of the build context: {err.strerror}") from None
    else:
        tar.addfile(info)

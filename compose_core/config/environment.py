"""Env files (`.env`, `--env-file`, a service's `env_file`) and the project environment.

The dotenv syntax read is the one Compose v2 reads:

    # a comment
    KEY=value            # an inline comment after whitespace
    export KEY=value
    KEY: value
    KEY='literal, $NOT interpolated, may span lines'
    KEY="escapes \\n \\t \\" \\\\ \\$, ${VAR} interpolated, may span lines"
    KEY                  # taken from the process environment, if set there

Unquoted and double-quoted values are interpolated with the syntax of
`interpolation`, looking variables up first in the given lookup (the process
environment), then in the keys defined earlier in the file, as Compose v2 does.
"""

from __future__ import annotations

import os
import re
from collections import ChainMap
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from compose_core.config.interpolation import interpolate_text
from compose_core.errors import ConfigError

_HEAD = re.compile(r"[ \t]*(?:export[ \t]+)?(?P<key>[^\s=:]*)[ \t]*(?P<sep>[=:]?)")
_VALID_KEY = re.compile(r"[\w.\-]+")
_INLINE_COMMENT = re.compile(r"[ \t]#")
_DOUBLE_QUOTE_END = re.compile(r'\\.|"', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = MappingProxyType({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$$"})

_EXPECTED = "expected KEY=VALUE, 'export KEY=VALUE', a lone KEY or a # comment"


class _Entry(NamedTuple):
    key: str
    raw: str | None  # None: a lone KEY
    quote: str  # "'", '"' or "" for an unquoted value
    line: int


def parse_env_file(path: str, lookup: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Read the env file at `path`; see `parse_env_text`."""
    return parse_env_text(_read_text(path), path, lookup)


def parse_env_text(
    text: str, source: str, lookup: Mapping[str, str] | None = None
) -> dict[str, str | None]:
    """Parse dotenv `text` (read from `source`) into a mapping of its keys.

    A lone `KEY` takes its value from `lookup` and is None when `lookup`
    lacks it, meaning "unset". Later definitions of a key win. A malformed
    line is a ConfigError naming `source` and the line.
    """
    values: dict[str, str | None] = {}
    defined: dict[str, str] = {}
    scope: Mapping[str, str] = ChainMap(dict(lookup or {}), defined)

    for entry in _entries(text.removeprefix("\ufeff"), source):
        value = _value_of(entry, scope, source, lookup)
        values[entry.key] = value
        if value is not None:
            defined[entry.key] = value
    return values


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        problem = "the env file does not exist"
    except IsADirectoryError:
        problem = "this is a directory, not an env file"
    except PermissionError:
        problem = "the env file cannot be read: permission denied"
    except UnicodeDecodeError as err:
        problem = f"the env file is not UTF-8 text (invalid byte at offset {err.start})"
    except OSError as err:
        problem = f"the env file cannot be read: {err.strerror or err}"
    raise ConfigError(problem, source=path)


def _entries(text: str, source: str) -> Iterator[_Entry]:
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "export":
            index += 1
            continue
        entry, index = _read_entry(lines, index, source)
        yield entry


def _read_entry(lines: list[str], index: int, source: str) -> tuple[_Entry, int]:
    """Parse the entry starting at `lines[index]`; return it and the next index."""
    line, number = lines[index], index + 1
    head = _HEAD.match(line)
    key, separator, rest = head["key"], head["sep"], line[head.end() :]  # type: ignore[index]

    if not key:
        raise _line_error(f"{line.strip()!r} has no variable name; {_EXPECTED}", source, number)
    if not separator and rest.strip() and not rest.lstrip().startswith("#"):
        raise _line_error(
            f"{line.strip()!r} is not a valid entry (a variable name cannot contain spaces); "
            f"{_EXPECTED}",
            source,
            number,
        )
    if not _VALID_KEY.fullmatch(key):
        raise _line_error(
            f"{key!r} is not a valid variable name; use letters, digits, '_', '.' and '-'",
            source,
            number,
        )

    if not separator:
        return _Entry(key, None, "", number), index + 1
    value = rest.lstrip(" \t")
    if value[:1] in ("'", '"'):
        return _read_quoted(lines, index, key, value, source)
    return _Entry(key, _strip_comment(rest), "", number), index + 1


def _strip_comment(raw: str) -> str:
    comment = _INLINE_COMMENT.search(raw)
    if comment is not None:
        raw = raw[: comment.start()]
    return raw.strip()


def _read_quoted(
    lines: list[str], index: int, key: str, value: str, source: str
) -> tuple[_Entry, int]:
    """Read a quoted value, which may go on over the next lines."""
    quote, number = value[0], index + 1
    buffer = value[1:]
    next_index = index + 1
    close = _closing_quote(buffer, quote)
    while close < 0:
        if next_index >= len(lines):
            raise _line_error(
                f"the value of {key} opens a {quote} quote that is never closed; "
                f"expected {key}={quote}VALUE{quote}",
                source,
                number,
            )
        buffer += "\n" + lines[next_index]
        next_index += 1
        close = _closing_quote(buffer, quote)

    trailing = buffer[close + 1 :].strip()
    if trailing and not trailing.startswith("#"):
        raise _line_error(
            f"unexpected text {trailing!r} after the closing quote of {key}; "
            f"expected {key}={quote}VALUE{quote}, optionally followed by a # comment",
            source,
            next_index,
        )
    return _Entry(key, buffer[:close], quote, number), next_index


def _closing_quote(buffer: str, quote: str) -> int:
    if quote == "'":
        return buffer.find("'")
    for match in _DOUBLE_QUOTE_END.finditer(buffer):
        if match.group() == '"':
            return match.start()
    return -1


def _value_of(
    entry: _Entry, scope: Mapping[str, str], source: str, lookup: Mapping[str, str] | None
) -> str | None:
    if entry.raw is None:
        return lookup.get(entry.key) if lookup is not None else None
    if entry.quote == "'":
        return entry.raw

    raw = entry.raw
    if entry.quote == '"':
        raw = _ESCAPE.sub(_unescape, raw)
    return interpolate_text(raw, scope, source=source, path=entry.key, line=entry.line)


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPES.get(match.group(1), match.group())


def _line_error(message: str, source: str, line: int) -> ConfigError:
    return ConfigError(message, source=source, line=line)


class Environment(Mapping[str, str]):
    """The read-only variables a project is interpolated with.

    Values of the process environment win over those of the env files.
    """

    __slots__ = ("_file_values", "_os_values", "_merged")

    def __init__(
        self,
        file_values: Mapping[str, str] | None = None,
        os_values: Mapping[str, str] | None = None,
    ) -> None:
        self._file_values: Mapping[str, str] = MappingProxyType(dict(file_values or {}))
        self._os_values: Mapping[str, str] = MappingProxyType(dict(os_values or {}))
        self._merged: Mapping[str, str] = MappingProxyType({**self._file_values, **self._os_values})

    @classmethod
    def from_files(cls, paths: list[str], os_environ: Mapping[str, str]) -> Environment:
        """Read `paths` in order (later files win) under the process environment."""
        file_values: dict[str, str] = {}
        for path in paths:
            lookup = ChainMap(dict(os_environ), file_values)
            for key, value in parse_env_file(path, lookup).items():
                if value is not None:
                    file_values[key] = value
        return cls(file_values, os_environ)

    @property
    def file_values(self) -> Mapping[str, str]:
        """The values read from the env files, before the process environment applies."""
        return self._file_values

    @property
    def os_values(self) -> Mapping[str, str]:
        """The process environment this project was loaded under."""
        return self._os_values

    def __getitem__(self, key: str) -> str:
        return self._merged[key]

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._merged.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._merged

    def __iter__(self) -> Iterator[str]:
        return iter(self._merged)

    def __len__(self) -> int:
        return len(self._merged)

    def __repr__(self) -> str:
        return f"Environment({len(self._file_values)} from files, {len(self._os_values)} from os)"


def load_project_environment(
    project_dir: str, env_files: list[str] | None, os_environ: Mapping[str, str]
) -> Environment:
    """The project's environment: `<project_dir>/.env` or the `--env-file` files.

    `env_files` None means the project's `.env`, if there is one. Given
    paths are relative to the current directory and must exist.
    """
    if env_files is None:
        default = os.path.join(project_dir, ".env")
        return Environment.from_files([default] if os.path.isfile(default) else [], os_environ)

    paths = [os.path.abspath(path) for path in env_files]
    for path in paths:
        if not os.path.exists(path):
            raise ConfigError(
                f"env file {path} not found; check the path given with --env-file "
                "(a relative path starts from the current directory)"
            )
    return Environment.from_files(paths, os_environ)

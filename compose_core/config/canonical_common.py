"""Helpers shared by the canonical-form converters (see canonical.py).

A converter takes a raw value, a Context and the value's key path, and
returns the long form. Values wrapped in `!reset`/`!override` markers are
unwrapped, converted and wrapped again by `convert_wrapped`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compose_core.config import units
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

Converter = Callable[[Any, "Context", str], Any]

# A build context or additional context that is not a local directory.
_REMOTE_PREFIXES = ("git@", "github.com/", "git://")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Context:
    """Where the document being converted comes from."""

    source: str
    base_dir: str

    def error(self, path: str, message: str) -> ConfigError:
        return ConfigError(message, source=self.source, path=path or None)

    def host_path(self, path: str) -> str:
        """`path` on the host: `~` expanded, relative paths made absolute and cleaned."""
        if path.startswith("~"):
            expanded = os.path.expanduser(path)
            if expanded != path:
                return os.path.normpath(expanded)
        if os.path.isabs(path) or is_windows_path(path):
            return path
        return os.path.normpath(os.path.join(self.base_dir, path))

    def host_path_unless_remote(self, path: str) -> str:
        return path if is_remote_reference(path) else self.host_path(path)


def is_windows_path(path: str) -> bool:
    return path.startswith("\\\\") or bool(re.match(r"^[A-Za-z]:\\", path))


def is_remote_reference(value: str) -> bool:
    """True for URLs, git remotes and `scheme://` references (docker-image://, ...)."""
    return value.startswith(_REMOTE_PREFIXES) or bool(_URL_SCHEME.match(value))


def child(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def item(path: str, index: int) -> str:
    return f"{path}[{index}]"


def convert_wrapped(value: Any, convert: Converter, ctx: Context, path: str) -> Any:
    """Apply `convert`, looking through a `!reset`/`!override` marker."""
    if isinstance(value, (Reset, Override)):
        if value.value is None:
            return value
        return type(value)(convert(value.value, ctx, path))
    return convert(value, ctx, path)


def convert_keys(mapping: dict, converters: dict[str, Converter], ctx: Context, path: str) -> dict:
    """A copy of `mapping` with each key that has a converter converted."""
    result = {}
    for key, value in mapping.items():
        converter = converters.get(key)
        if converter is None:
            result[key] = value
        else:
            result[key] = convert_wrapped(value, converter, ctx, child(path, key))
    return result


def require_mapping(value: Any, ctx: Context, path: str, what: str) -> dict:
    if not isinstance(value, dict):
        raise ctx.error(path, f"{what} must be a mapping, not {describe(value)}")
    return value


def require_list(value: Any, ctx: Context, path: str, what: str) -> list:
    if not isinstance(value, list):
        raise ctx.error(path, f"{what} must be a list, not {describe(value)}")
    return value


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def scalar_text(value: Any) -> str:
    """A scalar as Compose v2 prints it inside a string mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def string_mapping(value: Any, ctx: Context, path: str, *, unset: str | None) -> dict:
    """A `KEY=VALUE` list or a mapping, as a mapping of strings.

    `unset` is what a key without a value becomes: None for environment-like
    keys (resolved later), "" for labels-like keys.
    """
    if isinstance(value, dict):
        return {str(k): _mapping_value(v, ctx, child(path, k), unset) for k, v in value.items()}
    entries = require_list(value, ctx, path, "this key")
    result: dict = {}
    for index, entry in enumerate(entries):
        if isinstance(entry, (Reset, Override)):
            raise ctx.error(item(path, index), "a list entry cannot be tagged !reset/!override")
        if not isinstance(entry, (str, int, float)) or isinstance(entry, bool):
            raise ctx.error(
                item(path, index), f"expected a 'KEY=VALUE' string, not {describe(entry)}"
            )
        key, sep, text = str(entry).partition("=")
        result[key] = text if sep else unset
    return result


def _mapping_value(value: Any, ctx: Context, path: str, unset: str | None) -> Any:
    if isinstance(value, (Reset, Override)):
        if value.value is None:
            return value
        return type(value)(_mapping_value(value.value, ctx, path, unset))
    if value is None:
        return unset
    if isinstance(value, (dict, list)):
        raise ctx.error(path, f"expected a string or a number, not {describe(value)}")
    return scalar_text(value)


def string_list(value: Any, ctx: Context, path: str) -> list:
    """A string or a list of scalars, as a list of strings."""
    if isinstance(value, str):
        return [value]
    entries = require_list(value, ctx, path, "this key")
    return [
        entry if isinstance(entry, (Reset, Override)) else scalar_text(entry) for entry in entries
    ]


def byte_text(value: Any, ctx: Context, path: str) -> str:
    """A byte size as v2 prints it: the number of bytes, as a string."""
    try:
        return str(units.parse_bytes(value))
    except ValueError as err:
        raise ctx.error(path, str(err)) from None


def duration_text(value: Any, ctx: Context, path: str) -> str:
    """A duration as Go prints it (`90s` -> `1m30s`)."""
    try:
        return units.format_nanoseconds(units.duration_nanoseconds(value))
    except ValueError as err:
        raise ctx.error(path, str(err)) from None


def to_float(value: Any, ctx: Context, path: str) -> float:
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise ctx.error(
            path, f"{describe(value)} is not a number; expected e.g. 0.5 or '1.5'"
        ) from None


def to_int(value: Any, ctx: Context, path: str, expected: str = "a whole number") -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"[-+]?\d+", value.strip()):
        return int(value)
    raise ctx.error(path, f"{describe(value)} is not valid here; expected {expected}")


def file_mode(value: Any, ctx: Context, path: str) -> int:
    """A file mode: an integer as YAML read it, or an octal string such as '0440'."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        digits = value[2:] if value[:2].lower() == "0o" else value
        if re.fullmatch(r"[0-7]+", digits):
            return int(digits, 8)
    raise ctx.error(
        path, f"{describe(value)} is not a file mode; expected an octal number such as 0440"
    )

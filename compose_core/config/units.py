"""Durations and byte sizes as Compose files write them.

Durations follow Go's syntax (``1h2m3.5s``, ``500ms``, ``10us``), plus the
``d`` and ``w`` units that Compose v2 accepts and bare numbers meaning seconds.
Byte sizes are binary (``1k`` is 1024) with an optional ``b``/``ib`` suffix.
Bad input raises ValueError; callers turn it into a ConfigError with a key path.
"""

from __future__ import annotations

import re

_NS_PER_UNIT = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek small letter mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
    "d": 24 * 3600 * 1_000_000_000,
    "w": 7 * 24 * 3600 * 1_000_000_000,
}
_DURATION_PART = re.compile(r"(\d+\.?\d*|\.\d+)([a-zA-Z\u00b5\u03bc]+)")
_BARE_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")
_BYTE_SIZE = re.compile(r"(-?\d+(?:\.\d+)?) ?(?:([kmgtp])i?)?b?", re.IGNORECASE)
_BYTE_FACTORS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}

DURATION_EXPECTED = "expected a number with units such as '1m30s', '500ms' or '10s'"
BYTES_EXPECTED = "expected a number of bytes, optionally with a unit such as '512m', '1g' or '100k'"


def parse_duration(value: str | int | float) -> float:
    """Seconds in `value`: Go duration syntax, or a bare number of seconds."""
    return duration_nanoseconds(value) / 1e9


def duration_nanoseconds(value: str | int | float) -> int:
    """Like parse_duration, as a whole number of nanoseconds (no rounding drift)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; {DURATION_EXPECTED}")
    if isinstance(value, (int, float)):
        return round(value * 1_000_000_000)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a duration; {DURATION_EXPECTED}")
    if _BARE_NUMBER.fullmatch(value):
        return round(float(value) * 1_000_000_000)
    return _parse_go_duration(value)


def _parse_go_duration(text: str) -> int:
    sign, body = 1, text
    if body[:1] in "+-" and body:
        sign, body = (-1 if body[0] == "-" else 1), body[1:]

    position, total = 0, 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None or match.group(2) not in _NS_PER_UNIT:
            raise ValueError(f"{text!r} is not a duration; {DURATION_EXPECTED}")
        total += _scaled(match.group(1), _NS_PER_UNIT[match.group(2)])
        position = match.end()

    if not body:
        raise ValueError(f"{text!r} is not a duration; {DURATION_EXPECTED}")
    return sign * total


def _scaled(number: str, factor: int) -> int:
    whole, _, fraction = number.partition(".")
    nanoseconds = int(whole or "0") * factor
    if fraction:
        nanoseconds += round(int(fraction) * factor / 10 ** len(fraction))
    return nanoseconds


def format_duration(seconds: float) -> str:
    """`seconds` written as Go prints a duration: ``1m30s``, ``500ms``, ``0s``."""
    return format_nanoseconds(round(seconds * 1_000_000_000))


def format_nanoseconds(nanoseconds: int) -> str:
    """A whole number of nanoseconds written as Go prints a duration."""
    if nanoseconds == 0:
        return "0s"
    sign = "-" if nanoseconds < 0 else ""
    magnitude = abs(nanoseconds)

    if magnitude < 1_000:
        return f"{sign}{magnitude}ns"
    if magnitude < 1_000_000:
        return f"{sign}{_decimal(magnitude, 1_000)}\u00b5s"
    if magnitude < 1_000_000_000:
        return f"{sign}{_decimal(magnitude, 1_000_000)}ms"

    hours, rest = divmod(magnitude, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    text = f"{_decimal(rest, 1_000_000_000)}s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return f"{sign}{text}"


def _decimal(value: int, unit: int) -> str:
    whole, fraction = divmod(value, unit)
    if not fraction:
        return str(whole)
    digits = str(fraction).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"


def parse_bytes(value: str | int) -> int:
    """Bytes in `value`: a plain number, or one with a unit (``512m``, ``1gb``, ``100k``)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size; {BYTES_EXPECTED}")
    if isinstance(value, (int, float)):
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a size; {BYTES_EXPECTED}")

    match = _BYTE_SIZE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a size; {BYTES_EXPECTED}")
    number, unit = match.groups()
    return int(float(number) * _BYTE_FACTORS[(unit or "").lower()])

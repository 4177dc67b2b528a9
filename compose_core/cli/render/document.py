"""The resolved model as YAML or JSON text, the way `config` prints it.

A small emitter of our own: the model holds only mappings, lists and
scalars, and writing them directly is several times faster than PyYAML's
pure-Python dumper, which would be needed for Compose's list indentation.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

# Plain scalars that a YAML 1.1 or 1.2 reader would take for something else.
_RESERVED = re.compile(
    r"""^(?:
        ~|null|Null|NULL|
        y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|
        [-+]?(?:0|[1-9][0-9_]*)|0[0-7]+|0o[0-7]+|0x[0-9a-fA-F_]+|0b[01_]+|
        [-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|
        [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|
        [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|
        <<|=
    )$""",
    re.X,
)
_PLAIN_SAFE = re.compile(r"^(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:][^\s,\[\]{}])[^\n\r\t]*$")


def to_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_yaml(document: Any) -> str:
    lines: list[str] = []
    _emit(document, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    """Append the block form of a mapping or list, or a bare scalar, at `indent`."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _emit_entry(f"{pad}{scalar(key)}:", item, indent, lines)
    elif isinstance(value, list) and value:
        for item in value:
            _emit_item(pad, item, indent, lines)
    else:
        lines.append(pad + scalar(value))


def _emit_entry(head: str, item: Any, indent: int, lines: list[str]) -> None:
    if isinstance(item, dict) and item:
        lines.append(head)
        _emit(item, indent + 2, lines)
    elif isinstance(item, list) and item:
        lines.append(head)
        _emit(item, indent + 2, lines)
    else:
        lines.append(f"{head} {scalar(item)}")


def _emit_item(pad: str, item: Any, indent: int, lines: list[str]) -> None:
    if not (isinstance(item, (dict, list)) and item):
        lines.append(f"{pad}- {scalar(item)}")
        return
    nested: list[str] = []
    _emit(item, indent + 2, nested)
    # The first line of the nested block moves up beside the dash.
    lines.append(f"{pad}- {nested[0][indent + 2 :]}")
    lines.extend(nested[1:])


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _string(str(value))


@functools.lru_cache(maxsize=4096)
def _string(text: str) -> str:
    if _needs_quotes(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _needs_quotes(text: str) -> bool:
    if not text or not _PLAIN_SAFE.match(text) or _RESERVED.match(text):
        return True
    if text != text.strip() or ": " in text or " #" in text or text.endswith(":"):
        return True
    return False

"""JSON-schema validation of Compose files, with messages a user can act on.

The schemas are compiled to Python by fastjsonschema. Compiling the
Compose Specification's schema takes a fifth of a second, so the compiled
code is kept in the user's cache directory, keyed by schema and Python.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import marshal
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compose_core.config.yaml_loader import Override, Reset, line_of
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SPEC_SCHEMA = "compose-spec.json"
LEGACY_SCHEMA = "legacy-v1-schema.json"

# Bump when the rewriting of the generated code changes, to refresh the cache.
_GENERATION = 2
_FORMAT_LOCALS = re.compile(r'"([^"{}]*(?:\{[a-z_0-9]+\}[^"{}]*)*)"\.format\(\*\*locals\(\)\)')

_JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


class _Schemas:
    """Loaded schemas and compiled validators, built on first use."""

    def __init__(self) -> None:
        self.documents: dict[str, dict] = {}
        self.validators: dict[str, Callable[[Any], Any]] = {}

    def document(self, name: str) -> dict:
        if name not in self.documents:
            self.documents[name] = json.loads((DATA_DIR / name).read_text())
        return self.documents[name]

    def validator(self, name: str) -> Callable[[Any], Any]:
        if name not in self.validators:
            self.validators[name] = _load_validator((DATA_DIR / name).read_bytes())
        return self.validators[name]


_SCHEMAS = _Schemas()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "compose_core"


def _load_validator(schema_bytes: bytes) -> Callable[[Any], Any]:
    import fastjsonschema

    salt = f"{fastjsonschema.VERSION}/{sys.implementation.cache_tag}/{_GENERATION}"
    key = hashlib.sha256(schema_bytes + salt.encode()).hexdigest()[:24]
    cached = _cache_dir() / f"validator-{key}.bin"
    try:
        entry, code = marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        source = fastjsonschema.compile_to_code(
            json.loads(schema_bytes), use_default=False, use_formats=False
        )
        # The generated code formats every key path with `.format(**locals())`, which
        # costs more than the checks themselves; f-strings say the same, cheaply.
        source = _FORMAT_LOCALS.sub(r'f"\1"', source)
        # The generated module's first function validates the whole document.
        entry = re.search(r"^def (\w+)\(", source, re.M).group(1)
        code = compile(source, f"<schema {key}>", "exec")
        _store(cached, marshal.dumps((entry, code)))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - code generated from our own vendored schema
    return namespace[entry]


def _store(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as err:  # a read-only home only costs speed
        log.debug("cannot cache the compiled schema in %s: %s", path, err)


def plain(value: Any) -> Any:
    """The document as the schema sees it: `!reset` keys dropped, `!override` unwrapped."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not isinstance(v, Reset)}
    if isinstance(value, list):
        return [plain(v) for v in value if not isinstance(v, Reset)]
    if isinstance(value, Override):
        return plain(value.value)
    return value


def validate(doc: Any, *, source: str, text: str | None = None, legacy: bool = False) -> None:
    """Raise ConfigError if `doc` does not match the Compose schema."""
    import fastjsonschema

    name = LEGACY_SCHEMA if legacy else SPEC_SCHEMA
    data = plain(doc)
    try:
        _SCHEMAS.validator(name)(data)
    except fastjsonschema.JsonSchemaValueException as err:
        root = _SCHEMAS.document(name)
        path, message = _explain(err, root, [])
        line = line_of(text, tuple(path)) if text is not None else None
        raise ConfigError(
            message, source=source, line=line, path=format_path(path) or None
        ) from None


def format_path(path: list | tuple) -> str:
    """`['services', 'web', 'ports', 0]` -> `services.web.ports[0]`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def _explain(err: Any, root: dict, prefix: list) -> tuple[list, str]:
    """The key path of a validation error and a sentence that explains it."""
    path = prefix + _steps(err.path)
    definition = _resolve(err.definition, root)
    if err.rule in ("oneOf", "anyOf"):
        narrower = _narrow(err.value, definition, root, path)
        if narrower is not None:
            return narrower
    return path, _describe(err.rule, err.value, definition, path)


def _steps(raw: list) -> list:
    steps: list = []
    for step in raw[1:]:  # raw[0] is fastjsonschema's "data"
        steps.append(int(step) if isinstance(step, str) and step.isdigit() else step)
    return steps


def _resolve(definition: Any, root: dict) -> Any:
    while isinstance(definition, dict) and "$ref" in definition:
        ref = definition["$ref"]
        node: Any = root
        for part in ref.lstrip("#/").split("/"):
            if part:
                node = node[part]
        definition = node
    return definition


def _narrow(value: Any, definition: dict, root: dict, path: list) -> tuple[list, str] | None:
    """Where one branch of a oneOf fits the value's type, explain that branch's error."""
    import fastjsonschema

    branches = [_resolve(b, root) for b in definition.get("oneOf", definition.get("anyOf", []))]
    fitting = [b for b in branches if _type_fits(value, b)]
    if len(fitting) != 1:
        return None
    schema = dict(fitting[0])
    schema["definitions"] = root.get("definitions", {})
    try:
        fastjsonschema.compile(schema, use_default=False, use_formats=False)(value)
    except fastjsonschema.JsonSchemaValueException as err:
        return _explain(err, root, path)
    return None


def _type_fits(value: Any, definition: Any) -> bool:
    if not isinstance(definition, dict):
        return False
    types = definition.get("type")
    if types is None:
        return False
    for type_name in types if isinstance(types, list) else [types]:
        if type_name in ("integer", "number"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return True
        elif isinstance(value, _JSON_TYPES.get(type_name, ())):
            return True
    return False


def _describe(rule: str, value: Any, definition: Any, path: list) -> str:
    definition = definition if isinstance(definition, dict) else {}
    if rule == "additionalProperties":
        return _unknown_keys(value, definition, path)
    if rule == "type":
        return f"{_show(value)} is {_kind(value)}; expected {_expected(definition)}"
    if rule == "enum":
        choices = ", ".join(repr(c) for c in definition.get("enum", []))
        return f"{_show(value)} is not allowed; expected one of {choices}"
    if rule in ("oneOf", "anyOf"):
        return f"{_show(value)} is not valid here; expected {_expected(definition)}"
    if rule == "required":
        missing = [k for k in definition.get("required", []) if k not in (value or {})]
        return f"missing required key {', '.join(repr(k) for k in missing)}"
    if rule == "uniqueItems":
        return f"the list {_show(value)} holds the same item twice; items must be unique"
    if rule == "pattern":
        return f"{_show(value)} does not match the expected form {definition.get('pattern')!r}"
    if rule in ("minimum", "maximum", "minItems", "maxItems", "minLength", "minProperties"):
        return f"{_show(value)} is out of range ({rule} {definition.get(rule)!r})"
    return f"{_show(value)} is not valid here ({rule})"


def _unknown_keys(value: Any, definition: dict, path: list) -> str:
    known = set(definition.get("properties", {}))
    patterns = [re.compile(p) for p in definition.get("patternProperties", {})]
    unknown = sorted(
        str(k)
        for k in (value or {})
        if k not in known and not any(p.search(str(k)) for p in patterns)
    )
    names = ", ".join(repr(k) for k in unknown)
    if path == ["services"] or (len(path) == 1 and not known and patterns):
        return (
            f"invalid service name {names}: names may contain only letters, digits, "
            "'.', '_' and '-'"
        )
    if path in (["networks"], ["volumes"], ["secrets"], ["configs"]):
        return f"invalid name {names}: names may contain only letters, digits, '.', '_' and '-'"
    where = "top-level key" if not path else "key"
    if len(unknown) > 1:
        where += "s"
    allowed = sorted(k for k in known if not k.startswith("x-"))
    hint = ""
    close = difflib.get_close_matches(unknown[0], allowed, n=1) if unknown else []
    if close:
        hint = f"; did you mean {close[0]!r}?"
    elif allowed and len(allowed) <= 30:
        hint = f"; expected one of: {', '.join(allowed)}"
        if any(p.pattern.startswith("^x-") for p in patterns):
            hint += ", or an 'x-' extension"
    return f"unknown {where} {names}{hint}"


def _expected(definition: dict) -> str:
    if "type" in definition:
        types = definition["type"]
        kinds = [_article(t) for t in (types if isinstance(types, list) else [types])]
        return " or ".join(kinds)
    branches = definition.get("oneOf") or definition.get("anyOf") or []
    kinds = []
    for branch in branches:
        if isinstance(branch, dict) and "type" in branch:
            types = branch["type"]
            for t in types if isinstance(types, list) else [types]:
                if _article(t) not in kinds:
                    kinds.append(_article(t))
    return " or ".join(kinds) if kinds else "another form (see the Compose Specification)"


def _article(type_name: str) -> str:
    return {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "a boolean (true or false)",
        "null": "null",
    }.get(type_name, type_name)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "a string"


def _show(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

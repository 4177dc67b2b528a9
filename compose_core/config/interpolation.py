"""Variable substitution in Compose documents (`$VAR`, `${VAR:-default}`, ...).

The syntax is the one of the Compose Specification, chapter "Interpolation":
`$NAME`, `${NAME}`, the modifiers `:-` `-` `:?` `?` `:+` `+` (whose operand is
itself interpolated, so expressions nest) and `$$` for a literal `$`. Only
values are interpolated, never mapping keys.

After substitution, strings found where the schema expects a boolean, an
integer or a number are converted to that type, as Compose v2 does, so that
`privileged: ${PRIV}` or `scale: "3"` validate. A string that does not read
as the expected type is left as it is for the schema validation to report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_BRACED_BODY = re.compile(r"([_A-Za-z][_A-Za-z0-9]*)(?:(:?[-?+])(.*))?", re.DOTALL)
_BRACE = re.compile(r"[{}]")
_INTEGER = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

_TRUE_WORDS = frozenset({"true", "yes", "on"})
_FALSE_WORDS = frozenset({"false", "no", "off"})

_SYNTAX_HINT = (
    "expected $NAME or ${NAME}, optionally with :-default, -default, :?message, "
    "?message, :+value or +value inside the braces; write $$ for a literal $"
)

# Where the Compose Specification schema wants a boolean, an integer or a number,
# read by hand from compose-spec.json. `*` is any mapping key, `[*]` any list item.
# Left out on purpose, though the schema allows numbers there: byte sizes
# (mem_limit, shm_size, tmpfs.size, blkio rates), octal file modes, ports'
# `published`, `expose`, `group_add` and every string-valued mapping (labels,
# environment, build.args, sysctls, driver_opts, ...): Compose keeps all of
# those as strings and the canonical step converts what it needs.
CAST_PATHS: tuple[tuple[str, str], ...] = (
    ("services.*.attach", "boolean"),
    ("services.*.init", "boolean"),
    ("services.*.oom_kill_disable", "boolean"),
    ("services.*.privileged", "boolean"),
    ("services.*.read_only", "boolean"),
    ("services.*.stdin_open", "boolean"),
    ("services.*.tty", "boolean"),
    ("services.*.use_api_socket", "boolean"),
    ("services.*.build.no_cache", "boolean"),
    ("services.*.build.privileged", "boolean"),
    ("services.*.build.pull", "boolean"),
    ("services.*.depends_on.*.required", "boolean"),
    ("services.*.depends_on.*.restart", "boolean"),
    ("services.*.develop.watch[*].initial_sync", "boolean"),
    ("services.*.develop.watch[*].exec.privileged", "boolean"),
    ("services.*.env_file[*].required", "boolean"),
    ("services.*.healthcheck.disable", "boolean"),
    ("services.*.post_start[*].privileged", "boolean"),
    ("services.*.pre_stop[*].privileged", "boolean"),
    ("services.*.volumes[*].read_only", "boolean"),
    ("services.*.volumes[*].bind.create_host_path", "boolean"),
    ("services.*.volumes[*].volume.nocopy", "boolean"),
    ("services.*.blkio_config.weight", "integer"),
    ("services.*.blkio_config.weight_device[*].weight", "integer"),
    ("services.*.build.ulimits.*", "integer"),
    ("services.*.build.ulimits.*.hard", "integer"),
    ("services.*.build.ulimits.*.soft", "integer"),
    ("services.*.cpu_count", "integer"),
    ("services.*.cpu_percent", "integer"),
    ("services.*.deploy.placement.max_replicas_per_node", "integer"),
    ("services.*.deploy.replicas", "integer"),
    ("services.*.deploy.resources.limits.pids", "integer"),
    ("services.*.deploy.resources.reservations.devices[*].count", "integer"),
    ("services.*.deploy.restart_policy.max_attempts", "integer"),
    ("services.*.deploy.rollback_config.parallelism", "integer"),
    ("services.*.deploy.update_config.parallelism", "integer"),
    ("services.*.gpus[*].count", "integer"),
    ("services.*.mem_swappiness", "integer"),
    ("services.*.oom_score_adj", "integer"),
    ("services.*.ports[*].target", "integer"),
    ("services.*.scale", "integer"),
    ("services.*.ulimits.*", "integer"),
    ("services.*.ulimits.*.hard", "integer"),
    ("services.*.ulimits.*.soft", "integer"),
    ("services.*.cpu_period", "number"),
    ("services.*.cpu_quota", "number"),
    ("services.*.cpu_rt_period", "number"),
    ("services.*.cpu_rt_runtime", "number"),
    ("services.*.cpu_shares", "number"),
    ("services.*.cpus", "number"),
    ("services.*.deploy.resources.limits.cpus", "number"),
    ("services.*.deploy.resources.reservations.cpus", "number"),
    (
        "services.*.deploy.resources.reservations.generic_resources[*]"
        ".discrete_resource_spec.value",
        "number",
    ),
    ("services.*.deploy.rollback_config.max_failure_ratio", "number"),
    ("services.*.deploy.update_config.max_failure_ratio", "number"),
    ("services.*.healthcheck.retries", "number"),
    ("services.*.networks.*.gw_priority", "number"),
    ("services.*.networks.*.priority", "number"),
    ("services.*.pids_limit", "number"),
    ("networks.*.attachable", "boolean"),
    ("networks.*.enable_ipv4", "boolean"),
    ("networks.*.enable_ipv6", "boolean"),
    ("networks.*.external", "boolean"),
    ("networks.*.internal", "boolean"),
    ("volumes.*.external", "boolean"),
    ("secrets.*.external", "boolean"),
    ("configs.*.external", "boolean"),
    ("models.*.context_size", "integer"),
)

_LIST_ITEM = "[*]"


@dataclass(frozen=True)
class VariableUse:
    """How a document refers to one variable (for `config --variables`).

    `default` and `alternate` are the operands as written, not interpolated.
    """

    name: str
    default: str | None = None
    required: bool = False
    alternate: str | None = None


class _Expression(NamedTuple):
    name: str
    operator: str | None  # None for a plain `$NAME` or `${NAME}`
    operand: str


class _BadFormat(Exception):
    def __init__(self, fragment: str) -> None:
        super().__init__(fragment)
        self.fragment = fragment


class _MissingRequired(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(name)
        self.name = name
        self.message = message


# --- parsing -----------------------------------------------------------------


def _tokens(text: str) -> Iterator[str | _Expression]:
    """Split `text` into literal strings and expressions; raise _BadFormat."""
    position = 0
    while True:
        dollar = text.find("$", position)
        if dollar < 0:
            yield text[position:]
            return
        yield text[position:dollar]

        following = text[dollar + 1 : dollar + 2]
        if following == "$":
            yield "$"
            position = dollar + 2
        elif following == "{":
            close = _closing_brace(text, dollar + 2)
            if close < 0:
                raise _BadFormat(text[dollar:])
            yield _braced_expression(text[dollar + 2 : close])
            position = close + 1
        else:
            name = _NAME.match(text, dollar + 1)
            if name is None:  # `$` before anything but a name is kept as it is
                yield "$"
                position = dollar + 1
            else:
                yield _Expression(name.group(), None, "")
                position = name.end()


def _closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing a `${` whose body begins at `start`, or -1.

    Braces nest; when they do not balance, the last `}` closes the
    expression, which is how Compose v2 reads `${X:-{a}`.
    """
    depth = 1
    for brace in _BRACE.finditer(text, start):
        depth += 1 if brace.group() == "{" else -1
        if depth == 0:
            return brace.start()
    return text.rfind("}", start)


def _braced_expression(body: str) -> _Expression:
    match = _BRACED_BODY.fullmatch(body)
    if match is None:
        raise _BadFormat("${" + body + "}")
    name, operator, operand = match.groups()
    return _Expression(name, operator, operand or "")


def _check_syntax(text: str) -> None:
    """Raise _BadFormat if `text` or any nested operand is malformed."""
    for token in _tokens(text):
        if isinstance(token, _Expression) and "$" in token.operand:
            _check_syntax(token.operand)


# --- substitution ------------------------------------------------------------


class _Substituter:
    """Expands strings against one environment; remembers warnings given."""

    def __init__(self, env: Mapping[str, str], warned: set[str]) -> None:
        self._env = env
        self._warned = warned
        self._cache: dict[str, str] = {}

    def expand(self, text: str) -> str:
        if "$" not in text:
            return text
        cached = self._cache.get(text)
        if cached is not None:
            return cached

        parts = []
        for token in _tokens(text):
            parts.append(token if isinstance(token, str) else self._evaluate(token))
        result = "".join(parts)

        self._cache[text] = result
        return result

    def _evaluate(self, expression: _Expression) -> str:
        name, operator, operand = expression
        value = self._env.get(name)
        if operator is None:
            return value if value is not None else self._unset(name)

        is_set = value is not None
        is_filled = is_set and value != ""
        if operator in (":-", "-"):
            keep = is_filled if operator == ":-" else is_set
            return self._branch(value if keep else None, operand)
        if operator in (":+", "+"):
            present = is_filled if operator == ":+" else is_set
            return self._branch("" if not present else None, operand)

        satisfied = is_filled if operator == ":?" else is_set
        if not satisfied:
            raise _MissingRequired(name, self.expand(operand))
        _check_syntax(operand)
        return value  # type: ignore[return-value]  # satisfied implies set

    def _branch(self, chosen: str | None, operand: str) -> str:
        """`chosen` if it is not None (operand only syntax-checked), else the operand."""
        if chosen is None:
            return self.expand(operand)
        if "$" in operand:
            _check_syntax(operand)
        return chosen

    def _unset(self, name: str) -> str:
        if name not in self._warned:
            self._warned.add(name)
            log.warning('The "%s" variable is not set. Defaulting to a blank string.', name)
        return ""


# --- type casts --------------------------------------------------------------


def _to_boolean(text: str) -> Any:
    word = text.lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return text


def _to_integer(text: str) -> Any:
    return int(text) if _INTEGER.fullmatch(text) else text


def _to_number(text: str) -> Any:
    if _INTEGER.fullmatch(text):
        return int(text)
    return float(text) if _FLOAT.fullmatch(text) else text


_CASTS: Mapping[str, Callable[[str], Any]] = MappingProxyType(
    {"boolean": _to_boolean, "integer": _to_integer, "number": _to_number}
)


@dataclass(frozen=True)
class _CastNode:
    """One step of the CAST_PATHS tree: children by key, and the cast ending here."""

    children: Mapping[str, _CastNode]
    cast: Callable[[str], Any] | None = None


def _split_pattern(pattern: str) -> list[str]:
    """`a.*.b[*].c` -> ["a", "*", "b", "[*]", "c"]."""
    steps = []
    for part in pattern.split("."):
        steps.append(part.replace(_LIST_ITEM, ""))
        steps.extend([_LIST_ITEM] * part.count(_LIST_ITEM))
    return steps


def _build_cast_tree(table: tuple[tuple[str, str], ...]) -> _CastNode:
    tree: dict = {}
    for pattern, type_name in table:
        node = tree
        for step in _split_pattern(pattern):
            node = node.setdefault(step, {})
        node[None] = _CASTS[type_name]
    return _freeze(tree)


def _freeze(tree: dict) -> _CastNode:
    children = {key: _freeze(sub) for key, sub in tree.items() if key is not None}
    return _CastNode(MappingProxyType(children), tree.get(None))


_CAST_TREE = _build_cast_tree(CAST_PATHS)
_NO_NODES: tuple[_CastNode, ...] = ()


def _descend(nodes: tuple[_CastNode, ...], key: Any) -> tuple[_CastNode, ...]:
    """The tree nodes matching the mapping key `key` below `nodes`."""
    if not nodes:
        return _NO_NODES
    found = []
    for node in nodes:
        exact = node.children.get(key) if isinstance(key, str) else None
        if exact is not None:
            found.append(exact)
        wildcard = node.children.get("*")
        if wildcard is not None and wildcard is not exact:
            found.append(wildcard)
    return tuple(found)


def _descend_items(nodes: tuple[_CastNode, ...]) -> tuple[_CastNode, ...]:
    """The tree nodes matching the items of a list below `nodes`."""
    if not nodes:
        return _NO_NODES
    return tuple(node.children[_LIST_ITEM] for node in nodes if _LIST_ITEM in node.children)


# --- walking the document ----------------------------------------------------


def _format_path(steps: tuple) -> str:
    """`("services", "web", "ports", 0)` -> `services.web.ports[0]`."""
    text = ""
    for step in steps:
        if isinstance(step, int) and not isinstance(step, bool):
            text += f"[{step}]"
        else:
            text = f"{text}.{step}" if text else str(step)
    return text


class _Located(Exception):
    """A substitution failure on its way up the document, collecting its key path."""

    def __init__(self, text: str, failure: _BadFormat | _MissingRequired) -> None:
        super().__init__(text)
        self.text = text
        self.failure = failure
        self.reversed_path: list = []


class _Walker:
    """Copies a document, interpolating its strings and casting typed values.

    The key path is only assembled when something fails, by each level
    adding its key to the _Located exception passing through it.
    """

    def __init__(self, substituter: _Substituter) -> None:
        self._substituter = substituter

    def walk(self, value: Any, nodes: tuple[_CastNode, ...]) -> Any:
        if isinstance(value, str):
            if not nodes and "$" not in value:
                return value
            return self._leaf(value, nodes)
        if isinstance(value, dict):
            return self._walk_mapping(value, nodes)
        if isinstance(value, list):
            return self._walk_list(value, nodes)
        if isinstance(value, (Reset, Override)):
            return type(value)(self.walk(value.value, nodes))
        return value

    def _walk_mapping(self, mapping: dict, nodes: tuple[_CastNode, ...]) -> dict:
        result = {}
        key = None
        try:
            for key, item in mapping.items():
                result[key] = self.walk(item, _descend(nodes, key) if nodes else _NO_NODES)
        except _Located as failure:
            failure.reversed_path.append(key if isinstance(key, str) else str(key))
            raise
        return result

    def _walk_list(self, items: list, nodes: tuple[_CastNode, ...]) -> list:
        item_nodes = _descend_items(nodes)
        result = []
        try:
            for item in items:
                result.append(self.walk(item, item_nodes))
        except _Located as failure:
            failure.reversed_path.append(len(result))
            raise
        return result

    def _leaf(self, text: str, nodes: tuple[_CastNode, ...]) -> Any:
        if "$" in text:
            try:
                text = self._substituter.expand(text)
            except (_BadFormat, _MissingRequired) as failure:
                raise _Located(text, failure) from None
        for node in nodes:
            if node.cast is not None:
                return node.cast(text)
        return text


def _config_error(
    located: _Located, path: tuple, source: str | None, line: int | None
) -> ConfigError:
    failure = located.failure
    hint = None
    if isinstance(failure, _BadFormat):
        message = _bad_format_message(located.text, failure.fragment)
    else:
        message = _missing_message(failure)
        hint = (
            f"set {failure.name} in the shell environment, the project's .env file "
            "or a file given with --env-file"
        )
    return ConfigError(
        message, source=source, line=line, path=_format_path(path) or None, hint=hint
    )


def _bad_format_message(text: str, fragment: str) -> str:
    where = f"{text!r}" if fragment == text else f"{text!r} (at {fragment!r})"
    return f"invalid interpolation format in {where}; {_SYNTAX_HINT}"


def _missing_message(missing: _MissingRequired) -> str:
    message = f"required variable {missing.name} is missing a value"
    return f"{message}: {missing.message}" if missing.message else message


# --- public API ----------------------------------------------------------------


def interpolate(
    doc: Any, env: Mapping[str, str], *, source: str, warned: set[str] | None = None
) -> Any:
    """Return a copy of `doc` with every string value interpolated from `env`.

    Strings at the paths of CAST_PATHS are then converted to the schema's
    type when they read as one. `warned` collects the unset variables
    already warned about; pass the same set for several files to warn once.
    Raises ConfigError (with `source` and the key path) on a malformed
    expression or a missing required variable.
    """
    walker = _Walker(_Substituter(env, warned if warned is not None else set()))
    try:
        return walker.walk(doc, (_CAST_TREE,))
    except _Located as failure:
        raise _config_error(failure, tuple(reversed(failure.reversed_path)), source, None) from None


def interpolate_text(
    text: str,
    env: Mapping[str, str],
    *,
    source: str | None = None,
    path: str | None = None,
    line: int | None = None,
    warned: set[str] | None = None,
) -> str:
    """Interpolate one string (used for env files); errors as in `interpolate`."""
    if "$" not in text:
        return text
    substituter = _Substituter(env, warned if warned is not None else set())
    try:
        return substituter.expand(text)
    except (_BadFormat, _MissingRequired) as failure:
        located = _Located(text, failure)
        raise _config_error(located, (path,) if path else (), source, line) from None


def find_variables(doc: Any, *, source: str | None = None) -> dict[str, VariableUse]:
    """Every variable `doc` refers to, in order of first use.

    When a variable is used several times, the first default, the first
    alternate value are kept, and it is required if any use requires it.
    Nested operands are searched too. A malformed expression is a ConfigError.
    """
    found: dict[str, VariableUse] = {}
    for path, text in _strings(doc, ()):
        try:
            _collect(text, found)
        except _BadFormat as bad:
            raise _config_error(_Located(text, bad), path, source, None) from None
    return found


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        if "$" in value:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key if isinstance(key, str) else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, (Reset, Override)):
        yield from _strings(value.value, path)


def _collect(text: str, found: dict[str, VariableUse]) -> None:
    for token in _tokens(text):
        if isinstance(token, str):
            continue
        name, operator, operand = token
        use = VariableUse(
            name,
            default=operand if operator in (":-", "-") else None,
            required=operator in (":?", "?"),
            alternate=operand if operator in (":+", "+") else None,
        )
        found[name] = _merge_use(found.get(name), use)
        if "$" in operand:
            _collect(operand, found)


def _merge_use(earlier: VariableUse | None, later: VariableUse) -> VariableUse:
    if earlier is None:
        return later
    return VariableUse(
        earlier.name,
        default=earlier.default if earlier.default is not None else later.default,
        required=earlier.required or later.required,
        alternate=earlier.alternate if earlier.alternate is not None else later.alternate,
    )

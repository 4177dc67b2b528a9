"""YAML parsing for Compose files.

Uses libyaml's C parser when PyYAML was built with it. Adds what plain
safe loading lacks: duplicate keys are errors, the merge tags `!reset`
and `!override` are kept as markers for the merge step, and errors carry
the file name and line.
"""

from __future__ import annotations

from typing import Any

import yaml

from compose_core.errors import ConfigError

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class Reset:
    """A value tagged `!reset`: the merge clears what earlier files set."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Reset({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reset) and other.value == self.value


class Override:
    """A value tagged `!override`: the merge replaces instead of merging."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Override({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Override) and other.value == self.value


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_BOOL_TAG = "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


class _ComposeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if key_node.tag == _BOOL_TAG and isinstance(key_node, yaml.ScalarNode):
                # A key is a name: `off:` is the service "off", as Compose v2 reads it,
                # not YAML 1.1's False.
                key_node.tag = _STR_TAG
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; the constructor reports it
                continue
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_tagged(loader: _ComposeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    # Resolve the scalar as if it had no tag, so `!reset 0` is 0, `!reset` None.
    tag = loader.resolve(yaml.ScalarNode, node.value, (True, False))
    return loader.construct_object(yaml.ScalarNode(tag, node.value), deep=True)


def _construct_reset(loader: _ComposeLoader, node: yaml.Node) -> Reset:
    return Reset(_construct_tagged(loader, node))


def _construct_override(loader: _ComposeLoader, node: yaml.Node) -> Override:
    return Override(_construct_tagged(loader, node))


_ComposeLoader.add_constructor("!reset", _construct_reset)
_ComposeLoader.add_constructor("!override", _construct_override)


def load_yaml(text: str, source: str) -> Any:
    """Parse one YAML document; any failure is a ConfigError naming `source`."""
    if "\0" in text:
        raise ConfigError(
            "this is not a text file (it holds NUL bytes); a Compose file is YAML text",
            source=source,
        )
    try:
        return yaml.load(text, Loader=_ComposeLoader)  # noqa: S506 - a safe loader
    except _DuplicateKey as dup:
        raise ConfigError(
            f"the key {dup.key!r} is defined twice in the same mapping; "
            "each key may appear only once",
            source=source,
            line=dup.line,
        ) from None
    except yaml.MarkedYAMLError as err:
        raise ConfigError(_describe_yaml_error(err, text), source=source, line=_line(err)) from None
    except yaml.YAMLError as err:
        raise ConfigError(f"invalid YAML: {err}", source=source) from None


def _line(err: yaml.MarkedYAMLError) -> int | None:
    mark = err.problem_mark or err.context_mark
    return mark.line + 1 if mark is not None else None


def _describe_yaml_error(err: yaml.MarkedYAMLError, text: str) -> str:
    mark = err.problem_mark or err.context_mark
    problem = err.problem or "unreadable YAML"
    lines = text.splitlines()
    if mark is not None and _char_at(lines, mark.line, mark.column) == "\t":
        return (
            "a tab character is used for indentation; YAML allows only spaces there, "
            "replace the tab with spaces"
        )
    detail = f"invalid YAML: {problem}"
    if err.context:
        detail = f"invalid YAML: {err.context}, {problem}"
    if mark is not None:
        detail += f" (column {mark.column + 1})"
    if mark is not None and mark.line < len(lines):
        detail += f": {lines[mark.line].strip()!r}"
    return detail


def _char_at(lines: list[str], line: int, column: int) -> str:
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def line_of(text: str, path: tuple) -> int | None:
    """The line where the key `path` is defined in `text`, if it can be found.

    Only called on the error path: it parses the text again to its node tree.
    """
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return line
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line

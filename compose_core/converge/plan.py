"""Operations on engine objects, ordered as a DAG, with a stable text and JSON form."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Verbs of the plan, in the order the text form lists them.
CREATE = "create"
RECREATE = "recreate"
START = "start"
STOP = "stop"
REMOVE = "remove"
KEEP = "keep"

# The note of a container removal that takes the container's anonymous volumes too.
WITH_ANONYMOUS_VOLUMES = "with anonymous volumes"

NETWORK = "network"
VOLUME = "volume"
CONTAINER = "container"


@dataclass(frozen=True)
class Change:
    """One field that differs between a container and its service's configuration."""

    path: str
    old: Any
    new: Any

    def text(self) -> str:
        return f"{self.path}: {_show(self.old)} -> {_show(self.new)}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Operation:
    """One step: a verb on one engine object, after the steps it depends on."""

    id: str
    action: str
    kind: str
    name: str
    service: str | None = None
    number: int | None = None
    container_id: str | None = None
    reasons: tuple[Change, ...] = ()
    note: str = ""
    after: tuple[str, ...] = ()
    start: bool = True  # create/recreate: start the container afterwards

    def text(self) -> str:
        line = f"{self.action:<9}{self.kind} {self.name}"
        if self.note:
            line += f" ({self.note})"
        return line

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "kind": self.kind, "name": self.name}
        if self.service:
            out["service"] = self.service
        if self.number is not None:
            out["number"] = self.number
        if self.container_id:
            out["id"] = self.container_id
        if self.note:
            out["note"] = self.note
        if self.reasons:
            out["changes"] = [r.to_dict() for r in self.reasons]
        return out


@dataclass
class Plan:
    """Operations in an order that respects `after`, and what the planner wants said."""

    operations: list[Operation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, operation: Operation) -> Operation:
        self.operations.append(operation)
        return operation

    def ids(self, predicate: Any = None) -> tuple[str, ...]:
        return tuple(op.id for op in self.operations if predicate is None or predicate(op))

    @property
    def changes_anything(self) -> bool:
        return any(op.action != KEEP for op in self.operations)

    def text(self) -> str:
        """The plan as a user reads it: one line per step, recreate reasons indented."""
        lines = []
        for op in self.operations:
            lines.append(op.text())
            lines.extend(f"           {reason.text()}" for reason in op.reasons)
        if not lines:
            lines.append("nothing to do")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {"operations": [op.to_dict() for op in self.operations], "warnings": self.warnings},
            indent=2,
            default=str,
        )


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    text = json.dumps(value, default=str, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def diff(old: Any, new: Any, path: str = "", depth: int = 3) -> list[Change]:
    """The fields that differ between two option mappings, nested up to `depth` levels."""
    if old == new:
        return []
    if depth and isinstance(old, dict) and isinstance(new, dict):
        changes: list[Change] = []
        for key in _ordered_keys(old, new):
            sub = f"{path}.{key}" if path else str(key)
            changes.extend(diff(old.get(key), new.get(key), sub, depth - 1))
        return changes
    return [Change(path, old, new)]


def _ordered_keys(old: dict, new: dict) -> Iterable[str]:
    return sorted(set(old) | set(new), key=str)

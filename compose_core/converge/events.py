"""Events: the core's only channel to the user. The CLI renders them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

# Statuses, as today's Compose words them.
WORKING = "working"
DONE = "done"
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Event:
    kind: str  # Container, Network, Volume, Image
    name: str
    status: str  # Creating, Created, Starting, Started, Recreate, Stopping, ...
    state: str = WORKING  # working, done, error, warning
    text: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind} {self.name}"


class EventSink(Protocol):
    def emit(self, event: Event) -> None: ...


class NullSink:
    def emit(self, event: Event) -> None:
        return None


class CollectingSink:
    """Keeps every event; for tests and for JSON output."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._lock = threading.Lock()

    def emit(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

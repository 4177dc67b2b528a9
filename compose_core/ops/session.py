"""What every engine-touching operation needs: the gateway, the event sink, the limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from compose_core import __version__, const
from compose_core.converge.events import Event, EventSink, NullSink
from compose_core.engine.gateway import Gateway
from compose_core.errors import UserError


@dataclass
class Session:
    gateway: Gateway
    sink: EventSink = field(default_factory=NullSink)
    parallel: int = const.DEFAULT_PARALLEL_LIMIT
    compatibility: bool = False
    version: str = __version__

    def emit(self, kind: str, name: str, status: str, state: str = "working", text: str = ""):
        self.sink.emit(Event(kind, name, status, state, text))


def parallel_limit(flag: int | None, environ: Mapping[str, str] | None = None) -> int:
    """--parallel, else COMPOSE_PARALLEL_LIMIT, else the default."""
    if flag:
        return flag
    raw = (os.environ if environ is None else environ).get(const.ENV_PARALLEL_LIMIT, "")
    if not raw:
        return const.DEFAULT_PARALLEL_LIMIT
    if not raw.isdigit() or int(raw) < 1:
        raise UserError(
            f"{const.ENV_PARALLEL_LIMIT}={raw!r} is not a whole number above 0",
            hint=f"Unset {const.ENV_PARALLEL_LIMIT} or set it to 1 or more.",
        )
    return int(raw)

"""Following container logs: whole lines from every container, as they come.

Each container is read by its own thread from the engine's log endpoint; stdout and
stderr are split into lines separately, so a line is never cut by a line of the
other stream. With `follow`, containers of the project that start later (a restart,
a scale-up) are followed too, from the engine's event stream.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from compose_core import const
from compose_core.engine.gateway import Gateway
from compose_core.engine.observe import ObservedContainer
from compose_core.errors import ComposeError, UsageError

log = logging.getLogger(__name__)

LineSink = Callable[[ObservedContainer, list[str]], None]  # whole lines, in batches
EndSink = Callable[[ObservedContainer], None]


@dataclass(frozen=True)
class LogOptions:
    follow: bool = False
    tail: str = "all"
    timestamps: bool = False
    since: str | None = None
    until: str | None = None


class LineSplitter:
    """Bytes in, whole lines out (without their newline); keeps an unfinished line."""

    def __init__(self) -> None:
        self.pending = b""

    def feed(self, data: bytes) -> list[str]:
        *lines, self.pending = (self.pending + data).split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]

    def flush(self) -> list[str]:
        rest, self.pending = self.pending, b""
        return [rest.decode("utf-8", "replace")] if rest else []


def engine_time(value: str | None, *, now: float | None = None, flag: str) -> int | None:
    """`--since`/`--until` as the engine wants them: a Unix time. Accepts what the Docker
    CLI accepts: a duration back from now (`10m`, `1h30m`), a Unix time, or an RFC 3339
    date (`2026-12-04T06:00:00Z`, `2026-12-04`)."""
    from compose_core.config.units import parse_duration

    if value is None:
        return None
    now = time.time() if now is None else now
    if value.replace(".", "", 1).isdigit():
        return int(float(value))
    try:
        return int(now - parse_duration(value))
    except ValueError:
        pass
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"invalid {flag} value {value!r}: expected a duration such as 10m, a Unix time "
            "or a date such as 2026-12-04T06:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


def read_logs(
    gateway: Gateway,
    container: ObservedContainer,
    options: LogOptions,
    on_line: LineSink,
    *,
    since: float | None = None,
) -> None:
    """Pass the whole lines of the container's log to `on_line`, as many at a time as
    have arrived; returns when the log ends (when the container stops, if following)."""
    params: dict[str, object] = {"tail": options.tail, "timestamps": int(options.timestamps)}
    start = since if since is not None else engine_time(options.since, flag="--since")
    if start is not None:
        params["since"] = f"{start:.9f}" if isinstance(start, float) else start
    until = engine_time(options.until, flag="--until")
    if until is not None:
        params["until"] = until
    tty = bool((gateway.inspect_container(container.id).get("Config") or {}).get("Tty"))
    frames = gateway.log_frames(
        container.id, tty=tty, follow=options.follow, params=params, name=container.name
    )
    splitters = {1: LineSplitter(), 2: LineSplitter()}
    for stream, data in frames:
        lines = splitters.get(stream, splitters[1]).feed(data)
        if lines:
            on_line(container, lines)
    for splitter in splitters.values():
        rest = splitter.flush()
        if rest:
            on_line(container, rest)


class LogFollower:
    """Reads the logs of many containers at once, each on its own thread."""

    def __init__(
        self,
        gateway: Gateway,
        options: LogOptions,
        on_line: LineSink,
        on_end: EndSink | None = None,
    ) -> None:
        self.gateway = gateway
        self.options = options
        self.on_line = on_line
        self.on_end = on_end
        self._lock = threading.Lock()
        self._reading: set[str] = set()
        # When the run of a container that was read ended: a restart is read from there.
        self._finished: dict[str, float] = {}
        self._threads: list[threading.Thread] = []
        self._events = None

    def follow(self, container: ObservedContainer, since: float | None = None) -> bool:
        """Start reading `container`, unless it is being read already."""
        with self._lock:
            if container.id in self._reading:
                return False
            self._reading.add(container.id)
            thread = threading.Thread(
                target=self._read, args=(container, since), name=f"logs {container.name}"
            )
            thread.daemon = True
            self._threads.append(thread)
        thread.start()
        return True

    def follow_all(self, containers: Iterable[ObservedContainer]) -> None:
        for container in containers:
            self.follow(container)

    def reading(self) -> int:
        with self._lock:
            return len(self._reading)

    def watch(
        self, project: str, wanted: Callable[[ObservedContainer], bool], since: float
    ) -> None:
        """Also follow the project's containers that start from now on and are `wanted`."""
        filters = {
            "type": ["container"],
            "event": ["start"],
            "label": [f"{const.LABEL_PROJECT}={project}"],
        }
        self._events = self.gateway.events(filters, since=since)
        thread = threading.Thread(target=self._watch, args=(wanted,), name="log events")
        thread.daemon = True
        thread.start()

    def join(self) -> None:
        """Wait until every container followed so far has ended its log."""
        while True:
            with self._lock:
                pending = [t for t in self._threads if t.is_alive()]
            if not pending:
                return
            for thread in pending:
                thread.join()

    def close(self) -> None:
        if self._events is not None:
            self._events.close()

    def _read(self, container: ObservedContainer, since: float | None) -> None:
        try:
            read_logs(self.gateway, container, self.options, self.on_line, since=since)
        except ComposeError as err:
            log.debug("logs of %s ended: %s", container.name, err)
        finally:
            finished = self._finished_at(container)
            # Reported before it stops counting as read, so `reading() == 0` means every
            # end has been handed on.
            if self.on_end is not None:
                self.on_end(container)
            with self._lock:
                self._reading.discard(container.id)
                if finished is not None:
                    self._finished[container.id] = finished

    def _finished_at(self, container: ObservedContainer) -> float | None:
        """When the container's run ended, by the engine's clock; None if it runs."""
        try:
            state = self.gateway.inspect_container(container.id).get("State") or {}
        except ComposeError:
            return None
        if state.get("Running"):
            return None
        return _unix_time(state.get("FinishedAt") or "")

    def _watch(self, wanted: Callable[[ObservedContainer], bool]) -> None:
        try:
            for event in self._events:
                attributes = (event.get("Actor") or {}).get("Attributes") or {}
                container = _from_event(event.get("id", ""), attributes)
                if wanted(container):
                    # A new container is read from its start; a restarted one from where
                    # its last run ended (its first lines may predate the start event).
                    with self._lock:
                        since = self._finished.get(container.id)
                    self.follow(container, since=since)
        except Exception as err:  # noqa: BLE001 - the stream ends when closed; nothing to say
            log.debug("event stream ended: %s", err)


def _unix_time(stamp: str) -> float | None:
    """An engine time (RFC 3339 with nanoseconds) as a Unix time."""
    if not stamp or stamp.startswith("0001-"):
        return None
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    moment = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp() + float(f"0.{fraction or 0}")


def _from_event(ident: str, attributes: dict[str, str]) -> ObservedContainer:
    return ObservedContainer.from_summary(
        {
            "Id": ident,
            "Names": ["/" + attributes.get("name", ident[:12])],
            "Labels": attributes,
            "State": "running",
        }
    )

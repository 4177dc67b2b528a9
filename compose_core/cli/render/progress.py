"""Progress of engine work, rendered from events: today's Compose (tty, plain, json, quiet)
and 1.29.2's lines in compatibility mode."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from typing import TextIO

from compose_core.converge.events import DONE, ERROR, WARNING, Event

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def make_renderer(mode: str, stream: TextIO, *, compatibility: bool, is_tty: bool, title: str):
    """The renderer for `--progress MODE` (auto picks tty on a terminal)."""
    if compatibility:
        return ClassicRenderer(stream)
    if mode == "auto":
        mode = "tty" if is_tty else "plain"
    if mode == "tty":
        return TTYRenderer(stream, title)
    if mode == "json":
        return JSONRenderer(stream)
    if mode == "quiet":
        return QuietRenderer()
    return PlainRenderer(stream)


class QuietRenderer:
    def emit(self, event: Event) -> None:
        return None

    def expect(self, action: str, names: Iterable[str], shown_as: dict | None = None) -> None:
        return None

    def close(self) -> None:
        return None


class PlainRenderer(QuietRenderer):
    """One line per event, as today's Compose prints when not on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()

    def emit(self, event: Event) -> None:
        line = f" {event.kind} {event.name}  {event.status}"
        if event.text:
            line += f" {event.text}"
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


class JSONRenderer(PlainRenderer):
    def emit(self, event: Event) -> None:
        record = {
            "id": event.key,
            "status": event.status,
            "state": event.state,
            "text": event.text,
            "time": time.time(),
        }
        with self.lock:
            self.stream.write(json.dumps(record) + "\n")
            self.stream.flush()


class TTYRenderer(PlainRenderer):
    """Lines updated in place: a header with the count, one line per resource."""

    def __init__(self, stream: TextIO, title: str) -> None:
        super().__init__(stream)
        self.title = title
        self.rows: dict[str, list] = {}  # key -> [event, started, finished]
        self.drawn = 0
        self.started = time.monotonic()
        self.tick = 0

    def emit(self, event: Event) -> None:
        with self.lock:
            now = time.monotonic()
            row = self.rows.get(event.key)
            if row is None:
                row = self.rows[event.key] = [event, now, None]
            row[0] = event
            row[2] = now if event.state in (DONE, ERROR, WARNING) else None
            self._draw(now)

    def close(self) -> None:
        with self.lock:
            self._draw(time.monotonic())

    def _draw(self, now: float) -> None:
        self.tick += 1
        done = sum(1 for event, _, end in self.rows.values() if end is not None)
        lines = [f"[+] {self.title} {done}/{len(self.rows)}"]
        width = max((len(k) for k in self.rows), default=0)
        for key, (event, start, end) in self.rows.items():
            mark = {DONE: "✔", ERROR: "✘", WARNING: "!"}.get(event.state) if end else None
            mark = mark or SPINNER[self.tick % len(SPINNER)]
            elapsed = (end or now) - start
            lines.append(f" {mark} {key.ljust(width)}  {event.status:<10} {elapsed:4.1f}s")
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F")
        self.stream.write("".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self.drawn = len(lines)


class ClassicRenderer(PlainRenderer):
    """1.29.2's lines: `Creating proj_web_1 ... done`, names padded within a step."""

    _VERBS = {
        "Creating": ("Creating", False),
        "Created": ("Creating", True),
        "Recreate": ("Recreating", False),
        "Recreated": ("Recreating", True),
        "Starting": ("Starting", False),
        "Started": ("Starting", True),
        "Stopping": ("Stopping", False),
        "Stopped": ("Stopping", True),
        "Removing": ("Removing", False),
        "Removed": ("Removing", True),
        "Killing": ("Killing", False),
        "Killed": ("Killing", True),
        "Restarting": ("Restarting", False),
        "Restarted": ("Restarting", True),
        "Pausing": ("Pausing", False),
        "Paused": ("Pausing", True),
        "Unpausing": ("Unpausing", False),
        "Unpaused": ("Unpausing", True),
    }

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.batches: dict[tuple[str, str], tuple[str, ...]] = {}  # (verb, name) -> batch
        self.announced: set[tuple[str, tuple[str, ...]]] = set()  # batches whose lines are out
        self.shown_as: dict[str, str] = {}  # container name -> the name 1.29.2 shows
        self.pending: dict[tuple[str, str], int] = {}  # (verb, shown name) -> still working
        self.created: set[str] = set()

    def expect(self, action: str, names: Iterable[str], shown_as: dict | None = None) -> None:
        """`names` are one batch done in parallel: 1.29.2 writes a `...` line for each when
        the batch starts, padded to the longest name, then `done` as each finishes.
        `shown_as` maps container names to what 1.29.2 shows instead (`start` shows the
        service)."""
        self.shown_as.update(shown_as or {})
        names = list(names)
        shown = tuple(dict.fromkeys(self.shown_as.get(n, n) for n in names))
        for name in names:
            self.batches[(action, name)] = shown
            key = (action, self.shown_as.get(name, name))
            self.pending[key] = self.pending.get(key, 0) + 1

    def emit(self, event: Event) -> None:
        with self.lock:
            for line in self._lines(event):
                # 1.29.2 ends its per-container lines with CR LF, even off a terminal.
                end = "\r\n" if line.endswith(("... ", "... done", "... error")) else "\n"
                self.stream.write(line + end)
            self.stream.flush()

    def _lines(self, event: Event) -> list[str]:
        if event.kind in ("Network", "Volume"):
            line = self._resource_line(event, event.kind.lower())
            return [line] if line is not None else []
        if event.status == "Running":
            return [f"{event.name} is up-to-date"]
        if event.status in ("Creating", "Recreate"):
            self.created.add(event.name)
        if event.status in ("Starting", "Started") and event.name in self.created:
            return []  # 1.29.2 folds the start of a new container into "Creating"
        verb, finished = self._VERBS.get(event.status, (event.status, event.state == DONE))
        batch = self.batches.get((verb, event.name), (event.name,))
        width = max(len(n) for n in batch)
        shown = self.shown_as.get(event.name, event.name)
        if event.state == ERROR:
            return [f"{verb} {shown.ljust(width)} ... error"]
        if finished:
            key = (verb, shown)
            self.pending[key] = self.pending.get(key, 1) - 1
            if self.pending[key] > 0:
                return []  # a service shown once: done when its last container is
            return [f"{verb} {shown.ljust(width)} ... done"]
        if (verb, batch) in self.announced:
            return []
        if (verb, event.name) in self.batches:
            self.announced.add((verb, batch))
        return [f"{verb} {name.ljust(width)} ... " for name in batch]

    @staticmethod
    def _resource_line(event: Event, noun: str) -> str | None:
        if event.status == "Creating":
            driver = event.text or ""
            if noun == "network":
                how = f'with driver "{driver}"' if driver else "with the default driver"
            else:
                how = f'with "{driver}" driver' if driver else "with default driver"
            return f'Creating {noun} "{event.name}" {how}'
        if event.status == "Removing":
            return f"Removing {noun} {event.name}"
        return None

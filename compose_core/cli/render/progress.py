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

    def expect(self, action: str, names: Iterable[str]) -> None:
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
        self.widths: dict[tuple[str, str], int] = {}  # (verb, name) -> padded width
        self.created: set[str] = set()

    def expect(self, action: str, names: Iterable[str]) -> None:
        """`names` are one step done in parallel: 1.29.2 pads them to the longest."""
        group = list(names)
        width = max((len(n) for n in group), default=0)
        for name in group:
            self.widths[(action, name)] = width

    def emit(self, event: Event) -> None:
        line = self._line(event)
        if line is not None:
            # 1.29.2 ends its per-container lines with CR LF, even when not on a terminal.
            end = "\r\n" if line.endswith(("... ", "... done", "... error")) else "\n"
            with self.lock:
                self.stream.write(line + end)
                self.stream.flush()

    def _line(self, event: Event) -> str | None:
        if event.kind == "Network":
            return self._resource_line(event, "network")
        if event.kind == "Volume":
            return self._resource_line(event, "volume")
        if event.status == "Running":
            return f"{event.name} is up-to-date"
        if event.status in ("Creating", "Recreate"):
            self.created.add(event.name)
        if event.status in ("Starting", "Started") and event.name in self.created:
            return None  # 1.29.2 folds the start of a new container into "Creating"
        verb, finished = self._VERBS.get(event.status, (event.status, event.state == DONE))
        name = event.name.ljust(self.widths.get((verb, event.name), 0))
        if event.state == ERROR:
            return f"{verb} {name} ... error"
        return f"{verb} {name} ... done" if finished else f"{verb} {name} ... "

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

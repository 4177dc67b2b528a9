"""Progress of image work (pull, build, push, remove), rendered from events.

Today's Compose: one line per image with its layers under it, redrawn in place on a
terminal, a line per event otherwise. Compatibility mode: 1.29.2's `Pulling db ... done`
lines, `Building web` followed by the engine's own build output on stdout.
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import TextIO

from compose_core.cli.render.progress import SPINNER
from compose_core.converge.events import DONE, ERROR, WARNING, Event

_FINISHED = (DONE, ERROR, WARNING)
_VERB = {"Pulling": "Pulling", "Building": "Building", "Pushing": "Pushing"}


def make_image_renderer(
    mode: str,
    out: TextIO,
    err: TextIO,
    *,
    compatibility: bool,
    is_tty: bool,
    title: str,
    quiet: bool = False,
    up_form: bool = False,
):
    """The renderer of image events for `--progress MODE` (auto: tty on a terminal).
    `up_form`: 1.29.2 reports the pulls of `up` otherwise than those of `pull`."""
    if quiet or mode == "quiet":
        return QuietImages(err)
    if compatibility:
        return ClassicImages(out, err, is_tty, up_form=up_form)
    if mode == "auto":
        mode = "tty" if is_tty else "plain"
    if mode == "tty":
        return TTYImages(err, title)
    if mode == "json":
        return JSONImages(err)
    return PlainImages(err)


def split_progress(text: str) -> tuple[str, int | None, int | None]:
    """(bar, current, total) from a layer event's text."""
    bar, _, counts = text.partition("\x00")
    current, _, total = counts.partition("/")
    if current.isdigit() and total.isdigit():
        return bar, int(current), int(total)
    return bar, None, None


class QuietImages:
    """Nothing but the engine's error lines (a failed build must still say why)."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.lock = threading.Lock()

    def emit(self, event: Event) -> None:
        if event.kind == "Build" and event.state == ERROR:
            with self.lock:
                self.err.write(event.text.rstrip("\n") + "\n")
                self.err.flush()

    def close(self) -> None:
        return None


class PlainImages(QuietImages):
    """A line per event, as today's Compose prints off a terminal."""

    def emit(self, event: Event) -> None:
        line = self._line(event)
        if line is None:
            return
        with self.lock:
            self.err.write(line + "\n")
            self.err.flush()

    def _line(self, event: Event) -> str | None:
        if event.kind == "Build":
            return f"#{event.name} {event.text.rstrip()}" if event.text.strip() else None
        if event.kind == "Layer":
            bar = split_progress(event.text)[0]
            return f" {event.name.split('/', 1)[1]} {event.status} {bar}".rstrip()
        if event.status == "Status":
            return None
        name = f"Image {event.name}" if event.status.startswith("Remov") else event.name
        if event.status == "Skipped":
            return f" {name} Skipped - {event.text}"
        if event.status == "Error":
            word = "Warning" if event.state == WARNING else "Error"
            return f" {name} {word} {event.text}".rstrip()
        return f" {name} {event.status} "


class JSONImages(QuietImages):
    def emit(self, event: Event) -> None:
        record = {
            "id": event.name,
            "kind": event.kind,
            "status": event.status,
            "state": event.state,
            "text": event.text.replace("\x00", " "),
            "time": time.time(),
        }
        with self.lock:
            self.err.write(json.dumps(record) + "\n")
            self.err.flush()


class TTYImages(QuietImages):
    """Rows redrawn in place: one per image, its layers indented under it; build output
    scrolls above the rows."""

    def __init__(self, err: TextIO, title: str) -> None:
        super().__init__(err)
        self.title = title
        self.rows: dict[str, list] = {}  # name -> [event, started, finished]
        self.layers: dict[str, dict[str, Event]] = {}  # image row -> layer -> event
        self.drawn = 0
        self.tick = 0

    def emit(self, event: Event) -> None:
        with self.lock:
            if event.kind == "Build":
                self._scroll(f"#{event.name} {event.text.rstrip()}")
                return
            if event.kind == "Layer":
                parent, layer = event.name.split("/", 1)
                self.layers.setdefault(parent, {})[layer] = event
            elif event.status != "Status":
                self._row(event)
            self._draw()

    def close(self) -> None:
        with self.lock:
            if self.rows:
                self._draw()

    def _row(self, event: Event) -> None:
        now = time.monotonic()
        row = self.rows.setdefault(event.name, [event, now, None])
        row[0] = event
        row[2] = now if event.state in _FINISHED else None

    def _scroll(self, line: str) -> None:
        if self.drawn:
            self.err.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0
        self.err.write(line + "\n")
        if self.rows:
            self._draw()
        self.err.flush()

    def _draw(self) -> None:
        self.tick += 1
        now = time.monotonic()
        done = sum(1 for _, _, end in self.rows.values() if end is not None)
        lines = [f"[+] {self.title} {done}/{len(self.rows)}"]
        for name, (event, start, end) in self.rows.items():
            mark = self._mark(event.state, end is not None)
            status = event.status if event.status != "Skipped" else f"Skipped - {event.text}"
            lines.append(f" {mark} {name} {status} {(end or now) - start:.1f}s")
            for layer, layer_event in self.layers.get(name, {}).items():
                layer_mark = self._mark(layer_event.state, layer_event.state in _FINISHED)
                bar = split_progress(layer_event.text)[0]
                lines.append(f"   {layer_mark} {layer} {layer_event.status} {bar}".rstrip())
        if self.drawn:
            self.err.write(f"\x1b[{self.drawn}F")
        self.err.write("".join(f"\x1b[2K{line}\n" for line in lines))
        self.err.flush()
        self.drawn = len(lines)

    def _mark(self, state: str, finished: bool) -> str:
        if finished:
            return {DONE: "✔", ERROR: "✘", WARNING: "!"}.get(state, "✔")
        return SPINNER[self.tick % len(SPINNER)]


class ClassicImages(QuietImages):
    """1.29.2's forms: `Pulling db ... status` lines (CR LF ended; rewritten in place on a
    terminal), `Building web` then the engine's build output on stdout."""

    def __init__(self, out: TextIO, err: TextIO, is_tty: bool, *, up_form: bool = False) -> None:
        super().__init__(err)
        self.out = out
        self.up_form = up_form
        self.is_tty = is_tty
        self.lines: dict[tuple[str, str], int] = {}  # (verb, name) -> line number
        self.width: dict[str, int] = {}  # verb -> padding width
        self.count = 0
        self.pushing: set[str] = set()

    def expect(self, verb: str, names: list[str]) -> None:
        """Announce a batch: 1.29.2 writes every `...` line at the start, padded alike."""
        self.width[verb] = max((len(n) for n in names), default=0)
        with self.lock:
            for name in names:
                self._status(verb, name, "")

    def emit(self, event: Event) -> None:
        with self.lock:
            self._emit(event)
            self.out.flush()
            self.err.flush()

    def _emit(self, event: Event) -> None:
        if self.up_form and event.kind != "Build" and event.status != "Building":
            self._up_pull_line(event)
        elif event.kind == "Build":
            # The engine's own chunks, as `docker build` prints them (a line may come in parts).
            if event.state == ERROR:
                self.err.write(event.text.rstrip("\n") + "\n")
            else:
                self.out.write(event.text)
        elif event.status == "Building":
            self.err.write(f"Building {event.name}\n")
        elif event.status == "Pushing":
            self.pushing.add(event.name)
            self.err.write(f"Pushing {event.name} ({event.text})...\n")
        elif event.name in self.pushing and event.status in ("Status", "Error"):
            self.out.write(event.text + "\n")
        elif event.status == "Removing":
            self.err.write(f"Removing image {event.name}\n")
        elif event.kind == "Layer" and event.status.startswith(("Push", "Layer", "Prepar", "Wait")):
            self.out.write(f"{event.name.split('/', 1)[1]}: {event.status}\n")
        elif event.status == "Skipped" and "pulled" not in event.text:
            self.err.write(f"{event.name} {_CLASSIC_SKIP.get(event.text, event.text)}\n")
        elif event.kind == "Layer" or event.status in ("Status", "Pulled", "Error", "Skipped"):
            self._pull_line(event)

    def _up_pull_line(self, event: Event) -> None:
        """`up` in 1.29.2: `Pulling db (image)...`, then the engine's status lines on stdout."""
        if event.status == "Pulling":
            self.err.write(f"Pulling {event.name} ({event.text})...\n")
        elif event.status == "Status":
            self.out.write(event.text + "\n")
        elif event.status == "Error":
            self.err.write(f"ERROR: {event.text}\n")

    def _pull_line(self, event: Event) -> None:
        if event.status in ("Pulled", "Skipped"):
            text = "done"
        elif event.status == "Error":
            text = "error"
        elif event.kind == "Layer":
            _, current, total = split_progress(event.text)
            text = event.status.lower()
            if current is not None and total:
                text = f"{text} ({current / total * 100:.1f}%)"
        else:
            text = _TAG_PREFIX.sub("", event.text).lower()  # `1: Pulling from x`: no tag
        self._status("Pulling", event.name.split("/", 1)[0], _truncate(text))

    def _status(self, verb: str, name: str, text: str) -> None:
        line = f"{verb} {name.ljust(self.width.get(verb, len(name)))} ... {text}"
        key = (verb, name)
        if self.is_tty and key in self.lines:
            up = self.count - self.lines[key]
            self.err.write(f"\x1b[{up}A\r\x1b[2K{line}\r\x1b[{up}B")
            return
        if key not in self.lines:
            self.lines[key] = self.count
            self.count += 1
        elif self.is_tty:
            return
        self.err.write(line + "\r\n")


_TAG_PREFIX = re.compile(r"^[^ ]+: (?=Pulling from )")
_CLASSIC_SKIP = {"Image is built": "uses an image, skipping", "No image to be pushed": "skipped"}


def _truncate(text: str, limit: int = 35) -> str:
    return text if len(text) <= limit else text[: limit - 2] + "..."

"""Log lines of many containers on one stream, each prefixed with its container's name in
a steady colour: `web-1  | line` as today's Compose prints it, `web_1  | line` as 1.29.2."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TextIO

# cyan, yellow, green, magenta, blue, red; then their bright forms.
_COLORS = [f"{weight}{code}" for weight in ("", "1;") for code in (36, 33, 32, 35, 34, 31)]
_RESET = "\x1b[0m"


class LogPrinter:
    """Writes whole lines under one lock, so lines of different containers never mix."""

    def __init__(
        self,
        stream: TextIO,
        project: str,
        *,
        color: bool,
        prefix: bool = True,
        compatibility: bool = False,
    ) -> None:
        self.stream = stream
        self.project = project
        self.color = color
        self.prefix = prefix
        self.compatibility = compatibility
        self.lock = threading.Lock()
        self.colors: dict[str, str] = {}
        self.width = 0

    def add(self, names: Iterable[str]) -> None:
        """Containers whose lines will come: colours go by name order, widths fit all."""
        with self.lock:
            for name in sorted(names):
                if name not in self.colors:
                    self.colors[name] = _COLORS[len(self.colors) % len(_COLORS)]
                self.width = max(self.width, len(self.short(name)))

    def short(self, name: str) -> str:
        """The name without the project: `web-1` (today's Compose), `web_1` (1.29.2)."""
        separator = "_" if self.compatibility else "-"
        head = f"{self.project}{separator}"
        return name[len(head) :] if name.startswith(head) else name

    def line(self, name: str, text: str) -> None:
        self.lines(name, [text])

    def lines(self, name: str, texts: list[str]) -> None:
        """Lines of one container, written together: one write and one flush."""
        if name not in self.colors:
            self.add([name])
        prefix = self._prefix(name) if self.prefix else ""
        out = "".join(f"{prefix}{text}\n" for text in texts)
        with self.lock:
            self.stream.write(out)
            self.stream.flush()

    def exited(self, name: str, code: int | None) -> None:
        shown = name if self.compatibility else self.short(name)
        words = f"{shown} exited with code {code if code is not None else 'unknown'}"
        if self.color:
            # Both tools end the colour after the newline; v2 also clears the line first.
            clear = "" if self.compatibility else "\r\x1b[K"
            words = f"\x1b[{self.colors.get(name, _COLORS[0])}m{clear}{words}\n{_RESET}"
        else:
            words += "\n"
        with self.lock:
            self.stream.write(words)
            self.stream.flush()

    def _prefix(self, name: str) -> str:
        padded = self.short(name).ljust(self.width)
        if self.compatibility:
            bar = f"{padded}  |"
            return f"\x1b[{self.colors[name]}m{bar}{_RESET} " if self.color else f"{bar} "
        bar = f"{padded}  | "
        return f"\x1b[{self.colors[name]}m{bar}{_RESET}" if self.color else bar

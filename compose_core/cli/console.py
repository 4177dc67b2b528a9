"""The terminal the CLI writes to, injected so tests can run the CLI in-process."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Console:
    """Standard streams and what they are connected to."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    ansi: str = "auto"  # never | always | auto
    compatibility: bool = False

    def out(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def err(self, text: str = "") -> None:
        self.stderr.write(text + "\n")

    @property
    def stdout_is_tty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stderr_is_tty(self) -> bool:
        return _isatty(self.stderr)

    @property
    def color(self) -> bool:
        """Whether to colour stderr/stdout output."""
        if self.ansi == "never" or os.environ.get("NO_COLOR"):
            return False
        if self.ansi == "always":
            return True
        return self.stdout_is_tty


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

"""The terminal the CLI writes to, injected so tests can run the CLI in-process."""

from __future__ import annotations

import os
import sys
from typing import TextIO


class Console:
    """Standard streams and what they are connected to."""

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        stdin: TextIO | None = None,
        ansi: str = "auto",  # never | always | auto
        compatibility: bool = False,
    ) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        self.ansi = ansi
        self.compatibility = compatibility

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

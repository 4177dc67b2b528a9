"""The table of commands: name, one-line summary and where the handler lives.

Handlers are imported only when their command runs, so listing the
commands costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandEntry:
    name: str
    summary: str
    module: str
    function: str


def _entry(name: str, summary: str, module: str, function: str | None = None) -> CommandEntry:
    return CommandEntry(
        name, summary, f"compose_core.cli.commands.{module}", function or name.replace("-", "_")
    )


COMMANDS: dict[str, CommandEntry] = {
    entry.name: entry
    for entry in (
        _entry("config", "Parse, resolve and render the Compose files in canonical form", "config"),
        _entry("help", "Get help on a command", "version", "help_command"),
        _entry("version", "Show version information", "version"),
    )
}


def load_command(entry: CommandEntry) -> Callable[..., Any]:
    module = importlib.import_module(entry.module)
    return getattr(module, entry.function)

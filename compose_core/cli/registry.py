"""The table of commands: name, one-line summary and where the handler lives.

Handlers are imported only when their command runs, so listing the
commands costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple


class CommandEntry(NamedTuple):
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
        _entry("build", "Build or rebuild service images", "images"),
        _entry("config", "Parse, resolve and render the Compose files in canonical form", "config"),
        _entry("completion", "Print a completion script for bash, zsh or fish", "completion"),
        _entry("cp", "Copy files between a service container and the local filesystem", "transfer"),
        _entry("create", "Create containers for services", "lifecycle"),
        _entry("down", "Stop and remove containers, networks", "lifecycle"),
        _entry("events", "Receive real time events from containers", "watch"),
        _entry("help", "Get help on a command", "version", "help_command"),
        _entry("images", "List images used by the created containers", "inspect"),
        _entry("kill", "Force stop service containers", "containers"),
        _entry("attach", "Attach to a service's running container", "running"),
        _entry("exec", "Run a command in a running container", "running", "exec_command"),
        _entry("logs", "View output from containers", "logs"),
        _entry("ls", "List running compose projects", "projects"),
        _entry("pause", "Pause services", "containers"),
        _entry("port", "Print the public port for a port binding", "inspect"),
        _entry("ps", "List containers", "ps"),
        _entry("pull", "Pull service images", "images"),
        _entry("push", "Push service images", "images"),
        _entry("restart", "Restart service containers", "containers"),
        _entry("rm", "Remove stopped service containers", "containers"),
        _entry("run", "Run a one-off command on a service", "running"),
        _entry("scale", "Set the number of containers of a service (deprecated)", "containers"),
        _entry("start", "Start services", "containers"),
        _entry("stats", "Display a sample of resource usage statistics", "inspect"),
        _entry("stop", "Stop services", "containers"),
        _entry("top", "Display the running processes", "inspect"),
        _entry("unpause", "Unpause services", "containers"),
        _entry("up", "Create and start containers", "lifecycle"),
        _entry("version", "Show version information", "version"),
        _entry("wait", "Block until containers of services stop", "watch"),
    )
}


def load_command(entry: CommandEntry) -> Callable[..., Any]:
    module = importlib.import_module(entry.module)
    return getattr(module, entry.function)

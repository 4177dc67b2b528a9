"""The one exception hierarchy of compose_core.

Every failure a user can cause or meet is a ComposeError. The CLI prints
its message (and hint) and exits with its status; anything else that
escapes is a bug and is reported as such.
"""

from __future__ import annotations


class ComposeError(Exception):
    """Root of every error shown to a user."""

    exit_status = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n{self.hint}"
        return self.message


class ConfigError(ComposeError):
    """The Compose files, their environment or the options are invalid.

    `source` names the file (and line, where known), `path` the key path,
    such as ``services.web.ports[0]``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.path = path
        super().__init__(_locate(message, source, line, path), hint)
        self.reason = message


def _locate(message: str, source: str | None, line: int | None, path: str | None) -> str:
    where = ""
    if source:
        where = source if line is None else f"{source}, line {line}"
    if path:
        where = f"{where}: {path}" if where else path
    return f"{where}: {message}" if where else message


class UserError(ComposeError):
    """A command was asked for something that cannot be done as asked."""


class UsageError(ComposeError):
    """The command line itself is wrong; the usage text is shown."""


class EngineError(ComposeError):
    """The Docker engine refused or failed an operation."""


class EngineUnreachable(EngineError):
    """No Docker engine answers at the configured address."""

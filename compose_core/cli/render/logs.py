"""Log records of the core, printed to stderr the way each Compose prints them."""

from __future__ import annotations

import logging
import time

from compose_core.cli.console import Console

_V2_LEVELS = {
    logging.DEBUG: ("DEBU", "debug"),
    logging.INFO: ("INFO", "info"),
    logging.WARNING: ("WARN", "warning"),
    logging.ERROR: ("ERRO", "error"),
    logging.CRITICAL: ("FATA", "fatal"),
}


class StderrHandler(logging.Handler):
    """Today's Compose: `WARN[0000] msg` on a terminal, logfmt otherwise; 1.29.2: `WARNING: msg`."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self.started = time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            self.console.err(self._format_line(record.levelno, message))
        except Exception:  # noqa: BLE001 - logging must never break a command
            self.handleError(record)

    def _format_line(self, level: int, message: str) -> str:
        if self.console.compatibility:
            return message if level == logging.INFO else f"{logging.getLevelName(level)}: {message}"
        short, long = _V2_LEVELS.get(level, ("INFO", "info"))
        if self.console.stderr_is_tty:
            return f"{short}[{int(time.monotonic() - self.started):04d}] {message}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        escaped = message.replace("\\", "\\\\").replace('"', '\\"')
        return f'time="{stamp}" level={long} msg="{escaped}"'

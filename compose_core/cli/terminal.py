"""Wiring the user's terminal to a container's streams: `run`, `exec` and `attach`.

With a TTY the container's output is one raw byte stream and the local terminal is put
in raw mode, so keys such as Ctrl-C reach the container. Without one, the engine frames
stdout and stderr apart and they are written to our stdout and stderr. Standard input
is copied to the container until it ends, then the container's input is closed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

Resize = Callable[[int, int], None]  # (height, width)


def is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def raw_mode(fd: int) -> Iterator[None]:
    """The terminal on `fd` in raw mode for the duration; restored however it ends."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def follow_size(fd: int, resize: Resize | None) -> Iterator[None]:
    """Tell the container the terminal's size now and whenever it changes."""
    if resize is None or not is_terminal(fd):
        yield
        return

    def send(*_: Any) -> None:
        size = shutil.get_terminal_size()
        try:
            resize(size.lines, size.columns)
        except Exception:  # noqa: BLE001 - a failed resize must not end the session
            pass

    send()
    previous = signal.signal(signal.SIGWINCH, send)
    try:
        yield
    finally:
        signal.signal(signal.SIGWINCH, previous)


def pump(
    sock: Any,
    *,
    tty: bool,
    stdin_fd: int | None,
    stdout: BinaryIO,
    stderr: BinaryIO,
) -> None:
    """Copy between the terminal and the container until the container's output ends."""
    raw = getattr(sock, "_sock", sock)
    if stdin_fd is not None:
        feeder = threading.Thread(target=_feed, args=(stdin_fd, raw), daemon=True)
        feeder.start()
    reader = threading.Thread(target=_drain, args=(raw, tty, stdout, stderr), daemon=True)
    reader.start()
    while reader.is_alive():
        reader.join(0.2)


def _feed(fd: int, raw: socket.socket) -> None:
    try:
        while True:
            data = os.read(fd, 65536)
            if not data:
                break
            raw.sendall(data)
        raw.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the container ended first


def _drain(raw: socket.socket, tty: bool, stdout: BinaryIO, stderr: BinaryIO) -> None:
    from docker.utils.socket import frames_iter

    try:
        for stream, data in frames_iter(raw, tty):
            target = stderr if stream == 2 else stdout
            target.write(data)
            target.flush()
    except OSError:
        pass  # the connection went with the container


def run_session(
    sock: Any, *, tty: bool, interactive: bool, resize: Resize | None, console: Any
) -> None:
    """A whole session on the console's streams: raw mode when we have a terminal."""
    stdin_fd = _fileno(console.stdin) if interactive else None
    stdout = getattr(console.stdout, "buffer", console.stdout)
    stderr = getattr(console.stderr, "buffer", console.stderr)
    console.stdout.flush()
    raw_terminal = tty and stdin_fd is not None and is_terminal(stdin_fd)
    with contextlib.ExitStack() as stack:
        if raw_terminal:
            stack.enter_context(raw_mode(stdin_fd))
        if tty:
            stack.enter_context(follow_size(_fileno(console.stdout) or 1, resize))
        pump(sock, tty=tty, stdin_fd=stdin_fd, stdout=stdout, stderr=stderr)


def _fileno(stream: Any) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
